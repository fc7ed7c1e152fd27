/* e2e_cluster: a scenario split over several runs, through the binary: --shard and --points write parts that merge
 * gathers into the very bytes of one run of every point, whatever the number of shards and the order they ran in;
 * shards run at once into one directory while the same shard twice is refused; merge and status name the points
 * missing and failed and --resume runs exactly those; points of another experiment (a changed scenario, a --set, a
 * part copied from elsewhere) are refused with exit status 2 and the value that differs; check estimates memory and
 * time and refuses a point above the memory limit; submit --dry-run writes batch scripts whose tasks, run by hand as
 * Slurm would run them, give the same bytes again. (scripts/slurm-test.sh does the same against a real Slurm.) */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/jsonread.h"
#include "vn_more.h"
#include "vn_test.h"

/* 8 points (2 x 2 x 2 replications), a fraction of a second each */
static const char* body = "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
                          "  <consumers cores-per-host=\"2\"/>\n"
                          "  <workload requests=\"300\"/>\n"
                          "  <sweep param=\"nic.service-time\" values=\"200ns 20ns\"/>\n"
                          "  <sweep param=\"access.mode\" values=\"speculative lock\"/>\n";
#define ATTRS "name=\"cl\" replications=\"2\""

static const char* const tables[] = {"results.csv", "hosts.csv", "checks.csv"};

/* DIR/NAME's whole text (NULL if missing), malloc'ed. */
static char* slurp_in(const char* dir, const char* name)
{
  char* path = vn_path(dir, name);
  char* text = vn_slurp(path, NULL);
  free(path);
  return text;
}

/* Whether DIR/NAME exists. */
static int exists_in(const char* dir, const char* name)
{
  char* path = vn_path(dir, name);
  int yes    = access(path, F_OK) == 0;
  free(path);
  return yes;
}

/* Table NAME of DIR/SUB. */
static csv_t table_in(const char* dir, const char* sub, const char* name)
{
  char* path = vn_path(dir, sub);
  csv_t t    = vn_table(path, name);
  free(path);
  return t;
}

