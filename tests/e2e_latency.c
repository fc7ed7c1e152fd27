/* e2e_latency: with one consumer and no contention, the end-to-end latency is the sum of the model's timing
 * parameters (computed here from the parameters, not from a recorded run). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "vn_test.h"

/* Parameters written in the scenarios below (SI units). */
#define ISSUE 50e-9
#define PIO_WRITE 200e-9
#define PIO_READ 1e-6
#define NOTIFY 300e-9
#define SERVICE 200e-9
#define DMA_BW 16e9
#define DMA_LAT 500e-9
#define LOCK_ACQ 20e-9
#define SIZE 64.0
#define HEADER 64.0
/* The two-host platform written below: one split-duplex link of 1 us and 10 GBps per direction, so the two hosts'
 * transfers (each sends to the other) do not share it; without SimGrid's cross-traffic (acknowledgements taking 5%
 * of the reverse direction), a CM02 transfer takes exactly latency + bytes / bandwidth. */
#define LINK_LAT 1e-6
#define LINK_BW 10e9

static const char* nic = "  <nic issue-cost=\"50ns\" pio-write=\"200ns\" pio-read=\"1us\" notify-latency=\"300ns\" "
                         "service-time=\"200ns\" dma-bandwidth=\"16GBps\" dma-latency=\"500ns\" lock-acquire=\"20ns\" "
                         "header=\"64B\"/>\n";

/* One consumer, one WR at a time (window 1): nothing ever waits for anything but the model's own delays. */
static csv_t run_single_with(const char* name, const char* platform_and_access, const char* pattern,
                             const char* simgrid_options)
{
  char* dir = vn_scratch(name);
  char body[4096];
  snprintf(body, sizeof body,
           "%s%s  <consumers cores-per-host=\"1\"/>\n"
           "  <workload arrival=\"closed\" window=\"1\" think=\"1us\" requests=\"200\" size=\"64B\" pattern=\"%s\"/>\n",
           platform_and_access, nic, pattern);
  char* sc  = vn_scenario(dir, "s.xml", "name=\"single\"", body);
  char* err = NULL;
  int rc    = vn_run(NULL, &err, "run '%s' -o '%s/out' %s", sc, dir, simgrid_options);
  cr_assert_eq(rc, 0, "vnicsim run failed: %s", err);
  char out[4096];
  snprintf(out, sizeof out, "%s/out", dir);
  csv_t t = vn_results(out);
  free(sc);
  free(err);
  free(dir);
  return t;
}

static csv_t run_single(const char* name, const char* platform_and_access, const char* pattern)
{
  return run_single_with(name, platform_and_access, pattern, "");
}

static void expect_close(double got, double want, const char* what)
{
  cr_expect(fabs(got - want) <= 1e-12 + 1e-9 * want, "%s: got %.12g s, the parameters give %.12g s", what, got, want);
}

Test(latency, speculative_loopback_is_the_sum_of_the_parameters)
{
  csv_t t        = run_single("lat-spec",
                              "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n  <access mode=\"speculative\"/>\n", "local");
  double service = SERVICE + SIZE / DMA_BW;
  double e2e     = ISSUE + PIO_WRITE + service + DMA_LAT;
  expect_close(vn_num(t, 0, "issue_latency_p50_s"), ISSUE + PIO_WRITE, "issue latency");
  expect_close(vn_num(t, 0, "e2e_latency_p50_s"), e2e, "e2e p50");
  expect_close(vn_num(t, 0, "e2e_latency_p99_s"), e2e, "e2e p99");
  expect_close(vn_num(t, 0, "e2e_latency_mean_s"), e2e, "e2e mean");
  expect_close(vn_num(t, 0, "cpu_per_wr_s"), ISSUE, "CPU per WR");
  expect_close(vn_num(t, 0, "e2e_nic_queue_s"), service, "time in the NIC");
  cr_expect_eq(vn_num(t, 0, "reject_rate"), 0);
  csv_free(t);
}

Test(latency, lock_adds_the_acquire_and_the_credit_reads)
{
  csv_t t    = run_single("lat-lock",
                          "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
                             "  <access mode=\"lock\" credit-refresh=\"always\"/>\n",
                          "local");
  double e2e = LOCK_ACQ + PIO_READ + ISSUE + PIO_WRITE + SERVICE + SIZE / DMA_BW + DMA_LAT;
  expect_close(vn_num(t, 0, "e2e_latency_p50_s"), e2e, "lock-always e2e");
  expect_close(vn_num(t, 0, "access_wait_mean_s"), LOCK_ACQ, "uncontended lock wait");
  csv_free(t);
  t = run_single("lat-lock-empty",
                 "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
                 "  <access mode=\"lock\" credit-refresh=\"on-empty\"/>\n",
                 "local");
  /* credits are read once every queue-depth WRs: the median WR does not read */
  expect_close(vn_num(t, 0, "e2e_latency_p50_s"), LOCK_ACQ + ISSUE + PIO_WRITE + SERVICE + SIZE / DMA_BW + DMA_LAT,
               "lock on-empty e2e p50");
  csv_free(t);
}

Test(latency, remote_adds_the_route)
{
  char* dir = vn_scratch("lat-remote-platform");
  char path[4096];
  snprintf(path, sizeof path, "%s/two.xml", dir);
  vn_write(path, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                 "<platform version=\"4.1\"><zone id=\"z\" routing=\"Full\">\n"
                 "  <host id=\"a\" speed=\"1Gf\" core=\"4\"/><host id=\"b\" speed=\"1Gf\" core=\"4\"/>\n"
                 "  <link id=\"l\" bandwidth=\"10GBps\" latency=\"1us\" sharing_policy=\"SPLITDUPLEX\"/>\n"
                 "  <route src=\"a\" dst=\"b\" symmetrical=\"NO\"><link_ctn id=\"l\" direction=\"UP\"/></route>\n"
                 "  <route src=\"b\" dst=\"a\" symmetrical=\"NO\"><link_ctn id=\"l\" direction=\"DOWN\"/></route>\n"
                 "</zone></platform>\n");
  char platform[8192];
  snprintf(platform, sizeof platform,
           "  <platform file=\"%s\" network-model=\"CM02\"/>\n  <access mode=\"speculative\"/>\n", path);
  csv_t t        = run_single_with("lat-remote", platform, "neighbor", "--cfg=network/crosstraffic:0");
  double network = LINK_LAT + (SIZE + HEADER) / LINK_BW;
  double e2e     = ISSUE + PIO_WRITE + SERVICE + SIZE / DMA_BW + network + DMA_LAT;
  expect_close(vn_num(t, 0, "e2e_network_s"), network, "network time (CM02: latency + bytes / bandwidth)");
  expect_close(vn_num(t, 0, "e2e_latency_p50_s"), e2e, "remote e2e");
  expect_close(vn_num(t, 0, "e2e_access_s") + vn_num(t, 0, "e2e_nic_queue_s") + vn_num(t, 0, "e2e_network_s") +
                   vn_num(t, 0, "e2e_delivery_s"),
               vn_num(t, 0, "e2e_latency_mean_s"), "the four parts add up to the mean");
  csv_free(t);
  free(dir);
}
