/* plot: `vnicsim plot DIR` aggregates results.csv over replications and draws the figures with gnuplot. */
#include "analysis/plot.h"
#include "analysis/labels.h"
#include "analysis/replstats.h"
#include "base/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

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

/* Chooses the columns forming the series (see plot_view_make()). */
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
  if (!x_is_sweep && !x_is_derived) {
    /* x is a result column such as consumers_per_host: drop the sweep columns it already accounts for, first to
     * last, as long as no group then holds two sweep combinations. */
    for (size_t k = 0; k < v->ncols;) {
      if (is_mode_column(rs, v->cols[k])) {
        k++;
        continue;
      }
      size_t saved = v->cols[k];
      memmove(v->cols + k, v->cols + k + 1, (v->ncols - k - 1) * sizeof *v->cols);
      v->ncols--;
      int mixes = grouping_mixes(rs, v->cols, v->ncols, v->row_x);
      if (mixes < 0)
        goto oom;
      if (mixes) { /* needed: put it back */
        memmove(v->cols + k + 1, v->cols + k, (v->ncols - k) * sizeof *v->cols);
        v->cols[k] = saved;
        v->ncols++;
        k++;
      }
    }
  }
  /* Mode-defining columns go first, so that legends read "speculative, service-time=20 ns". */
  size_t nmode = 0;
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
  size_t non_mode = 0;
  size_t last     = 0;
  for (size_t k = 0; k < v->ncols; k++)
    if (!is_mode_column(rs, v->cols[k])) {
      non_mode++;
      last = v->cols[k];
    }
  if (non_mode == 1 && v->ncols == 1)
    labels_column_title(csv_column_name(results_csv_table(rs), last), v->key_title, sizeof v->key_title);
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

plot_view_t plot_view_make(const_results_csv_t rs, const char* x_column, const char* x_factor_column, vn_error_t* err)
{
  const_csv_t csv = results_csv_table(rs);
  size_t n        = results_csv_ok_count(rs);
  long xcol       = numeric_column(rs, x_column, err);
  long fcol       = x_factor_column ? numeric_column(rs, x_factor_column, err) : 0;
  if (xcol < 0 || fcol < 0)
    return NULL;
  plot_view_t v = calloc(1, sizeof *v);
  if (v == NULL) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
    return NULL;
  }
  v->rs         = rs;
  v->row_x      = malloc((n ? n : 1) * sizeof *v->row_x);
  v->row_series = malloc((n ? n : 1) * sizeof *v->row_series);
  v->order      = malloc((n ? n : 1) * sizeof *v->order);
  v->series     = calloc(n ? n : 1, sizeof *v->series);
  v->points     = calloc(n ? n : 1, sizeof *v->points);
  if (v->row_x == NULL || v->row_series == NULL || v->order == NULL || v->series == NULL || v->points == NULL)
    goto oom;

  for (size_t i = 0; i < n; i++) {
    const size_t cols[2] = {(size_t)xcol, (size_t)fcol};
    double x             = 1;
    for (int k = 0; k < (x_factor_column ? 2 : 1); k++) {
      double f = results_csv_value(rs, i, cols[k]);
      if (!isfinite(f)) {
        const char* cell = results_csv_text(rs, i, cols[k]);
        vn_error_set(err, csv_name(csv), results_csv_ok_line(rs, i), NULL, csv_column_name(csv, cols[k]), cell,
                     "%s, but the figures need a number here", cell[0] ? "not a number" : "empty cell");
        goto fail;
      }
      x *= f;
    }
    v->row_x[i] = x;
  }
  if (choose_series_columns(v, (size_t)xcol, x_factor_column != NULL, err) != 0)
    goto fail;

  /* Series in order of their first row. */
  char** keys = calloc(n ? n : 1, sizeof *keys);
  if (keys == NULL)
    goto oom;
  for (size_t i = 0; i < n; i++) {
    char* key = row_key(rs, i, v->cols, v->ncols, NULL);
    if (key == NULL) {
      free(keys);
      goto oom;
    }
    size_t s = 0;
    while (s < v->nseries && strcmp(keys[s], key) != 0)
      s++;
    if (s == v->nseries) {
      keys[v->nseries]              = key;
      v->series[v->nseries++].label = make_label(v, i);
      if (v->series[s].label == NULL) {
        for (size_t k = 0; k < v->nseries; k++)
          free(keys[k]);
        free(keys);
        goto oom;
      }
    } else {
      free(key);
    }
    v->row_series[i] = s;
    v->order[i]      = i;
  }
  for (size_t s = 0; s < v->nseries; s++)
    free(keys[s]);
  free(keys);

  sort_rec_t* recs = malloc((n ? n : 1) * sizeof *recs);
  if (recs == NULL)
    goto oom;
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
      vn_error_set(err, csv_name(csv), results_csv_ok_line(rs, i), NULL, NULL, NULL,
                   "this row and line %d have the same series, x (%s = %g) and replication; cannot aggregate",
                   results_csv_ok_line(rs, v->order[k - 1]), x_column, v->row_x[i]);
      goto fail;
    }
    v->points[v->npoints - 1].count++;
  }
  return v;
