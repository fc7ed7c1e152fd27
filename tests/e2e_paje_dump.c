/* e2e_paje_dump: what `vnicsim run --paje` traces, read back with pj_dump (Debian's pajeng): a NIC queue never holds
 * more than its capacity and the trace's highest occupancy is the model's (checks.csv), the drops counter ends at the
 * model's count, and on every host the intervals during which a consumer holds the lock never overlap. Run by ctest
 * through tests/paje/with-pj_dump.sh, which reports the test as skipped when pj_dump cannot be had. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vn_test.h"

/* One row of pj_dump's output: "State, container, type, start, end, duration, imbrication, value" or "Variable,
 * container, type, start, end, duration, value". */
typedef struct row {
  int state; /* 1 State, 0 Variable */
  char container[64], type[64], value[64];
  double start, end;
} row_t;

typedef struct dump {
  row_t* rows;
  size_t n;
} dump_t;

static dump_t pj_dump(const char* path)
{
  char* cmd = NULL;
  cr_assert(asprintf(&cmd, "pj_dump -l 12 '%s' 2>&1", path) > 0);
  FILE* p = popen(cmd, "r");
  cr_assert_not_null(p, "cannot run %s", cmd);
  dump_t d     = {0};
  size_t alloc = 0;
  char line[1024];
  while (fgets(line, sizeof line, p) != NULL) {
    row_t r = {0};
    if (strncmp(line, "State, ", 7) == 0) {
      r.state = 1;
      cr_assert_eq(sscanf(line, "State, %63[^,], %63[^,], %lf, %lf, %*f, %*f, %63[^\n]", r.container, r.type, &r.start,
                          &r.end, r.value),
                   5, "bad line: %s", line);
    } else if (strncmp(line, "Variable, ", 10) == 0) {
      cr_assert_eq(sscanf(line, "Variable, %63[^,], %63[^,], %lf, %lf, %*f, %63[^\n]", r.container, r.type, &r.start,
                          &r.end, r.value),
                   5, "bad line: %s", line);
    } else if (strncmp(line, "Container, ", 11) == 0) {
      continue;
    } else {
      cr_assert_fail("pj_dump: %s", line); /* an error message: the file is not a valid trace */
    }
    if (d.n == alloc) {
      alloc  = alloc ? 2 * alloc : 4096;
      d.rows = realloc(d.rows, alloc * sizeof *d.rows);
    }
    d.rows[d.n++] = r;
  }
  cr_assert_eq(pclose(p), 0, "%s failed", cmd);
  free(cmd);
  return d;
}

/* Run @p body with --paje; returns the output directory. */
static char* run(const char* name, const char* body)
{
  char* dir = vn_scratch(name);
  char attrs[256];
  snprintf(attrs, sizeof attrs, "name=\"%s\" seed=\"7\" replications=\"1\"", name);
  char* sc  = vn_scenario(dir, "s.xml", attrs, body);
  char* err = NULL;
  cr_assert_eq(vn_run(NULL, &err, "run '%s' -o '%s/out' -j2 --paje", sc, dir), 0, "%s", err);
  free(err);
  free(sc);
  char* out = NULL;
  cr_assert(asprintf(&out, "%s/out", dir) > 0);
  free(dir);
  return out;
}

static dump_t point_dump(const char* out, size_t point)
{
  char path[4400];
  snprintf(path, sizeof path, "%s/trace/point-%05zu.paje", out, point);
  return pj_dump(path);
}

/* Points: a replay storm on one 16-entry queue (16 cores, 200 ns engine, 4 WRs outstanding each: 64 for 16 slots),
 * the same with exponential back-off, and 4 VMs on an SR-IOV NIC of 4 queues of 4 (partitioned, one lock per VF). */
static const char* queue_body =
    "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
    "  <nic queue-depth=\"16\" service-time=\"200ns\"/>\n"
    "  <consumers cores-per-host=\"16\"/>\n"
    "  <workload arrival=\"closed\" window=\"4\" think=\"1us\" requests=\"150\" size=\"64B\" pattern=\"local\"/>\n"
    "  <sweep name=\"config\">\n"
    "    <case label=\"storm\"/>\n"
    "    <case label=\"backoff\"><set param=\"access.backoff\" value=\"500ns\"/>"
    "<set param=\"access.backoff-policy\" value=\"exponential\"/></case>\n"
    "    <case label=\"sriov\"><set param=\"access.mode\" value=\"partitioned\"/><set param=\"nic.queues\" "
    "value=\"4\"/>"
    "<set param=\"consumers.cores-per-host\" value=\"0\"/><set param=\"consumers.vms-per-host\" value=\"4\"/>"
    "<set param=\"consumers.vcpus-per-vm\" value=\"4\"/></case>\n"
    "  </sweep>\n";