static void sleep_ms(long ms)
{
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

/* Whether two JSON values are equal, leaving out the members named in @p skip (at any depth). */
static int json_equal(const_json_t a, const_json_t b, const char* const* skip)
{
  if (json_type(a) != json_type(b))
    return 0;
  switch (json_type(a)) {
  case JSON_NULL:
    return 1;
  case JSON_BOOL:
  case JSON_NUMBER:
    return json_number(a, 0) == json_number(b, 0);
  case JSON_STRING:
    return strcmp(json_string(a), json_string(b)) == 0;
  case JSON_ARRAY:
    if (json_size(a) != json_size(b))
      return 0;
    for (size_t i = 0; i < json_size(a); i++)
      if (!json_equal(json_at(a, i), json_at(b, i), skip))
        return 0;
    return 1;
  case JSON_OBJECT: {
    size_t na = 0, nb = 0;
    for (int pass = 0; pass < 2; pass++) {
      const_json_t x = pass ? b : a;
      for (size_t i = 0; i < json_size(x); i++) {
        int skipped = 0;
        for (const char* const* s = skip; *s && !skipped; s++)
          skipped = strcmp(*s, json_key_at(x, i)) == 0;
        if (skipped)
          continue;
        *(pass ? &nb : &na) += 1;
        if (!pass && !json_equal(json_at(a, i), json_get(b, json_key_at(a, i)), skip))
          return 0;
      }
    }
    return na == nb;
  }
  }
  return 0;
}

/* The tables of @p out are the bytes of @p ref's, and the manifests the same apart from how they were written (the
 * "run" object) and the wall times. */
static void expect_same_as(const char* ref, const char* out, const char* what)
{
  for (int k = 0; k < 3; k++)
    cr_expect(vn_same_bytes(ref, out, tables[k]), "%s: %s differs from one run of every point", what, tables[k]);
  if (strcmp(what, "resumed") == 0)
    return; /* a resumed run's manifest says which points it kept */
  char* a = slurp_in(ref, "manifest.json");
  char* b = slurp_in(out, "manifest.json");
  cr_assert(a && b, "%s: a manifest is missing", what);
  char why[256];
  json_t ja = json_parse(a, why, sizeof why), jb = json_parse(b, why, sizeof why);
  cr_assert(ja && jb, "%s: a manifest does not parse: %s", what, why);
  const char* const skip[] = {"run", "total_wall_time_s", "wall_time_s", NULL};
  cr_expect(json_equal(ja, jb, skip), "%s: the manifest differs from one run's beyond the command and wall times",
            what);
  cr_expect(json_get(json_at(json_get(jb, "points"), 0), "fingerprint") != NULL, "the manifest records fingerprints");
  json_free(ja);
  json_free(jb);
  free(a);
  free(b);
}

static char* reference_with(const char* dir, const char* sc, const char* extra)
{
  char* ref = vn_path(dir, "ref");
  char* err = NULL;
  cr_assert_eq(vn_run_deadline(120, NULL, NULL, &err, "run '%s' -o '%s' -q %s", sc, ref, extra), 0, "%s", err);
  free(err);
  return ref;
}

static char* reference(const char* dir, const char* sc)
{
  return reference_with(dir, sc, "");
}

Test(cluster, shards_merge_into_the_bytes_of_one_run_whatever_their_number_and_order, .timeout = 300)
{
  char* dir          = vn_scratch("cl-merge");
  char* sc           = vn_scenario(dir, "s.xml", ATTRS, body);
  char* ref          = reference(dir, sc);
  const int counts[] = {1, 3, 8, 11};
  for (int c = 0; c < 4; c++) {
    int n = counts[c];
    char name[32];
    snprintf(name, sizeof name, "out%d", n);
    char* out = vn_path(dir, name);
    for (int k = n - 1; k >= 0; k--) { /* the last shard first */
      char* err = NULL;
      int rc    = vn_run_deadline(120, NULL, NULL, &err, "run '%s' -o '%s' --shard %d/%d -q", sc, out, k, n);
      cr_assert_eq(rc, 0, "shard %d/%d: exit %d: %s", k, n, rc, err);
      free(err);
    }
    char part[64];
    snprintf(part, sizeof part, "parts/shard-%d-of-%d/results.csv", n - 1, n);
    cr_expect(exists_in(out, part), "shard %d/%d wrote no %s", n - 1, n, part);
    cr_expect(!exists_in(out, "results.csv"), "a shard wrote the directory's own tables");
    char* err = NULL;
    int rc    = vn_run_deadline(60, NULL, NULL, &err, "merge '%s'", out);
    cr_expect_eq(rc, 0, "merge of %d shards: exit %d: %s", n, rc, err);
    free(err);
    expect_same_as(ref, out, name);
    free(out);
  }
  free(ref);
  free(sc);
  free(dir);
}

Test(cluster, point_lists_select_points_and_are_checked, .timeout = 300)
{
  char* dir = vn_scratch("cl-points");
  char* sc  = vn_scenario(dir, "s.xml", ATTRS, body);
  char* ref = reference(dir, sc);
  char* out = vn_path(dir, "out");
  char* err = NULL;
  /* two lists that overlap on point 2: a point held twice is merged once */
  cr_assert_eq(vn_run_deadline(120, NULL, NULL, &err, "run '%s' -o '%s' --points 0-2,5 -q", sc, out), 0, "%s", err);
  free(err);
  cr_assert_eq(vn_run_deadline(120, NULL, NULL, &err, "run '%s' -o '%s' --points 2-4,6-7 -q", sc, out), 0, "%s", err);
  free(err);
  cr_expect(exists_in(out, "parts/points-0-2+5/results.csv"), "the part of --points 0-2,5");
  csv_t t = table_in(out, "parts/points-0-2+5", "results.csv");
  cr_expect_eq(csv_row_count(t), 4, "--points 0-2,5 runs 4 points");
  csv_free(t);
  cr_expect_eq(vn_run_deadline(60, NULL, NULL, &err, "merge '%s'", out), 0, "%s", err);
  free(err);
  expect_same_as(ref, out, "two lists");
  /* bad selections: exit 2, nothing written */
  int rc = vn_run_deadline(60, NULL, NULL, &err, "run '%s' -o '%s/x' --points 3,8", sc, dir);
  cr_expect_eq(rc, 2, "a point beyond the scenario's: exit %d", rc);
  cr_expect(strstr(err, "point 8 is not a point of this scenario, which has 8") != NULL, "%s", err);
  cr_expect(!exists_in(dir, "x"), "a refused run created its directory");
  free(err);
  const char* bad[] = {"--points 5-3", "--points 1,,2", "--points a",
                       "--shard 4/4",  "--shard 1",     "--shard 0/2 --points 1"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    rc = vn_run_deadline(60, NULL, NULL, &err, "run '%s' -o '%s/x' %s", sc, dir, bad[i]);
    cr_expect_eq(rc, 2, "%s: exit %d (%s)", bad[i], rc, err);
    free(err);
  }
  free(out);
  free(ref);
  free(sc);
  free(dir);
}

/* `vnicsim run ... --shard` in its own process group, with VNICSIM_FAULT=hang:0 (its first point never ends). */
static pid_t start_hanging(const char* sc, const char* out, const char* shard, const char* errpath)
{
  fflush(NULL);
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    setpgid(0, 0);
    setenv("VNICSIM_FAULT", "hang:0", 1);
    if (freopen(errpath, "w", stderr) == NULL || freopen("/dev/null", "w", stdout) == NULL)
      _exit(127);
    execl(VNICSIM_BIN, VNICSIM_BIN, "run", sc, "-o", out, "--shard", shard, (char*)NULL);
    _exit(127);
  }
  setpgid(pid, pid);
  return pid;
}

