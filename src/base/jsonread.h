/* jsonread: reading JSON text back into a tree (RFC 8259), for the files vnicsim itself writes (manifests, the
 * study record of a run directory) and reads again. */
#ifndef VNICSIM_JSONREAD_H
#define VNICSIM_JSONREAD_H

#include <stddef.h>

typedef enum { JSON_NULL = 0, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type_t;

typedef struct s_json s_json_t;
typedef s_json_t* json_t;
typedef const s_json_t* const_json_t;

/** @brief Parse @p text (NUL-terminated) as one JSON value, blanks around it allowed. Nesting deeper than 64 levels,
 *  a NUL inside a string, bad escapes and trailing text are refused. Returns NULL with a one-line reason (naming the
 *  line) in @p err. */
json_t json_parse(const char* text, char* err, size_t errlen);

/** @brief Free; NULL is a no-op. */
void json_free(json_t v);

/** @brief The type of @p v (JSON_NULL for a NULL pointer). */
json_type_t json_type(const_json_t v);

/** @brief Member @p key of object @p obj (the first one of that name), or NULL (missing, or @p obj not an object). */
const_json_t json_get(const_json_t obj, const char* key);

/** @brief Number of elements of an array or members of an object (0 for anything else). */
size_t json_size(const_json_t v);

/** @brief Element @p i of an array, or the value of member @p i of an object; NULL when out of range. */
const_json_t json_at(const_json_t v, size_t i);

/** @brief Name of member @p i of an object; NULL when out of range or not an object. */
const char* json_key_at(const_json_t v, size_t i);

/** @brief The text of a string value; NULL for anything else. */
const char* json_string(const_json_t v);

/** @brief The value of a number (or of a boolean: 0 or 1); @p otherwise for anything else. */
double json_number(const_json_t v, double otherwise);

/** @brief json_string() of member @p key of @p obj, or NULL. */
const char* json_get_string(const_json_t obj, const char* key);

#endif
