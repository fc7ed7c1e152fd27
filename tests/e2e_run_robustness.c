/* e2e_run_robustness: `vnicsim run` when things go wrong around it: a killed run takes its points with it, two runs
 * cannot share a directory, what a killed run left is cleaned, write errors say which file and why, an output path
 * that cannot fit creates nothing, a FIFO is refused without hanging, CSV cells of any content read back, SimGrid's
 * own reasons are shown and its options cannot contradict the scenario, --resume and --trace agree, and the progress
 * on stderr (lines, quiet, JSON) says how far the run is. Every case runs the binary; those that could hang run under
 * a deadline. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vn_more.h"
#include "vn_test.h"

#define PREFLIGHT_DIR VNICSIM_TESTS_DIR "/bad/preflight"

/* Two WRs per point would do; 400 make a point last long enough to be seen running, still a fraction of a second. */
static const char* sweep4 = "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
                            "  <workload requests=\"400\"/>\n"
                            "  <sweep param=\"nic.service-time\" values=\"200ns 20ns\"/>\n"
                            "  <sweep param=\"access.mode\" values=\"speculative lock\"/>\n";

static int exists(const char* path)
{
  struct stat st;
  return lstat(path, &st) == 0;
}

/* The same on DIR/NAME (the path made and freed here). */
static int exists_in(const char* dir, const char* name)
{
  char* p = vn_path(dir, name);
  int e   = exists(p);
  free(p);
  return e;
}

static void sleep_ms(long ms)
{
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

/* Start `vnicsim run SCENARIO -o OUT [extra]` in its own process group, stderr to @p errpath, with VNICSIM_FAULT set
 * to @p fault (may be NULL). Returns its PID. */
static pid_t start_run(const char* sc, const char* out, const char* fault, const char* extra, const char* errpath)
{
  fflush(NULL);
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    setpgid(0, 0);
    if (fault != NULL)
      setenv("VNICSIM_FAULT", fault, 1);
    if (freopen(errpath, "w", stderr) == NULL || freopen("/dev/null", "w", stdout) == NULL)
      _exit(127);
    execl(VNICSIM_BIN, VNICSIM_BIN, "run", sc, "-o", out, extra != NULL ? extra : "-j1", (char*)NULL);
    _exit(127);
  }
  setpgid(pid, pid);
  return pid;
}

/* The state letter of process @p pid from /proc (0 if it is gone), and its parent in *ppid. */
static char proc_state(pid_t pid, pid_t* ppid)
{
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  FILE* f = fopen(path, "r");
  if (f == NULL)
    return 0;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n]            = '\0';
  const char* paren = strrchr(buf, ')'); /* the command may hold blanks and parentheses */
  char state        = 0;
  int parent        = 0;
  if (paren == NULL || sscanf(paren + 1, " %c %d", &state, &parent) != 2)
    return 0;
  if (ppid != NULL)
    *ppid = parent;
  return state;
}

/* The children of @p parent that are alive (not zombies), at most @p max of them into @p kids. */
static size_t children_of(pid_t parent, pid_t* kids, size_t max)
{
  DIR* d = opendir("/proc");
  cr_assert_not_null(d);
  size_t n = 0;
  for (struct dirent* e; (e = readdir(d)) != NULL && n < max;) {
    if (!isdigit((unsigned char)e->d_name[0]))
      continue;
    pid_t pid = (pid_t)atoi(e->d_name), pp = 0;
    char st = proc_state(pid, &pp);
    if (st != 0 && st != 'Z' && pp == parent)
      kids[n++] = pid;
  }
  closedir(d);
  return n;
}

static int alive(pid_t pid)
{
  char st = proc_state(pid, NULL);
  return st != 0 && st != 'Z';
}

/* The whole of file @p path ("" if missing), malloc'ed. */
static char* text_of(const char* path)
{
  char* t = vn_slurp(path, NULL);
  return t != NULL ? t : strdup("");
}

static char* text_in(const char* dir, const char* name)
{
  char* p = vn_path(dir, name);
  char* t = text_of(p);
  free(p);
  return t;
}

static void write_in(const char* dir, const char* name, const char* text)
{
  char* p = vn_path(dir, name);
  vn_write(p, text);
  free(p);
}

/* ---- 1. a killed run takes its points with it ---- */

Test(run_robustness, points_die_with_a_killed_run, .timeout = 120)
{
  char* dir = vn_scratch("rr-kill");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"kill\"", sweep4);
  char* out = vn_path(dir, "out");
  char* log = vn_path(dir, "stderr.txt");
  /* point 0 never ends: without the parent, it would run forever */
  pid_t pid = start_run(sc, out, "hang:0", "-j2", log);
  pid_t kids[16];
  size_t n = 0;
  for (int i = 0; i < 400 && n < 1; i++) {
    sleep_ms(25);
    n = children_of(pid, kids, 16);
  }
  if (n < 1) {
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
    cr_assert_fail("the run never started a point");
  }
  kill(pid, SIGKILL);
  int status;
  waitpid(pid, &status, 0);
  int survivors = 0;
  for (int i = 0; i < 200; i++) { /* up to 5 s */
    survivors = 0;
    for (size_t k = 0; k < n; k++)
      survivors += alive(kids[k]);
    if (survivors == 0)
      break;
    sleep_ms(25);
  }
  kill(-pid, SIGKILL); /* whatever is left of the group, so that a failure does not leave it running */
  cr_expect_eq(survivors, 0, "%d of the %zu point processes outlived the run killed with SIGKILL", survivors, n);
  free(log);
  free(out);
  free(sc);
  free(dir);
}

