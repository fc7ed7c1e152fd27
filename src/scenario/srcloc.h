/* srcloc: where an element or an attribute is written in a document's text. libxml2 gives an element the line where
 * its start tag ENDS; for a tag written over several lines, messages must point at the line where the tag starts, or
 * at the line where the attribute is written. */
#ifndef VNICSIM_SRCLOC_H
#define VNICSIM_SRCLOC_H

#include <stddef.h>

typedef struct s_srcloc s_srcloc_t;
typedef s_srcloc_t* srcloc_t;
typedef const s_srcloc_t* const_srcloc_t;

/** @brief Index the lines of @p text (@p len bytes, not NUL-terminated necessarily). The text is not copied: it must
 *  outlive the returned handle. */
srcloc_t srcloc_create(const char* text, size_t len);

/** @brief Free @p loc; NULL is a no-op. */
void srcloc_free(srcloc_t loc);

/** @brief Line where the start tag of @p element begins, for the tag that libxml2 puts at line @p end_line (where
 *  the tag ends). Returns @p end_line itself when no such tag is found there (or @p loc is NULL). */
int srcloc_tag_line(const_srcloc_t loc, int end_line, const char* element);

/** @brief Line where @p attribute (as written, "name" or "prefix:name") of that tag is written; the tag's first line
 *  when the attribute is not found in it. */
int srcloc_attribute_line(const_srcloc_t loc, int end_line, const char* element, const char* attribute);

#endif
