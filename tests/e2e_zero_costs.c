/* e2e_zero_costs: valid input with costs of zero must finish (or be refused up front, exit 2), never spin forever
 * or abort. Each case runs through the binary under a deadline. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vn_more.h"
#include "vn_test.h"

#define DEADLINE_S 60

static char* min_scenario(const char* name)
{
  char* dir = vn_scratch(name);
  char* sc  = vn_scenario(dir, "min.xml", "name=\"min\"", "  <platform file=\"@FIXTURES@/one-host.xml\"/>\n");
  free(dir);
  return sc;
}

/* DIR/o in a fresh scratch directory (not created: a run makes it). */
static char* scratch_out(const char* name)
{
  char* dir = vn_scratch(name);
  char* out = vn_path(dir, "o");
  free(dir);
  return out;
}

/* A lock holder that finds the queue full reads the retired count again: with a zero-cost read that was a loop at one
 * instant. Now the reads that cannot see a slot are counted in one go, up to the next retirement. */
Test(zero_costs, lock_with_free_register_reads_finishes)
{
  char* sc            = min_scenario("zero-lock");
  const char* cases[] = {"--set consumers.cores-per-host=32 --set workload.requests=200",
                         "--set nic.queue-depth=1 --set workload.requests=2",
                         "--set nic.queue-depth=1 --set consumers.cores-per-host=8 --set workload.requests=50 "
                         "--set access.credit-refresh=always"};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char* out = scratch_out("zero-lock-out");
    char *so, *se;
    double wall;
    int rc = vn_run_deadline(DEADLINE_S, &wall, &so, &se,
                             "run '%s' -o '%s' --set access.mode=lock --set nic.pio-read=0s %s", sc, out, cases[i]);
    cr_expect_eq(rc, 0, "case %zu: exit %d (%s)", i, rc, se);
    if (rc == 0) {
      csv_t t = vn_results(out);
      cr_expect_str_eq(vn_text(t, 0, "status"), "ok");
      cr_expect_eq(vn_num(t, 0, "wr_delivered"), vn_num(t, 0, "wr_created"));
      /* the engine bounds throughput: 1 / (200 ns + 64 B / 16 GB/s) */
      cr_expect_leq(vn_num(t, 0, "throughput_wr_s"), 1 / (200e-9 + 64 / 16e9) * 1.0001);
      csv_free(t);
    }
    free(so);
    free(se);
    free(out);
  }
  free(sc);
}

/* The same with reads that cost little: many reads before a slot is free, counted in one go past the 64th. With a
 * queue of one entry the engine idles while the next WR is written: a WR every service + issue-cost + pio-write (the
 * read that sees the slot ends within 1 ps of the retirement), and no WR is lost. */
Test(zero_costs, lock_with_cheap_reads_spins_in_bounded_work)
{
  char* sc  = min_scenario("cheap-lock");
  char* out = scratch_out("cheap-lock-out");
  char *so, *se;
  double wall;
  int rc = vn_run_deadline(DEADLINE_S, &wall, &so, &se,
                           "run '%s' -o '%s' --set access.mode=lock --set nic.pio-read=1ps --set nic.service-time=10us "
                           "--set nic.queue-depth=1 --set consumers.cores-per-host=4 --set workload.requests=100",
                           sc, out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, se);
  csv_t t = vn_results(out);
  cr_expect_str_eq(vn_text(t, 0, "status"), "ok");
  double period = 10e-6 + 64 / 16e9 + 50e-9 + 200e-9;
  double thr    = vn_num(t, 0, "throughput_wr_s");
  cr_expect(thr > 0.999 / period && thr < 1.001 / period, "throughput %g, expected %g", thr, 1 / period);
  cr_expect_eq(vn_num(t, 0, "wr_delivered"), 400);
  csv_free(t);
  free(so);
  free(se);
  free(out);
  free(sc);
}

/* Speculative enqueue whose replay costs nothing would replay at the instant of the drop forever: refused by check
 * and by run, exit 2, naming the attributes, and nothing written. */
