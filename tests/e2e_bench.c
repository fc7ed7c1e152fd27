/* e2e_bench: `vnicsim bench` through the binary: its table's columns, a network point (the bare program replays
 * vnicsim's messages, from few senders per host or from an actor per consumer), a looped-back point (it takes the
 * same number of steps), and bad options. Times are not
 * checked: they belong to the benchmark, not to a test. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vn_more.h"
#include "vn_test.h"

#define HEADER                                                                                                         \
  "point  sweep values                             WRs transfers   wall_s    run_s        WR/s  steps/WR  actors  "    \
  "bare_a   bare rate   bare unit   ratio    maxrss\n"

/* The figures of a table row that do not depend on the machine, and its ratio. */
typedef struct row {
  long point, wrs, transfers, actors, bare_actors;
  double steps_per_wr, ratio;
  char unit[32];
} row_t;

/* The first data row of @p out, after the column header: the point, the sweep values (any number of words), then
 * fourteen figures; *rest points past its line. */
static row_t first_row(const char* out, const char** rest)
{
  const char* line = strstr(out, HEADER);
  cr_assert(line != NULL, "no column header in:\n%s", out);
  line += strlen(HEADER);
  const char* end = strchr(line, '\n');
  cr_assert(end != NULL);
  char buf[512];
  snprintf(buf, sizeof buf, "%.*s", (int)(end - line), line);
  char* words[64];
  int n = 0;
  for (char* w = strtok(buf, " "); w != NULL && n < 64; w = strtok(NULL, " "))
    words[n++] = w;
  cr_assert_geq(n, 15, "a short row: %.*s", (int)(end - line), line);
  row_t r;
  r.point        = atol(words[0]);
  r.wrs          = atol(words[n - 13]);
  r.transfers    = atol(words[n - 12]);
  r.steps_per_wr = atof(words[n - 8]);
  r.actors       = atol(words[n - 7]);
  r.bare_actors  = atol(words[n - 6]);
  snprintf(r.unit, sizeof r.unit, "%s", words[n - 4]);
  r.ratio = atof(words[n - 3]);
  cr_expect_str_eq(words[n - 1], "MB");
  *rest = end + 1;
  return r;
}

/* The only data row of @p out, which the footer follows. */
static row_t only_row(const char* out)
{
  const char* rest;
  row_t r = first_row(out, &rest);
  cr_expect(strncmp(rest, "# WR/s and ratio use run_s", 26) == 0, "the footer follows the row");
  return r;
}

Test(bench, network_point_replays_the_messages)
{
  char *out, *err;
  int rc = vn_run(&out, &err,
                  "bench '" VNICSIM_SOURCE_DIR "/scenarios/cluster-uniform.xml' --point 0 "
                  "--set workload.requests=50");
  cr_assert_eq(rc, 0, "stderr: %s", err);
  cr_expect(strncmp(out, "# vnicsim bench: ", 17) == 0, "%s", out);
  row_t r = only_row(out);
  cr_expect_eq(r.point, 0);
  cr_expect_eq(r.wrs, 16 * 50, "16 hosts, one core each, 50 requests");
  cr_expect_gt(r.transfers, 0);
  cr_expect_leq(r.transfers, r.wrs);
  cr_expect_gt(r.steps_per_wr, 1);
  cr_expect_str_eq(r.unit, "messages/s");
  free(out);
  free(err);
}

/* Point 2 of cluster-uniform has 4 cores on each of its 16 hosts; with rare Poisson arrivals a host's messages
 * seldom overlap, so per host they need fewer senders than it has cores, while an actor per consumer needs at least
 * one for each of the 64. */
Test(bench, senders_per_host_or_per_consumer)
{
  const char* args =
      "bench '" VNICSIM_SOURCE_DIR "/scenarios/cluster-uniform.xml' --point 2 --set workload.requests=20 "
      "--set workload.arrival=poisson --set workload.rate=10k/s";
  char *out, *err;
  int rc = vn_run(&out, &err, "%s", args);
  cr_assert_eq(rc, 0, "stderr: %s", err);
  row_t host = only_row(out);
  cr_expect_eq(host.actors, 64, "vnicsim: a consumer per core");
  cr_expect_lt(host.bare_actors, 64, "per host, fewer senders than cores: %ld", host.bare_actors);
  cr_expect(strstr(out, "as few actors per host as their overlap needs") != NULL, "%s", out);
  free(out);
  free(err);

  rc = vn_run(&out, &err, "%s --senders consumer", args);
  cr_assert_eq(rc, 0, "stderr: %s", err);
  row_t cons = only_row(out);
  cr_expect_eq(cons.transfers, host.transfers, "the same messages");
  cr_expect_geq(cons.bare_actors, 64, "an actor per consumer at least: %ld", cons.bare_actors);
  cr_expect(strstr(out, "an actor per consumer") != NULL, "%s", out);
  free(out);
  free(err);

  rc = vn_run(&out, &err, "%s --senders core", args);
  cr_expect_eq(rc, 2);
  cr_expect(strstr(err, "--senders must be one of host, consumer, not 'core'") != NULL, "%s", err);
  cr_expect_str_empty(out, "no table for bad usage");
  free(out);
  free(err);
}

