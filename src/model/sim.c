/* sim: one simulation point, from SimGrid initialisation to its metrics (one per process: SimGrid has one engine).
 *
 * Set-up, as in SimGrid's own examples: initialise the engine, load the platform, then create the model's parts on
 * it: one NIC per selected physical host (nic.c, plus its outgoing transport.c when WRs leave the host), the access
 * mode's per-host state, the VMs (sg_vm_create_multicore), and one consumer actor per native core and per vCPU.
 * Then run, and compute the metrics from the WR records.
 */
#include "model/sim.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/vm.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xbt/config.h>
#include <xbt/dynar.h>
#include <xbt/log.h>
#include <xbt/sysdep.h>

#include "model/access/access.h"
#include "model/consumer.h"
#include "model/nic.h"
#include "model/platform.h"
#include "model/samples.h"
#include "model/sched.h"
#include "model/simtime.h"
#include "model/transport.h"
#include "model/workload.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnicsim_sim, vnicsim, "Simulation set-up and run");

#define SIM_MANY_ACTORS 10000 /* above this, small stacks and no guard pages by default */
#define SIM_SMALL_STACK_KIB 128

typedef struct sim {
  const params_t* p;
  size_t nhosts;
  sg_host_t* hosts;
  nic_t* nics;
  transport_t* transports;
  void** mode_hosts;
  consumer_t* consumers;
  long nconsumers;
  int* perm;
  wrtable_t wrs;
  samples_t samples;
} sim_t;

static void on_loopback(void* data, wr_t* wr)
{
  sim_t* s = data;
  consumer_complete(s->consumers[wr->consumer], wr);
}

static void on_transmit(void* data, wr_t* wr)
{
  sim_t* s = data;
  if (!wr->external)
    consumer_expect_completion(s->consumers[wr->consumer], wr);
  transport_submit(s->transports[wr->src_host], wr);
}

static void on_deferred(void* data, wr_t* wr)
{
  sim_t* s = data;
  consumer_expect_completion(s->consumers[wr->consumer], wr);
}

static void on_transfer_done(void* data, wr_t* wr)
{
  sim_t* s = data;
  consumer_complete(s->consumers[wr->consumer], wr);
}

static int has_option(int argc, char** argv, const char* prefix)
{
  for (int i = 1; i < argc; i++)
    if (argv[i] != NULL && strncmp(argv[i], prefix, strlen(prefix)) == 0)
      return 1;
  return 0;
}

/* simgrid_init with the user's options plus ours. Our defaults go first so the user's own options win. */
static void init_engine(const params_t* p, int sg_argc, char** sg_argv)
{
  /* simgrid_init keeps pointers into argv for the whole run and takes the options it reads out of the array: the
   * array and our options live in static storage, as long as the process (one engine each). */
  static char** argv;
  static char log_opt[]   = "--log=xbt_cfg.thres:warning"; /* no "Configuration change" chatter */
  static char cross_opt[] = "--cfg=network/crosstraffic:0";
  static char model[64];
  static char precision[64];
  static char program[] = "vnicsim";
  argv                  = xbt_new0(char*, sg_argc + 6);
  int argc              = 0;
  argv[argc++]          = sg_argc > 0 ? sg_argv[0] : program;
  argv[argc++]          = log_opt;
  /* No TCP acknowledgement traffic: SimGrid's cross-traffic loads every flow's reverse route with 5% of it, which
   * on an RDMA-style interconnect throttles a host's sends to the rate of an incast into it. */
  argv[argc++] = cross_opt;
  snprintf(model, sizeof model, "--cfg=network/model:%s", p->network_model);
  argv[argc++] = model;
  snprintf(precision, sizeof precision, "--cfg=surf/precision:%g", SIMTIME_PRECISION);
  argv[argc++] = precision;
  for (int i = 1; i < sg_argc; i++)
    argv[argc++] = sg_argv[i];
  argv[argc] = NULL;
  simgrid_init(&argc, argv);
  simtime_init(strcmp(p->network_model, "ns-3") == 0 ? SIMTIME_NS3_GRID : 0);
}

sg_host_t* sim_load(const params_t* p, int sg_argc, char** sg_argv, size_t* n, vn_error_t* err)
{
  init_engine(p, sg_argc, sg_argv);
  simgrid_load_platform(p->platform_file);
  return platform_select(p, n, err);
}

