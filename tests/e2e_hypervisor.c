/* e2e_hypervisor: the hypervisor (virtio/vhost-style) access mode through the binary: one uncontended WR's latency
 * and CPU are exactly the sums the model gives, kicks cost what they should, a backend slower than the NIC sets the
 * throughput, and a ring too small for its vCPUs makes them wait without losing or reordering anything. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "vn_more.h"
#include "vn_test.h"

/* Timings written in every scenario below (SI units). */
#define ISSUE 50e-9
#define PIO_WRITE 200e-9
#define PIO_READ 1e-6
#define NOTIFY 300e-9
#define SERVICE (200e-9 + 64.0 / 16e9) /* service-time + size / dma-bandwidth */
#define DMA_LAT 500e-9
#define TRAP 1.5e-6

static const char* nic = "  <nic issue-cost=\"50ns\" pio-write=\"200ns\" pio-read=\"1us\" notify-latency=\"300ns\" "
                         "service-time=\"200ns\" dma-bandwidth=\"16GBps\" dma-latency=\"500ns\" trap=\"1.5us\"/>\n";

/* Run a one-host, loopback scenario made of @p access, @p consumers and @p workload (elements), plus @p sweeps; the
 * run must succeed. Returns results.csv; *chk (if not NULL) gets checks.csv. */
static csv_t run(const char* name, const char* access, const char* consumers, const char* workload, const char* sweeps,
                 csv_t* chk)
{
  char* dir = vn_scratch(name);
  char body[8192];
  snprintf(body, sizeof body, "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n%s%s%s%s%s", nic, access, consumers,
           workload, sweeps);
  char attrs[256];
  snprintf(attrs, sizeof attrs, "name=\"%s\"", name);
  char* sc  = vn_scenario(dir, "s.xml", attrs, body);
  char* out = vn_path(dir, "out");
  char* err = NULL;
  int rc    = vn_run(NULL, &err, "run '%s' -o '%s' -j2", sc, out);
  if (rc != 0) {
    char* why = vn_failure_summary(out, err);
    cr_assert_fail("%s: vnicsim run exited with %d: %s", name, rc, why);
  }
  csv_t t = vn_results(out);
  if (chk != NULL)
    *chk = vn_table(out, "checks.csv");
  free(err);
  free(out);
  free(sc);
  free(dir);
  return t;
}

/* Sums of nanosecond delays are exact to rounding: 1e-9 relative is far below any modelled difference. */
static void expect_exact(double got, double want, const char* what)
{
  cr_expect(fabs(got - want) <= 1e-15 + 1e-9 * fabs(want), "%s: got %.12g, the model gives %.12g", what, got, want);
}

/* The row of results.csv @p t with access.kick=@p kick and access.credit-refresh=@p refresh (there must be one). */
static size_t row_of(const_csv_t t, const char* kick, const char* refresh)
{
  char a[64], b[64];
  snprintf(a, sizeof a, "access.kick=%s", kick);
  snprintf(b, sizeof b, "access.credit-refresh=%s", refresh);
  long r = vn_find_row(t, a, b, NULL);
  cr_assert_geq(r, 0, "no row with %s, %s", a, b);
  return (size_t)r;
}

/* One consumer, one WR at a time (window 1, 1 us of think time), loopback. Every WR finds the backend asleep: it
 * finished the previous WR long before (its completion is notify-latency after the end of service, then 1 us of think
 * time), and the rings are empty.
 *
 * A vCPU: the WR is created at t0 with the core free; writing the descriptor takes issue-cost, so it is posted at
 * t0 + ISSUE. The backend sleeps, so the vCPU kicks: its exit reaches the hypervisor TRAP/2 later, which wakes the
 * backend, which takes the descriptor at once. With credits in hand it spends backend-cost (250 ns) and the write
 * reaches the NIC PIO_WRITE after that:
 *     issue latency = ISSUE + TRAP/2 + BACKEND + PIO_WRITE = 50 + 750 + 250 + 200 = 1250 ns.
 * credit-refresh="on-empty" reads the NIC's retired count (PIO_READ, before the backend-cost) on the first WR and then
 * once every 64 WRs (the queue depth; the NIC is empty at each read): 3 of the 180 measured WRs (20..199), so the
 * median is the WR without a read. credit-refresh="always" reads before every WR: PIO_READ more, for every WR, so the
 * mean is exact. The e2e latency adds the engine (SERVICE, the NIC being idle) and the DMA into memory.
 * CPU per WR: the vCPU's issue-cost and its whole trap, and the backend's core time on the WR (read and backend-cost).
 * kick="always" traps on every WR, which here is every WR anyway: the same figures.
 * A native core posts on the host's ring without a trap and wakes the backend at the instant it posts:
 *     issue latency = ISSUE + BACKEND + PIO_WRITE (+ PIO_READ with "always"), CPU = ISSUE + BACKEND (+ PIO_READ). */