Test(cluster, shards_run_at_once_but_the_same_shard_twice_is_refused, .timeout = 180)
{
  char* dir  = vn_scratch("cl-lock");
  char* sc   = vn_scenario(dir, "s.xml", ATTRS, body);
  char* out  = vn_path(dir, "out");
  char* lock = vn_path(out, "parts/shard-0-of-2/.vnicsim-run.lock");
  char* log  = vn_path(dir, "first.txt");
  pid_t pid  = start_hanging(sc, out, "0/2", log);
  int held   = 0;
  for (int i = 0; i < 400 && !held; i++) {
    sleep_ms(25);
    char* t = vn_slurp(lock, NULL);
    held    = t != NULL && atol(t) == (long)pid;
    free(t);
  }
  if (!held) {
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
    cr_assert_fail("shard 0/2 did not take its part's lock %s", lock);
  }
  char* err = NULL;
  int rc    = vn_run_deadline(120, NULL, NULL, &err, "run '%s' -o '%s' --shard 1/2 -q", sc, out);
  cr_expect_eq(rc, 0, "another shard into the same directory at the same time: exit %d (%s)", rc, err);
  free(err);
  rc = vn_run_deadline(60, NULL, NULL, &err, "run '%s' -o '%s' --shard 0/2 -q", sc, out);
  cr_expect_eq(rc, 2, "the same shard twice at once: exit %d", rc);
  char want[64];
  snprintf(want, sizeof want, "in use by another vnicsim run (PID %d on ", (int)pid);
  cr_expect(strstr(err, want) != NULL, "the refusal names the holder and its host: %s", err);
  free(err);
  /* status sees the live part: its points are running, not missing */
  char* sout = NULL;
  rc         = vn_run_deadline(60, NULL, &sout, &err, "status '%s'", out);
  cr_expect_eq(rc, 1, "status of an unfinished run: exit %d (%s)", rc, err);
  cr_expect(strstr(sout, "running       4: 0,2,4,6") != NULL, "status names the live part's points: %s", sout);
  cr_expect(strstr(sout, "shard-0-of-2 (PID") != NULL, "status names the running part: %s", sout);
  free(sout);
  free(err);
  kill(-pid, SIGKILL);
  waitpid(pid, NULL, 0);
  free(log);
  free(lock);
  free(out);
  free(sc);
  free(dir);
}

Test(cluster, merge_and_status_name_what_is_missing_and_resume_runs_exactly_that, .timeout = 300)
{
  char* dir = vn_scratch("cl-missing");
  char* sc  = vn_scenario(dir, "s.xml", ATTRS, body);
  char* ref = reference(dir, sc);
  char* out = vn_path(dir, "out");
  char* err = NULL;
  /* shard 0/4 runs, shard 1/4 has a point that crashes (5), shards 2/4 and 3/4 never run */
  cr_assert_eq(vn_run_deadline(120, NULL, NULL, &err, "run '%s' -o '%s' --shard 0/4 -q", sc, out), 0, "%s", err);
  free(err);
  setenv("VNICSIM_FAULT", "crash:5", 1);
  int rc = vn_run_deadline(120, NULL, NULL, &err, "run '%s' -o '%s' --shard 1/4 -q", sc, out);
  unsetenv("VNICSIM_FAULT");
  cr_expect_eq(rc, 1, "a shard with a failed point: exit %d", rc);
  free(err);
  rc = vn_run_deadline(60, NULL, NULL, &err, "merge '%s'", out);
  cr_expect_eq(rc, 1, "merge with points missing: exit %d", rc);
  cr_expect(strstr(err, "3 of 8 points are ok; 4 missing: 2-3,6-7; 1 failed: 5") != NULL, "merge names them: %s", err);
  cr_expect(strstr(err, "--resume") != NULL, "merge says how to run them: %s", err);
  free(err);
  csv_t t = vn_results(out);
  cr_expect_eq(csv_row_count(t), 4, "the merged table holds the points there are (3 ok, 1 failed)");
  csv_free(t);
  char* sout = NULL;
  rc         = vn_run_deadline(60, NULL, &sout, &err, "status '%s'", out);
  cr_expect_eq(rc, 1, "status: exit %d (%s)", rc, err);
  cr_expect(strstr(sout, "missing       4: 2-3,6-7") != NULL && strstr(sout, "failed        1: 5") != NULL, "%s", sout);
  cr_expect(strstr(sout, "wall time:") != NULL && strstr(sout, "left for the other 5") != NULL, "%s", sout);
  free(sout);
  free(err);
  rc = vn_run_deadline(60, NULL, &sout, &err, "status '%s' --missing", out);
  cr_expect_str_eq(sout, "2-3,5-7\n", "status --missing lists the points to run");
  free(sout);
  free(err);
  /* --resume runs exactly those 5, into the directory's own tables */
  rc = vn_run_deadline(120, NULL, NULL, &err, "run '%s' -o '%s' --resume", sc, out);
  cr_expect_eq(rc, 0, "resume: exit %d (%s)", rc, err);
  cr_expect(strstr(err, "8 points (3 kept from the earlier run, 5 to run)") != NULL, "resume runs exactly 5: %s", err);
  free(err);
  expect_same_as(ref, out, "resumed");
  cr_expect_eq(vn_run_deadline(60, NULL, NULL, &err, "merge '%s'", out), 0, "%s", err);
  free(err);
  expect_same_as(ref, out, "merged after the resume");
  /* a fresh run of every point into a directory with parts is refused */
  rc = vn_run_deadline(60, NULL, NULL, &err, "run '%s' -o '%s'", sc, out);
  cr_expect_eq(rc, 2, "a fresh run over parts: exit %d", rc);
  cr_expect(strstr(err, "holds the parts of a run split into shards") != NULL, "%s", err);
  free(err);
  free(out);
  free(ref);
  free(sc);
  free(dir);
}