/* Some platforms fail only when a route is asked for (a Vivaldi zone without coordinates, a missing route) and ns-3
 * refuses multi-hop routes only when a transfer is set up: the platform check asks for the routes a run will use.
 * Floyd and Full zones build their routes when the platform is sealed, at the start of a simulation, so an empty
 * simulation runs first; the routes are then asked for from the main context, not from an actor: SimGrid reports
 * a bad route by throwing, and an exception that ends the process must not unwind an actor's stack (SimGrid's own
 * stacks, which AddressSanitizer cannot follow; see scripts/sanitize.sh). Under ns-3 an actor then makes one
 * transfer; ns-3 refuses a multi-hop route by aborting, without unwinding. */
static void probe_routes(sg_host_t* hosts, size_t n)
{
  xbt_dynar_t links = xbt_dynar_new(sizeof(sg_link_t), NULL);
  /* every host to the next one, and the first to every host: each host as source and as destination */
  for (size_t i = 0; i < n; i++) {
    xbt_dynar_reset(links);
    sg_host_get_route(hosts[i], hosts[(i + 1) % n], links);
    xbt_dynar_reset(links);
    sg_host_get_route(hosts[0], hosts[i], links);
  }
  xbt_dynar_free(&links);
}

static void probe_transfer(int argc, char** argv)
{
  (void)argc;
  (void)argv;
  sg_host_t* ends = sg_actor_self_get_data();
  sg_host_sendto(ends[0], ends[1], 1);
}

int sim_check_platform(const params_t* p, int sg_argc, char** sg_argv, int* nhosts, vn_error_t* err)
{
  size_t n;
  sg_host_t* hosts = sim_load(p, sg_argc, sg_argv, &n, err);
  if (hosts == NULL)
    return -1;
  *nhosts = (int)n;
  if (n >= 2 && p->pattern != PATTERN_LOCAL) {
    simgrid_run();          /* no actor: only seals the platform */
    probe_routes(hosts, n); /* aborts with SimGrid's reason if a route cannot be had */
    if (strcmp(p->network_model, "ns-3") == 0) {
      sg_host_t ends[2] = {hosts[0], hosts[n - 1]};
      sg_actor_t probe  = sg_actor_init("platform check", hosts[0]);
      sg_actor_set_data(probe, ends);
      sg_actor_start_(probe, probe_transfer, 0, NULL);
      simgrid_run();
    }
  }
  free(hosts);
  return 0;
}

static void build(sim_t* s, unsigned long seed, unsigned stack_KiB)
{
  const params_t* p            = s->p;
  const struct access_ops* ops = access_find(p->mode);
  xbt_assert(ops != NULL, "unknown mode %s (checked when the scenario is loaded)", p->mode);
  int hot = platform_hot_index(p, s->hosts, s->nhosts);

  s->perm = xbt_new(int, s->nhosts);
  workload_permutation((int)s->nhosts, seed, s->perm);
  s->nics       = xbt_new0(nic_t, s->nhosts);
  s->transports = xbt_new0(transport_t, s->nhosts);
  s->mode_hosts = xbt_new0(void*, s->nhosts);
  long per_host = params_consumers_per_host(p);
  s->nconsumers = per_host * (long)s->nhosts;
  s->consumers  = xbt_new0(consumer_t, s->nconsumers);

  nic_hooks_t hooks = {.completed = on_loopback, .transmit = on_transmit, .deferred = on_deferred, .data = s};
  long nvcpus       = p->vms_per_host * p->vcpus_per_vm;
  int sliced        = p->pcpus_per_host > 0 && p->pcpus_per_host < nvcpus;
  long next         = 0;
  for (size_t h = 0; h < s->nhosts; h++) {
    sg_host_t pm = s->hosts[h];
    s->nics[h]   = nic_create(p, (int)h, workload_stream_seed(seed, STREAM_NIC, h), hooks);
    if (p->pattern != PATTERN_LOCAL)
      s->transports[h] = transport_create(p, pm, s->hosts, on_transfer_done, s, stack_KiB);
    s->mode_hosts[h] = ops->host_create ? ops->host_create(s->nics[h], pm, p) : NULL;

    int local = 0;
    for (long v = -1; v < p->vms_per_host; v++) {
      /* v == -1: the native cores; then one VM each with its vCPUs. */
      sg_host_t where = pm;
      long count      = p->cores_per_host;
      if (v >= 0) {
        char name[256];
        snprintf(name, sizeof name, "%s-vm%ld", sg_host_get_name(pm), v);
        sg_vm_t vm = sg_vm_create_multicore(pm, name, (int)p->vcpus_per_vm);
        sg_vm_start(vm);
        where = (sg_host_t)vm;
        count = p->vcpus_per_vm;
      }
      for (long k = 0; k < count; k++) {
        int local_index      = local++;
        access_place_t place = {.host = (int)h, .local_index = local_index, .vm = (int)v, .index_in = (int)k};
        int queue            = ops->queue_of ? ops->queue_of(p, &place) : 0;
        xbt_assert(queue >= 0 && queue < p->queues, "mode %s put consumer %ld on queue %d of %ld", ops->name, next,
                   queue, p->queues);
        /* native cores are dedicated; vCPUs share pcpus-per-host cores when they outnumber them (model/sched.h) */
        sched_slot_t cpu =
            v < 0 ? sched_dedicated() : sched_vcpu(v * p->vcpus_per_vm + k, nvcpus, p->pcpus_per_host, p->slice_s);
        consumer_spec_t spec = {
            .p           = p,
            .index       = (int)next,
            .local_index = local_index,
            .host        = (int)h,
            .where       = where,
            .in_vm       = v >= 0,
            .nic         = s->nics[h],
            .nic_ctx     = nic_context_open(s->nics[h], queue, (ops->guarantees & ACCESS_RETRY_FLAG) != 0),
            .ops         = ops,
            .host_state  = s->mode_hosts[h],
            .wrs         = s->wrs,
            .workload    = workload_create(p, seed, (int)next, local_index, (int)h, (int)s->nhosts, s->perm, hot),
            .place       = place,
            .cpu         = cpu,
            .host_sliced = sliced,
            .samples     = s->samples,
        };
        s->consumers[next++] = consumer_create(&spec);
      }
    }
  }
  for (long i = 0; i < s->nconsumers; i++)
    consumer_start(s->consumers[i], stack_KiB);
  for (size_t h = 0; h < s->nhosts; h++)
    nic_start_engine(s->nics[h], s->hosts[h], stack_KiB); /* several queues only */
}

