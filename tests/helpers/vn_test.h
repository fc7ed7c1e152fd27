/* vn_test: helpers shared by the end-to-end tests: a scratch directory, running the vnicsim binary, reading its
 * results. */
#ifndef VNICSIM_VN_TEST_H
#define VNICSIM_VN_TEST_H

#include <stddef.h>

#include "base/csv.h"

/** @brief A fresh, empty scratch directory for test @p name (under the build tree). Returned string is malloc'ed. */
char* vn_scratch(const char* name);

/** @brief Write @p text to @p path (the test fails if it cannot). */
void vn_write(const char* path, const char* text);

/** @brief Read a whole file into a malloc'ed string (NULL if it does not exist); *len gets its size. */
char* vn_slurp(const char* path, size_t* len);

/** @brief Write a scenario file @p dir/@p file whose <scenario> element has attributes @p attrs and contains @p body;
 *  the token @PLATFORMS@ in @p body is replaced by the absolute path of the repository's platforms/ folder and
 *  @FIXTURES@ by tests/fixtures/. Returns the malloc'ed path. */
char* vn_scenario(const char* dir, const char* file, const char* attrs, const char* body);

/** @brief Run `vnicsim ARGS` (ARGS as printf-formatted shell words) with stdout and stderr captured into malloc'ed
 *  strings (*out, *err may be NULL to discard). Returns the exit status (128+signal if killed). */
int vn_run(char** out, char** err, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

/** @brief Load DIR/results.csv (the test fails if it cannot). */
csv_t vn_results(const char* dir);

/** @brief Load DIR/NAME (the test fails if it cannot). */
csv_t vn_table(const char* dir, const char* name);

/** @brief The numeric cell of column @p col in row @p row (the test fails on a missing column or non-number). */
double vn_num(const_csv_t t, size_t row, const char* col);

/** @brief The text cell of column @p col in row @p row (the test fails on a missing column). */
const char* vn_text(const_csv_t t, size_t row, const char* col);

/** @brief The row whose columns match every "column=value" pair given (NULL-terminated varargs); -1 if none. */
long vn_find_row(const_csv_t t, ...);

/** @brief Run the subcommand @p argv[0] with its arguments through the command-line layer, in this process, as
 *  `vnicsim ARGV...` would. Returns its exit status. */
int vn_cli_argv(int argc, char** argv);

#endif
