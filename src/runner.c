/* runner: runs every point of a scenario, each in its own process, and keeps the results files whole.
 *
 * SimGrid has one engine per process, so every point is a fork()ed child of this process, which never initialises
 * SimGrid itself. A child runs the point, writes its result lines into a pipe and leaves with _exit(), skipping
 * SimGrid's teardown (SimGrid 3.32 crashes in ns-3's teardown after a run; the results are complete by then). The
 * parent keeps up to `jobs` children running, collects their lines, and after each point rewrites the results files
 * through a temporary file and a rename, so a reader (or an interrupted run) never sees a half-written file.
 */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <limits.h>
#include <simgrid/engine.h>
#include <simgrid/version.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xbt/sysdep.h>

#include "error.h"
#include "json.h"
#include "params.h"
#include "results.h"
#include "scenario.h"
#include "sim.h"

typedef enum { PT_TODO = 0, PT_RUNNING, PT_OK, PT_FAILED, PT_KEPT } point_state_t;

typedef struct point_run {
  point_state_t state;
  pid_t pid;
  int fd;
  char* buf; /* what the child wrote */
  size_t len;
  size_t alloc;
  double started; /* monotonic seconds */
  double wall_s;
  char* row;    /* results.csv line (no newline) */
  char* hosts;  /* hosts.csv lines */
  char* checks; /* checks.csv line */
  char reason[512];
  int killed_for_timeout;
} point_run_t;

static volatile sig_atomic_t interrupted_by = 0;

static void on_signal(int sig)
{
  interrupted_by = sig;
}

static double monotonic_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- validation ---- */

/* The platform of point `pt` loads in SimGrid and its host selection fits: checked in a child process, because
 * SimGrid aborts on a platform it cannot read. */
static int preflight_platform(const run_options_t* opts, const point_t* pt, int* nhosts, vn_error_t* err)
{
  int res[2], errp[2];
  if (pipe(res) != 0 || pipe(errp) != 0) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "cannot create a pipe: %s", strerror(errno));
    return -1;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "cannot fork: %s", strerror(errno));
    return -1;
  }
  if (pid == 0) {
    close(res[0]);
    close(errp[0]);
    dup2(errp[1], STDERR_FILENO);
    dup2(errp[1], STDOUT_FILENO);
    vn_error_t e;
    vn_error_clear(&e);
    int n = 0;
    FILE* out = fdopen(res[1], "w");
    if (sim_check_platform(&pt->params, opts->sg_argc, opts->sg_argv, &n, &e) == 0)
      fprintf(out, "OK %d\n", n);
    else
      fprintf(out, "ERR\n%s\n%s\n%s\n%s\n", e.element, e.attribute, e.value, e.message);
    fclose(out);
    _exit(0);
  }
  close(res[1]);
  close(errp[1]);
  /* Read both pipes to the end; keep the child's last error output for the message. */
  char rbuf[4096] = "", ebuf[8192] = "";
  size_t rlen = 0, elen = 0;
  struct pollfd fds[2] = {{.fd = res[0], .events = POLLIN}, {.fd = errp[0], .events = POLLIN}};
  int open_fds         = 2;
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0 && errno != EINTR)
      break;
    for (int i = 0; i < 2; i++) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      char tmp[4096];
      ssize_t r = read(fds[i].fd, tmp, sizeof tmp);
      if (r <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        open_fds--;
        continue;
      }
      if (i == 0) {
        size_t k = (size_t)r < sizeof rbuf - 1 - rlen ? (size_t)r : sizeof rbuf - 1 - rlen;
        memcpy(rbuf + rlen, tmp, k);
        rlen += k;
        rbuf[rlen] = '\0';
      } else { /* keep the tail (tmp is smaller than ebuf) */
        if (elen + (size_t)r > sizeof ebuf - 1) {
          size_t drop = elen + (size_t)r - (sizeof ebuf - 1);
          memmove(ebuf, ebuf + drop, elen - drop);
          elen -= drop;
        }
        memcpy(ebuf + elen, tmp, (size_t)r);
        elen += (size_t)r;
        ebuf[elen] = '\0';
      }
    }
  }
  int status;
  waitpid(pid, &status, 0);
  if (strncmp(rbuf, "OK ", 3) == 0) {
    *nhosts = atoi(rbuf + 3);
    return 0;
  }
  if (strncmp(rbuf, "ERR\n", 4) == 0) {
    /* element, attribute, value (possibly empty lines), message */
    char* fields[4] = {NULL, NULL, NULL, NULL};
    char* p         = rbuf + 4;
    for (int i = 0; i < 4 && p != NULL; i++) {
      fields[i] = p;
      p         = strchr(p, '\n');
      if (p != NULL)
        *p++ = '\0';
    }
    vn_error_set(err, NULL, 0, fields[0], fields[1], fields[2], "%s", fields[3] ? fields[3] : "invalid");
    return -1;
  }
  /* SimGrid refused the platform (or crashed on it). Show its last meaningful line. */
  char* last = NULL;
  for (char* l = strtok(ebuf, "\n"); l != NULL; l = strtok(NULL, "\n"))
    if (strstr(l, "Backtrace") == NULL && strstr(l, "->") == NULL && strstr(l, "0x") == NULL && l[0] != ' ')
      last = l;
  const char* why = last ? last : "no message";
  if (WIFSIGNALED(status))
    vn_error_set(err, NULL, 0, "platform", "file", pt->params.platform_file,
                 "SimGrid could not load this platform (network model %s): %s", pt->params.network_model, why);
  else
    vn_error_set(err, NULL, 0, "platform", "file", pt->params.platform_file,
                 "SimGrid could not load this platform (network model %s, exit status %d): %s",
                 pt->params.network_model, WIFEXITED(status) ? WEXITSTATUS(status) : -1, why);
  return -1;
}

