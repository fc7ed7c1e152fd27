/* nic: one NIC's request FIFO(s), per-context retry state and engine timing; a passive model driven in time order.
 *
 * The NIC is not an actor. Every write reaches it a fixed posted-write latency after a consumer issued it, and the
 * consumers issue in simulated-time order, so arrivals can be decided the moment they are issued: everything that
 * can change the queue before the arrival (earlier arrivals, engine completions, whose times follow from earlier
 * arrivals) is already known. With one hardware queue the engine serves accepted WRs in FIFO order, so each WR's
 * service start and end are fixed on acceptance. Only the payload's trip through the network needs SimGrid actors
 * (transport.c).
 *
 * With several hardware queues (SR-IOV partitions) the engine serves the non-empty queues round-robin: when it
 * becomes free it takes the head of the next queue, after the one it served last, holding a WR that has arrived.
 * That choice depends on the arrivals up to that instant, so a WR's service is decided only when the engine reaches
 * it, not on acceptance. The decisions are made lazily, in time order, whenever the NIC is told of a later instant
 * (an arrival, a register read, a flag clear): writes reach the NIC in time order, so every arrival up to that instant
 * is known then. An engine actor (nic_start_engine) makes the decisions nobody else's call reaches in time, waking
 * at the next decision instant when the queues hold WRs the engine has not started.
 */
#include "model/nic.h"
#include "model/simtime.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <xbt/asserts.h>
#include <xbt/log.h>
#include <xbt/sysdep.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnicsim_nic, vnicsim, "NIC request queues and engine");

typedef struct nic_queue {
  double* finish; /* ring of service end times of the started WRs in the queue, oldest first (sorted) */
  long head;      /* index of the oldest */
  long started;   /* entries of `finish`: started, not finished */
  long count;     /* WRs accepted and not finished (started or waiting) */
  long retired;   /* WRs finished so far */
  wr_t** wait;    /* several queues: ring of accepted WRs the engine has not started, oldest first */
  long wait_head;
  long waiting;
  double last_retired; /* service end of the latest WR retired (for the trace) */
} nic_queue_t;

typedef struct nic_context {
  int queue;
  int flags_drops; /* a drop sets the retry flag */
  int retry_flag;
  long retry_count;
  long committed;
} nic_context_t;

struct s_nic {
  const params_t* p;
  int host;
  nic_hooks_t hooks;
  gsl_rng* rng;
  long capacity; /* per queue */
  int nqueues;
  nic_queue_t* queues;
  nic_context_t* ctx;
  int nctx;
  int ctx_alloc;
  double now;            /* time of the latest event processed */
  double engine_free_at; /* when the engine finishes the last WR it started */
  int last_served;       /* several queues: the queue the engine served last (round-robin) */
  long waiting;          /* several queues: accepted WRs not started, over all queues */
  sg_sem_t engine_sem;   /* several queues: wakes the engine actor (NULL until it is started) */
  int engine_idle;       /* the engine actor waits for WRs to come */
  long engine_steps;     /* simulation steps of the engine actor */
  long arrivals, accepted, drops, clears, max_occupancy;
  long order_violations; /* accepted WRs that were not the next one of their context in creation order */
  paje_host_t paje;      /* the host's Paje trace, NULL when not traced */
};

nic_t nic_create(const params_t* p, int host_index, unsigned long seed, nic_hooks_t hooks)
{
  xbt_assert(p->queue_depth >= 1 && p->queues >= 1 && p->queue_depth % p->queues == 0,
             "queue-depth must be a positive multiple of queues (checked when the scenario is loaded)");
  nic_t nic  = xbt_new0(s_nic_t, 1);
  nic->p     = p;
  nic->host  = host_index;
  nic->hooks = hooks;
  nic->rng   = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(nic->rng, seed);
  nic->capacity = p->queue_depth / p->queues;
  nic->nqueues  = (int)p->queues;
  nic->queues   = xbt_new0(nic_queue_t, nic->nqueues);
  for (int q = 0; q < nic->nqueues; q++) {
    nic->queues[q].finish = xbt_new0(double, nic->capacity);
    if (nic->nqueues > 1)
      nic->queues[q].wait = xbt_new0(wr_t*, nic->capacity);
  }
  nic->last_served    = nic->nqueues - 1; /* so that queue 0 is served first */
  nic->now            = 0;
  nic->engine_free_at = 0;
  return nic;
}