Test(cluster, points_of_another_experiment_are_refused_naming_the_difference, .timeout = 300)
{
  char* dir = vn_scratch("cl-mix");
  char* sc  = vn_scenario(dir, "s.xml", ATTRS, body);
  char* out = vn_path(dir, "out");
  char* err = NULL;
  cr_assert_eq(vn_run_deadline(120, NULL, NULL, &err, "run '%s' -o '%s' -q", sc, out), 0, "%s", err);
  free(err);
  char* before = slurp_in(out, "results.csv");
  /* the scenario edited in place: cores-per-host 2 -> 8 */
  char* text = vn_slurp(sc, NULL);
  char* at   = strstr(text, "cores-per-host=\"2\"");
  cr_assert_not_null(at);
  at[strlen("cores-per-host=\"")] = '8';
  vn_write(sc, text);
  int rc = vn_run_deadline(60, NULL, NULL, &err, "run '%s' -o '%s' --resume", sc, out);
  cr_expect_eq(rc, 2, "resume of a changed scenario: exit %d (%s)", rc, err);
  cr_expect(strstr(err, "consumers.cores-per-host is 2 there, 8 in the scenario") != NULL, "%s", err);
  free(err);
  rc = vn_run_deadline(60, NULL, NULL, &err, "merge '%s'", out);
  cr_expect_eq(rc, 2, "merge against a changed scenario: exit %d", rc);
  cr_expect(strstr(err, "consumers.cores-per-host is 2 there, 8 in the scenario") != NULL, "%s", err);
  free(err);
  rc = vn_run_deadline(60, NULL, NULL, &err, "status '%s'", out);
  cr_expect_eq(rc, 2, "status against a changed scenario: exit %d", rc);
  free(err);
  at[strlen("cores-per-host=\"")] = '2';
  vn_write(sc, text);
  free(text);
  /* a --set that changes a parameter */
  rc = vn_run_deadline(60, NULL, NULL, &err, "run '%s' -o '%s' --resume --set workload.requests=500", sc, out);
  cr_expect_eq(rc, 2, "resume with another --set: exit %d", rc);
  cr_expect(strstr(err, "workload.requests is 300 there, 500 in the scenario") != NULL, "%s", err);
  free(err);
  /* a SimGrid setting that changes results is part of the experiment; a context setting is not */
  rc = vn_run_deadline(60, NULL, NULL, &err, "run '%s' -o '%s' --resume --cfg=network/TCP-gamma:1000", sc, out);
  cr_expect_eq(rc, 2, "resume with another --cfg: exit %d", rc);
  cr_expect(strstr(err, "cfg:network/TCP-gamma is 1000 in the scenario and not set there") != NULL, "%s", err);
  free(err);
  rc = vn_run_deadline(60, NULL, NULL, &err, "run '%s' -o '%s' --resume -q --cfg=contexts/stack-size:256", sc, out);
  cr_expect_eq(rc, 0, "resume with a context setting: exit %d (%s)", rc, err);
  free(err);
  char* after = slurp_in(out, "results.csv");
  cr_expect_str_eq(after, before, "a refused resume changed results.csv");
  free(after);
  free(before);
  /* the part of another scenario copied into the directory */
  char* other = vn_scenario(dir, "other.xml", "name=\"other\" replications=\"2\"", body);
  char* odir  = vn_path(dir, "other");
  cr_assert_eq(vn_run_deadline(120, NULL, NULL, &err, "run '%s' -o '%s' --shard 1/2 -q --set workload.requests=200",
                               other, odir),
               0, "%s", err);
  free(err);
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "mkdir -p '%s/parts' && cp -r '%s/parts/shard-1-of-2' '%s/parts/'", out, odir, out);
  cr_assert_eq(system(cmd), 0);
  const char* verbs[] = {"merge", "status"};
  for (int v = 0; v < 2; v++) {
    rc = vn_run_deadline(60, NULL, NULL, &err, "%s '%s'", verbs[v], out);
    cr_expect_eq(rc, 2, "%s with a foreign part: exit %d (%s)", verbs[v], rc, err);
    cr_expect(strstr(err, "shard-1-of-2: holds point 1 of another experiment: scenario.name is other there, cl in "
                          "the scenario") != NULL,
              "%s: %s", verbs[v], err);
    free(err);
  }
  rc = vn_run_deadline(60, NULL, NULL, &err, "run '%s' -o '%s' --resume", sc, out);
  cr_expect_eq(rc, 2, "resume with a foreign part: exit %d (%s)", rc, err);
  free(err);
  free(odir);
  free(other);
  free(out);
  free(sc);
  free(dir);
}

