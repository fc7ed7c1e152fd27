/* e2e_physics: the shapes the physics demands. With a closed loop and enough consumers the lock saturates while
 * speculative enqueue keeps scaling until the NIC engine saturates; VMs make the lock pay traps. Shapes and bounds
 * derived from the parameters, not recorded numbers. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "vn_test.h"

/* Default host I/O timings (docs/model.md): issue 50 ns, lock hand-off 100 ns, pio-read 1 us; 64 B WRs. */
#define ISSUE 50e-9
#define HANDOFF 100e-9
#define PIO_READ 1e-6

static csv_t run_scaling(const char* name, const char* service_time, const char* extra_sweeps, char** dir_out)
{
  char* dir = vn_scratch(name);
  char body[4096];
  snprintf(body, sizeof body,
           "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
           "  <nic service-time=\"%s\"/>\n"
           "  <workload arrival=\"closed\" window=\"4\" think=\"2us\" think-dist=\"exponential\" requests=\"1500\"/>\n"
           "  <sweep name=\"config\">\n"
           "    <case label=\"speculative\"/>\n"
           "    <case label=\"lock\"><set param=\"access.mode\" value=\"lock\"/></case>\n"
           "    <case label=\"lock-always\"><set param=\"access.mode\" value=\"lock\"/>"
           "<set param=\"access.credit-refresh\" value=\"always\"/></case>\n"
           "  </sweep>\n"
           "%s",
           service_time, extra_sweeps);
  char* sc  = vn_scenario(dir, "s.xml", "name=\"physics\"", body);
  char* err = NULL;
  cr_assert_eq(vn_run(NULL, &err, "run '%s' -o '%s/out' -j2", sc, dir), 0, "%s", err);
  char out[4096];
  snprintf(out, sizeof out, "%s/out", dir);
  csv_t t = vn_results(out);
  free(sc);
  free(err);
  *dir_out = dir;
  return t;
}

static double thr(const_csv_t t, const char* config, const char* cores)
{
  char a[64], b[64];
  snprintf(a, sizeof a, "config=%s", config);
  snprintf(b, sizeof b, "consumers.cores-per-host=%s", cores);
  long r = vn_find_row(t, a, b, NULL);
  cr_assert(r >= 0, "no row for %s, %s cores", config, cores);
  return vn_num(t, (size_t)r, "throughput_wr_s");
}

/* A fast NIC engine (20 ns: ~42 M WR/s) is never the bottleneck here: the lock is. */
Test(physics, lock_saturates_speculative_keeps_scaling, .timeout = 300)
{
  char* dir;
  csv_t t =
      run_scaling("physics-fast", "20ns", "  <sweep param=\"consumers.cores-per-host\" values=\"1 4 16 32\"/>\n", &dir);
  double lock_cap   = 1 / (ISSUE + HANDOFF);            /* hand-off + write per WR, credits read rarely */
  double always_cap = 1 / (PIO_READ + ISSUE + HANDOFF); /* a credit read inside every critical section */
  /* the lock: bounded by its critical section, flat from 16 to 32 consumers */
  cr_expect_leq(thr(t, "lock", "32"), lock_cap * 1.001, "lock above its bound 1/(issue + hand-off)");
  cr_expect_leq(thr(t, "lock", "32"), 1.05 * thr(t, "lock", "16"), "lock still scaling from 16 to 32 consumers");
  cr_expect_leq(thr(t, "lock-always", "32"), always_cap * 1.001);
  cr_expect_geq(thr(t, "lock-always", "32"), always_cap * 0.98, "lock-always saturated at its bound");
  cr_expect_leq(thr(t, "lock-always", "32"), 1.01 * thr(t, "lock-always", "4"), "lock-always saturated early");
  /* speculative: every doubling of consumers keeps adding throughput */
  cr_expect_gt(thr(t, "speculative", "4"), 3 * thr(t, "speculative", "1"));
  cr_expect_gt(thr(t, "speculative", "16"), 3 * thr(t, "speculative", "4"));
  cr_expect_gt(thr(t, "speculative", "32"), 1.6 * thr(t, "speculative", "16"), "speculative stopped scaling");
  cr_expect_gt(thr(t, "speculative", "32"), 2 * thr(t, "lock", "32"));
  /* where both keep up (one consumer) they deliver the same */
  cr_expect_lt(thr(t, "speculative", "1") / thr(t, "lock", "1"), 1.1);
  csv_free(t);
  free(dir);
}