void nic_trace(nic_t nic, paje_host_t ph)
{
  nic->paje = ph;
}

void nic_free(nic_t nic)
{
  if (nic == NULL)
    return;
  for (int q = 0; q < nic->nqueues; q++) {
    free(nic->queues[q].finish);
    free(nic->queues[q].wait);
  }
  if (nic->engine_sem != NULL)
    sg_sem_destroy(nic->engine_sem);
  free(nic->queues);
  free(nic->ctx);
  gsl_rng_free(nic->rng);
  free(nic);
}

int nic_context_open(nic_t nic, int queue, int retry_flag)
{
  xbt_assert(queue >= 0 && queue < nic->nqueues, "queue %d out of range", queue);
  if (nic->nctx == nic->ctx_alloc) {
    nic->ctx_alloc = nic->ctx_alloc ? 2 * nic->ctx_alloc : 8;
    nic->ctx       = xbt_realloc(nic->ctx, nic->ctx_alloc * sizeof(nic_context_t));
  }
  nic->ctx[nic->nctx] = (nic_context_t){.queue = queue, .flags_drops = retry_flag};
  return nic->nctx++;
}

static double service_duration(nic_t nic, const wr_t* wr);
static void start_service(nic_t nic, nic_queue_t* nq, wr_t* wr, double start);

/* Several queues: the instant of the engine's next decision (it is free and some queue holds a WR that has arrived),
 * or INFINITY when no WR waits. */
static double next_decision(const_nic_t nic)
{
  if (nic->waiting == 0)
    return INFINITY;
  double first = INFINITY;
  for (int q = 0; q < nic->nqueues; q++) {
    const nic_queue_t* nq = &nic->queues[q];
    if (nq->waiting > 0 && nq->wait[nq->wait_head]->t_accepted < first)
      first = nq->wait[nq->wait_head]->t_accepted;
  }
  return first > nic->engine_free_at ? first : nic->engine_free_at;
}

/* Several queues: make every decision of the engine up to time t, round-robin over the queues whose head has arrived
 * when the engine is free. */
static void decide_until(nic_t nic, double t)
{
  for (;;) {
    double s = next_decision(nic);
    if (s > t + simtime_epsilon())
      return;
    for (int i = 1; i <= nic->nqueues; i++) {
      int q           = (nic->last_served + i) % nic->nqueues;
      nic_queue_t* nq = &nic->queues[q];
      if (nq->waiting > 0 && nq->wait[nq->wait_head]->t_accepted <= s + simtime_epsilon()) {
        wr_t* wr      = nq->wait[nq->wait_head];
        nq->wait_head = (nq->wait_head + 1) % nic->capacity;
        nq->waiting--;
        nic->waiting--;
        nic->last_served = q;
        start_service(nic, nq, wr, s);
        break;
      }
    }
  }
}

/* Move the NIC's clock to t: make the engine's decisions up to t (several queues), then retire every WR the engine
 * has finished by then (a WR finishing exactly at t has left the queue: its slot is free for a write arriving at t). */
static double advance(nic_t nic, double t)
{
  xbt_assert(t >= nic->now - simtime_epsilon(), "NIC %d: event at %.17g before the previous one at %.17g", nic->host, t,
             nic->now);
  if (t < nic->now)
    t = nic->now;
  nic->now = t;
  if (nic->nqueues > 1)
    decide_until(nic, t);
  for (int q = 0; q < nic->nqueues; q++) {
    nic_queue_t* nq = &nic->queues[q];
    while (nq->started > 0 && nq->finish[nq->head] <= t + simtime_epsilon()) {
      nq->last_retired = nq->finish[nq->head];
      nq->head         = (nq->head + 1) % nic->capacity;
      nq->started--;
      nq->count--;
      nq->retired++;
    }
  }
  return t;
}

