/* comparison: speculative enqueue against each baseline of a run, in every combination of the other sweep values,
 * as per-replication ratios paired by seed (what `vnicsim compare` prints). */
#ifndef VNICSIM_COMPARISON_H
#define VNICSIM_COMPARISON_H

#include <stddef.h>

#include "analysis/replstats.h"
#include "analysis/results_csv.h"
#include "base/error.h"

/** Number of metrics compared: throughput, p99 end-to-end latency, p99 issue latency, CPU time per WR. */
#define COMPARISON_METRICS 4

/** A metric compared, and how its ratio is named and read. */
typedef struct comparison_metric {
  const char* column;   /* the results column, "throughput_wr_s" */
  const char* title;    /* short, for a table header: "throughput", "p99 e2e" */
  const char* csv_name; /* stem of its CSV columns: "throughput" gives throughput_ratio_mean */
  const char* prose;    /* in a sentence: "p99 end-to-end latency" */
  const char* reading;  /* how to read the ratio: "> 1: speculative delivers more WRs per second" */
} comparison_metric_t;

/** @brief Metric @p k (0 .. COMPARISON_METRICS-1), in the order of the tables. */
const comparison_metric_t* comparison_metric(size_t k);

/** The comparisons of one results table: for every combination of the sweep values other than the mode-defining
 *  columns, every speculative variant against every baseline variant (another mode, or another labelled case). Each
 *  comparison is a line of the tables; lines run combination by combination, then speculative variant, then
 *  baseline, the variants in the order of their first row. */
typedef struct s_comparison s_comparison_t;
typedef s_comparison_t* comparison_t;
typedef const s_comparison_t* const_comparison_t;

/** @brief Build the comparisons of @p rs (which must outlive the result). The variants are the values of the sweep
 *  columns that define the mode (results_csv_sweep_is_mode()), or of the `mode` column when none does; a variant is
 *  speculative when its mode is `speculative`. Rows are paired by replication (same seed). Returns NULL with @p err
 *  filled when there is no ok row, no speculative row, no baseline row, a needed metric column is missing, or two
 *  rows of one variant and combination have the same replication. */
comparison_t comparison_create(const_results_csv_t rs, vn_error_t* err);

/** @brief Free @p c; NULL is a no-op. */
void comparison_free(comparison_t c);

/** @brief The results table compared. */
const_results_csv_t comparison_results(const_comparison_t c);

/** @brief Number of columns forming the combinations: the sweep columns that vary, except the mode-defining ones. */
size_t comparison_column_count(const_comparison_t c);

/** @brief Column index (in the results table) of the @p j-th column forming the combinations. */
size_t comparison_column(const_comparison_t c, size_t j);

/** @brief Number of combinations (1 when no column forms them). */
size_t comparison_combination_count(const_comparison_t c);

/** @brief Number of speculative variants. */
size_t comparison_speculative_count(const_comparison_t c);

/** @brief Number of comparison lines (combinations x speculative variants x baselines). */
size_t comparison_count(const_comparison_t c);

/** @brief Label of the combination of line @p i ("cores-per-host=32, service-time=20 ns"; "all" when no column
 *  forms the combinations). */
const char* comparison_combination(const_comparison_t c, size_t i);

/** @brief Where the combination of line @p i is, for a sentence: "at 32 consumers per host" when consumers_per_host
 *  varies and is one value in each combination, else "at service-time=20 ns"; "" when there is nothing to say. */
const char* comparison_where(const_comparison_t c, size_t i);

/** @brief The raw text of combination column @p j (see comparison_column()) on line @p i. */
const char* comparison_value(const_comparison_t c, size_t i, size_t j);

/** @brief The speculative variant of line @p i ("speculative"). */
const char* comparison_speculative(const_comparison_t c, size_t i);

/** @brief The baseline variant of line @p i ("lock-always"). */
const char* comparison_baseline(const_comparison_t c, size_t i);

/** @brief The access mode of the baseline of line @p i ("lock"). */
const char* comparison_baseline_mode(const_comparison_t c, size_t i);

/** @brief Number of replication pairs (rows of both variants with the same replication) of line @p i. */
size_t comparison_pairs(const_comparison_t c, size_t i);

/** @brief Ratio speculative / baseline of metric @p k on line @p i, over its replication pairs. */
replstats_ratio_t comparison_ratio(const_comparison_t c, size_t i, size_t k);

/** @brief Number of variants (speculative ones and baselines), in the order of their first row. */
size_t comparison_variant_count(const_comparison_t c);

/** @brief Label of variant @p v ("lock-always"). */
const char* comparison_variant(const_comparison_t c, size_t v);

/** @brief Whether variant @p v is speculative (its rows have mode `speculative`). */
int comparison_variant_is_speculative(const_comparison_t c, size_t v);

/** @brief The combination (0 .. comparison_combination_count() - 1) of line @p i. */
size_t comparison_line_combination(const_comparison_t c, size_t i);

/** @brief The variant of the speculative side (@p side 0) or of the baseline (@p side 1) of line @p i. */
size_t comparison_line_variant(const_comparison_t c, size_t i, int side);

/** @brief Where combination @p k is, for a sentence (see comparison_where()). */
const char* comparison_combination_where(const_comparison_t c, size_t k);

/** @brief Mean of results column @p col over the ok rows of variant @p v in combination @p k (every replication, not
 *  only the paired ones); NaN when none has a value. @p n (may be NULL) gets how many rows had one. */
double comparison_mean(const_comparison_t c, size_t k, size_t v, size_t col, size_t* n);

#endif