/* Distinct platform set-ups among the points, each checked once. */
static int preflight_all(const run_options_t* opts, const_scenario_t sc, vn_error_t* err)
{
  size_t n     = scenario_point_count(sc);
  char** seen  = xbt_new0(char*, n);
  size_t nseen = 0;
  point_t pt;
  int rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++) {
    if (scenario_point(sc, i, &pt, err) != 0) {
      rc = -1;
      break;
    }
    if (pt.replication > 0)
      continue;
    const params_t* p = &pt.params;
    char key[PARAMS_PATH_MAX + PARAMS_HOSTS_MAX + 512];
    snprintf(key, sizeof key, "%s|%s|%s|%d|%s|%ld", p->platform_file, p->network_model, p->hosts, (int)p->pattern,
             p->hot_host, params_consumers_per_host(p));
    int dup = 0;
    for (size_t k = 0; k < nseen && !dup; k++)
      dup = strcmp(seen[k], key) == 0;
    if (dup)
      continue;
    seen[nseen++] = xbt_strdup(key);
    int nhosts;
    if (preflight_platform(opts, &pt, &nhosts, err) != 0) {
      /* name the sweep point when the problem comes from one */
      if (scenario_sweep_count(sc) > 0) {
        char where[1024] = "";
        size_t w         = 0;
        for (size_t d = 0; d < scenario_sweep_count(sc) && w < sizeof where; d++)
          w += (size_t)snprintf(where + w, sizeof where - w, "%s%s=%s", d ? ", " : "", scenario_sweep_name(sc, d),
                                pt.values[d]);
        size_t m = strlen(err->message);
        snprintf(err->message + m, sizeof err->message - m, " (at sweep point %s)", where);
      }
      rc = -1;
    }
  }
  for (size_t k = 0; k < nseen; k++)
    free(seen[k]);
  free(seen);
  return rc;
}

static scenario_t load_validated(const run_options_t* opts, vn_error_t* err)
{
  scenario_t sc = scenario_load(opts->scenario_path, err);
  if (sc == NULL)
    return NULL;
  for (int i = 0; i < opts->nsets; i++)
    if (scenario_set(sc, opts->sets[i], err) != 0)
      goto fail;
  if (scenario_check(sc, err) != 0)
    goto fail;
  if (preflight_all(opts, sc, err) != 0) {
    if (err->file[0] == '\0')
      snprintf(err->file, sizeof err->file, "%s", opts->scenario_path);
    goto fail;
  }
  return sc;
fail:
  scenario_free(sc);
  return NULL;
}

