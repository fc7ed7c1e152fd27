/* plot_view: the ok rows of a results table grouped into series and x points, their means and intervals, and the
 * aggregated data file written from them. */
#include "analysis/plot_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/labels.h"
#include "analysis/replstats.h"
#include "base/csv.h"
#include "base/outfile.h"

/* ---- Grouping --------------------------------------------------------------------------------------------------- */

typedef struct {
  double x;
  size_t first; /* into view->order */
  size_t count;
} point_rec_t;

typedef struct {
  char* label;
  size_t first_point;
  size_t npoints;
} series_rec_t;

struct s_plot_view {
  const_results_csv_t rs;
  size_t* cols; /* columns forming the series */
  size_t ncols;
  char key_title[128];
  series_rec_t* series;
  size_t nseries;
  point_rec_t* points;
  size_t npoints;
  size_t* order; /* ok rows, grouped by series then x */
  size_t* row_series;
  double* row_x;
};

/* Joins the texts of columns @p cols of ok row @p i with a unit separator (never in a label). Caller frees. */
static char* row_key(const_results_csv_t rs, size_t i, const size_t* cols, size_t ncols, const double* x)
{
  size_t len  = 1;
  char xs[64] = "";
  if (x != NULL)
    len += (size_t)snprintf(xs, sizeof xs, "%.17g", *x) + 1;
  for (size_t k = 0; k < ncols; k++)
    len += strlen(results_csv_text(rs, i, cols[k])) + 1;
  char* key = malloc(len);
  if (key == NULL)
    return NULL;
  key[0] = '\0';
  for (size_t k = 0; k < ncols; k++) {
    strcat(key, results_csv_text(rs, i, cols[k]));
    strcat(key, "\x1f");
  }
  strcat(key, xs);
  return key;
}

typedef struct {
  char* key;  /* series columns and x */
  char* full; /* every varying sweep column */
} keypair_t;

static int keypair_cmp(const void* a, const void* b)
{
  const keypair_t* p = a;
  const keypair_t* q = b;
  int c              = strcmp(p->key, q->key);
  return c ? c : strcmp(p->full, q->full);
}

/* Whether grouping the ok rows by (@p cols, x) puts rows of different sweep combinations in one group. Returns 1
 * (mixes), 0, or -1 when out of memory. */
static int grouping_mixes(const_results_csv_t rs, const size_t* cols, size_t ncols, const double* xs)
{
  size_t n      = results_csv_ok_count(rs);
  size_t nsweep = results_csv_sweep_count(rs);
  size_t* all   = malloc((nsweep ? nsweep : 1) * sizeof *all);
  keypair_t* kp = calloc(n ? n : 1, sizeof *kp);
  int result    = -1;
  size_t nall   = 0;
  if (all == NULL || kp == NULL)
    goto done;
  for (size_t d = 0; d < nsweep; d++)
    if (results_csv_sweep_varies(rs, d))
      all[nall++] = results_csv_sweep_column(rs, d);
  for (size_t i = 0; i < n; i++) {
    kp[i].key  = row_key(rs, i, cols, ncols, &xs[i]);
    kp[i].full = row_key(rs, i, all, nall, NULL);
    if (kp[i].key == NULL || kp[i].full == NULL)
      goto done;
  }
  qsort(kp, n, sizeof *kp, keypair_cmp);
  result = 0;
  for (size_t i = 1; i < n; i++)
    if (strcmp(kp[i].key, kp[i - 1].key) == 0 && strcmp(kp[i].full, kp[i - 1].full) != 0)
      result = 1;
done:
  for (size_t i = 0; kp != NULL && i < n; i++) {
    free(kp[i].key);
    free(kp[i].full);
  }
  free(kp);
  free(all);
  return result;
}

static int is_mode_column(const_results_csv_t rs, size_t col)
{
  if (col == results_csv_mode_column(rs))
    return 1;
  for (size_t d = 0; d < results_csv_sweep_count(rs); d++)
    if (results_csv_sweep_column(rs, d) == col)
      return results_csv_sweep_is_mode(rs, d);
  return 0;
}