static void collect_checks(const sim_t* s, sim_output_t* out)
{
  sim_checks_t* k = &out->checks;
  memset(k, 0, sizeof *k);
  for (size_t h = 0; h < s->nhosts; h++) {
    k->nic_arrivals += nic_arrivals(s->nics[h]);
    k->nic_accepted += nic_accepted(s->nics[h]);
    k->nic_drops += nic_drops(s->nics[h]);
    k->flag_clears += nic_clears(s->nics[h]);
    if (nic_max_occupancy(s->nics[h]) > k->max_occupancy)
      k->max_occupancy = nic_max_occupancy(s->nics[h]);
    if (s->transports[h] != NULL && transport_senders(s->transports[h]) > k->peak_senders)
      k->peak_senders = transport_senders(s->transports[h]);
    k->actors += s->transports[h] ? transport_actors(s->transports[h]) : 0;
    k->actor_steps += s->transports[h] ? transport_steps(s->transports[h]) : 0;
    k->actors += nic_has_engine(s->nics[h]);
    k->actor_steps += nic_engine_steps(s->nics[h]);
  }
  k->actors += s->nconsumers;
  long csteps = 0;
  for (long c = 0; c < s->nconsumers; c++)
    csteps += consumer_steps(s->consumers[c]);
  XBT_DEBUG("steps: consumers %ld, NIC actors %ld", csteps, k->actor_steps);
  k->actor_steps += csteps;
  k->queue_capacity = nic_queue_capacity(s->nics[0]);
  for (size_t h = 0; h < s->nhosts; h++)
    k->order_violations += nic_order_violations(s->nics[h]);
  samples_totals_t t = samples_totals(s->samples);
  k->wr_attempts     = t.attempts;
  k->wr_replays      = t.replays;
  k->transfers       = t.transfers;
  k->wr_accepted     = t.accepted;
}

/* The columns of time-sliced vCPUs: the fraction of the steady window they spent descheduled (the same rotation for
 * every vCPU, so the mean over one host's vCPUs is the mean over all), and the lock-holder preemption figures stats
 * counted, which only apply to a mode that takes a lock on a host that time-slices vCPUs. */