oom:
  vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
fail:
  plot_view_free(v);
  return NULL;
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

/* ---- Writing files ---------------------------------------------------------------------------------------------- */

static void put_number(FILE* f, double v)
{
  if (isfinite(v))
    fprintf(f, "%.10g", v);
}

int plot_view_write_csv(const_plot_view_t v, const char* x_name, const char* path, vn_error_t* err)
{
  const_csv_t csv = results_csv_table(v->rs);
  outfile_t file  = outfile_open(path, err);
  if (file == NULL)
    return -1;
  FILE* f      = outfile_stream(file);
  size_t ncols = csv_column_count(csv);
  size_t first = results_csv_mode_column(v->rs) + 1;

  fputs("series_id,series", f);
  for (size_t k = 0; k < v->ncols; k++) {
    fputc(',', f);
    csv_write_field(f, csv_column_name(csv, v->cols[k]));
  }
  fputc(',', f);
  csv_write_field(f, x_name);
  fputs(",n", f);
  for (size_t c = first; c < ncols; c++)
    if (results_csv_column_is_numeric(v->rs, c)) {
      fputc(',', f);
      csv_write_field(f, csv_column_name(csv, c));
      fputs("_mean,", f);
      csv_write_field(f, csv_column_name(csv, c));
      fputs("_ci95", f);
    }
  fputc('\n', f);

  for (size_t s = 0; s < v->nseries; s++)
    for (size_t p = 0; p < v->series[s].npoints; p++) {
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
      for (size_t c = first; c < ncols; c++)
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
  return outfile_commit(file, err);
}

/* ---- gnuplot ---------------------------------------------------------------------------------------------------- */

/* Finds the gnuplot executable: env VNICSIM_GNUPLOT (a path, or a name looked up on PATH), else "gnuplot" on PATH. */
static int find_gnuplot(char* out, size_t len)
{
  const char* name = getenv("VNICSIM_GNUPLOT");
  if (name == NULL || name[0] == '\0')
    name = "gnuplot";
  if (strchr(name, '/') != NULL) {
    snprintf(out, len, "%s", name);
    return access(out, X_OK) == 0 ? 0 : -1;
  }
  const char* path = getenv("PATH");
  if (path == NULL)
    path = "/usr/local/bin:/usr/bin:/bin";
  while (*path) {
    const char* end = strchr(path, ':');
    size_t dlen     = end ? (size_t)(end - path) : strlen(path);
    snprintf(out, len, "%.*s/%s", (int)dlen, dlen ? path : ".", name);
    struct stat st;
    if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
      return 0;
    path += dlen + (end ? 1 : 0);
  }
  return -1;
}

/* A growing string, for the gnuplot variable assignments. */
typedef struct {
  char* s;
  size_t len;
  size_t cap;
  int oom;
} strbuf_t;

static void sb_printf(strbuf_t* b, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(strbuf_t* b, const char* fmt, ...)
{
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    size_t room = b->cap - b->len;
    int w       = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt, ap);
    va_end(ap);
    if (w < 0) {
      b->oom = 1;
      return;
    }
    if (b->s != NULL && (size_t)w < room) {
      b->len += (size_t)w;
      return;
    }
    size_t ncap = (b->cap ? b->cap : 256) + (size_t)w + 256;
    char* p     = realloc(b->s, ncap);
    if (p == NULL) {
      b->oom = 1;
      return;
    }
    b->s   = p;
    b->cap = ncap;
  }
}