Test(hypervisor, uncontended_wr_is_the_sum_of_the_parameters, .timeout = 120)
{
  const double backend = 250e-9;
  const char* work     = "  <workload arrival=\"closed\" window=\"1\" think=\"1us\" requests=\"200\" size=\"64B\" "
                         "pattern=\"local\"/>\n";
  const char* sweeps   = "  <sweep param=\"access.kick\" values=\"when-idle always\"/>\n"
                         "  <sweep param=\"access.credit-refresh\" values=\"on-empty always\"/>\n";
  csv_t t              = run("hv-single-vm", "  <access mode=\"hypervisor\" backend-cost=\"250ns\"/>\n",
                             "  <consumers cores-per-host=\"0\" vms-per-host=\"1\" vcpus-per-vm=\"1\"/>\n", work, sweeps, NULL);
  cr_assert_eq(csv_row_count(t), 4);
  const char* kicks[] = {"when-idle", "always"};
  for (int k = 0; k < 2; k++) {
    size_t r = row_of(t, kicks[k], "on-empty");
    expect_exact(vn_num(t, r, "issue_latency_p50_s"), ISSUE + TRAP / 2 + backend + PIO_WRITE,
                 "vCPU, on-empty: issue latency p50");
    expect_exact(vn_num(t, r, "e2e_latency_p50_s"), ISSUE + TRAP / 2 + backend + PIO_WRITE + SERVICE + DMA_LAT,
                 "vCPU, on-empty: e2e latency p50");
    cr_expect_eq(vn_num(t, r, "access_wait_mean_s"), 0, "a ring of 256 never makes one WR at a time wait");
    r = row_of(t, kicks[k], "always");
    expect_exact(vn_num(t, r, "issue_latency_mean_s"), ISSUE + TRAP / 2 + PIO_READ + backend + PIO_WRITE,
                 "vCPU, always: issue latency mean");
    expect_exact(vn_num(t, r, "issue_latency_p99_s"), ISSUE + TRAP / 2 + PIO_READ + backend + PIO_WRITE,
                 "vCPU, always: issue latency p99");
    expect_exact(vn_num(t, r, "e2e_latency_mean_s"),
                 ISSUE + TRAP / 2 + PIO_READ + backend + PIO_WRITE + SERVICE + DMA_LAT, "vCPU, always: e2e mean");
    expect_exact(vn_num(t, r, "cpu_per_wr_s"), ISSUE + TRAP + PIO_READ + backend, "vCPU, always: CPU per WR");
    cr_expect_eq(vn_num(t, r, "reject_rate"), 0);
  }
  csv_free(t);

  t = run("hv-single-native", "  <access mode=\"hypervisor\" backend-cost=\"250ns\"/>\n",
          "  <consumers cores-per-host=\"1\"/>\n", work, sweeps, NULL);
  for (int k = 0; k < 2; k++) {
    size_t r = row_of(t, kicks[k], "on-empty");
    expect_exact(vn_num(t, r, "issue_latency_p50_s"), ISSUE + backend + PIO_WRITE, "native, on-empty: issue p50");
    r = row_of(t, kicks[k], "always");
    expect_exact(vn_num(t, r, "issue_latency_mean_s"), ISSUE + PIO_READ + backend + PIO_WRITE,
                 "native, always: issue latency mean");
    expect_exact(vn_num(t, r, "cpu_per_wr_s"), ISSUE + PIO_READ + backend, "native, always: CPU per WR (no trap)");
  }
  csv_free(t);
}

