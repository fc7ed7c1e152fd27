/* bench_bare: the bare SimGrid baseline of `vnicsim bench`: vnicsim's messages replayed by sender actors, or sleeping
 * actors that take as many simulation steps as vnicsim's did. */
#include "tools/bench_bare.h"

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <xbt/sysdep.h>

#include "base/error.h"
#include "model/sim.h"

/* One message of the network baseline, as vnicsim sent it (the record file is an array of these). */
typedef struct bench_msg {
  int32_t src;
  int32_t dst;
  int32_t consumer; /* the consumer that created the WR */
  double bytes;
  double start; /* when its transfer started (the end of the NIC's service) */
  double end;   /* when it ended */
} bench_msg_t;

/* What one bare actor does: send its messages from src, or sleep `sleeps` times. */
typedef struct bare_actor {
  sg_host_t src;
  sg_host_t const* hosts;
  const bench_msg_t** msgs; /* a sender's messages, by start time */
  long nmsgs;
  long sleeps;
  uint32_t seed;
} bare_actor_t;

long bench_bare_record(const char* path, const_wrtable_t wrs, double header_B)
{
  FILE* m = fopen(path, "wb");
  if (m == NULL)
    return -1;
  long written = 0;
  size_t n     = wrtable_count(wrs);
  for (size_t i = 0; i < n; i++) {
    const wr_t* w = wrtable_at(wrs, i);
    if (!w->delivered || w->dst_host == w->src_host)
      continue;
    bench_msg_t msg = {.src      = w->src_host,
                       .dst      = w->dst_host,
                       .consumer = w->consumer,
                       .bytes    = w->size_B + header_B,
                       .start    = w->t_service_end,
                       .end      = w->t_transfer_end};
    written += (long)fwrite(&msg, sizeof msg, 1, m);
  }
  if (fclose(m) != 0)
    return -1;
  return written;
}

static double monotonic_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

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

static void start_actor(bare_actor_t* a, void (*code)(int, char**))
{
  sg_actor_t actor = sg_actor_init("bare", a->src);
  sg_actor_set_data(actor, a);
  sg_actor_start_(actor, code, 0, NULL);
}

/* Which sender group a message belongs to: its source host, or with @p per_consumer its consumer (each on one host). */
static int32_t group_of(const bench_msg_t* m, int per_consumer)
{
  return per_consumer ? m->consumer : m->src;
}

/* qsort_r order: by group (@p per_consumer points to the grouping), then start. */
static int by_group_then_start(const void* x, const void* y, void* per_consumer)
{
  int pc    = *(const int*)per_consumer;
  int32_t a = group_of(x, pc), b = group_of(y, pc);
  if (a != b)
    return a < b ? -1 : 1;
  double sa = ((const bench_msg_t*)x)->start, sb = ((const bench_msg_t*)y)->start;
  return (sa > sb) - (sa < sb);
}

/* The @p n messages recorded in @p path (to free), or NULL. */
static bench_msg_t* read_messages(const char* path, long n)
{
  FILE* m = fopen(path, "rb");
  if (m == NULL)
    return NULL;
  bench_msg_t* msgs = xbt_new(bench_msg_t, n);
  long k            = (long)fread(msgs, sizeof(bench_msg_t), (size_t)n, m);
  fclose(m);
  if (k != n) {
    free(msgs);
    return NULL;
  }
  return msgs;
}

/* Spreads the @p n messages, sorted by group (source host, or consumer with @p per_consumer) then start, over sender
 * actors: per group, a message goes to the first sender whose previous message has ended (greedy lanes). Returns the
 * actors (at most @p n) and their number in *nactors; their message lists point into *order (to free with them). */
static bare_actor_t* make_senders(const bench_msg_t* msgs, long n, int per_consumer, sg_host_t* hosts, long* nactors,
                                  const bench_msg_t*** order)
{
  long* lane_of         = xbt_new(long, n);
  double* lane_end      = xbt_new(double, n);
  long* lane_count      = xbt_new0(long, n);
  bare_actor_t* senders = xbt_new0(bare_actor_t, n);
  long count            = 0;
  for (long i = 0; i < n;) {
    long j = i, lanes = 0;
    for (; j < n && group_of(&msgs[j], per_consumer) == group_of(&msgs[i], per_consumer); j++) {
      long l = 0;
      while (l < lanes && lane_end[l] > msgs[j].start)
        l++;
      if (l == lanes)
        lanes++;
      lane_end[l] = msgs[j].end;
      lane_of[j]  = count + l;
      lane_count[count + l]++;
    }
    for (long l = 0; l < lanes; l++) {
      senders[count + l].src   = hosts[msgs[i].src];
      senders[count + l].hosts = hosts;
    }
    count += lanes;
    i = j;
  }
  *order   = xbt_new(const bench_msg_t*, n);
  long pos = 0;
  for (long a = 0; a < count; a++) {
    senders[a].msgs = *order + pos;
    pos += lane_count[a];
  }
  for (long i = 0; i < n; i++) {
    bare_actor_t* a     = &senders[lane_of[i]];
    a->msgs[a->nmsgs++] = &msgs[i];
  }
  free(lane_of);
  free(lane_end);
  free(lane_count);
  *nactors = count;
  return senders;
}

/* @p n sleepers placed as vnicsim's consumers (consumer c on host c / per_host), @p steps sleeps in all. */
static bare_actor_t* make_sleepers(long n, long per_host, long steps, sg_host_t* hosts)
{
  bare_actor_t* sleepers = xbt_new0(bare_actor_t, n);
  for (long c = 0; c < n; c++) {
    sleepers[c].src    = hosts[c / per_host];
    sleepers[c].sleeps = steps / n + (c < steps % n);
    sleepers[c].seed   = (uint32_t)c * 2654435761u + 1;
  }
  return sleepers;
}

double bench_bare_run(const params_t* p, int sg_argc, char** sg_argv, bench_senders_t senders, long messages,
                      const char* path, long actors, long steps, long* nsenders)
{
  vn_error_t err;
  size_t nhosts;
  sg_host_t* hosts = sim_load(p, sg_argc, sg_argv, &nhosts, &err);
  if (hosts == NULL) {
    vn_error_print(&err, stderr);
    return -1;
  }
  bench_msg_t* msgs         = NULL;
  const bench_msg_t** order = NULL;
  bare_actor_t* acts;
  long nactors;
  void (*code)(int, char**);
  if (messages > 0) {
    if ((msgs = read_messages(path, messages)) == NULL)
      return -1;
    int per_consumer = senders == BENCH_SENDERS_PER_CONSUMER;
    qsort_r(msgs, (size_t)messages, sizeof *msgs, by_group_then_start, &per_consumer);
    acts = make_senders(msgs, messages, per_consumer, hosts, &nactors, &order);
    code = bare_sender;
  } else {
    nactors = actors;
    acts    = make_sleepers(actors, params_consumers_per_host(p), steps, hosts);
    code    = bare_sleeper;
  }
  for (long a = 0; a < nactors; a++)
    start_actor(&acts[a], code);
  *nsenders = nactors;
  double t0 = monotonic_s();
  simgrid_run();
  double wall = monotonic_s() - t0;
  free(acts);
  free(order);
  free(msgs);
  return wall;
}