Test(cluster, check_estimates_and_the_memory_limit_refuses, .timeout = 180)
{
  char* dir  = vn_scratch("cl-mem");
  char* sc   = vn_scenario(dir, "s.xml", ATTRS, body);
  char* sout = NULL;
  char* err  = NULL;
  int rc     = vn_run_deadline(60, NULL, &sout, &err, "check '%s'", sc);
  cr_expect_eq(rc, 0, "check: exit %d (%s)", rc, err);
  cr_expect(strstr(sout, "8 run points") != NULL, "%s", sout);
  cr_expect(strstr(sout, "largest point: point 0") != NULL && strstr(sout, "1 hosts, 4 actors, 600 WRs") != NULL,
            "check names the largest point, its actors and WRs: %s", sout);
  cr_expect(strstr(sout, "memory: about") != NULL && strstr(sout, "this machine's physical memory") != NULL, "%s",
            sout);
  cr_expect(strstr(sout, "wall time: about") != NULL && strstr(sout, "steps/s") != NULL, "%s", sout);
  free(sout);
  free(err);
  rc = vn_run_deadline(60, NULL, &sout, &err, "check '%s' --memory-limit 10MB", sc);
  cr_expect_eq(rc, 2, "check above the limit: exit %d", rc);
  cr_expect(strstr(err, "needs an estimated") != NULL && strstr(err, "of --memory-limit") != NULL &&
                strstr(err, "(8 points in all)") != NULL,
            "the refusal gives the estimate and how to get past it: %s", err);
  free(sout);
  free(err);
  char* out = vn_path(dir, "out");
  rc        = vn_run_deadline(60, NULL, NULL, &err, "run '%s' -o '%s' --memory-limit 10MB", sc, out);
  cr_expect_eq(rc, 2, "run above the limit: exit %d", rc);
  cr_expect(access(out, F_OK) != 0, "a refused run created its directory");
  free(err);
  rc = vn_run_deadline(60, NULL, NULL, &err, "run '%s' -o '%s' --memory-limit 2GiB -q", sc, out);
  cr_expect_eq(rc, 0, "%s", err);
  free(err);
  char* m = slurp_in(out, "manifest.json");
  cr_expect(m && strstr(m, "\"memory_limit_B\": 2147483648") && strstr(m, "\"memory_limit_from\": \"--memory-limit\""),
            "the manifest records the limit");
  free(m);
  rc = vn_run_deadline(60, NULL, NULL, &err, "check '%s' --memory-limit 12", sc);
  cr_expect_eq(rc, 2, "a limit without a unit: exit %d", rc);
  free(err);
  free(out);
  free(sc);
  free(dir);
}

