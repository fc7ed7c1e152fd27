/* e2e_views: what `vnicsim plot`, `vnicsim compare` and `vnicsim compare-models` show a researcher, through the
 * binary, on the fixtures of tests/fixtures/analysis (README there): the figures' series (SVG key labels and dash
 * patterns), the lines that replace an all-zero figure, the new figures and their data files, the loss and
 * saturation lines of compare, every mode other than speculative taken as a baseline, and compare-models'
 * aggregation and refusal. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vn_analysis.h"
#include "vn_test.h"

#define VIEWS VN_FIXTURES "/views"

static int have_gnuplot(void)
{
  return system("gnuplot --version >/dev/null 2>&1") == 0;
}

static int exists(const char* dir, const char* name)
{
  char path[4300];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  struct stat st;
  return stat(path, &st) == 0;
}

/* Occurrences of @p needle in @p hay. */
static int count(const char* hay, const char* needle)
{
  int n = 0;
  for (const char* p = hay; p != NULL && (p = strstr(p, needle)) != NULL; p += strlen(needle))
    n++;
  return n;
}

static char* slurp_in(const char* dir, const char* name)
{
  char path[4300];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  size_t len;
  char* text = vn_slurp(path, &len);
  cr_assert_not_null(text, "%s is missing", path);
  return text;
}

/* Plots the views fixture as SVG into a fresh directory; its path, stdout and stderr are returned. */
static char* plot_views(char** out, char** err)
{
  char* dir = vn_scratch("views-plot");
  int rc    = vn_run(out, err, "plot '" VIEWS "' -o '%s/svg' --format svg", dir);
  cr_assert_eq(rc, 0, "plot failed: %s", *err);
  char* svg = NULL;
  cr_assert(asprintf(&svg, "%s/svg", dir) > 0);
  free(dir);
  return svg;
}

/* The key labels of a gnuplot SVG are <text> elements. */
static int key_entries(const char* svg, const char* label)
{
  char needle[256];
  snprintf(needle, sizeof needle, "<text>%s</text>", label);
  return count(svg, needle);
}

Test(views_plot, coinciding_series_are_dashed_and_facets_are_panels, .timeout = 120)
{
  if (!have_gnuplot())
    cr_skip_test("gnuplot is not installed");
  char* out;
  char* err;
  char* dir = plot_views(&out, &err);
  char* svg = slurp_in(dir, "throughput.svg");
  /* The scenario's name (manifest.json), not the directory's ("views"). */
  cr_expect(strstr(svg, "<text>views-fixture: throughput vs consumers per host</text>") != NULL);
  /* One panel per NIC service time, one line per mode in each: each mode twice in the keys. */
  cr_expect_eq(count(svg, "<text>NIC service time = 200 ns</text>"), 1);
  cr_expect_eq(count(svg, "<text>NIC service time = 20 ns</text>"), 1);
  cr_expect_eq(key_entries(svg, "speculative"), 2);
  cr_expect_eq(key_entries(svg, "lock"), 2);
  cr_expect_eq(key_entries(svg, "lock-always"), 2);
  cr_expect_eq(key_entries(svg, "speculative, service-time=200 ns"), 0, "facets leave the modes alone in keys");
  /* At 200 ns, lock's throughput is speculative's at every point: it is drawn dashed (and said so). At 20 ns they
   * meet at one point: dashed again. No other line is. */
  cr_expect(strstr(svg, "coinciding lines dashed, their markers shifted sideways") != NULL);
  cr_expect_geq(count(svg, "stroke-dasharray"), 2, "the coinciding lines are not dashed");
  free(svg);
  /* The p99 lines never meet: nothing is dashed. */
  svg = slurp_in(dir, "e2e_latency_p99.svg");
  cr_expect_eq(count(svg, "stroke-dasharray"), 0);
  cr_expect(strstr(svg, "coinciding") == NULL);
  free(svg);
  free(dir);
  free(out);
  free(err);
}