/* x is a result column such as consumers_per_host: drops the sweep columns it already accounts for, first to last,
 * as long as no group then holds two sweep combinations. Returns -1 when out of memory. */
static int drop_columns_x_accounts_for(plot_view_t v)
{
  for (size_t k = 0; k < v->ncols;) {
    if (is_mode_column(v->rs, v->cols[k])) {
      k++;
      continue;
    }
    size_t saved = v->cols[k];
    memmove(v->cols + k, v->cols + k + 1, (v->ncols - k - 1) * sizeof *v->cols);
    v->ncols--;
    int mixes = grouping_mixes(v->rs, v->cols, v->ncols, v->row_x);
    if (mixes < 0)
      return -1;
    if (mixes) { /* needed: put it back */
      memmove(v->cols + k + 1, v->cols + k, (v->ncols - k) * sizeof *v->cols);
      v->cols[k] = saved;
      v->ncols++;
      k++;
    }
  }
  return 0;
}

/* Puts the mode-defining columns first, so that legends read "speculative, service-time=20 ns"; adds the `mode`
 * column when none defines the mode and the mode varies, or nothing else forms a series. */
static void mode_columns_first(plot_view_t v)
{
  const_results_csv_t rs = v->rs;
  size_t nmode           = 0;
  for (size_t k = 0; k < v->ncols; k++)
    if (is_mode_column(rs, v->cols[k])) {
      size_t col = v->cols[k];
      memmove(v->cols + nmode + 1, v->cols + nmode, (k - nmode) * sizeof *v->cols);
      v->cols[nmode++] = col;
    }
  if (nmode == 0 && (results_csv_mode_varies(rs) || v->ncols == 0)) {
    memmove(v->cols + 1, v->cols, v->ncols * sizeof *v->cols);
    v->cols[0] = results_csv_mode_column(rs);
    v->ncols++;
  }
}

/* Chooses the columns forming the series (see plot_view_create()), and the legend title. */
static int choose_series_columns(plot_view_t v, size_t xcol, int x_is_derived, vn_error_t* err)
{
  const_results_csv_t rs = v->rs;
  size_t nsweep          = results_csv_sweep_count(rs);
  int x_is_sweep         = 0;
  v->cols                = malloc((nsweep + 1) * sizeof *v->cols);
  if (v->cols == NULL)
    goto oom;
  for (size_t d = 0; d < nsweep; d++) {
    size_t col = results_csv_sweep_column(rs, d);
    if (col == xcol)
      x_is_sweep = 1;
    else if (results_csv_sweep_varies(rs, d))
      v->cols[v->ncols++] = col;
  }
  if (!x_is_sweep && !x_is_derived && drop_columns_x_accounts_for(v) != 0)
    goto oom;
  mode_columns_first(v);
  if (v->ncols == 1 && !is_mode_column(rs, v->cols[0]))
    labels_column_title(csv_column_name(results_csv_table(rs), v->cols[0]), v->key_title, sizeof v->key_title);
  return 0;
oom:
  vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
  return -1;
}

static char* make_label(const_plot_view_t v, size_t i)
{
  const_csv_t csv = results_csv_table(v->rs);
  char buf[1024]  = "";
  size_t n        = 0;
  for (size_t k = 0; k < v->ncols && n < sizeof buf; k++) {
    const char* name = csv_column_name(csv, v->cols[k]);
    char val[256];
    labels_format_value(name, results_csv_text(v->rs, i, v->cols[k]), val, sizeof val);
    const char* sep = k ? ", " : "";
    if (is_mode_column(v->rs, v->cols[k]) || v->ncols == 1)
      n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", sep, val);
    else
      n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s=%s", sep, labels_attribute(name), val);
  }
  return strdup(buf);
}

/* Sort record of one ok row: rows are grouped by series, then x, then replication. */
typedef struct {
  size_t series;
  double x;
  long replication;
  size_t row;
} sort_rec_t;

