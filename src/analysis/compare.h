/* compare: `vnicsim compare DIR` sets speculative enqueue against each baseline, as paired per-replication ratios. */
#ifndef VNICSIM_COMPARE_H
#define VNICSIM_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/replstats.h"
#include "analysis/results_csv.h"
#include "base/csv.h"
#include "base/error.h"

/** Number of metrics compared: throughput, p99 end-to-end latency, p99 issue latency, CPU time per WR. */
#define COMPARE_METRICS 4

/** @brief The results column compared as metric @p k (0 .. COMPARE_METRICS-1), e.g. "throughput_wr_s". */
const char* compare_metric_column(size_t k);

/** @brief A short name of metric @p k for table headers, e.g. "throughput", "p99 e2e". */
const char* compare_metric_title(size_t k);

/** The comparisons of one results table: for every combination of the sweep values other than the mode-defining
 *  columns, every speculative variant against every baseline variant (another mode, or another labelled case). */
typedef struct s_compare s_compare_t;
typedef s_compare_t* compare_t;
typedef const s_compare_t* const_compare_t;

/** @brief Build the comparisons of @p rs (which must outlive the result). The variants are the values of the sweep
 *  columns that define the mode (results_csv_sweep_is_mode()), or of the `mode` column when none does; a variant is
 *  speculative when its mode is `speculative`. Rows are paired by replication (same seed). Returns NULL with @p err
 *  filled when there is no speculative row, no baseline row, or a needed metric column is missing. */
compare_t compare_make(const_results_csv_t rs, vn_error_t* err);

/** @brief Free @p c; NULL is a no-op. */
void compare_free(compare_t c);

/** @brief Number of comparison lines (combinations x speculative variants x baselines). */
size_t compare_count(const_compare_t c);

/** @brief Label of the combination of line @p i ("cores-per-host=32"; "all" when no other sweep column varies). */
const char* compare_combination(const_compare_t c, size_t i);

/** @brief The speculative variant of line @p i ("speculative"). */
const char* compare_speculative(const_compare_t c, size_t i);

/** @brief The baseline variant of line @p i ("lock-always"). */
const char* compare_baseline(const_compare_t c, size_t i);

/** @brief Number of replication pairs (rows of both variants with the same replication) of line @p i. */
size_t compare_pairs(const_compare_t c, size_t i);

/** @brief Ratio of metric @p k on line @p i. */
replstats_ratio_t compare_get(const_compare_t c, size_t i, size_t k);

/** @brief Print the aligned table: a header block of '#' lines describing the columns, then one line per
 *  comparison. */
void compare_print_table(const_compare_t c, FILE* out);

/** @brief Print the same table as RFC 4180 CSV (inf for an infinite ratio, an empty cell for n/a). */
void compare_print_csv(const_compare_t c, FILE* out);

/** @brief Print a one-paragraph plain-language summary: per baseline, the largest and smallest throughput ratio
 *  and where they occur, with the latency and CPU ratios there. */
void compare_print_summary(const_compare_t c, FILE* out);

/** @brief `vnicsim compare DIR [--csv]` (@p as_csv): reads DIR/results.csv and prints the table and
 *  the summary (or, with --csv, the table as CSV) on stdout. Returns the exit status: 0, or VN_EXIT_INPUT for bad
 *  input (missing directory or file, malformed CSV, missing column, no speculative row, no baseline). */
int compare_command(const char* dir, int as_csv);

#endif