/* ---- 2. a directory is one run's at a time ---- */

Test(run_robustness, a_second_run_into_the_same_directory_is_refused_and_a_stale_lock_taken_over, .timeout = 180)
{
  char* dir = vn_scratch("rr-lock");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"lock\"", sweep4);
  char* out = vn_path(dir, "out");
  char* log = vn_path(dir, "first.txt");
  char* lck = vn_path(out, ".vnicsim-run.lock");
  pid_t pid = start_run(sc, out, "hang:0", "-j1", log); /* holds the directory until killed */
  int held  = 0;                                        /* the lock file holds "PID HOST\n" */
  for (int i = 0; i < 400 && !held; i++) {
    sleep_ms(25);
    char* t = text_of(lck);
    held    = atol(t) == (long)pid && strchr(t, ' ') != NULL && strchr(t, '\n') != NULL;
    free(t);
  }
  if (!held) { /* stop it before failing: it would run forever */
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
    cr_assert_fail("the first run did not write its PID into %s", lck);
  }

  /* the first run writes its tables and manifest (no point yet) right after taking the lock: the refused run must
   * leave them as they are */
  char* manifest = vn_path(out, "manifest.json");
  for (int i = 0; i < 400 && !exists(manifest); i++)
    sleep_ms(25);
  char* results         = vn_path(out, "results.csv");
  char* results_before  = text_of(results);
  char* manifest_before = text_of(manifest);
  char* err             = NULL;
  int rc                = vn_run_deadline(60, NULL, NULL, &err, "run '%s' -o '%s'", sc, out);
  cr_expect_eq(rc, 2, "a second run into a directory in use: exit %d (%s)", rc, err);
  char pidtext[32];
  snprintf(pidtext, sizeof pidtext, "PID %d", (int)pid);
  cr_expect(strstr(err, pidtext) != NULL && strstr(err, "in use") != NULL, "the refusal names the holder: %s", err);
  char* results_after  = text_of(results);
  char* manifest_after = text_of(manifest);
  cr_expect_str_eq(results_after, results_before, "the refused run changed results.csv");
  cr_expect_str_eq(manifest_after, manifest_before, "the refused run changed manifest.json");
  free(results_before);
  free(results_after);
  free(manifest_before);
  free(manifest_after);
  free(manifest);
  free(results);
  free(err);

  kill(pid, SIGKILL); /* killed: its lock file stays, stale */
  int status;
  waitpid(pid, &status, 0);
  kill(-pid, SIGKILL);
  cr_assert(exists(lck));
  rc = vn_run_deadline(120, NULL, NULL, &err, "run '%s' -o '%s' -j2", sc, out);
  cr_expect_eq(rc, 0, "the next run takes the stale lock over: exit %d (%s)", rc, err);
  cr_expect(strstr(err, pidtext) != NULL && strstr(err, "taking it over") != NULL, "the take-over is said: %s", err);
  cr_expect_not(exists(lck), "a run that ended leaves no lock file");
  csv_t t = vn_results(out);
  cr_expect_eq(csv_row_count(t), 4);
  csv_free(t);
  free(err);
  free(lck);
  free(log);
  free(out);
  free(sc);
  free(dir);
}

/* ---- 3. what a killed run left ---- */

Test(run_robustness, temporaries_a_killed_run_left_are_removed, .timeout = 120)
{
  char* dir = vn_scratch("rr-tmp");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"tmp\"", sweep4);
  char* out = vn_path(dir, "out");
  cr_assert_eq(vn_run(NULL, NULL, "run '%s' -o '%s' -q --trace", sc, out), 0);
  /* what kill -9 leaves in the middle of a write: outfile's temporaries, "<name>.tmpXXXXXX" */
  const char* left[] = {"results.csv.tmpA1b2C3", "hosts.csv.tmpzzzzzz", "checks.csv.tmp000000",
                        "manifest.json.tmpQwErTy", "trace/point-00002.csv.tmp9x8Y7z"};
  const char* keep[] = {"notes.txt", "results.csv.tmp", "results.csv.tmpABCDEFG", "other.csv.tmpA1b2C3",
                        "trace/point-2.csv.tmpA1b2C3"};
  const size_t nleft = sizeof left / sizeof left[0], nkeep = sizeof keep / sizeof keep[0];
  for (int resume = 0; resume < 2; resume++) {
    for (size_t i = 0; i < nleft; i++)
      write_in(out, left[i], "half a file");
    for (size_t i = 0; i < nkeep; i++)
      write_in(out, keep[i], "the user's");
    char* err = NULL;
    int rc    = vn_run(NULL, &err, "run '%s' -o '%s' --trace %s", sc, out, resume ? "--resume" : "-j2");
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect(strstr(err, "removed 5 temporary files") != NULL, "the cleaning is said: %s", err);
    for (size_t i = 0; i < nleft; i++)
      cr_expect_not(exists_in(out, left[i]), "%s%s is still there", resume ? "--resume: " : "", left[i]);
    for (size_t i = 0; i < nkeep; i++)
      cr_expect(exists_in(out, keep[i]), "%s, not vnicsim's, was removed", keep[i]);
    free(err);
  }
  free(out);
  free(sc);
  free(dir);
}

