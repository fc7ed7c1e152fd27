/* runner: runs every point of a scenario, each in its own process, and keeps the results files whole.
 *
 * SimGrid has one engine per process, so every point is a fork()ed child of this process, which never initialises
 * SimGrid itself. A child runs its point, writes its result lines into a pipe and leaves with _exit(), skipping
 * SimGrid's teardown: SimGrid 3.32 crashes in ns-3's teardown after a run, and by then the results are complete.
 * The parent keeps up to `jobs` children running, collects their lines, and after each point rewrites the results
 * files whole (rundir.c). A child that crashes or runs past --point-timeout is recorded as failed, with its
 * parameters and the reason, and the sweep goes on. On SIGINT or SIGTERM the running children are stopped and the
 * finished points stay on disk; --resume runs only the missing ones.
 */
#include "run/runner.h"
#include "base/outfile.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xbt/sysdep.h>

#include "base/csv.h"
#include "base/error.h"
#include "model/sim.h"
#include "run/child.h"
#include "run/pajeopts.h"
#include "run/results.h"
#include "run/rundir.h"
#include "scenario/param_table.h"
#include "scenario/scenario.h"

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

typedef struct preflight_args {
  const run_options_t* opts;
  const point_t* pt;
} preflight_args_t;

static void preflight_body(void* data, int fd)
{
  const preflight_args_t* a = data;
  vn_error_t e;
  vn_error_clear(&e);
  int n     = 0;
  FILE* out = fdopen(fd, "w");
  if (sim_check_platform(&a->pt->params, a->opts->sg_argc, a->opts->sg_argv, &n, &e) == 0)
    fprintf(out, "OK %d\n", n);
  else
    fprintf(out, "ERR\n%s\n%s\n%s\n%s\n", e.element, e.attribute, e.value, e.message);
  fclose(out);
  _exit(0); /* without SimGrid's teardown */
}

/* The platform of point `pt` loads in SimGrid, its host selection fits, and (ns-3) it carries a transfer: checked in
 * a child process, because SimGrid aborts on what it cannot use. */
static int preflight_platform(const run_options_t* opts, const point_t* pt, vn_error_t* err)
{
  preflight_args_t a = {.opts = opts, .pt = pt};
  child_t c          = child_spawn(preflight_body, &a, 0);
  if (c == NULL) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "cannot start a process: %s", strerror(errno));
    return -1;
  }
  child_drain(c);
  int status = child_wait(c);
  char* out  = child_output(c);
  int rc     = -1;
  if (strncmp(out, "OK ", 3) == 0) {
    rc = 0;
  } else if (strncmp(out, "ERR\n", 4) == 0) {
    /* element, attribute, value (each possibly empty), message */
    char* fields[4] = {"", "", "", "invalid"};
    char* p         = out + 4;
    for (int i = 0; i < 4 && p != NULL && *p; i++) {
      fields[i] = p;
      p         = strchr(p, '\n');
      if (p != NULL)
        *p++ = '\0';
    }
    vn_error_set(err, NULL, 0, fields[0], fields[1], fields[2], "%s", fields[3]);
  } else {
    char how[128];
    child_describe_status(status, how, sizeof how);
    const char* why = child_last_message(c);
    int ns3         = strcmp(pt->params.network_model, "ns-3") == 0;
    vn_error_set(err, NULL, 0, "platform", "file", pt->params.platform_file,
                 "SimGrid cannot use this platform with network model %s (its check %s): %s%s",
                 pt->params.network_model, how, why[0] ? why : "no message",
                 ns3 ? " (ns-3 takes routes of one-hop links only: flat clusters with a backbone, or routers and "
                       "links written out; 'vnicsim platform ... --explicit' writes those)"
                     : "");
  }
  child_free(c);
  return rc;
}

