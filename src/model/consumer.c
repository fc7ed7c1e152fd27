/* consumer: a SimGrid actor standing for one core or vCPU that creates WRs and issues them through an access mode.
 *
 * The actor is an event loop on its own timeline. Each turn it takes in what became visible (completions), creates
 * the WRs that are due (open-loop arrivals, or closed-loop window slots freed by completions plus think time), and,
 * when its core is free, lets the access mode act. It then sleeps until the next instant something can happen to
 * it. Intra-host costs (issue, posted writes, reads, locks, traps) are timings inside the model, not SimGrid network
 * flows (see docs/model.md); only NIC-to-NIC payloads use the platform's network.
 */
#include "model/consumer.h"
#include "model/netcomm.h"
#include "model/sgtrace.h"
#include "model/simtime.h"

#include "base/heap.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/semaphore.h>
#include <stdlib.h>
#include <string.h>
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
  sg_actor_t actor;           /* its actor, once started */
  int timer_wake;             /* it waits suspended until a kernel timer or a completion resumes it (not under ns-3) */
  netcomm_timer_t wake_timer; /* the timer that ends its wait, while it waits (0: none) */
  sg_sem_t sem;               /* under ns-3: the semaphore it waits on when it may be woken early */
  int waiting;                /* suspended in wait_until() */
  int wakeable;               /* ... and may be woken before wake_at */
  double wake_at;
  int wake_expected; /* the mode waits for consumer_wake() from another actor */

  /* Paje trace (s.paje != NULL only): the state changes the mode reported and the trace does not show yet, in time
   * order, entries [tq_head, tq_n) of tq */
  struct trace_change* tq;
  size_t tq_head, tq_n, tq_alloc;
  paje_state_t mode_state; /* the mode's state as of the latest change taken in */
  int shown;               /* the state the trace shows: a paje_state_t, or SHOWN_NONE, SHOWN_CLOSED */
  double trace_wake;       /* when the consumer wakes up next (it shows what is due then itself) */
  sgtrace_timer_t* timer;  /* shows the next change before that, or NULL */
  double timer_for;        /* the change's time */
  int timer_flip;          /* it is the vCPU's scheduling in or out alone */
  long trace_flips;        /* such timers in a row */
  long trace_timers;       /* timers that fired (for the debug log) */
};

struct trace_change {
  double t;
  paje_state_t state;
};

#define SHOWN_NONE (-1)   /* nothing shown yet (before the window) */
#define SHOWN_CLOSED (-2) /* the window has ended */

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

/* ---- the Paje trace (only when the run is traced) ----
 *
 * SimGrid sets a state at the current simulated time only, while a mode knows when its actions start and end when it
 * starts them. The mode's reports (consumer_trace_state) are kept in time order and each is shown at its time:
 *  - what is due when the consumer is about to wait (the end of its step) is shown then; a report for the instant of
 *    the step replaces what was planned for it, so an action that follows another at once leaves no empty state;
 *  - what comes before the consumer wakes up again is shown by a kernel timer (sgtrace_timer_set) at that time,
 *    which runs between two scheduling rounds, outside any actor.
 * Waking the consumer itself for them would be simpler, but a consumer's wait that is cut in two is a new activity:
 * among actors woken at the very same instant it would then come later, and their order decides which write a full
 * queue takes. A timer creates no activity and leaves that order alone. The kernel brings the models to the timer's
 * date, and hands an actor whose wait ends within SimGrid's precision (surf/precision, 0.1 ps) of that date over
 * with the clock at that date: a timer is set TRACE_LEAD before the change it shows, which no model instant is that
 * close to without being the same instant, so that no wait ends at a clock it would not have ended at without the
 * trace (a state is shown 0.2 ps early: Paje timestamps have 1 ps). */

#define TRACE_LEAD (2 * SIMTIME_PRECISION)
/* A vCPU waiting without end (for a lock, a ring slot, a completion) shows its scheduling in and out through timers;
 * after that many in a row without a wake-up of its own it stops, so that a run SimGrid would find blocked still
 * ends (then it shows its last state). */
#define TRACE_MAX_FLIPS 1024

/* Take in the reported changes due at `t`: the latest one gives the mode's state. */
static void trace_take_due(consumer_t c, double t)
{
  while (c->tq_head < c->tq_n && c->tq[c->tq_head].t <= t + TRACE_LEAD)
    c->mode_state = c->tq[c->tq_head++].state;
  if (c->tq_head == c->tq_n)
    c->tq_head = c->tq_n = 0;
}

/* Show the consumer's state at `t` (the current simulated time, up to TRACE_LEAD) if it changed, within the trace's
 * window: a time-sliced vCPU that does not run shows "descheduled" whatever the mode says. */