Test(zero_costs, speculative_replay_without_cost_is_refused)
{
  char* sc            = min_scenario("zero-spec");
  const char* cases[] = {"--set nic.notify-latency=0s", "--set access.detect=poll --set nic.pio-read=0s"};
  for (size_t i = 0; i < 2; i++) {
    for (int run = 0; run < 2; run++) {
      char* out = scratch_out("zero-spec-out");
      char *so, *se;
      double wall;
      int rc = vn_run_deadline(DEADLINE_S, &wall, &so, &se,
                               "%s '%s' %s%s%s --set nic.issue-cost=0s --set nic.pio-write=0s --set nic.queue-depth=1 "
                               "--set workload.window=2 --set workload.requests=200 %s",
                               run ? "run" : "check", sc, run ? "-o '" : "", run ? out : "", run ? "'" : "", cases[i]);
      cr_expect_eq(rc, 2, "case %zu (%s): exit %d", i, run ? "run" : "check", rc);
      cr_expect(strstr(se, "a replay would take no time") != NULL && strstr(se, "issue-cost") != NULL, "%s", se);
      if (run)
        cr_expect(access(out, F_OK) != 0, "exit 2 must leave nothing behind");
      free(so);
      free(se);
      free(out);
    }
  }
  /* any one cost is enough */
  char* out = scratch_out("spec-one-cost");
  char *so, *se;
  double wall;
  int rc =
      vn_run_deadline(DEADLINE_S, &wall, &so, &se,
                      "run '%s' -o '%s' --set nic.issue-cost=0s --set nic.pio-write=0s --set nic.notify-latency=1ns "
                      "--set nic.queue-depth=1 --set workload.window=2 --set workload.requests=200",
                      sc, out);
  cr_expect_eq(rc, 0, "exit %d: %s", rc, se);
  free(so);
  free(se);
  free(out);
  free(sc);
}

/* SR-IOV partitions: a lock holder that finds its queue full reads the credits again; with a zero-cost read (and every
 * other cost zero) that was a loop at one instant. The read that can see a slot is made at the queue's next
 * retirement. Native cores, and vCPUs time-sliced on fewer physical cores, with two queues. */
Test(zero_costs, partitioned_with_free_reads_finishes)
{
  char* sc            = min_scenario("zero-part");
  const char* cases[] = {
      "--set consumers.cores-per-host=8",
      "--set consumers.cores-per-host=8 --set consumers.vms-per-host=4 --set consumers.pcpus-per-host=2 "
      "--set nic.queues=2 --set nic.queue-depth=2"};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char* out = scratch_out("zero-part-out");
    char *so, *se;
    double wall;
    int rc =
        vn_run_deadline(DEADLINE_S, &wall, &so, &se,
                        "run '%s' -o '%s' --set access.mode=partitioned --set nic.pio-read=0s --set nic.issue-cost=0s "
                        "--set nic.pio-write=0s --set nic.queue-depth=1 --set workload.requests=100 %s",
                        sc, out, cases[i]);
    cr_expect_eq(rc, 0, "case %zu: exit %d (%s)", i, rc, se);
    if (rc == 0) {
      csv_t t = vn_results(out);
      cr_expect_str_eq(vn_text(t, 0, "status"), "ok");
      cr_expect_eq(vn_num(t, 0, "wr_delivered"), vn_num(t, 0, "wr_created"));
      cr_expect_gt(vn_num(t, 0, "wr_delivered"), 0);
      csv_free(t);
    }
    free(so);
    free(se);
    free(out);
  }
  free(sc);
}

/* ENQCMD whose retry costs nothing (issue-cost, enqcmd-rtt and backoff all zero) would ask again at the instant it was
 * refused, forever: refused by check and run, exit 2, naming nic.enqcmd-rtt, nothing written. Any one cost is enough.
 */
Test(zero_costs, enqcmd_retry_without_cost_is_refused)
{
  char* sc = min_scenario("zero-enq");
  for (int run = 0; run < 2; run++) {
    char* out = scratch_out("zero-enq-out");
    char *so, *se;
    double wall;
    int rc = vn_run_deadline(DEADLINE_S, &wall, &so, &se,
                             "%s '%s' %s%s%s --set access.mode=enqcmd --set nic.issue-cost=0s --set nic.enqcmd-rtt=0s "
                             "--set access.backoff=0s --set nic.queue-depth=1 --set workload.requests=50",
                             run ? "run" : "check", sc, run ? "-o '" : "", run ? out : "", run ? "'" : "");
    cr_expect_eq(rc, 2, "%s: exit %d", run ? "run" : "check", rc);
    cr_expect(strstr(se, "nic.enqcmd-rtt=\"0s\"") != NULL && strstr(se, "a retry would take no time") != NULL, "%s",
              se);
    if (run)
      cr_expect(access(out, F_OK) != 0, "exit 2 must leave nothing behind");
    free(so);
    free(se);
    free(out);
  }
  char* out = scratch_out("zero-enq-one");
  char *so, *se;
  double wall;
  int rc = vn_run_deadline(DEADLINE_S, &wall, &so, &se,
                           "run '%s' -o '%s' --set access.mode=enqcmd --set nic.issue-cost=0s --set nic.enqcmd-rtt=0s "
                           "--set access.backoff=1ns --set nic.queue-depth=1 --set consumers.cores-per-host=4 "
                           "--set workload.requests=50",
                           sc, out);
  cr_expect_eq(rc, 0, "exit %d: %s", rc, se);
  if (rc == 0) {
    csv_t t = vn_results(out);
    cr_expect_eq(vn_num(t, 0, "wr_delivered"), 200);
    csv_free(t);
  }
  free(so);
  free(se);
  free(out);
  free(sc);
}
