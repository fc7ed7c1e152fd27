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

#include "vn_more.h"
#include "vn_test.h"

#define SCENARIOS VNICSIM_TESTS_DIR "/../scenarios"

static void expect_same_file(const char* a, const char* b, const char* name, const char* what)
{
  cr_expect(vn_same_bytes(a, b, name), "%s: %s differs with --paje (or is missing)", what, name);
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
 * halt, and NIC-to-NIC transfers on a 16-host cluster, started by the transport's kernel timers. A trace that woke the
 * consumers to show their states failed this on default.xml (two points differed); so did, on cluster-uniform.xml,
 * the trace's own kernel timers sharing SimGrid's heap with the transport's (which decides the order of transfers
 * due at the same instant), before the transport had a queue of its own (model/netcomm.cpp). */
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
  snprintf(sub, sizeof sub, "%s/cluster", dir);
  mkdir(sub, 0777);
  same_results(sub, "cluster-uniform.xml", "--set workload.requests=40 --set scenario.replications=1");
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
    /* the last line is vnicsim's comment with the window (the whole run), and SimGrid's last line before it is the
     * root container's children being destroyed: SimGrid wrote the file to its end */
    size_t len = strlen(text);
    cr_expect(len > 2 && text[len - 1] == '\n', "%s does not end with a whole line", path);
    const char* last = text + len - 1;
    while (last > text && last[-1] != '\n')
      last--;
    cr_expect_str_eq(last, "# vnicsim: paje window 0:inf\n", "%s: not the window's comment at the end", path);
    const char* before = last > text ? last - 1 : text;
    while (before > text && before[-1] != '\n')
      before--;
    cr_expect(strncmp(before, "7 ", 2) == 0, "%s: SimGrid's last line '%.40s' is not a DestroyContainer", path, before);
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
      /* hostile windows: every one a single line naming what is wrong */
      {"--paje-window ''", "--paje-window needs START:END"},
      {"--paje-window 5ms:", "END '': empty value"},
      {"--paje-window :", "START '': empty value"},
      {"--paje-window :5ms", "START '': empty value"},
      {"--paje-window 3:1", "START '3': missing unit"},
      {"--paje-window 3s:1s", "END must be after START"},
      {"--paje-window 1ms:1ms", "END must be after START"},
      {"--paje-window 1ms:-2ms", "END must be after START"},
      {"--paje-window nan:1ms", "START 'nan': NaN and infinity are not accepted"},
      {"--paje-window 0s:NaNs", "END 'NaNs': NaN and infinity are not accepted"},
      {"--paje-window 0s:inf", "END 'inf': NaN and infinity are not accepted"},
      {"--paje-window 1e999s:2s", "START '1e999s': number out of range"},
      {"--paje-window 0s:1e999s", "END '1e999s': number out of range"},
      {"--paje-window 1e-30s:2e-30s", "END must be at least 1ps after START"},
      {"--paje-window 1ms:2ms:3ms", "expected START:END"},
      {"--paje-window '1 ms:2ms'", "no blank allowed between the number and its unit"},
      {"--paje-window 1ms:2kg", "unknown unit \"kg\""},
      {"--paje-window 0x1p-3s:1s", "hexadecimal numbers are not accepted"},
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

/* The file names of DIR/trace that end with @p ext, sorted, one per line. */
static char* traces(const char* dir, const char* ext)
{
  char tdir[4200];
  snprintf(tdir, sizeof tdir, "%s/trace", dir);
  char* all  = listing(tdir);
  char* out  = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&out, &len);
  char* save = NULL;
  for (char* name = strtok_r(all, "\n", &save); name; name = strtok_r(NULL, "\n", &save))
    if (strlen(name) >= strlen(ext) && strcmp(name + strlen(name) - strlen(ext), ext) == 0)
      fprintf(f, "%s\n", name);
  fclose(f);
  free(all);
  return out;
}