Test(cluster, submit_writes_batch_scripts_whose_tasks_give_the_same_bytes, .timeout = 300)
{
  char* dir = vn_scratch("cl-submit");
  char* sc  = vn_scenario(dir, "s.xml", ATTRS, body);
  char* ref = reference_with(dir, sc, "--set workload.requests=300");
  char* out = vn_path(dir, "out");
  char* err = NULL;
  int rc    = vn_run_deadline(60, NULL, NULL, &err, "submit '%s' -o '%s'", sc, out);
  cr_expect_eq(rc, 2, "submit without --slurm: exit %d", rc);
  free(err);
  rc = vn_run_deadline(60, NULL, NULL, &err,
                       "submit '%s' -o '%s' --slurm --tasks 3 --dry-run --partition short --sbatch-arg=--account=x "
                       "--set workload.requests=300",
                       sc, out);
  cr_expect_eq(rc, 0, "submit --dry-run: exit %d (%s)", rc, err);
  free(err);
  char* script = slurp_in(out, "slurm/1-tasks.sbatch");
  cr_assert_not_null(script, "no batch script");
  cr_expect(strstr(script, "#SBATCH --array=0-2\n") && strstr(script, "#SBATCH --partition=short\n") &&
                strstr(script, "#SBATCH --account=x\n") && strstr(script, "#SBATCH --mem=") &&
                strstr(script, "#SBATCH --time="),
            "%s", script);
  cr_expect(strstr(script, " --shard 2/3 --resume --set workload.requests=300") != NULL,
            "each task's exact command: %s", script);
  free(script);
  char* sub = slurp_in(out, "slurm/1-submit.sh");
  cr_expect(sub && strstr(sub, "--dependency=afterany:$tasks"), "the merge waits for every task: %s", sub);
  free(sub);
  cr_expect(exists_in(out, "slurm/1-merge.sbatch"), "no merge script");
  /* the tasks as Slurm runs them, by hand, in any order, then the merge job */
  const char* order[] = {"2", "0", "1"};
  for (int i = 0; i < 3; i++) {
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "SLURM_ARRAY_TASK_ID=%s bash '%s/slurm/1-tasks.sbatch' > /dev/null 2>&1", order[i], out);
    cr_expect_eq(system(cmd), 0, "task %s", order[i]);
  }
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "bash '%s/slurm/1-merge.sbatch' 2>/dev/null", out);
  cr_expect_eq(system(cmd), 0, "the merge job");
  expect_same_as(ref, out, "tasks of the batch script");
  /* a second submission without --resume is refused; with it, there is nothing left to submit */
  rc = vn_run_deadline(60, NULL, NULL, &err, "submit '%s' -o '%s' --slurm --dry-run", sc, out);
  cr_expect_eq(rc, 2, "submitting over results: exit %d", rc);
  cr_expect(strstr(err, "holds results already") != NULL, "%s", err);
  free(err);
  rc = vn_run_deadline(60, NULL, NULL, &err, "submit '%s' -o '%s' --slurm --dry-run --resume", sc, out);
  cr_expect_eq(rc, 0, "%s", err);
  cr_expect(strstr(err, "nothing to submit") != NULL, "%s", err);
  free(err);
  /* --resume lists the points missing, spread over the tasks */
  snprintf(cmd, sizeof cmd, "rm -rf '%s/parts/shard-1-of-3' '%s/results.csv' '%s/hosts.csv' '%s/checks.csv'", out, out,
           out, out);
  cr_assert_eq(system(cmd), 0);
  rc = vn_run_deadline(60, NULL, NULL, &err, "submit '%s' -o '%s' --slurm --dry-run --resume --tasks 2", sc, out);
  cr_expect_eq(rc, 0, "%s", err);
  free(err);
  script = slurp_in(out, "slurm/2-tasks.sbatch");
  cr_expect(script && strstr(script, "--points 1,7 --resume") && strstr(script, "--points 4 --resume"),
            "the missing points 1, 4 and 7 in two tasks: %s", script);
  free(script);
  rc = vn_run_deadline(60, NULL, NULL, &err, "submit '%s' -o '%s/y' --slurm --dry-run --mem 2M", sc, dir);
  cr_expect_eq(rc, 2, "--mem below the estimate: exit %d", rc);
  cr_expect(strstr(err, "give more with --mem") != NULL, "%s", err);
  free(err);
  free(out);
  free(ref);
  free(sc);
  free(dir);
}

/* Every file and directory below @p dir with its size, one a line, sorted: what a refused command must leave alone. */
static char* listing(const char* dir)
{
  char* cmd = NULL;
  cr_assert(asprintf(&cmd, "cd '%s' && find . -printf '%%p %%s\\n' | sort", dir) > 0);
  FILE* p = popen(cmd, "r");
  cr_assert_not_null(p);
  char* text = NULL;
  size_t len = 0;
  FILE* m    = open_memstream(&text, &len);
  char buf[4096];
  for (size_t k; (k = fread(buf, 1, sizeof buf, p)) > 0;)
    fwrite(buf, 1, k, m);
  fclose(m);
  pclose(p);
  free(cmd);
  return text;
}

/* `vnicsim ARGS` (with PATH set to @p path unless NULL) is refused: exit status 2, one line on stderr holding
 * @p needle, and @p dir left as it was. */
static void expect_refused_with_path(const char* dir, const char* path, const char* needle, const char* args)
{
  char* before = listing(dir);
  char* err    = NULL;
  char* out    = NULL;
  char* saved  = path != NULL ? strdup(getenv("PATH")) : NULL;
  if (path != NULL)
    setenv("PATH", path, 1);
  int rc = vn_run_deadline(60, NULL, &out, &err, "%s", args);
  if (path != NULL) {
    setenv("PATH", saved, 1);
    free(saved);
  }
  char* after = listing(dir);
  cr_expect_eq(rc, 2, "%s: exit %d, not 2 (%s)", args, rc, err);
  cr_expect_eq(vn_line_count(err), 1, "%s: not one line: %s", args, err);
  cr_expect(strstr(err, needle) != NULL, "%s: the message does not say \"%s\": %s", args, needle, err);
  cr_expect_str_eq(after, before, "%s: created or changed files", args);
  free(before);
  free(after);
  free(err);
  free(out);
}

