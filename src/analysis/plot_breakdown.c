/* plot_breakdown: the mean end-to-end latency of every configuration split into its parts (results columns
 * e2e_access_s, e2e_nic_queue_s, e2e_network_s, e2e_delivery_s, which add up to e2e_latency_mean_s), as stacked bars
 * against x, one panel per configuration, each on its own scale (the parts' shares are what a panel shows; the
 * totals are printed over the bars). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/labels.h"
#include "analysis/plot_figures.h"

/* Most panels (configurations) in one figure; beyond, the figure would be unreadable. */
#define MAX_PANELS 12
/* Most x categories with their totals printed over the bars. */
#define MAX_VALUE_LABELS 12

static const struct {
  const char* column;
  const char* label;
  const char* colour;
} parts[] = {
    {"e2e_access_s", "access: creation to NIC acceptance", "#0072B2"},
    {"e2e_nic_queue_s", "NIC queue and service", "#E69F00"},
    {"e2e_network_s", "network transfer", "#009E73"},
    {"e2e_delivery_s", "delivery: DMA into memory", "#CC79A7"},
};
#define NPARTS (sizeof parts / sizeof parts[0])

/* Per part: whether it has a non-zero value somewhere, and whether it has a value at all. */
static void part_presence(const_plot_view_t v, const size_t* cols, int* nonzero, int* any)
{
  for (size_t k = 0; k < NPARTS; k++) {
    nonzero[k] = 0;
    any[k]     = 0;
    for (size_t s = 0; s < plot_view_series_count(v); s++)
      for (size_t p = 0; p < plot_view_point_count(v, s); p++) {
        double mean;
        double ci;
        if (plot_view_stat(v, s, p, cols[k], &mean, &ci) == 0 || !isfinite(mean))
          continue;
        any[k] = 1;
        nonzero[k] |= mean != 0;
      }
  }
}

/* The largest stacked total of series @p s. */
static double series_max_total(const_plot_view_t v, size_t s, const size_t* cols)
{
  double max = 0;
  for (size_t p = 0; p < plot_view_point_count(v, s); p++) {
    double total = 0;
    for (size_t k = 0; k < NPARTS; k++) {
      double mean;
      double ci;
      if (plot_view_stat(v, s, p, cols[k], &mean, &ci) > 0 && isfinite(mean))
        total += mean;
    }
    max = fmax(max, total);
  }
  return max;
}