/* The queue variables never exceed a queue's capacity nor go below 0, and reach exactly the highest occupancy the
 * model saw (checks.csv max_occupancy: the trace agrees with the model, and a storm fills the queue); the drops
 * counter ends at the model's nic_drops; the retry flags stay within [0, consumers]. */
Test(paje_dump, queue_occupancy_within_its_capacity, .timeout = 600)
{
  char* out           = run("paje-queue", queue_body);
  csv_t checks        = vn_table(out, "checks.csv");
  const char* label[] = {"storm", "backoff", "sriov"};
  for (size_t p = 0; p < 3; p++) {
    char match[64];
    snprintf(match, sizeof match, "config=%s", label[p]);
    long row = vn_find_row(checks, match, NULL);
    cr_assert_geq(row, 0);
    double capacity = vn_num(checks, (size_t)row, "queue_capacity");
    double max_occ  = vn_num(checks, (size_t)row, "max_occupancy");
    double drops    = vn_num(checks, (size_t)row, "nic_drops");
    dump_t d        = point_dump(out, p);
    double seen = 0, last_drops = 0, last_drops_t = -1;
    size_t queue_rows = 0;
    for (size_t i = 0; i < d.n; i++) {
      const row_t* r = &d.rows[i];
      if (r->state)
        continue;
      double v = atof(r->value);
      if (strncmp(r->type, "nic-queue", 9) == 0) {
        queue_rows++;
        cr_expect(v >= 0 && v <= capacity, "%s: %s holds %g (capacity %g) from %.12f to %.12f", label[p], r->type, v,
                  capacity, r->start, r->end);
        if (v > seen)
          seen = v;
      } else if (strcmp(r->type, "drops") == 0 && r->start >= last_drops_t) {
        last_drops   = v;
        last_drops_t = r->start;
      } else if (strcmp(r->type, "retry-flags") == 0) {
        cr_expect(v >= 0 && v <= 16, "%s: %g retry flags set", label[p], v);
      }
    }
    cr_expect_gt(queue_rows, 100, "%s: the queue barely changes", label[p]);
    cr_expect_eq(seen, max_occ, "%s: the trace's highest occupancy is %g, the model's %g", label[p], seen, max_occ);
    cr_expect_eq(last_drops, drops, "%s: the drops counter ends at %g, the model counted %g", label[p], last_drops,
                 drops);
    if (p == 0)
      cr_expect_eq(seen, capacity, "the storm does not fill the queue: the test shows little");
    free(d.rows);
  }
  csv_free(checks);
  free(out);
}

/* A consumer's row is "<host>/consumer-<k>": its host is what comes before the last '/'. */
static int same_host(const char* a, const char* b)
{
  const char* sa = strrchr(a, '/');
  const char* sb = strrchr(b, '/');
  cr_assert(sa != NULL && sb != NULL, "rows %s and %s are not a consumer's", a, b);
  return sa - a == sb - b && strncmp(a, b, (size_t)(sa - a)) == 0;
}

static int by_start(const void* a, const void* b)
{
  const row_t* x = a;
  const row_t* y = b;
  const char* sx = strrchr(x->container, '/');
  const char* sy = strrchr(y->container, '/');
  size_t lx      = sx ? (size_t)(sx - x->container) : strlen(x->container);
  size_t ly      = sy ? (size_t)(sy - y->container) : strlen(y->container);
  int c          = strncmp(x->container, y->container, lx < ly ? lx : ly);
  if (c == 0)
    c = (lx > ly) - (lx < ly);
  if (c != 0)
    return c;
  return (x->start > y->start) - (x->start < y->start);
}

/* Lock mode with several consumers per host, on two hosts: native cores under contention, and VMs whose vCPUs are
 * time-sliced on fewer cores with paravirtual lock waiters (a holder can be descheduled, a waiter halts). */
static const char* lock_body =
    "  <platform file=\"@PLATFORMS@/flat-16.xml\" hosts=\"2\"/>\n"
    "  <nic queue-depth=\"64\" service-time=\"200ns\" trap=\"1.5us\"/>\n"
    "  <access mode=\"lock\"/>\n"
    "  <consumers cores-per-host=\"8\"/>\n"
    "  <workload arrival=\"closed\" window=\"4\" think=\"500ns\" requests=\"100\" size=\"64B\" pattern=\"local\"/>\n"
    "  <sweep name=\"config\">\n"
    "    <case label=\"native\"/>\n"
    "    <case label=\"vms\"><set param=\"consumers.cores-per-host\" value=\"0\"/>"
    "<set param=\"consumers.vms-per-host\" value=\"4\"/><set param=\"consumers.vcpus-per-vm\" value=\"2\"/>"
    "<set param=\"consumers.pcpus-per-host\" value=\"4\"/><set param=\"consumers.slice\" value=\"20us\"/>"
    "<set param=\"access.lock-wait\" value=\"pv\"/></case>\n"
    "  </sweep>\n";

