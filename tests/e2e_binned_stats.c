/* e2e_binned_stats: a point that outgrows scenario.stats-memory switches to time bins and histograms; its row says so
 * (exact_stats = 0) and its figures stay within the stated error of the exact ones; the per-WR trace still has every
 * WR once. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vn_more.h"
#include "vn_test.h"

static const char* body = "  <platform file=\"@PLATFORMS@/flat-16.xml\" network-model=\"CM02\"/>\n"
                          "  <consumers cores-per-host=\"4\"/>\n"
                          "  <workload arrival=\"closed\" window=\"4\" think=\"2us\" think-dist=\"exponential\"\n"
                          "            requests=\"400\" pattern=\"uniform\"/>\n";

static void expect_close(const_csv_t a, const_csv_t b, const char* col, double tol)
{
  double x = vn_num(a, 0, col), y = vn_num(b, 0, col);
  cr_expect(fabs(y - x) <= tol * fabs(x), "%s: binned %g, exact %g (tolerance %g)", col, y, x, tol);
}

Test(binned_stats, close_to_the_exact_figures, .timeout = 300)
{
  char* dir = vn_scratch("binned");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"binned\" seed=\"3\"", body);
  char* ex  = vn_path(dir, "exact");
  char* bn  = vn_path(dir, "binned");
  cr_assert_eq(vn_run(NULL, NULL, "run '%s' -o '%s' --trace", sc, ex), 0);
  cr_assert_eq(vn_run(NULL, NULL, "run '%s' -o '%s' --trace --set scenario.stats-memory=200KiB", sc, bn), 0);
  csv_t e = vn_results(ex), b = vn_results(bn);
  cr_expect_eq(vn_num(e, 0, "exact_stats"), 1);
  cr_expect_eq(vn_num(b, 0, "exact_stats"), 0);
  cr_expect_eq(vn_num(b, 0, "wr_created"), 16 * 4 * 400);
  cr_expect_eq(vn_num(b, 0, "wr_delivered"), vn_num(e, 0, "wr_delivered"));
  /* the same simulation: only the statistics differ. Percentiles: the histogram's 0.5% plus the window rounded to
   * whole bins (a few WRs at each edge); means and rates: the edges only. */
  expect_close(e, b, "e2e_latency_p50_s", 0.01);
  expect_close(e, b, "e2e_latency_p99_s", 0.01);
  expect_close(e, b, "issue_latency_p99_s", 0.01);
  expect_close(e, b, "e2e_latency_mean_s", 0.005);
  expect_close(e, b, "throughput_wr_s", 0.01);
  expect_close(e, b, "nic_utilization", 0.01);
  expect_close(e, b, "cpu_per_wr_s", 0.005);
  csv_t ce = vn_table(ex, "checks.csv"), cb = vn_table(bn, "checks.csv");
  const char* totals[] = {"wr_attempts", "wr_replays", "wr_accepted", "transfers", "nic_accepted"};
  for (int k = 0; k < 5; k++)
    cr_expect_eq(vn_num(cb, 0, totals[k]), vn_num(ce, 0, totals[k]), "checks %s", totals[k]);
  /* every WR once in the binned trace (in the order they settled) */
  char* tpath = vn_path(bn, "trace/point-00000.csv");
  csv_t t     = csv_read_file(tpath, NULL);
  cr_assert_not_null(t);
  cr_expect_eq(csv_row_count(t), 16 * 4 * 400);
  char* seen = calloc(16 * 4 * 400, 1);
  for (size_t r = 0; r < csv_row_count(t); r++) {
    long id = (long)vn_num(t, r, "wr");
    cr_assert(id >= 0 && id < 16 * 4 * 400, "id %ld", id);
    cr_expect_eq(seen[id], 0, "WR %ld twice", id);
    seen[id] = 1;
  }
  free(seen);
  csv_free(t);
  free(tpath);
  csv_free(e);
  csv_free(b);
  csv_free(ce);
  csv_free(cb);
  free(ex);
  free(bn);
  free(sc);
  free(dir);
}