static void trace_show(consumer_t c, double t)
{
  paje_host_t ph = c->s.paje;
  if (c->shown == SHOWN_CLOSED || paje_window_start(ph) > t + TRACE_LEAD)
    return;
  paje_window_check(ph, t + TRACE_LEAD);
  if (paje_window_end(ph) <= t + TRACE_LEAD) {
    if (c->shown != SHOWN_NONE)
      paje_state_close(ph, c->s.local_index);
    c->shown = SHOWN_CLOSED;
    return;
  }
  paje_state_t state = c->mode_state;
  if (!sched_running(&c->s.cpu, t + TRACE_LEAD)) /* (a slice boundary up to the lead ahead is reached) */
    state = PAJE_DESCHEDULED;
  if ((int)state != c->shown) {
    paje_state_show(ph, c->s.local_index, state);
    c->shown = (int)state;
  }
}

/* When the trace must next change after `t`: the window's start (nothing is shown before it), the next reported
 * change, the vCPU being scheduled in or out, the window's end; *flip tells whether it is the scheduling alone. */
static double trace_next(const_consumer_t c, double t, int* flip)
{
  const s_paje_host_t* ph = c->s.paje;
  *flip                   = 0;
  if (c->shown == SHOWN_CLOSED)
    return INFINITY;
  if (paje_window_start(ph) > t + TRACE_LEAD)
    return paje_window_start(ph);
  double next = paje_window_end(ph);
  if (c->tq_head < c->tq_n && c->tq[c->tq_head].t < next)
    next = c->tq[c->tq_head].t;
  double f = c->trace_flips < TRACE_MAX_FLIPS ? sched_next_change(&c->s.cpu, t + TRACE_LEAD) : INFINITY;
  if (f < next) {
    *flip = 1;
    next  = f;
  }
  return next;
}

static void trace_fired(void* data);

/* Have the next change after `t` shown by a timer, unless the consumer wakes up by then (it shows it itself). */
static void trace_arm(consumer_t c, double t)
{
  int flip;
  double next = trace_next(c, t, &flip);
  if (next >= c->trace_wake - simtime_epsilon())
    next = INFINITY;
  if (c->timer != NULL && next == c->timer_for)
    return;
  if (c->timer != NULL)
    sgtrace_timer_cancel(c->timer);
  c->timer      = NULL;
  c->timer_for  = next;
  c->timer_flip = flip;
  if (isfinite(next)) {
    /* next > t + TRACE_LEAD, so the date is after t; under ns-3 a timer fires on the 1 ns grid, up to 1 ns after the
     * change it was set for, and the next one may be due by then: at once */
    double date = simtime_align(next - TRACE_LEAD);
    double now  = simgrid_get_clock();
    c->timer    = sgtrace_timer_set(date > now ? date : now, trace_fired, c);
  }
}

/* The timer: the change it was set for is due. */
static void trace_fired(void* data)
{
  consumer_t c   = data;
  double t       = c->timer_for;
  c->timer       = NULL;
  c->trace_flips = c->timer_flip ? c->trace_flips + 1 : 0;
  c->trace_timers++;
  trace_take_due(c, t);
  trace_show(c, t);
  trace_arm(c, t);
}

/* The consumer is about to wait from `now` until `wake`: show what is due, and have what comes before `wake` shown. */
static void trace_before_wait(consumer_t c, double now, double wake)
{
  trace_take_due(c, now);
  trace_show(c, now);
  c->trace_wake  = wake;
  c->trace_flips = 0;
  trace_arm(c, now);
}

/* The consumer is done: its last state stays until the trace ends. */
static void trace_finish(consumer_t c, double now)
{
  trace_take_due(c, now);
  trace_show(c, now);
  if (c->timer != NULL)
    sgtrace_timer_cancel(c->timer); /* a pending timer would keep the simulation going */
  c->timer = NULL;
}

int consumer_traced(const_consumer_t c)
{
  return c->s.paje != NULL;
}

void consumer_trace_state(consumer_t c, double t, paje_state_t state)
{
  if (c->s.paje == NULL)
    return; /* the run is not traced */
  double now = simgrid_get_clock();
  if (t < now)
    t = now;
  while (c->tq_n > c->tq_head && c->tq[c->tq_n - 1].t >= t)
    c->tq_n--; /* replaced by this report */
  if (c->tq_n == c->tq_alloc) {
    if (c->tq_head > 0) {
      memmove(c->tq, c->tq + c->tq_head, (c->tq_n - c->tq_head) * sizeof *c->tq);
      c->tq_n -= c->tq_head;
      c->tq_head = 0;
    } else {
      c->tq_alloc = c->tq_alloc ? 2 * c->tq_alloc : 8;
      c->tq       = xbt_realloc(c->tq, c->tq_alloc * sizeof *c->tq);
    }
  }
  c->tq[c->tq_n++] = (struct trace_change){.t = t, .state = state};
}

/* ---- the actor ---- */

