/* csv: an RFC 4180 CSV reader and field writer. */
#ifndef VNICSIM_CSV_H
#define VNICSIM_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "base/error.h"

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

#endif
