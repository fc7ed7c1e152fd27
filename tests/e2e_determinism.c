/* e2e_determinism: the same scenario and seed give byte-identical results, whatever the number of parallel jobs;
 * another seed gives other results. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "vn_more.h"
#include "vn_test.h"

/* Every source of randomness at once: Poisson arrivals, uniform destinations, exponential sizes and service. */
static const char* body = "  <platform file=\"@PLATFORMS@/flat-16.xml\" hosts=\"6\"/>\n"
                          "  <nic service-dist=\"exponential\"/>\n"
                          "  <consumers cores-per-host=\"3\" vms-per-host=\"1\" vcpus-per-vm=\"2\"/>\n"
                          "  <workload arrival=\"poisson\" rate=\"500k/s\" requests=\"200\" size=\"256B\" "
                          "size-dist=\"exponential\" pattern=\"uniform\"/>\n"
                          "  <sweep param=\"access.mode\" values=\"speculative lock\"/>\n";

static char* run(const char* dir, const char* seed, const char* jobs, const char* sub)
{
  char attrs[256];
  snprintf(attrs, sizeof attrs, "name=\"det\" seed=\"%s\" replications=\"2\"", seed);
  char* sc  = vn_scenario(dir, "s.xml", attrs, body);
  char* err = NULL;
  cr_assert_eq(vn_run(NULL, &err, "run '%s' -o '%s/%s' -j%s --trace", sc, dir, sub, jobs), 0, "%s", err);
  free(sc);
  free(err);
  char* out = NULL;
  cr_assert(asprintf(&out, "%s/%s", dir, sub) > 0);
  return out;
}

static void expect_same_file(const char* a, const char* b, const char* name)
{
  cr_expect(vn_same_bytes(a, b, name), "%s differs between two runs of the same scenario and seed (or is missing)",
            name);
}

Test(determinism, same_seed_same_bytes_whatever_the_jobs, .timeout = 300)
{
  char* dir = vn_scratch("determinism");
  char* a   = run(dir, "11", "1", "a");
  char* b   = run(dir, "11", "2", "b");
  expect_same_file(a, b, "results.csv");
  expect_same_file(a, b, "hosts.csv");
  expect_same_file(a, b, "checks.csv");
  for (int p = 0; p < 4; p++) {
    char name[64];
    snprintf(name, sizeof name, "trace/point-%05d.csv", p);
    expect_same_file(a, b, name);
  }
  /* another seed: other draws, other numbers */
  char* c = run(dir, "12", "2", "c");
  char pa[4096], pc[4096];
  snprintf(pa, sizeof pa, "%s/results.csv", a);
  snprintf(pc, sizeof pc, "%s/results.csv", c);
  char* x = vn_slurp(pa, NULL);
  char* y = vn_slurp(pc, NULL);
  cr_expect(strcmp(x, y) != 0, "a different seed gave the same results");
  /* replications of one point differ from each other too (seed + r) */
  csv_t t = vn_results(a);
  cr_expect_str_neq(vn_text(t, 0, "e2e_latency_mean_s"), vn_text(t, 1, "e2e_latency_mean_s"));
  csv_free(t);
  free(x);
  free(y);
  free(a);
  free(b);
  free(c);
  free(dir);
}
