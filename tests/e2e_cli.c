/* e2e_cli: the vnicsim command as a user meets it: bad input is a one-line error with exit status 2 and nothing
 * written; failed points are reported and the sweep goes on; interrupted runs keep what finished and resume;
 * plot, compare and ns-3 runs work on real output. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vn_test.h"

#define BAD_DIR VNICSIM_TESTS_DIR "/bad"

static int exists(const char* path)
{
  struct stat st;
  return stat(path, &st) == 0;
}

/* The expected line of each broken file, from tests/bad/EXPECT. */
static int expected_line(const char* file)
{
  FILE* f = fopen(BAD_DIR "/EXPECT", "r");
  cr_assert_not_null(f);
  char line[2048], name[256];
  int n = -1, l;
  while (fgets(line, sizeof line, f))
    if (line[0] != '#' && sscanf(line, "%255s %d", name, &l) == 2 && strcmp(name, file) == 0)
      n = l;
  fclose(f);
  return n;
}

Test(cli, every_broken_scenario_is_exit_2_with_its_location_and_no_output, .timeout = 300)
{
  char* dir = vn_scratch("cli-bad");
  DIR* d    = opendir(BAD_DIR);
  cr_assert_not_null(d);
  int cases = 0;
  for (struct dirent* e; (e = readdir(d)) != NULL;) {
    size_t len = strlen(e->d_name);
    if (len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0)
      continue;
    int line = expected_line(e->d_name);
    if (line < 0)
      continue; /* a file only other files refer to (e.g. an included platform) */
    char out[4096];
    snprintf(out, sizeof out, "%s/out-%d", dir, cases);
    char* err = NULL;
    int rc    = vn_run(NULL, &err, "run '" BAD_DIR "/%s' -o '%s'", e->d_name, out);
    cr_expect_eq(rc, 2, "%s: exit status %d, expected 2 (stderr: %s)", e->d_name, rc, err);
    cr_expect(strncmp(err, "vnicsim: error: ", 16) == 0, "%s: stderr does not start with the error: %s", e->d_name,
              err);
    cr_expect(strstr(err, e->d_name) != NULL, "%s: the message does not name the file: %s", e->d_name, err);
    if (line > 0) {
      char at[64];
      snprintf(at, sizeof at, ".xml:%d:", line);
      cr_expect(strstr(err, at) != NULL, "%s: the message does not give line %d: %s", e->d_name, line, err);
    }
    cr_expect(strchr(err, '\n') == err + strlen(err) - 1, "%s: more than one line: %s", e->d_name, err);
    cr_expect_not(exists(out), "%s: the output directory was created for a bad scenario", e->d_name);
    free(err);
    cases++;
  }
  closedir(d);
  cr_expect_geq(cases, 60, "the corpus has %d broken scenarios", cases);
  free(dir);
}

Test(cli, bad_set_and_options_are_exit_2)
{
  char* dir         = vn_scratch("cli-opts");
  const char* good  = VNICSIM_TESTS_DIR "/fixtures/minimal.xml";
  const char* bad[] = {
      "run '%s' --set nic.queue-depth=0",
      "run '%s' --set nic.service-time=200",
      "run '%s' --set nic.bogus=1",
      "run '%s' --set queue-depth",
      "run '%s' --set workload.rate=2Mps",
      "run '%s' -j 0",
      "run '%s' -j x",
      "run '%s' --point-timeout -1",
      "run '%s' --frobnicate",
      "run '%s' '%s'",
      "check '%s' --set access.mode=Lock",
      "run '%s' --set platform.file=/nonexistent.xml",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd, bad[i], good, good);
    char* err = NULL;
    int rc    = vn_run(NULL, &err, "%s -o '%s/out'", cmd, dir);
    cr_expect_eq(rc, 2, "'%s': exit %d: %s", cmd, rc, err);
    cr_expect(strncmp(err, "vnicsim: error: ", 16) == 0, "'%s': %s", cmd, err);
    free(err);
  }
  cr_expect_not(exists("out"));
  char path[4096];
  snprintf(path, sizeof path, "%s/out", dir);
  cr_expect_not(exists(path), "a rejected command created its output directory");
  cr_expect_eq(vn_run(NULL, NULL, "frobnicate"), 2);
  cr_expect_eq(vn_run(NULL, NULL, "run /nonexistent/scenario.xml"), 2);
  cr_expect_eq(vn_run(NULL, NULL, "%s", ""), 2);
  free(dir);
}

