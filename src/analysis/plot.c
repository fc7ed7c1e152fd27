/* plot: `vnicsim plot DIR` aggregates results.csv over replications and draws the figures with gnuplot. */
#include "analysis/plot.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/gnuplot.h"
#include "analysis/labels.h"
#include "analysis/manifest.h"
#include "analysis/plot_figures.h"
#include "analysis/plot_layout.h"
#include "analysis/plot_view.h"
#include "base/outfile.h"

/* ---- The figures ------------------------------------------------------------------------------------------------ */

typedef enum { AXIS_MAIN = 0, AXIS_DEPTH, AXIS_LOAD, AXIS_COUNT } axis_id_t;
typedef enum { Y_RATE, Y_TIME, Y_PERCENT, Y_PLAIN } ykind_t;

typedef struct {
  const char* name;    /* file name without extension */
  const char* title;   /* what the figure shows, for its title */
  const char* ylabel;  /* without unit */
  const char* metric;  /* results column drawn with solid lines */
  const char* metric2; /* NULL, or a second column drawn dashed */
  ykind_t ykind;
  axis_id_t axis;
  int logy_ok;         /* log scale allowed when the values span more than two decades */
  const char* if_zero; /* what an all-zero figure means, for the line that replaces it */
} figure_t;

static const figure_t figures[] = {
    {"throughput", "throughput", "throughput", "throughput_wr_s", NULL, Y_RATE, AXIS_MAIN, 0,
     "no WR was delivered in a steady window"},
    {"issue_latency_p99", "p99 issue latency", "p99 issue latency", "issue_latency_p99_s", NULL, Y_TIME, AXIS_MAIN, 1,
     "every WR was accepted the instant it was created"},
    {"e2e_latency_p99", "p99 end-to-end latency", "p99 end-to-end latency", "e2e_latency_p99_s", NULL, Y_TIME,
     AXIS_MAIN, 1, "every WR was delivered the instant it was created"},
    {"cpu_per_wr", "CPU time per WR", "consumer CPU time per WR", "cpu_per_wr_s", NULL, Y_TIME, AXIS_MAIN, 1,
     "the access path cost no CPU time"},
    {"reject_rate", "reject rate", "rejected NIC arrivals", "reject_rate", NULL, Y_PERCENT, AXIS_DEPTH, 0,
     "the NIC rejected no write"},
    {"replays_per_wr", "replays per WR", "replayed writes per delivered WR", "replays_per_wr", NULL, Y_PLAIN,
     AXIS_DEPTH, 0, "no WR was replayed"},
    {"e2e_latency_vs_load", "end-to-end latency", "end-to-end latency", "e2e_latency_p99_s", "e2e_latency_mean_s",
     Y_TIME, AXIS_LOAD, 1, "every WR was delivered the instant it was created"},
};

/* Columns `vnicsim plot` cannot do without. */
static const char* const plot_needs[] = {"consumers_per_host", "throughput_wr_s",   "issue_latency_p99_s",
                                         "e2e_latency_mean_s", "e2e_latency_p99_s", "cpu_per_wr_s",
                                         "reject_rate",        "replays_per_wr",    NULL};

/* ---- Axes ------------------------------------------------------------------------------------------------------- */

typedef struct {
  const char* column; /* x column, NULL when the axis does not apply */
  const char* factor; /* multiplies x, or NULL */
  const char* data_name;
  char label[256];
  double scale;              /* SI value to displayed value */
  char path[4096 + 256 + 2]; /* OUTDIR/by_<x>.csv */
  plot_view_t view;
  int same_as; /* index of an earlier axis with the same x, or -1 */
} axis_t;

static double view_max_x(const_plot_view_t v)
{
  double max = 0;
  for (size_t s = 0; s < plot_view_series_count(v); s++)
    for (size_t p = 0; p < plot_view_point_count(v, s); p++)
      max = fmax(max, fabs(plot_view_x(v, s, p)));
  return max;
}