Test(bench, looped_back_point_takes_the_same_steps)
{
  char *out, *err;
  int rc = vn_run(&out, &err,
                  "bench '" VNICSIM_SOURCE_DIR "/scenarios/default.xml' --point 0 "
                  "--set workload.requests=50");
  cr_assert_eq(rc, 0, "stderr: %s", err);
  row_t r = only_row(out);
  cr_expect_eq(r.wrs, 50, "one host, one core, 50 requests");
  cr_expect_eq(r.bare_actors, r.actors, "a sleeper per actor");
  cr_expect_eq(r.transfers, 0, "every WR is looped back in its NIC");
  cr_expect_str_eq(r.unit, "steps/s");
  free(out);
  free(err);
}

Test(bench, unknown_point_is_bad_input)
{
  char *out, *err;
  int rc = vn_run(&out, &err, "bench '" VNICSIM_SOURCE_DIR "/scenarios/default.xml' --point 999");
  cr_expect_eq(rc, 2);
  cr_expect(strstr(err, "--point 999: no such point") != NULL, "%s", err);
  cr_expect_str_empty(out, "no table for bad input");
  free(out);
  free(err);
}

Test(bench, repeat_prints_the_median_pair_and_every_ratio)
{
  char *out, *err;
  int rc = vn_run(&out, &err,
                  "bench '" VNICSIM_SOURCE_DIR "/scenarios/cluster-uniform.xml' --point 0 "
                  "--set workload.requests=20 --repeat 3");
  cr_assert_eq(rc, 0, "stderr: %s", err);
  const char* comment;
  row_t row = first_row(out, &comment);
  double r[3], lo, med, hi;
  int got = sscanf(comment,
                   "# point 0: ratio of each of the 3 pairs, in run order: %lf %lf %lf (min %lf, median %lf, max %lf)",
                   &r[0], &r[1], &r[2], &lo, &med, &hi);
  cr_assert_eq(got, 6, "the pairs' line: %s", comment);
  cr_expect_float_eq(row.ratio, med, 1e-3, "the row is the median pair");
  cr_expect_leq(lo, med);
  cr_expect_leq(med, hi);
  int below = 0, above = 0;
  for (int i = 0; i < 3; i++) {
    below += r[i] < med - 1e-9;
    above += r[i] > med + 1e-9;
    cr_expect(r[i] >= lo - 1e-9 && r[i] <= hi + 1e-9);
  }
  cr_expect_leq(below, 1, "a median of three has at most one below it");
  cr_expect_leq(above, 1, "and at most one above it");
  cr_expect(strstr(comment, "\n# WR/s and ratio use run_s") != NULL, "the footer follows");
  free(out);
  free(err);
}

Test(bench, repeat_out_of_range_is_bad_usage)
{
  const char* bad[] = {"0", "100", "-1", "2x", ""};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char *out, *err;
    int rc = vn_run(&out, &err, "bench '" VNICSIM_SOURCE_DIR "/scenarios/default.xml' --repeat '%s'", bad[i]);
    cr_expect_eq(rc, 2, "--repeat '%s': exit %d", bad[i], rc);
    cr_expect(strstr(err, "--repeat") != NULL, "--repeat '%s': %s", bad[i], err);
    cr_expect_str_empty(out, "no table for bad usage");
    free(out);
    free(err);
  }
}

Test(bench, simgrid_option_is_checked_before_any_point)
{
  const char* bad[][2] = {{"--cfg=contexts/stack-size:abc", "SimGrid refuses this option"},
                          {"--cfg=network/model:ns-3", "network/model"},
                          {"--log=root.thres:bogus", "Unknown priority name"}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char *out, *err;
    int rc = vn_run(&out, &err, "bench '" VNICSIM_SOURCE_DIR "/scenarios/default.xml' --point 0 '%s'", bad[i][0]);
    cr_expect_eq(rc, 2, "%s: exit %d, stderr: %s", bad[i][0], rc, err);
    cr_expect(strstr(err, bad[i][0]) != NULL, "%s: the message names the option: %s", bad[i][0], err);
    cr_expect(strstr(err, bad[i][1]) != NULL, "%s: %s", bad[i][0], err);
    cr_expect(strstr(err, "Current backtrace") == NULL, "%s: one error line, not SimGrid's backtrace: %s", bad[i][0],
              err);
    cr_expect_str_empty(out, "no table for bad input");
    free(out);
    free(err);
  }
}