Test(cli, shipped_scenarios_are_valid, .timeout = 120)
{
  DIR* d = opendir(VNICSIM_SOURCE_DIR "/scenarios");
  cr_assert_not_null(d);
  int n = 0;
  for (struct dirent* e; (e = readdir(d)) != NULL;) {
    size_t len = strlen(e->d_name);
    if (len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0)
      continue;
    char* err = NULL;
    int rc    = vn_run(NULL, &err, "check '" VNICSIM_SOURCE_DIR "/scenarios/%s'", e->d_name);
    cr_expect_eq(rc, 0, "%s: %s", e->d_name, err);
    free(err);
    n++;
  }
  closedir(d);
  cr_expect_geq(n, 4);
}

/* Host names the platform does not have are refused by the platform check, with the scenario's line; a list
 * written with blanks instead of commas gets a hint. */
Test(cli, unknown_host_names_are_refused_with_their_line, .timeout = 120)
{
  char* dir = vn_scratch("cli-hosts");
  char* err = NULL;
  char* sc  = vn_scenario(dir, "a.xml", "name=\"hosts\"",
                          "  <platform file=\"@PLATFORMS@/flat-16.xml\" hosts=\"node-0,node-99\"/>\n"
                           "  <workload pattern=\"uniform\" requests=\"10\"/>\n");
  cr_expect_eq(vn_run(NULL, &err, "check '%s'", sc), 2);
  cr_expect(strstr(err, "a.xml:3: <platform hosts=\"node-0,node-99\">: host 'node-99' is not in ") != NULL, "%s", err);
  cr_expect(strstr(err, "separated by commas") == NULL, "%s", err);
  free(err);
  free(sc);
  sc = vn_scenario(dir, "b.xml", "name=\"hosts\"",
                   "  <platform file=\"@PLATFORMS@/flat-16.xml\" hosts=\"node-0 node-1\"/>\n"
                   "  <workload pattern=\"uniform\" requests=\"10\"/>\n");
  cr_expect_eq(vn_run(NULL, &err, "run '%s' -o '%s/out'", sc, dir), 2);
  cr_expect(strstr(err, "host 'node-0 node-1' is not in ") != NULL &&
                strstr(err, "(host names are separated by commas)"),
            "%s", err);
  char out[4300];
  snprintf(out, sizeof out, "%s/out", dir);
  struct stat st;
  cr_expect_neq(stat(out, &st), 0, "a refused run creates no output directory");
  free(err);
  free(sc);
  free(dir);
}

/* A platform with a route missing between two hosts the platform check does not pair (it asks for host i to i+1 and
 * host 0 to every host): SimGrid refuses the first WR sent over it, and the point is a failed row with its reason. */
Test(cli, a_route_missing_during_the_run_fails_its_point, .timeout = 120)
{
  char* dir = vn_scratch("cli-noroute");
  char path[4200];
  snprintf(path, sizeof path, "%s/plat.xml", dir);
  vn_write(path, "<?xml version='1.0'?>\n"
                 "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                 "<platform version=\"4.1\">\n"
                 "  <zone id=\"z\" routing=\"Full\">\n"
                 "    <host id=\"A\" speed=\"1Gf\"/><host id=\"B\" speed=\"1Gf\"/>\n"
                 "    <host id=\"C\" speed=\"1Gf\"/><host id=\"D\" speed=\"1Gf\"/>\n"
                 "    <link id=\"l\" bandwidth=\"10GBps\" latency=\"1us\"/>\n"
                 "    <route src=\"A\" dst=\"B\"><link_ctn id=\"l\"/></route>\n"
                 "    <route src=\"B\" dst=\"C\"><link_ctn id=\"l\"/></route>\n"
                 "    <route src=\"C\" dst=\"D\"><link_ctn id=\"l\"/></route>\n"
                 "    <route src=\"D\" dst=\"A\"><link_ctn id=\"l\"/></route>\n"
                 "    <route src=\"A\" dst=\"C\"><link_ctn id=\"l\"/></route>\n"
                 "  </zone>\n"
                 "</platform>\n");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"noroute\" seed=\"1\"",
                          "  <platform file=\"plat.xml\"/>\n"
                           "  <workload pattern=\"uniform\" requests=\"200\"/>\n");
  char* err = NULL;
  cr_expect_eq(vn_run(NULL, NULL, "check '%s'", sc), 0, "the pairs the check asks for all have routes");
  int rc = vn_run(NULL, &err, "run '%s' -o '%s/out'", sc, dir);
  cr_expect_eq(rc, 1, "a failed point makes the run exit 1: %s", err);
  cr_expect(strstr(err, "FAILED") != NULL && strstr(strstr(err, "FAILED"), "no connecting path") != NULL,
            "the progress line of a failed point gives its reason: %s", err);
  free(err);
  char out[4300];
  snprintf(out, sizeof out, "%s/out", dir);
  csv_t t = vn_results(out);
  cr_assert_eq(csv_row_count(t), 1);
  cr_expect_str_eq(vn_text(t, 0, "status"), "failed");
  cr_expect(strstr(vn_text(t, 0, "reason"), "no connecting path") != NULL, "reason: %s", vn_text(t, 0, "reason"));
  csv_free(t);
  free(sc);
  free(dir);
}

