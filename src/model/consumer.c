/* consumer: a SimGrid actor standing for one core or vCPU that creates WRs and issues them through an access mode.
 *
 * The actor is an event loop on its own timeline. Each turn it takes in what became visible (completions), creates
 * the WRs that are due (open-loop arrivals, or closed-loop window slots freed by completions plus think time), and,
 * when its core is free, lets the access mode act. It then sleeps until the next instant something can happen to
 * it. Intra-host costs (issue, posted writes, reads, locks, traps) are timings inside the model, not SimGrid network
 * flows (see docs/model.md); only NIC-to-NIC payloads use the platform's network.
 */
#include "model/consumer.h"
#include "model/simtime.h"

#include "base/heap.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/semaphore.h>
#include <stdlib.h>
#include <xbt/asserts.h>
#include <xbt/log.h>
#include <xbt/sysdep.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnicsim_consumer, vnicsim, "Consumers (cores and vCPUs issuing WRs)");

struct s_consumer {
  consumer_spec_t s;
  void* mode;

  /* software queue: created WRs not yet handed to the access mode, oldest first */
  wr_t** pending;
  size_t pend_head;
  size_t pend_count;
  size_t pend_alloc;

  /* completions known but not yet acted on; the key is when the completion changes what the consumer does: its
   * visibility, plus the think time drawn for it in a closed loop */
  heap_t done;

  /* closed loop: creation times scheduled by completions (+ think) */
  heap_t sched;
  long scheduled; /* creations scheduled or done, to stop at `requests` */

  double next_arrival; /* open loop: next creation time (INFINITY when done creating) */
  long created;
  long steps;            /* simulation steps (waits) the actor made, for the benchmark */
  int finished;          /* its actor ran to its end */
  long outstanding;      /* created and not yet completed (or known lost) */
  long warmup_count;     /* requests mode: WRs with seq below this are not measured */
  double last_delivery;  /* latest delivery time among its WRs */
  long external_pending; /* completions that another actor will report at a time not known yet */
  double last_key;       /* the latest heap key ever pushed */

  double cpu_free_at;
  double mode_next;
  sg_sem_t sem;
  int waiting;
  double wake_at;
  int wake_expected; /* the mode waits for consumer_wake() from another actor */
};

static int due(double t, double now)
{
  return simtime_due(t, now);
}

/* ---- workload ---- */

/* Whether a WR may still be created at time t (requests or duration bound). */
static int may_create(const_consumer_t c, double t)
{
  const params_t* p = c->s.p;
  if (p->duration_s > 0)
    return t < p->duration_s;
  return c->created < p->requests;
}

static void create_wr(consumer_t c, double t)
{
  const params_t* p = c->s.p;
  wr_t* wr          = wrtable_add(c->s.wrs);
  wr->consumer      = c->s.index;
  wr->src_host      = c->s.host;
  wr->seq           = c->created++;
  wr->t_created     = t;
  wr->dst_host      = workload_next_destination(c->s.workload);
  wr->size_B        = workload_next_size(c->s.workload);
  /* Warm-up: the first fraction of each consumer's WRs (requests), or of the run's duration, is not measured. */
  wr->measured = p->duration_s > 0 ? (t >= p->warmup * p->duration_s) : (wr->seq >= c->warmup_count);
  wr->holds    = 1; /* the consumer's own, released when its completion (or loss) is taken in */
  samples_created(c->s.samples, wr);
  c->outstanding++;
  if (c->pend_count == c->pend_alloc) {
    size_t na    = c->pend_alloc ? 2 * c->pend_alloc : 16;
    wr_t** fresh = xbt_new(wr_t*, na);
    for (size_t i = 0; i < c->pend_count; i++)
      fresh[i] = c->pending[(c->pend_head + i) % c->pend_alloc];
    free(c->pending);
    c->pending    = fresh;
    c->pend_alloc = na;
    c->pend_head  = 0;
  }
  c->pending[(c->pend_head + c->pend_count) % c->pend_alloc] = wr;
  c->pend_count++;
}

