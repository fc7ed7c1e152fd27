/* e2e_enqcmd: the non-posted enqueue mode (access.mode="enqcmd") through the binary: one uncontended WR costs exactly
 * the sum of its timings; closed loops saturate at the closed forms 1/(issue-cost + enqcmd-rtt) per core up to the
 * engine's 1/(service-time + size/dma-bandwidth); a queue that fills makes cores retry, yet every WR is delivered once
 * and in order, what a retry costs adds up, and back-off lowers the retries per WR; time-sliced vCPUs and
 * on-reject="drop" keep the counts right. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vn_more.h"
#include "vn_stats.h"
#include "vn_test.h"

/* Timings written in (or defaulted by) the scenarios below, SI units. */
#define ISSUE 50e-9
#define SERVICE 200e-9
#define DMA_BW 16e9
#define DMA_LAT 500e-9
#define SIZE 64.0
#define ENGINE (SERVICE + SIZE / DMA_BW) /* engine time per 64 B WR: 204 ns */
/* results.csv holds 9 significant digits (%.9g): a value read back is within 5e-9 of itself, relatively, so an identity
 * between two or three of them holds to 2e-8. */
#define CSV_DIGITS 2e-8

/* Run `body` (the elements of a <scenario>) as scenario `name`; returns results.csv and, if @p checks, checks.csv. */
static csv_t run(const char* name, const char* attrs, const char* body, csv_t* checks)
{
  char* dir = vn_scratch(name);
  char* sc  = vn_scenario(dir, "s.xml", attrs, body);
  char* out = vn_path(dir, "out");
  char* err = NULL;
  int rc    = vn_run(NULL, &err, "run '%s' -o '%s' -j2", sc, out);
  if (rc != 0) {
    char* why = vn_failure_summary(out, err);
    cr_assert_fail("%s: vnicsim run exited with %d: %s", name, rc, why);
  }
  csv_t t = vn_results(out);
  if (checks != NULL)
    *checks = vn_table(out, "checks.csv");
  free(err);
  free(out);
  free(sc);
  free(dir);
  return t;
}

static void expect_close(double got, double want, const char* what)
{
  cr_expect(fabs(got - want) <= 1e-12 + 1e-9 * want, "%s: got %.12g, the parameters give %.12g", what, got, want);
}

/* One core, one WR at a time (window 1, 1 us of think time): nothing waits but for the model's own delays. The round
 * trip is not the default, so that the test sees the parameter. The command reaches the NIC half a round trip after
 * it leaves the core, so the issue latency is issue-cost + rtt/2; the core stalls for the whole round trip, so its CPU
 * per WR is issue-cost + rtt. A vCPU is run too: ENQCMD is issued from the guest like from a native core (no trap). */
Test(enqcmd, uncontended_wr_is_the_sum_of_the_parameters)
{
  const double rtt    = 700e-9;
  const char* where[] = {"cores-per-host=\"1\"", "cores-per-host=\"0\" vms-per-host=\"1\" vcpus-per-vm=\"1\""};
  for (int i = 0; i < 2; i++) {
    char body[2048];
    snprintf(body, sizeof body,
             "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
             "  <nic issue-cost=\"50ns\" service-time=\"200ns\" dma-bandwidth=\"16GBps\" dma-latency=\"500ns\" "
             "enqcmd-rtt=\"700ns\"/>\n"
             "  <access mode=\"enqcmd\"/>\n"
             "  <consumers %s/>\n"
             "  <workload arrival=\"closed\" window=\"1\" think=\"1us\" requests=\"200\" size=\"64B\" "
             "pattern=\"local\"/>\n",
             where[i]);
    csv_t t      = run(i == 0 ? "enqcmd-single" : "enqcmd-single-vm", "name=\"single\"", body, NULL);
    double issue = ISSUE + rtt / 2;
    double e2e   = issue + ENGINE + DMA_LAT;
    expect_close(vn_num(t, 0, "issue_latency_p50_s"), issue, "issue latency p50 (issue-cost + rtt/2)");
    expect_close(vn_num(t, 0, "issue_latency_p99_s"), issue, "issue latency p99");
    expect_close(vn_num(t, 0, "e2e_latency_p50_s"), e2e, "e2e p50");
    expect_close(vn_num(t, 0, "e2e_latency_p99_s"), e2e, "e2e p99");
    expect_close(vn_num(t, 0, "e2e_latency_mean_s"), e2e, "e2e mean");
    expect_close(vn_num(t, 0, "e2e_nic_queue_s"), ENGINE, "time in the NIC");
    expect_close(vn_num(t, 0, "cpu_per_wr_s"), ISSUE + rtt, "CPU per WR (issue-cost + the stall for the answer)");
    cr_expect_eq(vn_num(t, 0, "access_wait_mean_s"), 0, "no retry, no access wait");
    cr_expect_eq(vn_num(t, 0, "reject_rate"), 0);
    cr_expect_eq(vn_num(t, 0, "replays_per_wr"), 0);
    csv_free(t);
  }
}

