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
 *  DIR/plots): throughput, issue_latency_p99, e2e_latency_p99, cpu_per_wr, reject_rate, replays_per_wr and
 *  e2e_latency_vs_load (panels per facet, coinciding lines dashed and shifted, series that are 0 everywhere named
 *  instead of drawn: plot_layout.h); e2e_breakdown (the mean end-to-end latency by part, a panel per configuration);
 *  hosts (from DIR/hosts.csv, with by_host.csv); e2e_latency_cdf (from DIR/trace/, with e2e_latency_cdf.csv); each
 *  only when its data exist (a note on stderr otherwise). Titles carry the scenario's name from DIR/manifest.json
 *  (else the directory's). The figures written are listed on stdout, one path per line; a figure whose every value
 *  is 0 is replaced there by one line saying so. gnuplot is looked up on PATH, or taken from env VNICSIM_GNUPLOT.
 *  Every file is written under a temporary name and renamed when complete.
 *
 *  Returns the exit status: 0, VN_EXIT_INPUT for bad input (missing directory or file, malformed CSV, missing
 *  column, non-numeric cell, gnuplot or a script not found), VN_EXIT_INTERNAL when gnuplot fails or a file cannot be
 *  written. */
int plot_command(const char* dir, const char* outopt, const char* format);

#endif
