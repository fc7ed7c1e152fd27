/* error: the one record of a bad-input error (file, line, element, attribute, value, message). */
#ifndef VNICSIM_ERROR_H
#define VNICSIM_ERROR_H

#include <stdio.h>

/** Exit status for bad user input (scenario, platform path, --set value, command line). */
#define VN_EXIT_INPUT 2
/** Exit status for internal failures. */
#define VN_EXIT_INTERNAL 1

/** Where and what a bad input is. Empty strings and line 0 mean "not applicable". */
typedef struct vn_error {
  char file[4096];
  int line;
  char element[64];
  char attribute[64];
  char value[512];
  char message[1536];
} vn_error_t;

/** @brief Fill @p err (no-op when @p err is NULL). Any string may be NULL. @p fmt is printf-style. */
void vn_error_set(vn_error_t* err, const char* file, int line, const char* element, const char* attribute,
                  const char* value, const char* fmt, ...) __attribute__((format(printf, 7, 8)));

/** @brief Reset @p err to "no error". */
void vn_error_clear(vn_error_t* err);

/** @brief Whether @p err holds an error. */
int vn_error_is_set(const vn_error_t* err);

/** @brief Print @p err as one line: `vnicsim: error: FILE:LINE: <element attribute="value">: message`. */
void vn_error_print(const vn_error_t* err, FILE* out);

/** @brief Format @p err like vn_error_print into @p buf (truncating). */
void vn_error_format(const vn_error_t* err, char* buf, size_t len);

#endif