/* ---- 4. write errors ---- */

Test(run_robustness, a_write_error_names_the_file_and_its_reason, .timeout = 120)
{
  /* a results.csv that is a directory: rename() cannot put the table there (EISDIR) */
  char* dir = vn_scratch("rr-write");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"write\"", sweep4);
  char* out = vn_path(dir, "out");
  cr_assert_eq(mkdir(out, 0777), 0);
  char* as_dir = vn_path(out, "results.csv");
  cr_assert_eq(mkdir(as_dir, 0777), 0);
  free(as_dir);
  char* err = NULL;
  int rc    = vn_run_deadline(60, NULL, NULL, &err, "run '%s' -o '%s' -q", sc, out);
  cr_expect_eq(rc, 1, "an I/O error is exit 1: %d (%s)", rc, err);
  cr_expect(strstr(err, "out/results.csv: cannot write: Is a directory") != NULL, "%s", err);
  cr_expect(strstr(err, "Success") == NULL, "%s", err);
  free(err);
  free(out);
  free(sc);
  free(dir);
}

/* A full file system: a 64 KiB tmpfs, filled but for one page (which the lock file takes), mounted in a private mount
 * namespace (unshare -m) so that nothing outside this test ever sees it. Needs root (or CAP_SYS_ADMIN). */
Test(run_robustness, a_full_disk_is_reported_with_its_errno, .timeout = 120)
{
  if (geteuid() != 0 || system("unshare -m true 2>/dev/null") != 0)
    cr_skip_test("cannot mount a private tmpfs here (needs root and unshare -m): the full-disk case is not tested");
  char* dir = vn_scratch("rr-full");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"full\"", sweep4);
  char* mnt = vn_path(dir, "mnt");
  cr_assert_eq(mkdir(mnt, 0777), 0);
  /* timeout(1) is the deadline: it kills unshare's shell, and the run's points die with the run */
  char cmd[8192];
  snprintf(cmd, sizeof cmd,
           "timeout -s KILL 60 unshare -m sh -c \"mount -t tmpfs -o size=64k tmpfs '%s' && dd if=/dev/zero "
           "of='%s/fill' bs=4k count=15 2>/dev/null && exec '%s' run '%s' -o '%s/out' -q\" 2>'%s/err.txt'",
           mnt, mnt, VNICSIM_BIN, sc, mnt, dir);
  int status = system(cmd);
  int rc     = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  char* err  = text_in(dir, "err.txt");
  cr_expect_eq(rc, 1, "exit %d (%s)", rc, err);
  cr_expect(strstr(err, "mnt/out/results.csv: cannot write: No space left on device") != NULL, "%s", err);
  cr_expect(strstr(err, "Success") == NULL, "%s", err);
  free(err);
  free(mnt);
  free(sc);
  free(dir);
}

/* ---- 5. an output path that cannot fit ---- */

Test(run_robustness, an_output_path_that_cannot_be_made_creates_nothing, .timeout = 120)
{
  char* dir = vn_scratch("rr-path");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"path\"", sweep4);
  /* longer than PATH_MAX, in short components */
  size_t cap = PATH_MAX + 600;
  char* lng  = malloc(cap);
  size_t w   = (size_t)snprintf(lng, cap, "%s/a", dir);
  while (w < PATH_MAX + 200)
    w += (size_t)snprintf(lng + w, cap - w, "/%s", "dddddddddddddddddddddddddddddddddddddddd");
  char* err = NULL;
  int rc    = vn_run(NULL, &err, "run '%s' -o '%s'", sc, lng);
  cr_expect_eq(rc, 2, "%s", err);
  cr_expect(strstr(err, "-o=") != NULL && strstr(err, "characters long") != NULL, "%s", err);
  cr_expect_not(exists_in(dir, "a"), "a parent of a path too long was created");
  free(err);
  /* a component longer than NAME_MAX, deep in the path */
  char comp[301];
  memset(comp, 'x', 300);
  comp[300] = '\0';
  rc        = vn_run(NULL, &err, "run '%s' -o '%s/b/c/%s/d'", sc, dir, comp);
  cr_expect_eq(rc, 2, "%s", err);
  cr_expect(strstr(err, "300 characters long") != NULL && strstr(err, "NAME_MAX") != NULL, "%s", err);
  cr_expect_not(exists_in(dir, "b"), "the parents of a component too long were created");
  free(err);
  /* a failure half-way (a file in the way) takes back what it made */
  write_in(dir, "file", "x");
  rc = vn_run(NULL, &err, "run '%s' -o '%s/new1/new2/../../file/x'", sc, dir);
  cr_expect_eq(rc, 2, "%s", err);
  cr_expect(strstr(err, "Not a directory") != NULL, "%s", err);
  cr_expect_not(exists_in(dir, "new1"), "a directory made before the failure stayed");
  free(err);
  free(lng);
  free(sc);
  free(dir);
}

