/* plot: `vnicsim plot DIR` aggregates results.csv over replications and draws the figures with gnuplot. */
#include "analysis/plot.h"
#include "analysis/labels.h"
#include "analysis/plot_view.h"
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
static int draw(const_results_csv_t rs, const figure_t* fig, const axis_t* ax, const char* gnuplot, const char* script,
                const char* analysis_dir, const char* outdir, const char* format, const char* name, char* out,
                size_t outlen, vn_error_t* err)
{
  const_plot_view_t v = ax->view;
  const_csv_t csv     = results_csv_table(rs);
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
    int rc = draw(rs, &figures[f], a, gnuplot, script, analysis_dir, outdir, format, name, out, sizeof out, &err);
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