/* A window slot of a closed loop: the next WR is created at time `at` (a completion plus think time, or the moment a
 * loss is known plus think time). */
static void schedule_creation(consumer_t c, double at)
{
  const params_t* p = c->s.p;
  if (p->arrival != ARRIVAL_CLOSED)
    return;
  if (p->duration_s > 0 ? at < p->duration_s : c->scheduled < p->requests) {
    heap_push(&c->sched, at, 0, NULL); /* creations need no order among equal times */
    c->scheduled++;
  }
}

static void create_due(consumer_t c, double now)
{
  if (c->s.p->arrival == ARRIVAL_CLOSED) {
    while (heap_size(&c->sched) > 0 && due(heap_top(&c->sched), now))
      create_wr(c, heap_pop(&c->sched).key);
    return;
  }
  while (due(c->next_arrival, now)) {
    create_wr(c, c->next_arrival);
    double next     = workload_next_arrival(c->s.workload, c->next_arrival);
    c->next_arrival = may_create(c, next) ? next : INFINITY;
  }
}

static double next_creation(const_consumer_t c)
{
  if (c->s.p->arrival == ARRIVAL_CLOSED)
    return heap_top(&c->sched);
  return c->next_arrival;
}

/* When the known completions change what the consumer does: in a closed loop each one creates a WR think time
 * after it; an open loop only needs them to finish, so it wakes once, when it has created everything and knows
 * every completion (until then they are taken in at its next wake-up, with their own times). Waking up for a
 * completion that changes nothing would cost a simulation step. */
static double next_completion_effect(const_consumer_t c)
{
  if (heap_size(&c->done) == 0)
    return INFINITY;
  if (c->s.p->arrival == ARRIVAL_CLOSED)
    return heap_top(&c->done);
  if (next_creation(c) != INFINITY || c->external_pending > 0)
    return INFINITY;
  return c->last_key; /* open loop, all created and all completions known: wake once, for the last */
}

static void absorb_completions(consumer_t c, double now)
{
  while (heap_size(&c->done) > 0 && due(heap_top(&c->done), now)) {
    heap_entry_t e = heap_pop(&c->done);
    wr_t* wr       = e.item;
    wr->completed  = 1;
    c->outstanding--;
    schedule_creation(c, e.key);
    consumer_release_wr(c, wr);
  }
}

/* ---- the actor ---- */

static void wait_until(consumer_t c, double now, double wake)
{
  c->steps++;
  wake = simtime_align(wake);
  /* A transfer ending before `wake` may change what the consumer does (see next_completion_effect): then wait on the
   * semaphore, which consumer_complete() releases; otherwise a plain sleep is cheaper. */
  int may_be_woken = c->wake_expected ||
                     (c->external_pending > 0 && (c->s.p->arrival == ARRIVAL_CLOSED || next_creation(c) == INFINITY));
  if (may_be_woken) {
    c->waiting = 1;
    c->wake_at = wake;
    if (isinf(wake))
      sg_sem_acquire(c->sem);
    else
      sg_sem_acquire_timeout(c->sem, wake - now);
    c->waiting = 0;
    return;
  }
  xbt_assert(!isinf(wake), "consumer %d would sleep forever with %ld WRs outstanding (model bug)", c->s.index,
             c->outstanding);
  sg_actor_sleep_until(wake);
}

static int finished(const_consumer_t c)
{
  return c->outstanding == 0 && c->pend_count == 0 && next_creation(c) == INFINITY && c->s.ops->idle(c, c->mode) &&
         due(c->cpu_free_at, simgrid_get_clock());
}