/* Distinct platform set-ups among the points, each checked once. */
static int preflight_all(const run_options_t* opts, const_scenario_t sc, vn_error_t* err)
{
  size_t n     = scenario_point_count(sc);
  char** seen  = xbt_new0(char*, n);
  size_t nseen = 0;
  int rc       = 0;
  for (size_t i = 0; i < n && rc == 0; i++) {
    point_t pt;
    if (scenario_point(sc, i, &pt, err) != 0) {
      rc = -1;
      break;
    }
    if (pt.replication > 0)
      continue;
    const params_t* p = &pt.params;
    char* key         = NULL;
    if (asprintf(&key, "%s|%s|%s|%d|%s|%ld", p->platform_file, p->network_model, p->hosts, (int)p->pattern, p->hot_host,
                 params_consumers_per_host(p)) < 0)
      xbt_die("out of memory");
    int dup = 0;
    for (size_t k = 0; k < nseen && !dup; k++)
      dup = strcmp(seen[k], key) == 0;
    if (dup) {
      free(key);
      continue;
    }
    seen[nseen++] = key;
    if (preflight_platform(opts, &pt, err) != 0) {
      /* Point at the attribute the problem is about, where the scenario (or --set, or a sweep) wrote it. */
      char culprit[160], reason[sizeof err->message];
      snprintf(culprit, sizeof culprit, "%s.%s", err->element, err->attribute);
      snprintf(reason, sizeof reason, "%s", err->message);
      if (err->element[0] == '\0' || scenario_locate(sc, i, culprit, reason, err) != 0)
        snprintf(err->file, sizeof err->file, "%s", opts->scenario_path);
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
  if (pajeopts_check(opts->sg_argc, opts->sg_argv, opts->paje, err) != 0)
    return NULL;
  scenario_t sc = scenario_load(opts->scenario_path, err);
  if (sc == NULL)
    return NULL;
  for (int i = 0; i < opts->nsets; i++)
    if (scenario_set(sc, opts->sets[i], err) != 0)
      goto fail;
  if (scenario_check(sc, err) != 0)
    goto fail;
  if (opts->paje && pajeopts_check_scenario(sc, err) != 0)
    goto fail;
  if (preflight_all(opts, sc, err) != 0)
    goto fail;
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
    printf("%s: %zu x ", scenario_sweep_name(sc, d), scenario_sweep_size(sc, d));
  printf("%ld replications) on %s\n", b->replications, b->platform_file);
  scenario_free(sc);
  return 0;
}

/* ---- one point, in a child process ---- */

typedef struct point_args {
  const run_options_t* opts;
  const_scenario_t sc;
  size_t index;
  const char* dir;
} point_args_t;

/* Fault injection for the runner's own tests: VNICSIM_FAULT="crash:N" makes point N abort, "hang:N" makes it never
 * end (to exercise --point-timeout). Documented in the README; it changes nothing when unset. */
static void inject_fault(size_t index)
{
  const char* f = getenv("VNICSIM_FAULT");
  if (f == NULL)
    return;
  char kind[16];
  unsigned long at;
  if (sscanf(f, "%15[a-z]:%lu", kind, &at) != 2 || at != index)
    return;
  if (strcmp(kind, "crash") == 0) {
    fprintf(stderr, "vnicsim: fault injected by VNICSIM_FAULT: crashing point %zu\n", index);
    abort();
  }
  if (strcmp(kind, "hang") == 0)
    for (;;)
      pause();
}

/* A row of the per-WR trace, as the simulation hands the WRs over. */
static void trace_row(void* data, const wr_t* wr)
{
  results_trace_row(data, wr);
}

/* The protocol of a point's result pipe: "M <hosts,consumers_per_host,consumers,metrics...>", "H <host cells>" per
 * host, "C <check cells>", then "E" once everything is written; "X <message>" reports an error instead. */
static void point_body(void* data, int fd)
{
  const point_args_t* a = data;
  point_t pt;
  vn_error_t err;
  vn_error_clear(&err);
  FILE* out = fdopen(fd, "w");
  if (out == NULL || scenario_point(a->sc, a->index, &pt, &err) != 0)
    _exit(VN_EXIT_INTERNAL);
  inject_fault(a->index);
  /* The per-WR trace is written while the point runs (a run that outgrows its exact statistics hands its WRs over as
   * they settle), into a file that is renamed into place only once whole. */
  outfile_t trace_file = NULL;
  char trace_path[PATH_MAX + 64];
  if (a->opts->trace) {
    snprintf(trace_path, sizeof trace_path, "%s/trace/point-%05zu.csv", a->dir, a->index);
    trace_file = outfile_open(trace_path, NULL);
    if (trace_file == NULL) {
      fprintf(out, "X cannot write the trace %s: %s\n", trace_path, strerror(errno));
      fclose(out);
      _exit(0);
    }
    results_trace_header(outfile_stream(trace_file));
  }
  /* The Paje trace: SimGrid writes it, into a temporary renamed into place once the point has ended. */
  outfile_t paje_file = NULL;
  char paje_path[PATH_MAX + 64];
  if (a->opts->paje) {
    snprintf(paje_path, sizeof paje_path, "%s/trace/point-%05zu.paje", a->dir, a->index);
    paje_file = outfile_open(paje_path, NULL);
    if (paje_file == NULL) {
      fprintf(out, "X cannot write the trace %s: %s\n", paje_path, strerror(errno));
      fclose(out);
      _exit(0);
    }
  }
  sim_trace_t trace = {.wr           = trace_file ? trace_row : NULL,
                       .data         = trace_file ? outfile_stream(trace_file) : NULL,
                       .paje_file    = paje_file ? outfile_temp_path(paje_file) : NULL,
                       .paje_start_s = a->opts->paje_start_s,
                       .paje_end_s   = a->opts->paje_end_s};
  sim_output_t o;
  if (sim_run(&pt.params, pt.seed, a->opts->sg_argc, a->opts->sg_argv, trace_file || paje_file ? &trace : NULL, &o,
              &err) != 0) {
    char msg[4096];
    vn_error_format(&err, msg, sizeof msg);
    fprintf(out, "X %s\n", msg);
    fclose(out);
    outfile_abandon(paje_file);
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
  if (trace_file != NULL && outfile_commit(trace_file, NULL) != 0) {
    fprintf(out, "X cannot write the trace %s: %s\n", trace_path, strerror(errno));
    fclose(out);
    _exit(0);
  }
  /* SimGrid wrote and closed the Paje trace when the simulation ended */
  if (paje_file != NULL && outfile_commit(paje_file, NULL) != 0) {
    fprintf(out, "X cannot write the trace %s: %s\n", paje_path, strerror(errno));
    fclose(out);
    _exit(0);
  }
  fputs("E\n", out);
  fclose(out);
  _exit(0); /* without SimGrid's teardown (see the top of this file) */
}

typedef struct running {
  child_t child;
  size_t index;
  double started;
  int timed_out;
} running_t;

/* Record a finished child's point in the run directory. Returns 1 if it succeeded. */
/* Records point r->index as ok or failed; a failed point's reason is also copied into @p why (for the progress
 * line). */
static int record_point(rundir_t rd, const_scenario_t sc, running_t* r, double wall, char* why, size_t whylen)
{
  int status = child_wait(r->child);
  char* out  = child_output(r->child);
  char *m = NULL, *c = NULL, *x = NULL;
  int ended   = 0;
  char* hosts = NULL;
  size_t hlen = 0;
  FILE* hf    = open_memstream(&hosts, &hlen);
  for (char* line = out; *line;) {
    char* nl = strchr(line, '\n');
    if (nl == NULL)
      break; /* an unfinished line: the child died while writing */
    *nl = '\0';
    if (strncmp(line, "M ", 2) == 0)
      m = line + 2;
    else if (strncmp(line, "C ", 2) == 0)
      c = line + 2;
    else if (strncmp(line, "X ", 2) == 0)
      x = line + 2;
    else if (strncmp(line, "H ", 2) == 0)
      fprintf(hf, "%s\n", line + 2);
    else if (strcmp(line, "E") == 0)
      ended = 1;
    line = nl + 1;
  }
  fclose(hf);
  int ok = ended && m != NULL && c != NULL && x == NULL && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (ok) {
    point_t pt;
    scenario_point(sc, r->index, &pt, NULL);
    char* row  = NULL;
    size_t len = 0;
    FILE* f    = open_memstream(&row, &len);
    csv_write_field(f, pt.params.mode);
    fprintf(f, ",%s,ok,", m);
    fclose(f);
    rundir_set_ok(rd, r->index, row, hosts, c, wall);
    free(row);
  } else {
    char reason[2048], how[128];
    const char* msg = child_last_message(r->child);
    child_describe_status(status, how, sizeof how);
    if (x != NULL)
      snprintf(reason, sizeof reason, "%s", x);
    else if (r->timed_out)
      snprintf(reason, sizeof reason, "exceeded the point timeout (killed after %.0f s)", wall);
    else if (msg[0])
      snprintf(reason, sizeof reason, "the simulation process %s: %s", how, msg);
    else
      snprintf(reason, sizeof reason, "the simulation process %s before writing its results", how);
    rundir_set_failed(rd, r->index, reason, wall);
    snprintf(why, whylen, "%s", reason);
  }
  free(hosts);
  return ok;
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
  rundir_t rd = rundir_open(dir, sc, opts, &err);
  if (rd == NULL) {
    vn_error_print(&err, stderr);
    scenario_free(sc);
    return VN_EXIT_INPUT;
  }

  struct sigaction sa = {.sa_handler = on_signal};
  sigemptyset(&sa.sa_mask);
  struct sigaction old_int, old_term;
  interrupted_by = 0;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);

  size_t n    = scenario_point_count(sc);
  size_t todo = n - rundir_kept_count(rd);
  double t0   = monotonic_s();
  int width   = snprintf(NULL, 0, "%zu", todo);
  fprintf(stderr, "vnicsim: %s: %zu points", opts->scenario_path, n);
  if (rundir_kept_count(rd) > 0)
    fprintf(stderr, " (%zu kept from the earlier run, %zu to run)", rundir_kept_count(rd), todo);
  fprintf(stderr, ", %d at a time, results in %s\n", opts->jobs, dir);

  running_t* run     = xbt_new0(running_t, opts->jobs);
  struct pollfd* fds = xbt_new0(struct pollfd, 2 * (size_t)opts->jobs);
  size_t* fd_owner   = xbt_new0(size_t, 2 * (size_t)opts->jobs);
  size_t next = 0, active = 0, done = 0, failed = 0;
  int io_error = 0;
  while ((next < n || active > 0) && !interrupted_by && !io_error) {
    /* start points while there is room */
    for (int slot = 0; slot < opts->jobs && next < n; slot++) {
      if (run[slot].child != NULL)
        continue;
      while (next < n && rundir_kept(rd, next))
        next++;
      if (next >= n)
        break;
      point_args_t a = {.opts = opts, .sc = sc, .index = next, .dir = dir};
      child_t c      = child_spawn(point_body, &a, 1);
      if (c == NULL) {
        fprintf(stderr, "vnicsim: error: cannot start a process: %s\n", strerror(errno));
        io_error = 1;
        break;
      }
      run[slot] = (running_t){.child = c, .index = next, .started = monotonic_s()};
      next++;
      active++;
    }
    while (next < n && rundir_kept(rd, next))
      next++;
    if (active == 0)
      break;
    size_t nf = 0;
    for (int slot = 0; slot < opts->jobs; slot++)
      if (run[slot].child != NULL) {
        size_t k = child_pollfds(run[slot].child, fds + nf);
        for (size_t j = 0; j < k; j++)
          fd_owner[nf + j] = (size_t)slot;
        nf += k;
      }
    int pr = poll(fds, nf, 250);
    if (pr < 0 && errno != EINTR)
      break;
    for (size_t k = 0; k < nf && pr > 0; k++)
      if (fds[k].revents & (POLLIN | POLLHUP | POLLERR))
        child_read(run[fd_owner[k]].child, fds[k].fd);
    double now = monotonic_s();
    for (int slot = 0; slot < opts->jobs && !interrupted_by; slot++) {
      running_t* r = &run[slot];
      if (r->child == NULL)
        continue;
      if (opts->point_timeout_s > 0 && !r->timed_out && now - r->started > opts->point_timeout_s) {
        r->timed_out = 1;
        kill(child_pid(r->child), SIGKILL);
      }
      if (!child_drained(r->child))
        continue;
      double wall    = now - r->started;
      char why[2048] = "";
      int ok         = record_point(rd, sc, r, wall, why, sizeof why);
      done++;
      failed += !ok;
      char desc[1024];
      describe_point(desc, sizeof desc, sc, r->index);
      if (ok)
        fprintf(stderr, "[%*zu/%zu] %s  ok  %.2f s\n", width, done, todo, desc, wall);
      else
        fprintf(stderr, "[%*zu/%zu] %s  FAILED  %.2f s: %s\n", width, done, todo, desc, wall, why);
      child_free(r->child);
      r->child = NULL;
      active--;
      if (rundir_write_tables(rd) != 0) {
        fprintf(stderr, "vnicsim: error: cannot write the results in %s: %s\n", dir, strerror(errno));
        io_error = 1;
      }
    }
  }
  /* Interrupted (or an I/O error): stop what still runs; those points stay "not run". */
  for (int slot = 0; slot < opts->jobs; slot++)
    if (run[slot].child != NULL) {
      child_kill(run[slot].child);
      child_free(run[slot].child);
    }
  free(run);
  free(fds);
  free(fd_owner);
  double total = monotonic_s() - t0;
  if (rundir_write_tables(rd) != 0 || rundir_write_manifest(rd, total, interrupted_by != 0) != 0) {
    fprintf(stderr, "vnicsim: error: cannot write the results in %s: %s\n", dir, strerror(errno));
    io_error = 1;
  }
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);

  int rc = 0;
  if (interrupted_by) {
    fprintf(stderr,
            "vnicsim: interrupted after %zu of %zu points; the finished ones are in %s (run again with --resume to "
            "run the others)\n",
            done, todo, dir);
    rc = 128 + interrupted_by;
  } else if (io_error) {
    rc = VN_EXIT_INTERNAL;
  } else if (failed > 0) {
    fprintf(stderr, "vnicsim: %zu of %zu points failed (see the status and reason columns of %s/results.csv)\n", failed,
            todo, dir);
    rc = VN_EXIT_INTERNAL;
  } else {
    fprintf(stderr, "vnicsim: %zu points in %.1f s; results in %s/results.csv\n", todo, total, dir);
  }
  rundir_close(rd);
  scenario_free(sc);
  return rc;
}