/* Whether DIR_A/trace/NAME and DIR_B/trace/NAME hold the same bytes, apart from line @p skip (1-based; 0: none). */
static int same_trace(const char* a, const char* b, const char* name, int skip)
{
  char pa[4400], pb[4400];
  snprintf(pa, sizeof pa, "%s/trace/%s", a, name);
  snprintf(pb, sizeof pb, "%s/trace/%s", b, name);
  size_t la, lb;
  char* x = vn_slurp(pa, &la);
  char* y = vn_slurp(pb, &lb);
  cr_assert(x != NULL && y != NULL, "%s or %s missing", pa, pb);
  char *px = x, *py = y;
  for (int line = 1; line < skip; line++) { /* the lines before the one skipped */
    char* nx = strchr(px, '\n');
    char* ny = strchr(py, '\n');
    cr_assert(nx != NULL && ny != NULL);
    if (nx - px != ny - py || memcmp(px, py, (size_t)(nx - px)) != 0) {
      free(x);
      free(y);
      return 0;
    }
    px = nx + 1;
    py = ny + 1;
  }
  if (skip > 0) {
    px = strchr(px, '\n') + 1;
    py = strchr(py, '\n') + 1;
  }
  int same = (size_t)(x + la - px) == (size_t)(y + lb - py) && memcmp(px, py, (size_t)(x + la - px)) == 0;
  free(x);
  free(y);
  return same;
}

/* Reproducibility: the same scenario and seed give byte-identical traces, one point at a time or two, and written as
 * the run goes (vnicsim's default: SimGrid writes each event once the clock is past it) or kept whole until the end
 * (what SimGrid 3.32 does with tracing/categorized, whose own events come late; it adds nothing to these traces but
 * its name in the header's command line, line 2). The scenario has replay storms (8 cores on a queue of 8), lock
 * holders and a time-sliced vCPU host, where many events share an instant and their order in the file matters. */
Test(paje, traces_are_reproducible, .timeout = 300)
{
  char* dir = vn_scratch("paje-repro");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"repro\" seed=\"11\" replications=\"2\"",
                          "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
                           "  <nic queue-depth=\"8\" service-time=\"200ns\"/>\n"
                           "  <consumers cores-per-host=\"8\"/>\n"
                           "  <workload arrival=\"closed\" window=\"4\" think=\"1us\" think-dist=\"exponential\" "
                           "requests=\"200\" size=\"64B\" "
                           "pattern=\"local\"/>\n"
                           "  <sweep param=\"access.mode\" values=\"speculative lock\"/>\n");
  char* err = NULL;
  cr_assert_eq(vn_run(NULL, &err, "run '%s' -o '%s/a' --paje", sc, dir), 0, "%s", err);
  free(err);
  cr_assert_eq(vn_run(NULL, &err, "run '%s' -o '%s/b' --paje -j2", sc, dir), 0, "%s", err);
  free(err);
  cr_assert_eq(vn_run(NULL, &err, "run '%s' -o '%s/c' --paje --cfg=tracing/categorized:yes", sc, dir), 0, "%s", err);
  free(err);
  char a[4200], b[4200], c[4200];
  snprintf(a, sizeof a, "%s/a", dir);
  snprintf(b, sizeof b, "%s/b", dir);
  snprintf(c, sizeof c, "%s/c", dir);
  char* names = traces(a, ".paje");
  cr_expect_str_eq(names, "point-00000.paje\npoint-00001.paje\npoint-00002.paje\npoint-00003.paje\n");
  char* save = NULL;
  for (char* name = strtok_r(names, "\n", &save); name; name = strtok_r(NULL, "\n", &save)) {
    cr_expect(same_trace(a, b, name, 0), "%s differs between -j1 and -j2", name);
    cr_expect(same_trace(a, c, name, 2), "%s differs when kept whole in memory", name);
    cr_expect_not(same_trace(a, c, name, 0), "%s: the header should name tracing/categorized (the test shows nothing)",
                  name);
  }
  free(names);
  /* two replications, two seeds: their traces differ, so equal traces above are not a matter of course */
  {
    char p0[4400], p1[4400];
    snprintf(p0, sizeof p0, "%s/trace/point-00000.paje", a);
    snprintf(p1, sizeof p1, "%s/trace/point-00001.paje", a);
    size_t l0, l1;
    char* x = vn_slurp(p0, &l0);
    char* y = vn_slurp(p1, &l1);
    cr_expect(l0 != l1 || memcmp(x, y, l0) != 0, "two seeds gave the same trace");
    free(x);
    free(y);
  }
  free(sc);
  free(dir);
}

