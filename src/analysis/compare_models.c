/* compare_models: the same scenario under a flow-level network model and under ns-3's packet-level model.
 * Both runs use the same one-hop platform (ns-3 accepts nothing else), so routes, link bandwidths and latencies are
 * the same and only the network model differs. ns-3 is some 500 times slower: keep such scenarios small. */
#include "analysis/compare_models.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xbt/sysdep.h>

#include "analysis/labels.h"
#include "analysis/replstats.h"
#include "analysis/results_csv.h"
#include "base/csv.h"
#include "base/error.h"
#include "model/params.h"
#include "scenario/scenario.h"

/* The one-hop twin of a platform: X-explicit.xml next to X.xml, when it exists. */
static void explicit_twin(const char* platform, char* out, size_t len)
{
  snprintf(out, len, "%s", platform);
  size_t n = strlen(platform);
  if (n > 4 && strcmp(platform + n - 4, ".xml") == 0 && (n < 13 || strcmp(platform + n - 13, "-explicit.xml") != 0)) {
    char twin[PATH_MAX];
    snprintf(twin, sizeof twin, "%.*s-explicit.xml", (int)(n - 4), platform);
    if (access(twin, R_OK) == 0)
      snprintf(out, len, "%s", twin);
  }
}

static int run_with_model(const run_options_t* base, const char* dir, const char* model, const char* platform)
{
  run_options_t o = *base;
  o.out_dir       = dir;
  o.sets          = xbt_new0(const char*, base->nsets + 2);
  if (base->nsets > 0)
    memcpy(o.sets, base->sets, (size_t)base->nsets * sizeof(char*));
  char* set_model = NULL;
  char* set_file  = NULL;
  if (asprintf(&set_model, "platform.network-model=%s", model) < 0 ||
      asprintf(&set_file, "platform.file=%s", platform) < 0)
    xbt_die("out of memory");
  o.sets[o.nsets++] = set_model;
  o.sets[o.nsets++] = set_file;
  fprintf(stderr, "vnicsim: compare-models: %s on %s\n", model, platform);
  int rc = runner_run(&o);
  free(set_model);
  free(set_file);
  free(o.sets);
  return rc;
}

/* ---- The report ------------------------------------------------------------------------------------------------- */

static const struct {
  const char* column;
  const char* stem; /* of the CSV columns */
  const char* title;
  labels_kind_t kind;
} cm_metrics[] = {
    {"e2e_latency_mean_s", "e2e_latency_mean", "e2e latency, mean", LABELS_TIME},
    {"e2e_latency_p99_s", "e2e_latency_p99", "e2e latency, p99", LABELS_TIME},
    {"e2e_network_s", "e2e_network", "network part of the mean", LABELS_TIME},
    {"throughput_wr_s", "throughput", "throughput", LABELS_WR_RATE},
};
#define CM_METRICS (sizeof cm_metrics / sizeof cm_metrics[0])

/* The rows of one point (sweep combination) under one model. */
typedef struct {
  size_t* rows;
  size_t n;
} rowset_t;

/* The ok rows of @p rs whose sweep cells equal those of ok row @p ref of @p rs0, sorted by replication. */
static rowset_t rows_like(const_results_csv_t rs0, size_t ref, const_results_csv_t rs)
{
  rowset_t set = {malloc((results_csv_ok_count(rs) + 1) * sizeof(size_t)), 0};
  if (set.rows == NULL)
    return set;
  const_csv_t c0 = results_csv_table(rs0);
  const_csv_t c  = results_csv_table(rs);
  for (size_t i = 0; i < results_csv_ok_count(rs); i++) {
    int same = 1;
    for (size_t d = 0; d < results_csv_sweep_count(rs0) && same; d++) {
      size_t col0 = results_csv_sweep_column(rs0, d);
      long col    = csv_column_index(c, csv_column_name(c0, col0));
      same        = col >= 0 && strcmp(results_csv_text(rs0, ref, col0), results_csv_text(rs, i, (size_t)col)) == 0;
    }
    if (!same)
      continue;
    size_t k = set.n++;
    while (k > 0 && results_csv_replication(rs, set.rows[k - 1]) > results_csv_replication(rs, i)) {
      set.rows[k] = set.rows[k - 1];
      k--;
    }
    set.rows[k] = i;
  }
  return set;
}

