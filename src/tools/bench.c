/* bench: simulation speed and memory, each measured against a bare SimGrid program in the same run.
 *
 * For a scenario point, a child process runs the full vnicsim simulation and reports its wall time, its WRs, its
 * network transfers, its actors' simulation steps and its peak memory. A second child then runs a bare SimGrid
 * program on the same platform with the same number of actors:
 *   - when WRs cross the network: the same messages over the same platform, each starting at the instant vnicsim
 *     started it (same source, destination and size), so SimGrid's network model sees exactly the same traffic.
 *     On each source host the messages are spread over as many sender actors as vnicsim needed there (given the
 *     recorded transfer times, no sender is ever busy when its next message is due); each sender sleeps until its
 *     message's start and sends it with sg_host_sendto. This is the least a SimGrid program can do to produce that
 *     traffic, so the ratio measures what vnicsim's NICs, consumers and access modes cost on top of the network;
 *   - when every WR is looped back in its NIC: every actor sleeps as many times as vnicsim's actors took steps, for
 *     pseudo-random durations of 1 ns to 1 us (so, as in the model, nearly every wake-up is an instant of its own).
 * The ratio of the two rates is the figure to report: it does not depend on the machine's speed.
 */
#include "tools/bench.h"

#include <errno.h>
#include <limits.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdint.h>
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
#include "scenario/param_table.h"
#include "scenario/scenario.h"

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

/* One message of the network baseline, as vnicsim sent it. */
typedef struct bench_msg {
  int32_t src;
  int32_t dst;
  double bytes;
  double start; /* when its transfer started (the end of the NIC's service) */
  double end;   /* when it ended */
} bench_msg_t;

static double monotonic_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- the two children ---- */

static void child_vnicsim(const point_t* pt, int sg_argc, char** sg_argv, int fd, const char* msgfile)
{
  sim_output_t o;
  vn_error_t err;
  double t0 = monotonic_s();
  if (sim_run(&pt->params, pt->seed, sg_argc, sg_argv, &o, &err) != 0) {
    vn_error_print(&err, stderr);
    _exit(VN_EXIT_INPUT);
  }
  double wall = monotonic_s() - t0;
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
    FILE* m = fopen(msgfile, "wb");
    if (m == NULL)
      _exit(VN_EXIT_INTERNAL);
    size_t n = wrtable_count(o.wrs);
    for (size_t i = 0; i < n; i++) {
      const wr_t* w = wrtable_at(o.wrs, i);
      if (!w->delivered || w->dst_host == w->src_host)
        continue;
      bench_msg_t msg = {.src   = w->src_host,
                         .dst   = w->dst_host,
                         .bytes = w->size_B + pt->params.header_B,
                         .start = w->t_service_end,
                         .end   = w->t_transfer_end};
      fwrite(&msg, sizeof msg, 1, m);
    }
    if (fclose(m) != 0)
      _exit(VN_EXIT_INTERNAL);
  }
  if (write(fd, &f, sizeof f) != (ssize_t)sizeof f)
    _exit(VN_EXIT_INTERNAL);
  _exit(0);
}

typedef struct bare_actor {
  sg_host_t src;
  sg_host_t const* hosts;
  const bench_msg_t** msgs; /* a sender's messages, by start time */
  long nmsgs;
  long sleeps;
  uint32_t seed;
} bare_actor_t;

static void bare_sender(int argc, char** argv)
{
  const bare_actor_t* a = sg_actor_self_get_data();
  for (long i = 0; i < a->nmsgs; i++) {
    sg_actor_sleep_until(a->msgs[i]->start);
    sg_host_sendto(a->src, a->hosts[a->msgs[i]->dst], a->msgs[i]->bytes);
  }
}

static void bare_sleeper(int argc, char** argv)
{
  const bare_actor_t* a = sg_actor_self_get_data();
  uint32_t x            = a->seed;
  for (long i = 0; i < a->sleeps; i++) {
    x = x * 1664525u + 1013904223u; /* LCG: a spread of 1000 durations, 1 ns apart */
    sg_actor_sleep_for(1e-9 * (double)(1 + (x >> 16) % 1000));
  }
}

static int by_source_then_start(const void* x, const void* y)
{
  const bench_msg_t* a = x;
  const bench_msg_t* b = y;
  if (a->src != b->src)
    return a->src < b->src ? -1 : 1;
  return (a->start > b->start) - (a->start < b->start);
}

static void start_actor(bare_actor_t* a, void (*code)(int, char**))
{
  sg_actor_t actor = sg_actor_init("bare", a->src);
  sg_actor_set_data(actor, a);
  sg_actor_start_(actor, code, 0, NULL);
}

