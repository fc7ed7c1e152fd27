/* vn_more: more helpers for the end-to-end tests: runs with a deadline, file comparison, the registered modes, a
 * platform's host count as SimGrid sees it. */
#include "vn_more.h"
#include "vn_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int vn_run_deadline(double timeout_s, double* wall_s, char** out, char** err, const char* fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char* args = NULL;
  cr_assert(vasprintf(&args, fmt, ap) >= 0);
  va_end(ap);
  char* cmd = NULL;
  cr_assert(asprintf(&cmd, "exec '%s' %s", VNICSIM_BIN, args) > 0);
  char outf[] = "/tmp/vn-out-XXXXXX", errf[] = "/tmp/vn-err-XXXXXX";
  int fo = mkstemp(outf), fe = mkstemp(errf);
  cr_assert(fo >= 0 && fe >= 0);
  fflush(stdout);
  fflush(stderr);
  double t0 = now_s();
  pid_t pid = fork();
  cr_assert(pid >= 0, "fork: %s", strerror(errno));
  if (pid == 0) {
    /* its own process group, so that a deadline kills vnicsim and every point it forked */
    setpgid(0, 0);
    dup2(fo, STDOUT_FILENO);
    dup2(fe, STDERR_FILENO);
    execl("/bin/sh", "sh", "-c", cmd, (char*)NULL);
    _exit(127);
  }
  setpgid(pid, pid); /* also here: whichever of the two runs first */
  close(fo);
  close(fe);
  int status = 0, timed_out = 0;
  for (;;) {
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid)
      break;
    cr_assert(w == 0 || errno == EINTR, "waitpid: %s", strerror(errno));
    if (now_s() - t0 > timeout_s) {
      kill(-pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
      timed_out = 1;
      break;
    }
    struct timespec pause = {0, 5 * 1000 * 1000};
    nanosleep(&pause, NULL);
  }
  if (wall_s)
    *wall_s = now_s() - t0;
  if (out)
    *out = vn_slurp(outf, NULL);
  if (err)
    *err = vn_slurp(errf, NULL);
  unlink(outf);
  unlink(errf);
  free(cmd);
  free(args);
  if (timed_out)
    return VN_TIMED_OUT;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

char* vn_path(const char* dir, const char* name)
{
  char* p = NULL;
  cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
  return p;
}

int vn_same_bytes(const char* dir_a, const char* dir_b, const char* name)
{
  char* pa  = vn_path(dir_a, name);
  char* pb  = vn_path(dir_b, name);
  size_t la = 0, lb = 0;
  char* a  = vn_slurp(pa, &la);
  char* b  = vn_slurp(pb, &lb);
  int same = a != NULL && b != NULL && la == lb && memcmp(a, b, la) == 0;
  free(a);
  free(b);
  free(pa);
  free(pb);
  return same;
}

size_t vn_line_count(const char* text)
{
  size_t n      = 0;
  const char* p = text;
  for (; *p; p++)
    if (*p == '\n')
      n++;
  if (p > text && p[-1] != '\n')
    n++;
  return n;
}

char** vn_modes(void)
{
  char* out = NULL;
  cr_assert_eq(vn_run(&out, NULL, "modes"), 0, "vnicsim modes failed");
  size_t cap = 8, n = 0;
  char** v   = calloc(cap, sizeof(char*));
  char* save = NULL;
  for (char* line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
    size_t len = strcspn(line, " \t");
    if (len == 0)
      continue;
    if (n + 2 > cap)
      v = realloc(v, (cap *= 2) * sizeof(char*));
    v[n++] = strndup(line, len);
  }
  v[n] = NULL;
  free(out);
  cr_assert(n > 0, "vnicsim modes lists no mode");
  return v;
}

void vn_strings_free(char** v)
{
  if (v == NULL)
    return;
  for (char** p = v; *p; p++)
    free(*p);
  free(v);
}

/* The last line of @p text that is not part of a backtrace, into @p why. */
static void last_message(const char* text, char* why, size_t size)
{
  why[0]        = '\0';
  const char* p = text;
  while (*p) {
    const char* e = strchr(p, '\n');
    size_t len    = e ? (size_t)(e - p) : strlen(p);
    if (len > 0 && strncmp(p, "Backtrace", 9) != 0 && strncmp(p, "  ->", 4) != 0)
      snprintf(why, size, "%.*s", (int)len, p);
    p += len + (e ? 1 : 0);
  }
}

long vn_platform_host_count(const char* path, unsigned timeout_s, char* why, size_t why_size)
{
  why[0]      = '\0';
  char errf[] = "/tmp/vn-sg-XXXXXX";
  int fe      = mkstemp(errf);
  cr_assert(fe >= 0);
  int fds[2];
  cr_assert(pipe(fds) == 0);
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  cr_assert(pid >= 0, "fork: %s", strerror(errno));
  if (pid == 0) {
    close(fds[0]);
    dup2(fe, STDERR_FILENO);
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0)
      dup2(devnull, STDOUT_FILENO);
    alarm(timeout_s); /* a load that never ends is killed by SIGALRM */
    int argc     = 2;
    char* argv[] = {"vn-host-count", "--log=root.thres:critical", NULL};
    simgrid_init(&argc, argv);
    simgrid_load_platform(path);
    char line[64];
    int len = snprintf(line, sizeof line, "%zu\n", sg_host_count());
    if (write(fds[1], line, (size_t)len) != len)
      _exit(1);
    _exit(0); /* no teardown: SimGrid's destructors are not needed to count */
  }
  close(fds[1]);
  close(fe);
  char buf[64];
  size_t got = 0;
  for (;;) {
    ssize_t n = read(fds[0], buf + got, sizeof buf - 1 - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += (size_t)n;
  }
  buf[got] = '\0';
  close(fds[0]);
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  char* text = vn_slurp(errf, NULL);
  unlink(errf);
  long count = -1;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && got > 0)
    count = strtol(buf, NULL, 10);
  else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
    snprintf(why, why_size, "SimGrid did not load it in %u s", timeout_s);
  else
    last_message(text ? text : "", why, why_size);
  free(text);
  return count;
}