static void axis_set_label(axis_t* ax)
{
  double max = view_max_x(ax->view);
  if (ax->factor != NULL) { /* offered load per NIC = rate per consumer x consumers per host */
    const char* unit = labels_unit(LABELS_WR_RATE, max, &ax->scale);
    snprintf(ax->label, sizeof ax->label, "offered load per NIC (%s)", unit);
    return;
  }
  ax->scale = labels_axis_title(ax->column, max, ax->label, sizeof ax->label);
}

static int dbl_cmp(const void* a, const void* b)
{
  double x = *(const double*)a;
  double y = *(const double*)b;
  return x < y ? -1 : x > y;
}

/* Coefficient of variation of the gaps between consecutive values (0 for evenly spaced ones); @p n >= 2. */
static double gap_cv(const double* v, size_t n)
{
  double mean = (v[n - 1] - v[0]) / (double)(n - 1);
  double ss   = 0;
  for (size_t i = 1; i < n; i++)
    ss += (v[i] - v[i - 1] - mean) * (v[i] - v[i - 1] - mean);
  return sqrt(ss / (double)(n - 1)) / mean;
}

double* plot_distinct_xs(const plot_axis_t* ax, size_t* count)
{
  const_plot_view_t v = ax->view;
  size_t total        = 0;
  for (size_t s = 0; s < plot_view_series_count(v); s++)
    total += plot_view_point_count(v, s);
  double* xs = malloc((total ? total : 1) * sizeof *xs);
  if (xs == NULL)
    return NULL;
  size_t n = 0;
  for (size_t s = 0; s < plot_view_series_count(v); s++)
    for (size_t p = 0; p < plot_view_point_count(v, s); p++)
      xs[n++] = plot_view_x(v, s, p) * ax->scale;
  qsort(xs, n, sizeof *xs, dbl_cmp);
  size_t u = 0;
  for (size_t i = 0; i < n; i++)
    if (u == 0 || xs[i] != xs[u - 1])
      xs[u++] = xs[i];
  *count = u;
  return xs;
}

/* x-axis settings: log scale when the distinct x values are spaced geometrically (1 2 4 8 16 32), and explicit tics
 * at the values themselves when they are few and regularly spaced (on either scale). */
static int x_axis_settings(const plot_axis_t* ax, gnuplot_vars_t b)
{
  size_t u;
  double* xs = plot_distinct_xs(ax, &u);
  if (xs == NULL)
    return -1;
  int logx    = 0;
  int regular = 0;
  if (u >= 3) {
    double cv_lin = gap_cv(xs, u);
    if (xs[0] > 0 && xs[u - 1] / xs[0] >= 8) {
      double lg[u];
      for (size_t i = 0; i < u; i++)
        lg[i] = log(xs[i]);
      double cv_log = gap_cv(lg, u);
      logx          = cv_log < cv_lin;
      regular       = logx ? cv_log < 0.25 : cv_lin < 0.25;
    } else {
      regular = cv_lin < 0.25;
    }
  }
  if (u > 0 && u <= 2)
    regular = 1;
  gnuplot_vars_printf(b, "logx=%d; xmin=%.17g; xmax=%.17g; ", logx, u ? xs[0] : 0.0, u ? xs[u - 1] : 1.0);
  gnuplot_vars_printf(b, "xtics='");
  if (regular && u <= 12) {
    gnuplot_vars_printf(b, "(");
    for (size_t i = 0; i < u; i++)
      gnuplot_vars_printf(b, "%s\"%.4g\" %.17g", i ? ", " : "", xs[i], xs[i]);
    gnuplot_vars_printf(b, ")");
  }
  gnuplot_vars_printf(b, "'; ");
  free(xs);
  return 0;
}

/* The extent of the drawn values of @p cols over @p v: the largest |mean| + CI, and the smallest positive mean.
 * Returns how many values there are. */