/* Saturation, fixed engine time. One closed-loop core (window 4, no think time, loopback) always has a WR to send and
 * sends one command at a time: issue-cost, then the stall of one round trip. With a queue deep enough that it never
 * refuses (256 >= 16 cores x 4 WRs outstanding), each core delivers one WR per (issue-cost + enqcmd-rtt), and N cores
 * N times that, until the engine, which serves one WR per ENGINE, is the limit:
 *     X = min(N / (issue-cost + rtt), 1 / ENGINE).
 * (The cores' WR slots come back in time: a slot returns rtt/2 + at most 63 engine times + notify-latency after its
 * WR left, ahead of the core's 3 other WRs when the core is the limit; when the engine is, the cores only feed it.)
 * Tolerance: nothing here is random, so the deliveries are periodic, N per period P = issue-cost + rtt (or one per
 * ENGINE), and throughput_wr_s counts them over the steady window of length T: the count is within N of N T / P, a
 * relative error of at most P / T. The window runs from the end of the warm-up (10% of the R = 2000 WRs of a core) to
 * the last creation of the first core to finish (W = 4 WRs before its end), so T >= (0.9 R - W - 1) P and the error is
 * below 1 / 1795; we allow 1 / (0.8 R) = 1 / 1600. Two rtt values, so that the rate follows the parameter; the knee
 * sits between 2 and 4 cores at 400 ns and between 4 and 8 at 1 us. Replications must agree exactly (no randomness). */
#define SAT_REQUESTS 2000

Test(enqcmd, closed_loop_saturates_at_the_closed_form, .timeout = 300)
{
  char body[2048];
  snprintf(body, sizeof body,
           "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
           "  <nic queue-depth=\"256\" service-time=\"200ns\" dma-bandwidth=\"16GBps\" issue-cost=\"50ns\"/>\n"
           "  <access mode=\"enqcmd\"/>\n"
           "  <workload arrival=\"closed\" window=\"4\" think=\"0s\" requests=\"%d\" size=\"64B\" pattern=\"local\"/>\n"
           "  <sweep param=\"nic.enqcmd-rtt\" values=\"400ns 1us\"/>\n"
           "  <sweep param=\"consumers.cores-per-host\" values=\"1 2 4 8 16\"/>\n",
           SAT_REQUESTS);
  csv_t t    = run("enqcmd-saturation", "name=\"saturation\" seed=\"7\" replications=\"2\"", body, NULL);
  double tol = 1 / (0.8 * SAT_REQUESTS);
  cr_assert_eq(csv_row_count(t), 2 * 5 * 2);
  int core_bound = 0, engine_bound = 0;
  for (size_t r = 0; r < csv_row_count(t); r++) {
    double rtt  = vn_num(t, r, "nic.enqcmd-rtt");
    double n    = vn_num(t, r, "consumers.cores-per-host");
    double core = n / (ISSUE + rtt), engine = 1 / ENGINE;
    double want = core < engine ? core : engine;
    double got  = vn_num(t, r, "throughput_wr_s");
    core_bound += core < engine;
    engine_bound += core >= engine;
    cr_expect(fabs(got / want - 1) <= tol, "rtt %g s, %g cores: throughput %.9g WR/s, the closed form gives %.9g (%s)",
              rtt, n, got, want, core < engine ? "cores" : "engine");
    cr_expect_eq(vn_num(t, r, "reject_rate"), 0, "rtt %g s, %g cores: the 256-entry queue never fills", rtt, n);
    if (vn_num(t, r, "replication") == 1)
      cr_expect_eq(got, vn_num(t, r - 1, "throughput_wr_s"), "rtt %g s, %g cores: replications differ", rtt, n);
  }
  cr_expect(core_bound >= 4 && engine_bound >= 4, "both regimes must be exercised (%d core-bound, %d engine-bound)",
            core_bound, engine_bound);
  csv_free(t);
}

/* Saturation, random engine time. The same loop with 16 cores (16 / 1.05 us = 15 M/s offered against the engine's
 * 4.9 M/s) and exponential engine times of mean ENGINE: the engine never idles (about 60 of the 64 WRs outstanding sit
 * in its queue), so its services form a renewal process and the throughput estimates 1 / ENGINE; one replication's
 * relative spread is about 1/sqrt(n) for the n ~ 29,000 services of its window (0.6%). A Student t interval at 99%
 * over 10 replications (about +-0.6%) must contain it. */
