/* csv: an RFC 4180 CSV reader, and a checked view of a run's results.csv on top of it. */
#ifndef VNICSIM_CSV_H
#define VNICSIM_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

/* ---- Generic CSV ------------------------------------------------------------------------------------------------ */

/** A whole CSV file in memory: one header line, then records that each have exactly as many fields as the header.
 *  Fields may be quoted ("a,b", "say ""hi""", or spanning lines); records end with LF, CRLF or CR; a UTF-8 byte
 *  order mark is ignored; empty lines are skipped. */
typedef struct s_csv s_csv_t;
typedef s_csv_t* csv_t;
typedef const s_csv_t* const_csv_t;

/** @brief Write @p text as one RFC 4180 field: as it is, or quoted (quotes doubled) when it holds a comma, a quote or
 *  a line break. The one CSV writer of the project (results tables, plot data, compare --csv). */
void csv_write_field(FILE* out, const char* text);

/** @brief Read and parse the file @p path. Returns NULL with @p err filled (naming the file and line) when the file
 *  cannot be read or is not well-formed CSV: no header, a duplicate or empty header name, an unterminated quote, a
 *  quote inside an unquoted field, text after a closing quote, a record with the wrong number of fields, a NUL
 *  byte. */
csv_t csv_read_file(const char* path, vn_error_t* err);

/** @brief Parse @p text (NUL-terminated) as if it were the content of a file called @p name (used in messages).
 *  Same rules and errors as csv_read_file(). */
csv_t csv_read_string(const char* text, const char* name, vn_error_t* err);

/** @brief Free @p csv; NULL is a no-op. */
void csv_free(csv_t csv);

/** @brief The file name given when reading (for messages). */
const char* csv_name(const_csv_t csv);

/** @brief Number of columns (header fields). */
size_t csv_column_count(const_csv_t csv);

/** @brief Name of column @p col (0-based; must be < csv_column_count()). */
const char* csv_column_name(const_csv_t csv, size_t col);

/** @brief Index of the column called exactly @p name, or -1 when the header has no such column. */
long csv_column_index(const_csv_t csv, const char* name);

/** @brief Number of records, the header excluded. */
size_t csv_row_count(const_csv_t csv);

/** @brief Decoded text of the cell at record @p row, column @p col (both 0-based, in range); "" when empty. The
 *  string lives as long as @p csv. */
const char* csv_cell(const_csv_t csv, size_t row, size_t col);

/** @brief Line of the file (1-based; the header is line 1) on which record @p row starts. */
int csv_row_line(const_csv_t csv, size_t row);

/** @brief Parse @p text as a number in full (leading and trailing blanks allowed). Returns 1 and sets @p out for a
 *  number, 0 for an empty or blank cell, -1 for anything else ("12ns", "abc", "1,5"). */
int csv_parse_double(const char* text, double* out);

/* ---- results.csv: the contract of `vnicsim run` --------------------------------------------------------------- */

/** A results.csv as written by `vnicsim run`: `point,replication,seed`, then one column per sweep dimension, then
 *  the fixed columns from `mode` on (see docs/analysis.md). Loading checks what both analysis commands rely on:
 *  the `seed` and `mode` columns delimit the sweep columns; `replication`, `mode` and `status` exist; `status` is
 *  `ok` or `failed`; in ok rows `replication` is a non-negative integer and every known numeric column holds a
 *  number or nothing. Rows are addressed through the ok rows only (failed rows are counted, not kept). */
typedef struct s_results_csv s_results_csv_t;
typedef s_results_csv_t* results_csv_t;
typedef const s_results_csv_t* const_results_csv_t;

/** @brief Load and check the results file @p path. Returns NULL with @p err filled on bad input. */
results_csv_t results_csv_load(const char* path, vn_error_t* err);

/** @brief Check an already parsed table and take ownership of it (freed with the view, also on failure). */
results_csv_t results_csv_from_csv(csv_t csv, vn_error_t* err);

/** @brief Free @p rs and its table; NULL is a no-op. */
void results_csv_free(results_csv_t rs);

/** @brief The underlying table (for column names and the file name). */
const_csv_t results_csv_table(const_results_csv_t rs);

/** @brief Check that every name of the NULL-terminated list @p names is a column of the header; otherwise fill
 *  @p err naming the first missing one and @p purpose (e.g. "needed by vnicsim plot") and return -1. */
int results_csv_require(const_results_csv_t rs, const char* const* names, const char* purpose, vn_error_t* err);

/** @brief Number of rows whose status is `failed` (they are skipped by every accessor below). */
size_t results_csv_failed_count(const_results_csv_t rs);

/** @brief Number of rows whose status is `ok`. Accessors below take an index 0 .. this-1. */
size_t results_csv_ok_count(const_results_csv_t rs);

/** @brief Line of the file on which ok row @p i starts (for messages). */
int results_csv_ok_line(const_results_csv_t rs, size_t i);

/** @brief Text of column @p col in ok row @p i. */
const char* results_csv_text(const_results_csv_t rs, size_t i, size_t col);

/** @brief Numeric value of column @p col in ok row @p i: NaN when the cell is empty or the column is not numeric
 *  (see results_csv_column_is_numeric()). */
double results_csv_value(const_results_csv_t rs, size_t i, size_t col);

/** @brief Whether column @p col holds numbers: a known numeric fixed column (checked on load), or a sweep column
 *  whose every ok cell is a number. */
int results_csv_column_is_numeric(const_results_csv_t rs, size_t col);

/** @brief Replication number of ok row @p i. */
long results_csv_replication(const_results_csv_t rs, size_t i);

/** @brief Access mode name (the `mode` column) of ok row @p i. */
const char* results_csv_mode(const_results_csv_t rs, size_t i);

/** @brief Index of the `mode` column. */
size_t results_csv_mode_column(const_results_csv_t rs);

/** @brief Number of sweep dimensions (the columns between `seed` and `mode`). */
size_t results_csv_sweep_count(const_results_csv_t rs);

/** @brief Column index of sweep dimension @p d. */
size_t results_csv_sweep_column(const_results_csv_t rs, size_t d);

/** @brief Whether sweep dimension @p d takes more than one value over the ok rows. */
int results_csv_sweep_varies(const_results_csv_t rs, size_t d);

/** @brief Whether sweep dimension @p d defines the access mode: its values are text, each value occurs with one
 *  mode only, and at least two modes occur (`access.mode`, or a sweep of labelled cases such as `speculative`,
 *  `lock-always`, `lock-on-empty`). */
int results_csv_sweep_is_mode(const_results_csv_t rs, size_t d);

/** @brief Whether the `mode` column takes more than one value over the ok rows. */
int results_csv_mode_varies(const_results_csv_t rs);

#endif