/* ---- 6. a FIFO ---- */

Test(run_robustness, a_fifo_as_scenario_is_refused_without_hanging, .timeout = 120)
{
  char* dir  = vn_scratch("rr-fifo");
  char* fifo = vn_path(dir, "s.xml");
  cr_assert_eq(mkfifo(fifo, 0666), 0, "mkfifo: %s", strerror(errno));
  const char* cmds[] = {"check '%s'", "run '%s' -o '%s/out'"};
  for (int i = 0; i < 2; i++) {
    char* err = NULL;
    double wall;
    int rc = vn_run_deadline(20, &wall, NULL, &err, cmds[i], fifo, dir);
    cr_expect_neq(rc, VN_TIMED_OUT, "%s hangs on a FIFO", cmds[i]);
    cr_expect_eq(rc, 2, "exit %d: %s", rc, err);
    cr_expect(strstr(err, fifo) != NULL && strstr(err, "FIFO") != NULL, "the message names the file: %s", err);
    free(err);
  }
  cr_expect_not(exists_in(dir, "out"));
  /* a platform that is a FIFO, likewise */
  char* pfifo = vn_path(dir, "p.xml");
  cr_assert_eq(mkfifo(pfifo, 0666), 0);
  char* sc  = vn_scenario(dir, "p-scenario.xml", "name=\"pfifo\"", "  <platform file=\"p.xml\"/>\n");
  char* err = NULL;
  int rc    = vn_run_deadline(20, NULL, NULL, &err, "check '%s'", sc);
  cr_expect_eq(rc, 2, "exit %d: %s", rc, err);
  cr_expect(strstr(err, "p.xml") != NULL && strstr(err, "not a regular file") != NULL, "%s", err);
  free(err);
  free(sc);
  free(pfifo);
  free(fifo);
  free(dir);
}

/* ---- 7. CSV cells of any content ---- */

/* A Full-routed platform of hosts @p names (each written as an XML attribute value, escaped by the caller). */
static char* platform_of(const char* dir, const char* file, const char* const* ids, size_t n)
{
  char* path = vn_path(dir, file);
  FILE* f    = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
        "<platform version=\"4.1\">\n  <zone id=\"world\" routing=\"Full\">\n",
        f);
  for (size_t i = 0; i < n; i++)
    fprintf(f, "    <host id=\"%s\" speed=\"1Gf\" core=\"2\"/>\n", ids[i]);
  fputs("  </zone>\n</platform>\n", f);
  fclose(f);
  return path;
}

Test(run_robustness, host_names_holding_a_comma_a_quote_or_a_line_break_read_back, .timeout = 120)
{
  char* dir             = vn_scratch("rr-names");
  const char* xml_ids[] = {"a,b", "q&quot;x", "n&#10;l", "plain"};
  const char* names[]   = {"a,b", "q\"x", "n\nl", "plain"};
  char* plat            = platform_of(dir, "p.xml", xml_ids, 4);
  char* sc              = vn_scenario(dir, "s.xml", "name=\"names\" replications=\"2\"",
                                      "  <platform file=\"p.xml\"/>\n  <workload requests=\"20\" pattern=\"local\"/>\n");
  char* out             = vn_path(dir, "out");
  char* err             = NULL;
  int rc                = vn_run(NULL, &err, "run '%s' -o '%s' -q", sc, out);
  cr_assert_eq(rc, 0, "%s", err);
  free(err);
  /* the project's RFC 4180 reader: as many records as hosts x replications, each name exactly as SimGrid has it */
  csv_t t = vn_table(out, "hosts.csv");
  cr_assert_eq(csv_row_count(t), 8, "hosts.csv has %zu records, not 8", csv_row_count(t));
  for (size_t k = 0; k < 4; k++) {
    int seen = 0;
    for (size_t r = 0; r < csv_row_count(t); r++)
      seen += strcmp(vn_text(t, r, "host"), names[k]) == 0;
    cr_expect_eq(seen, 2, "host \"%s\" is in %d records, not 2", names[k], seen);
  }
  /* every host sent its measured WRs: 20 created, the first 10% (warm-up) left out of the statistics */
  for (size_t r = 0; r < csv_row_count(t); r++)
    cr_expect_eq(vn_num(t, r, "wr_sent"), 18, "%s: %g WRs sent", vn_text(t, r, "host"), vn_num(t, r, "wr_sent"));
  csv_free(t);
  csv_t res = vn_results(out);
  cr_expect_eq(csv_row_count(res), 2);
  csv_free(res);
  /* resumed, the kept records are written back byte for byte */
  char* before = text_in(out, "hosts.csv");
  rc           = vn_run(NULL, &err, "run '%s' -o '%s' --resume", sc, out);
  cr_expect_eq(rc, 0, "%s", err);
  cr_expect(strstr(err, "2 kept") != NULL, "%s", err);
  char* after = text_in(out, "hosts.csv");
  cr_expect_str_eq(after, before, "hosts.csv changed when resumed");
  free(before);
  free(after);
  free(err);
  free(out);
  free(sc);
  free(plat);
  free(dir);
}