Test(views_plot, zero_series_are_named_not_drawn, .timeout = 120)
{
  if (!have_gnuplot())
    cr_skip_test("gnuplot is not installed");
  char* out;
  char* err;
  char* dir = plot_views(&out, &err);
  /* Only speculative at 200 ns rejects writes: one panel, one line, the others named in the heading. */
  char* svg = slurp_in(dir, "reject_rate.svg");
  cr_expect(strstr(svg, "<text>views-fixture: reject rate vs consumers per host, NIC service time = 200 ns</text>"),
            "the one panel left names its facet in the title");
  cr_expect_eq(key_entries(svg, "speculative"), 1);
  cr_expect_eq(key_entries(svg, "lock"), 0);
  cr_expect_eq(key_entries(svg, "lock-always"), 0);
  cr_expect(strstr(svg, "0 at every point (not drawn): lock, lock-always at NIC service time = 200 ns, all at") !=
            NULL);
  free(svg);
  /* replays_per_wr is 0 everywhere: one line on stdout instead of a figure. */
  char line[4400];
  snprintf(line, sizeof line,
           "%s/replays_per_wr.svg not drawn: every value of replays_per_wr is 0 (no WR was replayed)\n", dir);
  cr_expect(strstr(out, line) != NULL, "stdout: %s", out);
  cr_expect_not(exists(dir, "replays_per_wr.svg"));
  free(dir);
  free(out);
  free(err);
}

Test(views_plot, end_to_end_breakdown, .timeout = 120)
{
  if (!have_gnuplot())
    cr_skip_test("gnuplot is not installed");
  char* out;
  char* err;
  char* dir = plot_views(&out, &err);
  cr_expect(strstr(out, "/e2e_breakdown.svg\n") != NULL, "stdout: %s", out);
  char* svg = slurp_in(dir, "e2e_breakdown.svg");
  cr_expect_eq(count(svg, "<text>access: creation to NIC acceptance</text>"), 1);
  cr_expect_eq(count(svg, "<text>NIC queue and service</text>"), 1);
  cr_expect_eq(count(svg, "<text>delivery: DMA into memory</text>"), 1);
  cr_expect_eq(count(svg, "<text>network transfer</text>"), 0, "the network part is 0 everywhere");
  cr_expect(strstr(svg, "network transfer: 0 everywhere (not drawn)") != NULL);
  /* A panel per configuration. */
  cr_expect_eq(count(svg, "<text>lock-always, service-time=20 ns</text>"), 1);
  cr_expect_eq(count(svg, "<text>speculative, service-time=200 ns</text>"), 1);
  /* The totals over the bars: speculative at 200 ns and 4 cores has 0.25 + 0.8 + 0.5 us = 1.55 us. */
  cr_expect(strstr(svg, "<text>1.55</text>") != NULL);
  free(svg);
  free(dir);
  free(out);
  free(err);
}

Test(views_plot, hosts_heat_maps_and_their_data, .timeout = 120)
{
  if (!have_gnuplot())
    cr_skip_test("gnuplot is not installed");
  char* out;
  char* err;
  char* dir = plot_views(&out, &err);
  cr_expect(exists(dir, "hosts.svg"));
  char* svg = slurp_in(dir, "hosts.svg");
  cr_expect(strstr(svg, "views-fixture: WRs received and their p99 end-to-end latency per host, at 4 consumers per "
                        "host") != NULL);
  free(svg);
  /* node-0 receives 75 WRs per consumer, node-1 25, at 4 consumers; node-0's p99 is twice node-1's. */
  char path[4300];
  snprintf(path, sizeof path, "%s/by_host.csv", dir);
  csv_t t = vn_table(dir, strrchr(path, '/') + 1);
  cr_assert_not_null(t);
  cr_assert_eq(csv_row_count(t), 12, "6 configurations x 2 hosts");
  long r = vn_find_row(t, "series=speculative, service-time=200 ns", "host=node-0", NULL);
  cr_assert_geq(r, 0);
  cr_expect_float_eq(vn_num(t, (size_t)r, "wr_received_mean"), 300, 1e-9);
  cr_expect_float_eq(vn_num(t, (size_t)r, "e2e_p99_received_s_mean"), 16e-6, 1e-15);
  cr_expect_float_eq(vn_num(t, (size_t)r, "n"), 2, 0);
  r = vn_find_row(t, "series=lock-always, service-time=20 ns", "host=node-1", NULL);
  cr_assert_geq(r, 0);
  cr_expect_float_eq(vn_num(t, (size_t)r, "wr_received_mean"), 100, 1e-9);
  cr_expect_float_eq(vn_num(t, (size_t)r, "e2e_p99_received_s_mean"), 20e-6, 1e-15);
  csv_free(t);
  free(dir);
  free(out);
  free(err);
}