static int compare_doubles(const void* a, const void* b)
{
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

double vn_median(double* v, size_t n)
{
  if (n == 0)
    return NAN;
  qsort(v, n, sizeof(double), compare_doubles);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

size_t vn_rows_where(const_csv_t t, const char* col, const char* value, size_t* rows)
{
  size_t n = 0;
  for (size_t r = 0; r < csv_row_count(t); r++)
    if (strcmp(vn_text(t, r, col), value) == 0)
      rows[n++] = r;
  return n;
}

long vn_row_of_point(const_csv_t t, const char* point)
{
  for (size_t r = 0; r < csv_row_count(t); r++)
    if (strcmp(vn_text(t, r, "point"), point) == 0)
      return (long)r;
  return -1;
}

void vn_expect_conserved(const_csv_t res, const_csv_t chk, size_t r, double created, int remote, int ordered,
                         const char* what)
{
  const char* status = vn_text(res, r, "status");
  cr_expect_str_eq(status, "ok", "%s: point %s %s: %s", what, vn_text(res, r, "point"), status,
                   vn_text(res, r, "reason"));
  if (strcmp(status, "ok") != 0)
    return;
  long row = vn_row_of_point(chk, vn_text(res, r, "point"));
  cr_expect_geq(row, 0, "%s: point %s has no row in checks.csv", what, vn_text(res, r, "point"));
  if (row < 0)
    return;
  size_t c = (size_t)row;
  double n = vn_num(res, r, "wr_created");
  if (created > 0)
    cr_expect_eq(n, created, "%s: %g WRs created, the scenario asks for %g", what, n, created);
  cr_expect_eq(vn_num(res, r, "wr_delivered"), n, "%s: %g of %g WRs delivered", what, vn_num(res, r, "wr_delivered"),
               n);
  cr_expect_eq(vn_num(res, r, "wr_lost"), 0, "%s: WRs lost", what);
  double arrivals = vn_num(chk, c, "nic_arrivals"), accepted = vn_num(chk, c, "nic_accepted");
  double drops = vn_num(chk, c, "nic_drops");
  cr_expect_eq(arrivals, accepted + drops, "%s: NIC arrivals %g != accepted %g + dropped %g", what, arrivals, accepted,
               drops);
  cr_expect_eq(accepted, n, "%s: %g writes accepted for %g WRs (each must be accepted exactly once)", what, accepted,
               n);
  cr_expect_eq(vn_num(chk, c, "wr_accepted"), n, "%s: %g WRs accepted of %g", what, vn_num(chk, c, "wr_accepted"), n);
  cr_expect_eq(vn_num(chk, c, "wr_attempts"), arrivals, "%s: the WRs' writes (%g) are not the NIC's arrivals (%g)",
               what, vn_num(chk, c, "wr_attempts"), arrivals);
  cr_expect_eq(vn_num(chk, c, "wr_replays"), drops, "%s: %g replays for %g drops (go-back-N replays each drop once)",
               what, vn_num(chk, c, "wr_replays"), drops);
  cr_expect_leq(vn_num(chk, c, "max_occupancy"), vn_num(chk, c, "queue_capacity"), "%s: a queue held %g of %g", what,
                vn_num(chk, c, "max_occupancy"), vn_num(chk, c, "queue_capacity"));
  if (ordered)
    cr_expect_eq(vn_num(chk, c, "order_violations"), 0, "%s: %g WRs accepted out of their context's order", what,
                 vn_num(chk, c, "order_violations"));
  cr_expect_eq(vn_num(chk, c, "transfers"), remote ? n : 0, "%s: %g transfers for %g %s WRs", what,
               vn_num(chk, c, "transfers"), n, remote ? "remote" : "local");
}

char* vn_failure_summary(const char* outdir, const char* err)
{
  char* msg  = NULL;
  char* path = vn_path(outdir, "results.csv");
  vn_error_t e;
  vn_error_clear(&e);
  csv_t t = access(path, R_OK) == 0 ? csv_read_file(path, &e) : NULL;
  free(path);
  if (t != NULL && csv_column_index(t, "status") >= 0 && csv_column_index(t, "reason") >= 0) {
    size_t failed = 0, first = 0;
    for (size_t r = 0; r < csv_row_count(t); r++)
      if (strcmp(vn_text(t, r, "status"), "ok") != 0 && failed++ == 0)
        first = r;
    if (failed > 0)
      cr_assert(asprintf(&msg, "%zu of %zu points failed; point %s: %s", failed, csv_row_count(t),
                         vn_text(t, first, "point"), vn_text(t, first, "reason")) > 0);
  }
  csv_free(t);
  if (msg == NULL) {
    char line[1024];
    last_message(err ? err : "", line, sizeof line);
    msg = strdup(line);
  }
  return msg;
}