static size_t drawn_extent(const_plot_view_t v, const_plot_layout_t l, const size_t* cols, size_t ncols, double* max,
                           double* min_pos)
{
  *min_pos      = INFINITY;
  *max          = 0;
  size_t values = 0;
  for (size_t s = 0; s < plot_view_series_count(v); s++)
    for (size_t p = 0; plot_layout_drawn(l, s) && p < plot_view_point_count(v, s); p++)
      for (size_t k = 0; k < ncols; k++) {
        double mean;
        double ci;
        if (plot_view_stat(v, s, p, cols[k], &mean, &ci) == 0)
          continue;
        values++;
        *max = fmax(*max, fabs(mean) + (isfinite(ci) ? ci : 0));
        if (mean > 0)
          *min_pos = fmin(*min_pos, mean);
      }
  return values;
}

/* Whether figure @p fig over @p v goes on a log y axis: a latency-like metric whose values span more than two
 * decades. */
static int wants_logy(const figure_t* fig, const_plot_view_t v, const size_t* cols, size_t ncols)
{
  double min_pos = INFINITY;
  double max     = 0;
  for (size_t s = 0; s < plot_view_series_count(v); s++)
    for (size_t p = 0; p < plot_view_point_count(v, s); p++)
      for (size_t k = 0; k < ncols; k++) {
        double mean;
        double ci;
        if (plot_view_stat(v, s, p, cols[k], &mean, &ci) == 0)
          continue;
        max = fmax(max, fabs(mean) + (isfinite(ci) ? ci : 0));
        if (mean > 0)
          min_pos = fmin(min_pos, mean);
      }
  return fig->logy_ok && isfinite(min_pos) && max / min_pos > 100;
}

/* y-axis settings for @p fig over the drawn series of @p v: the display unit and the extent. */
static void y_axis_settings(const figure_t* fig, const_plot_view_t v, const_plot_layout_t l, const size_t* cols,
                            size_t ncols, int logy, gnuplot_vars_t b)
{
  double min_pos;
  double max;
  drawn_extent(v, l, cols, ncols, &max, &min_pos);
  double scale;
  char ylabel[256];
  switch (fig->ykind) {
  case Y_RATE:
    snprintf(ylabel, sizeof ylabel, "%s (%s)", fig->ylabel, labels_unit(LABELS_WR_RATE, max, &scale));
    break;
  case Y_TIME:
    snprintf(ylabel, sizeof ylabel, "%s (%s)", fig->ylabel,
             labels_unit(LABELS_TIME, logy ? sqrt(max * min_pos) : max, &scale));
    break;
  case Y_PERCENT:
    scale = 100;
    snprintf(ylabel, sizeof ylabel, "%s (%%)", fig->ylabel);
    break;
  default:
    scale = 1;
    snprintf(ylabel, sizeof ylabel, "%s", fig->ylabel);
  }
  gnuplot_vars_string(b, "ylabel", ylabel);
  gnuplot_vars_printf(b, "yscale=%.17g; logy=%d; ymin=%.17g; ymax=%.17g; ", scale, logy,
                      isfinite(min_pos) ? min_pos * scale : 0, max * scale);
}

/* ---- Drawing a figure ------------------------------------------------------------------------------------------- */

/* The last component of @p dir, for titles ("results/spec-vs-lock/" gives "spec-vs-lock"). */
static void dir_title(const char* dir, char* buf, size_t len)
{
  char full[PATH_MAX];
  const char* path  = realpath(dir, full) != NULL ? full : dir; /* resolves "." and trailing slashes */
  const char* slash = strrchr(path, '/');
  const char* base  = slash != NULL && slash[1] != '\0' ? slash + 1 : path;
  size_t n          = strlen(base) < len ? strlen(base) : len - 1; /* a title, so truncating is fine */
  memcpy(buf, base, n);
  buf[n] = '\0';
}

void plot_output_path(const plot_job_t* job, const char* name, char* out, size_t len)
{
  snprintf(out, len, "%s/%s.%s", job->outdir, name, job->format);
}

