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

#include "base/csv.h"
#include "base/error.h"
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

static double cell(const_csv_t t, size_t r, const char* col)
{
  long c = csv_column_index(t, col);
  double v;
  return (c >= 0 && csv_parse_double(csv_cell(t, r, (size_t)c), &v) == 1) ? v : NAN;
}

static void print_pair(const char* what, double flow, double ns3, double scale, const char* unit)
{
  char ratio[32];
  if (isnan(flow) || isnan(ns3) || flow == 0)
    snprintf(ratio, sizeof ratio, "n/a");
  else
    snprintf(ratio, sizeof ratio, "%.3f", ns3 / flow);
  printf("    %-26s %14.4g %14.4g %8s  %s\n", what, flow * scale, ns3 * scale, ratio, unit);
}

static int print_side_by_side(const char* flow_dir, const char* ns3_dir, const char* flow_model)
{
  char path[PATH_MAX + 64];
  vn_error_t err;
  vn_error_clear(&err);
  snprintf(path, sizeof path, "%s/results.csv", flow_dir);
  csv_t f = csv_read_file(path, &err);
  snprintf(path, sizeof path, "%s/results.csv", ns3_dir);
  csv_t n = f ? csv_read_file(path, &err) : NULL;
  if (f == NULL || n == NULL) {
    vn_error_print(&err, stderr);
    csv_free(f);
    return 1;
  }
  long mode = csv_column_index(f, "mode");
  printf("# vnicsim compare-models: the same points under %s (flow level) and ns-3 (packet level)\n", flow_model);
  printf("# ratio = ns-3 / %s\n", flow_model);
  for (size_t r = 0; r < csv_row_count(f) && r < csv_row_count(n); r++) {
    printf("point %s, replication %s", csv_cell(f, r, 0), csv_cell(f, r, 1));
    for (long c = 3; c < mode; c++)
      printf(", %s=%s", csv_column_name(f, (size_t)c), csv_cell(f, r, (size_t)c));
    printf(" (%s)\n", csv_cell(f, r, (size_t)mode));
    printf("    %-26s %14s %14s %8s\n", "", flow_model, "ns-3", "ratio");
    print_pair("e2e latency mean", cell(f, r, "e2e_latency_mean_s"), cell(n, r, "e2e_latency_mean_s"), 1e6, "us");
    print_pair("e2e latency p99", cell(f, r, "e2e_latency_p99_s"), cell(n, r, "e2e_latency_p99_s"), 1e6, "us");
    print_pair("network part of e2e (mean)", cell(f, r, "e2e_network_s"), cell(n, r, "e2e_network_s"), 1e6, "us");
    print_pair("throughput", cell(f, r, "throughput_wr_s"), cell(n, r, "throughput_wr_s"), 1e-6, "M WR/s");
  }
  csv_free(f);
  csv_free(n);
  return 0;
}

int compare_models_run(const run_options_t* opts, const char* flow_model, const char* ns3_platform)
{
  vn_error_t err;
  vn_error_clear(&err);
  scenario_t sc = scenario_load(opts->scenario_path, &err);
  if (sc == NULL) {
    vn_error_print(&err, stderr);
    return VN_EXIT_INPUT;
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
    rc = print_side_by_side(flow_dir, ns3_dir, flow_model);
  return rc;
}