int runner_check(const run_options_t* opts)
{
  vn_error_t err;
  vn_error_clear(&err);
  scenario_t sc = load_validated(opts, &err);
  if (sc == NULL) {
    vn_error_print(&err, stderr);
    return VN_EXIT_INPUT;
  }
  const params_t* b = scenario_base(sc);
  printf("%s: scenario \"%s\" is valid: %zu run points (", opts->scenario_path, b->name, scenario_point_count(sc));
  for (size_t d = 0; d < scenario_sweep_count(sc); d++)
    printf("%s x ", scenario_sweep_name(sc, d));
  printf("%ld replications) on %s\n", b->replications, b->platform_file);
  scenario_free(sc);
  return 0;
}

/* ---- output files ---- */

static int write_atomically(const char* path, void (*fill)(FILE*, void*), void* data)
{
  char tmp[PATH_MAX + 16];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE* f = fopen(tmp, "w");
  if (f == NULL)
    return -1;
  fill(f, data);
  int bad = ferror(f);
  if (fflush(f) != 0 || fsync(fileno(f)) != 0)
    bad = 1;
  if (fclose(f) != 0)
    bad = 1;
  if (bad || rename(tmp, path) != 0) {
    unlink(tmp);
    return -1;
  }
  return 0;
}

typedef struct outputs {
  const_scenario_t sc;
  const run_options_t* opts;
  point_run_t* runs;
  size_t n;
  const char* dir;
  double total_wall_s;
  int interrupted;
} outputs_t;

static void point_columns_header(FILE* f, const_scenario_t sc)
{
  fputs("point,replication,seed", f);
  for (size_t d = 0; d < scenario_sweep_count(sc); d++) {
    fputc(',', f);
    results_csv_cell(f, scenario_sweep_name(sc, d));
  }
}

static void fill_results(FILE* f, void* data)
{
  outputs_t* o = data;
  point_columns_header(f, o->sc);
  fputs(",mode,hosts,consumers_per_host,consumers,", f);
  results_metric_header(f);
  fputs(",status,reason\n", f);
  for (size_t i = 0; i < o->n; i++)
    if (o->runs[i].row != NULL)
      fprintf(f, "%s\n", o->runs[i].row);
}

static void fill_hosts(FILE* f, void* data)
{
  outputs_t* o = data;
  point_columns_header(f, o->sc);
  fputc(',', f);
  results_host_header(f);
  fputc('\n', f);
  for (size_t i = 0; i < o->n; i++)
    if (o->runs[i].hosts != NULL)
      fputs(o->runs[i].hosts, f);
}

static void fill_checks(FILE* f, void* data)
{
  outputs_t* o = data;
  point_columns_header(f, o->sc);
  fputc(',', f);
  results_check_header(f);
  fputc('\n', f);
  for (size_t i = 0; i < o->n; i++)
    if (o->runs[i].checks != NULL)
      fprintf(f, "%s\n", o->runs[i].checks);
}