/* Whether ok row @p i is the first of its sweep combination in @p rs. */
static int first_of_point(const_results_csv_t rs, size_t i)
{
  for (size_t j = 0; j < i; j++) {
    int same = 1;
    for (size_t d = 0; d < results_csv_sweep_count(rs) && same; d++) {
      size_t col = results_csv_sweep_column(rs, d);
      same       = strcmp(results_csv_text(rs, i, col), results_csv_text(rs, j, col)) == 0;
    }
    if (same)
      return 0;
  }
  return 1;
}

/* One metric of one point: the statistics under each model and the paired ratio. */
typedef struct {
  double flow_mean, flow_ci, ns3_mean, ns3_ci;
  replstats_ratio_t ratio;
} cm_stat_t;

static cm_stat_t point_stat(const_results_csv_t f, const rowset_t* fr, const_results_csv_t n, const rowset_t* nr,
                            const char* column)
{
  cm_stat_t st = {NAN, NAN, NAN, NAN, {REPLSTATS_RATIO_NA, 0, NAN, NAN}};
  long fc      = csv_column_index(results_csv_table(f), column);
  long nc      = csv_column_index(results_csv_table(n), column);
  size_t cap   = (fr->n > nr->n ? fr->n : nr->n) + 1;
  double* a    = malloc(cap * sizeof *a);
  double* b    = malloc(cap * sizeof *b);
  if (fc < 0 || nc < 0 || a == NULL || b == NULL) {
    free(a);
    free(b);
    return st;
  }
  for (size_t k = 0; k < fr->n; k++)
    a[k] = results_csv_value(f, fr->rows[k], (size_t)fc);
  replstats_mean_ci95(a, fr->n, &st.flow_mean, &st.flow_ci);
  for (size_t k = 0; k < nr->n; k++)
    b[k] = results_csv_value(n, nr->rows[k], (size_t)nc);
  replstats_mean_ci95(b, nr->n, &st.ns3_mean, &st.ns3_ci);
  /* Pairs: the same replication (seed) under both models. */
  size_t np = 0;
  for (size_t i = 0, j = 0; i < fr->n && j < nr->n;) {
    long ri = results_csv_replication(f, fr->rows[i]);
    long rj = results_csv_replication(n, nr->rows[j]);
    if (ri < rj)
      i++;
    else if (rj < ri)
      j++;
    else {
      a[np] = results_csv_value(n, nr->rows[j], (size_t)nc);
      b[np] = results_csv_value(f, fr->rows[i], (size_t)fc);
      np++;
      i++;
      j++;
    }
  }
  st.ratio = replstats_ratio(a, b, np);
  free(a);
  free(b);
  return st;
}

/* "2.15 ± 0.03" with three significant digits in the mean and the CI to the same decimals; "2.15" without CI. */
static void mean_ci(double mean, double ci, double scale, char* buf, size_t len)
{
  if (!isfinite(mean)) {
    snprintf(buf, len, "n/a");
    return;
  }
  mean *= scale;
  ci *= scale;
  int d = mean == 0 ? 2 : 2 - (int)floor(log10(fabs(mean)));
  d     = d < 0 ? 0 : d > 6 ? 6 : d;
  if (isfinite(ci))
    snprintf(buf, len, "%.*f ± %.*f", d, mean, d, ci);
  else
    snprintf(buf, len, "%.*f", d, mean);
}