static double service_duration(nic_t nic, const wr_t* wr)
{
  /* Engine time per WR (EXTOLL-class engines: ~200 ns) plus fetching the payload from host memory by DMA. */
  double mean = nic->p->service_time_s + wr->size_B / nic->p->dma_bandwidth_Bps;
  if (nic->p->service_dist == SERVICE_EXPONENTIAL)
    return gsl_ran_exponential(nic->rng, mean);
  return mean;
}

int nic_arrive(nic_t nic, int ctx, wr_t* wr, double t)
{
  xbt_assert(ctx >= 0 && ctx < nic->nctx, "bad context %d", ctx);
  xbt_assert(!wr->accepted, "WR %ld reached the NIC again after it was accepted", wr->id);
  t                = advance(nic, t);
  nic_context_t* c = &nic->ctx[ctx];
  nic_queue_t* nq  = &nic->queues[c->queue];
  wr->attempts++;
  wr->queue          = c->queue;
  wr->t_last_arrival = t;
  nic->arrivals++;

  if (c->retry_flag || nq->count >= nic->capacity) {
    nic->drops++;
    wr->last_accepted = 0;
    if (nic->paje != NULL) {
      paje_drop(nic->paje, t);
      if (nic->p->on_reject != ON_REJECT_DROP && c->flags_drops && !c->retry_flag)
        paje_retry_add(nic->paje, t, 1);
    }
    if (nic->p->on_reject == ON_REJECT_DROP) {
      wr->lost = 1; /* validation mode: counted as lost, no retry flag */
    } else if (c->flags_drops) {
      c->retry_flag = 1;
      c->retry_count++;
    }
    XBT_DEBUG("host %d ctx %d: WR %ld dropped at %g (occupancy %ld, flag %d)", nic->host, ctx, wr->id, t, nq->count,
              c->retry_flag);
    return 0;
  }

  nic->accepted++;
  /* Each consumer owns one context, so with replays the context's n-th accepted WR must be its n-th created one: the
   * retry flag and go-back-N keep the order. (With on-reject="drop" lost WRs leave gaps by design.) */
  if (nic->p->on_reject == ON_REJECT_REPLAY && wr->seq != c->committed)
    nic->order_violations++;
  c->committed++;
  wr->accepted      = 1;
  wr->last_accepted = 1;
  wr->t_accepted    = t;
  nq->count++;
  if (nq->count > nic->max_occupancy)
    nic->max_occupancy = nq->count;
  xbt_assert(nq->count <= nic->capacity, "queue overflow");
  /* A WR retired up to the tolerance after t freed its slot for this one: in the trace it leaves first. */
  if (nic->paje != NULL)
    paje_queue_add(nic->paje, c->queue, t > nq->last_retired ? t : nq->last_retired, 1);
  if (nic->nqueues == 1) {
    /* One queue, a FIFO engine: service starts when the WR arrives or when the engine finishes the WR accepted
     * before it, whichever is later. */
    start_service(nic, nq, wr, t > nic->engine_free_at ? t : nic->engine_free_at);
    return 1;
  }
  /* Several queues: the WR waits for the engine's round-robin; wake the engine actor if it waits for work. */
  nq->wait[(nq->wait_head + nq->waiting) % nic->capacity] = wr;
  nq->waiting++;
  nic->waiting++;
  nic->hooks.deferred(nic->hooks.data, wr);
  XBT_DEBUG("host %d ctx %d: WR %ld accepted at %g in queue %d", nic->host, ctx, wr->id, t, c->queue);
  if (nic->engine_sem != NULL && nic->engine_idle) {
    nic->engine_idle = 0;
    sg_sem_release(nic->engine_sem);
  }
  return 1;
}

/* The engine starts serving wr (of queue nq) at `start`: its service end is fixed, and the WR goes to the `completed`
 * hook (loopback) or the `transmit` hook. */