static void fill_manifest(FILE* f, void* data)
{
  outputs_t* o = data;
  int major, minor, patch;
  sg_version_get(&major, &minor, &patch);
  char sgv[64];
  snprintf(sgv, sizeof sgv, "%d.%d.%d", major, minor, patch);
  fputs("{\n  \"vnicsim_version\": ", f);
  json_write_string(f, VNICSIM_VERSION);
  fputs(",\n  \"simgrid_version\": ", f);
  json_write_string(f, sgv);
  fputs(",\n  \"command_line\": [", f);
  for (int i = 0; i < o->opts->argc; i++) {
    fputs(i ? ", " : "", f);
    json_write_string(f, o->opts->argv[i]);
  }
  fputs("],\n  \"simgrid_options\": [", f);
  for (int i = 1; i < o->opts->sg_argc; i++) {
    fputs(i > 1 ? ", " : "", f);
    json_write_string(f, o->opts->sg_argv[i]);
  }
  fputs("],\n  \"scenario_file\": ", f);
  json_write_string(f, o->opts->scenario_path);
  fprintf(f, ",\n  \"jobs\": %d,\n  \"interrupted\": %s,\n  \"total_wall_time_s\": ", o->opts->jobs,
          o->interrupted ? "true" : "false");
  json_write_number(f, o->total_wall_s);
  fputs(",\n  \"scenario\": ", f);
  scenario_write_json(o->sc, f, 2);
  fputs(",\n  \"points\": [", f);
  int first = 1;
  for (size_t i = 0; i < o->n; i++) {
    const point_run_t* r = &o->runs[i];
    point_t pt;
    if (scenario_point(o->sc, i, &pt, NULL) != 0)
      continue;
    fprintf(f, "%s\n    {\"point\": %zu, \"replication\": %ld, \"seed\": %lu, \"values\": {", first ? "" : ",", i,
            pt.replication, pt.seed);
    first = 0;
    for (size_t d = 0; d < scenario_sweep_count(o->sc); d++) {
      fputs(d ? ", " : "", f);
      json_write_string(f, scenario_sweep_name(o->sc, d));
      fputs(": ", f);
      json_write_string(f, pt.values[d]);
    }
    const char* state = r->state == PT_OK     ? "ok"
                        : r->state == PT_KEPT ? "ok (kept from an earlier run)"
                        : r->state == PT_FAILED ? "failed"
                                                : "not run";
    fputs("}, \"status\": ", f);
    json_write_string(f, state);
    if (r->state == PT_FAILED) {
      fputs(", \"reason\": ", f);
      json_write_string(f, r->reason);
    }
    if (r->state == PT_OK || r->state == PT_FAILED) {
      fputs(", \"wall_time_s\": ", f);
      json_write_number(f, r->wall_s);
    }
    fputc('}', f);
  }
  fputs("\n  ]\n}\n", f);
}

static int write_tables(outputs_t* o)
{
  char path[PATH_MAX];
  int rc = 0;
  snprintf(path, sizeof path, "%s/results.csv", o->dir);
  rc |= write_atomically(path, fill_results, o);
  snprintf(path, sizeof path, "%s/hosts.csv", o->dir);
  rc |= write_atomically(path, fill_hosts, o);
  snprintf(path, sizeof path, "%s/checks.csv", o->dir);
  rc |= write_atomically(path, fill_checks, o);
  return rc;
}

static int write_manifest(outputs_t* o)
{
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/manifest.json", o->dir);
  return write_atomically(path, fill_manifest, o);
}

static int make_dirs(const char* dir)
{
  char buf[PATH_MAX];
  snprintf(buf, sizeof buf, "%s", dir);
  for (char* p = buf + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
      return -1;
    *p = '/';
  }
  if (mkdir(buf, 0777) != 0 && errno != EEXIST)
    return -1;
  struct stat st;
  return (stat(buf, &st) == 0 && S_ISDIR(st.st_mode)) ? 0 : -1;
}

/* ---- one point, in a child process ---- */

static void child_run_point(const run_options_t* opts, const_scenario_t sc, size_t index, int fd, const char* dir)
{
  point_t pt;
  vn_error_t err;
  vn_error_clear(&err);
  FILE* out = fdopen(fd, "w");
  if (out == NULL || scenario_point(sc, index, &pt, &err) != 0)
    _exit(VN_EXIT_INTERNAL);
  sim_output_t o;
  if (sim_run(&pt.params, pt.seed, opts->sg_argc, opts->sg_argv, &o, &err) != 0) {
    char msg[4096];
    vn_error_format(&err, msg, sizeof msg);
    fprintf(out, "X %s\n", msg);
    fclose(out);
    _exit(0);
  }
  fprintf(out, "M %d,%ld,%ld,", o.nhosts, o.consumers_per_host, o.consumers);
  results_metric_cells(out, &o);
  fputc('\n', out);
  for (int h = 0; h < o.nhosts; h++) {
    fputs("H ", out);
    results_host_cells(out, &o, h);
    fputc('\n', out);
  }
  fputs("C ", out);
  results_check_cells(out, &o);
  fputc('\n', out);
  if (opts->trace) {
    char path[PATH_MAX + 64], tmp[PATH_MAX + 72];
    snprintf(path, sizeof path, "%s/trace/point-%05zu.csv", dir, index);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE* t = fopen(tmp, "w");
    int ok  = t != NULL;
    if (ok) {
      results_write_trace(t, &o);
      ok = !ferror(t) && fclose(t) == 0 && rename(tmp, path) == 0;
    }
    if (!ok) {
      fprintf(out, "X cannot write the trace %s: %s\n", path, strerror(errno));
      fclose(out);
      _exit(0);
    }
  }
  fputs("E\n", out);
  fclose(out);
  /* Leave without SimGrid's teardown (see the top of this file). */
  _exit(0);
}