static void child_bare(const point_t* pt, int sg_argc, char** sg_argv, const bench_figures_t* v, int fd,
                       const char* msgfile)
{
  vn_error_t err;
  size_t nhosts;
  sg_host_t* hosts = sim_load(&pt->params, sg_argc, sg_argv, &nhosts, &err);
  if (hosts == NULL)
    _exit(VN_EXIT_INPUT);
  bare_actor_t* acts = NULL;
  long nactors       = 0;
  if (v->transfers > 0) {
    FILE* m = fopen(msgfile, "rb");
    if (m == NULL)
      _exit(VN_EXIT_INTERNAL);
    bench_msg_t* msgs = xbt_new(bench_msg_t, v->transfers);
    long k            = (long)fread(msgs, sizeof(bench_msg_t), (size_t)v->transfers, m);
    fclose(m);
    if (k != v->transfers)
      _exit(VN_EXIT_INTERNAL);
    qsort(msgs, (size_t)k, sizeof *msgs, by_source_then_start);
    /* Greedy lanes per source host: a message goes to the first sender whose previous message has ended. */
    const bench_msg_t** order = xbt_new(const bench_msg_t*, k);
    long* lane_of             = xbt_new(long, k);
    double* lane_end          = xbt_new(double, k);
    long* lane_count          = xbt_new0(long, k);
    acts                      = xbt_new0(bare_actor_t, k);
    for (long i = 0; i < k;) {
      long j = i, lanes = 0;
      for (; j < k && msgs[j].src == msgs[i].src; j++) {
        long l = 0;
        while (l < lanes && lane_end[l] > msgs[j].start)
          l++;
        if (l == lanes)
          lanes++;
        lane_end[l] = msgs[j].end;
        lane_of[j]  = nactors + l;
        lane_count[nactors + l]++;
      }
      for (long l = 0; l < lanes; l++) {
        acts[nactors + l].src   = hosts[msgs[i].src];
        acts[nactors + l].hosts = hosts;
      }
      nactors += lanes;
      i = j;
    }
    long pos = 0;
    for (long a = 0; a < nactors; a++) {
      acts[a].msgs = order + pos;
      pos += lane_count[a];
    }
    for (long i = 0; i < k; i++) {
      bare_actor_t* a                            = &acts[lane_of[i]];
      ((const bench_msg_t**)a->msgs)[a->nmsgs++] = &msgs[i];
    }
    for (long a = 0; a < nactors; a++)
      start_actor(&acts[a], bare_sender);
  } else {
    long per_host = params_consumers_per_host(&pt->params);
    nactors       = v->consumers;
    acts          = xbt_new0(bare_actor_t, nactors);
    for (long c = 0; c < nactors; c++) {
      acts[c].src    = hosts[c / per_host];
      acts[c].sleeps = v->steps / nactors + (c < v->steps % nactors);
      acts[c].seed   = (uint32_t)c * 2654435761u + 1;
      start_actor(&acts[c], bare_sleeper);
    }
  }
  double t0 = monotonic_s();
  simgrid_run();
  double wall = monotonic_s() - t0;
  if (write(fd, &wall, sizeof wall) != (ssize_t)sizeof wall)
    _exit(VN_EXIT_INTERNAL);
  _exit(0);
}

/* Fork `body`, read `len` bytes of its report. Returns 0 when the child reported. */
static int run_child(void (*body)(void*, int), void* data, void* report, size_t len)
{
  int p[2];
  if (pipe(p) != 0)
    return -1;
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    close(p[0]);
    body(data, p[1]);
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
  waitpid(pid, &status, 0);
  return got == len ? 0 : -1;
}

typedef struct child_args {
  const point_t* pt;
  int sg_argc;
  char** sg_argv;
  const bench_figures_t* figures;
  const char* msgfile;
} child_args_t;

static void body_vnicsim(void* data, int fd)
{
  child_args_t* a = data;
  child_vnicsim(a->pt, a->sg_argc, a->sg_argv, fd, a->msgfile);
}

static void body_bare(void* data, int fd)
{
  child_args_t* a = data;
  child_bare(a->pt, a->sg_argc, a->sg_argv, a->figures, fd, a->msgfile);
}

/* ---- the command ---- */

