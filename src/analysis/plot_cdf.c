/* plot_cdf: the distribution of the end-to-end latency, from the per-WR traces `vnicsim run --trace` writes
 * (DIR/trace/point-NNNNN.csv): for every configuration, the latencies of its measured, delivered WRs, pooled over the
 * replications, at the smallest and at the largest x of the sweep, drawn as empirical CDFs on a log latency axis
 * (one panel per x and facet). The curves are written to e2e_latency_cdf.csv beside the figure. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/labels.h"
#include "analysis/plot_figures.h"
#include "analysis/plot_layout.h"
#include "base/outfile.h"

/* The empirical CDF is drawn through these fractions of the sorted latencies: every 0.5% up to 99%, then every 0.1%
 * to 99.9%, then 99.95%, 99.99% and the largest, so that the tail the p99 and p999 columns describe is drawn. */
#define GRID_BODY 198 /* 0, 0.005, ..., 0.985 */
#define GRID_TAIL 13  /* 0.99, 0.991, ..., 0.999, 0.9995, 0.9999, 1 */
#define GRID (GRID_BODY + GRID_TAIL)
/* Two curves whose latencies at half the grid's fractions or more are within this fraction of the latency axis
 * (its decades) are drawn as coinciding: dashed. */
#define CURVE_COINCIDE 0.02

static double grid_fraction(size_t k)
{
  if (k < GRID_BODY)
    return 0.005 * (double)k;
  static const double tail[GRID_TAIL] = {0.99,  0.991, 0.992, 0.993,  0.994,  0.995, 0.996,
                                         0.997, 0.998, 0.999, 0.9995, 0.9999, 1.0};
  return tail[k - GRID_BODY];
}

typedef struct {
  double* v;
  size_t n;
  size_t cap;
} vec_t;

static int vec_push(vec_t* a, double x)
{
  if (a->n == a->cap) {
    size_t ncap = a->cap ? 2 * a->cap : 4096;
    double* p   = realloc(a->v, ncap * sizeof *p);
    if (p == NULL)
      return -1;
    a->v   = p;
    a->cap = ncap;
  }
  a->v[a->n++] = x;
  return 0;
}

static int dbl_cmp(const void* a, const void* b)
{
  double x = *(const double*)a;
  double y = *(const double*)b;
  return x < y ? -1 : x > y;
}

/* Index of field @p name in the comma-separated header @p line, or -1. */
static int field_index(char* line, const char* name)
{
  int k = 0;
  for (char* f = line; f != NULL; k++) {
    char* comma = strchr(f, ',');
    size_t len  = comma ? (size_t)(comma - f) : strcspn(f, "\r\n");
    if (len == strlen(name) && strncmp(f, name, len) == 0)
      return k;
    f = comma ? comma + 1 : NULL;
  }
  return -1;
}

/* Appends to @p out the end-to-end latencies (t_delivered - t_created) of the measured, delivered WRs of the trace
 * @p path. Returns 1, 0 when the file is missing or not a trace (said on stderr), -1 when out of memory. The trace
 * holds numbers only (results_write_trace()), so a line is split on its commas. */
static int read_trace(const char* path, vec_t* out)
{
  FILE* f = fopen(path, "r");
  if (f == NULL)
    return 0;
  char* line = NULL;
  size_t cap = 0;
  int rc     = 1;
  int cols[4];
  static const char* const names[4] = {"measured", "delivered", "t_created", "t_delivered"};
  if (getline(&line, &cap, f) < 0)
    rc = 0;
  for (int k = 0; rc == 1 && k < 4; k++)
    if ((cols[k] = field_index(line, names[k])) < 0)
      rc = 0;
  int maxcol = 0;
  for (int k = 0; rc == 1 && k < 4; k++)
    maxcol = cols[k] > maxcol ? cols[k] : maxcol;
  while (rc == 1 && getline(&line, &cap, f) > 0) {
    double val[4] = {NAN, NAN, NAN, NAN};
    int k         = 0;
    for (char* p = line; p != NULL && k <= maxcol; k++) {
      for (int j = 0; j < 4; j++)
        if (cols[j] == k)
          val[j] = (*p == ',' || *p == '\n' || *p == '\0') ? NAN : strtod(p, NULL);
      p = strchr(p, ',');
      p = p ? p + 1 : NULL;
    }
    if (val[0] == 1 && val[1] == 1 && isfinite(val[2]) && isfinite(val[3]) && vec_push(out, val[3] - val[2]) != 0)
      rc = -1;
  }
  if (rc == 0)
    fprintf(stderr,
            "vnicsim plot: %s is not a vnicsim trace (no measured, delivered, t_created or t_delivered "
            "column): left out\n",
            path);
  free(line);
  fclose(f);
  return rc;
}