static int sort_rec_cmp(const void* a, const void* b)
{
  const sort_rec_t* p = a;
  const sort_rec_t* q = b;
  if (p->series != q->series)
    return p->series < q->series ? -1 : 1;
  if (p->x != q->x)
    return p->x < q->x ? -1 : 1;
  if (p->replication != q->replication)
    return p->replication < q->replication ? -1 : 1;
  return p->row < q->row ? -1 : (p->row > q->row);
}

static long numeric_column(const_results_csv_t rs, const char* name, vn_error_t* err)
{
  const_csv_t csv = results_csv_table(rs);
  long col        = csv_column_index(csv, name);
  if (col < 0) {
    vn_error_set(err, csv_name(csv), 1, NULL, NULL, NULL, "header has no column \"%s\"", name);
    return -1;
  }
  return col;
}

/* Sets the x of every ok row: the value of column @p xcol, times that of column @p fcol unless it is negative. */
static int compute_x(plot_view_t v, size_t xcol, long fcol, vn_error_t* err)
{
  const_results_csv_t rs = v->rs;
  const_csv_t csv        = results_csv_table(rs);
  const size_t cols[2]   = {xcol, (size_t)fcol};
  for (size_t i = 0; i < results_csv_ok_count(rs); i++) {
    double x = 1;
    for (int k = 0; k < (fcol >= 0 ? 2 : 1); k++) {
      double f = results_csv_value(rs, i, cols[k]);
      if (!isfinite(f)) {
        const char* cell = results_csv_text(rs, i, cols[k]);
        vn_error_set(err, csv_name(csv), results_csv_ok_line(rs, i), NULL, csv_column_name(csv, cols[k]), cell,
                     "%s, but the figures need a number here", cell[0] ? "not a number" : "empty cell");
        return -1;
      }
      x *= f;
    }
    v->row_x[i] = x;
  }
  return 0;
}

/* Assigns every ok row to its series (the values of the series columns), series in order of their first row, and
 * labels each series. */
static int assign_series(plot_view_t v, vn_error_t* err)
{
  size_t n    = results_csv_ok_count(v->rs);
  char** keys = calloc(n ? n : 1, sizeof *keys);
  int rc      = keys != NULL ? 0 : -1;
  for (size_t i = 0; rc == 0 && i < n; i++) {
    char* key = row_key(v->rs, i, v->cols, v->ncols, NULL);
    if (key == NULL) {
      rc = -1;
      break;
    }
    size_t s = 0;
    while (s < v->nseries && strcmp(keys[s], key) != 0)
      s++;
    if (s == v->nseries) {
      keys[v->nseries]              = key;
      v->series[v->nseries++].label = make_label(v, i);
      if (v->series[s].label == NULL)
        rc = -1;
    } else {
      free(key);
    }
    v->row_series[i] = s;
  }
  for (size_t s = 0; keys != NULL && s < v->nseries; s++)
    free(keys[s]);
  free(keys);
  if (rc != 0)
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
  return rc;
}

/* Orders the ok rows by series, x and replication and cuts them into points (one per series and x). Two rows of
 * one point with the same replication are refused. */
static int group_points(plot_view_t v, const char* x_column, vn_error_t* err)
{
  const_results_csv_t rs = v->rs;
  size_t n               = results_csv_ok_count(rs);
  sort_rec_t* recs       = malloc((n ? n : 1) * sizeof *recs);
  if (recs == NULL) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
    return -1;
  }
  for (size_t i = 0; i < n; i++)
    recs[i] = (sort_rec_t){v->row_series[i], v->row_x[i], results_csv_replication(rs, i), i};
  qsort(recs, n, sizeof *recs, sort_rec_cmp);
  for (size_t k = 0; k < n; k++)
    v->order[k] = recs[k].row;
  free(recs);
  for (size_t k = 0; k < n; k++) {
    size_t i = v->order[k];
    size_t s = v->row_series[i];
    if (k == 0 || s != v->row_series[v->order[k - 1]] || v->row_x[i] != v->row_x[v->order[k - 1]]) {
      if (v->series[s].npoints == 0)
        v->series[s].first_point = v->npoints;
      v->series[s].npoints++;
      v->points[v->npoints++] = (point_rec_t){.x = v->row_x[i], .first = k, .count = 0};
    } else if (results_csv_replication(rs, i) == results_csv_replication(rs, v->order[k - 1])) {
      /* Two rows that the figure cannot tell apart: a results file concatenated twice, or a sweep of labelled
       * cases that changes x without being a mode. Averaging them would be wrong. */
      vn_error_set(err, csv_name(results_csv_table(rs)), results_csv_ok_line(rs, i), NULL, NULL, NULL,
                   "this row and line %d have the same series, x (%s = %g) and replication; cannot aggregate",
                   results_csv_ok_line(rs, v->order[k - 1]), x_column, v->row_x[i]);
      return -1;
    }
    v->points[v->npoints - 1].count++;
  }
  return 0;
}

