/* e2e_paje: `vnicsim run --paje` through the binary: the results are byte for byte those of a run without it on
 * shipped scenarios (the trace must not change the simulation), one whole file per point and nothing else written,
 * what --paje-window keeps, and the SimGrid tracing options vnicsim sets itself, refuses or passes on. What the traces
 * say, read back with pj_dump, is checked by e2e_paje_dump. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vn_test.h"

#define SCENARIOS VNICSIM_TESTS_DIR "/../scenarios"

static void expect_same_file(const char* a, const char* b, const char* name, const char* what)
{
  char pa[4096], pb[4096];
  snprintf(pa, sizeof pa, "%s/%s", a, name);
  snprintf(pb, sizeof pb, "%s/%s", b, name);
  size_t la, lb;
  char* x = vn_slurp(pa, &la);
  char* y = vn_slurp(pb, &lb);
  cr_assert_not_null(x, "%s missing", pa);
  cr_assert_not_null(y, "%s missing", pb);
  cr_expect(la == lb && memcmp(x, y, la) == 0, "%s: %s differs with --paje", what, name);
  free(x);
  free(y);
}

/* Names in DIR, sorted, one per line. */
static char* listing(const char* dir)
{
  struct dirent** names;
  int n = scandir(dir, &names, NULL, alphasort);
  cr_assert_geq(n, 0, "cannot read %s", dir);
  char* out  = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&out, &len);
  for (int i = 0; i < n; i++) {
    if (names[i]->d_name[0] != '.')
      fprintf(f, "%s\n", names[i]->d_name);
    free(names[i]);
  }
  free(names);
  fclose(f);
  return out;
}

/* A shipped scenario, made small with @p sets, run with and without --paje: the same three results files, and one
 * trace per point. */
static void same_results(const char* dir, const char* scenario, const char* sets)
{
  char* err = NULL;
  cr_assert_eq(vn_run(NULL, &err, "run '%s/%s' -o '%s/a' -j2 %s", SCENARIOS, scenario, dir, sets), 0, "%s", err);
  free(err);
  cr_assert_eq(vn_run(NULL, &err, "run '%s/%s' -o '%s/b' -j2 --paje %s", SCENARIOS, scenario, dir, sets), 0, "%s", err);
  free(err);
  char a[4096], b[4096];
  snprintf(a, sizeof a, "%s/a", dir);
  snprintf(b, sizeof b, "%s/b", dir);
  expect_same_file(a, b, "results.csv", scenario);
  expect_same_file(a, b, "hosts.csv", scenario);
  expect_same_file(a, b, "checks.csv", scenario);
  csv_t t = vn_results(b);
  for (size_t p = 0; p < csv_row_count(t); p++) {
    char path[4200];
    snprintf(path, sizeof path, "%s/trace/point-%05zu.paje", b, p);
    struct stat st;
    cr_expect(stat(path, &st) == 0 && st.st_size > 0, "%s: no trace %s", scenario, path);
  }
  csv_free(t);
}

/* The trace only observes: a run with it gives the same bytes as one without, on shipped scenarios that exercise
 * every mode, replay storms (the 32-core speculative points of default.xml, where many consumers act at the same
 * instants and their order decides which write a full queue takes), VMs, time-sliced vCPUs and lock waiters that
 * halt. A trace that woke the consumers to show their states failed this on default.xml (two points differed). */
Test(paje, results_are_the_same_with_and_without_the_trace, .timeout = 900)
{
  char* dir = vn_scratch("paje-same");
  char sub[4200];
  snprintf(sub, sizeof sub, "%s/default", dir);
  mkdir(sub, 0777);
  same_results(sub, "default.xml", "--set workload.requests=300 --set scenario.replications=1");
  snprintf(sub, sizeof sub, "%s/oversubscription", dir);
  mkdir(sub, 0777);
  same_results(sub, "oversubscription.xml", "--set workload.duration=0.5ms --set scenario.replications=1");
  snprintf(sub, sizeof sub, "%s/baselines", dir);
  mkdir(sub, 0777);
  same_results(sub, "baselines.xml", "--set workload.requests=100 --set scenario.replications=1");
  free(dir);
}