Test(enqcmd, engine_bound_with_random_service_matches_the_engine_rate, .timeout = 300)
{
  const char* body =
      "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
      "  <nic queue-depth=\"256\" service-time=\"200ns\" service-dist=\"exponential\" dma-bandwidth=\"16GBps\"/>\n"
      "  <access mode=\"enqcmd\"/>\n"
      "  <consumers cores-per-host=\"16\"/>\n"
      "  <workload arrival=\"closed\" window=\"4\" think=\"0s\" requests=\"2000\" size=\"64B\" pattern=\"local\"/>\n";
  csv_t t = run("enqcmd-saturation-exp", "name=\"saturation-exp\" seed=\"11\" replications=\"10\"", body, NULL);
  double x[10];
  cr_assert_eq(csv_row_count(t), 10);
  for (size_t r = 0; r < 10; r++) {
    x[r] = vn_num(t, r, "throughput_wr_s");
    cr_expect_eq(vn_num(t, r, "reject_rate"), 0);
  }
  vn_ci_t ci = vn_ci_student(x, 10, 0.01, 0);
  cr_expect(vn_ci_contains(&ci, 1 / ENGINE), "engine-bound throughput %.9g +- %.3g WR/s does not contain 1/%g s = %.9g",
            ci.mean, ci.half_width, ENGINE, 1 / ENGINE);
  cr_expect_lt(ci.half_width / ci.mean, 0.02, "the interval (%g relative) is too wide to tell anything",
               ci.half_width / ci.mean);
  csv_free(t);
}

/* A queue that fills: 16 cores share a 4-entry queue in front of a 204 ns (exponential) engine; each has one WR at a
 * time (window 1) and thinks 1 us on average (exponential, which spreads the cores over time) after its completion,
 * offering about 6 M/s. Commands are refused ("retry") and sent again. Checked for every seed and back-off:
 *  - every WR is created, accepted exactly once and delivered once, in its core's order; the NIC's drops are the
 *    WRs' extra attempts (one more command per "retry"), and no retry flag is ever cleared (the mode has none);
 *  - what a retry costs: each attempt stalls the core for issue-cost + rtt and each retry is followed by the back-off
 *    b, so without back-off and with a fixed one, CPU per WR = (issue-cost + rtt)(1 + r) + b r and the access wait
 *    (first attempt to accepted attempt) = (issue-cost + rtt + b) r, r being the retries per WR (replays_per_wr);
 *  - back-off lowers the retries per WR: a refused core waits longer before it sends again, so fewer of its commands
 *    find the queue full (fixed 1 us, and exponential from 250 ns, both below no back-off). */
Test(enqcmd, full_queue_retries_deliver_every_wr_once_in_order, .timeout = 300)
{
  const char* body =
      "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
      "  <nic queue-depth=\"4\" service-time=\"200ns\" service-dist=\"exponential\" issue-cost=\"50ns\" "
      "enqcmd-rtt=\"1us\"/>\n"
      "  <access mode=\"enqcmd\"/>\n"
      "  <consumers cores-per-host=\"16\"/>\n"
      "  <workload arrival=\"closed\" window=\"1\" think=\"1us\" think-dist=\"exponential\" requests=\"300\" "
      "size=\"64B\" pattern=\"local\"/>\n"
      "  <sweep name=\"backoff\">\n"
      "    <case label=\"none\"/>\n"
      "    <case label=\"fixed\"><set param=\"access.backoff\" value=\"1us\"/></case>\n"
      "    <case label=\"exponential\"><set param=\"access.backoff\" value=\"250ns\"/>"
      "<set param=\"access.backoff-policy\" value=\"exponential\"/></case>\n"
      "  </sweep>\n";
  csv_t chk;
  csv_t t = run("enqcmd-full", "name=\"full\" seed=\"3\" replications=\"3\"", body, &chk);
  cr_assert_eq(csv_row_count(t), 3 * 3);
  const double attempt = ISSUE + 1e-6;
  double retries[3][3]; /* [case][replication] */
  for (size_t r = 0; r < csv_row_count(t); r++) {
    const char* label = vn_text(t, r, "backoff");
    int k             = strcmp(label, "none") == 0 ? 0 : strcmp(label, "fixed") == 0 ? 1 : 2;
    int rep           = (int)vn_num(t, r, "replication");
    char what[128];
    snprintf(what, sizeof what, "back-off %s, replication %d", label, rep);
    vn_expect_conserved(t, chk, r, 16 * 300, 0, 1, what);
    long c = vn_row_of_point(chk, vn_text(t, r, "point"));
    cr_assert_geq(c, 0);
    cr_expect_eq(vn_num(chk, (size_t)c, "flag_clears"), 0, "%s: the mode has no retry flag to clear", what);
    cr_expect_gt(vn_num(chk, (size_t)c, "nic_drops"), 0, "%s: the queue never refused a command", what);
    cr_expect_eq(vn_num(chk, (size_t)c, "max_occupancy"), 4, "%s: the queue never filled", what);
    double rr = vn_num(t, r, "replays_per_wr");
    cr_expect_gt(vn_num(t, r, "reject_rate"), 0, "%s: reject rate", what);
    cr_expect_gt(rr, 0, "%s: retries per WR", what);
    retries[k][rep] = rr;
    if (k < 2) {
      double b    = k == 0 ? 0 : 1e-6;
      double cpu  = attempt * (1 + rr) + b * rr;
      double wait = (attempt + b) * rr;
      cr_expect(fabs(vn_num(t, r, "cpu_per_wr_s") - cpu) <= CSV_DIGITS * cpu,
                "%s: CPU per WR %.9g s, (issue-cost + rtt)(1 + r) + b r gives %.9g s", what,
                vn_num(t, r, "cpu_per_wr_s"), cpu);
      cr_expect(fabs(vn_num(t, r, "access_wait_mean_s") - wait) <= CSV_DIGITS * wait,
                "%s: access wait %.9g s, (issue-cost + rtt + b) r gives %.9g s", what,
                vn_num(t, r, "access_wait_mean_s"), wait);
    } else {
      cr_expect_geq(vn_num(t, r, "cpu_per_wr_s"), attempt * (1 + rr) * (1 - CSV_DIGITS),
                    "%s: CPU per WR below the attempts'", what);
    }
  }
  for (int rep = 0; rep < 3; rep++) {
    cr_expect_lt(retries[1][rep], retries[0][rep], "replication %d: a fixed back-off gives %g retries per WR, none %g",
                 rep, retries[1][rep], retries[0][rep]);
    cr_expect_lt(retries[2][rep], retries[0][rep],
                 "replication %d: exponential back-off gives %g retries per WR, none %g", rep, retries[2][rep],
                 retries[0][rep]);
  }
  csv_free(t);
  csv_free(chk);
}