plot_result_t plot_breakdown(const plot_job_t* job, const plot_axis_t* ax, vn_error_t* err)
{
  const_plot_view_t v = ax->view;
  const_csv_t csv     = results_csv_table(job->rs);
  char out[4300];
  plot_output_path(job, "e2e_breakdown", out, sizeof out);
  size_t cols[NPARTS];
  for (size_t k = 0; k < NPARTS; k++) {
    long c = csv_column_index(csv, parts[k].column);
    if (c < 0) {
      fprintf(stderr, "vnicsim plot: %s not drawn: %s has no column %s\n", out, csv_name(csv), parts[k].column);
      return PLOT_SKIPPED;
    }
    cols[k] = (size_t)c;
  }
  size_t n = plot_view_series_count(v);
  if (n > MAX_PANELS) {
    fprintf(stderr, "vnicsim plot: %s not drawn: %zu configurations, more than the %d panels a figure holds\n", out, n,
            MAX_PANELS);
    return PLOT_SKIPPED;
  }
  int nonzero[NPARTS];
  int any[NPARTS];
  part_presence(v, cols, nonzero, any);
  size_t shown = 0;
  int have_any = 0;
  for (size_t k = 0; k < NPARTS; k++) {
    shown += (size_t)nonzero[k];
    have_any |= any[k];
  }
  if (!have_any) {
    fprintf(stderr, "vnicsim plot: %s not drawn: no value of the end-to-end parts in %s\n", out, csv_name(csv));
    return PLOT_SKIPPED;
  }
  if (shown == 0) {
    printf("%s not drawn: every part of the end-to-end latency is 0 (no WR took any time to deliver)\n", out);
    return PLOT_SKIPPED;
  }

  size_t nx;
  double* xs = plot_distinct_xs(ax, &nx);
  if (xs == NULL) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
    return PLOT_ERROR;
  }
  char xtitle[256];
  plot_axis_title(ax, xtitle, sizeof xtitle);
  char title[1024];
  snprintf(title, sizeof title, "%s: mean end-to-end latency by part vs %s", job->name, xtitle);
  size_t rmin;
  size_t rmax;
  plot_view_rows_range(v, &rmin, &rmax);
  char sub[256];
  if (rmax <= 1)
    snprintf(sub, sizeof sub, "one replication per point; each panel on its own scale, totals over the bars");
  else if (rmin == rmax)
    snprintf(sub, sizeof sub, "mean of %zu replications; each panel on its own scale, totals over the bars", rmax);
  else
    snprintf(sub, sizeof sub, "mean of %zu to %zu replications; each panel on its own scale, totals over the bars",
             rmin, rmax);
  char note[512] = "";
  size_t nn      = 0;
  for (size_t k = 0; k < NPARTS; k++)
    if (!nonzero[k])
      nn += (size_t)snprintf(note + nn, sizeof note - nn, "%s%s", nn ? ", " : "", parts[k].label);
  if (nn > 0)
    snprintf(note + nn, sizeof note - nn, ": 0 everywhere (not drawn)%s",
             !nonzero[2] ? " - no WR crosses the network" : "");

  size_t ncols     = n < 3 ? n : 3;
  size_t nrows     = (n + ncols - 1) / ncols;
  int width        = (int)(ncols == 1 ? 900 : 560 * ncols);
  int height       = (int)(150 + 330 * nrows);
  gnuplot_vars_t b = gnuplot_vars_create();
  plot_common_vars(job, job->breakdown_gp, b, title, sub, width, height);
  plot_note_lines(b, note, (size_t)width / 11);
  gnuplot_vars_string(b, "datafile", ax->datafile);
  gnuplot_vars_string(b, "xlabel", ax->label);
  gnuplot_vars_string(b, "xcol", ax->data_name);
  gnuplot_vars_printf(b, "xscale=%.17g; panelcols=%zu; panelrows=%zu; valuelabels=%d; ", ax->scale, ncols, nrows,
                      nx <= MAX_VALUE_LABELS);
  gnuplot_vars_printf(b, "nx=%zu; array XV[%zu]=[", nx, nx ? nx : 1);
  for (size_t i = 0; i < nx; i++)
    gnuplot_vars_printf(b, "%s%.17g", i ? "," : "", xs[i]);
  gnuplot_vars_printf(b, "]; array XL[%zu]=[", nx ? nx : 1);
  for (size_t i = 0; i < nx; i++)
    gnuplot_vars_printf(b, "%s'%.4g'", i ? "," : "", xs[i]);
  free(xs);
  gnuplot_vars_printf(b, "]; nparts=%zu; array C[%zu]=[", shown, shown);
  for (size_t k = 0, j = 0; k < NPARTS; k++)
    if (nonzero[k])
      gnuplot_vars_printf(b, "%s'%s_mean'", j++ ? "," : "", parts[k].column);
  gnuplot_vars_printf(b, "]; array CL[%zu]=[", shown);
  for (size_t k = 0, j = 0; k < NPARTS; k++)
    if (nonzero[k]) {
      gnuplot_vars_printf(b, "%s", j++ ? "," : "");
      gnuplot_vars_quoted(b, parts[k].label);
    }
  gnuplot_vars_printf(b, "]; array CC[%zu]=[", shown);
  for (size_t k = 0, j = 0; k < NPARTS; k++)
    if (nonzero[k])
      gnuplot_vars_printf(b, "%s'%s'", j++ ? "," : "", parts[k].colour);
  gnuplot_vars_printf(b, "]; nseries=%zu; array S[%zu]=[", n, n);
  for (size_t s = 0; s < n; s++) {
    gnuplot_vars_printf(b, "%s", s ? "," : "");
    gnuplot_vars_quoted(b, plot_view_series_label(v, s));
  }
  /* Each panel in the time unit that suits its largest total. */
  gnuplot_vars_printf(b, "]; array YS[%zu]=[", n);
  for (size_t s = 0; s < n; s++) {
    double scale;
    labels_unit(LABELS_TIME, series_max_total(v, s, cols), &scale);
    gnuplot_vars_printf(b, "%s%.17g", s ? "," : "", scale);
  }
  gnuplot_vars_printf(b, "]; array YU[%zu]=[", n);
  for (size_t s = 0; s < n; s++) {
    double scale;
    gnuplot_vars_printf(b, "%s", s ? "," : "");
    gnuplot_vars_quoted(b, labels_unit(LABELS_TIME, series_max_total(v, s, cols), &scale));
  }
  gnuplot_vars_printf(b, "]; ");
  int rc = gnuplot_draw(job->breakdown_gp, b, out, err);
  gnuplot_vars_free(b);
  return rc == 0 ? PLOT_DRAWN : PLOT_ERROR;
}