static const char* small_body =
    "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
    "  <nic queue-depth=\"8\" service-time=\"200ns\"/>\n"
    "  <consumers cores-per-host=\"8\"/>\n"
    "  <workload arrival=\"closed\" window=\"4\" think=\"1us\" requests=\"100\" size=\"64B\" "
    "pattern=\"local\"/>\n"
    "  <sweep param=\"access.mode\" values=\"speculative lock enqcmd\"/>\n";

/* Whether a SetState event of @p text sets a value named @p name (on any row). */
static int state_was_set(const char* text, const char* name)
{
  char* copy = strdup(text);
  char aliases[64][16];
  int naliases = 0, set_id = -1, found = 0;
  char* save = NULL;
  for (char* line = strtok_r(copy, "\n", &save); line && !found; line = strtok_r(NULL, "\n", &save)) {
    int id;
    char a[16], t[16], v[64];
    if (sscanf(line, "%%EventDef PajeSetState %d", &id) == 1)
      set_id = id;
    else if (sscanf(line, "5 %15s %15s %63s", a, t, v) == 3 && strcmp(v, name) == 0 && naliases < 64)
      snprintf(aliases[naliases++], sizeof aliases[0], "%s", a);
    else if (set_id >= 0 && sscanf(line, "%d %*s %*s %*s %15s", &id, a) == 2 && id == set_id)
      for (int i = 0; i < naliases; i++)
        found |= strcmp(a, aliases[i]) == 0;
  }
  free(copy);
  return found;
}

/* One file per point, named for the point, complete (SimGrid's header to its last line), with the point's own
 * states; nothing else in the directory (no temporary left), alongside --trace's files. */
Test(paje, one_whole_file_per_point, .timeout = 300)
{
  char* dir = vn_scratch("paje-files");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"files\" seed=\"3\" replications=\"1\"", small_body);
  char* err = NULL;
  cr_assert_eq(vn_run(NULL, &err, "run '%s' -o '%s/out' -j2 --paje --trace", sc, dir), 0, "%s", err);
  free(err);
  char tdir[4200];
  snprintf(tdir, sizeof tdir, "%s/out/trace", dir);
  char* names = listing(tdir);
  cr_expect_str_eq(names, "point-00000.csv\npoint-00000.paje\npoint-00001.csv\npoint-00001.paje\npoint-00002.csv\n"
                          "point-00002.paje\n");
  free(names);
  static const char* const own[] = {"replaying", "lock-held", "stalled"}; /* set by each point's mode */
  for (int p = 0; p < 3; p++) {
    char path[4300];
    snprintf(path, sizeof path, "%s/point-%05d.paje", tdir, p);
    char* text = vn_slurp(path, NULL);
    cr_assert_not_null(text);
    cr_expect(strncmp(text, "#This file was generated using SimGrid-", 39) == 0, "%s: not SimGrid's header", path);
    cr_expect(strstr(text, ".tmp") == NULL, "%s names its temporary", path);
    cr_expect(strstr(text, " \"node-0/consumer-7\"\n") != NULL, "%s: no row for consumer 7", path);
    cr_expect(strstr(text, " nic-queue \"") != NULL, "%s: no queue variable", path);
    /* the last line is the root container's children being destroyed: the file was written to its end */
    size_t len = strlen(text);
    cr_expect(len > 2 && text[len - 1] == '\n', "%s does not end with a whole line", path);
    const char* last = text + len - 2;
    while (last > text && last[-1] != '\n')
      last--;
    cr_expect(strncmp(last, "7 ", 2) == 0, "%s: last line '%.40s' is not a DestroyContainer", path, last);
    /* the mode's own state was set on some consumer's row */
    cr_expect(state_was_set(text, own[p]), "%s: state %s is never set", path, own[p]);
    free(text);
  }
  free(sc);
  free(dir);
}

/* ---- a minimal reader of SimGrid's Paje files, for the window test ---- */

typedef struct pj_event {
  char kind[24]; /* the event's name: SetVariable, AddVariable, SubVariable, SetState, PopState ... */
  double t;
  char type[16], container[16];
  double value; /* variables */
} pj_event_t;

typedef struct pj_file {
  pj_event_t* ev;
  size_t n;
} pj_file_t;

