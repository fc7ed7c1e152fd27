/* e2e_invariants: for every registered access mode and 100 seeds of small, stressful scenarios, every WR is delivered
 * exactly once, per-context order is kept, no queue overfills and the counts in the results add up. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "model/access/access.h"
#include "vn_more.h"
#include "vn_test.h"

#define REPLICATIONS 100
#define SEED 1000

/* What each mode guarantees is asked of the mode itself (struct access_ops.guarantees): a new mode states its
 * contract where it is written, and this test checks exactly that. */
static unsigned guarantees_of(const char* mode)
{
  const struct access_ops* ops = access_find(mode);
  cr_assert_not_null(ops, "vnicsim modes lists %s, which the library does not know", mode);
  return ops->guarantees;
}

/* One stressful configuration: the scenario's elements (without the mode sweep) and what it must produce. */
typedef struct stress {
  const char* name;
  const char* body;
  int hosts;
  int consumers_per_host;
  int requests;
  int remote;
  int depth;
} stress_t;

/* Run @p s for every registered mode and REPLICATIONS seeds, then check every row. */
static void check_stress(const stress_t* s)
{
  char** modes      = vn_modes();
  char values[1024] = "";
  for (char** m = modes; *m; m++)
    snprintf(values + strlen(values), sizeof values - strlen(values), "%s%s", m == modes ? "" : " ", *m);
  char body[8192];
  snprintf(body, sizeof body, "%s  <sweep param=\"access.mode\" values=\"%s\"/>\n", s->body, values);
  char attrs[256];
  snprintf(attrs, sizeof attrs, "name=\"invariants-%s\" seed=\"%d\" replications=\"%d\"", s->name, SEED, REPLICATIONS);
  char* dir = vn_scratch(s->name);
  char* sc  = vn_scenario(dir, "s.xml", attrs, body);
  char* out = vn_path(dir, "out");
  char* err = NULL;
  int rc    = vn_run(NULL, &err, "run '%s' -o '%s' -j2", sc, out);
  if (rc != 0) {
    char* why = vn_failure_summary(out, err);
    cr_expect_fail("%s: vnicsim run exited with %d: %s", s->name, rc, why);
    free(why);
  }
  csv_t res     = vn_results(out);
  csv_t chk     = vn_table(out, "checks.csv");
  csv_t hst     = vn_table(out, "hosts.csv");
  size_t nmodes = 0;
  while (modes[nmodes])
    nmodes++;
  cr_assert_eq(csv_row_count(res), nmodes * REPLICATIONS, "%s: one results row per mode and seed", s->name);
  size_t* rows   = calloc(csv_row_count(hst) + 1, sizeof(size_t));
  double created = (double)s->hosts * s->consumers_per_host * s->requests;
  for (char** m = modes; *m; m++) {
    long drops = 0, full = 0, ok = 0;
    for (size_t r = 0; r < csv_row_count(res); r++) {
      if (strcmp(vn_text(res, r, "access.mode"), *m) != 0)
        continue;
      char what[256];
      snprintf(what, sizeof what, "%s, mode %s, seed %s", s->name, *m, vn_text(res, r, "seed"));
      cr_expect_eq(vn_num(res, r, "seed"), SEED + vn_num(res, r, "replication"), "%s: replication r runs seed + r",
                   what);
      vn_expect_conserved(res, chk, r, created, s->remote, (guarantees_of(*m) & ACCESS_KEEPS_ORDER) != 0, what);
      if (strcmp(vn_text(res, r, "status"), "ok") != 0)
        continue;
      ok++;
      size_t c = (size_t)vn_row_of_point(chk, vn_text(res, r, "point")); /* there is one: checked above */
      cr_expect_eq(vn_num(res, r, "hosts"), s->hosts, "%s: hosts", what);
      cr_expect_eq(vn_num(res, r, "consumers"), (double)s->hosts * s->consumers_per_host, "%s: consumers", what);
      cr_expect_eq(vn_num(chk, c, "queue_capacity"), s->depth, "%s: queue capacity is not the queue depth", what);
      double d = vn_num(chk, c, "nic_drops"), clears = vn_num(chk, c, "flag_clears");
      double reject = vn_num(res, r, "reject_rate");
      cr_expect(reject >= 0 && reject <= 1, "%s: reject rate %g", what, reject);
      if (guarantees_of(*m) & ACCESS_RETRY_FLAG) {
        /* a drop sets the context's retry flag; each clearing write follows at least one drop */
        cr_expect_geq(clears, d > 0 ? 1 : 0, "%s: %g drops but no retry flag cleared", what, d);
        cr_expect_leq(clears, d, "%s: %g flag clears for %g drops", what, clears, d);
      }
      if (guarantees_of(*m) & ACCESS_NEVER_REJECTED) {
        cr_expect_eq(d, 0, "%s: the mode claims the NIC never rejects its writes, yet %g were dropped", what, d);
        cr_expect_eq(clears, 0, "%s: no drop, so no retry flag to clear", what);
        cr_expect_eq(reject, 0, "%s: reject rate", what);
      }
      drops += (long)d;
      full += vn_num(chk, c, "max_occupancy") == s->depth;
      /* every measured WR sent by a host is received by one */
      size_t n = vn_rows_where(hst, "point", vn_text(res, r, "point"), rows);
      cr_expect_eq(n, (size_t)s->hosts, "%s: hosts.csv rows", what);
      double sent = 0, received = 0;
      for (size_t i = 0; i < n; i++) {
        sent += vn_num(hst, rows[i], "wr_sent");
        received += vn_num(hst, rows[i], "wr_received");
      }
      cr_expect_eq(sent, received, "%s: %g measured WRs sent, %g received", what, sent, received);
    }
    cr_expect_eq(ok, REPLICATIONS, "%s, mode %s: %ld of %d seeds ran", s->name, *m, ok, REPLICATIONS);
    /* the scenario must reach the edges the invariants are about */
    cr_expect_gt(full, 0, "%s, mode %s: no seed ever filled the %d-entry queue: not a stress", s->name, *m, s->depth);
    if (guarantees_of(*m) & ACCESS_RETRY_FLAG)
      cr_expect_gt(drops, 0, "%s, mode %s: never dropped: the replay path was not exercised", s->name, *m);
  }
  free(rows);
  csv_free(res);
  csv_free(chk);
  csv_free(hst);
  free(err);
  free(out);
  free(sc);
  free(dir);
  vn_strings_free(modes);
}