/* A 200 ns engine saturates first: speculative then tops out at the engine's rate, never above it. */
Test(physics, speculative_saturates_at_the_engine, .timeout = 300)
{
  char* dir;
  csv_t t =
      run_scaling("physics-slow", "200ns", "  <sweep param=\"consumers.cores-per-host\" values=\"8 32\"/>\n", &dir);
  double engine = 1 / (200e-9 + 64 / 16e9); /* service-time + size / dma-bandwidth */
  double s32    = thr(t, "speculative", "32");
  cr_expect_leq(s32, engine * 1.001, "faster than the NIC engine");
  cr_expect_geq(s32, engine * 0.97, "speculative does not reach the engine's rate (%g of %g)", s32, engine);
  long r = vn_find_row(t, "config=speculative", "consumers.cores-per-host=32", NULL);
  cr_expect_gt(vn_num(t, (size_t)r, "nic_utilization"), 0.97);
  cr_expect_gt(vn_num(t, (size_t)r, "reject_rate"), 0, "128 outstanding WRs on a 64-entry queue must be rejected");
  /* the lock is not rejected: it waits (spins) instead, and pays for it in CPU */
  long l = vn_find_row(t, "config=lock", "consumers.cores-per-host=32", NULL);
  cr_expect_eq(vn_num(t, (size_t)l, "reject_rate"), 0);
  cr_expect_gt(vn_num(t, (size_t)l, "cpu_per_wr_s"), vn_num(t, (size_t)r, "cpu_per_wr_s"));
  csv_free(t);
  free(dir);
}

/* Consumers in VMs cannot share a host lock without the hypervisor: every WR pays traps under the lock, not under
 * speculative enqueue (whose requester page is mapped into the VM). */
Test(physics, vms_make_the_lock_pay_traps, .timeout = 300)
{
  char* dir = vn_scratch("physics-vm");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"vm\"",
                          "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
                           "  <nic service-time=\"20ns\"/>\n"
                           "  <workload arrival=\"closed\" window=\"4\" think=\"2us\" requests=\"1000\"/>\n"
                           "  <sweep param=\"access.mode\" values=\"speculative lock\"/>\n"
                           "  <sweep name=\"placement\">\n"
                           "    <case label=\"native\"><set param=\"consumers.cores-per-host\" value=\"8\"/></case>\n"
                           "    <case label=\"vms\"><set param=\"consumers.cores-per-host\" value=\"0\"/>"
                           "<set param=\"consumers.vms-per-host\" value=\"4\"/>"
                           "<set param=\"consumers.vcpus-per-vm\" value=\"2\"/></case>\n"
                           "  </sweep>\n");
  char* err = NULL;
  cr_assert_eq(vn_run(NULL, &err, "run '%s' -o '%s/out' -j2", sc, dir), 0, "%s", err);
  char out[4096];
  snprintf(out, sizeof out, "%s/out", dir);
  csv_t t = vn_results(out);
  long ln = vn_find_row(t, "access.mode=lock", "placement=native", NULL);
  long lv = vn_find_row(t, "access.mode=lock", "placement=vms", NULL);
  long sn = vn_find_row(t, "access.mode=speculative", "placement=native", NULL);
  long sv = vn_find_row(t, "access.mode=speculative", "placement=vms", NULL);
  cr_assert(ln >= 0 && lv >= 0 && sn >= 0 && sv >= 0);
  double trap = 1.5e-6;
  /* a VM's WR holds the lock for at least one trap (exit to release, re-entry holding it) */
  cr_expect_leq(vn_num(t, (size_t)lv, "throughput_wr_s"), 1 / trap * 1.001);
  cr_expect_lt(vn_num(t, (size_t)lv, "throughput_wr_s"), 0.5 * vn_num(t, (size_t)ln, "throughput_wr_s"));
  cr_expect_geq(vn_num(t, (size_t)lv, "cpu_per_wr_s"), 2 * trap, "a VM's WR traps to acquire and again to release");
  /* speculative: the same in VMs as on native cores */
  double ratio = vn_num(t, (size_t)sv, "throughput_wr_s") / vn_num(t, (size_t)sn, "throughput_wr_s");
  cr_expect(ratio > 0.98 && ratio < 1.02, "speculative in VMs vs native: %g", ratio);
  csv_free(t);
  free(sc);
  free(err);
  free(dir);
}