plot_view_t plot_view_create(const_results_csv_t rs, const char* x_column, const char* x_factor_column, vn_error_t* err)
{
  size_t n  = results_csv_ok_count(rs);
  long xcol = numeric_column(rs, x_column, err);
  long fcol = x_factor_column ? numeric_column(rs, x_factor_column, err) : -1;
  if (xcol < 0 || (x_factor_column && fcol < 0))
    return NULL;
  plot_view_t v = calloc(1, sizeof *v);
  if (v != NULL) {
    v->rs         = rs;
    v->row_x      = malloc((n ? n : 1) * sizeof *v->row_x);
    v->row_series = malloc((n ? n : 1) * sizeof *v->row_series);
    v->order      = malloc((n ? n : 1) * sizeof *v->order);
    v->series     = calloc(n ? n : 1, sizeof *v->series);
    v->points     = calloc(n ? n : 1, sizeof *v->points);
  }
  if (v == NULL || v->row_x == NULL || v->row_series == NULL || v->order == NULL || v->series == NULL ||
      v->points == NULL) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
    plot_view_free(v);
    return NULL;
  }
  if (compute_x(v, (size_t)xcol, fcol, err) != 0 ||
      choose_series_columns(v, (size_t)xcol, x_factor_column != NULL, err) != 0 || assign_series(v, err) != 0 ||
      group_points(v, x_column, err) != 0) {
    plot_view_free(v);
    return NULL;
  }
  return v;
}

void plot_view_free(plot_view_t v)
{
  if (v == NULL)
    return;
  for (size_t s = 0; s < v->nseries; s++)
    free(v->series[s].label);
  free(v->series);
  free(v->points);
  free(v->order);
  free(v->row_series);
  free(v->row_x);
  free(v->cols);
  free(v);
}

const_results_csv_t plot_view_results(const_plot_view_t v)
{
  return v->rs;
}

size_t plot_view_series_count(const_plot_view_t v)
{
  return v->nseries;
}

const char* plot_view_series_label(const_plot_view_t v, size_t s)
{
  return v->series[s].label;
}

const char* plot_view_key_title(const_plot_view_t v)
{
  return v->key_title;
}

size_t plot_view_series_column_count(const_plot_view_t v)
{
  return v->ncols;
}

size_t plot_view_series_column(const_plot_view_t v, size_t k)
{
  return v->cols[k];
}

int plot_view_series_column_is_mode(const_plot_view_t v, size_t k)
{
  return is_mode_column(v->rs, v->cols[k]);
}

const char* plot_view_series_value(const_plot_view_t v, size_t s, size_t k)
{
  const point_rec_t* pt = &v->points[v->series[s].first_point];
  return results_csv_text(v->rs, v->order[pt->first], v->cols[k]);
}

size_t plot_view_point_count(const_plot_view_t v, size_t s)
{
  return v->series[s].npoints;
}

static const point_rec_t* point_of(const_plot_view_t v, size_t s, size_t p)
{
  return &v->points[v->series[s].first_point + p];
}

double plot_view_x(const_plot_view_t v, size_t s, size_t p)
{
  return point_of(v, s, p)->x;
}