/* A point that fails among others run two at a time: the others' traces are whole and the failed one has none (no
 * temporary either); --resume --paje runs it again and the directory then holds the same traces as a run that never
 * failed. A temporary a killed point would leave (point-NNNNN.paje.tmpXXXXXX) is removed by the next run. --resume
 * must agree with the earlier run about --paje and its window: each disagreement is one line, exit status 2, and
 * changes nothing. */
Test(paje, a_failed_point_and_resume, .timeout = 300)
{
  char* dir = vn_scratch("paje-resume");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"resume\" seed=\"3\" replications=\"1\"", small_body);
  char* err = NULL;
  cr_assert_eq(vn_run(NULL, &err, "run '%s' -o '%s/clean' -j2 --paje-window 10us:30us", sc, dir), 0, "%s", err);
  free(err);
  char clean[4200], out[4200];
  snprintf(clean, sizeof clean, "%s/clean", dir);
  snprintf(out, sizeof out, "%s/out", dir);

  setenv("VNICSIM_FAULT", "crash:1", 1);
  int rc = vn_run(NULL, &err, "run '%s' -o '%s' -j2 --paje-window 10us:30us", sc, out);
  unsetenv("VNICSIM_FAULT");
  cr_assert_eq(rc, 1, "a failed point is exit status 1: %s", err);
  free(err);
  csv_t t = vn_results(out);
  cr_expect_str_eq(vn_text(t, 1, "status"), "failed");
  csv_free(t);
  char* names = traces(out, "");
  cr_expect_str_eq(names, "point-00000.paje\npoint-00002.paje\n", "only the points that ran have a trace");
  free(names);

  /* a killed point's temporary, and disagreements with the earlier run */
  char tmp[4400];
  snprintf(tmp, sizeof tmp, "%s/trace/point-00001.paje.tmpAb12Cd", out);
  vn_write(tmp, "half a trace");
  static const struct {
    const char* args;
    const char* says;
  } refused[] = {
      {"--resume", "--resume without --paje: the earlier run traced its points (trace/point-00000.paje"},
      {"--resume --paje", "the earlier run traced its points over 10 µs to 30 µs (trace/point-00000.paje), this one "
                          "would trace the new points over the whole run"},
      {"--resume --paje-window 10us:40us", "over 10 µs to 30 µs (trace/point-00000.paje), this one would trace the "
                                           "new points over 10 µs to 40 µs"},
      {"--resume --paje-window 10us:30us --trace", "--resume --trace: 2 of the 2 points kept"},
  };
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    rc = vn_run(NULL, &err, "run '%s' -o '%s' -j2 %s", sc, out, refused[i].args);
    cr_expect_eq(rc, 2, "%s: exit %d", refused[i].args, rc);
    cr_expect(err != NULL && strstr(err, refused[i].says) != NULL, "%s: said '%s'", refused[i].args, err);
    cr_expect(err != NULL && strchr(err, '\n') == strrchr(err, '\n'), "%s: more than one line: %s", refused[i].args,
              err);
    free(err);
  }
  names = traces(out, "");
  cr_expect_str_eq(names, "point-00000.paje\npoint-00001.paje.tmpAb12Cd\npoint-00002.paje\n",
                   "a refused resume changed the trace directory");
  free(names);

  cr_assert_eq(vn_run(NULL, &err, "run '%s' -o '%s' -j2 --resume --paje-window 10us:30us", sc, out), 0, "%s", err);
  cr_expect(err != NULL && strstr(err, "removed 1 temporary file") != NULL, "said %s", err);
  free(err);
  names = traces(out, "");
  cr_expect_str_eq(names, "point-00000.paje\npoint-00001.paje\npoint-00002.paje\n");
  free(names);
  for (int p = 0; p < 3; p++) {
    char name[32];
    snprintf(name, sizeof name, "point-%05d.paje", p);
    cr_expect(same_trace(clean, out, name, 0), "%s differs from the run that never failed", name);
  }
  cr_expect(vn_same_bytes(clean, out, "results.csv"), "results.csv differs from the run that never failed");
  free(sc);
  free(dir);
}