static void virtualization_metrics(const sim_t* s, metrics_t* m)
{
  const params_t* p            = s->p;
  const struct access_ops* ops = access_find(p->mode);
  long nvcpus                  = p->vms_per_host * p->vcpus_per_vm;
  int sliced                   = p->pcpus_per_host > 0 && p->pcpus_per_host < nvcpus;
  if (!sliced || !ops->takes_lock) {
    m->lock_holder_preemptions = NAN;
    m->lock_held_descheduled_s = NAN;
  }
  if (!sliced)
    return;
  double a = m->window_start_s, b = m->window_end_s, away = 0;
  for (long v = 0; v < nvcpus; v++) {
    sched_slot_t slot = sched_vcpu(v, nvcpus, p->pcpus_per_host, p->slice_s);
    away += (b - a) - sched_running_time(&slot, a, b);
  }
  m->vcpu_descheduled_fraction = b > a ? away / ((double)nvcpus * (b - a)) : NAN;
}

int sim_run(const params_t* p, unsigned long seed, int sg_argc, char** sg_argv, const sim_trace_t* trace,
            sim_output_t* out, vn_error_t* err)
{
  memset(out, 0, sizeof *out);
  sim_t s = {.p = p, .wrs = wrtable_create()};
  s.hosts = sim_load(p, sg_argc, sg_argv, &s.nhosts, err);
  if (s.hosts == NULL) {
    wrtable_free(s.wrs);
    return -1;
  }

  long per_host   = params_consumers_per_host(p);
  long est_actors = (per_host + 2) * (long)s.nhosts;
  unsigned stack  = 0;
  if (est_actors > SIM_MANY_ACTORS && !has_option(sg_argc, sg_argv, "--cfg=contexts/stack-size") &&
      !has_option(sg_argc, sg_argv, "--cfg=contexts/guard-size")) {
    sg_cfg_set_int("contexts/guard-size", 0);
    stack = SIM_SMALL_STACK_KIB;
    XBT_INFO("%ld actors: using %u KiB stacks without guard pages", est_actors, stack);
  }

  s.samples = samples_create(s.wrs, (int)(params_consumers_per_host(p) * (long)s.nhosts), (int)s.nhosts,
                             p->stats_memory_B, trace ? trace->wr : NULL, trace ? trace->data : NULL);
  build(&s, seed, stack);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  simgrid_run();
  clock_gettime(CLOCK_MONOTONIC, &t1);
  out->run_wall_s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  double end      = simgrid_get_clock();
  long unfinished = 0;
  for (long i = 0; i < s.nconsumers; i++)
    unfinished += !consumer_finished(s.consumers[i]);
  if (unfinished > 0) {
    /* SimGrid returns early when every actor waits for something that will never come: never report partial
     * results as a run. */
    vn_error_set(err, NULL, 0, NULL, NULL, NULL,
                 "the simulation stopped at t=%g s with %ld of %ld consumers unfinished (SimGrid found every actor "
                 "blocked); no results for this point",
                 end, unfinished, s.nconsumers);
    samples_free(s.samples);
    wrtable_free(s.wrs);
    return -1;
  }

  out->nhosts             = (int)s.nhosts;
  out->consumers          = s.nconsumers;
  out->consumers_per_host = per_host;
  out->host_names         = xbt_new0(char*, s.nhosts);
  for (size_t h = 0; h < s.nhosts; h++)
    out->host_names[h] = xbt_strdup(sg_host_get_name(s.hosts[h]));
  out->hosts = xbt_new0(host_metrics_t, s.nhosts);
  samples_finish(s.samples, end, &out->metrics, out->hosts);
  virtualization_metrics(&s, &out->metrics);
  collect_checks(&s, out);
  out->wrs = s.wrs;

  /* The engine's objects (actors, VMs, hosts) belong to SimGrid; ours are freed here. The caller exits without
   * tearing SimGrid down (ns-3's teardown crashes in SimGrid 3.32). */
  const struct access_ops* ops = access_find(p->mode);
  for (long i = 0; i < s.nconsumers; i++)
    consumer_free(s.consumers[i]);
  for (size_t h = 0; h < s.nhosts; h++) {
    if (ops->host_destroy)
      ops->host_destroy(s.mode_hosts[h]);
    nic_free(s.nics[h]);
    transport_free(s.transports[h]);
  }
  free(s.consumers);
  free(s.mode_hosts);
  free(s.transports);
  free(s.nics);
  free(s.perm);
  free(s.hosts);
  samples_free(s.samples);
  return 0;
}

void sim_output_free(sim_output_t* out)
{
  if (out == NULL)
    return;
  for (int h = 0; h < out->nhosts; h++)
    free(out->host_names[h]);
  free(out->host_names);
  free(out->hosts);
  wrtable_free(out->wrs);
  memset(out, 0, sizeof *out);
}
