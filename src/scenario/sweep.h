/* sweep: one dimension of a scenario's sweep (the values of one parameter, or labelled cases) and their product. */
#ifndef VNICSIM_SWEEP_H
#define VNICSIM_SWEEP_H

#include <stddef.h>

#include "scenario/param_table.h"

typedef struct s_sweep s_sweep_t;
typedef s_sweep_t* sweep_t;
typedef const s_sweep_t* const_sweep_t;

typedef enum {
  SWEEP_VALUES, /* <sweep param="element.attribute" values="v1 v2 ..."/> */
  SWEEP_CASES   /* <sweep name="..."><case label="..."><set param="..." value="..."/>...</case>...</sweep> */
} sweep_kind_t;

/** @brief A new, empty sweep over the values of parameter @p d, written at line @p line. */
sweep_t sweep_create_values(const param_desc_t* d, int line);

/** @brief A new, empty sweep of labelled cases called @p name (its CSV column), written at line @p line. */
sweep_t sweep_create_cases(const char* name, int line);

/** @brief Free @p s; NULL is a no-op. */
void sweep_free(sweep_t s);

/** @brief Append a value to a sweep of values. @p written is the text as the user wrote it (kept for messages);
 *  @p effective is what the parameter is set to (the same text, or a resolved path). The value is parsed and
 *  range-checked now. A value equal to an earlier one (same canonical text: "1us" and "1000ns") is an error.
 *  @return 0, or -1 with a reason in @p err. */
int sweep_add_value(sweep_t s, const char* written, const char* effective, char* err, size_t len);

/** @brief Append a case labelled @p label (written at line @p line) to a sweep of cases. The label is a word
 *  (letters, digits, '.', '_', '+', '-') and unique within the sweep. @return 0, or -1 with a reason in @p err. */
int sweep_add_case(sweep_t s, const char* label, int line, char* err, size_t len);

/** @brief Add to the last case of @p s the setting of @p d to @p written (@p effective as in sweep_add_value),
 *  written at line @p line. The value is parsed and range-checked now; setting one parameter twice in a case is
 *  an error. @return 0, or -1 with a reason in @p err. */
int sweep_add_set(sweep_t s, const param_desc_t* d, const char* written, const char* effective, int line, char* err,
                  size_t len);

/** @brief Kind of @p s. */
sweep_kind_t sweep_kind(const_sweep_t s);

/** @brief CSV column of @p s: the parameter's key for a sweep of values, the sweep's name for a sweep of cases. */
const char* sweep_name(const_sweep_t s);

/** @brief Line of the <sweep> element. */
int sweep_line(const_sweep_t s);

/** @brief Number of values (or cases) of @p s. */
size_t sweep_size(const_sweep_t s);

/** @brief Value @p i as the user wrote it (a case: its label). */
const char* sweep_value_text(const_sweep_t s, size_t i);

/** @brief Value @p i as a CSV field (numbers in SI base units; a case: its label). */
const char* sweep_value_csv(const_sweep_t s, size_t i);

/** @brief Value @p i written canonically with units ("1us"; a case: its label). */
const char* sweep_value_canonical(const_sweep_t s, size_t i);

/** @brief Number of settings of case @p i (0 for a sweep of values). */
size_t sweep_case_set_count(const_sweep_t s, size_t i);

/** @brief Setting @p k of case @p i: its parameter, and the value as written (may be NULL). */
const param_desc_t* sweep_case_set(const_sweep_t s, size_t i, size_t k, const char** written);

/** @brief Apply value (or case) @p i of @p s to @p p. Values were checked when added, so this only fails if @p p
 *  changed meaning since; @return 0, or -1 with a reason in @p err. */
int sweep_apply(const_sweep_t s, size_t i, params_t* p, char* err, size_t len);

/** @brief Whether value (or case) @p i of @p s sets parameter @p d; if so, *line (may be NULL) receives the line
 *  where that value is written (the <sweep> or the <set>) and *written (may be NULL) the value's text. */
int sweep_sets(const_sweep_t s, size_t i, const param_desc_t* d, int* line, const char** written);

/** @brief Whether any value or case of @p s sets parameter @p d. */
int sweep_touches(const_sweep_t s, const param_desc_t* d);

/** @brief Number of combinations of @p n sweeps (the product of their sizes; 1 when @p n is 0), or 0 when the
 *  product exceeds @p cap. */
size_t sweep_combinations(const const_sweep_t* dims, size_t n, size_t cap);

/** @brief Decompose combination @p c into one index per sweep: the FIRST sweep is outermost (varies slowest),
 *  the last one fastest. */
void sweep_decompose(const const_sweep_t* dims, size_t n, size_t c, size_t* digits);

#endif