Test(views_plot, latency_cdf_from_the_traces, .timeout = 120)
{
  if (!have_gnuplot())
    cr_skip_test("gnuplot is not installed");
  char* out;
  char* err;
  char* dir = plot_views(&out, &err);
  cr_expect(strstr(out, "/e2e_latency_cdf.svg\n") != NULL, "stdout: %s", out);
  char* svg = slurp_in(dir, "e2e_latency_cdf.svg");
  cr_expect_eq(count(svg, "<text>NIC service time = 200 ns, at 1 consumer per host</text>"), 1);
  cr_expect_eq(count(svg, "<text>NIC service time = 20 ns, at 4 consumers per host</text>"), 1);
  cr_expect_eq(key_entries(svg, "lock-always"), 4, "a curve per configuration in each of the 4 panels");
  free(svg);
  /* Speculative at 200 ns and 1 consumer: replication 0's WRs take 1..10 us, replication 1's 1.5..15 us; the
   * unmeasured and the undelivered WR (1 s) are left out. At 4 consumers, four times that. */
  char path[4300];
  snprintf(path, sizeof path, "%s/e2e_latency_cdf.csv", dir);
  csv_t t = vn_table(dir, strrchr(path, '/') + 1);
  cr_assert_not_null(t);
  long lo = vn_find_row(t, "series_id=0", "panel=1", "fraction=0", NULL);
  long hi = vn_find_row(t, "series_id=0", "panel=1", "fraction=1", NULL);
  cr_assert(lo >= 0 && hi >= 0);
  cr_expect_float_eq(vn_num(t, (size_t)lo, "latency_s"), 1e-6, 1e-15);
  cr_expect_float_eq(vn_num(t, (size_t)hi, "latency_s"), 15e-6, 1e-15);
  cr_expect_float_eq(vn_num(t, (size_t)hi, "wrs"), 20, 0);
  cr_expect_float_eq(vn_num(t, (size_t)hi, "replications"), 2, 0);
  hi = vn_find_row(t, "series_id=0", "panel=3", "fraction=1", NULL);
  cr_assert_geq(hi, 0);
  cr_expect_float_eq(vn_num(t, (size_t)hi, "latency_s"), 60e-6, 1e-14);
  csv_free(t);
  free(dir);
  free(out);
  free(err);
}

Test(views_plot, without_traces_or_hosts_the_figures_are_skipped, .timeout = 120)
{
  if (!have_gnuplot())
    cr_skip_test("gnuplot is not installed");
  char* dir = vn_scratch("views-skipped");
  char* out;
  char* err;
  int rc = vn_run(&out, &err, "plot '" VN_FIXTURES "/spec-vs-lock' -o '%s'", dir);
  cr_assert_eq(rc, 0, "%s", err);
  cr_expect(strstr(err, "e2e_latency_cdf.png not drawn: no per-WR traces") != NULL, "stderr: %s", err);
  cr_expect(strstr(err, "hosts.png not drawn:") != NULL, "stderr: %s", err);
  cr_expect_not(exists(dir, "e2e_latency_cdf.png"));
  cr_expect_not(exists(dir, "hosts.png"));
  cr_expect(exists(dir, "e2e_breakdown.png"));
  /* Without a manifest, the titles carry the run directory's name. */
  free(out);
  free(err);
  /* A run on one host: no per-host figure. */
  char cmd[8400];
  snprintf(cmd, sizeof cmd,
           "mkdir -p '%s/one' && cp '" VIEWS "/results.csv' '%s/one/' && "
           "grep -v ',node-1,' '" VIEWS "/hosts.csv' > '%s/one/hosts.csv'",
           dir, dir, dir);
  cr_assert_eq(system(cmd), 0);
  rc = vn_run(&out, &err, "plot '%s/one' -o '%s/one/plots'", dir, dir);
  cr_assert_eq(rc, 0, "%s", err);
  cr_expect(strstr(err, "hosts.png not drawn: one host carries a NIC") != NULL, "stderr: %s", err);
  free(out);
  free(err);
  free(dir);
}

