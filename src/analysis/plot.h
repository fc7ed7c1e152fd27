/* plot: `vnicsim plot DIR` aggregates results.csv over replications and draws the figures with gnuplot. */
#ifndef VNICSIM_PLOT_H
#define VNICSIM_PLOT_H

#include "analysis/results_csv.h"

/** @brief The x column of the main figures: `consumers_per_host` when it varies over the ok rows, otherwise the
 *  first numeric sweep column that varies; NULL when there is none. */
const char* plot_main_x(const_results_csv_t rs);

/** @brief `vnicsim plot DIR [-o OUTDIR] [--format png|svg]`: @p outopt may be NULL (DIR/plots); @p format is "png" or
 *  "svg".
 *
 *  Reads DIR/results.csv (ok rows; failed rows are counted on stderr), aggregates each figure's data per series and
 *  x (mean and 95% CI over replications), writes the aggregated CSV files and runs gnuplot on the scripts of the
 *  analysis directory (env VNICSIM_ANALYSIS_DIR, else the source tree's analysis/) to draw, in OUTDIR (default
 *  DIR/plots): throughput.png, issue_latency_p99.png, e2e_latency_p99.png, cpu_per_wr.png, reject_rate.png,
 *  replays_per_wr.png and e2e_latency_vs_load.png, each only when its data exist. The figures written are listed on
 *  stdout, one path per line. gnuplot is looked up on PATH, or taken from env VNICSIM_GNUPLOT. Every file is written
 *  under a temporary name and renamed when complete.
 *
 *  Returns the exit status: 0, VN_EXIT_INPUT for bad input (missing directory or file, malformed CSV, missing
 *  column, non-numeric cell, gnuplot not found), VN_EXIT_INTERNAL when gnuplot fails or a file cannot be
 *  written. */
int plot_command(const char* dir, const char* outopt, const char* format);

#endif
