/* results: the text of vnicsim's output tables (results.csv, hosts.csv, checks.csv, per-WR traces). */
#ifndef VNICSIM_RESULTS_H
#define VNICSIM_RESULTS_H

#include <stdio.h>

#include "model/sim.h"

/** A fixed column of results.csv: every column but the sweep columns, which sit between `seed` and `mode`. The one
 *  list of them: the metric cells below are written from it, and the analysis side reads results.csv with it. */
typedef struct results_column {
  const char* name;    /* header name */
  int numeric;         /* 1: a number in an ok row (an empty cell is a metric without a sample); 0: text */
  const char* meaning; /* one line */
} results_column_t;

/** @brief Number of fixed columns of results.csv. */
size_t results_column_count(void);

/** @brief Fixed column @p k (0 .. results_column_count()-1), in file order: point, replication and seed (the sweep
 *  columns come next), then mode, hosts, consumers_per_host, consumers, the metrics (wr_created .. sim_time_s),
 *  status and reason. */
const results_column_t* results_column(size_t k);

/** @brief The fixed column named @p name, or NULL when there is none (a sweep column, or a foreign name). */
const results_column_t* results_column_find(const char* name);

/** @brief Write the metric column names (comma-separated, no newline): wr_created ... sim_time_s. */
void results_metric_header(FILE* out);

/** @brief Number of metric columns. */
size_t results_metric_count(void);

/** @brief Write the metric cells of @p o in header order (no newline). Numbers are written with 9 significant
 *  digits, integers exactly; a metric without any sample (NaN) is an empty cell. */
void results_metric_cells(FILE* out, const sim_output_t* o);

/** @brief Column names of hosts.csv after the point columns (no newline). */
void results_host_header(FILE* out);

/** @brief The cells of host @p h of @p o (no newline). */
void results_host_cells(FILE* out, const sim_output_t* o, int h);

/** @brief Column names of checks.csv after the point columns (no newline). */
void results_check_header(FILE* out);

/** @brief The invariant counts of @p o (no newline). */
void results_check_cells(FILE* out, const sim_output_t* o);

/** @brief Write the header of the per-WR trace (one row per WR, its times and counters). */
void results_trace_header(FILE* out);

/** @brief Write one WR's row of the per-WR trace (times with 12 significant digits, empty when not reached). */
void results_trace_row(FILE* out, const wr_t* w);

#endif