/* The list "node-0,node-1,...,node-(n-1)", malloc'ed. */
static char* node_list(size_t n)
{
  size_t cap = 16 * n + 16, w = 0;
  char* s = malloc(cap);
  s[0]    = '\0';
  for (size_t i = 0; i < n; i++)
    w += (size_t)snprintf(s + w, cap - w, "%snode-%zu", i ? "," : "", i);
  return s;
}

Test(run_robustness, host_lists_in_a_sweep_are_one_cell_whole_and_told_apart, .timeout = 180)
{
  char* dir = vn_scratch("rr-lists");
  const char* ids[121];
  char idbuf[121][16];
  for (size_t i = 0; i < 121; i++) {
    snprintf(idbuf[i], sizeof idbuf[i], "node-%zu", i);
    ids[i] = idbuf[i];
  }
  char* plat = platform_of(dir, "p.xml", ids, 121);
  char* l120 = node_list(120);
  char* l121 = node_list(121);
  char* body = NULL;
  cr_assert(asprintf(&body,
                     "  <platform file=\"p.xml\"/>\n  <workload requests=\"4\" pattern=\"local\"/>\n"
                     "  <sweep param=\"platform.hosts\" values=\"node-0 node-0,node-1 %s %s\"/>\n",
                     l120, l121) > 0);
  char* sc  = vn_scenario(dir, "s.xml", "name=\"lists\"", body);
  char* out = vn_path(dir, "out");
  char* err = NULL;
  /* two lists of 120 and 121 hosts, over 800 characters each and alike in their first 800, are two values */
  int rc = vn_run(NULL, &err, "run '%s' -o '%s' -q -j2", sc, out);
  cr_assert_eq(rc, 0, "%s", err);
  free(err);
  const char* want[] = {"node-0", "node-0,node-1", l120, l121};
  csv_t t            = vn_results(out);
  cr_assert_eq(csv_row_count(t), 4);
  for (size_t r = 0; r < 4; r++) {
    cr_expect_str_eq(vn_text(t, r, "platform.hosts"), want[r], "row %zu: the cell is not the list (%zu characters)", r,
                     strlen(want[r]));
    cr_expect_eq(vn_num(t, r, "hosts"), r == 0 ? 1 : r == 1 ? 2 : r == 2 ? 120 : 121);
  }
  csv_free(t);
  csv_t h = vn_table(out, "hosts.csv");
  cr_expect_eq(csv_row_count(h), 1 + 2 + 120 + 121);
  cr_expect_str_eq(vn_text(h, 1, "platform.hosts"), "node-0,node-1", "hosts.csv's sweep cell");
  csv_free(h);
  free(out);
  free(sc);
  free(body);
  free(l120);
  free(l121);
  free(plat);
  free(dir);
}

/* ---- 8. SimGrid's own reasons, and the options blamed on the right thing ---- */

/* The expected error of every scenario of tests/bad/preflight, from its EXPECT. */
typedef struct preflight_case {
  char file[128];
  int line;
  char element[64], attribute[64], message[512];
} preflight_case_t;

static size_t read_preflight(preflight_case_t* out, size_t max)
{
  FILE* f = fopen(PREFLIGHT_DIR "/EXPECT", "r");
  cr_assert_not_null(f);
  char line[1024];
  size_t n = 0;
  while (fgets(line, sizeof line, f) != NULL && n < max) {
    line[strcspn(line, "\n")] = '\0';
    if (line[0] == '#' || line[0] == '\0')
      continue;
    preflight_case_t* c = &out[n++];
    int used            = 0;
    cr_assert_eq(sscanf(line, "%127s %d %63s %63s %n", c->file, &c->line, c->element, c->attribute, &used), 4, "%s",
                 line);
    snprintf(c->message, sizeof c->message, "%s", line + used);
  }
  fclose(f);
  return n;
}