/* Appends @p text as a gnuplot single-quoted string ('' is a quote; control characters become blanks). */
static void sb_quoted(strbuf_t* b, const char* text)
{
  sb_printf(b, "'");
  for (const char* p = text; *p; p++) {
    if (*p == '\'')
      sb_printf(b, "''");
    else if ((unsigned char)*p < 0x20)
      sb_printf(b, " ");
    else
      sb_printf(b, "%c", *p);
  }
  sb_printf(b, "'");
}

static void sb_var(strbuf_t* b, const char* name, const char* text)
{
  sb_printf(b, "%s=", name);
  sb_quoted(b, text);
  sb_printf(b, "; ");
}

/* Runs `gnuplot -e VARS SCRIPT`, its output going to @p log_path. Returns 0, or -1 with @p err filled (and the log
 * copied to stderr) when it cannot start or fails. */
static int run_gnuplot(const char* gnuplot, const char* vars, const char* script, const char* log_path,
                       const char* what, vn_error_t* err)
{
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 2, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 2, 1);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  char* const argv[] = {(char*)gnuplot, "-e", (char*)vars, (char*)script, NULL};
  pid_t pid;
  int rc = posix_spawn(&pid, gnuplot, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    vn_error_set(err, gnuplot, 0, NULL, NULL, NULL, "cannot run gnuplot: %s", strerror(rc));
    unlink(log_path);
    return -1;
  }
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      vn_error_set(err, gnuplot, 0, NULL, NULL, NULL, "waiting for gnuplot: %s", strerror(errno));
      unlink(log_path);
      return -1;
    }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    unlink(log_path);
    return 0;
  }
  FILE* log = fopen(log_path, "r");
  if (log != NULL) {
    char line[1024];
    for (int k = 0; k < 40 && fgets(line, sizeof line, log) != NULL; k++)
      fprintf(stderr, "gnuplot: %s", line);
    fclose(log);
  }
  unlink(log_path);
  if (WIFEXITED(status))
    vn_error_set(err, script, 0, NULL, NULL, NULL, "gnuplot failed drawing %s (exit status %d)", what,
                 WEXITSTATUS(status));
  else
    vn_error_set(err, script, 0, NULL, NULL, NULL, "gnuplot failed drawing %s (killed by signal %d)", what,
                 WTERMSIG(status));
  return -1;
}

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

/* x-axis settings: log scale when the distinct x values are spaced geometrically (1 2 4 8 16 32), and explicit tics
 * at the values themselves when they are few and regularly spaced (on either scale). */
static void x_axis_settings(const axis_t* ax, strbuf_t* b)
{
  const_plot_view_t v = ax->view;
  size_t total        = 0;
  for (size_t s = 0; s < plot_view_series_count(v); s++)
    total += plot_view_point_count(v, s);
  double* xs = malloc((total ? total : 1) * sizeof *xs);
  if (xs == NULL) {
    b->oom = 1;
    return;
  }
  size_t n = 0;
  for (size_t s = 0; s < plot_view_series_count(v); s++)
    for (size_t p = 0; p < plot_view_point_count(v, s); p++)
      xs[n++] = plot_view_x(v, s, p) * ax->scale;
  qsort(xs, n, sizeof *xs, dbl_cmp);
  size_t u = 0;
  for (size_t i = 0; i < n; i++)
    if (u == 0 || xs[i] != xs[u - 1])
      xs[u++] = xs[i];
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
  sb_printf(b, "logx=%d; xmin=%.17g; xmax=%.17g; ", logx, u ? xs[0] : 0.0, u ? xs[u - 1] : 1.0);
  sb_printf(b, "xtics='");
  if (regular && u <= 12) {
    sb_printf(b, "(");
    for (size_t i = 0; i < u; i++)
      sb_printf(b, "%s\"%.4g\" %.17g", i ? ", " : "", xs[i], xs[i]);
    sb_printf(b, ")");
  }
  sb_printf(b, "'; ");
  free(xs);
}

/* y-axis settings for @p fig over @p v: the display unit, and log scale for latency-like metrics spanning more
 * than two decades. Returns 0 when the metric has no value at all (nothing to draw). */
static int y_axis_settings(const figure_t* fig, const_plot_view_t v, size_t col, long col2, strbuf_t* b)
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
  sb_var(b, "ylabel", ylabel);
  sb_printf(b, "yscale=%.17g; logy=%d; ymin=%.17g; ymax=%.17g; ", scale, logy, isfinite(min_pos) ? min_pos * scale : 0,
            max * scale);
  return 1;
}

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