/* A host that time-slices vCPUs (6 vCPUs on 2 physical cores, beside 2 native cores) hands each command to the NIC
 * when it leaves the core: the run must keep every WR and the order, and the back-off must go through the vCPU's
 * schedule. With on-reject="drop" a refused command loses its WR: created = delivered + lost, one drop per lost WR and
 * no WR is sent twice. */
Test(enqcmd, time_sliced_vcpus_and_drop, .timeout = 300)
{
  const char* body =
      "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
      "  <nic queue-depth=\"2\"/>\n"
      "  <access mode=\"enqcmd\" backoff=\"100ns\" backoff-policy=\"exponential\" backoff-max=\"2us\"/>\n"
      "  <consumers cores-per-host=\"2\" vms-per-host=\"3\" vcpus-per-vm=\"2\" pcpus-per-host=\"2\" slice=\"5us\"/>\n"
      "  <workload arrival=\"closed\" window=\"4\" think=\"200ns\" think-dist=\"exponential\" requests=\"300\" "
      "size=\"64B\" pattern=\"local\"/>\n"
      "  <sweep param=\"access.on-reject\" values=\"replay drop\"/>\n";
  csv_t chk;
  csv_t t = run("enqcmd-sliced", "name=\"sliced\" seed=\"5\" replications=\"3\"", body, &chk);
  cr_assert_eq(csv_row_count(t), 2 * 3);
  for (size_t r = 0; r < csv_row_count(t); r++) {
    char what[128];
    snprintf(what, sizeof what, "on-reject %s, replication %s", vn_text(t, r, "access.on-reject"),
             vn_text(t, r, "replication"));
    cr_expect_gt(vn_num(t, r, "vcpu_descheduled_fraction"), 0, "%s: the vCPUs must be time-sliced", what);
    long c = vn_row_of_point(chk, vn_text(t, r, "point"));
    cr_assert_geq(c, 0);
    double drops = vn_num(chk, (size_t)c, "nic_drops");
    cr_expect_gt(drops, 0, "%s: the 2-entry queue never refused a command", what);
    if (strcmp(vn_text(t, r, "access.on-reject"), "replay") == 0) {
      vn_expect_conserved(t, chk, r, 8 * 300, 0, 1, what);
      continue;
    }
    cr_expect_str_eq(vn_text(t, r, "status"), "ok");
    double created = vn_num(t, r, "wr_created"), lost = vn_num(t, r, "wr_lost");
    cr_expect_eq(created, 8 * 300, "%s: WRs created", what);
    cr_expect_eq(vn_num(t, r, "wr_delivered") + lost, created, "%s: delivered + lost != created", what);
    cr_expect_eq(lost, drops, "%s: %g WRs lost for %g refused commands", what, lost, drops);
    cr_expect_eq(vn_num(chk, (size_t)c, "wr_replays"), 0, "%s: a lost WR is never sent again", what);
    cr_expect_eq(vn_num(t, r, "replays_per_wr"), 0, "%s", what);
  }
  csv_free(t);
  csv_free(chk);
}