Test(run_robustness, a_platform_simgrid_cannot_parse_is_reported_with_simgrids_reason, .timeout = 180)
{
  preflight_case_t cases[32];
  size_t n = read_preflight(cases, 32);
  cr_assert_geq(n, 3);
  char* dir = vn_scratch("rr-preflight");
  for (size_t i = 0; i < n; i++) {
    const preflight_case_t* c = &cases[i];
    for (int run = 0; run < 2; run++) {
      char* err = NULL;
      int rc    = run ? vn_run_deadline(60, NULL, NULL, &err, "run '" PREFLIGHT_DIR "/%s' -o '%s/out'", c->file, dir)
                      : vn_run_deadline(60, NULL, NULL, &err, "check '" PREFLIGHT_DIR "/%s'", c->file);
      cr_expect_eq(rc, 2, "%s: exit %d (%s)", c->file, rc, err);
      char where[512];
      snprintf(where, sizeof where, "%.127s:%d: <%.63s %.63s=\"", c->file, c->line, c->element, c->attribute);
      cr_expect(strstr(err, where) != NULL, "%s: the error is not at %s: %s", c->file, where, err);
      cr_expect(strstr(err, c->message) != NULL && strstr(err, "Parse error at ") != NULL,
                "%s: SimGrid's reason \"%s\" is missing: %s", c->file, c->message, err);
      cr_expect(strstr(err, "Exiting now") == NULL, "%s: SimGrid's closing line instead of its reason: %s", c->file,
                err);
      cr_expect(vn_line_count(err) == 1, "%s: %s", c->file, err);
      free(err);
    }
    cr_expect_not(exists_in(dir, "out"), "%s: the output directory was created", c->file);
  }
  free(dir);
}

Test(run_robustness, options_simgrid_refuses_are_named_not_the_platform, .timeout = 120)
{
  const char* sc    = VNICSIM_TESTS_DIR "/fixtures/minimal.xml";
  const char* bad[] = {"--cfg=foo/bar:1", "--log=root.thres:bogus", "--cfg=contexts/stack-size:abc"};
  const char* why[] = {"Bad config key: foo/bar", "Unknown priority name: bogus", "invalid integer"};
  char* dir         = vn_scratch("rr-sgopts");
  for (size_t i = 0; i < 3; i++)
    for (int run = 0; run < 2; run++) {
      char* err = NULL;
      int rc    = run ? vn_run_deadline(60, NULL, NULL, &err, "run '%s' -o '%s/out' '%s'", sc, dir, bad[i])
                      : vn_run_deadline(60, NULL, NULL, &err, "check '%s' --cfg=maxmin/precision:1e-5 '%s'", sc, bad[i]);
      cr_expect_eq(rc, 2, "%s: exit %d (%s)", bad[i], rc, err);
      char head[128];
      snprintf(head, sizeof head, "vnicsim: error: %s: ", bad[i]);
      cr_expect(strncmp(err, head, strlen(head)) == 0, "the error does not start with the option: %s", err);
      cr_expect(strstr(err, why[i]) != NULL && strstr(err, "<platform") == NULL, "%s", err);
      free(err);
    }
  cr_expect_not(exists_in(dir, "out"));
  free(dir);
}

/* ---- 9. SimGrid options that contradict the scenario ---- */

Test(run_robustness, simgrid_options_that_contradict_the_scenario_are_refused, .timeout = 120)
{
  const char* sc = VNICSIM_TESTS_DIR "/fixtures/minimal.xml";
  const struct {
    const char* option;
    const char* says; /* the scenario attribute or the option to use instead */
  } cases[] = {
      {"--cfg=network/model:LV08", "<platform network-model=\"LV08\"> or --set platform.network-model=LV08"},
      {"--cfg=tracing:no network/model:CM02", "--set platform.network-model=CM02"}, /* SimGrid's several-in-one form */
      {"--cfg=surf/precision:1e9", "timing precision"},
      {"--cfg=tracing:yes", "--trace"},
      {"--cfg=tracing/filename:my.trace", "--trace"},
      {"--cfg=contexts/nthreads:2", "run points in parallel with -j"},
      {"--cfg=contexts/nthreads:0", "one at a time"}, /* SimGrid's 0: as many threads as cores */
  };
  char* dir = vn_scratch("rr-conflict");
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char* err = NULL;
    int rc    = vn_run_deadline(60, NULL, NULL, &err, "run '%s' -o '%s/out' '%s'", sc, dir, cases[i].option);
    cr_expect_eq(rc, 2, "%s: exit %d (%s)", cases[i].option, rc, err);
    cr_expect(strstr(err, cases[i].option) != NULL && strstr(err, cases[i].says) != NULL,
              "%s: the message should name the option and \"%s\": %s", cases[i].option, cases[i].says, err);
    free(err);
  }
  cr_expect_not(exists_in(dir, "out"), "a refused option created the output directory");
  /* what does not contradict anything passes */
  char* err = NULL;
  cr_expect_eq(
      vn_run(NULL, &err, "check '%s' --cfg=tracing:no --cfg=maxmin/precision:1e-6 --cfg=contexts/nthreads:1", sc), 0,
      "%s", err);
  free(err);
  free(dir);
}

/* ---- 10. --resume and --trace ---- */

