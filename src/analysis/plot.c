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
  int logy_ok; /* log scale allowed when the values span more than two decades */
} figure_t;

static const figure_t figures[] = {
    {"throughput", "throughput", "throughput", "throughput_wr_s", NULL, Y_RATE, AXIS_MAIN, 0},
    {"issue_latency_p99", "p99 issue latency", "p99 issue latency", "issue_latency_p99_s", NULL, Y_TIME, AXIS_MAIN, 1},
    {"e2e_latency_p99", "p99 end-to-end latency", "p99 end-to-end latency", "e2e_latency_p99_s", NULL, Y_TIME,
     AXIS_MAIN, 1},
    {"cpu_per_wr", "CPU time per WR", "consumer CPU time per WR", "cpu_per_wr_s", NULL, Y_TIME, AXIS_MAIN, 1},
    {"reject_rate", "reject rate", "rejected NIC arrivals", "reject_rate", NULL, Y_PERCENT, AXIS_DEPTH, 0},
    {"replays_per_wr", "replays per WR", "replayed writes per delivered WR", "replays_per_wr", NULL, Y_PLAIN,
     AXIS_DEPTH, 0},
    {"e2e_latency_vs_load", "end-to-end latency", "end-to-end latency", "e2e_latency_p99_s", "e2e_latency_mean_s",
     Y_TIME, AXIS_LOAD, 1},
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

/* The distinct x values of @p ax in display units, ascending; their number in @p *count. NULL when out of memory. */
static double* distinct_xs(const axis_t* ax, size_t* count)
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
static int x_axis_settings(const axis_t* ax, gnuplot_vars_t b)
{
  size_t u;
  double* xs = distinct_xs(ax, &u);
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

/* y-axis settings for @p fig over @p v: the display unit, and log scale for latency-like metrics spanning more
 * than two decades. Returns 0 when the metric has no value at all (nothing to draw). */
static int y_axis_settings(const figure_t* fig, const_plot_view_t v, size_t col, long col2, gnuplot_vars_t b)
{
  double min_pos = INFINITY;
  double max     = 0;
  size_t values  = 0;
  for (size_t s = 0; s < plot_view_series_count(v); s++)
    for (size_t p = 0; p < plot_view_point_count(v, s); p++)
      for (int k = 0; k < (col2 >= 0 ? 2 : 1); k++) {
        double mean;
        double ci;
        if (plot_view_stat(v, s, p, k ? (size_t)col2 : col, &mean, &ci) == 0)
          continue;
        values++;
        max = fmax(max, fabs(mean) + (isfinite(ci) ? ci : 0));
        if (mean > 0)
          min_pos = fmin(min_pos, mean);
      }
  if (values == 0)
    return 0;
  int logy = fig->logy_ok && isfinite(min_pos) && max / min_pos > 100;
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
  return 1;
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

/* What the figures of one `vnicsim plot` share. */
typedef struct {
  const_results_csv_t rs;
  const_gnuplot_t gnuplot;
  const char* outdir;
  const char* format;
  char name[256]; /* of the run directory, for titles */
} plot_job_t;

/* The title ("spec-vs-lock: throughput vs consumers per host") and subtitle (what a point and its error bar are)
 * of figure @p fig on @p ax. */
static void figure_titles(const plot_job_t* job, const figure_t* fig, const axis_t* ax, char* title, size_t tlen,
                          char* sub, size_t slen)
{
  char xtitle[256];
  snprintf(xtitle, sizeof xtitle, "%s", ax->label);
  char* paren = strstr(xtitle, " (");
  if (paren != NULL)
    *paren = '\0';
  snprintf(title, tlen, "%s: %s vs %s", job->name, fig->title, xtitle);
  size_t rmin;
  size_t rmax;
  plot_view_rows_range(ax->view, &rmin, &rmax);
  if (rmax <= 1)
    snprintf(sub, slen, "one replication per point (no confidence interval)");
  else if (rmin == rmax)
    snprintf(sub, slen, "mean of %zu replications; error bars: 95%% confidence interval (Student t)", rmax);
  else
    snprintf(sub, slen, "mean of %zu to %zu replications; error bars: 95%% confidence interval (Student t)", rmin,
             rmax);
}

/* The legend: the series labels, its title, and where it goes. */
static void legend_settings(const_plot_view_t v, gnuplot_vars_t b)
{
  size_t n = plot_view_series_count(v);
  gnuplot_vars_printf(b, "nseries=%zu; array S[%zu]=[", n, n);
  for (size_t s = 0; s < n; s++) {
    if (s)
      gnuplot_vars_printf(b, ",");
    gnuplot_vars_quoted(b, plot_view_series_label(v, s));
  }
  gnuplot_vars_printf(b, "]; ");
  gnuplot_vars_string(b, "keytitle", plot_view_key_title(v));
  /* Beside the plot, a legend of long labels would squeeze the plot to half the width. */
  size_t longest = strlen(plot_view_key_title(v));
  for (size_t s = 0; s < n; s++)
    longest = longest > strlen(plot_view_series_label(v, s)) ? longest : strlen(plot_view_series_label(v, s));
  gnuplot_vars_string(b, "keypos", n > 1 && longest <= 20 ? "right" : "below");
}

/* Draws figure @p fig on @p ax into OUTDIR/NAME.FORMAT (its path in @p out). Returns 1 when drawn, 0 when it has no
 * data, -1 on error. */
static int draw(const plot_job_t* job, const figure_t* fig, const axis_t* ax, char* out, size_t outlen, vn_error_t* err)
{
  const_plot_view_t v = ax->view;
  const_csv_t csv     = results_csv_table(job->rs);
  long col            = csv_column_index(csv, fig->metric);
  long col2           = fig->metric2 ? csv_column_index(csv, fig->metric2) : -1;
  gnuplot_vars_t b    = gnuplot_vars_create();
  if (plot_view_series_count(v) == 0 || !y_axis_settings(fig, v, (size_t)col, col2, b)) {
    gnuplot_vars_free(b);
    return 0;
  }
  snprintf(out, outlen, "%s/%s.%s", job->outdir, fig->name, job->format);
  char title[1024];
  char sub[256];
  figure_titles(job, fig, ax, title, sizeof title, sub, sizeof sub);
  size_t rmin;
  size_t rmax;
  plot_view_rows_range(v, &rmin, &rmax);

  gnuplot_vars_string(b, "analysisdir", gnuplot_scripts_dir(job->gnuplot));
  gnuplot_vars_string(b, "fmt", job->format);
  gnuplot_vars_string(b, "datafile", ax->path);
  gnuplot_vars_string(b, "ptitle", title);
  gnuplot_vars_string(b, "psub", sub);
  gnuplot_vars_string(b, "xlabel", ax->label);
  gnuplot_vars_string(b, "xcol", ax->data_name);
  gnuplot_vars_printf(b, "xscale=%.17g; ", ax->scale);
  int rc = x_axis_settings(ax, b);
  gnuplot_vars_string(b, "metric", fig->metric);
  gnuplot_vars_string(b, "metric2", fig->metric2 ? fig->metric2 : "");
  gnuplot_vars_string(b, "label1", fig->metric2 ? "p99 (solid)" : "");
  gnuplot_vars_string(b, "label2", fig->metric2 ? "mean (dashed)" : "");
  gnuplot_vars_printf(b, "ebars=%d; ", rmax > 1);
  legend_settings(v, b);
  if (rc != 0) {
    gnuplot_vars_free(b);
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
    return -1;
  }
  rc = gnuplot_draw(job->gnuplot, b, out, err);
  gnuplot_vars_free(b);
  return rc == 0 ? 1 : -1;
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

/* ---- The command ------------------------------------------------------------------------------------------------ */

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
    int rc = draw(job, &figures[f], a, out, sizeof out, err);
    if (rc < 0)
      return VN_EXIT_INTERNAL;
    if (rc == 0)
      fprintf(stderr, "vnicsim plot: %s.%s not drawn: no value of %s in %s\n", figures[f].name, job->format,
              figures[f].metric, results);
    else {
      printf("%s\n", out);
      drawn++;
    }
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
  gnuplot_t gp     = rs != NULL ? gnuplot_create("metric.gp", &err) : NULL;
  if (gp == NULL) {
    vn_error_print(&err, stderr);
    results_csv_free(rs);
    return VN_EXIT_INPUT;
  }
  char outdir[4096];
  if (outopt != NULL)
    snprintf(outdir, sizeof outdir, "%s", outopt);
  else
    snprintf(outdir, sizeof outdir, "%s/plots", dir);
  plot_job_t job = {.rs = rs, .gnuplot = gp, .outdir = outdir, .format = format};
  dir_title(dir, job.name, sizeof job.name);

  axis_t ax[AXIS_COUNT] = {{0}};
  int status            = plan_axes(rs, ax, outdir, &err) != 0 ? VN_EXIT_INPUT : write_figures(&job, ax, &err);
  if (status != 0)
    vn_error_print(&err, stderr);
  for (int a = 0; a < AXIS_COUNT; a++)
    if (ax[a].same_as < 0)
      plot_view_free(ax[a].view);
  gnuplot_free(gp);
  results_csv_free(rs);
  return status;
}