/* One curve: a configuration at one x. */
typedef struct {
  size_t series;
  size_t panel; /* 0-based */
  double x;
  size_t wrs;
  size_t reps;
  double q[GRID]; /* latency at grid_fraction(k) */
  int rank;
} curve_t;

/* Fills @p c from the traces of the replications of point @p p of series @p s. Returns 1 when it has latencies, 0
 * when none (no trace), -1 when out of memory. */
static int make_curve(const plot_job_t* job, const plot_axis_t* ax, size_t s, size_t p, curve_t* c, size_t* missing)
{
  const_plot_view_t v = ax->view;
  long pcol           = csv_column_index(results_csv_table(job->rs), "point");
  vec_t lat           = {0};
  c->reps             = 0;
  for (size_t k = 0; k < plot_view_rows(v, s, p); k++) {
    double point = results_csv_value(job->rs, plot_view_point_row(v, s, p, k), (size_t)pcol);
    if (!(point >= 0 && point < 1e9))
      continue;
    char path[4300];
    snprintf(path, sizeof path, "%s/trace/point-%05zu.csv", job->dir, (size_t)point);
    int rc = read_trace(path, &lat);
    if (rc < 0) {
      free(lat.v);
      return -1;
    }
    if (rc == 0)
      (*missing)++;
    else
      c->reps++;
  }
  c->wrs = lat.n;
  if (lat.n == 0) {
    free(lat.v);
    return 0;
  }
  qsort(lat.v, lat.n, sizeof *lat.v, dbl_cmp);
  for (size_t k = 0; k < GRID; k++) {
    /* The order statistic at the fraction: the empirical CDF's step, without interpolation. */
    double pos = grid_fraction(k) * (double)(lat.n - 1);
    c->q[k]    = lat.v[(size_t)llround(pos)];
  }
  free(lat.v);
  return 1;
}

/* Whether curves @p a and @p b coincide (see CURVE_COINCIDE) on an axis of @p decades. */
static int curves_coincide(const curve_t* a, const curve_t* b, double decades)
{
  size_t close = 0;
  size_t both  = 0;
  for (size_t k = 0; k < GRID; k++) {
    if (!(a->q[k] > 0 && b->q[k] > 0))
      continue;
    both++;
    close += fabs(log10(a->q[k]) - log10(b->q[k])) <= CURVE_COINCIDE * decades;
  }
  return both > 0 && 2 * close >= both;
}

static int write_curves(const plot_job_t* job, const plot_axis_t* ax, const curve_t* c, size_t n, const char* path,
                        vn_error_t* err)
{
  outfile_t file = outfile_open(path, err);
  if (file == NULL)
    return -1;
  FILE* f = outfile_stream(file);
  fputs("series_id,series,panel,", f);
  csv_write_field(f, ax->data_name);
  fputs(",replications,wrs,fraction,latency_s\n", f);
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < GRID; k++) {
      fprintf(f, "%zu,", c[i].series);
      csv_write_field(f, plot_view_series_label(ax->view, c[i].series));
      fprintf(f, ",%zu,%.10g,%zu,%zu,%.6g,%.10g\n", c[i].panel + 1, c[i].x, c[i].reps, c[i].wrs, grid_fraction(k),
              c[i].q[k]);
    }
  return outfile_commit(file, err);
}