/* The timed events of a Paje file, with SimGrid's field order (time, type, container, value). */
static pj_file_t pj_read(const char* path)
{
  char* text = vn_slurp(path, NULL);
  cr_assert_not_null(text, "cannot read %s", path);
  char names[64][24] = {{0}};
  pj_file_t f        = {0};
  size_t alloc       = 0;
  char* save         = NULL;
  for (char* line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    int id;
    char name[24];
    if (sscanf(line, "%%EventDef Paje%23s %d", name, &id) == 2 && id >= 0 && id < 64) {
      snprintf(names[id], sizeof names[id], "%s", name);
      continue;
    }
    if (line[0] == '%' || line[0] == '#' || sscanf(line, "%d", &id) != 1 || id < 0 || id >= 64)
      continue;
    const char* k = names[id];
    if (strstr(k, "Variable") == NULL && strstr(k, "State") == NULL)
      continue;
    if (strncmp(k, "Define", 6) == 0)
      continue;
    if (f.n == alloc) {
      alloc = alloc ? 2 * alloc : 1024;
      f.ev  = realloc(f.ev, alloc * sizeof *f.ev);
    }
    pj_event_t* e = &f.ev[f.n++];
    memset(e, 0, sizeof *e);
    snprintf(e->kind, sizeof e->kind, "%s", k);
    cr_assert_geq(sscanf(line, "%*d %lf %15s %15s %lf", &e->t, e->type, e->container, &e->value), 3, "bad line %s",
                  line);
  }
  free(text);
  return f;
}

/* The value of variable (type, container) after every event at or before t. */
static double pj_value_at(const pj_file_t* f, const char* type, const char* container, double t)
{
  double v = 0;
  for (size_t i = 0; i < f->n; i++) {
    const pj_event_t* e = &f->ev[i];
    if (e->t > t || strcmp(e->type, type) != 0 || strcmp(e->container, container) != 0)
      continue;
    if (strcmp(e->kind, "SetVariable") == 0)
      v = e->value;
    else if (strcmp(e->kind, "AddVariable") == 0)
      v += e->value;
    else if (strcmp(e->kind, "SubVariable") == 0)
      v -= e->value;
  }
  return v;
}

/* --paje-window 20us:40us: no event outside the window (1 ps, the files' resolution), every variable set at the start
 * to the value the whole run's trace has there, every consumer's row opened at the start and closed at the end. The
 * whole trace, for comparison, has events on both sides of the window. */
Test(paje, the_window_keeps_only_its_span, .timeout = 300)
{
  char* dir = vn_scratch("paje-window");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"win\" seed=\"5\" replications=\"1\"",
                          "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
                           "  <nic queue-depth=\"8\" service-time=\"200ns\"/>\n"
                           "  <consumers cores-per-host=\"8\"/>\n"
                           "  <workload arrival=\"closed\" window=\"4\" think=\"1us\" requests=\"100\" size=\"64B\" "
                           "pattern=\"local\"/>\n");
  char* err = NULL;
  cr_assert_eq(vn_run(NULL, &err, "run '%s' -o '%s/all' --paje", sc, dir), 0, "%s", err);
  free(err);
  cr_assert_eq(vn_run(NULL, &err, "run '%s' -o '%s/win' --paje-window 20us:40us", sc, dir), 0, "%s", err);
  free(err);
  char path[4200];
  snprintf(path, sizeof path, "%s/all/trace/point-00000.paje", dir);
  pj_file_t all = pj_read(path);
  snprintf(path, sizeof path, "%s/win/trace/point-00000.paje", dir);
  pj_file_t win      = pj_read(path);
  const double start = 20e-6, end = 40e-6, ps = 1e-12;

  size_t before = 0, after = 0;
  for (size_t i = 0; i < all.n; i++) {
    before += all.ev[i].t < start - ps;
    after += all.ev[i].t > end + ps;
  }
  cr_assert(before > 0 && after > 0, "the whole trace has no event outside 20us:40us: the test shows nothing");

  size_t sets_at_start = 0, states = 0, pops = 0;
  for (size_t i = 0; i < win.n; i++) {
    const pj_event_t* e = &win.ev[i];
    cr_expect(e->t >= start - ps && e->t <= end + ps, "%s at %.12f, outside the window", e->kind, e->t);
    if (strcmp(e->kind, "SetVariable") == 0 && fabs(e->t - start) < ps) {
      sets_at_start++;
      double whole = pj_value_at(&all, e->type, e->container, start);
      cr_expect(fabs(e->value - whole) < 1e-9, "variable %s set to %g at the start, the whole trace has %g", e->type,
                e->value, whole);
    }
    states += strcmp(e->kind, "SetState") == 0;
    pops += strcmp(e->kind, "PopState") == 0 && fabs(e->t - end) < ps;
  }
  cr_expect_eq(sets_at_start, 3, "the queue, the retry flags and the drops are set at the start");
  cr_expect_gt(states, 8, "no state changes within the window");
  cr_expect_eq(pops, 8, "every consumer's row is closed at the end");
  free(all.ev);
  free(win.ev);
  free(sc);
  free(dir);
}