static void consumer_actor(int argc, char** argv)
{
  consumer_t c      = sg_actor_self_get_data();
  const params_t* p = c->s.p;
  double now        = simgrid_get_clock();

  if (p->arrival == ARRIVAL_CLOSED) {
    for (long i = 0; i < p->window; i++)
      schedule_creation(c, now); /* the window starts full: W WRs created at time 0 */
  } else {
    double first    = workload_next_arrival(c->s.workload, -1);
    c->next_arrival = may_create(c, first) ? first : INFINITY;
  }

  long turns_at_same_time = 0;
  double last_now         = -1;
  for (;;) {
    now = simgrid_get_clock();
    absorb_completions(c, now);
    create_due(c, now);
    if (due(c->cpu_free_at, now))
      c->mode_next = c->s.ops->step(c, c->mode, now);
    if (finished(c))
      break;

    /* Wake up for the next thing that can happen, but not before the core is free: what happens meanwhile (a
     * completion, a creation) is taken in then, with its own time, since the core could not act on it earlier. */
    double wake = c->mode_next;
    double t    = next_creation(c);
    if (t < wake)
      wake = t;
    t = next_completion_effect(c);
    if (t < wake)
      wake = t;
    if (wake < c->cpu_free_at || (isinf(wake) && !due(c->cpu_free_at, now)))
      wake = c->cpu_free_at;
    if (due(wake, now)) {
      /* Something is due at this very instant (e.g. a completion the step just produced): go round again. */
      turns_at_same_time = (now == last_now) ? turns_at_same_time + 1 : 0;
      last_now           = now;
      xbt_assert(turns_at_same_time < 1000000,
                 "consumer %d makes no progress at t=%.17g: mode wants %.17g, creation %.17g, completion %.17g, core "
                 "free at %.17g (model bug)",
                 c->s.index, now, c->mode_next, next_creation(c), heap_top(&c->done), c->cpu_free_at);
      continue;
    }
    wait_until(c, now, wake);
  }
  /* Every WR is completed; stay until the last payload is in its destination memory, so the run's end is the last
   * delivery. */
  if (c->last_delivery > simgrid_get_clock())
    sg_actor_sleep_until(simtime_align(c->last_delivery));
  c->finished = 1;
  XBT_DEBUG("consumer %d done: %ld WRs", c->s.index, c->created);
}

consumer_t consumer_create(const consumer_spec_t* spec)
{
  consumer_t c    = xbt_new0(s_consumer_t, 1);
  c->s            = *spec;
  c->next_arrival = INFINITY;
  c->cpu_free_at  = 0;
  c->mode_next    = INFINITY;
  c->sem          = sg_sem_init(0);
  if (spec->p->duration_s <= 0)
    c->warmup_count = (long)floor(spec->p->warmup * (double)spec->p->requests);
  c->mode = spec->ops->consumer_create ? spec->ops->consumer_create(c, spec->host_state, spec->p) : NULL;
  return c;
}

void consumer_start(consumer_t c, unsigned stack_KiB)
{
  char name[64];
  snprintf(name, sizeof name, "consumer-%d", c->s.index);
  sg_actor_t actor = sg_actor_init(name, c->s.where);
  sg_actor_set_data(actor, c);
  if (stack_KiB > 0)
    sg_actor_set_stacksize(actor, stack_KiB * 1024);
  sg_actor_start_(actor, consumer_actor, 0, NULL);
}

void consumer_free(consumer_t c)
{
  if (c == NULL)
    return;
  if (c->s.ops->consumer_destroy)
    c->s.ops->consumer_destroy(c->mode);
  workload_free(c->s.workload);
  sg_sem_destroy(c->sem);
  free(c->pending);
  heap_clear(&c->done);
  heap_clear(&c->sched);
  free(c);
}

const params_t* consumer_params(const_consumer_t c)
{
  return c->s.p;
}
nic_t consumer_nic(const_consumer_t c)
{
  return c->s.nic;
}
int consumer_context(const_consumer_t c)
{
  return c->s.nic_ctx;
}
int consumer_in_vm(const_consumer_t c)
{
  return c->s.in_vm;
}
void* consumer_host_state(const_consumer_t c)
{
  return c->s.host_state;
}
int consumer_index(const_consumer_t c)
{
  return c->s.index;
}
long consumer_created(const_consumer_t c)
{
  return c->created;
}

