/* bench: `vnicsim bench`: simulation speed and memory of scenario points, each measured against a bare SimGrid
 * program in the same run.
 *
 * For a point, a child process runs the full vnicsim simulation and reports its wall time, its WRs, its network
 * transfers, its actors' simulation steps and its peak memory, and records its messages. A second child then runs
 * the bare SimGrid program of bench_bare.c on the same platform: the same messages from the same hosts at the same
 * instants when WRs cross the network, else one actor per consumer taking the same number of simulation steps. That
 * is the least a SimGrid program can do to produce the same work, so the ratio of the two rates measures what
 * vnicsim's NICs, consumers and access modes cost on top of SimGrid; it does not depend on the machine's speed.
 *
 * The messages are sent by as few actors per host as their overlap needs (--senders host, the default and the
 * baseline of the README's figures), or by an actor per consumer (--senders consumer: vnicsim's own actors, one per
 * core). The two differ where a host has many cores that each send rarely: SimGrid's cost of waking an actor grows
 * with the number of actors (README, "Speed and memory"), so the first ratio includes what having an actor per core
 * costs in SimGrid, and the second leaves it out.
 */
#include "tools/bench.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xbt/sysdep.h>

#include "base/error.h"
#include "model/sim.h"
#include "run/runner.h"
#include "scenario/scenario.h"
#include "tools/bench_bare.h"

/* What the vnicsim child reports. */
typedef struct bench_figures {
  long wrs;
  long transfers;
  long steps;
  long actors;
  long consumers;
  double wall_s; /* the whole point: set-up, simulation, statistics */
  double run_s;  /* the simulation loop alone (simgrid_run), as measured for the bare program */
  long maxrss_KiB;
} bench_figures_t;

/* What the bare child reports. */
typedef struct bare_figures {
  double run_s; /* its simulation loop */
  long actors;
} bare_figures_t;

/* What both children of a point need. */
typedef struct bench_job {
  const point_t* pt;
  bench_senders_t senders;
  int sg_argc;
  char** sg_argv;
  const char* msgfile;            /* vnicsim's messages, written by the first child, read by the second */
  const bench_figures_t* figures; /* the first child's report, for the second */
} bench_job_t;

static double monotonic_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- the two children ---- */

