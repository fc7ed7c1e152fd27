/* runner: runs every point of a scenario, each in its own process, and keeps the results files whole.
 *
 * SimGrid has one engine per process, so every point is a fork()ed child of this process, which never initialises
 * SimGrid itself. A child runs its point, writes its result lines into a pipe and leaves with _exit(), skipping
 * SimGrid's teardown: SimGrid 3.32 crashes in ns-3's teardown after a run, and by then the results are complete.
 * The parent keeps up to `jobs` children running, collects their lines, and after each point rewrites the results
 * files whole (rundir.c). A child that crashes or runs past --point-timeout is recorded as failed, with its
 * parameters and the reason, and the sweep goes on. On SIGINT or SIGTERM the running children are stopped and the
 * finished points stay on disk; --resume runs only the missing ones. Whatever kills this process, its children die
 * with it (child.c). Nothing is written before everything is checked: the SimGrid options (sgopts.c), the scenario
 * and its platforms, the output path and the directory's lock (rundir.c); progress goes to stderr (progress.c).
 * docs/running.md describes the behaviour.
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
#include "base/sysmem.h"
#include "model/estimate.h"
#include "model/sim.h"
#include "run/child.h"
#include "run/pajeopts.h"
#include "run/progress.h"
#include "run/results.h"
#include "run/rundir.h"
#include "run/sgopts.h"
#include "run/value_labels.h"
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
  if (sim_check_platform(&a->pt->params, a->opts->sg_argc, a->opts->sg_argv, &n, &e) == 0) {
    fprintf(out, "OK %d\n", n);
  } else {
    const char* fields[] = {e.element, e.attribute, e.value, e.message};
    fputs("ERR\n", out);
    for (int i = 0; i < 4; i++) {
      child_put_escaped(out, fields[i]); /* a value may hold a line break (a host's name) */
      fputc('\n', out);
    }
  }
  fclose(out);
  _exit(0); /* without SimGrid's teardown */
}

/* The platform of point `pt` loads in SimGrid, its host selection fits, and (ns-3) it carries a transfer: checked in
 * a child process, because SimGrid aborts on what it cannot use. */