void plot_axis_title(const plot_axis_t* ax, char* buf, size_t len)
{
  snprintf(buf, len, "%s", ax->label);
  char* paren = strstr(buf, " (");
  if (paren != NULL)
    *paren = '\0';
}

void plot_replications_note(const_plot_view_t v, char* buf, size_t len)
{
  size_t rmin;
  size_t rmax;
  plot_view_rows_range(v, &rmin, &rmax);
  if (rmax <= 1)
    snprintf(buf, len, "one replication per point (no confidence interval)");
  else if (rmin == rmax)
    snprintf(buf, len, "mean of %zu replications; error bars: 95%% confidence interval (Student t)", rmax);
  else
    snprintf(buf, len, "mean of %zu to %zu replications; error bars: 95%% confidence interval (Student t)", rmin, rmax);
}

void plot_common_vars(const plot_job_t* job, const_gnuplot_t gp, gnuplot_vars_t b, const char* title, const char* sub,
                      int width, int height)
{
  gnuplot_vars_string(b, "analysisdir", gnuplot_scripts_dir(gp));
  gnuplot_vars_string(b, "fmt", job->format);
  gnuplot_vars_string(b, "ptitle", title);
  gnuplot_vars_string(b, "psub", sub);
  gnuplot_vars_printf(b, "width=%d; height=%d; ", width, height);
}

void plot_note_lines(gnuplot_vars_t b, const char* note, size_t width)
{
  /* Cut after the last "; " (or else the last blank) that keeps a line within @p width characters. */
  const char* lines[16];
  size_t lens[16];
  size_t n      = 0;
  const char* p = note;
  while (*p && n < 16) {
    size_t left = strlen(p);
    size_t cut  = left;
    size_t next = left;
    if (left > width) {
      cut = 0;
      for (size_t i = 1; i + 1 < width; i++)
        if (p[i] == ';' && p[i + 1] == ' ')
          cut = i + 1, next = i + 2;
      if (cut < width / 2)
        for (size_t i = width; i > 0 && cut < width / 2; i--)
          if (p[i] == ' ')
            cut = i, next = i + 1;
      if (cut == 0)
        cut = next = width;
    }
    lines[n]  = p;
    lens[n++] = cut;
    p += next;
  }
  gnuplot_vars_printf(b, "array NL[%zu]=[", n ? n : 1);
  for (size_t k = 0; k < n; k++) {
    char line[1024];
    snprintf(line, sizeof line, "%.*s", (int)(lens[k] < sizeof line ? lens[k] : sizeof line - 1), lines[k]);
    gnuplot_vars_printf(b, "%s", k ? "," : "");
    gnuplot_vars_quoted(b, line);
  }
  gnuplot_vars_printf(b, "%s]; ", n ? "" : "''");
}

/* The legend and the series' look: labels, legend title and place, and per series its panel (0: not drawn), line
 * type, dash type and sideways shift; the panels' titles. */
