/* plot_view: the ok rows of a results table grouped for the figures of one x axis: series, x points, replications,
 * their means and intervals, and the aggregated data file (by_<x>.csv) `vnicsim plot` writes beside its figures. */
#ifndef VNICSIM_PLOT_VIEW_H
#define VNICSIM_PLOT_VIEW_H

#include <stddef.h>

#include "analysis/results_csv.h"
#include "base/error.h"

/** The ok rows of a results table grouped for one figure: one series per combination of the values of the sweep
 *  columns other than the x column, one point per distinct x within a series, each point holding its
 *  replications. */
typedef struct s_plot_view s_plot_view_t;
typedef s_plot_view_t* plot_view_t;
typedef const s_plot_view_t* const_plot_view_t;

/** @brief Group the ok rows of @p rs with x = the value of column @p x_column, times the value of column
 *  @p x_factor_column when that is not NULL (offered load per NIC = `workload.rate` x `consumers_per_host`).
 *
 *  The series are formed by the sweep columns that vary, except the x column and, when x is not itself a sweep
 *  column (`consumers_per_host`), every sweep column that x and the other series columns already determine (so
 *  sweeping `consumers.cores-per-host` gives one line per mode, not one point per line). When no series column
 *  defines the access mode, the `mode` column is added (if it varies, or if nothing else forms a series). Series
 *  keep the order of their first row; points are sorted by x. Returns NULL with @p err filled when a needed cell
 *  is not a number. */
plot_view_t plot_view_create(const_results_csv_t rs, const char* x_column, const char* x_factor_column,
                             vn_error_t* err);

/** @brief Free @p v; NULL is a no-op. */
void plot_view_free(plot_view_t v);

/** @brief The results table @p v groups. */
const_results_csv_t plot_view_results(const_plot_view_t v);

/** @brief Number of series. */
size_t plot_view_series_count(const_plot_view_t v);

/** @brief Legend label of series @p s: the values of its columns joined by ", "; a value is prefixed by its short
 *  column name ("service-time=20 ns") unless it names a mode or it is the only column forming the series. */
const char* plot_view_series_label(const_plot_view_t v, size_t s);

/** @brief Title for the legend: the column title when exactly one non-mode column forms the series, else "". */
const char* plot_view_key_title(const_plot_view_t v);

/** @brief Number of columns forming the series. */
size_t plot_view_series_column_count(const_plot_view_t v);

/** @brief Column index (in the results table) of the @p k-th column forming the series. */
size_t plot_view_series_column(const_plot_view_t v, size_t k);

/** @brief Whether the @p k-th column forming the series defines the access mode (the `mode` column, or a sweep column
 *  results_csv_sweep_is_mode() accepts). */
int plot_view_series_column_is_mode(const_plot_view_t v, size_t k);

/** @brief The raw text of the @p k-th series column in series @p s ("2e-07", "lock-always"). */
const char* plot_view_series_value(const_plot_view_t v, size_t s, size_t k);

/** @brief Number of x points of series @p s. */
size_t plot_view_point_count(const_plot_view_t v, size_t s);

/** @brief The x value of point @p p of series @p s (ascending in @p p). */
double plot_view_x(const_plot_view_t v, size_t s, size_t p);

/** @brief Number of ok rows (replications) aggregated in point @p p of series @p s. */
size_t plot_view_rows(const_plot_view_t v, size_t s, size_t p);

/** @brief The ok row (an index of the results table's ok rows) of the @p k-th replication (0 .. rows - 1, by
 *  replication) aggregated in point @p p of series @p s. */
size_t plot_view_point_row(const_plot_view_t v, size_t s, size_t p, size_t k);

/** @brief Mean and 95% CI half-width (see replstats_mean_ci95()) of column @p col over the rows of point @p p of series
 *  @p s. Returns the number of rows with a value. */
size_t plot_view_stat(const_plot_view_t v, size_t s, size_t p, size_t col, double* mean, double* ci95);

/** @brief Smallest and largest number of rows in any point (both 0 for an empty view). */
void plot_view_rows_range(const_plot_view_t v, size_t* min, size_t* max);

/** @brief Write the aggregated data as CSV to @p path (through a temporary file renamed at the end): columns
 *  `series_id,series`, the raw value of each series column, @p x_name, `n`, then `<metric>_mean,<metric>_ci95` for
 *  every numeric fixed column of the results (empty cells for no value, and for the CI when n < 2). One line per
 *  point, series by series, x ascending. Returns 0, or -1 with @p err filled. */
int plot_view_write_csv(const_plot_view_t v, const char* x_name, const char* path, vn_error_t* err);

#endif
