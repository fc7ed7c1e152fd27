/* compare: `vnicsim compare DIR` prints how speculative enqueue fares against each baseline of a run: the table of
 * paired ratios with their intervals (aligned text or CSV) and a one-paragraph summary. */
#ifndef VNICSIM_COMPARE_H
#define VNICSIM_COMPARE_H

#include <stdio.h>

#include "analysis/comparison.h"

/** @brief Print the aligned table: a header block of '#' lines describing the columns, then one line per
 *  comparison (combination values with their units, variants, pairs, each ratio as "mean ± CI", "inf" or "n/a"). */
void compare_print_table(const_comparison_t c, FILE* out);

/** @brief Print the same table as RFC 4180 CSV: raw combination values, then
 *  `speculative,baseline,baseline_mode,pairs` and `<metric>_ratio_mean,<metric>_ratio_ci95` (inf for an infinite
 *  ratio, an empty cell for n/a or a missing interval). */
void compare_print_csv(const_comparison_t c, FILE* out);

/** Saturation thresholds of compare_print_saturation(), on the means over the replications. */
#define COMPARE_SATURATED_UTILIZATION 0.95 /* NIC engine busy: throughput capped by its service time */
#define COMPARE_SATURATED_REJECT 0.5       /* more writes rejected than accepted */
#define COMPARE_SATURATED_REPLAYS 1.0      /* more than two writes per delivered WR */

/** @brief Print, per speculative variant and baseline, the points where speculative loses on any metric (throughput
 *  ratio below 1, p99 end-to-end, p99 issue or CPU-per-WR ratio above 1, beyond the 95% CI or by more than 10% with
 *  a single pair; a latency or CPU ratio over a zero baseline), with the ratio and both means; "nowhere" when it
 *  does not. */
void compare_print_losses(const_comparison_t c, FILE* out);

/** @brief Print the points (every variant, baselines included, in every combination) whose means pass a saturation
 *  threshold, each flag in words: a replay storm (writes per delivered WR, with the cure to try), a queue overrun
 *  (the share of writes rejected), a saturated NIC (its utilisation); one line saying there is none otherwise. */
void compare_print_saturation(const_comparison_t c, FILE* out);

/** @brief Print a one-paragraph plain-language summary: per speculative variant and baseline, where the throughput
 *  ratio is largest when it exceeds 1 beyond its interval (with the latency and CPU ratios there), where it falls
 *  below 1, and the range of the other ratios over the sweep. */
void compare_print_summary(const_comparison_t c, FILE* out);

/** @brief `vnicsim compare DIR [--csv]` (@p as_csv): reads DIR/results.csv and prints the table and the summary
 *  (or, with --csv, the table as CSV) on stdout; failed rows are counted on stderr. Returns the exit status: 0, or
 *  VN_EXIT_INPUT for bad input (missing directory or file, malformed CSV, missing column, no speculative row, no
 *  baseline, rows that cannot be paired). The text output is the table, the losses (compare_print_losses()), the
 *  saturated points (compare_print_saturation()) and the summary, separated by blank lines. */
int compare_command(const char* dir, int as_csv);

#endif