static void expect_refused(const char* dir, const char* needle, const char* args)
{
  expect_refused_with_path(dir, NULL, needle, args);
}

Test(cluster, hostile_selections_and_directories_are_refused_on_one_line_creating_nothing, .timeout = 300)
{
  char* dir = vn_scratch("cl-hostile");
  char* sc  = vn_scenario(dir, "s.xml", ATTRS, body);
  char args[8192];
  /* selections: the run directory is never created */
  const char* const selections[][2] = {
      {"--shard 0/0", "N must be from 1 to 100000"},
      {"--shard 5/3", "K from 0 to N-1"},
      {"--shard -1/2", "--shard needs K/N"},
      {"--shard 1/99999999999999999999", "--shard needs K/N"},
      {"--shard 1/2/3", "--shard needs K/N"},
      {"--shard 1", "--shard needs K/N"},
      {"--points 5-3", "the range 5-3 runs backwards"},
      {"--points 1,,2", "is not a point index or a range"},
      {"--points a-b", "is not a point index or a range"},
      {"--points ' 1'", "is not a point index or a range"},
      {"--points 99999999999999999999", "is not a point index or a range"},
      {"--points 0-2,7-9", "point 9 is not a point of this scenario, which has 8"},
      {"--points 8", "point 8 is not a point of this scenario"},
      {"--shard 0/2 --points 1", "give one of them"},
  };
  for (size_t i = 0; i < sizeof selections / sizeof selections[0]; i++) {
    snprintf(args, sizeof args, "run '%s' -o '%s/x' %s", sc, dir, selections[i][0]);
    expect_refused(dir, selections[i][1], args);
  }
  /* overlapping ranges in one list are their union */
  char* out = vn_path(dir, "out");
  char* err = NULL;
  cr_expect_eq(vn_run_deadline(120, NULL, NULL, &err, "run '%s' -o '%s' --points 0-2,1-3,3 -q", sc, out), 0, "%s", err);
  free(err);
  csv_t t = table_in(out, "parts/points-0-3", "results.csv");
  cr_expect_eq(csv_row_count(t), 4, "--points 0-2,1-3,3 runs points 0 to 3 once each");
  csv_free(t);

  /* directories that are not run directories, or whose parts are damaged */
  char* empty = vn_path(dir, "empty");
  cr_assert_eq(mkdir(empty, 0755), 0);
  snprintf(args, sizeof args, "merge '%s'", empty);
  expect_refused(dir, "is not a run directory", args);
  snprintf(args, sizeof args, "status '%s'", dir);
  expect_refused(dir, "is not a run directory", args);
  snprintf(args, sizeof args, "merge '%s/none'", dir);
  expect_refused(dir, "cannot open the run directory", args);
  char cmd[8192];
  /* a part's results.csv without its last byte, the line end: every column is still there and the row reads "ok" */
  snprintf(cmd, sizeof cmd,
           "cd '%s/parts/points-0-3' && cp results.csv ../whole.csv && head -c -1 results.csv > t && mv t results.csv",
           out);
  cr_assert_eq(system(cmd), 0);
  snprintf(args, sizeof args, "merge '%s'", out);
  expect_refused(dir, "results.csv: ends in the middle of a line: the file was cut short", args);
  snprintf(args, sizeof args, "status '%s'", out);
  expect_refused(dir, "cut short", args);
  snprintf(args, sizeof args, "run '%s' -o '%s' --resume", sc, out);
  expect_refused(dir, "cut short", args);
  /* a part's table that is a directory */
  snprintf(cmd, sizeof cmd,
           "cd '%s/parts/points-0-3' && mv ../whole.csv results.csv && rm hosts.csv && mkdir hosts.csv", out);
  cr_assert_eq(system(cmd), 0);
  snprintf(args, sizeof args, "merge '%s'", out);
  expect_refused(dir, "hosts.csv: a directory, not a file vnicsim wrote", args);

  /* submit's options that go into the batch scripts */
  const char* const submits[][2] = {
      {"--time 1h", "not a Slurm time limit"},
      {"--time 1:2:3:4", "not a Slurm time limit"},
      {"--mem 4X", "not a Slurm memory size"},
      {"--partition 'a b'", "not a partition name"},
      {"--sbatch-arg=account=x", "not one sbatch option on one line"},
      {"--sbatch-arg=\"$(printf -- '--account=x\\necho injected')\"", "not one sbatch option on one line"},
      {"--tasks 0", "--tasks"},
  };
  for (size_t i = 0; i < sizeof submits / sizeof submits[0]; i++) {
    snprintf(args, sizeof args, "submit '%s' -o '%s/y' --slurm --dry-run %s", sc, dir, submits[i][0]);
    expect_refused(dir, submits[i][1], args);
  }
  /* submit without sbatch: nothing written */
  snprintf(args, sizeof args, "submit '%s' -o '%s/y' --slurm", sc, dir);
  expect_refused_with_path(dir, "/nonexistent", "sbatch is not in PATH", args);
  free(empty);
  free(out);
  free(sc);
  free(dir);
}

