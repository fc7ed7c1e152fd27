/* param_table: the table of every scenario parameter (key, element, attribute, kind, default, range) and the code
 * that reads, writes and validates a params_t through it. */
#ifndef VNICSIM_PARAM_TABLE_H
#define VNICSIM_PARAM_TABLE_H

#include <stddef.h>

#include "model/params.h"

/** @brief Fill @p p with every default of the table (nothing marked as given). */
void params_init(params_t* p);

/** @brief Number of parameters in the table. */
size_t params_count(void);

/** @brief Parameter @p i of the table (0 <= i < params_count()), in document order: scenario, platform, nic, access,
 *  consumers, workload. NULL when out of range. */
const param_desc_t* params_get(size_t i);

/** @brief Position of @p d in the table. */
size_t params_index(const param_desc_t* d);

/** @brief The parameter called "element.attribute" (case-sensitive), or NULL. */
const param_desc_t* params_find(const char* key);

/** @brief The parameter written as attribute @p attribute of element @p element, or NULL. */
const param_desc_t* params_find_attr(const char* element, const char* attribute);

/** @brief Whether @p element names a scenario element that carries parameters ("nic", "workload", ...). */
int params_is_element(const char* element);

/** @brief Number of distinct elements that carry parameters (the root, scenario, included). */
size_t params_element_count(void);

/** @brief Element @p i (0 <= i < params_element_count()) in the order of the table: "scenario", "platform", "nic",
 *  ...; NULL when out of range. */
const char* params_element(size_t i);

/** @brief Whether a scenario file must write parameter @p d (scenario.name, platform.file): the schema declares
 *  these attributes required. */
int params_is_required(const param_desc_t* d);

/** @brief Parse @p text for parameter @p d, check its range, store it in @p p and mark it as given.
 *  Giving workload.duration turns the default workload.requests off (giving both is an error of params_validate).
 *  @return 0, or -1 with a one-line reason in @p err (which does not repeat the value or the parameter name) and
 *  @p p unchanged. */
int params_set(params_t* p, const param_desc_t* d, const char* text, char* err, size_t errlen);

/** @brief Whether parameter @p d of @p p was given by the user. */
int params_is_given(const params_t* p, const param_desc_t* d);

/** @brief Write parameter @p d of @p p canonically, with units ("200ns", "16GBps", "lock"); the text parses back to
 *  the same value. A parameter that is off (PARAM_OPTIONAL and zero) is written as empty text. */
void params_format(const params_t* p, const param_desc_t* d, char* buf, size_t len);

/** @brief Write the text of parameter @p d of @p p as a CSV cell holds it: numbers in SI base units with %.9g (counts
 *  and seeds as integers), enum names, text as it is. It is the cell's content, not yet a field: the writer
 *  (csv_write_field) quotes it where RFC 4180 requires. Off is empty text. */
void params_format_csv(const params_t* p, const param_desc_t* d, char* buf, size_t len);

/** @brief Name of a kind for docs and messages ("time", "count", ...). */
const char* params_kind_name(param_kind_t kind);

/** @brief Write the valid range of @p d ("[1, 1000000000]", "(0s, 1000000s]", "[0, 1)"), or the valid names of an
 *  enum separated by ", ", or the accepted shape of a text parameter. */
void params_describe_range(const param_desc_t* d, char* buf, size_t len);

/** @brief Cross-field rules of one run's parameters: requests and duration not both given; a rate > 0 for an
 *  open-loop arrival; backoff-max >= backoff; queue-depth divisible by queues; between 1 and PARAMS_MAX_ACTORS
 *  consumers per host; seed + replications - 1 within the seed range; a hotspot target that is among the selected
 *  hosts when they are listed by name; an access mode that exists (the message lists them) and whose own check passes.
 *  @return 0, or -1 with a one-line reason in @p err and, in @p bad_key (may be NULL), the key of the parameter the
 *  error is attributed to (the one to fix). */
int params_validate(const params_t* p, char* err, size_t len, const char** bad_key);

#endif