/* Draws figure @p fig on @p ax. Returns 1 when drawn, 0 when it has no data, -1 on error. */
static int draw(const figure_t* fig, const axis_t* ax, const char* gnuplot, const char* script,
                const char* analysis_dir, const char* outdir, const char* format, const char* name, char* out,
                size_t outlen, vn_error_t* err)
{
  const_plot_view_t v = ax->view;
  const_csv_t csv     = results_csv_table(v->rs);
  long col            = csv_column_index(csv, fig->metric);
  long col2           = fig->metric2 ? csv_column_index(csv, fig->metric2) : -1;
  strbuf_t b          = {0};
  if (plot_view_series_count(v) == 0 || !y_axis_settings(fig, v, (size_t)col, col2, &b)) {
    free(b.s);
    return 0;
  }
  snprintf(out, outlen, "%s/%s.%s", outdir, fig->name, format);
  outfile_t image = outfile_open(out, err); /* gnuplot writes the temporary; renamed over @p out when complete */
  if (image == NULL) {
    free(b.s);
    return -1;
  }
  char log_path[4300];
  snprintf(log_path, sizeof log_path, "%s/.%s.log.tmp", outdir, fig->name);

  char title[1024];
  char xtitle[256];
  snprintf(xtitle, sizeof xtitle, "%s", ax->label);
  char* paren = strstr(xtitle, " (");
  if (paren != NULL)
    *paren = '\0';
  snprintf(title, sizeof title, "%s: %s vs %s", name, fig->title, xtitle);
  size_t rmin;
  size_t rmax;
  plot_view_rows_range(v, &rmin, &rmax);
  char sub[256];
  if (rmax <= 1)
    snprintf(sub, sizeof sub, "one replication per point (no confidence interval)");
  else if (rmin == rmax)
    snprintf(sub, sizeof sub, "mean of %zu replications; error bars: 95%% confidence interval (Student t)", rmax);
  else
    snprintf(sub, sizeof sub, "mean of %zu to %zu replications; error bars: 95%% confidence interval (Student t)", rmin,
             rmax);

  sb_var(&b, "analysisdir", analysis_dir);
  sb_var(&b, "fmt", format);
  sb_var(&b, "datafile", ax->path);
  sb_var(&b, "outfile", outfile_temp_path(image));
  sb_var(&b, "ptitle", title);
  sb_var(&b, "psub", sub);
  sb_var(&b, "xlabel", ax->label);
  sb_var(&b, "xcol", ax->data_name);
  sb_printf(&b, "xscale=%.17g; ", ax->scale);
  x_axis_settings(ax, &b);
  sb_var(&b, "metric", fig->metric);
  sb_var(&b, "metric2", fig->metric2 ? fig->metric2 : "");
  sb_var(&b, "label1", fig->metric2 ? "p99 (solid)" : "");
  sb_var(&b, "label2", fig->metric2 ? "mean (dashed)" : "");
  sb_printf(&b, "ebars=%d; nseries=%zu; array S[%zu]=[", rmax > 1, plot_view_series_count(v),
            plot_view_series_count(v));
  for (size_t s = 0; s < plot_view_series_count(v); s++) {
    if (s)
      sb_printf(&b, ",");
    sb_quoted(&b, plot_view_series_label(v, s));
  }
  sb_printf(&b, "]; ");
  sb_var(&b, "keytitle", plot_view_key_title(v));
  /* Beside the plot, a legend of long labels would squeeze the plot to half the width. */
  size_t longest = strlen(plot_view_key_title(v));
  for (size_t s = 0; s < plot_view_series_count(v); s++)
    longest = longest > strlen(plot_view_series_label(v, s)) ? longest : strlen(plot_view_series_label(v, s));
  sb_var(&b, "keypos", plot_view_series_count(v) > 1 && longest <= 20 ? "right" : "below");
  if (b.oom) {
    free(b.s);
    outfile_abandon(image);
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
    return -1;
  }
  int rc = run_gnuplot(gnuplot, b.s, script, log_path, out, err);
  free(b.s);
  if (rc != 0) {
    outfile_abandon(image);
    return -1;
  }
  return outfile_commit(image, err) == 0 ? 1 : -1;
}

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
    ax[a].view = plot_view_make(rs, ax[a].column, ax[a].factor, err);
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