/* The wall-time estimate of a closed loop that fills the network grows with the transfers in flight, as the flow
 * solver's work does: bench/saturated-128.xml keeps 8,192 in flight and ran 55 s, which the light-network estimate
 * put at 2.75 s (a Slurm --time from it would have killed the task). Only the estimate is computed: nothing runs. */
Test(cluster, check_estimates_a_saturated_network_from_its_transfers_in_flight, .timeout = 120)
{
  char *sout = NULL, *err = NULL;
  int rc = vn_run_deadline(60, NULL, &sout, &err, "check '" VNICSIM_SOURCE_DIR "/bench/saturated-128.xml'");
  cr_assert_eq(rc, 0, "check: exit %d (%s)", rc, err);
  cr_expect(strstr(sout, "with up to 8.19e+03 transfers in flight") != NULL, "%s", sout);
  const char* w = strstr(sout, "wall time: about ");
  cr_assert(w != NULL, "%s", sout);
  double s     = 0;
  char unit[8] = "";
  cr_assert_eq(sscanf(w, "wall time: about %lf %7s", &s, unit), 2, "%s", w);
  cr_expect_str_eq(unit, "s", "%s", w);
  cr_expect(s > 40 && s < 80, "55 s measured, estimated %g s", s);
  free(sout);
  free(err);
  /* A window larger than a consumer's 30 WRs puts all of them in flight at once, not a billion per consumer. */
  rc = vn_run_deadline(60, NULL, &sout, &err,
                       "check '" VNICSIM_SOURCE_DIR "/bench/saturated-128.xml' --set workload.window=1000000000");
  cr_assert_eq(rc, 0, "check: exit %d (%s)", rc, err);
  cr_expect(strstr(sout, "with up to 1.23e+05 transfers in flight") != NULL, "%s", sout);
  cr_expect(strstr(sout, "wall time: about 1 h ") != NULL, "%s", sout);
  free(sout);
  free(err);
}

/* A default time limit past a year is refused, with the estimate, before anything is written: the limit was computed
 * in a long that overflowed, and submit wrote --time=10 for a point estimated at 10^20 hours. --time overrides. */
Test(cluster, submit_refuses_a_default_time_limit_past_a_year, .timeout = 120)
{
  char* dir       = vn_scratch("cl-submit-year");
  char* out       = vn_path(dir, "out");
  const char* big = "--set workload.requests=100000000 --set workload.window=100000000 --memory-limit 1000TB";
  char* err       = NULL;
  int rc =
      vn_run_deadline(60, NULL, NULL, &err,
                      "submit '" VNICSIM_SOURCE_DIR "/bench/saturated-128.xml' -o '%s' --slurm --dry-run %s", out, big);
  cr_expect_eq(rc, 2, "exit %d (%s)", rc, err);
  cr_expect(strstr(err, "--time not given and a task is estimated to run about") != NULL &&
                strstr(err, "would pass a year") != NULL,
            "%s", err);
  cr_expect(access(out, F_OK) != 0, "a refused submission created its directory");
  free(err);
  /* with --time, the memory it would ask for by itself is past any node's: refused too, and --mem overrides */
  rc = vn_run_deadline(60, NULL, NULL, &err,
                       "submit '" VNICSIM_SOURCE_DIR
                       "/bench/saturated-128.xml' -o '%s' --slurm --dry-run %s --time 2-00:00:00",
                       out, big);
  cr_expect_eq(rc, 2, "with --time and no --mem: exit %d (%s)", rc, err);
  cr_expect(strstr(err, "--mem not given and a task is estimated to need about") != NULL &&
                strstr(err, "more than any node has") != NULL,
            "%s", err);
  cr_expect(access(out, F_OK) != 0, "a refused submission created its directory");
  free(err);
  rc = vn_run_deadline(60, NULL, NULL, &err,
                       "submit '" VNICSIM_SOURCE_DIR
                       "/bench/saturated-128.xml' -o '%s' --slurm --dry-run %s --time 2-00:00:00 --mem 900T",
                       out, big);
  cr_expect_eq(rc, 0, "with --time and --mem: exit %d (%s)", rc, err);
  free(err);
  free(out);
  free(dir);
}