/* ---- compare ---- */

Test(views_compare, names_the_points_where_speculative_loses)
{
  char* out;
  char* err;
  int rc = vn_run(&out, &err, "compare '" VN_FIXTURES "/compare-loses'");
  cr_assert_eq(rc, 0, "%s", err);
  const char* losses = strstr(out, "Where speculative loses");
  const char* sat    = strstr(out, "Saturation");
  const char* summ   = strstr(out, "Against lock, speculative");
  cr_assert(losses && sat && summ && losses < sat && sat < summ, "order: table, losses, saturation, summary: %s", out);
  cr_expect(strstr(out, "  against lock: at 1 of 2 points\n"
                        "    at 32 consumers per host: p99 end-to-end latency 1.76x (46.5 µs against 26.4 µs), p99 "
                        "issue latency 1.9x (33 µs against 17.4 µs)\n") != NULL,
            "%s", out);
  cr_expect(strstr(out, "  against lock-always: nowhere (2 points).\n") != NULL, "%s", out);
  free(out);
  free(err);
}

Test(views_compare, flags_saturation_in_words)
{
  char* out;
  char* err;
  int rc = vn_run(&out, &err, "compare '" VN_FIXTURES "/compare-loses'");
  cr_assert_eq(rc, 0, "%s", err);
  cr_expect(strstr(out, "  speculative at 32 consumers per host: replay storm: 22.9 writes per delivered WR; try "
                        "back-off or a deeper queue. Queue overrun: the NIC rejects 93% of the writes that reach it. "
                        "NIC saturated: its engine is busy 99.9% of the time.\n") != NULL,
            "%s", out);
  cr_expect(strstr(out, "  lock at 32 consumers per host: NIC saturated: its engine is busy 99.9% of the time.\n"),
            "%s", out);
  cr_expect(strstr(out, "lock-always at") == NULL, "lock-always saturates nothing");
  cr_expect(strstr(out, "at 1 consumer per host:") == NULL, "nothing saturates at 1 consumer");
  free(out);
  free(err);
  /* A run without saturation says so in one line. */
  rc = vn_run(&out, &err, "compare '" VN_FIXTURES "/compare-modes'");
  cr_assert_eq(rc, 0, "%s", err);
  cr_expect(strstr(out, "\nSaturation: none (") != NULL, "%s", out);
  free(out);
  free(err);
}

Test(views_compare, every_mode_but_speculative_is_a_baseline)
{
  char* out;
  char* err;
  int rc = vn_run(&out, &err, "compare '" VN_FIXTURES "/compare-modes'");
  cr_assert_eq(rc, 0, "%s", err);
  const char* baselines[] = {"lock", "enqcmd", "hypervisor", "partitioned"};
  for (size_t k = 0; k < 4; k++) {
    char line[128];
    snprintf(line, sizeof line, "  against %s: ", baselines[k]);
    cr_expect(strstr(out, line) != NULL, "no loss line for %s: %s", baselines[k], out);
    snprintf(line, sizeof line, "Against %s, speculative", baselines[k]);
    cr_expect(strstr(out, line) != NULL, "no summary for %s: %s", baselines[k], out);
  }
  /* partitioned has twice speculative's throughput: speculative loses on every metric there, and the summary says
   * its throughput is lower everywhere (not "no CI excludes 1"). */
  cr_expect(strstr(out, "  against partitioned: at 2 of 2 points\n") != NULL, "%s", out);
  cr_expect(strstr(out, "    at 2 consumers per host: throughput 0.5x (2 M WR/s against 4 M WR/s), p99 end-to-end "
                        "latency 2x (2 µs against 1 µs), p99 issue latency 2x (200 ns against 100 ns), CPU time per "
                        "WR 2x (100 ns against 50 ns)\n") != NULL,
            "%s", out);
  cr_expect(strstr(out, "Against partitioned, speculative's throughput is lower at every point: its ratio is 0.5x.") !=
                NULL,
            "%s", out);
  free(out);
  free(err);
  rc = vn_run(&out, &err, "compare '" VN_FIXTURES "/compare-modes' --csv");
  cr_assert_eq(rc, 0, "%s", err);
  vn_error_t e;
  vn_error_clear(&e);
  csv_t t = csv_read_string(out, "stdout", &e);
  cr_assert_not_null(t);
  cr_expect_eq(csv_row_count(t), 8, "2 core counts x 4 baselines");
  for (size_t k = 0; k < 4; k++) {
    char want[64];
    snprintf(want, sizeof want, "baseline_mode=%s", baselines[k]);
    cr_expect_geq(vn_find_row(t, want, "consumers.cores-per-host=2", NULL), 0, "%s", baselines[k]);
  }
  csv_free(t);
  free(out);
  free(err);
}