long consumer_steps(const_consumer_t c)
{
  return c->steps;
}

int consumer_finished(const_consumer_t c)
{
  return c->finished;
}

long consumer_pending_count(const_consumer_t c)
{
  return (long)c->pend_count;
}

wr_t* consumer_take_pending(consumer_t c)
{
  if (c->pend_count == 0)
    return NULL;
  wr_t* wr     = c->pending[c->pend_head];
  c->pend_head = (c->pend_head + 1) % c->pend_alloc;
  c->pend_count--;
  return wr;
}

void consumer_busy_until(consumer_t c, double t)
{
  /* A step runs once the core is due (within the resolution of instants, see due()), so a zero-cost operation may
   * end a hair before the instant the core was freed at: that is the same instant, and the later one stands. */
  xbt_assert(t >= c->cpu_free_at || due(c->cpu_free_at, t), "the core cannot be freed earlier");
  if (t > c->cpu_free_at)
    c->cpu_free_at = t;
}

void consumer_wr_lost(consumer_t c, wr_t* wr, double t_known)
{
  xbt_assert(wr->lost, "WR %ld is not lost", wr->id);
  c->outstanding--;
  schedule_creation(c, t_known + workload_next_think(c->s.workload));
  consumer_release_wr(c, wr);
}

void consumer_hold_wr(wr_t* wr)
{
  xbt_assert(wr->holds < 255, "WR %ld held too often", wr->id);
  wr->holds++;
}

void consumer_release_wr(consumer_t c, wr_t* wr)
{
  xbt_assert(wr->holds > 0, "WR %ld released more often than held", wr->id);
  if (--wr->holds == 0)
    samples_settled(c->s.samples, wr);
}

void consumer_expect_completion(consumer_t c, wr_t* wr)
{
  xbt_assert(!wr->external, "WR %ld is expected twice", wr->id);
  wr->external = 1;
  c->external_pending++;
}

void consumer_complete(consumer_t c, wr_t* wr)
{
  if (wr->external) {
    xbt_assert(c->external_pending > 0, "unexpected completion of WR %ld", wr->id);
    c->external_pending--;
  }
  if (wr->t_delivered > c->last_delivery)
    c->last_delivery = wr->t_delivered;
  /* In a closed loop the think time after this completion is drawn now, in the order completions become known
   * (deterministic), so the consumer can sleep straight to the next creation. */
  double key = wr->t_completed;
  if (c->s.p->arrival == ARRIVAL_CLOSED)
    key += workload_next_think(c->s.workload);
  heap_push(&c->done, key, wr->id, wr);
  if (key > c->last_key)
    c->last_key = key;
  if (c->waiting && next_completion_effect(c) < c->wake_at) {
    c->waiting = 0;
    sg_sem_release(c->sem);
  }
}

const access_place_t* consumer_place(const_consumer_t c)
{
  return &c->s.place;
}

double consumer_cpu_after(const_consumer_t c, double t, double work)
{
  return sched_after(&c->s.cpu, t, work);
}

double consumer_cpu_ready(const_consumer_t c, double t)
{
  return sched_ready(&c->s.cpu, t);
}

double consumer_cpu_time(const_consumer_t c, double a, double b)
{
  return sched_running_time(&c->s.cpu, a, b);
}

double consumer_cpu_stall(const_consumer_t c, double t, double wall)
{
  return sched_ready(&c->s.cpu, sched_ready(&c->s.cpu, t) + wall);
}

int consumer_host_sliced(const_consumer_t c)
{
  return c->s.host_sliced;
}

void consumer_expect_wake(consumer_t c)
{
  c->wake_expected = 1;
}

void consumer_wake(consumer_t c, double t)
{
  c->wake_expected = 0;
  if (t < c->mode_next)
    c->mode_next = t;
  if (c->waiting && c->mode_next < c->wake_at) {
    c->waiting = 0;
    sg_sem_release(c->sem);
  }
}