int bench_command(const char* path, const char* const* sets, int nsets, const long* chosen, int nchosen, int sg_argc,
                  char** sg_argv)
{
  char default_path[PATH_MAX];
  snprintf(default_path, sizeof default_path, "%s/scenarios/default.xml", VNICSIM_SOURCE_DIR);
  long* points = xbt_new0(long, nchosen + 1);
  int npoints  = nchosen;
  for (int k = 0; k < nchosen; k++)
    points[k] = chosen[k];
  int rc = 0;
  if (path == NULL)
    path = default_path;
  vn_error_t err;
  vn_error_clear(&err);
  scenario_t sc = rc ? NULL : scenario_load(path, &err);
  for (int i = 0; sc != NULL && i < nsets; i++)
    if (scenario_set(sc, sets[i], &err) != 0) {
      scenario_free(sc);
      sc = NULL;
    }
  if (sc != NULL && scenario_check(sc, &err) != 0) {
    scenario_free(sc);
    sc = NULL;
  }
  if (rc == 0 && sc == NULL) {
    vn_error_print(&err, stderr);
    rc = VN_EXIT_INPUT;
  }
  size_t n = sc ? scenario_point_count(sc) : 0;
  for (int k = 0; k < npoints && rc == 0; k++)
    if ((size_t)points[k] >= n)
      rc = VN_EXIT_INPUT,
      fprintf(stderr,
              "vnicsim: error: bench: --point %ld: no such point (the scenario has %zu points, 0 to "
              "%zu)\n",
              points[k], n, n > 0 ? n - 1 : 0);
  if (rc == 0 && npoints == 0) {
    /* The largest points: the most consumers per host, first replication. */
    long most = 0;
    point_t pt;
    for (size_t i = 0; i < n; i++)
      if (scenario_point(sc, i, &pt, NULL) == 0 && pt.replication == 0 && params_consumers_per_host(&pt.params) > most)
        most = params_consumers_per_host(&pt.params);
    points = xbt_realloc(points, (n + 1) * sizeof(long));
    for (size_t i = 0; i < n; i++)
      if (scenario_point(sc, i, &pt, NULL) == 0 && pt.replication == 0 && params_consumers_per_host(&pt.params) == most)
        points[npoints++] = (long)i;
  }

  char msgfile[] = "/tmp/vnicsim-bench-XXXXXX";
  int mfd        = rc == 0 ? mkstemp(msgfile) : -1;
  if (rc == 0 && mfd < 0) {
    fprintf(stderr, "vnicsim: error: cannot create a temporary file: %s\n", strerror(errno));
    rc = VN_EXIT_INTERNAL;
  }
  if (mfd >= 0)
    close(mfd);
  if (rc == 0) {
    printf("# vnicsim bench: %s\n# each point: vnicsim, then a bare SimGrid program with the same actors on the same "
           "platform (same messages when WRs cross the network, else the same number of steps)\n",
           path);
    printf("%-6s %-34s %9s %9s %8s %8s %11s %9s %11s %11s %7s %9s\n", "point", "sweep values", "WRs", "transfers",
           "wall_s", "run_s", "WR/s", "steps/WR", "bare rate", "bare unit", "ratio", "maxrss");
  }
  for (int k = 0; k < npoints && rc == 0; k++) {
    point_t pt;
    scenario_point(sc, (size_t)points[k], &pt, NULL);
    bench_figures_t f;
    child_args_t a = {.pt = &pt, .sg_argc = sg_argc, .sg_argv = sg_argv, .figures = &f, .msgfile = msgfile};
    double bare_wall;
    if (run_child(body_vnicsim, &a, &f, sizeof f) != 0 || run_child(body_bare, &a, &bare_wall, sizeof bare_wall) != 0) {
      fprintf(stderr, "vnicsim: error: point %ld: a benchmark child failed\n", points[k]);
      rc = VN_EXIT_INTERNAL;
      break;
    }
    char desc[512] = "";
    size_t w       = 0;
    for (size_t d = 0; d < scenario_sweep_count(sc) && w < sizeof desc; d++)
      w += (size_t)snprintf(desc + w, sizeof desc - w, "%s%s", d ? " " : "", pt.values[d]);
    int network = f.transfers > 0;
    double ours = (network ? (double)f.transfers : (double)f.wrs) / f.run_s;
    double bare = (network ? (double)f.transfers : (double)f.steps) / bare_wall;
    printf("%-6ld %-34s %9ld %9ld %8.2f %8.2f %11.0f %9.2f %11.0f %11s %7.3f %6.0f MB\n", points[k], desc, f.wrs,
           f.transfers, f.wall_s, f.run_s, (double)f.wrs / f.run_s, (double)f.steps / (double)f.wrs, bare,
           network ? "messages/s" : "steps/s", ours / bare, (double)f.maxrss_KiB / 1024.0);
    fflush(stdout);
  }
  if (rc == 0)
    printf(
        "# WR/s and ratio use run_s, the simulation loop (simgrid_run), measured the same way for both programs;\n"
        "# wall_s is the whole point (platform, set-up, simulation, statistics). ratio: vnicsim's transfers (WRs when\n"
        "# all are looped back) per second over the bare program's messages (steps) per second.\n");
  unlink(msgfile);
  scenario_free(sc);
  free(points);
  return rc;
}