int plot_command(const char* dir, const char* outopt, const char* format)
{
  vn_error_t err;
  vn_error_clear(&err);
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    vn_error_set(&err, dir, 0, NULL, NULL, NULL, "%s", stat(dir, &st) != 0 ? "no such directory" : "not a directory");
    vn_error_print(&err, stderr);
    return VN_EXIT_INPUT;
  }
  char results[4200];
  snprintf(results, sizeof results, "%s/results.csv", dir);
  results_csv_t rs = results_csv_load(results, &err);
  if (rs == NULL || results_csv_require(rs, plot_needs, "needed by vnicsim plot", &err) != 0) {
    vn_error_print(&err, stderr);
    results_csv_free(rs);
    return VN_EXIT_INPUT;
  }
  if (results_csv_failed_count(rs) > 0)
    fprintf(stderr, "vnicsim plot: skipped %zu failed row%s of %s\n", results_csv_failed_count(rs),
            results_csv_failed_count(rs) == 1 ? "" : "s", results);
  if (results_csv_ok_count(rs) == 0) {
    vn_error_set(&err, results, 0, NULL, NULL, NULL, "no row with status ok: nothing to plot");
    vn_error_print(&err, stderr);
    results_csv_free(rs);
    return VN_EXIT_INPUT;
  }

  char gnuplot[4200];
  if (find_gnuplot(gnuplot, sizeof gnuplot) != 0) {
    vn_error_set(&err, NULL, 0, NULL, NULL, NULL,
                 "gnuplot not found (install gnuplot, or set VNICSIM_GNUPLOT to its path)");
    vn_error_print(&err, stderr);
    results_csv_free(rs);
    return VN_EXIT_INPUT;
  }
  const char* analysis_dir = getenv("VNICSIM_ANALYSIS_DIR");
  if (analysis_dir == NULL || analysis_dir[0] == '\0')
    analysis_dir = VNICSIM_SOURCE_DIR "/analysis";
  char script[4200];
  snprintf(script, sizeof script, "%s/metric.gp", analysis_dir);
  if (access(script, R_OK) != 0) {
    vn_error_set(&err, script, 0, NULL, NULL, NULL,
                 "cannot read the plotting script (set VNICSIM_ANALYSIS_DIR to the "
                 "directory holding vnicsim's analysis scripts)");
    vn_error_print(&err, stderr);
    results_csv_free(rs);
    return VN_EXIT_INPUT;
  }

  char outdir[4096];
  if (outopt != NULL)
    snprintf(outdir, sizeof outdir, "%s", outopt);
  else
    snprintf(outdir, sizeof outdir, "%s/plots", dir);
  char name[256];
  dir_title(dir, name, sizeof name);

  int status            = 0;
  axis_t ax[AXIS_COUNT] = {{0}};
  if (plan_axes(rs, ax, outdir, &err) != 0) {
    status = VN_EXIT_INPUT;
    goto done;
  }
  if (ax[AXIS_MAIN].column == NULL)
    fprintf(stderr,
            "vnicsim plot: no numeric sweep dimension varies in %s: no figure against consumers "
            "(vnicsim compare summarises such runs)\n",
            results);
  if (outfile_mkdirs(outdir) != 0) {
    vn_error_set(&err, outdir, 0, NULL, NULL, NULL, "cannot create the output directory: %s", strerror(errno));
    status = VN_EXIT_INTERNAL;
    goto done;
  }
  for (int a = 0; a < AXIS_COUNT; a++)
    if (ax[a].view != NULL && ax[a].same_as < 0 &&
        plot_view_write_csv(ax[a].view, ax[a].data_name, ax[a].path, &err) != 0) {
      status = VN_EXIT_INTERNAL;
      goto done;
    }
  size_t drawn = 0;
  for (size_t f = 0; f < sizeof figures / sizeof figures[0]; f++) {
    const axis_t* a = &ax[figures[f].axis];
    if (a->view == NULL)
      continue;
    char out[4300];
    int rc = draw(&figures[f], a, gnuplot, script, analysis_dir, outdir, format, name, out, sizeof out, &err);
    if (rc < 0) {
      status = VN_EXIT_INTERNAL;
      goto done;
    }
    if (rc == 0)
      fprintf(stderr, "vnicsim plot: %s.%s not drawn: no value of %s in %s\n", figures[f].name, format,
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
done:
  if (status != 0)
    vn_error_print(&err, stderr);
  for (int a = 0; a < AXIS_COUNT; a++)
    if (ax[a].same_as < 0)
      plot_view_free(ax[a].view);
  results_csv_free(rs);
  return status;
}