static void start_service(nic_t nic, nic_queue_t* nq, wr_t* wr, double start)
{
  wr->t_service_start                                  = start;
  wr->t_service_end                                    = start + service_duration(nic, wr);
  nic->engine_free_at                                  = wr->t_service_end;
  nq->finish[(nq->head + nq->started) % nic->capacity] = wr->t_service_end;
  nq->started++;
  if (nic->paje != NULL)
    paje_queue_add(nic->paje, (int)(nq - nic->queues), wr->t_service_end, -1); /* it leaves the queue then */
  XBT_DEBUG("host %d: WR %ld service %g..%g", nic->host, wr->id, wr->t_service_start, wr->t_service_end);

  if (wr->dst_host == nic->host) {
    /* Loopback inside the NIC: no network. The payload is written to local memory by DMA and the completion is
     * written for the consumer, both counted from the end of service. */
    wr->t_transfer_end = wr->t_service_end;
    wr->t_delivered    = wr->t_transfer_end + nic->p->dma_latency_s;
    wr->t_completed    = wr->t_transfer_end + nic->p->notify_latency_s;
    wr->delivered      = 1;
    nic->hooks.completed(nic->hooks.data, wr);
  } else {
    nic->hooks.transmit(nic->hooks.data, wr);
  }
}

/* Several queues: the actor that makes the engine's decisions when no other call to the NIC reaches them in time. */
static void engine_actor(int argc, char** argv)
{
  nic_t nic = sg_actor_self_get_data();
  sg_actor_daemonize(sg_actor_self());
  for (;;) {
    double now = simgrid_get_clock();
    advance(nic, now > nic->now ? now : nic->now);
    double next = next_decision(nic);
    nic->engine_steps++;
    if (isinf(next)) {
      nic->engine_idle = 1;
      sg_sem_acquire(nic->engine_sem);
    } else {
      sg_actor_sleep_until(simtime_align(next));
    }
  }
}

void nic_start_engine(nic_t nic, sg_host_t where, unsigned stack_KiB)
{
  if (nic->nqueues == 1)
    return; /* a FIFO engine decides everything on acceptance */
  nic->engine_sem = sg_sem_init(0);
  char name[64];
  snprintf(name, sizeof name, "nic-engine-%d", nic->host);
  sg_actor_t a = sg_actor_init(name, where);
  sg_actor_set_data(a, nic);
  if (stack_KiB > 0)
    sg_actor_set_stacksize(a, stack_KiB * 1024);
  sg_actor_start_(a, engine_actor, 0, NULL);
}

long nic_engine_steps(const_nic_t nic)
{
  return nic->engine_steps;
}

int nic_has_engine(const_nic_t nic)
{
  return nic->engine_sem != NULL;
}

void nic_clear_retry(nic_t nic, int ctx, double t)
{
  xbt_assert(ctx >= 0 && ctx < nic->nctx, "bad context %d", ctx);
  t = advance(nic, t);
  if (nic->paje != NULL && nic->ctx[ctx].retry_flag)
    paje_retry_add(nic->paje, t, -1);
  nic->ctx[ctx].retry_flag = 0;
  nic->clears++;
}

long nic_retired(nic_t nic, int queue, double t)
{
  xbt_assert(queue >= 0 && queue < nic->nqueues, "queue %d out of range", queue);
  advance(nic, t > nic->now ? t : nic->now);
  return nic->queues[queue].retired;
}

double nic_next_retirement(nic_t nic, int queue, double t)
{
  xbt_assert(queue >= 0 && queue < nic->nqueues, "queue %d out of range", queue);
  advance(nic, t > nic->now ? t : nic->now);
  const nic_queue_t* nq = &nic->queues[queue];
  if (nq->started > 0)
    return nq->finish[nq->head];
  if (nq->waiting > 0) /* several queues: its head waits for the engine, which is busy until then at least */
    return nic->engine_free_at > nic->now ? nic->engine_free_at : nic->now;
  return INFINITY;
}

long nic_queue_capacity(const_nic_t nic)
{
  return nic->capacity;
}

int nic_context_retry_flag(const_nic_t nic, int ctx)
{
  return nic->ctx[ctx].retry_flag;
}

long nic_arrivals(const_nic_t nic)
{
  return nic->arrivals;
}
long nic_accepted(const_nic_t nic)
{
  return nic->accepted;
}
long nic_drops(const_nic_t nic)
{
  return nic->drops;
}
long nic_clears(const_nic_t nic)
{
  return nic->clears;
}
long nic_max_occupancy(const_nic_t nic)
{
  return nic->max_occupancy;
}
long nic_order_violations(const_nic_t nic)
{
  return nic->order_violations;
}