static const char* small = "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
                           "  <consumers cores-per-host=\"4\"/>\n"
                           "  <workload arrival=\"closed\" think=\"1us\" requests=\"3000\"/>\n"
                           "  <sweep param=\"access.mode\" values=\"speculative lock\"/>\n"
                           "  <sweep param=\"nic.queue-depth\" values=\"4 16 64\"/>\n";

Test(cli, a_crashing_point_is_reported_and_the_sweep_goes_on, .timeout = 120)
{
  char* dir = vn_scratch("cli-crash");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"crash\"", small);
  int rc;
  /* point 2 aborts, point 4 never ends and is killed by the timeout */
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "sh -c \"VNICSIM_FAULT=crash:2 '%s' run '%s' -o '%s/crash' -j2\" 2>/dev/null", VNICSIM_BIN,
           sc, dir);
  rc = system(cmd);
  cr_expect_eq(WEXITSTATUS(rc), 1, "failed points make the run exit 1");
  snprintf(cmd, sizeof cmd,
           "sh -c \"VNICSIM_FAULT=hang:4 '%s' run '%s' -o '%s/hang' -j2 --point-timeout 3\" 2>/dev/null", VNICSIM_BIN,
           sc, dir);
  rc = system(cmd);
  cr_expect_eq(WEXITSTATUS(rc), 1);
  char out[4096];
  snprintf(out, sizeof out, "%s/crash", dir);
  csv_t t = vn_results(out);
  cr_assert_eq(csv_row_count(t), 6, "every point has its row");
  for (size_t r = 0; r < 6; r++) {
    if (r == 2) {
      cr_expect_str_eq(vn_text(t, r, "status"), "failed");
      cr_expect(strstr(vn_text(t, r, "reason"), "signal 6") != NULL, "reason: %s", vn_text(t, r, "reason"));
      cr_expect_str_eq(vn_text(t, r, "nic.queue-depth"), "64", "a failed row keeps its parameters");
      cr_expect_str_eq(vn_text(t, r, "throughput_wr_s"), "");
    } else {
      cr_expect_str_eq(vn_text(t, r, "status"), "ok");
    }
  }
  csv_free(t);
  snprintf(out, sizeof out, "%s/hang", dir);
  t = vn_results(out);
  cr_expect_str_eq(vn_text(t, 4, "status"), "failed");
  cr_expect(strstr(vn_text(t, 4, "reason"), "timeout") != NULL, "reason: %s", vn_text(t, 4, "reason"));
  cr_expect_str_eq(vn_text(t, 5, "status"), "ok");
  csv_free(t);
  free(sc);
  free(dir);
}

Test(cli, an_interrupted_run_keeps_its_points_and_resumes_to_the_same_bytes, .timeout = 300)
{
  char* dir = vn_scratch("cli-resume");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"resume\"", small);
  char out[4096], ref[4096], results[4200];
  snprintf(out, sizeof out, "%s/out", dir);
  snprintf(ref, sizeof ref, "%s/ref", dir);
  snprintf(results, sizeof results, "%s/results.csv", out);
  /* point 3 hangs, so the run is still going when it is interrupted */
  pid_t pid = fork();
  if (pid == 0) {
    setenv("VNICSIM_FAULT", "hang:3", 1);
    freopen("/dev/null", "w", stderr);
    execl(VNICSIM_BIN, VNICSIM_BIN, "run", sc, "-o", out, "-j1", (char*)NULL);
    _exit(127);
  }
  /* wait for points 0-2 to be written */
  for (int i = 0; i < 600; i++) {
    char* text = vn_slurp(results, NULL);
    int lines  = 0;
    for (char* p = text; p && *p; p++)
      lines += *p == '\n';
    free(text);
    if (lines >= 4)
      break;
    usleep(100000);
  }
  kill(pid, SIGTERM);
  int status;
  waitpid(pid, &status, 0);
  cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGTERM, "exit status %d", status);
  csv_t t = vn_results(out);
  cr_expect_eq(csv_row_count(t), 3, "the three finished points are on disk, whole");
  csv_free(t);
  char manifest[4200];
  snprintf(manifest, sizeof manifest, "%s/manifest.json", out);
  char* m = vn_slurp(manifest, NULL);
  cr_expect(m && strstr(m, "\"interrupted\": true"), "the manifest says it was interrupted");
  free(m);
  char* err = NULL;
  cr_expect_eq(vn_run(NULL, &err, "run '%s' -o '%s' --resume -j2", sc, out), 0, "%s", err);
  cr_expect(strstr(err, "3 kept") != NULL, "resume keeps the 3 finished points: %s", err);
  free(err);
  cr_expect_eq(vn_run(NULL, NULL, "run '%s' -o '%s' -j2", sc, ref), 0);
  const char* files[] = {"results.csv", "hosts.csv", "checks.csv"};
  for (int i = 0; i < 3; i++) {
    char a[4300], b[4300];
    snprintf(a, sizeof a, "%s/%s", out, files[i]);
    snprintf(b, sizeof b, "%s/%s", ref, files[i]);
    size_t la, lb;
    char* x = vn_slurp(a, &la);
    char* y = vn_slurp(b, &lb);
    cr_expect(x && y && la == lb && memcmp(x, y, la) == 0, "%s: resumed run differs from an uninterrupted one",
              files[i]);
    free(x);
    free(y);
  }
  free(sc);
  free(dir);
}

