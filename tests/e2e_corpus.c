/* e2e_corpus: vnicsim runs on any valid SimGrid platform (SimGrid's own examples), or refuses it with one clear line;
 * never a crash, a hang or a partial result. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vn_more.h"
#include "vn_test.h"

/* The corpus: VNICSIM_PLATFORMS_CORPUS, or ../shared/platforms-corpus beside the source tree. ctest runs this test
 * only where the folder exists and reports it as skipped otherwise (tests/CMakeLists.txt). */
static const char* corpus_dir(void)
{
  const char* env = getenv("VNICSIM_PLATFORMS_CORPUS");
  return env != NULL && env[0] != '\0' ? env : VNICSIM_SOURCE_DIR "/../shared/platforms-corpus";
}
#define CORPUS_DIR corpus_dir()
#define MAX_HOSTS 8       /* hosts that carry a NIC; the others of the platform are left out */
#define REQUESTS 50       /* per consumer */
#define RUN_TIMEOUT_S 180 /* the 65,536-host crossbar loads in ~1 s, three times per run (check + 2 points) */

/* One consumer per host: most corpus hosts have a single core. Uniform traffic when two hosts or more are selected,
 * so that routes between them are used; loopback otherwise. */
static const char* body = "  <platform file=\"%s\" hosts=\"%ld\"/>\n"
                          "  <consumers cores-per-host=\"1\"/>\n"
                          "  <workload arrival=\"closed\" window=\"2\" requests=\"%d\" size=\"1KiB\" pattern=\"%s\"/>\n"
                          "  <sweep param=\"access.mode\" values=\"speculative lock\"/>\n";

static int exists(const char* path)
{
  struct stat st;
  return stat(path, &st) == 0;
}

static int compare_names(const void* a, const void* b)
{
  return strcmp(*(char* const*)a, *(char* const*)b);
}

/* A refusal is clean when it is exit status 2, one line "vnicsim: error: ..." naming the platform file, and no
 * output directory. Returns 1 if so; otherwise records why in the test. */
static int expect_clean_refusal(const char* file, const char* err, const char* out)
{
  int clean = strncmp(err, "vnicsim: error: ", 16) == 0 && vn_line_count(err) == 1 && strstr(err, file) != NULL;
  cr_expect(clean, "%s: exit status 2 must come with one line 'vnicsim: error: ...' naming the platform file, got: %s",
            file, err);
  cr_expect_not(exists(out), "%s: a refused run left its output directory", file);
  return clean;
}

/* A complete run: every point ok, every WR of the selected hosts delivered, only the selected hosts have a NIC. */
static void expect_complete(const char* file, const char* out, long hosts)
{
  csv_t res = vn_results(out);
  csv_t chk = vn_table(out, "checks.csv");
  csv_t hst = vn_table(out, "hosts.csv");
  cr_expect_eq(csv_row_count(res), 2, "%s: one row per mode", file);
  cr_expect_eq(csv_row_count(chk), csv_row_count(res), "%s: checks.csv rows", file);
  size_t* rows = calloc(csv_row_count(hst) + 1, sizeof(size_t));
  for (size_t r = 0; r < csv_row_count(res); r++) {
    char what[512];
    snprintf(what, sizeof what, "%s %s", file, vn_text(res, r, "access.mode"));
    vn_expect_conserved(res, chk, r, (double)hosts * REQUESTS, hosts >= 2, 1, what);
    if (strcmp(vn_text(res, r, "status"), "ok") != 0)
      continue;
    cr_expect_eq(vn_num(res, r, "hosts"), hosts, "%s: %g hosts carry a NIC, %ld were selected", what,
                 vn_num(res, r, "hosts"), hosts);
    size_t n = vn_rows_where(hst, "point", vn_text(res, r, "point"), rows);
    cr_expect_eq(n, (size_t)hosts, "%s: %zu hosts.csv rows for %ld selected hosts", what, n, hosts);
  }
  free(rows);
  csv_free(res);
  csv_free(chk);
  csv_free(hst);
}

static void print_row(const char* file, const char* hosts, const char* outcome, double wall_s, const char* detail)
{
  fprintf(stderr, "corpus: %-33s %-12s %-8s %7.2f s  %.160s\n", file, hosts, outcome, wall_s, detail);
  fflush(stderr);
}