/* ---- compare-models ---- */

Test(views_models, refuses_a_scenario_without_network)
{
  char* dir = vn_scratch("views-models-local");
  char* err;
  int rc = vn_run(NULL, &err, "compare-models '" VNICSIM_TESTS_DIR "/../scenarios/default.xml' -o '%s/out'", dir);
  cr_expect_eq(rc, 2, "%s", err);
  cr_expect_eq(count(err, "\n"), 1, "one line: %s", err);
  cr_expect(strstr(err, "default.xml:15: <workload pattern=\"local\">: no WR crosses the network") != NULL, "%s", err);
  cr_expect_not(exists(dir, "out"), "nothing is run");
  free(err);
  free(dir);
}

Test(views_models, aggregates_replications, .timeout = 300)
{
  char* dir = vn_scratch("views-models");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"models\" seed=\"1\" replications=\"3\"",
                          "<platform file=\"@PLATFORMS@/flat-16-explicit.xml\" hosts=\"2\" network-model=\"CM02\"/>"
                           "<consumers cores-per-host=\"1\"/>"
                           "<workload arrival=\"closed\" window=\"2\" think=\"1us\" think-dist=\"exponential\" "
                           "requests=\"30\" size=\"1KiB\" pattern=\"uniform\"/>"
                           "<sweep param=\"access.mode\" values=\"speculative lock\"/>");
  char* out;
  char* err;
  int rc = vn_run(&out, &err, "compare-models '%s' -o '%s/text'", sc, dir);
  cr_assert_eq(rc, 0, "%s", err);
  /* A block per point, not per replication. */
  cr_expect_eq(count(out, "(speculative), 3 replications\n"), 1, "%s", out);
  cr_expect_eq(count(out, "(lock), 3 replications\n"), 1, "%s", out);
  cr_expect(strstr(out, "  network part of the mean (µs)") != NULL, "%s", out);
  cr_expect_geq(count(out, " ± "), 8, "means and ratios carry their CI: %s", out);
  free(out);
  free(err);
  rc = vn_run(&out, &err, "compare-models '%s' -o '%s/csv' --csv", sc, dir);
  cr_assert_eq(rc, 0, "%s", err);
  vn_error_t e;
  vn_error_clear(&e);
  csv_t t = csv_read_string(out, "stdout", &e);
  cr_assert_not_null(t, "%s", out);
  cr_assert_eq(csv_row_count(t), 2);
  for (size_t r = 0; r < 2; r++) {
    cr_expect_float_eq(vn_num(t, r, "flow_replications"), 3, 0);
    cr_expect_float_eq(vn_num(t, r, "network"), 1, 0);
    /* ns-3's packets cost more than the flow model's transfer: a ratio of the network part above 1. */
    cr_expect_gt(vn_num(t, r, "e2e_network_ratio_mean"), 1);
    cr_expect(vn_num(t, r, "e2e_latency_mean_ratio_ci95") >= 0);
  }
  csv_free(t);
  free(out);
  free(err);
  free(sc);
  free(dir);
}