/* Wake a consumer waiting in wait_until(); from an actor or from the kernel (a transfer's end, its timer). A wake-up
 * timer still pending is withdrawn: left in place, it would bring the clock to its date even after the last actor
 * ended. */
static void resume(consumer_t c)
{
  c->waiting = 0;
  if (c->timer_wake) {
    netcomm_cancel(c->wake_timer);
    c->wake_timer = 0;
    sg_actor_resume(c->actor);
  } else {
    sg_sem_release(c->sem);
  }
}

/* The consumer's wake-up timer fired: it is no longer to be withdrawn. */
static void on_wake_timer(void* data)
{
  consumer_t c = data;
  xbt_assert(c->waiting, "consumer %d: a wake-up timer for a consumer awake (model bug)", c->s.index);
  c->wake_timer = 0;
  resume(c);
}

/* Wait until `wake`, or until consumer_complete() or consumer_wake() finds that something the consumer must act on
 * happens earlier.
 *
 * The actor suspends itself and a kernel timer (netcomm_at) resumes it at `wake`. Unlike a sleep, or a semaphore with
 * a timeout, this sets no action on the host's CPU model; the instants are the same, and a wake-up costs SimGrid less:
 * about 1.5 times less with 4,096 actors in a bare loop, where most of a lightly loaded run's time goes. Under ns-3 the
 * consumer sleeps instead (or waits on a semaphore with a timeout when it may be woken earlier): with ns-3 transfers in
 * flight, a run whose consumers waited on kernel timers never ended (SimGrid's ns-3 model spun at full CPU; 16 hosts,
 * 30 WRs per consumer, e2e_cli's ns-3 test), as a transfer started from a timer loses bytes (transport.c). */
static void wait_until(consumer_t c, double now, double wake)
{
  c->steps++;
  wake = simtime_align(wake);
  /* Only a transfer ending before `wake` may change what the consumer does (see next_completion_effect), or another
   * actor's consumer_wake(): otherwise nothing wakes it before `wake`. */
  c->wakeable = c->wake_expected ||
                (c->external_pending > 0 && (c->s.p->arrival == ARRIVAL_CLOSED || next_creation(c) == INFINITY));
  xbt_assert(!isinf(wake) || c->wakeable, "consumer %d would sleep forever with %ld WRs outstanding (model bug)",
             c->s.index, c->outstanding);
  if (c->s.paje != NULL)
    trace_before_wait(c, now, wake);
  c->wake_at = wake;
  if (c->timer_wake) {
    c->waiting = 1;
    if (!isinf(wake))
      c->wake_timer = netcomm_at(wake, on_wake_timer, c);
    sg_actor_suspend(c->actor);
  } else if (c->wakeable) {
    c->waiting = 1;
    if (isinf(wake))
      sg_sem_acquire(c->sem);
    else
      sg_sem_acquire_timeout(c->sem, wake - now);
    c->waiting = 0; /* woken by the timeout */
  } else {
    sg_actor_sleep_until(wake);
  }
  xbt_assert(!c->waiting, "consumer %d resumed while still waiting (model bug)", c->s.index);
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
  if (c->s.paje != NULL)
    trace_finish(c, simgrid_get_clock());
  /* Every WR is completed; stay until the last payload is in its destination memory, so the run's end is the last
   * delivery. */
  if (c->last_delivery > simgrid_get_clock())
    sg_actor_sleep_until(simtime_align(c->last_delivery));
  c->finished = 1;
  XBT_DEBUG("consumer %d done: %ld WRs, %ld steps (and %ld trace timers)", c->s.index, c->created, c->steps,
            c->trace_timers);
}

consumer_t consumer_create(const consumer_spec_t* spec)
{
  consumer_t c    = xbt_new0(s_consumer_t, 1);
  c->s            = *spec;
  c->next_arrival = INFINITY;
  c->cpu_free_at  = 0;
  c->mode_next    = INFINITY;
  c->timer_wake   = strcmp(spec->p->network_model, "ns-3") != 0;
  c->sem          = c->timer_wake ? NULL : sg_sem_init(0);
  c->mode_state   = PAJE_IDLE;
  c->shown        = SHOWN_NONE;
  c->trace_wake   = INFINITY;
  c->timer_for    = INFINITY;
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
  c->actor = actor;
  sg_actor_start_(actor, consumer_actor, 0, NULL);
}

void consumer_free(consumer_t c)
{
  if (c == NULL)
    return;
  if (c->s.ops->consumer_destroy)
    c->s.ops->consumer_destroy(c->mode);
  workload_free(c->s.workload);
  if (c->sem != NULL)
    sg_sem_destroy(c->sem);
  if (c->timer != NULL)
    sgtrace_timer_cancel(c->timer);
  free(c->pending);
  free(c->tq);
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
  if (c->waiting && c->wakeable && next_completion_effect(c) < c->wake_at)
    resume(c);
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
  if (c->waiting && c->wakeable && c->mode_next < c->wake_at)
    resume(c);
}