static int preflight_platform(const run_options_t* opts, const point_t* pt, int* nhosts, vn_error_t* err)
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
    rc      = 0;
    *nhosts = atoi(out + 3);
  } else if (strncmp(out, "ERR\n", 4) == 0) {
    /* element, attribute, value (each possibly empty), message */
    char* fields[4] = {"", "", "", "invalid"};
    char* p         = out + 4;
    for (int i = 0; i < 4 && p != NULL && *p; i++) {
      fields[i] = p;
      p         = strchr(p, '\n');
      if (p != NULL)
        *p++ = '\0';
      child_unescape(fields[i]);
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

/* The key of a point's platform set-up: points that share it load the same platform with the same hosts. */
static char* platform_key(const params_t* p)
{
  char* key = NULL;
  if (asprintf(&key, "%s|%s|%s|%d|%s|%ld", p->platform_file, p->network_model, p->hosts, (int)p->pattern, p->hot_host,
               params_consumers_per_host(p)) < 0)
    xbt_die("out of memory");
  return key;
}

/* Distinct platform set-ups among the points, each checked once; @p nhosts (may be NULL) gets every point's number of
 * selected hosts. */
static int preflight_all(const run_options_t* opts, const_scenario_t sc, int* nhosts, vn_error_t* err)
{
  size_t n     = scenario_point_count(sc);
  char** seen  = xbt_new0(char*, n);
  int* counts  = xbt_new0(int, n);
  size_t nseen = 0;
  int rc       = 0;
  for (size_t i = 0; i < n && rc == 0; i++) {
    point_t pt;
    if (scenario_point(sc, i, &pt, err) != 0) {
      rc = -1;
      break;
    }
    char* key = platform_key(&pt.params);
    size_t k  = 0;
    while (k < nseen && strcmp(seen[k], key) != 0)
      k++;
    if (k < nseen) {
      free(key);
      if (nhosts != NULL)
        nhosts[i] = counts[k];
      continue;
    }
    seen[nseen++] = key;
    if (preflight_platform(opts, &pt, &counts[k], err) != 0) {
      /* Point at the attribute the problem is about, where the scenario (or --set, or a sweep) wrote it. */
      char culprit[160], reason[sizeof err->message];
      snprintf(culprit, sizeof culprit, "%s.%s", err->element, err->attribute);
      snprintf(reason, sizeof reason, "%s", err->message);
      if (err->element[0] == '\0' || scenario_locate(sc, i, culprit, reason, err) != 0)
        snprintf(err->file, sizeof err->file, "%s", opts->scenario_path);
      rc = -1;
    }
    if (nhosts != NULL)
      nhosts[i] = counts[k];
  }
  for (size_t k = 0; k < nseen; k++)
    free(seen[k]);
  free(seen);
  free(counts);
  return rc;
}

static scenario_t load_validated(const run_options_t* opts, int** nhosts, vn_error_t* err)
{
  /* The command line first: a SimGrid option SimGrid refuses, or one that contradicts the scenario, would otherwise
   * surface in the platform check and be blamed on the scenario's <platform> line. */
  if (sgopts_check(opts->sg_argc, opts->sg_argv, opts->paje, err) != 0)
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
  if (nhosts != NULL)
    *nhosts = xbt_new0(int, scenario_point_count(sc) + 1);
  if (preflight_all(opts, sc, nhosts ? *nhosts : NULL, err) != 0) {
    if (nhosts != NULL) {
      free(*nhosts);
      *nhosts = NULL;
    }
    goto fail;
  }
  return sc;
fail:
  scenario_free(sc);
  return NULL;
}

/* ---- memory and time, estimated ---- */

/* The memory limit the points are checked against: --memory-limit, else this machine's (or its control group's). */
static double memory_limit(const run_options_t* opts, char* from, size_t len)
{
  if (opts->memory_limit_B > 0) {
    snprintf(from, len, "--memory-limit");
    return opts->memory_limit_B;
  }
  double limit;
  sysmem_limit(&limit, from, len);
  return limit;
}

/* What runner_estimate() finds: the points with the largest memory and the longest wall time, and the sum. */
typedef struct sweep_estimate {
  size_t points;
  size_t biggest, longest;
  estimate_t mem;
  estimate_time_t time, longest_time;
  double total_s;
  size_t over; /* points estimated above the limit */
  size_t first_over;
  estimate_t first_over_mem;
} sweep_estimate_t;

static void estimate_points(const_scenario_t sc, const int* nhosts, const unsigned char* mask, double limit,
                            sweep_estimate_t* e)
{
  memset(e, 0, sizeof *e);
  point_t pt;
  for (size_t i = 0; i < scenario_point_count(sc); i++) {
    if (mask != NULL && !mask[i])
      continue;
    scenario_point(sc, i, &pt, NULL);
    estimate_t m      = estimate_memory(&pt.params, nhosts[i]);
    estimate_time_t t = estimate_wall(&pt.params, nhosts[i]);
    if (e->points == 0 || m.total_B > e->mem.total_B) {
      e->biggest = i;
      e->mem     = m;
      e->time    = t;
    }
    if (e->points == 0 || t.total_s > e->longest_time.total_s) {
      e->longest      = i;
      e->longest_time = t;
    }
    if (limit > 0 && m.total_B > limit && e->over++ == 0) {
      e->first_over     = i;
      e->first_over_mem = m;
    }
    e->total_s += t.total_s;
    e->points++;
  }
}

static void format_bytes(double b, char* buf, size_t len)
{
  if (b >= 1024.0 * 1024 * 1024)
    snprintf(buf, len, "%.1f GiB", b / (1024.0 * 1024 * 1024));
  else
    snprintf(buf, len, "%.0f MiB", b / (1024.0 * 1024));
}

/* The sweep values of point @p i, for people ("nic.service-time=200 ns config=lock"). */
static void point_label(const_scenario_t sc, size_t i, char* buf, size_t len)
{
  point_t pt;
  scenario_point(sc, i, &pt, NULL);
  size_t used = (size_t)snprintf(buf, len, "point %zu", i);
  for (size_t d = 0; d < scenario_sweep_count(sc) && used < len; d++) {
    char v[128];
    labels_format_value(scenario_sweep_name(sc, d), pt.values[d], v, sizeof v);
    used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", d ? " " : " (", scenario_sweep_name(sc, d), v);
  }
  if (scenario_sweep_count(sc) > 0 && used < len)
    snprintf(buf + used, len - used, ")");
}

/* The refusal of a point whose estimated memory is above the limit (exit status 2). */
static void refuse_memory(const run_options_t* opts, const_scenario_t sc, const sweep_estimate_t* e, double limit,
                          const char* from, vn_error_t* err)
{
  char need[32], have[32], label[512];
  format_bytes(e->first_over_mem.total_B, need, sizeof need);
  format_bytes(limit, have, sizeof have);
  point_label(sc, e->first_over, label, sizeof label);
  vn_error_set(err, opts->scenario_path, 0, NULL, NULL, NULL,
               "%s needs an estimated %s of memory (%.0f actors, %.3g WRs), more than the %s of %s%s%s; run it on a "
               "machine with more memory (vnicsim submit --mem), lower scenario.stats-memory or the WRs, or give "
               "--memory-limit SIZE to check against another limit (the estimate errs on the high side: "
               "docs/model.md, section 7.5)",
               label, need, (double)e->first_over_mem.actors, e->first_over_mem.wrs, have, from,
               e->over > 1 ? "; so do other points: " : "", "");
  if (e->over > 1) {
    size_t l = strlen(err->message);
    snprintf(err->message + l, sizeof err->message - l, " (%zu points in all)", e->over);
  }
}

scenario_t runner_load(const run_options_t* opts, int** nhosts, vn_error_t* err)
{
  return load_validated(opts, nhosts, err);
}

double runner_estimate_wall(const_scenario_t sc, size_t index, int nhosts)
{
  point_t pt;
  if (scenario_point(sc, index, &pt, NULL) != 0)
    return 0;
  return estimate_wall(&pt.params, nhosts).total_s;
}

int runner_check(const run_options_t* opts)
{
  vn_error_t err;
  vn_error_clear(&err);
  int* nhosts   = NULL;
  scenario_t sc = load_validated(opts, &nhosts, &err);
  if (sc == NULL) {
    vn_error_print(&err, stderr);
    return VN_EXIT_INPUT;
  }
  const params_t* b = scenario_base(sc);
  printf("%s: scenario \"%s\" is valid: %zu run points (", opts->scenario_path, b->name, scenario_point_count(sc));
  for (size_t d = 0; d < scenario_sweep_count(sc); d++)
    printf("%s: %zu x ", scenario_sweep_name(sc, d), scenario_sweep_size(sc, d));
  printf("%ld replications) on %s\n", b->replications, b->platform_file);
  char from[160];
  double limit = memory_limit(opts, from, sizeof from);
  sweep_estimate_t e;
  estimate_points(sc, nhosts, NULL, limit, &e);
  char label[512], mem[32], lim[32], total[64], one[64];
  point_label(sc, e.biggest, label, sizeof label);
  format_bytes(e.mem.total_B, mem, sizeof mem);
  format_bytes(limit, lim, sizeof lim);
  progress_format_duration(e.time.total_s, one, sizeof one);
  printf("largest point: %s: %d hosts, %ld actors, %.0f WRs\n", label, nhosts[e.biggest], e.mem.actors, e.mem.wrs);
  printf("  memory: about %s (at most %s: %s)\n", mem, lim, from);
  printf("  wall time: about %s (%.3g steps, %.2g per WR, at %.3g steps/s", one, e.time.steps, e.time.steps_per_wr,
         e.time.steps_per_s);
  if (e.time.flows > 0)
    printf(" with up to %.3g transfers in flight", e.time.flows);
  printf(", and %.2g s of set-up)\n", e.time.setup_s);
  if (e.longest != e.biggest) {
    point_label(sc, e.longest, label, sizeof label);
    progress_format_duration(e.longest_time.total_s, one, sizeof one);
    printf("longest point: %s: about %s\n", label, one);
  }
  progress_format_duration(e.total_s, total, sizeof total);
  printf("all %zu points: about %s of wall time one after the other (divide by the points run at once)\n", e.points,
         total);
  int rc = 0;
  if (e.over > 0) {
    refuse_memory(opts, sc, &e, limit, from, &err);
    vn_error_print(&err, stderr);
    rc = VN_EXIT_INPUT;
  }
  free(nhosts);
  scenario_free(sc);
  return rc;
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

/* Write one line of the result pipe: @p tag, a blank, then what @p fill writes, escaped (child_put_escaped). */
static void put_line(FILE* out, const char* tag, void (*fill)(FILE*, const sim_output_t*, int), const sim_output_t* o,
                     int h)
{
  char* text = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&text, &len);
  fill(f, o, h);
  fclose(f);
  fprintf(out, "%s ", tag);
  child_put_escaped(out, text);
  fputc('\n', out);
  free(text);
}

static void fill_metrics(FILE* f, const sim_output_t* o, int h)
{
  fprintf(f, "%d,%ld,%ld,", o->nhosts, o->consumers_per_host, o->consumers);
  results_metric_cells(f, o);
}

static void fill_host(FILE* f, const sim_output_t* o, int h)
{
  results_host_cells(f, o, h);
}

static void fill_checks(FILE* f, const sim_output_t* o, int h)
{
  results_check_cells(f, o);
}

/* The failure of point_body: "X <message>" and the end of the child, whose unfinished traces are removed. */
__attribute__((noreturn)) static void point_failed(FILE* out, const char* msg, outfile_t trace_file,
                                                   outfile_t paje_file)
{
  outfile_abandon(trace_file);
  outfile_abandon(paje_file);
  fputs("X ", out);
  child_put_escaped(out, msg);
  fputc('\n', out);
  fclose(out);
  _exit(0);
}

/* The protocol of a point's result pipe, one record per line, each line's text escaped (a host's name may hold a line
 * break): "M <hosts,consumers_per_host,consumers,metrics...>", "H <host cells>" per host, "C <check cells>", then "E"
 * once everything is written; "X <message>" reports an error instead. */
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
  char msg[4096];
  /* The per-WR trace is written while the point runs (a run that outgrows its exact statistics hands its WRs over as
   * they settle), into a file that is renamed into place only once whole. */
  outfile_t trace_file = NULL;
  char trace_path[PATH_MAX + 64];
  if (a->opts->trace) {
    rundir_trace_path(a->dir, a->index, trace_path, sizeof trace_path);
    trace_file = outfile_open(trace_path, &err);
    if (trace_file == NULL) {
      vn_error_format(&err, msg, sizeof msg);
      point_failed(out, msg, NULL, NULL);
    }
    results_trace_header(outfile_stream(trace_file));
  }
  /* The Paje trace: SimGrid writes it, into a temporary renamed into place once the point has ended. */
  outfile_t paje_file = NULL;
  if (a->opts->paje) {
    char paje_path[PATH_MAX + 64];
    rundir_paje_path(a->dir, a->index, paje_path, sizeof paje_path);
    paje_file = outfile_open(paje_path, &err);
    if (paje_file == NULL) {
      vn_error_format(&err, msg, sizeof msg);
      point_failed(out, msg, trace_file, NULL);
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
    vn_error_format(&err, msg, sizeof msg);
    point_failed(out, msg, trace_file, paje_file);
  }
  put_line(out, "M", fill_metrics, &o, 0);
  for (int h = 0; h < o.nhosts; h++)
    put_line(out, "H", fill_host, &o, h);
  put_line(out, "C", fill_checks, &o, 0);
  if (trace_file != NULL && outfile_commit(trace_file, &err) != 0) {
    vn_error_format(&err, msg, sizeof msg);
    point_failed(out, msg, NULL, paje_file);
  }
  /* SimGrid wrote and closed the Paje trace when the simulation ended (sim_run); its window goes after */
  if (paje_file != NULL) {
    if (rundir_paje_mark(outfile_temp_path(paje_file), a->opts, &err) != 0) {
      vn_error_format(&err, msg, sizeof msg);
      point_failed(out, msg, NULL, paje_file);
    }
    if (outfile_commit(paje_file, &err) != 0) {
      vn_error_format(&err, msg, sizeof msg);
      point_failed(out, msg, NULL, NULL);
    }
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

/* Records point r->index as ok or failed; a failed point's reason is also copied into @p why (for the progress
 * line). Returns 1 if it succeeded. */
static int record_point(rundir_t rd, const_scenario_t sc, running_t* r, double wall, char* why, size_t whylen)
{
  int status = child_wait(r->child);
  char* out  = child_output(r->child);
  char *m = NULL, *c = NULL, *x = NULL;
  int ended     = 0;
  size_t nhosts = 0;
  for (const char* p = out; (p = strstr(p, "H ")) != NULL; p += 2)
    nhosts++; /* at least the host lines */
  const char** hosts = xbt_new0(const char*, nhosts + 1);
  nhosts             = 0;
  for (char* line = out; *line;) {
    char* nl = strchr(line, '\n');
    if (nl == NULL)
      break; /* an unfinished line: the child died while writing */
    *nl = '\0';
    if (strncmp(line, "M ", 2) == 0)
      m = child_unescape(line + 2);
    else if (strncmp(line, "C ", 2) == 0)
      c = child_unescape(line + 2);
    else if (strncmp(line, "X ", 2) == 0)
      x = child_unescape(line + 2);
    else if (strncmp(line, "H ", 2) == 0)
      hosts[nhosts++] = child_unescape(line + 2);
    else if (strcmp(line, "E") == 0)
      ended = 1;
    line = nl + 1;
  }
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
    rundir_set_ok(rd, r->index, row, hosts, nhosts, c, wall);
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

/* The run's state between the loop's steps. */
typedef struct run_state {
  const run_options_t* opts;
  const_scenario_t sc;
  rundir_t rd;
  progress_t progress;
  const char* dir;
  running_t* run;
  struct pollfd* fds;
  size_t* fd_owner;
  size_t n, next, active;
  int io_error;
} run_state_t;

/* A point this run does not run: not among those it takes, or kept from an earlier run. */
static int skipped(const s_rundir_t* rd, size_t i)
{
  return !rundir_selected(rd, i) || rundir_kept(rd, i);
}

/* Start points while there is a free slot and a point left. Returns -1 if a process cannot be started. */
static int start_points(run_state_t* st)
{
  for (int slot = 0; slot < st->opts->jobs && st->next < st->n; slot++) {
    if (st->run[slot].child != NULL)
      continue;
    while (st->next < st->n && skipped(st->rd, st->next))
      st->next++;
    if (st->next >= st->n)
      break;
    point_args_t a = {.opts = st->opts, .sc = st->sc, .index = st->next, .dir = rundir_path(st->rd)};
    /* A failing point's SimGrid output goes above its progress line; JSON progress keeps stderr to its objects (the
     * reason is in the point's object). */
    child_t c = child_spawn(point_body, &a, st->opts->progress != RUN_PROGRESS_JSON);
    if (c == NULL) {
      fprintf(stderr, "vnicsim: error: cannot start a process: %s\n", strerror(errno));
      return -1;
    }
    st->run[slot] = (running_t){.child = c, .index = st->next, .started = monotonic_s()};
    st->next++;
    st->active++;
  }
  while (st->next < st->n && skipped(st->rd, st->next))
    st->next++;
  return 0;
}

/* Wait (at most 250 ms) for the running points' output and read it. Returns -1 on a poll failure. */
static int read_points(run_state_t* st)
{
  size_t nf = 0;
  for (int slot = 0; slot < st->opts->jobs; slot++)
    if (st->run[slot].child != NULL) {
      size_t k = child_pollfds(st->run[slot].child, st->fds + nf);
      for (size_t j = 0; j < k; j++)
        st->fd_owner[nf + j] = (size_t)slot;
      nf += k;
    }
  int pr = poll(st->fds, nf, 250);
  if (pr < 0 && errno != EINTR)
    return -1;
  for (size_t k = 0; k < nf && pr > 0; k++)
    if (st->fds[k].revents & (POLLIN | POLLHUP | POLLERR))
      child_read(st->run[st->fd_owner[k]].child, st->fds[k].fd);
  return 0;
}

/* Kill the points past their timeout; record the ones that ended, and rewrite the tables after each. */
static void collect_points(run_state_t* st)
{
  double now = monotonic_s();
  for (int slot = 0; slot < st->opts->jobs && !interrupted_by; slot++) {
    running_t* r = &st->run[slot];
    if (r->child == NULL)
      continue;
    if (st->opts->point_timeout_s > 0 && !r->timed_out && now - r->started > st->opts->point_timeout_s) {
      r->timed_out = 1;
      kill(child_pid(r->child), SIGKILL);
    }
    if (!child_drained(r->child))
      continue;
    double wall    = now - r->started;
    char why[2048] = "";
    int ok         = record_point(st->rd, st->sc, r, wall, why, sizeof why);
    progress_point(st->progress, r->index, ok, wall, why);
    child_free(r->child);
    r->child = NULL;
    st->active--;
    vn_error_t err;
    vn_error_clear(&err);
    if (!st->io_error && rundir_write_progress(st->rd, progress_elapsed(st->progress), &err) != 0) {
      vn_error_print(&err, stderr);
      st->io_error = 1;
    }
  }
}

int runner_run(const run_options_t* opts)
{
  vn_error_t err;
  vn_error_clear(&err);
  int* nhosts   = NULL;
  scenario_t sc = load_validated(opts, &nhosts, &err);
  if (sc == NULL) {
    vn_error_print(&err, stderr);
    return VN_EXIT_INPUT;
  }
  /* The points this run takes, each within the memory limit (before anything is written). */
  char why[512], from[160];
  unsigned char* mask = shard_mask(&opts->shard, scenario_point_count(sc), why, sizeof why);
  double limit        = memory_limit(opts, from, sizeof from);
  sweep_estimate_t est;
  if (mask != NULL)
    estimate_points(sc, nhosts, mask, limit, &est);
  free(nhosts);
  if (mask == NULL || est.over > 0) {
    if (mask == NULL)
      vn_error_set(&err, NULL, 0, NULL, NULL, NULL, "%s", why);
    else
      refuse_memory(opts, sc, &est, limit, from, &err);
    vn_error_print(&err, stderr);
    free(mask);
    scenario_free(sc);
    return VN_EXIT_INPUT;
  }
  free(mask);
  const char* dir = opts->out_dir;
  char fallback[PATH_MAX + 16];
  if (dir == NULL) {
    snprintf(fallback, sizeof fallback, "results/%s", scenario_base(sc)->name);
    dir = fallback;
  }
  /* The whole path is checked before anything is created (rundir_open checks it again): it must fit, never be cut. */
  if (rundir_check_path(dir, opts->out_dir != NULL ? "-o" : "output directory (results/<scenario name>)", &err) != 0) {
    vn_error_print(&err, stderr);
    scenario_free(sc);
    return VN_EXIT_INPUT;
  }
  rundir_t rd = rundir_open(dir, sc, opts, &err);
  if (rd == NULL) {
    vn_error_print(&err, stderr);
    scenario_free(sc);
    return VN_EXIT_INPUT;
  }
  rundir_set_memory_limit(rd, limit, from);
  if (rundir_begin(rd, &err) != 0) {
    vn_error_print(&err, stderr);
    rundir_close(rd);
    scenario_free(sc);
    return VN_EXIT_INTERNAL;
  }

  struct sigaction sa = {.sa_handler = on_signal};
  sigemptyset(&sa.sa_mask);
  struct sigaction old_int, old_term;
  interrupted_by = 0;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);

  run_state_t st = {.opts = opts, .sc = sc, .rd = rd, .dir = dir, .n = scenario_point_count(sc)};
  st.progress    = progress_start(opts->progress, stderr, sc, opts->scenario_path, rundir_selected_count(rd),
                                  rundir_kept_count(rd), opts->jobs, rundir_path(rd));
  st.run         = xbt_new0(running_t, opts->jobs);
  st.fds         = xbt_new0(struct pollfd, 2 * (size_t)opts->jobs);
  st.fd_owner    = xbt_new0(size_t, 2 * (size_t)opts->jobs);
  while ((st.next < st.n || st.active > 0) && !interrupted_by && !st.io_error) {
    if (start_points(&st) != 0) {
      st.io_error = 1;
      break;
    }
    if (st.active == 0)
      break;
    if (read_points(&st) != 0)
      break;
    collect_points(&st);
  }
  /* Interrupted (or an I/O error): stop what still runs; those points stay "not run". */
  for (int slot = 0; slot < opts->jobs; slot++)
    if (st.run[slot].child != NULL) {
      child_kill(st.run[slot].child);
      child_free(st.run[slot].child);
    }
  free(st.run);
  free(st.fds);
  free(st.fd_owner);
  double total = progress_elapsed(st.progress);
  vn_error_clear(&err);
  if (!st.io_error &&
      (rundir_write_tables(rd, &err) != 0 || rundir_write_manifest(rd, total, interrupted_by != 0, &err) != 0)) {
    vn_error_print(&err, stderr);
    st.io_error = 1;
  }
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);

  int rc;
  progress_outcome_t outcome;
  if (interrupted_by) {
    rc      = 128 + interrupted_by;
    outcome = PROGRESS_INTERRUPTED;
  } else if (st.io_error) {
    rc      = VN_EXIT_INTERNAL;
    outcome = PROGRESS_ERROR;
  } else if (progress_failed(st.progress) > 0) {
    rc      = VN_EXIT_INTERNAL;
    outcome = PROGRESS_FAILED;
  } else {
    rc      = 0;
    outcome = PROGRESS_OK;
  }
  progress_end(st.progress, outcome, rc);
  progress_free(st.progress);
  rundir_close(rd);
  scenario_free(sc);
  return rc;
}