/* One vCPU keeps 4 WRs outstanding (no think time) in front of a backend slower than everything else: backend-cost
 * 5 us and a credit read before every WR, so the backend spends P = PIO_READ + 5 us = 6 us per WR.
 * The first WR is written at time 0 and finds the backend asleep: it kicks (both settings); the backend wakes 800 ns
 * later and from then on never sleeps. A WR taken at T completes at T + P + PIO_WRITE + SERVICE + NOTIFY = T + 6.704
 * us, and the WR created then is posted within ISSUE (+ at most one TRAP, under "always") = 1.55 us, long before the
 * backend, busy with the three WRs ahead of it until T + 4P = T + 24 us, gets to it; so the ring is never empty
 * after the first WR. Hence:
 *  - when-idle: no measured WR kicks: CPU per WR = ISSUE + PIO_READ + 5 us, exactly;
 *  - always: every WR traps: exactly TRAP more;
 *  - the backend sets the pace either way: throughput 1/P, and each WR's cycle is W P = issue latency + SERVICE +
 *    NOTIFY (created at a completion, accepted when the backend reaches it), so issue latency = 4 P - SERVICE - NOTIFY,
 *    the same in both: the kick's trap is off the critical path. */
Test(hypervisor, kick_always_pays_a_trap_on_every_wr, .timeout = 120)
{
  const double p = PIO_READ + 5e-6;
  csv_t t        = run("hv-kick", "  <access mode=\"hypervisor\" backend-cost=\"5us\" credit-refresh=\"always\"/>\n",
                       "  <consumers cores-per-host=\"0\" vms-per-host=\"1\" vcpus-per-vm=\"1\"/>\n",
                       "  <workload arrival=\"closed\" window=\"4\" requests=\"200\" size=\"64B\" pattern=\"local\"/>\n",
                       "  <sweep param=\"access.kick\" values=\"when-idle always\"/>\n", NULL);
  long idle      = vn_find_row(t, "access.kick=when-idle", NULL);
  long always    = vn_find_row(t, "access.kick=always", NULL);
  cr_assert(idle >= 0 && always >= 0);
  expect_exact(vn_num(t, (size_t)idle, "cpu_per_wr_s"), ISSUE + p,
               "when-idle: CPU per WR (no kick: the backend never sleeps)");
  expect_exact(vn_num(t, (size_t)always, "cpu_per_wr_s"), ISSUE + TRAP + p, "always: CPU per WR (a trap on every WR)");
  size_t rows[2] = {(size_t)idle, (size_t)always};
  for (int i = 0; i < 2; i++) {
    const char* what = i == 0 ? "when-idle" : "always";
    double thr       = vn_num(t, rows[i], "throughput_wr_s");
    cr_expect(fabs(thr * p - 1) <= 1e-6, "%s: throughput %g, the backend gives %g", what, thr, 1 / p);
    expect_exact(vn_num(t, rows[i], "issue_latency_mean_s"), 4 * p - SERVICE - NOTIFY, what);
    expect_exact(vn_num(t, rows[i], "issue_latency_p99_s"), 4 * p - SERVICE - NOTIFY, what);
  }
  csv_free(t);
}

/* Backend-bound throughput. The backend spends 1 us per WR (backend-cost), five times the engine's 204 ns, and 8 or
 * 16 vCPUs (2 per VM) keep 4 WRs outstanding each: 32 or 64 WRs for a backend that holds one at a time, so the rings
 * are never empty after the start and the backend never sleeps. Credits (on-empty): a read at time t observes the
 * NIC at t + 500 ns; the latest write arrived by t + PIO_WRITE = t + 200 ns and was served by t + 404 ns (the engine,
 * five times faster, is idle when it arrives), so every WR posted has retired and the read finds all 64 slots free.
 * The backend therefore reads once every 64 WRs: its period is P = 1 us + PIO_READ / 64, and the throughput is
 * r = 1 / P = 984,615 WR/s whatever the number of consumers.
 * Tolerance: throughput = (deliveries in the steady window) / T. Deliveries follow the backend's period with a fixed
 * offset, so the count over T differs from T / P by at most one WR at each end of the window plus at most one for
 * the phase of the read within its block of 64 (a read delays the block by PIO_READ = one WR): 3 WRs. The window runs
 * from every consumer's 50th creation to the first consumer's 500th, about 450 x 8 = 3,600 backend periods at 8
 * consumers (more at 16); taking at least 2,000 for certain, the relative error is at most 3 / 2,000 = 0.15%. */