Test(cli, plot_and_compare_work_on_a_real_run, .timeout = 120)
{
  char* dir = vn_scratch("cli-plot");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"plot\" replications=\"2\"",
                          "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
                           "  <workload arrival=\"closed\" think=\"2us\" think-dist=\"exponential\" requests=\"500\"/>\n"
                           "  <sweep param=\"access.mode\" values=\"speculative lock\"/>\n"
                           "  <sweep param=\"consumers.cores-per-host\" values=\"1 2 4\"/>\n");
  cr_assert_eq(vn_run(NULL, NULL, "run '%s' -o '%s/out' -j2", sc, dir), 0);
  char* out = NULL;
  char* err = NULL;
  int rc    = vn_run(&out, &err, "plot '%s/out'", dir);
  cr_expect_eq(rc, 0, "%s", err);
  char png[4096];
  snprintf(png, sizeof png, "%s/out/plots/throughput.png", dir);
  size_t len;
  char* data = vn_slurp(png, &len);
  cr_expect(data && len > 8 && memcmp(data, "\x89PNG", 4) == 0, "no throughput plot");
  free(data);
  free(out);
  free(err);
  rc = vn_run(&out, &err, "compare '%s/out'", dir);
  cr_expect_eq(rc, 0, "%s", err);
  cr_expect(strstr(out, "throughput") && strstr(out, "lock"), "compare printed: %s", out);
  free(out);
  free(err);
  free(sc);
  free(dir);
}

Test(cli, ns3_runs_on_an_explicit_topology_and_refuses_a_compact_one, .timeout = 120)
{
  char* dir = vn_scratch("cli-ns3");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"ns3\"",
                          "  <platform file=\"@PLATFORMS@/fattree-16-explicit.xml\" network-model=\"ns-3\"/>\n"
                           "  <workload pattern=\"uniform\" requests=\"30\" size=\"4KiB\"/>\n");
  char* err = NULL;
  int rc    = vn_run(NULL, &err, "run '%s' -o '%s/out'", sc, dir);
  cr_expect_eq(rc, 0, "ns-3 run: exit %d: %s", rc, err);
  free(err);
  char out[4096];
  snprintf(out, sizeof out, "%s/out", dir);
  csv_t t = vn_results(out);
  cr_expect_str_eq(vn_text(t, 0, "status"), "ok");
  cr_expect_eq(vn_num(t, 0, "wr_delivered"), 16 * 30, "complete results despite ns-3's teardown");
  cr_expect_gt(vn_num(t, 0, "e2e_network_s"), 0);
  csv_free(t);
  free(sc);
  sc = vn_scenario(dir, "c.xml", "name=\"ns3c\"",
                   "  <platform file=\"@PLATFORMS@/fattree-16.xml\" network-model=\"ns-3\"/>\n"
                   "  <workload pattern=\"uniform\" requests=\"30\"/>\n");
  rc = vn_run(NULL, &err, "run '%s' -o '%s/out2'", sc, dir);
  cr_expect_eq(rc, 2);
  cr_expect(strstr(err, "one-hop") != NULL, "the refusal says why: %s", err);
  snprintf(out, sizeof out, "%s/out2", dir);
  cr_expect_not(exists(out));
  free(err);
  free(sc);
  free(dir);
}
