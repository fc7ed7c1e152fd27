/* results_csv: a checked view of a run's results.csv, on top of the CSV reader. */
#ifndef VNICSIM_RESULTS_CSV_H
#define VNICSIM_RESULTS_CSV_H

#include <stddef.h>

#include "base/csv.h"
#include "base/error.h"

/** A results.csv as written by `vnicsim run`: `point,replication,seed`, then one column per sweep dimension, then
 *  the fixed columns from `mode` on (see docs/analysis.md). Loading checks what both analysis commands rely on:
 *  the `seed` and `mode` columns delimit the sweep columns; `replication`, `mode` and `status` exist; `status` is
 *  `ok` or `failed`; in ok rows `replication` is a non-negative integer and every numeric fixed column (the run
 *  layer's list, results_column()) holds a number or nothing. Rows are addressed through the ok rows only (failed rows
 * are counted, not kept). */
typedef struct s_results_csv s_results_csv_t;
typedef s_results_csv_t* results_csv_t;
typedef const s_results_csv_t* const_results_csv_t;

/** @brief Load and check the results file @p path. Returns NULL with @p err filled on bad input. */
results_csv_t results_csv_load(const char* path, vn_error_t* err);

/** @brief Load and check DIR/results.csv of the run directory @p dir (the file name in messages, and csv_name() of
 *  the table, is "DIR/results.csv"). Returns NULL with @p err filled when @p dir is not a directory or on bad
 *  input. */
results_csv_t results_csv_load_dir(const char* dir, vn_error_t* err);

/** @brief Check an already parsed table and take ownership of it (freed with the view, also on failure). */
results_csv_t results_csv_create(csv_t csv, vn_error_t* err);

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