/* The sweep values of ok row @p i ("config=speculative, cores-per-host=2"), or "the run" without sweeps. */
static void point_label(const_results_csv_t rs, size_t i, char* buf, size_t len)
{
  const_csv_t csv = results_csv_table(rs);
  size_t n        = 0;
  buf[0]          = '\0';
  for (size_t d = 0; d < results_csv_sweep_count(rs) && n < len; d++) {
    const char* name = csv_column_name(csv, results_csv_sweep_column(rs, d));
    char val[256];
    labels_format_value(name, results_csv_text(rs, i, results_csv_sweep_column(rs, d)), val, sizeof val);
    n += (size_t)snprintf(buf + n, len - n, "%s%s=%s", n ? ", " : "", labels_attribute(name), val);
  }
  if (n == 0)
    snprintf(buf, len, "the run");
}

static void csv_number(FILE* out, double v)
{
  fputc(',', out);
  if (isfinite(v))
    fprintf(out, "%.6g", v);
  else if (isinf(v))
    fputs("inf", out);
}

static void print_csv_header(const_results_csv_t f, FILE* out)
{
  const_csv_t csv = results_csv_table(f);
  for (size_t d = 0; d < results_csv_sweep_count(f); d++) {
    csv_write_field(out, csv_column_name(csv, results_csv_sweep_column(f, d)));
    fputc(',', out);
  }
  fputs("mode,flow_model,flow_replications,ns3_replications,network", out);
  for (size_t m = 0; m < CM_METRICS; m++) {
    const char* s = cm_metrics[m].stem;
    fprintf(out, ",%s_flow_mean,%s_flow_ci95,%s_ns3_mean,%s_ns3_ci95,%s_ratio_mean,%s_ratio_ci95", s, s, s, s, s, s);
  }
  fputc('\n', out);
}

/* Whether any WR of the point crossed the network under either model (a mean network part above 0). */
static int crosses(const cm_stat_t* network)
{
  return network->flow_mean > 0 || network->ns3_mean > 0;
}

static void print_point_csv(const_results_csv_t f, size_t ref, const char* flow_model, const rowset_t* fr,
                            const rowset_t* nr, const cm_stat_t* st, FILE* out)
{
  for (size_t d = 0; d < results_csv_sweep_count(f); d++) {
    csv_write_field(out, results_csv_text(f, ref, results_csv_sweep_column(f, d)));
    fputc(',', out);
  }
  csv_write_field(out, results_csv_mode(f, ref));
  fputc(',', out);
  csv_write_field(out, flow_model);
  int net = crosses(&st[2]);
  fprintf(out, ",%zu,%zu,%d", fr->n, nr->n, net);
  for (size_t m = 0; m < CM_METRICS; m++) {
    csv_number(out, st[m].flow_mean);
    csv_number(out, st[m].flow_ci);
    csv_number(out, st[m].ns3_mean);
    csv_number(out, st[m].ns3_ci);
    int ok = net && st[m].ratio.state != REPLSTATS_RATIO_NA;
    csv_number(out, ok ? st[m].ratio.mean : NAN);
    csv_number(out, ok ? st[m].ratio.ci95 : NAN);
  }
  fputc('\n', out);
}

/* Writes @p s padded to @p width display columns (UTF-8: "±" and "µ" take two bytes, one column). */
static void put_col(FILE* out, const char* s, size_t width, int right)
{
  size_t w = 0;
  for (const char* p = s; *p; p++)
    w += ((unsigned char)*p & 0xC0) != 0x80;
  size_t pad = width > w ? width - w : 0;
  if (right)
    fprintf(out, "%*s%s", (int)pad, "", s);
  else
    fprintf(out, "%s%*s", s, (int)pad, "");
}