static void series_settings(const_plot_view_t v, const_plot_layout_t l, int dashes_free, gnuplot_vars_t b)
{
  size_t n       = plot_view_series_count(v);
  size_t panels  = plot_layout_panel_count(l);
  size_t longest = strlen(plot_view_key_title(v));
  gnuplot_vars_printf(b, "nseries=%zu; array S[%zu]=[", n, n);
  for (size_t s = 0; s < n; s++) {
    gnuplot_vars_printf(b, "%s", s ? "," : "");
    gnuplot_vars_quoted(b, plot_layout_label(l, s));
    longest = longest > strlen(plot_layout_label(l, s)) ? longest : strlen(plot_layout_label(l, s));
  }
  gnuplot_vars_printf(b, "]; array SP[%zu]=[", n);
  for (size_t s = 0; s < n; s++)
    gnuplot_vars_printf(b, "%s%zu", s ? "," : "", plot_layout_drawn(l, s) ? plot_layout_panel(l, s) + 1 : 0);
  gnuplot_vars_printf(b, "]; array LT[%zu]=[", n);
  for (size_t s = 0; s < n; s++)
    gnuplot_vars_printf(b, "%s%zu", s ? "," : "", plot_layout_style(l, s) + 1);
  /* Coinciding lines: dash patterns 2, 3, ... by rank (unless dashes already mean the second metric), and markers
   * shifted sideways, so that a line drawn over another lets it show. */
  gnuplot_vars_printf(b, "]; array DT[%zu]=[", n);
  for (size_t s = 0; s < n; s++)
    gnuplot_vars_printf(b, "%s%d", s ? "," : "", dashes_free ? 1 + plot_layout_rank(l, s) : 1);
  gnuplot_vars_printf(b, "]; array DX[%zu]=[", n);
  for (size_t s = 0; s < n; s++)
    gnuplot_vars_printf(b, "%s%d", s ? "," : "", plot_layout_shift(l, s));
  gnuplot_vars_printf(b, "]; npanels=%zu; array PT[%zu]=[", panels, panels);
  for (size_t k = 0; k < panels; k++) {
    gnuplot_vars_printf(b, "%s", k ? "," : "");
    gnuplot_vars_quoted(b, plot_layout_panel_title(l, k));
  }
  gnuplot_vars_printf(b, "]; ");
  gnuplot_vars_string(b, "keytitle", panels > 1 ? "" : plot_view_key_title(v));
  /* Beside the plot, a legend of long labels would squeeze the plot to half the width; under panels it is below. */
  gnuplot_vars_string(b, "keypos", panels == 1 && n > 1 && longest <= 20 ? "right" : "below");
}

/* Draws figure @p fig on @p ax into OUTDIR/NAME.FORMAT (its path in @p out). When every value is 0, says so in one
 * line on stdout instead. */
static plot_result_t draw(const plot_job_t* job, const figure_t* fig, const plot_axis_t* ax, char* out, size_t outlen,
                          vn_error_t* err)
{
  const_plot_view_t v = ax->view;
  const_csv_t csv     = results_csv_table(job->rs);
  size_t cols[2]      = {(size_t)csv_column_index(csv, fig->metric), 0};
  size_t ncols        = 1;
  if (fig->metric2 != NULL)
    cols[ncols++] = (size_t)csv_column_index(csv, fig->metric2);
  plot_output_path(job, fig->name, out, outlen);
  const char* results = csv_name(csv);
  int logy            = wants_logy(fig, v, cols, ncols);
  plot_layout_t l     = plot_layout_create(v, cols, ncols, logy);
  if (l == NULL) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
    return PLOT_ERROR;
  }
  if (plot_layout_all_zero(l)) {
    printf("%s not drawn: every value of %s is 0 (%s)\n", out, fig->metric, fig->if_zero);
    plot_layout_free(l);
    return PLOT_SKIPPED;
  }
  if (plot_layout_panel_count(l) == 0) {
    fprintf(stderr, "vnicsim plot: %s.%s not drawn: no value of %s in %s\n", fig->name, job->format, fig->metric,
            results);
    plot_layout_free(l);
    return PLOT_SKIPPED;
  }
  char xtitle[256];
  plot_axis_title(ax, xtitle, sizeof xtitle);
  size_t panels = plot_layout_panel_count(l);
  char title[1024];
  /* Facets of which one panel is left: its facet goes into the title, as its legend names the modes alone. */
  snprintf(title, sizeof title, "%s: %s vs %s%s%s", job->name, fig->title, xtitle,
           panels == 1 && plot_layout_panel_title(l, 0)[0] ? ", " : "",
           panels == 1 ? plot_layout_panel_title(l, 0) : "");
  char sub[256];
  plot_replications_note(v, sub, sizeof sub);
  char note[1200];
  snprintf(note, sizeof note, "%s%s%s", plot_layout_note(l),
           plot_layout_any_shifted(l) && plot_layout_note(l)[0] ? "; " : "",
           plot_layout_any_shifted(l) ? (fig->metric2 ? "markers of coinciding lines shifted sideways"
                                                      : "coinciding lines dashed, their markers shifted sideways")
                                      : "");
  size_t rmin;
  size_t rmax;
  plot_view_rows_range(v, &rmin, &rmax);
  int width = panels == 1 ? 960 : panels == 2 ? 1400 : panels == 3 ? 1800 : 1400;

  gnuplot_vars_t b = gnuplot_vars_create();
  plot_common_vars(job, job->metric_gp, b, title, sub, width, panels == 4 ? 1000 : 620);
  plot_note_lines(b, note, (size_t)width / 11);
  gnuplot_vars_string(b, "datafile", ax->datafile);
  gnuplot_vars_string(b, "xlabel", ax->label);
  gnuplot_vars_string(b, "xcol", ax->data_name);
  gnuplot_vars_printf(b, "xscale=%.17g; ", ax->scale);
  int rc = x_axis_settings(ax, b);
  y_axis_settings(fig, v, l, cols, ncols, logy, b);
  gnuplot_vars_string(b, "metric", fig->metric);
  gnuplot_vars_string(b, "metric2", fig->metric2 ? fig->metric2 : "");
  gnuplot_vars_string(b, "label1", fig->metric2 ? "p99 (solid)" : "");
  gnuplot_vars_string(b, "label2", fig->metric2 ? "mean (dashed)" : "");
  gnuplot_vars_printf(b, "ebars=%d; ", rmax > 1);
  series_settings(v, l, fig->metric2 == NULL, b);
  plot_layout_free(l);
  if (rc != 0) {
    gnuplot_vars_free(b);
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
    return PLOT_ERROR;
  }
  rc = gnuplot_draw(job->metric_gp, b, out, err);
  gnuplot_vars_free(b);
  return rc == 0 ? PLOT_DRAWN : PLOT_ERROR;
}