/* Native cores and a VM of two vCPUs share a 2-entry queue: 6 consumers with 4 WRs in flight each and no think time.
 * Drops are detected by the NIC's status write, replayed at once; credits are read when they run out. The hypervisor
 * backend spends 100 ns per WR, faster than the engine (204 ns), so it fills the queue too, and its rings of 2
 * descriptors make the consumers wait for slots. */
Test(invariants, shallow_queue_notify_no_backoff, .timeout = 300)
{
  const stress_t s = {.name               = "notify",
                      .hosts              = 1,
                      .consumers_per_host = 6,
                      .requests           = 30,
                      .remote             = 0,
                      .depth              = 2,
                      .body               = "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
                                            "  <nic queue-depth=\"2\"/>\n"
                                            "  <access detect=\"notify\" backoff=\"0s\" credit-refresh=\"on-empty\" "
                                            "backend-cost=\"100ns\" ring-size=\"2\"/>\n"
                                            "  <consumers cores-per-host=\"4\" vms-per-host=\"1\" vcpus-per-vm=\"2\"/>\n"
                                            "  <workload arrival=\"closed\" window=\"4\" requests=\"30\"/>\n"};
  check_stress(&s);
}

/* Open-loop Poisson arrivals far above what a slow engine (10 us per WR) serves, drops found by polling the state
 * register every 3 WRs and whenever a 4-entry replay buffer is full; the lock reads credits before every WR (1 us
 * plus its traps, still faster than the engine, so it fills the queue and spins on a credit count of 0), and so does
 * the hypervisor backend, whose one-descriptor rings keep the vCPUs waiting and which every vCPU kicks. VMs only. */
Test(invariants, polling_small_replay_window_credit_always, .timeout = 300)
{
  const stress_t s = {.name               = "poll",
                      .hosts              = 1,
                      .consumers_per_host = 6,
                      .requests           = 30,
                      .remote             = 0,
                      .depth              = 3,
                      .body =
                          "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
                          "  <nic queue-depth=\"3\" service-time=\"10us\"/>\n"
                          "  <access detect=\"poll\" check-every=\"3\" replay-window=\"4\" credit-refresh=\"always\" "
                          "ring-size=\"1\" kick=\"always\"/>\n"
                          "  <consumers cores-per-host=\"0\" vms-per-host=\"3\" vcpus-per-vm=\"2\"/>\n"
                          "  <workload arrival=\"poisson\" rate=\"3M/s\" requests=\"30\"/>\n"};
  check_stress(&s);
}

/* Exponential back-off after drops, exponential service times and bimodal sizes, a closed loop with exponential
 * think times: consecutive failures and replays that overlap with new WRs. */
Test(invariants, exponential_backoff_random_service, .timeout = 300)
{
  const stress_t s = {.name               = "backoff",
                      .hosts              = 1,
                      .consumers_per_host = 7,
                      .requests           = 30,
                      .remote             = 0,
                      .depth              = 4,
                      .body               = "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
                                            "  <nic queue-depth=\"4\" service-dist=\"exponential\"/>\n"
                                            "  <access detect=\"notify\" backoff=\"50ns\" backoff-policy=\"exponential\" "
                                            "backoff-max=\"2us\"/>\n"
                                            "  <consumers cores-per-host=\"6\" vms-per-host=\"1\" vcpus-per-vm=\"1\"/>\n"
                                            "  <workload arrival=\"closed\" window=\"8\" think=\"100ns\" think-dist=\"exponential\" "
                                            "requests=\"30\" size=\"64B\" size-dist=\"bimodal\" size-large=\"4KiB\"/>\n"};
  check_stress(&s);
}