/* Run the small scenario on @p path with @p hosts selected; return the outcome for the table. */
static const char* run_one(const char* dir, const char* file, const char* path, long hosts, int index, double* wall,
                           char** detail)
{
  char text[8192];
  snprintf(text, sizeof text, body, path, hosts, REQUESTS, hosts >= 2 ? "uniform" : "local");
  char name[64], sub[64];
  snprintf(name, sizeof name, "s%d.xml", index);
  snprintf(sub, sizeof sub, "out%d", index);
  char* sc  = vn_scenario(dir, name, "name=\"corpus\" seed=\"3\"", text);
  char* out = vn_path(dir, sub);
  char* err = NULL;
  int rc    = vn_run_deadline(RUN_TIMEOUT_S, wall, NULL, &err, "run '%s' -o '%s' -j2", sc, out);
  const char* outcome;
  if (rc == 0) {
    outcome = "ran";
    expect_complete(file, out, hosts);
    cr_assert(asprintf(detail, "%ld hosts x %d WRs x 2 modes delivered", hosts, REQUESTS) > 0);
  } else if (rc == 2) {
    outcome = expect_clean_refusal(file, err, out) ? "refused" : "UNCLEAN";
    /* the table shows the reason, without the scenario's location */
    const char* reason = strstr(err, ": <platform") ? strstr(err, ": <platform") + 2 : err;
    *detail            = strndup(reason, strcspn(reason, "\n"));
  } else {
    outcome = rc == VN_TIMED_OUT ? "HUNG" : rc > 128 ? "CRASHED" : "FAILED";
    *detail = vn_failure_summary(out, err);
    cr_expect_fail("%s: vnicsim must run or refuse with exit status 2, but %s (exit %d): %s", file,
                   rc == VN_TIMED_OUT ? "it was still running at the deadline" : "it did not", rc, *detail);
  }
  free(err);
  free(out);
  free(sc);
  return outcome;
}

Test(corpus, every_simgrid_example_platform_runs_or_is_refused_cleanly, .timeout = 1200)
{
  DIR* d = opendir(CORPUS_DIR);
  if (d == NULL)
    cr_skip_test("the platforms corpus %s is absent", CORPUS_DIR);
  char* names[512];
  size_t n = 0;
  for (struct dirent* e; (e = readdir(d)) != NULL && n < 512;) {
    size_t len = strlen(e->d_name);
    if (len > 4 && strcmp(e->d_name + len - 4, ".xml") == 0)
      names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof names[0], compare_names);
  cr_expect_gt(n, 0, "no platform in %s", CORPUS_DIR);

  char* dir = vn_scratch("corpus");
  fprintf(stderr, "corpus: %-33s %-12s %-8s %9s  %s\n", "file", "hosts", "outcome", "wall", "detail");
  int index = 0;
  for (size_t i = 0; i < n; i++) {
    char* path = vn_path(CORPUS_DIR, names[i]);
    char why[1024];
    long total = vn_platform_host_count(path, RUN_TIMEOUT_S, why, sizeof why);
    if (total < 0) {
      /* SimGrid itself refuses it: vnicsim must say so cleanly */
      double wall   = 0;
      char* detail  = NULL;
      const char* o = run_one(dir, names[i], path, 1, index++, &wall, &detail);
      cr_expect(strcmp(o, "refused") == 0, "%s: SimGrid cannot load it (%s), yet vnicsim %s", names[i], why, o);
      print_row(names[i], "?", o, wall, detail);
      free(detail);
      free(path);
      continue;
    }
    long hosts = total < MAX_HOSTS ? total : MAX_HOSTS;
    char counts[64];
    snprintf(counts, sizeof counts, "%ld/%ld", hosts, total);
    double wall   = 0;
    char* detail  = NULL;
    const char* o = run_one(dir, names[i], path, hosts, index++, &wall, &detail);
    print_row(names[i], counts, o, wall, detail);
    free(detail);
    if (total < MAX_HOSTS) {
      /* more hosts than the platform has: a clean error, not a crash */
      snprintf(counts, sizeof counts, "%d/%ld", MAX_HOSTS, total);
      o = run_one(dir, names[i], path, MAX_HOSTS, index++, &wall, &detail);
      cr_expect(strcmp(o, "refused") == 0, "%s: %d hosts asked of a platform of %ld: %s", names[i], MAX_HOSTS, total,
                o);
      print_row(names[i], counts, o, wall, detail);
      free(detail);
    }
    free(path);
  }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(dir);
}
