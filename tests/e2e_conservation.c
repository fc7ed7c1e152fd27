/* e2e_conservation: real runs of every access mode and pattern deliver every WR exactly once, keep per-context
 * order, never overfill a queue, and their counts add up. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "vn_test.h"

/* A small overload so that the speculative mode really drops and replays: 2 cores and a VM of 2 vCPUs per host,
 * window 4 with no think time, on a queue of 4 entries. */
static const char* body = "  <platform file=\"@PLATFORMS@/flat-16.xml\" network-model=\"CM02\" hosts=\"4\"/>\n"
                          "  <nic queue-depth=\"4\"/>\n"
                          "  <consumers cores-per-host=\"2\" vms-per-host=\"1\" vcpus-per-vm=\"2\"/>\n"
                          "  <workload arrival=\"closed\" window=\"4\" requests=\"150\"/>\n"
                          "  <sweep param=\"access.mode\" values=\"speculative lock\"/>\n"
                          "  <sweep param=\"access.detect\" values=\"notify poll\"/>\n"
                          "  <sweep param=\"workload.pattern\" values=\"local uniform neighbor permutation hotspot "
                          "all-to-all\"/>\n";

Test(conservation, every_mode_and_pattern_delivers_each_wr_once, .timeout = 300)
{
  char* dir = vn_scratch("conservation");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"conservation\" seed=\"3\"", body);
  char* err = NULL;
  int rc    = vn_run(NULL, &err, "run '%s' -o '%s/out' -j2", sc, dir);
  cr_assert_eq(rc, 0, "vnicsim run failed (%d): %s", rc, err);
  char out[4096];
  snprintf(out, sizeof out, "%s/out", dir);
  csv_t res = vn_results(out);
  csv_t chk = vn_table(out, "checks.csv");
  cr_assert_eq(csv_row_count(res), 2 * 2 * 6);
  cr_assert_eq(csv_row_count(chk), csv_row_count(res));
  long speculative_drops = 0;
  for (size_t r = 0; r < csv_row_count(res); r++) {
    const char* mode = vn_text(res, r, "access.mode");
    cr_assert_str_eq(vn_text(res, r, "status"), "ok");
    double expected = 4 /* hosts */ * 4 /* consumers */ * 150;
    cr_expect_eq(vn_num(res, r, "wr_created"), expected, "row %zu: created", r);
    cr_expect_eq(vn_num(res, r, "wr_delivered"), expected, "row %zu (%s, %s): delivered %g of %g", r, mode,
                 vn_text(res, r, "workload.pattern"), vn_num(res, r, "wr_delivered"), expected);
    cr_expect_eq(vn_num(res, r, "wr_lost"), 0);
    /* checks.csv has the same point order */
    cr_assert_str_eq(vn_text(chk, r, "point"), vn_text(res, r, "point"));
    double arrivals = vn_num(chk, r, "nic_arrivals"), accepted = vn_num(chk, r, "nic_accepted");
    double drops = vn_num(chk, r, "nic_drops");
    cr_expect_eq(accepted, expected, "every WR accepted exactly once");
    cr_expect_eq(vn_num(chk, r, "wr_accepted"), expected);
    cr_expect_eq(arrivals, accepted + drops, "accepted + dropped = NIC arrivals");
    cr_expect_eq(vn_num(chk, r, "wr_attempts"), arrivals);
    cr_expect_eq(vn_num(chk, r, "wr_replays"), drops, "go-back-N replays every dropped write once");
    cr_expect_leq(vn_num(chk, r, "max_occupancy"), vn_num(chk, r, "queue_capacity"));
    cr_expect_eq(vn_num(chk, r, "order_violations"), 0, "per-context acceptance follows creation order");
    if (strcmp(mode, "lock") == 0) {
      cr_expect_eq(drops, 0, "the credit scheme never overfills the queue");
      cr_expect_eq(vn_num(chk, r, "flag_clears"), 0);
    } else {
      speculative_drops += (long)drops;
      cr_expect_geq(vn_num(chk, r, "flag_clears"), drops > 0 ? 1 : 0);
    }
    if (strcmp(vn_text(res, r, "workload.pattern"), "local") != 0)
      cr_expect_eq(vn_num(chk, r, "transfers"), expected, "every remote WR crossed the network once");
    else
      cr_expect_eq(vn_num(chk, r, "transfers"), 0);
  }
  cr_expect_gt(speculative_drops, 0, "the overload must exercise drops and replays");
  csv_free(res);
  csv_free(chk);
  free(sc);
  free(err);
  free(dir);
}

/* With on-reject="drop", dropped WRs are lost, never replayed, and created = delivered + lost. */
Test(conservation, drop_mode_accounts_for_losses, .timeout = 120)
{
  char* dir = vn_scratch("conservation-drop");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"drop\"",
                          "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
                           "  <nic queue-depth=\"2\"/>\n"
                           "  <access on-reject=\"drop\"/>\n"
                           "  <consumers cores-per-host=\"8\"/>\n"
                           "  <workload arrival=\"poisson\" rate=\"2M/s\" requests=\"500\"/>\n"
                           "  <sweep param=\"access.detect\" values=\"notify poll\"/>\n");
  char* err = NULL;
  cr_assert_eq(vn_run(NULL, &err, "run '%s' -o '%s/out'", sc, dir), 0, "%s", err);
  char out[4096];
  snprintf(out, sizeof out, "%s/out", dir);
  csv_t res = vn_results(out);
  csv_t chk = vn_table(out, "checks.csv");
  for (size_t r = 0; r < csv_row_count(res); r++) {
    double lost = vn_num(res, r, "wr_lost");
    cr_expect_gt(lost, 0, "an overloaded 2-entry queue drops");
    cr_expect_eq(vn_num(res, r, "wr_delivered") + lost, vn_num(res, r, "wr_created"));
    cr_expect_eq(vn_num(chk, r, "wr_replays"), 0, "nothing is replayed");
    cr_expect_eq(vn_num(chk, r, "nic_drops"), lost);
  }
  csv_free(res);
  csv_free(chk);
  free(sc);
  free(err);
  free(dir);
}