/* vnicsim on the point; reports its figures on @p fd and records its messages. */
static void child_vnicsim(const bench_job_t* job, int fd)
{
  const point_t* pt = job->pt;
  sim_output_t o;
  vn_error_t err;
  double t0 = monotonic_s();
  if (sim_run(&pt->params, pt->seed, job->sg_argc, job->sg_argv, NULL, &o, &err) != 0) {
    vn_error_print(&err, stderr);
    _exit(VN_EXIT_INPUT);
  }
  double wall = monotonic_s() - t0;
  if (!o.metrics.exact_stats) {
    /* The bare program replays vnicsim's messages from the WR records, which a binned run no longer has. */
    fprintf(stderr,
            "vnicsim: error: bench: the point outgrew scenario.stats-memory (%.0f bytes of WR records), so "
            "its messages cannot be replayed; raise it with --set scenario.stats-memory=SIZE\n",
            pt->params.stats_memory_B);
    _exit(VN_EXIT_INPUT);
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  bench_figures_t f = {.wrs        = o.metrics.wr_created,
                       .transfers  = o.checks.transfers,
                       .steps      = o.checks.actor_steps,
                       .actors     = o.checks.actors,
                       .consumers  = o.consumers,
                       .wall_s     = wall,
                       .run_s      = o.run_wall_s,
                       .maxrss_KiB = ru.ru_maxrss};
  if (f.transfers > 0) {
    errno  = 0;
    long w = bench_bare_record(job->msgfile, o.wrs, pt->params.header_B);
    if (w != f.transfers) {
      fprintf(stderr, "vnicsim: error: bench: cannot write the messages to replay in %s: %s\n", job->msgfile,
              errno != 0 ? strerror(errno) : "short write");
      _exit(VN_EXIT_INTERNAL);
    }
  }
  if (write(fd, &f, sizeof f) != (ssize_t)sizeof f)
    _exit(VN_EXIT_INTERNAL);
  _exit(0);
}

/* The bare program on the point; reports the wall time of its simulation loop and its actors on @p fd. */
static void child_bare(const bench_job_t* job, int fd)
{
  const bench_figures_t* v = job->figures;
  bare_figures_t b;
  b.run_s = bench_bare_run(&job->pt->params, job->sg_argc, job->sg_argv, job->senders, v->transfers, job->msgfile,
                           v->consumers, v->steps, &b.actors);
  if (b.run_s < 0 || write(fd, &b, sizeof b) != (ssize_t)sizeof b)
    _exit(VN_EXIT_INTERNAL);
  _exit(0);
}

/* Fork @p body, read @p len bytes of its report. Returns 0 when the child reported, VN_EXIT_INPUT when it refused
 * the point as bad input (it said why), else VN_EXIT_INTERNAL. */
static int run_child(void (*body)(const bench_job_t*, int), const bench_job_t* job, void* report, size_t len)
{
  int p[2];
  if (pipe(p) != 0)
    return VN_EXIT_INTERNAL;
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return VN_EXIT_INTERNAL;
  }
  if (pid == 0) {
    close(p[0]);
    body(job, p[1]);
    _exit(VN_EXIT_INTERNAL);
  }
  close(p[1]);
  size_t got = 0;
  while (got < len) {
    ssize_t r = read(p[0], (char*)report + got, len - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    got += (size_t)r;
  }
  close(p[0]);
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (got == len)
    return 0;
  return WIFEXITED(status) && WEXITSTATUS(status) == VN_EXIT_INPUT ? VN_EXIT_INPUT : VN_EXIT_INTERNAL;
}

/* ---- the command ---- */

/* The points to measure (to free): the @p nchosen indices given, each checked, or by default those with the most
 * consumers per host in the first replication. NULL on a bad index (reported). */
static long* choose_points(scenario_t sc, const long* chosen, int nchosen, int* npoints)
{
  size_t n     = scenario_point_count(sc);
  long* points = xbt_new0(long, n + (size_t)nchosen + 1);
  *npoints     = 0;
  for (int k = 0; k < nchosen; k++) {
    if ((size_t)chosen[k] >= n) {
      fprintf(stderr, "vnicsim: error: bench: --point %ld: no such point (the scenario has %zu points, 0 to %zu)\n",
              chosen[k], n, n > 0 ? n - 1 : 0);
      free(points);
      return NULL;
    }
    points[(*npoints)++] = chosen[k];
  }
  if (nchosen > 0)
    return points;
  long most = 0;
  point_t pt;
  for (size_t i = 0; i < n; i++)
    if (scenario_point(sc, i, &pt, NULL) == 0 && pt.replication == 0 && params_consumers_per_host(&pt.params) > most)
      most = params_consumers_per_host(&pt.params);
  for (size_t i = 0; i < n; i++)
    if (scenario_point(sc, i, &pt, NULL) == 0 && pt.replication == 0 && params_consumers_per_host(&pt.params) == most)
      points[(*npoints)++] = (long)i;
  return points;
}

/* One pair's ratio, and which pair it was. */
typedef struct pair_ratio {
  double ratio;
  int pair;
} pair_ratio_t;

static int by_ratio(const void* x, const void* y)
{
  double a = ((const pair_ratio_t*)x)->ratio, b = ((const pair_ratio_t*)y)->ratio;
  return (a > b) - (a < b);
}

/* Measures point @p index @p repeat times, the two programs alternately, and prints the row of the pair whose ratio
 * is the median (the lower middle one for an even count), so that the row's figures belong together; with more than
 * one pair, a comment line gives every pair's ratio. Alternating the two programs keeps a drift of the machine's speed
 * from favouring either. Returns 0, VN_EXIT_INPUT when the point is refused as bad input at run time (a child said
 * why), or VN_EXIT_INTERNAL when a child failed. */
static int bench_point(scenario_t sc, long index, const bench_opts_t* o, int sg_argc, char** sg_argv,
                       const char* msgfile)
{
  point_t pt;
  scenario_point(sc, (size_t)index, &pt, NULL);
  int repeat          = o->repeat;
  bench_figures_t* f  = xbt_new0(bench_figures_t, (size_t)repeat);
  double* bare_rate   = xbt_new0(double, (size_t)repeat);
  long* bare_actors   = xbt_new0(long, (size_t)repeat);
  pair_ratio_t* pairs = xbt_new0(pair_ratio_t, (size_t)repeat); /* in run order */
  int rc              = 0;
  for (int r = 0; r < repeat; r++) {
    bench_job_t job = {
        .pt = &pt, .senders = o->senders, .sg_argc = sg_argc, .sg_argv = sg_argv, .msgfile = msgfile, .figures = &f[r]};
    bare_figures_t b;
    rc = run_child(child_vnicsim, &job, &f[r], sizeof f[r]);
    if (rc == 0)
      rc = run_child(child_bare, &job, &b, sizeof b);
    if (rc != 0) {
      if (rc != VN_EXIT_INPUT) /* bad input: the child said why */
        fprintf(stderr, "vnicsim: error: point %ld: a benchmark child failed\n", index);
      break;
    }
    int network    = f[r].transfers > 0;
    double ours    = (network ? (double)f[r].transfers : (double)f[r].wrs) / f[r].run_s;
    bare_rate[r]   = (network ? (double)f[r].transfers : (double)f[r].steps) / b.run_s;
    bare_actors[r] = b.actors;
    pairs[r]       = (pair_ratio_t){.ratio = ours / bare_rate[r], .pair = r};
  }
  if (rc == 0) {
    pair_ratio_t* sorted = xbt_new0(pair_ratio_t, (size_t)repeat);
    memcpy(sorted, pairs, (size_t)repeat * sizeof *sorted);
    qsort(sorted, (size_t)repeat, sizeof *sorted, by_ratio);
    pair_ratio_t median       = sorted[(repeat - 1) / 2];
    const bench_figures_t* fm = &f[median.pair];
    char desc[512]            = "";
    size_t w                  = 0;
    for (size_t d = 0; d < scenario_sweep_count(sc) && w < sizeof desc; d++)
      w += (size_t)snprintf(desc + w, sizeof desc - w, "%s%s", d ? " " : "", pt.values[d]);
    printf("%-6ld %-34s %9ld %9ld %8.2f %8.2f %11.0f %9.2f %7ld %7ld %11.0f %11s %7.3f %6.0f MB\n", index, desc,
           fm->wrs, fm->transfers, fm->wall_s, fm->run_s, (double)fm->wrs / fm->run_s,
           (double)fm->steps / (double)fm->wrs, fm->actors, bare_actors[median.pair], bare_rate[median.pair],
           fm->transfers > 0 ? "messages/s" : "steps/s", median.ratio, (double)fm->maxrss_KiB / 1024.0);
    if (repeat > 1) {
      printf("# point %ld: ratio of each of the %d pairs, in run order:", index, repeat);
      for (int r = 0; r < repeat; r++)
        printf(" %.3f", pairs[r].ratio);
      printf(" (min %.3f, median %.3f, max %.3f)\n", sorted[0].ratio, median.ratio, sorted[repeat - 1].ratio);
    }
    fflush(stdout);
    free(sorted);
  }
  free(f);
  free(bare_rate);
  free(bare_actors);
  free(pairs);
  return rc;
}

int bench_command(const char* path, const bench_opts_t* o, int sg_argc, char** sg_argv)
{
  char default_path[PATH_MAX];
  snprintf(default_path, sizeof default_path, "%s/scenarios/default.xml", VNICSIM_SOURCE_DIR);
  if (path == NULL)
    path = default_path;
  vn_error_t err;
  vn_error_clear(&err);
  /* Validated as `run` and `check` validate it, before anything is printed: the SimGrid options first (one SimGrid
   * refuses would otherwise end a benchmark child with SimGrid's uncaught exception, and one that contradicts the
   * scenario, network/model or surf/precision, would measure something else than the point), then the scenario with
   * its overrides and every point's platform (a host with fewer cores than consumers would otherwise fail in a
   * child, after the table's header). */
  run_options_t ro = {
      .scenario_path = path, .sets = (const char**)o->sets, .nsets = o->nsets, .sg_argc = sg_argc, .sg_argv = sg_argv};
  scenario_t sc = runner_load(&ro, NULL, &err);
  if (sc == NULL) {
    vn_error_print(&err, stderr);
    return VN_EXIT_INPUT;
  }
  int npoints;
  long* points = choose_points(sc, o->chosen, o->nchosen, &npoints);
  if (points == NULL) {
    scenario_free(sc);
    return VN_EXIT_INPUT;
  }
  /* The messages vnicsim sent, for the bare program to replay: a temporary file in $TMPDIR (default /tmp). */
  const char* tmp = getenv("TMPDIR");
  if (tmp == NULL || tmp[0] == '\0')
    tmp = "/tmp";
  char msgfile[PATH_MAX];
  if (snprintf(msgfile, sizeof msgfile, "%s/vnicsim-bench-XXXXXX", tmp) >= (int)sizeof msgfile) {
    fprintf(stderr, "vnicsim: error: bench: TMPDIR is too long for a path\n");
    free(points);
    scenario_free(sc);
    return VN_EXIT_INPUT;
  }
  int mfd = mkstemp(msgfile);
  if (mfd < 0) {
    fprintf(stderr, "vnicsim: error: bench: cannot create a temporary file in %s: %s\n", tmp, strerror(errno));
    free(points);
    scenario_free(sc);
    return VN_EXIT_INTERNAL;
  }
  close(mfd);

  printf("# vnicsim bench: %s\n# each point: vnicsim, then a bare SimGrid program on the same platform (the same "
         "messages from the same hosts when WRs cross the network, sent by %s, else an actor per consumer taking "
         "the same number of steps)%s\n",
         path,
         o->senders == BENCH_SENDERS_PER_CONSUMER ? "an actor per consumer (more where its own messages overlap)"
                                                  : "as few actors per host as their overlap needs",
         o->repeat > 1 ? ";\n# both programs run alternately --repeat times; a row is the pair with the median ratio"
                       : "");
  printf("%-6s %-34s %9s %9s %8s %8s %11s %9s %7s %7s %11s %11s %7s %9s\n", "point", "sweep values", "WRs", "transfers",
         "wall_s", "run_s", "WR/s", "steps/WR", "actors", "bare_a", "bare rate", "bare unit", "ratio", "maxrss");
  int rc = 0;
  for (int k = 0; k < npoints && rc == 0; k++)
    rc = bench_point(sc, points[k], o, sg_argc, sg_argv, msgfile);
  if (rc == 0)
    printf(
        "# WR/s and ratio use run_s, the simulation loop (simgrid_run), measured the same way for both programs;\n"
        "# wall_s is the whole point (platform, set-up, simulation, statistics). ratio: vnicsim's transfers (WRs when\n"
        "# all are looped back) per second over the bare program's messages (steps) per second. actors, bare_a: the\n"
        "# actors of each program (vnicsim's consumers and NIC actors; the bare program's senders or sleepers).\n");
  unlink(msgfile);
  free(points);
  scenario_free(sc);
  return rc;
}
