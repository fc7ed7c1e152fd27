/* json: writing JSON values (strings escaped per RFC 8259, numbers that round-trip). */
#ifndef VNICSIM_JSON_H
#define VNICSIM_JSON_H

#include <stdio.h>

/** @brief Whether @p s is valid UTF-8 (no overlong forms, surrogates or code points above U+10FFFF). */
int json_utf8_valid(const char* s);

/** @brief Write @p s as a JSON string literal (quotes included; NULL writes null). Bytes that are not valid UTF-8
 *  are written as U+FFFD, so the output is always valid JSON. */
void json_write_string(FILE* out, const char* s);

/** @brief Write @p v as a JSON number (shortest %.17g form); NaN and infinities, which JSON lacks, as null. */
void json_write_number(FILE* out, double v);

#endif