/* ---- Planning the axes ------------------------------------------------------------------------------------------ */

/* Whether sweep column @p name exists, is numeric and varies. */
static int sweep_varies(const_results_csv_t rs, const char* name)
{
  for (size_t d = 0; d < results_csv_sweep_count(rs); d++) {
    size_t col = results_csv_sweep_column(rs, d);
    if (strcmp(csv_column_name(results_csv_table(rs), col), name) == 0)
      return results_csv_sweep_varies(rs, d) && results_csv_column_is_numeric(rs, col);
  }
  return 0;
}

const char* plot_main_x(const_results_csv_t rs)
{
  const_csv_t csv = results_csv_table(rs);
  long cph        = csv_column_index(csv, "consumers_per_host");
  if (cph >= 0 && results_csv_column_is_numeric(rs, (size_t)cph))
    for (size_t i = 1; i < results_csv_ok_count(rs); i++) {
      double a = results_csv_value(rs, i, (size_t)cph);
      double b = results_csv_value(rs, 0, (size_t)cph);
      if (a != b && !(isnan(a) && isnan(b)))
        return "consumers_per_host";
    }
  for (size_t d = 0; d < results_csv_sweep_count(rs); d++) {
    size_t col = results_csv_sweep_column(rs, d);
    if (results_csv_sweep_varies(rs, d) && results_csv_column_is_numeric(rs, col))
      return csv_column_name(csv, col);
  }
  return NULL;
}

