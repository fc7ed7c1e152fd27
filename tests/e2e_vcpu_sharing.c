/* e2e_vcpu_sharing: vCPUs time-sliced on fewer physical cores (consumers.pcpus-per-host). With as many cores as vCPUs
 * nothing changes, to the byte; with k vCPUs per core, consumers whose throughput their core bounds get 1/k of it. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vn_more.h"
#include "vn_test.h"

/* 2 VMs of 2 vCPUs; speculative enqueue on a 10 ns engine with a deep window and no think time, so a running vCPU
 * issues a WR every issue-cost (50 ns): 20 M WR/s per core. Four dedicated vCPUs would offer 80 M, above the
 * engine's 1 / (10 ns + 64 B / 16 GB/s) = 71 M, so the closed forms are checked with 2 cores (40 M) and 1 core
 * (20 M), both below the engine; a 20 us slice makes the rotation average out over runs of 2 to 4 ms. */
static const char* body = "  <platform file=\"@FIXTURES@/one-host.xml\"/>\n"
                          "  <nic service-time=\"10ns\" queue-depth=\"256\"/>\n"
                          "  <access replay-window=\"256\"/>\n"
                          "  <consumers cores-per-host=\"0\" vms-per-host=\"2\" vcpus-per-vm=\"2\" slice=\"20us\"/>\n"
                          "  <workload arrival=\"closed\" window=\"64\" requests=\"20000\"/>\n";

Test(vcpu_sharing, as_many_cores_as_vcpus_is_the_dedicated_case)
{
  char* dir = vn_scratch("vcpu-same");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"same\" seed=\"5\"", body);
  const char* modes[] = {"speculative", "lock", "enqcmd", "hypervisor", "partitioned"};
  for (int m = 0; m < 5; m++) {
    char* a = vn_path(dir, "a");
    char* b = vn_path(dir, "b");
    cr_assert_eq(vn_run(NULL, NULL, "run '%s' -o '%s' --set access.mode=%s --set workload.requests=2000", sc, a,
                        modes[m]),
                 0);
    cr_assert_eq(vn_run(NULL, NULL,
                        "run '%s' -o '%s' --set access.mode=%s --set workload.requests=2000 "
                        "--set consumers.pcpus-per-host=4",
                        sc, b, modes[m]),
                 0);
    cr_expect(vn_same_bytes(a, b, "results.csv"), "%s: pcpus-per-host = vCPUs changed results.csv", modes[m]);
    cr_expect(vn_same_bytes(a, b, "checks.csv"), "%s: pcpus-per-host = vCPUs changed checks.csv", modes[m]);
    free(a);
    free(b);
  }
  free(sc);
  free(dir);
}

Test(vcpu_sharing, k_vcpus_per_core_get_a_kth_of_a_core, .timeout = 300)
{
  char* dir = vn_scratch("vcpu-k");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"k\" seed=\"5\"", body);
  double thr[3];
  const int pcpus[] = {4, 2, 1};
  for (int i = 0; i < 3; i++) {
    char* out = vn_path(dir, pcpus[i] == 4 ? "p4" : pcpus[i] == 2 ? "p2" : "p1");
    cr_assert_eq(vn_run(NULL, NULL, "run '%s' -o '%s' --set consumers.pcpus-per-host=%d", sc, out, pcpus[i]), 0);
    csv_t t = vn_results(out);
    thr[i]  = vn_num(t, 0, "throughput_wr_s");
    if (pcpus[i] < 4)
      cr_expect(fabs(vn_num(t, 0, "vcpu_descheduled_fraction") - (1 - pcpus[i] / 4.0)) < 0.01,
                "%d cores: descheduled fraction %g", pcpus[i], vn_num(t, 0, "vcpu_descheduled_fraction"));
    csv_free(t);
    free(out);
  }
  /* 2 vCPUs per core: 1/2 of four dedicated cores' 80 M (40 M); 4 per core: 1/4 (20 M). With 4 cores the engine
   * bounds: 71 M. Tolerance 2%: the rotation's edges within the steady window (20 us slices, 2 to 4 ms runs). */
  cr_expect(fabs(thr[1] / 40e6 - 1) < 0.02, "2 cores for 4 vCPUs: %g WR/s, expected 40 M", thr[1]);
  cr_expect(fabs(thr[2] / 20e6 - 1) < 0.02, "1 core for 4 vCPUs: %g WR/s, expected 20 M", thr[2]);
  cr_expect(fabs(thr[2] / thr[1] - 0.5) < 0.01, "halving the cores halves the throughput: %g", thr[2] / thr[1]);
  cr_expect(fabs(thr[0] / (1 / (10e-9 + 64 / 16e9)) - 1) < 0.01, "4 cores: the engine's rate, %g", thr[0]);
  free(sc);
  free(dir);
}
