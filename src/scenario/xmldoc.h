/* xmldoc: a scenario file read into a libxml2 tree safely (size-capped read, no network, no entity expansion, no DTD,
 * any DOCTYPE refused), with the line lookups that error messages need. */
#ifndef VNICSIM_XMLDOC_H
#define VNICSIM_XMLDOC_H

#include <libxml/tree.h>

#include "base/error.h"
#include "scenario/srcloc.h"

typedef struct s_xmldoc s_xmldoc_t;
typedef s_xmldoc_t* xmldoc_t;
typedef const s_xmldoc_t* const_xmldoc_t;

/** @brief Read and parse the file @p path. Nothing outside the file is ever read: no network, no external entity,
 *  no DTD, no XInclude; a DOCTYPE of any kind stops the parser and is an error, so no entity can even be declared.
 *  Text nodes made only of blanks are dropped (the format has no text content). Returns NULL with @p err filled for
 *  a file that cannot be read, is larger than a scenario can be, or is not well-formed XML (the parser's line and
 *  message). */
xmldoc_t xmldoc_load(const char* path, vn_error_t* err);

/** @brief Free @p doc; NULL is a no-op. */
void xmldoc_free(xmldoc_t doc);

/** @brief The path the document was loaded from, as given. */
const char* xmldoc_path(const_xmldoc_t doc);

/** @brief The parsed tree (owned by @p doc). */
xmlDocPtr xmldoc_tree(const_xmldoc_t doc);

/** @brief The root element. */
xmlNodePtr xmldoc_root(const_xmldoc_t doc);

/** @brief The line lookups of the document's text. */
const_srcloc_t xmldoc_source(const_xmldoc_t doc);

/** @brief Line where the start tag of element @p node begins (0 when libxml2 has no line for it). */
int xmldoc_element_line(const_xmldoc_t doc, const xmlNode* node);

/** @brief Line where attribute @p name of element @p node is written (its tag's first line if not found). */
int xmldoc_attribute_line(const_xmldoc_t doc, const xmlNode* node, const char* name);

typedef struct s_xmldoc_hooks s_xmldoc_hooks_t;
typedef s_xmldoc_hooks_t* xmldoc_hooks_t;

/** @brief Install, for the time of one libxml2 operation, an external entity loader that refuses everything and a
 *  generic error handler that prints nothing (errors are reported through structured handlers). libxml2's hooks
 *  are process-wide: the previous ones are saved in the returned handle. */
xmldoc_hooks_t xmldoc_hooks_install(void);

/** @brief Put back the hooks saved by xmldoc_hooks_install() and free @p saved; NULL is a no-op. */
void xmldoc_hooks_restore(xmldoc_hooks_t saved);

#endif