/* Fills the three axes (main x, queue depth, offered load) and groups the rows for each. */
static int plan_axes(const_results_csv_t rs, axis_t ax[AXIS_COUNT], const char* outdir, vn_error_t* err)
{
  ax[AXIS_MAIN].column  = plot_main_x(rs);
  ax[AXIS_DEPTH].column = sweep_varies(rs, "nic.queue-depth") ? "nic.queue-depth" : ax[AXIS_MAIN].column;
  if (sweep_varies(rs, "workload.rate")) {
    ax[AXIS_LOAD].column    = "workload.rate";
    ax[AXIS_LOAD].factor    = "consumers_per_host";
    ax[AXIS_LOAD].data_name = "offered_load_wr_s";
  } else if (sweep_varies(rs, "workload.think")) {
    ax[AXIS_LOAD].column = "workload.think";
  }
  for (int a = 0; a < AXIS_COUNT; a++) {
    ax[a].same_as = -1;
    if (ax[a].column == NULL)
      continue;
    if (ax[a].data_name == NULL)
      ax[a].data_name = ax[a].column;
    for (int e = 0; e < a && ax[a].same_as < 0; e++)
      if (ax[e].column && strcmp(ax[e].column, ax[a].column) == 0 && ax[e].factor == ax[a].factor)
        ax[a].same_as = e;
    if (ax[a].same_as >= 0) {
      int e         = ax[a].same_as;
      ax[a]         = ax[e]; /* same x: share the grouping, the data file and the label */
      ax[a].same_as = e;
      continue;
    }
    ax[a].view = plot_view_create(rs, ax[a].column, ax[a].factor, err);
    if (ax[a].view == NULL)
      return -1;
    axis_set_label(&ax[a]);
    char file[256];
    snprintf(file, sizeof file, "by_%s.csv", ax[a].data_name);
    for (char* p = file; *p; p++)
      if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
            *p == '_' || *p == '-'))
        *p = '_';
    snprintf(ax[a].path, sizeof ax[a].path, "%s/%s", outdir, file);
  }
  return 0;
}

static plot_axis_t axis_info(const axis_t* ax)
{
  return (plot_axis_t){.column    = ax->column,
                       .data_name = ax->data_name,
                       .label     = ax->label,
                       .scale     = ax->scale,
                       .datafile  = ax->path,
                       .view      = ax->view};
}

/* ---- The command ------------------------------------------------------------------------------------------------ */

/* Counts a figure's result: its path on stdout when drawn. Returns -1 on error. */
static int tally(plot_result_t r, const char* path, size_t* drawn)
{
  if (r == PLOT_ERROR)
    return -1;
  if (r == PLOT_DRAWN) {
    if (path != NULL)
      printf("%s\n", path);
    (*drawn)++;
  }
  return 0;
}

/* Writes the aggregated data files, then draws every figure whose data exist, listing them on stdout. Returns the
 * exit status. */
static int write_figures(const plot_job_t* job, const axis_t ax[AXIS_COUNT], vn_error_t* err)
{
  const char* results = csv_name(results_csv_table(job->rs));
  if (ax[AXIS_MAIN].column == NULL)
    fprintf(stderr,
            "vnicsim plot: no numeric sweep dimension varies in %s: no figure against consumers "
            "(vnicsim compare summarises such runs)\n",
            results);
  if (outfile_mkdirs(job->outdir) != 0) {
    vn_error_set(err, job->outdir, 0, NULL, NULL, NULL, "cannot create the output directory: %s", strerror(errno));
    return VN_EXIT_INTERNAL;
  }
  for (int a = 0; a < AXIS_COUNT; a++)
    if (ax[a].view != NULL && ax[a].same_as < 0 &&
        plot_view_write_csv(ax[a].view, ax[a].data_name, ax[a].path, err) != 0)
      return VN_EXIT_INTERNAL;
  size_t drawn = 0;
  for (size_t f = 0; f < sizeof figures / sizeof figures[0]; f++) {
    const axis_t* a = &ax[figures[f].axis];
    if (a->view == NULL)
      continue;
    char out[4300];
    plot_axis_t info = axis_info(a);
    if (tally(draw(job, &figures[f], &info, out, sizeof out, err), out, &drawn) != 0)
      return VN_EXIT_INTERNAL;
    fflush(stdout);
  }
  if (ax[AXIS_MAIN].view != NULL) {
    plot_axis_t info = axis_info(&ax[AXIS_MAIN]);
    char out[4300];
    plot_output_path(job, "e2e_breakdown", out, sizeof out);
    if (tally(plot_breakdown(job, &info, err), out, &drawn) != 0)
      return VN_EXIT_INTERNAL;
    plot_output_path(job, "hosts", out, sizeof out);
    if (tally(plot_hosts(job, &info, err), out, &drawn) != 0)
      return VN_EXIT_INTERNAL;
    plot_output_path(job, "e2e_latency_cdf", out, sizeof out);
    if (tally(plot_cdf(job, &info, err), out, &drawn) != 0)
      return VN_EXIT_INTERNAL;
  }
  fflush(stdout);
  if (drawn == 0)
    fprintf(stderr, "vnicsim plot: no figure drawn\n");
  else {
    fprintf(stderr, "vnicsim plot: aggregated data in");
    for (int a = 0; a < AXIS_COUNT; a++)
      if (ax[a].view != NULL && ax[a].same_as < 0)
        fprintf(stderr, " %s", ax[a].path);
    fprintf(stderr, "\n");
  }
  return 0;
}