/* Four hosts of a flat cluster send to each other (uniform destinations) through 2-entry queues, native cores and a
 * VM each, polling with a fixed back-off; completions come back over the network while the consumers think for a
 * random time (exponential, 1 us on average), so they arrive at any moment of a consumer's cycle. */
Test(invariants, small_cluster_uniform_traffic, .timeout = 300)
{
  const stress_t s = {.name               = "cluster",
                      .hosts              = 4,
                      .consumers_per_host = 3,
                      .requests           = 20,
                      .remote             = 1,
                      .depth              = 2,
                      .body               = "  <platform file=\"@PLATFORMS@/flat-16.xml\" hosts=\"4\"/>\n"
                                            "  <nic queue-depth=\"2\"/>\n"
                                            "  <access detect=\"poll\" check-every=\"2\" backoff=\"100ns\"/>\n"
                                            "  <consumers cores-per-host=\"2\" vms-per-host=\"1\" vcpus-per-vm=\"1\"/>\n"
                                            "  <workload arrival=\"closed\" window=\"4\" think=\"1us\" think-dist=\"exponential\" "
                                            "requests=\"20\" size=\"1KiB\" pattern=\"uniform\"/>\n"};
  check_stress(&s);
}

/* An incast on a torus: half of the WRs go to one host, whose links are overloaded, while every NIC engine (2 us per
 * WR, slower than the consumers' 20 WRs in flight need) lets its 8-entry queue fill; detection by notification with
 * exponential back-off. */
Test(invariants, torus_hotspot, .timeout = 300)
{
  const stress_t s = {.name               = "hotspot",
                      .hosts              = 6,
                      .consumers_per_host = 5,
                      .requests           = 15,
                      .remote             = 1,
                      .depth              = 8,
                      .body               = "  <platform file=\"@PLATFORMS@/torus-16.xml\" hosts=\"6\"/>\n"
                                            "  <nic queue-depth=\"8\" service-time=\"2us\"/>\n"
                                            "  <access detect=\"notify\" backoff=\"20ns\" backoff-policy=\"exponential\" "
                                            "backoff-max=\"500ns\"/>\n"
                                            "  <consumers cores-per-host=\"5\"/>\n"
                                            "  <workload arrival=\"closed\" window=\"4\" requests=\"15\" size=\"256B\" "
                                            "pattern=\"hotspot\" hot-fraction=\"0.5\"/>\n"};
  check_stress(&s);
}

/* vCPUs that share physical cores: 3 VMs of 2 vCPUs on 2 cores, time-sliced every 2 us (so a lock holder is often
 * descheduled), a skewed load (Zipf 1), waiters that spin; a slow engine (5 us) that every mode fills. Every mode, every seed: conservation and what the mode
 * claims still hold when CPU work stretches across descheduled gaps and writes are handed to the NIC when posted. */
Test(invariants, time_sliced_vcpus_spinning_waiters, .timeout = 300)
{
  const stress_t s = {.name               = "sliced-spin",
                      .hosts              = 1,
                      .consumers_per_host = 7,
                      .requests           = 30,
                      .remote             = 0,
                      .depth              = 2,
                      .body               = "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
                                            "  <nic queue-depth=\"2\" service-time=\"5us\"/>\n"
                                            "  <access lock-wait=\"spin\" backend-cost=\"100ns\" ring-size=\"2\"/>\n"
                                            "  <consumers cores-per-host=\"1\" vms-per-host=\"3\" vcpus-per-vm=\"2\" "
                                            "pcpus-per-host=\"2\" slice=\"2us\"/>\n"
                                            "  <workload arrival=\"closed\" window=\"4\" think=\"300ns\" "
                                            "think-dist=\"exponential\" requests=\"30\" skew=\"1\"/>\n"};
  check_stress(&s);
}

/* The same with paravirtual waiters: after 500 ns of spinning a vCPU traps, halts until the lock is passed to it and
 * pays a trap to be woken. */
Test(invariants, time_sliced_vcpus_pv_waiters, .timeout = 300)
{
  const stress_t s = {.name               = "sliced-pv",
                      .hosts              = 1,
                      .consumers_per_host = 7,
                      .requests           = 30,
                      .remote             = 0,
                      .depth              = 2,
                      .body               = "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
                                            "  <nic queue-depth=\"2\" service-time=\"5us\"/>\n"
                                            "  <access lock-wait=\"pv\" spin-limit=\"500ns\" backend-cost=\"100ns\" "
                                            "ring-size=\"2\"/>\n"
                                            "  <consumers cores-per-host=\"1\" vms-per-host=\"3\" vcpus-per-vm=\"2\" "
                                            "pcpus-per-host=\"2\" slice=\"2us\"/>\n"
                                            "  <workload arrival=\"closed\" window=\"4\" think=\"300ns\" "
                                            "think-dist=\"exponential\" requests=\"30\" skew=\"1\"/>\n"};
  check_stress(&s);
}