static void print_point_text(const_results_csv_t f, size_t ref, const char* flow_model, const rowset_t* fr,
                             const rowset_t* nr, const cm_stat_t* st, FILE* out)
{
  char label[1024];
  point_label(f, ref, label, sizeof label);
  if (fr->n == nr->n)
    fprintf(out, "%s (%s), %zu replication%s\n", label, results_csv_mode(f, ref), fr->n, fr->n == 1 ? "" : "s");
  else
    fprintf(out, "%s (%s), %zu replication%s under %s, %zu under ns-3\n", label, results_csv_mode(f, ref), fr->n,
            fr->n == 1 ? "" : "s", flow_model, nr->n);
  int net = crosses(&st[2]);
  fputs("  ", out);
  put_col(out, "", 32, 0);
  put_col(out, flow_model, 18, 1);
  put_col(out, "ns-3", 18, 1);
  put_col(out, net ? "ratio" : "", 16, 1);
  fputc('\n', out);
  for (size_t m = 0; m < CM_METRICS; m++) {
    double scale;
    const char* unit = labels_unit(cm_metrics[m].kind, fmax(fabs(st[m].flow_mean), fabs(st[m].ns3_mean)), &scale);
    char title[96];
    snprintf(title, sizeof title, "%s (%s)", cm_metrics[m].title, unit);
    char a[64];
    char b[64];
    char r[64] = "";
    mean_ci(st[m].flow_mean, st[m].flow_ci, scale, a, sizeof a);
    mean_ci(st[m].ns3_mean, st[m].ns3_ci, scale, b, sizeof b);
    if (!net)
      r[0] = '\0';
    else if (st[m].ratio.state == REPLSTATS_RATIO_INF)
      snprintf(r, sizeof r, "inf");
    else if (st[m].ratio.state == REPLSTATS_RATIO_NA)
      snprintf(r, sizeof r, "n/a");
    else
      mean_ci(st[m].ratio.mean, st[m].ratio.ci95, 1, r, sizeof r);
    fputs("  ", out);
    put_col(out, title, 32, 0);
    put_col(out, a, 18, 1);
    put_col(out, b, 18, 1);
    put_col(out, r, 16, 1);
    fputc('\n', out);
  }
  if (!net)
    fprintf(out, "  no WR crossed the network at this point: the two models cannot differ, no ratio is given\n");
}

int compare_models_report(const char* flow_dir, const char* ns3_dir, const char* flow_model, int as_csv, FILE* out)
{
  vn_error_t err;
  vn_error_clear(&err);
  results_csv_t f = results_csv_load_dir(flow_dir, &err);
  results_csv_t n = f ? results_csv_load_dir(ns3_dir, &err) : NULL;
  if (n == NULL) {
    vn_error_print(&err, stderr);
    results_csv_free(f);
    return VN_EXIT_INPUT;
  }
  int rc = 0;
  if (results_csv_sweep_count(f) != results_csv_sweep_count(n)) {
    fprintf(stderr, "vnicsim: error: %s and %s do not have the same sweep columns: not two runs of one scenario\n",
            csv_name(results_csv_table(f)), csv_name(results_csv_table(n)));
    rc = VN_EXIT_INPUT;
  }
  if (rc == 0 && as_csv) {
    print_csv_header(f, out);
  } else if (rc == 0) {
    fprintf(out, "# vnicsim compare-models: the same points under %s (flow level) and ns-3 (packet level)\n",
            flow_model);
    fprintf(out, "# each figure: mean ± 95%% CI half-width over the replications (Student t; no CI with one)\n");
    fprintf(out, "# ratio: ns-3 / %s per replication (same seed under both models), then averaged, ± its 95%% CI\n",
            flow_model);
  }
  size_t points = 0;
  for (size_t i = 0; rc == 0 && i < results_csv_ok_count(f); i++) {
    if (!first_of_point(f, i))
      continue;
    rowset_t fr = rows_like(f, i, f);
    rowset_t nr = rows_like(f, i, n);
    if (fr.rows == NULL || nr.rows == NULL) {
      fprintf(stderr, "vnicsim: out of memory\n");
      rc = VN_EXIT_INTERNAL;
    } else {
      cm_stat_t st[CM_METRICS];
      for (size_t m = 0; m < CM_METRICS; m++)
        st[m] = point_stat(f, &fr, n, &nr, cm_metrics[m].column);
      if (as_csv)
        print_point_csv(f, i, flow_model, &fr, &nr, st, out);
      else
        print_point_text(f, i, flow_model, &fr, &nr, st, out);
      points++;
    }
    free(fr.rows);
    free(nr.rows);
  }
  if (rc == 0 && results_csv_failed_count(f) + results_csv_failed_count(n) > 0)
    fprintf(stderr, "vnicsim compare-models: %zu failed row%s under %s and %zu under ns-3 left out\n",
            results_csv_failed_count(f), results_csv_failed_count(f) == 1 ? "" : "s", flow_model,
            results_csv_failed_count(n));
  results_csv_free(f);
  results_csv_free(n);
  return rc;
}