/* The platform is checked before the table starts, as `run` and `check` check it: 65 consumers on the 64 cores of
 * one-host.xml. */
Test(bench, a_platform_too_small_is_refused_before_the_table)
{
  char* dir = vn_scratch("bench_small_platform");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"small\"",
                          "<platform file=\"@PLATFORMS@/one-host.xml\"/><consumers cores-per-host=\"65\"/>"
                           "<workload requests=\"10\"/>");
  char *out, *err;
  int rc = vn_run(&out, &err, "bench '%s'", sc);
  cr_expect_eq(rc, 2, "stderr: %s", err);
  cr_expect(strstr(err, "s.xml:") != NULL && strstr(err, ": <consumers cores-per-host=\"65\">: host node-0") != NULL,
            "names the file, the element and the value: %s", err);
  cr_expect(strstr(err, "has 64 cores but 65 consumers") != NULL, "%s", err);
  cr_expect(strstr(err, "benchmark child failed") == NULL, "%s", err);
  cr_expect_str_empty(out, "no table for bad input");
  free(out);
  free(err);
  free(sc);
  free(dir);
}

/* A point refused while it runs (its WR records outgrow scenario.stats-memory, so the bare program has nothing to
 * replay) ends the command with status 2 and the child's reason, not as a failure of the benchmark. */
Test(bench, a_point_refused_while_it_runs_is_bad_input)
{
  char *out, *err;
  int rc = vn_run(&out, &err,
                  "bench '" VNICSIM_SOURCE_DIR "/scenarios/cluster-uniform.xml' --point 0 "
                  "--set scenario.stats-memory=1KiB");
  cr_expect_eq(rc, 2, "stderr: %s", err);
  cr_expect(strstr(err, "outgrew scenario.stats-memory") != NULL, "%s", err);
  cr_expect(strstr(err, "benchmark child failed") == NULL, "%s", err);
  free(out);
  free(err);
}

/* The messages to replay go to a temporary file in $TMPDIR: a directory that does not exist, or a full file system,
 * is named with the system's reason. */
Test(bench, a_temporary_directory_that_fails_is_named_with_its_reason, .timeout = 120)
{
  char *out, *err;
  setenv("TMPDIR", "/nonexistent-vnicsim-dir", 1);
  int rc = vn_run(&out, &err,
                  "bench '" VNICSIM_SOURCE_DIR "/scenarios/cluster-uniform.xml' --point 0 --set workload.requests=5");
  unsetenv("TMPDIR");
  cr_expect_eq(rc, 1, "exit %d (%s)", rc, err);
  cr_expect(strstr(err, "cannot create a temporary file in /nonexistent-vnicsim-dir: No such file or directory") !=
                NULL,
            "%s", err);
  cr_expect_str_empty(out, "no table");
  free(out);
  free(err);
  if (geteuid() != 0 || system("unshare -m true 2>/dev/null") != 0)
    cr_skip_test("cannot mount a private tmpfs here (needs root and unshare -m): the full-disk case is not tested");
  char* dir = vn_scratch("bench_full_tmp");
  char* mnt = vn_path(dir, "mnt");
  cr_assert_eq(mkdir(mnt, 0777), 0);
  char cmd[8192];
  snprintf(cmd, sizeof cmd,
           "timeout -s KILL 60 unshare -m sh -c \"mount -t tmpfs -o size=64k tmpfs '%s' && dd if=/dev/zero "
           "of='%s/fill' bs=4k count=15 2>/dev/null && TMPDIR='%s' exec '%s' bench '%s/scenarios/cluster-uniform.xml' "
           "--point 0 --set workload.requests=50\" >/dev/null 2>'%s/err.txt'",
           mnt, mnt, mnt, VNICSIM_BIN, VNICSIM_SOURCE_DIR, dir);
  int status = system(cmd);
  rc         = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  char* ep   = vn_path(dir, "err.txt");
  size_t len;
  err = vn_slurp(ep, &len);
  cr_assert(err != NULL);
  cr_expect_eq(rc, 1, "exit %d (%s)", rc, err);
  cr_expect(strstr(err, "cannot write the messages to replay in") != NULL &&
                strstr(err, "No space left on device") != NULL,
            "%s", err);
  free(err);
  free(ep);
  free(mnt);
  free(dir);
}