Test(hypervisor, a_slow_backend_sets_the_throughput, .timeout = 180)
{
  const double rate = 1 / (1e-6 + PIO_READ / 64);
  csv_t chk;
  csv_t t = run("hv-backend-bound", "  <access mode=\"hypervisor\" backend-cost=\"1us\"/>\n",
                "  <consumers cores-per-host=\"0\" vms-per-host=\"4\" vcpus-per-vm=\"2\"/>\n",
                "  <workload arrival=\"closed\" window=\"4\" requests=\"500\" size=\"64B\" pattern=\"local\"/>\n",
                "  <sweep param=\"consumers.vms-per-host\" values=\"4 8\"/>\n", &chk);
  cr_assert_eq(csv_row_count(t), 2);
  for (size_t r = 0; r < 2; r++) {
    char what[128];
    snprintf(what, sizeof what, "%g VMs", vn_num(t, r, "consumers.vms-per-host"));
    vn_expect_conserved(t, chk, r, vn_num(t, r, "consumers") * 500, 0, 1, what);
    double thr = vn_num(t, r, "throughput_wr_s");
    cr_expect(fabs(thr / rate - 1) <= 0.0015,
              "%s: throughput %g, the backend allows %g (1 / (backend-cost + "
              "pio-read / 64))",
              what, thr, rate);
    cr_expect_leq(thr, 1 / 1e-6, "%s: faster than one WR per backend-cost", what);
    cr_expect_eq(vn_num(t, r, "reject_rate"), 0, "%s: the NIC rejected writes", what);
    long c = vn_row_of_point(chk, vn_text(t, r, "point"));
    cr_assert_geq(c, 0, "%s: no checks row", what);
    cr_expect_eq(vn_num(chk, (size_t)c, "nic_drops"), 0, "%s: the NIC dropped writes", what);
    cr_expect_eq(vn_num(t, r, "wr_lost"), 0, "%s: WRs lost", what);
    /* the engine is busy 204 ns per WR at the backend's rate (the same 0.15% on the rate) */
    cr_expect(fabs(vn_num(t, r, "nic_utilization") / (rate * SERVICE) - 1) <= 0.0015, "%s: NIC utilization %g", what,
              vn_num(t, r, "nic_utilization"));
  }
  csv_free(t);
  csv_free(chk);
}

/* A ring of one descriptor shared by the 8 vCPUs of a VM, 2 WRs outstanding each: a vCPU that finds the ring holding
 * a descriptor waits until the backend takes it, so vCPUs wait (access_wait_mean_s > 0) where a ring of 256 never
 * makes them wait (at most 16 descriptors exist). Every WR is still created, accepted and delivered exactly once, in
 * each consumer's order, and the NIC never rejects a write. Also on a host that time-slices the vCPUs on 3 cores,
 * where a freed slot may find every waiting vCPU descheduled. */
Test(hypervisor, a_one_entry_ring_makes_vcpus_wait_and_loses_nothing, .timeout = 180)
{
  csv_t chk;
  csv_t t =
      run("hv-ring-one", "  <access mode=\"hypervisor\"/>\n",
          "  <consumers cores-per-host=\"1\" vms-per-host=\"1\" vcpus-per-vm=\"8\" slice=\"5us\"/>\n",
          "  <workload arrival=\"closed\" window=\"2\" think=\"100ns\" think-dist=\"exponential\" requests=\"100\" "
          "size=\"64B\" pattern=\"local\"/>\n",
          "  <sweep param=\"access.ring-size\" values=\"1 256\"/>\n"
          "  <sweep param=\"consumers.pcpus-per-host\" values=\"0 3\"/>\n"
          "  <sweep param=\"access.kick\" values=\"when-idle always\"/>\n",
          &chk);
  cr_assert_eq(csv_row_count(t), 8);
  for (size_t r = 0; r < csv_row_count(t); r++) {
    char what[256];
    snprintf(what, sizeof what, "ring-size %s, pcpus-per-host %s, kick %s", vn_text(t, r, "access.ring-size"),
             vn_text(t, r, "consumers.pcpus-per-host"), vn_text(t, r, "access.kick"));
    vn_expect_conserved(t, chk, r, 9 * 100, 0, 1, what);
    long c = vn_row_of_point(chk, vn_text(t, r, "point"));
    cr_assert_geq(c, 0, "%s: no checks row", what);
    cr_expect_eq(vn_num(chk, (size_t)c, "nic_drops"), 0, "%s: the NIC dropped writes", what);
    double wait = vn_num(t, r, "access_wait_mean_s");
    if (vn_num(t, r, "access.ring-size") == 1)
      cr_expect_gt(wait, 0, "%s: nobody waited for the one-entry ring", what);
    else
      cr_expect_eq(wait, 0, "%s: a ring of 256 made someone wait", what);
  }
  csv_free(t);
  csv_free(chk);
}