/* The columns every line of a point starts with. */
static void point_prefix(FILE* f, const_scenario_t sc, const point_t* pt)
{
  fprintf(f, "%zu,%ld,%lu", pt->index, pt->replication, pt->seed);
  for (size_t d = 0; d < scenario_sweep_count(sc); d++) {
    fputc(',', f);
    results_csv_cell(f, pt->values[d]);
  }
}

static void finish_point(const_scenario_t sc, point_run_t* r, size_t index, int status)
{
  point_t pt;
  scenario_point(sc, index, &pt, NULL);
  r->wall_s = monotonic_s() - r->started;
  /* Parse the child's lines. */
  char *m = NULL, *c = NULL, *x = NULL;
  int ended = 0;
  char* hosts_text = NULL;
  size_t hosts_len = 0;
  FILE* hosts      = open_memstream(&hosts_text, &hosts_len);
  for (char* line = r->buf; line != NULL && line < r->buf + r->len;) {
    char* nl = memchr(line, '\n', (size_t)(r->buf + r->len - line));
    if (nl == NULL)
      break;
    *nl = '\0';
    if (line[0] == 'M' && line[1] == ' ')
      m = line + 2;
    else if (line[0] == 'C' && line[1] == ' ')
      c = line + 2;
    else if (line[0] == 'X' && line[1] == ' ')
      x = line + 2;
    else if (line[0] == 'H' && line[1] == ' ') {
      point_prefix(hosts, sc, &pt);
      fprintf(hosts, ",%s\n", line + 2);
    } else if (line[0] == 'E')
      ended = 1;
    line = nl + 1;
  }
  fclose(hosts);

  int ok = ended && m != NULL && c != NULL && x == NULL && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!ok) {
    if (x != NULL)
      snprintf(r->reason, sizeof r->reason, "%s", x);
    else if (r->killed_for_timeout)
      snprintf(r->reason, sizeof r->reason, "exceeded the point timeout");
    else if (WIFSIGNALED(status))
      snprintf(r->reason, sizeof r->reason, "the simulation process was killed by signal %d (%s)", WTERMSIG(status),
               strsignal(WTERMSIG(status)));
    else
      snprintf(r->reason, sizeof r->reason, "the simulation process ended with status %d before its results",
               WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  }
  char* row      = NULL;
  size_t row_len = 0;
  FILE* rf       = open_memstream(&row, &row_len);
  point_prefix(rf, sc, &pt);
  fputc(',', rf);
  results_csv_cell(rf, pt.params.mode);
  if (ok) {
    fprintf(rf, ",%s,ok,", m);
  } else {
    /* failed: the parameters, empty metrics, and the reason */
    fprintf(rf, ",,%ld,", params_consumers_per_host(&pt.params));
    size_t ncells = 1; /* consumers */
    char* header  = NULL;
    size_t hl     = 0;
    FILE* hf      = open_memstream(&header, &hl);
    results_metric_header(hf);
    fclose(hf);
    for (char* p = header; *p; p++)
      ncells += *p == ',';
    ncells++; /* metric columns = commas + 1 */
    for (size_t k = 1; k < ncells; k++)
      fputc(',', rf);
    fputs(",failed,", rf);
    results_csv_cell(rf, r->reason);
    free(header);
  }
  fclose(rf);
  r->row = row;
  if (ok) {
    r->state  = PT_OK;
    r->hosts  = hosts_text;
    char* chk = NULL;
    size_t cl = 0;
    FILE* cf  = open_memstream(&chk, &cl);
    point_prefix(cf, sc, &pt);
    fprintf(cf, ",%s", c);
    fclose(cf);
    r->checks = chk;
  } else {
    r->state = PT_FAILED;
    free(hosts_text);
  }
  free(r->buf);
  r->buf = NULL;
  r->len = r->alloc = 0;
}