/* On each host, the lock-held intervals of all its consumers' rows, in time order, never overlap (1 ps: the files'
 * resolution); there is one per WR at least (a descheduled holder's is cut in pieces), and the lock passes from one
 * holder to the next within a hand-off often enough for overlaps to be possible at all. */
Test(paje_dump, lock_holding_never_overlaps_on_a_host, .timeout = 600)
{
  char* out = run("paje-lock", lock_body);
  for (size_t p = 0; p < 2; p++) {
    dump_t d    = point_dump(out, p);
    row_t* held = calloc(d.n + 1, sizeof *held);
    size_t n    = 0;
    for (size_t i = 0; i < d.n; i++)
      if (d.rows[i].state && strcmp(d.rows[i].value, "lock-held") == 0)
        held[n++] = d.rows[i];
    qsort(held, n, sizeof *held, by_start);
    size_t hosts = 0, close = 0;
    for (size_t i = 0; i < n; i++) {
      if (i == 0 || !same_host(held[i].container, held[i - 1].container)) {
        hosts++;
        continue;
      }
      cr_expect(held[i].start >= held[i - 1].end - 1e-12,
                "point %zu: %s holds the lock from %.12f while %s holds it until %.12f", p, held[i].container,
                held[i].start, held[i - 1].container, held[i - 1].end);
      close += held[i].start - held[i - 1].end < 1e-6;
    }
    cr_expect_eq(hosts, 2, "point %zu: lock holders on %zu hosts", p, hosts);
    cr_expect_geq(n, 2 * 8 * 100, "point %zu: %zu lock-held intervals for 1600 WRs", p, n);
    cr_expect_gt(close, n / 4, "point %zu: the lock rarely passes straight to a waiter (%zu of %zu)", p, close, n);
    free(held);
    free(d.rows);
  }
  free(out);
}

/* SimGrid's own tracing options pass through to every point's file, which stays a valid, time-ordered trace:
 * tracing/uncategorized adds the links' use (bandwidth_used), given by SimGrid after its time (vnicsim then keeps the
 * trace whole in memory until the end), and tracing/disable_link:no the links' bandwidth and latency, with the trace
 * written as the run goes. pj_dump refuses a file whose events are out of time order. */
Test(paje_dump, simgrid_tracing_options_pass_through, .timeout = 300)
{
  char* dir = vn_scratch("paje-passthrough");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"pass\" seed=\"2\" replications=\"1\"",
                          "  <platform file=\"@PLATFORMS@/flat-16.xml\" hosts=\"4\"/>\n"
                           "  <nic queue-depth=\"16\" service-time=\"200ns\"/>\n"
                           "  <consumers cores-per-host=\"4\"/>\n"
                           "  <workload arrival=\"closed\" window=\"4\" think=\"1us\" requests=\"50\" size=\"4KiB\" "
                           "pattern=\"uniform\"/>\n");
  static const struct {
    const char* option;
    const char* type; /* a variable it adds */
  } cases[] = {{"--cfg=tracing/uncategorized:yes", "bandwidth_used"}, {"--cfg=tracing/disable_link:no", "bandwidth"}};
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    char* err = NULL;
    cr_assert_eq(vn_run(NULL, &err, "run '%s' -o '%s/out%zu' --paje %s", sc, dir, c, cases[c].option), 0, "%s", err);
    free(err);
    char out[4200];
    snprintf(out, sizeof out, "%s/out%zu", dir, c);
    dump_t d     = point_dump(out, 0); /* fails on a file pj_dump refuses */
    size_t added = 0, queue = 0;
    for (size_t i = 0; i < d.n; i++) {
      added += !d.rows[i].state && strcmp(d.rows[i].type, cases[c].type) == 0;
      queue += !d.rows[i].state && strcmp(d.rows[i].type, "nic-queue") == 0;
    }
    cr_expect_gt(added, 0, "%s: no %s variable in the trace", cases[c].option, cases[c].type);
    cr_expect_gt(queue, 0, "%s: no queue variable in the trace", cases[c].option);
    free(d.rows);
  }
  free(sc);
  free(dir);
}