/* ---- The command ------------------------------------------------------------------------------------------------ */

/* Refuses (exit 2, one line) a scenario whose WRs never leave their host: pattern local at every point. */
static int check_network(const run_options_t* opts, scenario_t sc)
{
  vn_error_t err;
  vn_error_clear(&err);
  for (int i = 0; i < opts->nsets; i++)
    if (scenario_set(sc, opts->sets[i], &err) != 0) {
      vn_error_print(&err, stderr);
      return VN_EXIT_INPUT;
    }
  if (scenario_check(sc, &err) != 0) {
    vn_error_print(&err, stderr);
    return VN_EXIT_INPUT;
  }
  for (size_t i = 0; i < scenario_point_count(sc); i++) {
    point_t pt;
    if (scenario_point(sc, i, &pt, &err) != 0) {
      vn_error_print(&err, stderr);
      return VN_EXIT_INPUT;
    }
    if (pt.params.pattern != PATTERN_LOCAL)
      return 0;
  }
  const char* why = "no WR crosses the network (pattern local at every point, one host or many), so a flow model and "
                    "ns-3 cannot differ: compare-models needs NIC-to-NIC traffic (pattern uniform, neighbor, ...)";
  if (scenario_locate(sc, 0, "workload.pattern", why, &err) != 0)
    vn_error_set(&err, opts->scenario_path, 0, "workload", "pattern", "local", "%s", why);
  else
    snprintf(err.message, sizeof err.message, "%s", why); /* true of every point: not "at the sweep point ..." */
  vn_error_print(&err, stderr);
  return VN_EXIT_INPUT;
}

int compare_models_run(const run_options_t* opts, const char* flow_model, const char* ns3_platform, int as_csv)
{
  vn_error_t err;
  vn_error_clear(&err);
  scenario_t sc = scenario_load(opts->scenario_path, &err);
  if (sc == NULL) {
    vn_error_print(&err, stderr);
    return VN_EXIT_INPUT;
  }
  int status = check_network(opts, sc);
  if (status != 0) {
    scenario_free(sc);
    return status;
  }
  char platform[PATH_MAX];
  if (ns3_platform != NULL) {
    if (realpath(ns3_platform, platform) == NULL) {
      vn_error_set(&err, NULL, 0, NULL, "--ns3-platform", ns3_platform, "no such file");
      vn_error_print(&err, stderr);
      scenario_free(sc);
      return VN_EXIT_INPUT;
    }
  } else {
    char resolved[PATH_MAX];
    if (realpath(scenario_base(sc)->platform_file, resolved) == NULL)
      snprintf(resolved, sizeof resolved, "%s", scenario_base(sc)->platform_file);
    explicit_twin(resolved, platform, sizeof platform);
  }
  char dir[PATH_MAX], flow_dir[PATH_MAX + 8], ns3_dir[PATH_MAX + 8];
  if (opts->out_dir)
    snprintf(dir, sizeof dir, "%s", opts->out_dir);
  else
    snprintf(dir, sizeof dir, "results/%s-models", scenario_base(sc)->name);
  scenario_free(sc);
  snprintf(flow_dir, sizeof flow_dir, "%s/flow", dir);
  snprintf(ns3_dir, sizeof ns3_dir, "%s/ns-3", dir);
  int rc = run_with_model(opts, flow_dir, flow_model, platform);
  if (rc == 0)
    rc = run_with_model(opts, ns3_dir, "ns-3", platform);
  if (rc == 0)
    rc = compare_models_report(flow_dir, ns3_dir, flow_model, as_csv, stdout);
  return rc;
}