static void describe_point(char* buf, size_t len, const_scenario_t sc, size_t index)
{
  point_t pt;
  size_t w = 0;
  buf[0]   = '\0';
  if (scenario_point(sc, index, &pt, NULL) != 0)
    return;
  for (size_t d = 0; d < scenario_sweep_count(sc) && w < len; d++)
    w += (size_t)snprintf(buf + w, len - w, "%s%s=%s", d ? " " : "", scenario_sweep_name(sc, d), pt.values[d]);
  if (w < len)
    snprintf(buf + w, len - w, "%srep=%ld", w ? " " : "", pt.replication);
}

static void kill_all(point_run_t* runs, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (runs[i].state == PT_RUNNING)
      kill(runs[i].pid, SIGKILL);
  for (size_t i = 0; i < n; i++)
    if (runs[i].state == PT_RUNNING) {
      waitpid(runs[i].pid, NULL, 0);
      close(runs[i].fd);
      free(runs[i].buf);
      runs[i].buf   = NULL;
      runs[i].state = PT_TODO; /* not run: --resume will run it */
    }
}

int runner_run(const run_options_t* opts)
{
  vn_error_t err;
  vn_error_clear(&err);
  scenario_t sc = load_validated(opts, &err);
  if (sc == NULL) {
    vn_error_print(&err, stderr);
    return VN_EXIT_INPUT;
  }
  char dir[PATH_MAX];
  if (opts->out_dir != NULL)
    snprintf(dir, sizeof dir, "%s", opts->out_dir);
  else
    snprintf(dir, sizeof dir, "results/%s", scenario_base(sc)->name);
  char tracedir[PATH_MAX + 8];
  snprintf(tracedir, sizeof tracedir, "%s/trace", dir);
  if (make_dirs(dir) != 0 || (opts->trace && make_dirs(tracedir) != 0)) {
    vn_error_set(&err, NULL, 0, NULL, "-o", dir, "cannot create the output directory: %s", strerror(errno));
    vn_error_print(&err, stderr);
    scenario_free(sc);
    return VN_EXIT_INPUT;
  }

  size_t n         = scenario_point_count(sc);
  point_run_t* runs = xbt_new0(point_run_t, n);
  outputs_t out    = {.sc = sc, .opts = opts, .runs = runs, .n = n, .dir = dir};
  double t0        = monotonic_s();

  struct sigaction sa = {.sa_handler = on_signal};
  sigemptyset(&sa.sa_mask);
  struct sigaction old_int, old_term;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);

  fprintf(stderr, "vnicsim: %s: %zu points, %d at a time, results in %s\n", opts->scenario_path, n, opts->jobs, dir);
  size_t next = 0, running = 0, done = 0, failed = 0;
  int io_error = 0;
  struct pollfd* fds = xbt_new0(struct pollfd, n);
  size_t* fd_point   = xbt_new0(size_t, n);
  while ((next < n || running > 0) && !interrupted_by) {
    while (running < (size_t)opts->jobs && next < n) {
      point_run_t* r = &runs[next];
      int p[2];
      if (pipe(p) != 0) {
        fprintf(stderr, "vnicsim: error: cannot create a pipe: %s\n", strerror(errno));
        io_error = 1;
        break;
      }
      fflush(NULL);
      pid_t pid = fork();
      if (pid == 0) {
        close(p[0]);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        child_run_point(opts, sc, next, p[1], dir);
      }
      close(p[1]);
      if (pid < 0) {
        close(p[0]);
        fprintf(stderr, "vnicsim: error: cannot fork: %s\n", strerror(errno));
        io_error = 1;
        break;
      }
      r->state   = PT_RUNNING;
      r->pid     = pid;
      r->fd      = p[0];
      r->started = monotonic_s();
      next++;
      running++;
    }
    if (io_error && running == 0)
      break;
    size_t nf = 0;
    for (size_t i = 0; i < n; i++)
      if (runs[i].state == PT_RUNNING) {
        fds[nf]      = (struct pollfd){.fd = runs[i].fd, .events = POLLIN};
        fd_point[nf] = i;
        nf++;
      }
    int pr = poll(fds, nf, 200);
    if (pr < 0 && errno != EINTR)
      break;
    for (size_t k = 0; k < nf && pr > 0; k++) {
      if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      point_run_t* r = &runs[fd_point[k]];
      if (r->alloc - r->len < 65536) {
        r->alloc = r->alloc ? 2 * r->alloc : 131072;
        r->buf   = xbt_realloc(r->buf, r->alloc);
      }
      ssize_t got = read(r->fd, r->buf + r->len, r->alloc - r->len - 1);
      if (got > 0) {
        r->len += (size_t)got;
        continue;
      }
      if (got < 0 && errno == EINTR)
        continue;
      /* end of the child's output */
      close(r->fd);
      int status;
      waitpid(r->pid, &status, 0);
      if (interrupted_by)
        break;
      finish_point(sc, r, fd_point[k], status);
      running--;
      done++;
      if (r->state == PT_FAILED)
        failed++;
      char desc[1024];
      describe_point(desc, sizeof desc, sc, fd_point[k]);
      fprintf(stderr, "[%*zu/%zu] %s  %s  %.2f s%s%s\n", (int)snprintf(NULL, 0, "%zu", n), done, n, desc,
              r->state == PT_OK ? "ok" : "FAILED", r->wall_s, r->state == PT_OK ? "" : ": ",
              r->state == PT_OK ? "" : r->reason);
      if (write_tables(&out) != 0) {
        fprintf(stderr, "vnicsim: error: cannot write the results in %s: %s\n", dir, strerror(errno));
        io_error = 1;
      }
    }
    if (opts->point_timeout_s > 0) {
      double now = monotonic_s();
      for (size_t i = 0; i < n; i++)
        if (runs[i].state == PT_RUNNING && !runs[i].killed_for_timeout && now - runs[i].started > opts->point_timeout_s) {
          runs[i].killed_for_timeout = 1;
          kill(runs[i].pid, SIGKILL);
        }
    }
  }
  free(fds);
  free(fd_point);
  if (interrupted_by) {
    kill_all(runs, n);
    out.interrupted = 1;
  }
  out.total_wall_s = monotonic_s() - t0;
  if (write_tables(&out) != 0 || write_manifest(&out) != 0) {
    fprintf(stderr, "vnicsim: error: cannot write the results in %s: %s\n", dir, strerror(errno));
    io_error = 1;
  }
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);

  int rc = 0;
  if (interrupted_by) {
    fprintf(stderr, "vnicsim: interrupted after %zu of %zu points; finished points are in %s (run again with --resume)\n",
            done, n, dir);
    rc = 128 + interrupted_by;
  } else if (io_error) {
    rc = VN_EXIT_INTERNAL;
  } else if (failed > 0) {
    fprintf(stderr, "vnicsim: %zu of %zu points failed (see the status and reason columns of %s/results.csv)\n",
            failed, n, dir);
    rc = VN_EXIT_INTERNAL;
  } else {
    fprintf(stderr, "vnicsim: %zu points in %.1f s; results in %s/results.csv\n", n, out.total_wall_s, dir);
  }
  for (size_t i = 0; i < n; i++) {
    free(runs[i].row);
    free(runs[i].hosts);
    free(runs[i].checks);
    free(runs[i].buf);
  }
  free(runs);
  scenario_free(sc);
  return rc;
}