size_t plot_view_rows(const_plot_view_t v, size_t s, size_t p)
{
  return point_of(v, s, p)->count;
}

size_t plot_view_point_row(const_plot_view_t v, size_t s, size_t p, size_t k)
{
  return v->order[point_of(v, s, p)->first + k];
}

size_t plot_view_stat(const_plot_view_t v, size_t s, size_t p, size_t col, double* mean, double* ci95)
{
  const point_rec_t* pt = point_of(v, s, p);
  double* vals          = malloc((pt->count ? pt->count : 1) * sizeof *vals);
  if (vals == NULL) {
    *mean = *ci95 = NAN;
    return 0;
  }
  for (size_t k = 0; k < pt->count; k++)
    vals[k] = results_csv_value(v->rs, v->order[pt->first + k], col);
  size_t used = replstats_mean_ci95(vals, pt->count, mean, ci95);
  free(vals);
  return used;
}

void plot_view_rows_range(const_plot_view_t v, size_t* min, size_t* max)
{
  *min = *max = 0;
  for (size_t k = 0; k < v->npoints; k++) {
    if (k == 0 || v->points[k].count < *min)
      *min = v->points[k].count;
    if (v->points[k].count > *max)
      *max = v->points[k].count;
  }
}

/* ---- The aggregated data file ----------------------------------------------------------------------------------- */

static void put_number(FILE* f, double v)
{
  if (isfinite(v))
    fprintf(f, "%.10g", v);
}

/* The header of the data file: series_id, series, the series columns, x, n, then the mean and CI of every numeric
 * fixed column. */
static void write_csv_header(const_plot_view_t v, const char* x_name, FILE* f)
{
  const_csv_t csv = results_csv_table(v->rs);
  fputs("series_id,series", f);
  for (size_t k = 0; k < v->ncols; k++) {
    fputc(',', f);
    csv_write_field(f, csv_column_name(csv, v->cols[k]));
  }
  fputc(',', f);
  csv_write_field(f, x_name);
  fputs(",n", f);
  for (size_t c = results_csv_mode_column(v->rs) + 1; c < csv_column_count(csv); c++)
    if (results_csv_column_is_numeric(v->rs, c)) {
      fputc(',', f);
      csv_write_field(f, csv_column_name(csv, c));
      fputs("_mean,", f);
      csv_write_field(f, csv_column_name(csv, c));
      fputs("_ci95", f);
    }
  fputc('\n', f);
}

/* The line of point @p p of series @p s. */
static void write_csv_point(const_plot_view_t v, size_t s, size_t p, FILE* f)
{
  const_csv_t csv       = results_csv_table(v->rs);
  const point_rec_t* pt = point_of(v, s, p);
  fprintf(f, "%zu,", s);
  csv_write_field(f, v->series[s].label);
  for (size_t k = 0; k < v->ncols; k++) {
    fputc(',', f);
    csv_write_field(f, results_csv_text(v->rs, v->order[pt->first], v->cols[k]));
  }
  fputc(',', f);
  put_number(f, pt->x);
  fprintf(f, ",%zu", pt->count);
  for (size_t c = results_csv_mode_column(v->rs) + 1; c < csv_column_count(csv); c++)
    if (results_csv_column_is_numeric(v->rs, c)) {
      double mean;
      double ci95;
      plot_view_stat(v, s, p, c, &mean, &ci95);
      fputc(',', f);
      put_number(f, mean);
      fputc(',', f);
      put_number(f, ci95);
    }
  fputc('\n', f);
}

int plot_view_write_csv(const_plot_view_t v, const char* x_name, const char* path, vn_error_t* err)
{
  outfile_t file = outfile_open(path, err);
  if (file == NULL)
    return -1;
  write_csv_header(v, x_name, outfile_stream(file));
  for (size_t s = 0; s < v->nseries; s++)
    for (size_t p = 0; p < v->series[s].npoints; p++)
      write_csv_point(v, s, p, outfile_stream(file));
  return outfile_commit(file, err);
}