Test(run_robustness, resume_and_trace_must_agree, .timeout = 180)
{
  char* dir = vn_scratch("rr-resume-trace");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"rt\"", sweep4);
  char* a   = vn_path(dir, "untraced");
  char* b   = vn_path(dir, "traced");
  char* err = NULL;
  cr_assert_eq(vn_run(NULL, NULL, "run '%s' -o '%s' -q -j2", sc, a), 0);
  int rc = vn_run(NULL, &err, "run '%s' -o '%s' --resume --trace", sc, a);
  cr_expect_eq(rc, 2, "--resume --trace after a run without --trace: exit %d (%s)", rc, err);
  cr_expect(strstr(err, "--resume --trace") != NULL && strstr(err, "no trace") != NULL, "%s", err);
  cr_expect_not(exists_in(a, "trace"), "the refused run made the trace directory");
  free(err);
  cr_assert_eq(vn_run(NULL, NULL, "run '%s' -o '%s' -q -j2 --trace", sc, b), 0);
  rc = vn_run(NULL, &err, "run '%s' -o '%s' --resume", sc, b);
  cr_expect_eq(rc, 2, "--resume without --trace after a traced run: exit %d (%s)", rc, err);
  cr_expect(strstr(err, "resume with --trace") != NULL, "%s", err);
  free(err);
  rc = vn_run(NULL, &err, "run '%s' -o '%s' --resume --trace", sc, b);
  cr_expect_eq(rc, 0, "--resume --trace after a traced run: exit %d (%s)", rc, err);
  free(err);
  /* a fresh run replaces the earlier one's traces along with its results */
  cr_assert_eq(vn_run(NULL, NULL, "run '%s' -o '%s' -q", sc, b), 0);
  cr_expect_not(exists_in(b, "trace/point-00000.csv"), "a run without --trace left the earlier run's traces");
  free(a);
  free(b);
  free(sc);
  free(dir);
}

/* ---- 11. progress ---- */

/* A strict JSON syntax check of one value starting at *p (RFC 8259, without the rarer escapes' checks). */
static int json_value(const char** p);

static void json_ws(const char** p)
{
  while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
    (*p)++;
}

static int json_string(const char** p)
{
  if (**p != '"')
    return 0;
  for ((*p)++; **p != '"'; (*p)++) {
    if ((unsigned char)**p < 0x20)
      return 0;
    if (**p == '\\') {
      (*p)++;
      if (strchr("\"\\/bfnrtu", **p) == NULL || **p == '\0')
        return 0;
    }
  }
  (*p)++;
  return 1;
}

static int json_value(const char** p)
{
  json_ws(p);
  if (**p == '{' || **p == '[') {
    char close = **p == '{' ? '}' : ']';
    int object = **p == '{';
    (*p)++;
    json_ws(p);
    if (**p == close) {
      (*p)++;
      return 1;
    }
    for (;;) {
      json_ws(p);
      if (object) {
        if (!json_string(p))
          return 0;
        json_ws(p);
        if (*(*p)++ != ':')
          return 0;
      }
      if (!json_value(p))
        return 0;
      json_ws(p);
      if (**p == close) {
        (*p)++;
        return 1;
      }
      if (*(*p)++ != ',')
        return 0;
    }
  }
  if (**p == '"')
    return json_string(p);
  const char* words[] = {"true", "false", "null"};
  for (int i = 0; i < 3; i++)
    if (strncmp(*p, words[i], strlen(words[i])) == 0) {
      *p += strlen(words[i]);
      return 1;
    }
  char* end;
  strtod(*p, &end);
  if (end == *p)
    return 0;
  *p = end;
  return 1;
}

/* The number after "key": in a JSON line (NAN if absent). */
static double json_number(const char* line, const char* key)
{
  char k[64];
  snprintf(k, sizeof k, "\"%s\": ", key);
  const char* at = strstr(line, k);
  return at != NULL ? strtod(at + strlen(k), NULL) : NAN;
}

Test(run_robustness, progress_lines_give_counts_times_and_readable_values, .timeout = 120)
{
  char* dir = vn_scratch("rr-progress");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"progress\"", sweep4);
  char* err = NULL;
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "sh -c \"VNICSIM_FAULT=crash:1 '%s' run '%s' -o '%s/out' -j2\" 2>'%s/err.txt'", VNICSIM_BIN,
           sc, dir, dir);
  int rc = system(cmd);
  cr_expect_eq(WEXITSTATUS(rc), 1);
  err = text_in(dir, "err.txt");
  /* one line per point: "[k/4 done, f failed, T elapsed, about T left] values: ok (T)" */
  size_t points = 0, failed_lines = 0;
  for (char* l = strtok(err, "\n"); l != NULL; l = strtok(NULL, "\n")) {
    unsigned k, total, failed;
    if (sscanf(l, "[%u/%u done, %u failed, ", &k, &total, &failed) != 3)
      continue; /* not a progress line (the crashing point's own output, passed through) */
    points++;
    cr_expect_eq(k, points, "%s", l);
    cr_expect_eq(total, 4, "%s", l);
    cr_expect(strstr(l, " elapsed, ") != NULL, "%s", l);
    cr_expect(k == 4 ? strstr(l, "none left]") != NULL : strstr(l, "about ") != NULL && strstr(l, " left]") != NULL,
              "%s", l);
    /* the values as `vnicsim compare` writes them: 200 ns, not 2e-07 */
    cr_expect(strstr(l, "nic.service-time=200 ns") != NULL || strstr(l, "nic.service-time=20 ns") != NULL, "%s", l);
    cr_expect(strstr(l, "e-0") == NULL, "a raw SI value: %s", l);
    if (strstr(l, ": FAILED (") != NULL) {
      failed_lines++;
      cr_expect(strstr(l, "access.mode=lock rep=0") != NULL, "point 1 is the one that crashed: %s", l);
    } else {
      cr_expect(strstr(l, ": ok (") != NULL, "%s", l);
    }
    cr_expect_geq(failed, failed_lines, "%s", l);
  }
  cr_expect_eq(points, 4, "%zu progress lines", points);
  cr_expect_eq(failed_lines, 1);
  free(err);
  free(sc);
  free(dir);
}