/* "1 consumer per host", "NIC queue depth = 8 WRs". */
static void x_phrase(const plot_axis_t* ax, double x, char* buf, size_t len)
{
  double shown = x * ax->scale;
  if (strcmp(ax->column, "consumers_per_host") == 0) {
    snprintf(buf, len, "%g consumer%s per host", shown, shown == 1 ? "" : "s");
    return;
  }
  char title[128];
  plot_axis_title(ax, title, sizeof title);
  const char* open = strstr(ax->label, " (");
  if (open != NULL)
    snprintf(buf, len, "%s = %g %.*s", title, shown, (int)(strlen(open + 2) - 1), open + 2);
  else
    snprintf(buf, len, "%s = %g", title, shown);
}

plot_result_t plot_cdf(const plot_job_t* job, const plot_axis_t* ax, vn_error_t* err)
{
  char out[4300];
  plot_output_path(job, "e2e_latency_cdf", out, sizeof out);
  char tdir[4200];
  snprintf(tdir, sizeof tdir, "%s/trace", job->dir);
  struct stat st;
  if (stat(tdir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "vnicsim plot: %s not drawn: no per-WR traces in %s (vnicsim run --trace writes them)\n", out,
            tdir);
    return PLOT_SKIPPED;
  }
  if (csv_column_index(results_csv_table(job->rs), "point") < 0) {
    fprintf(stderr, "vnicsim plot: %s not drawn: %s has no column point\n", out, csv_name(results_csv_table(job->rs)));
    return PLOT_SKIPPED;
  }
  const_plot_view_t v = ax->view;
  plot_layout_t l     = plot_layout_create(v, NULL, 0, 0); /* facets, colours and labels as the other figures */
  size_t nx;
  double* xs       = plot_distinct_xs(ax, &nx);
  size_t nseries   = plot_view_series_count(v);
  curve_t* curves  = calloc(2 * (nseries ? nseries : 1), sizeof *curves);
  plot_result_t rc = PLOT_ERROR;
  if (l == NULL || xs == NULL || curves == NULL) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
    goto done;
  }
  /* The rows of panels: the smallest and the largest x (one when x takes one value). */
  size_t nrows      = nx > 1 ? 2 : 1;
  double rowx[2]    = {xs[0] / ax->scale, xs[nx - 1] / ax->scale};
  size_t npanelcols = plot_layout_panel_count(l);
  size_t ncurves    = 0;
  size_t missing    = 0;
  for (size_t r = 0; r < nrows; r++)
    for (size_t s = 0; s < nseries; s++)
      for (size_t p = 0; p < plot_view_point_count(v, s); p++) {
        double x = plot_view_x(v, s, p);
        if (fabs(x - rowx[r]) > 1e-9 * fabs(rowx[r]))
          continue;
        curve_t* c = &curves[ncurves];
        c->series  = s;
        c->panel   = r * npanelcols + plot_layout_panel(l, s);
        c->x       = x;
        int got    = make_curve(job, ax, s, p, c, &missing);
        if (got < 0) {
          vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
          goto done;
        }
        ncurves += (size_t)got;
      }
  if (missing > 0)
    fprintf(stderr, "vnicsim plot: %s: %zu trace file%s missing in %s (their replications are left out)\n", out,
            missing, missing == 1 ? "" : "s", tdir);
  if (ncurves == 0) {
    fprintf(stderr, "vnicsim plot: %s not drawn: no measured, delivered WR in the traces of %s\n", out, tdir);
    rc = PLOT_SKIPPED;
    goto done;
  }
  /* The latency axis, shared by the panels; curves that coincide get dash patterns by rank. */
  double lo = INFINITY;
  double hi = 0;
  for (size_t i = 0; i < ncurves; i++)
    for (size_t k = 0; k < GRID; k++)
      if (curves[i].q[k] > 0) {
        lo = fmin(lo, curves[i].q[k]);
        hi = fmax(hi, curves[i].q[k]);
      }
  if (!isfinite(lo)) {
    printf("%s not drawn: every end-to-end latency in the traces is 0\n", out);
    rc = PLOT_SKIPPED;
    goto done;
  }
  double decades = log10(hi / lo) + 0.2;
  for (size_t i = 0; i < ncurves; i++) {
    unsigned long long taken = 0;
    for (size_t j = 0; j < i; j++)
      if (curves[j].panel == curves[i].panel && curves[j].rank < 64 && curves_coincide(&curves[i], &curves[j], decades))
        taken |= 1ULL << curves[j].rank;
    int rank = 0;
    while (rank < 63 && (taken >> rank & 1))
      rank++;
    curves[i].rank = rank;
  }
  char data[4300];
  snprintf(data, sizeof data, "%s/e2e_latency_cdf.csv", job->outdir);
  if (write_curves(job, ax, curves, ncurves, data, err) != 0)
    goto done;

  double scale;
  const char* unit = labels_unit(LABELS_TIME, sqrt(lo * hi), &scale);
  size_t npanels   = nrows * npanelcols;
  size_t minreps   = SIZE_MAX;
  size_t maxreps   = 0;
  for (size_t i = 0; i < ncurves; i++) {
    minreps = curves[i].reps < minreps ? curves[i].reps : minreps;
    maxreps = curves[i].reps > maxreps ? curves[i].reps : maxreps;
  }
  char title[1024];
  snprintf(title, sizeof title, "%s: distribution of the end-to-end latency (measured WRs, from the traces)",
           job->name);
  char sub[512];
  if (minreps == maxreps)
    snprintf(sub, sizeof sub, "WRs of %zu replication%s pooled per curve; dotted lines: the median and p99", maxreps,
             maxreps == 1 ? "" : "s");
  else
    snprintf(sub, sizeof sub, "WRs of %zu to %zu replications pooled per curve; dotted lines: the median and p99",
             minreps, maxreps);
  int any_dashed = 0;
  for (size_t i = 0; i < ncurves; i++)
    any_dashed |= curves[i].rank > 0;
  int width        = (int)(npanelcols == 1 ? 960 : 620 * npanelcols);
  int height       = (int)(200 + 400 * nrows);
  gnuplot_vars_t b = gnuplot_vars_create();
  plot_common_vars(job, job->cdf_gp, b, title, sub, width, height);
  plot_note_lines(b, any_dashed ? "coinciding curves dashed" : "", (size_t)width / 11);
  gnuplot_vars_string(b, "datafile", data);
  char xlabel[64];
  snprintf(xlabel, sizeof xlabel, "end-to-end latency (%s)", unit);
  gnuplot_vars_string(b, "xlabel", xlabel);
  gnuplot_vars_printf(b, "xscale=%.17g; xmin=%.17g; xmax=%.17g; panelrows=%zu; panelcols=%zu; ", scale, lo * scale,
                      hi * scale, nrows, npanelcols);
  gnuplot_vars_printf(b, "npanels=%zu; array PT[%zu]=[", npanels, npanels);
  for (size_t r = 0; r < nrows; r++)
    for (size_t k = 0; k < npanelcols; k++) {
      char at[600];
      x_phrase(ax, rowx[r], at, sizeof at);
      char pt[1200];
      const char* facet = plot_layout_panel_title(l, k);
      snprintf(pt, sizeof pt, "%s%sat %s", facet, facet[0] ? ", " : "", at);
      gnuplot_vars_printf(b, "%s", r + k ? "," : "");
      gnuplot_vars_quoted(b, pt);
    }
  gnuplot_vars_printf(b, "]; ncurves=%zu; array CS[%zu]; array CP[%zu]; array CT[%zu]; array CD[%zu]; array CL[%zu]; ",
                      ncurves, ncurves, ncurves, ncurves, ncurves, ncurves);
  for (size_t i = 0; i < ncurves; i++) {
    gnuplot_vars_printf(b, "CS[%zu]=%zu; CP[%zu]=%zu; CT[%zu]=%zu; CD[%zu]=%d; CL[%zu]=", i + 1, curves[i].series,
                        i + 1, curves[i].panel + 1, i + 1, plot_layout_style(l, curves[i].series) + 1, i + 1,
                        1 + curves[i].rank, i + 1);
    gnuplot_vars_quoted(b, plot_layout_label(l, curves[i].series));
    gnuplot_vars_printf(b, "; ");
  }
  int drc = gnuplot_draw(job->cdf_gp, b, out, err);
  gnuplot_vars_free(b);
  rc = drc == 0 ? PLOT_DRAWN : PLOT_ERROR;
done:
  plot_layout_free(l);
  free(xs);
  free(curves);
  return rc;
}