/* Loads DIR/results.csv for plotting: the columns the figures need, at least one ok row (failed rows are counted on
 * stderr). Returns NULL with @p err filled on bad input. */
static results_csv_t load_results(const char* dir, vn_error_t* err)
{
  results_csv_t rs = results_csv_load_dir(dir, err);
  if (rs == NULL || results_csv_require(rs, plot_needs, "needed by vnicsim plot", err) != 0) {
    results_csv_free(rs);
    return NULL;
  }
  const char* results = csv_name(results_csv_table(rs));
  if (results_csv_failed_count(rs) > 0)
    fprintf(stderr, "vnicsim plot: skipped %zu failed row%s of %s\n", results_csv_failed_count(rs),
            results_csv_failed_count(rs) == 1 ? "" : "s", results);
  if (results_csv_ok_count(rs) == 0) {
    vn_error_set(err, results, 0, NULL, NULL, NULL, "no row with status ok: nothing to plot");
    results_csv_free(rs);
    return NULL;
  }
  return rs;
}

int plot_command(const char* dir, const char* outopt, const char* format)
{
  vn_error_t err;
  vn_error_clear(&err);
  results_csv_t rs = load_results(dir, &err);
  /* Every script is found before anything is written. */
  gnuplot_t gp[4]                = {NULL, NULL, NULL, NULL};
  static const char* const gps[] = {"metric.gp", "breakdown.gp", "hosts.gp", "cdf.gp"};
  int ok                         = rs != NULL;
  for (int k = 0; ok && k < 4; k++)
    ok = (gp[k] = gnuplot_create(gps[k], &err)) != NULL;
  if (!ok) {
    vn_error_print(&err, stderr);
    for (int k = 0; k < 4; k++)
      gnuplot_free(gp[k]);
    results_csv_free(rs);
    return VN_EXIT_INPUT;
  }
  char outdir[4096];
  if (outopt != NULL)
    snprintf(outdir, sizeof outdir, "%s", outopt);
  else
    snprintf(outdir, sizeof outdir, "%s/plots", dir);
  plot_job_t job = {.rs           = rs,
                    .dir          = dir,
                    .outdir       = outdir,
                    .format       = format,
                    .metric_gp    = gp[0],
                    .breakdown_gp = gp[1],
                    .hosts_gp     = gp[2],
                    .cdf_gp       = gp[3]};
  if (manifest_scenario_name(dir, job.name, sizeof job.name) != 0 || job.name[0] == '\0')
    dir_title(dir, job.name, sizeof job.name);

  axis_t ax[AXIS_COUNT] = {{0}};
  int status            = plan_axes(rs, ax, outdir, &err) != 0 ? VN_EXIT_INPUT : write_figures(&job, ax, &err);
  if (status != 0)
    vn_error_print(&err, stderr);
  for (int a = 0; a < AXIS_COUNT; a++)
    if (ax[a].same_as < 0)
      plot_view_free(ax[a].view);
  for (int k = 0; k < 4; k++)
    gnuplot_free(gp[k]);
  results_csv_free(rs);
  return status;
}