Test(run_robustness, quiet_says_nothing_when_all_goes_well, .timeout = 120)
{
  char* dir = vn_scratch("rr-quiet");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"quiet\"", sweep4);
  char *out = NULL, *err = NULL;
  cr_expect_eq(vn_run(&out, &err, "run '%s' -o '%s/out' -q -j2", sc, dir), 0);
  cr_expect_str_eq(err, "", "-q printed: %s", err);
  cr_expect_str_eq(out, "");
  free(err);
  cr_expect_eq(vn_run(NULL, &err, "run '%s' -o '%s/out2' --quiet", sc, dir), 0);
  cr_expect_str_eq(err, "", "--quiet printed: %s", err);
  free(err);
  cr_expect_eq(vn_run(NULL, &err, "run '%s' -o '%s/out3' -q --progress=json", sc, dir), 2, "%s", err);
  cr_expect_not(exists_in(dir, "out3"));
  free(err);
  free(out);
  free(sc);
  free(dir);
}

Test(run_robustness, json_progress_is_one_object_per_line, .timeout = 120)
{
  char* dir = vn_scratch("rr-json");
  char* sc  = vn_scenario(dir, "s.xml", "name=\"json\"", sweep4);
  char cmd[4096];
  snprintf(cmd, sizeof cmd,
           "sh -c \"VNICSIM_FAULT=crash:2 '%s' run '%s' -o '%s/out' -j2 --progress=json\" 2>'%s/err.txt' >/dev/null",
           VNICSIM_BIN, sc, dir, dir);
  int rc = system(cmd);
  cr_expect_eq(WEXITSTATUS(rc), 1);
  char* err    = text_in(dir, "err.txt");
  size_t lines = 0, points = 0, failed = 0;
  int started = 0, ended = 0;
  double last_elapsed = 0;
  for (char* l = strtok(err, "\n"); l != NULL; l = strtok(NULL, "\n")) {
    lines++;
    const char* p = l;
    cr_expect(l[0] == '{' && json_value(&p) && *p == '\0', "line %zu is not one JSON object: %s", lines, l);
    cr_expect(!ended, "a line after the end event: %s", l);
    if (strstr(l, "\"event\": \"start\"") != NULL) {
      cr_expect_eq(lines, 1);
      cr_expect_eq(json_number(l, "points"), 4, "%s", l);
      cr_expect_eq(json_number(l, "to_run"), 4, "%s", l);
      started = 1;
    } else if (strstr(l, "\"event\": \"point\"") != NULL) {
      points++;
      cr_expect_eq(json_number(l, "done"), (double)points, "%s", l);
      double elapsed = json_number(l, "elapsed_s"), left = json_number(l, "left_s");
      cr_expect(elapsed >= last_elapsed && left >= 0, "%s", l);
      last_elapsed = elapsed;
      cr_expect(points < 4 || left == 0, "nothing is left at the last point: %s", l);
      /* values in SI, as results.csv holds them */
      cr_expect(strstr(l, "\"nic.service-time\": \"2e-07\"") || strstr(l, "\"nic.service-time\": \"2e-08\""), "%s", l);
      if (strstr(l, "\"status\": \"failed\"") != NULL) {
        failed++;
        cr_expect_eq(json_number(l, "point"), 2, "%s", l);
        cr_expect(strstr(l, "\"reason\": \"") != NULL, "%s", l);
      }
    } else if (strstr(l, "\"event\": \"end\"") != NULL) {
      ended = 1;
      cr_expect(strstr(l, "\"status\": \"failed\"") != NULL && json_number(l, "exit_status") == 1, "%s", l);
      cr_expect_eq(json_number(l, "failed"), 1, "%s", l);
    } else {
      cr_expect_fail("an unknown event: %s", l);
    }
  }
  cr_expect(started && ended);
  cr_expect_eq(points, 4);
  cr_expect_eq(failed, 1);
  free(err);
  free(sc);
  free(dir);
}