/* With --paje vnicsim names each point's file and sets what the traces need: the user may not set those; without
 * it, turning SimGrid's tracing on would make every point write one file: refused too. Other tracing options reach
 * every point's file. Bad windows and ns-3 points are refused. Every refusal is exit status 2, one line naming what
 * is wrong, and no output directory. */
Test(paje, tracing_options, .timeout = 300)
{
  char* dir = vn_scratch("paje-options");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"opts\" seed=\"3\" replications=\"1\"", small_body);
  static const struct {
    const char* args;
    const char* says;
  } refused[] = {
      {"--paje --cfg=tracing/filename:x.trace", "with --paje vnicsim sets tracing/filename itself"},
      {"--paje --cfg=tracing:no", "with --paje vnicsim sets tracing itself"},
      {"--paje '--cfg=tracing/comment:a tracing/precision:3'", "sets tracing/precision itself"},
      {"--paje --cfg=tracing/platform/topology:yes", "sets tracing/platform/topology itself"},
      {"--paje --cfg=tracing/smpi/format:TI", "sets tracing/smpi/format itself"},
      {"--paje --cfg=tracing/vm:yes", "tracing/vm"},
      {"--paje --cfg=tracing/actor:on", "--paje cannot trace with tracing/actor"},
      {"--cfg=tracing:yes", "use --paje, which traces every point"},
      {"--cfg=tracing/filename:x.trace", "use --paje"},
      {"--paje-window 2ms", "--paje-window '2ms': expected START:END"},
      {"--paje-window 2ms:1ms", "END must be after START"},
      {"--paje-window 1ms:2", "END '2'"},
      {"--paje-window -1ms:2ms", "START must not be negative"},
  };
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    char* err = NULL;
    int rc    = vn_run(NULL, &err, "run '%s' -o '%s/out' %s", sc, dir, refused[i].args);
    cr_expect_eq(rc, 2, "%s: exit %d", refused[i].args, rc);
    cr_expect(err != NULL && strstr(err, refused[i].says) != NULL, "%s: said '%s'", refused[i].args, err);
    cr_expect(err != NULL && strchr(err, '\n') == strrchr(err, '\n'), "%s: more than one line: %s", refused[i].args,
              err);
    free(err);
    char out[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    struct stat st;
    cr_expect(stat(out, &st) != 0, "%s: the output directory was made", refused[i].args);
  }

  /* ns-3 */
  char* ns3 = vn_scenario(dir, "ns3.xml", "name=\"ns3\" seed=\"1\" replications=\"1\"",
                          "  <platform file=\"@PLATFORMS@/flat-16-explicit.xml\" network-model=\"ns-3\"/>\n"
                          "  <workload arrival=\"poisson\" rate=\"100k/s\" requests=\"5\" pattern=\"uniform\"/>\n");
  char* err = NULL;
  cr_expect_eq(vn_run(NULL, &err, "run '%s' -o '%s/out' --paje", ns3, dir), 2);
  cr_expect(err != NULL && strstr(err, "network-model=\"ns-3\"") && strstr(err, "--paje cannot trace"), "said %s", err);
  free(err);

  /* an option that passes through lands in every point's file */
  cr_assert_eq(vn_run(NULL, &err, "run '%s' -o '%s/out' -j2 --paje --cfg=tracing/comment:pass-through-check", sc, dir),
               0, "%s", err);
  free(err);
  for (int p = 0; p < 3; p++) {
    char path[4300];
    snprintf(path, sizeof path, "%s/out/trace/point-%05d.paje", dir, p);
    char* text = vn_slurp(path, NULL);
    cr_assert_not_null(text, "%s missing", path);
    cr_expect(strstr(text, "\n# pass-through-check\n") != NULL, "%s: the comment did not reach it", path);
    free(text);
  }
  free(ns3);
  free(sc);
  free(dir);
}
