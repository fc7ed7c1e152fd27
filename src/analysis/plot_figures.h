/* plot_figures: what the figure files of `vnicsim plot` share (plot.c draws the metric figures and calls the
 * others): the job, the x axis a view was grouped on, and the figures drawn from more than results.csv means, each
 * in its own file: the end-to-end breakdown (plot_breakdown.c), the per-host view (plot_hosts.c) and the latency
 * distribution from the traces (plot_cdf.c). Internal to src/analysis. */
#ifndef VNICSIM_PLOT_FIGURES_H
#define VNICSIM_PLOT_FIGURES_H

#include <stddef.h>

#include "analysis/gnuplot.h"
#include "analysis/plot_view.h"
#include "analysis/results_csv.h"
#include "base/error.h"

/** What the figures of one `vnicsim plot` share. */
typedef struct plot_job {
  const_results_csv_t rs;
  const char* dir;    /* the run directory */
  const char* outdir; /* where figures and data go */
  const char* format; /* "png" or "svg" */
  char name[256];     /* the scenario's name (manifest.json), else the run directory's, for titles */
  const_gnuplot_t metric_gp;
  const_gnuplot_t breakdown_gp;
  const_gnuplot_t hosts_gp;
  const_gnuplot_t cdf_gp;
} plot_job_t;

/** The x axis a view was grouped on, as the figures show it. */
typedef struct plot_axis {
  const char* column;    /* x column of the results */
  const char* data_name; /* x column of the data file */
  const char* label;     /* axis title with unit, "consumers per host" */
  double scale;          /* SI value to displayed value */
  const char* datafile;  /* the view's by_<x>.csv */
  const_plot_view_t view;
} plot_axis_t;

/** Result of drawing one figure: drawn (its path is printed on stdout), not drawn with a reason already given, or an
 *  error (in the error record). */
typedef enum { PLOT_DRAWN = 1, PLOT_SKIPPED = 0, PLOT_ERROR = -1 } plot_result_t;

/** @brief "NAME.FORMAT" in the output directory, into @p out. */
void plot_output_path(const plot_job_t* job, const char* name, char* out, size_t len);

/** @brief The distinct x values of @p ax in display units, ascending; their number in @p *count. Caller frees; NULL
 *  when out of memory. */
double* plot_distinct_xs(const plot_axis_t* ax, size_t* count);

/** @brief The x title without its unit ("consumers per host"), into @p buf. */
void plot_axis_title(const plot_axis_t* ax, char* buf, size_t len);

/** @brief The subtitle saying how many replications each point of @p v averages, into @p buf. */
void plot_replications_note(const_plot_view_t v, char* buf, size_t len);

/** @brief Append to @p b the variables every script takes: analysisdir, fmt, ptitle, psub, width, height. */
void plot_common_vars(const plot_job_t* job, const_gnuplot_t gp, gnuplot_vars_t b, const char* title, const char* sub,
                      int width, int height);

/** @brief Append to @p b the note lines under a figure's title: @p note cut into lines of at most @p width
 *  characters (after a "; " where possible), as the array NL (one empty line when @p note is ""). */
void plot_note_lines(gnuplot_vars_t b, const char* note, size_t width);

/** @brief `e2e_breakdown.FORMAT`: per configuration, stacked bars of the mean end-to-end latency's parts (access,
 *  NIC queue and service, network, delivery) against x. */
plot_result_t plot_breakdown(const plot_job_t* job, const plot_axis_t* ax, vn_error_t* err);

/** @brief `hosts.FORMAT`: from DIR/hosts.csv, WRs received and p99 end-to-end latency of the WRs received, per host
 *  and configuration, at the largest x (heat maps, so that a hotspot stands out as a column). */
plot_result_t plot_hosts(const plot_job_t* job, const plot_axis_t* ax, vn_error_t* err);

/** @brief `e2e_latency_cdf.FORMAT`: from DIR/trace/, the distribution of the end-to-end latency of the measured WRs
 *  per configuration, at the smallest and the largest x (log x). */
plot_result_t plot_cdf(const plot_job_t* job, const plot_axis_t* ax, vn_error_t* err);

#endif
