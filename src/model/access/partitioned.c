/* access_partitioned: SR-IOV style virtual functions: the NIC's queue-depth is split into `queues` hardware queues,
 * consumers are mapped onto them (access.queue-map), and the consumers that share a queue take turns with a lock and
 * credits of that queue alone.
 *
 * Model (docs/model.md, section 4.4):
 *  - Queue map. queue-map="tenant" (the default): every VM is a tenant and the native cores together are one; tenants
 *    are numbered native cores first (when there are any), then VM 0, 1, ...; tenant t uses queue t mod queues.
 *    queue-map="consumer": every consumer its own queue, its index on the host mod queues.
 *  - A queue's consumers share a fair FIFO queue lock on it, with the <nic> lock costs: lock-acquire when it is free,
 *    lock-handoff when the releaser passes it on. It lives in the guest, because the VF is mapped into the VM: no
 *    trap. Waiting for it spins or, with lock-wait="pv" in a VM, yields (lockwait.h). A consumer that is alone on its
 *    queue takes no lock at all (a driver with one thread per queue needs none).
 *  - Credits are per queue, under its lock, as in the lock mode: read (a pio-read of the queue's retired count) when
 *    the cached ones run out (credit-refresh="on-empty") or before every WR ("always"), again while no slot is free;
 *    credits = capacity - (posted to the queue - retired). The NIC therefore never rejects a write.
 *  - The write costs issue-cost; it is posted at its end and reaches the NIC pio-write later; the lock is released
 *    when it is posted.
 *
 * Why in steps. With several queues, critical sections on different queues overlap in time, so a whole critical
 * section cannot be computed when the lock is asked for, as lock.c does: its write would be handed to the NIC ahead of
 * writes that other queues' holders post earlier (the NIC takes arrivals in time order), and its credit reads would
 * look at a NIC that does not know those writes yet. The critical section runs as simulated steps instead: asking for
 * the lock (if it is held, the consumer waits for the releaser to pass it on: consumer_expect_wake / consumer_wake);
 * a credit read as a stall whose observation of the NIC is its own step at its midpoint (the NIC then knows every write
 * posted before); the write, handed to the NIC when it is posted (arrival = post + pio-write); the release.
 *
 * With one queue shared by native cores this is the lock mode step by step: the same grants, reads, writes and costs.
 */
#include <math.h>
#include <stdlib.h>
#include <xbt/asserts.h>
#include <xbt/log.h>
#include <xbt/sysdep.h>

#include "model/access/access.h"
#include "model/access/lockwait.h"
#include "model/consumer.h"
#include "model/simtime.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnicsim_partitioned, vnicsim, "Partitioned (SR-IOV) access mode");

/* ---- The mode's own parameters ---- */

typedef enum { QMAP_TENANT = 0, QMAP_CONSUMER } queue_map_t;
static const char* const queue_map_names[] = {"tenant", "consumer", NULL};

typedef struct part_params {
  queue_map_t queue_map;
} part_params_t;

#define P(field) offsetof(part_params_t, field), sizeof(((part_params_t*)0)->field)
static const param_desc_t part_params[] = {
    {"access.queue-map", "access", "queue-map", PARAM_ENUM, P(queue_map), "tenant", 0, 0, 0, queue_map_names,
     "partitioned: who shares a hardware queue: a tenant (each VM; the native cores together) or nobody (consumer); "
     "tenant or consumer index mod queues"},
};
#undef P

extern const struct access_ops access_partitioned_ops;

/* ---- State ---- */

typedef struct part_consumer part_consumer_t;

/* One hardware queue of a host: its lock and its credits. */
typedef struct part_queue {
  long members;           /* consumers mapped to it (all counted before the simulation starts) */
  part_consumer_t* owner; /* holds the lock, or has been passed it; NULL: free */
  double release_at;      /* when the owner releases: known once it writes, INFINITY before */
  part_consumer_t** wait; /* ring of waiters, oldest first (room for members) */
  long wait_head;
  long nwait;
  long credits; /* cached credits */
  long posted;  /* WRs written to this queue */
  long reads;   /* credit reads */
} part_queue_t;

typedef struct part_host {
  long nqueues;
  part_queue_t* q;
} part_host_t;

/* Where a consumer is in the handling of the WR in hand. */
typedef enum {
  PH_IDLE = 0, /* no WR in hand */
  PH_QUEUED,   /* waiting in the lock's queue, not passed it yet */
  PH_PASSED,   /* the lock was passed to it: its own from `avail` */
  PH_HOLD,     /* holds the lock (or is alone): credits or write next, at `at` */
  PH_READ_OBS, /* a credit read is in flight: it observes the NIC at `at` */
  PH_READ_END, /* the read's answer is back at `at` */
  PH_WRITE     /* the write is posted at `at` */
} phase_t;

struct part_consumer {
  consumer_t c;
  const params_t* p;
  nic_t nic;
  int ctx;
  int queue;
  part_queue_t* q;
  phase_t phase;
  wr_t* wr;          /* the WR in hand */
  double t_want;     /* when it took that WR (and wanted the lock) */
  double at;         /* when the current phase's next action is due */
  double avail;      /* PH_PASSED: when the lock is its own */
  double hold_from;  /* when the lock became its own */
  double halt_from;  /* pv: the span its vCPU was halted while waiting (no CPU) */
  double halt_until; /* (equal to halt_from when it never was) */
  double read_end;   /* the read in flight returns then */
  double obs;        /* the NIC was last observed then */
  long free_slots;   /* what that read saw */
};

static int part_queue_of(const params_t* p, const access_place_t* place)
{
  const part_params_t* pp = access_params(p, &access_partitioned_ops);
  long index;
  if (pp->queue_map == QMAP_CONSUMER)
    index = place->local_index;
  else /* tenants: the native cores together (when there are any), then each VM */
    index = place->vm < 0 ? 0 : (p->cores_per_host > 0 ? 1 : 0) + place->vm;
  return (int)(index % p->queues);
}

static void* part_host_create(nic_t nic, sg_host_t pm, const params_t* p)
{
  part_host_t* h = xbt_new0(part_host_t, 1);
  h->nqueues     = p->queues;
  h->q           = xbt_new0(part_queue_t, h->nqueues);
  for (long i = 0; i < h->nqueues; i++)
    h->q[i].release_at = INFINITY;
  return h;
}

static void part_host_destroy(void* st)
{
  part_host_t* h = st;
  if (h == NULL)
    return;
  for (long i = 0; i < h->nqueues; i++)
    free(h->q[i].wait);
  free(h->q);
  free(h);
}

static void* part_consumer_create(consumer_t c, void* host_state, const params_t* p)
{
  part_host_t* h     = host_state;
  part_consumer_t* s = xbt_new0(part_consumer_t, 1);
  s->c               = c;
  s->p               = p;
  s->nic             = consumer_nic(c);
  s->ctx             = consumer_context(c);
  s->queue           = part_queue_of(p, consumer_place(c)); /* the queue its NIC context was opened on */
  s->q               = &h->q[s->queue];
  s->q->members++;
  s->phase = PH_IDLE;
  return s;
}

static void part_consumer_destroy(void* st)
{
  free(st);
}

/* ---- The lock ---- */

/* Every consumer is created before any step, so the count is complete by then. */
static int alone(const part_consumer_t* s)
{
  return s->q->members == 1;
}

static void enqueue(part_queue_t* q, part_consumer_t* s)
{
  if (q->wait == NULL)
    q->wait = xbt_new0(part_consumer_t*, q->members);
  xbt_assert(q->nwait < q->members, "more waiters than consumers on a queue");
  q->wait[(q->wait_head + q->nwait) % q->members] = s;
  q->nwait++;
}

static part_consumer_t* dequeue(part_queue_t* q)
{
  if (q->nwait == 0)
    return NULL;
  part_consumer_t* s = q->wait[q->wait_head];
  q->wait_head       = (q->wait_head + 1) % q->members;
  q->nwait--;
  return s;
}

/* The instant a step due at @p at stands for when it runs at @p now: @p at itself, unless the wait ended later than
 * the tolerance (under ns-3 waits end on a 1 ns grid): then now, so that writes handed to the NIC at the same step
 * instant keep their arrivals in time order. */
static double instant(double at, double now)
{
  return now - at > simtime_epsilon() ? now : at;
}

/* The consumer took its WR at @p t and asks for the lock. Returns 1 if it holds it (phase PH_HOLD from s->at), 0 if
 * it waits for it. A lock whose owner has released by t (release_at <= t, even if its releasing step has not run yet
 * at this instant) is free, as in lock.c. */
static int ask(part_consumer_t* s, double t)
{
  part_queue_t* q = s->q;
  if (q->owner == NULL || (q->nwait == 0 && q->release_at <= t)) {
    q->owner      = s;
    q->release_at = INFINITY;
    double grant  = consumer_cpu_after(s->c, t, s->p->lock_acquire_s);
    s->hold_from = s->halt_from = s->halt_until = grant;
    s->wr->access_wait_s += grant - s->t_want;
    s->phase = PH_HOLD;
    s->at    = grant;
    XBT_DEBUG("consumer %d takes the free lock of queue %d at %g", consumer_index(s->c), s->queue, grant);
    return 1;
  }
  enqueue(q, s);
  s->phase = PH_QUEUED;
  consumer_expect_wake(s->c);
  XBT_DEBUG("consumer %d waits for the lock of queue %d (%ld waiting)", consumer_index(s->c), s->queue, q->nwait);
  return 0;
}

/* The lock was passed on at s->avail: spin or yield up to then (lockwait.c). */
static void take_passed(part_consumer_t* s, double now)
{
  double avail  = instant(s->avail, now);
  lockwait_t w  = lockwait(s->c, s->p, s->t_want, avail);
  s->hold_from  = avail;
  s->halt_from  = w.halt_from;
  s->halt_until = w.halt_until;
  s->wr->access_wait_s += w.grant - s->t_want;
  s->phase = PH_HOLD;
  s->at    = w.grant;
}

/* ---- The critical section ---- */

/* A credit read from @p t: the core stalls for a pio-read round trip; the NIC is observed half-way. */
static void start_read(part_consumer_t* s, double t)
{
  s->phase    = PH_READ_OBS;
  s->at       = consumer_cpu_ready(s->c, t) + s->p->pio_read_s / 2;
  s->read_end = consumer_cpu_stall(s->c, t, s->p->pio_read_s);
}

/* The write from @p t: issue-cost, posted at its end. The queue's state is brought up to date now, before anyone else
 * can look at it: a consumer asking at or after the post instant finds the lock released. */
static void start_write(part_consumer_t* s, double t)
{
  part_queue_t* q = s->q;
  double post     = consumer_cpu_after(s->c, t, s->p->issue_cost_s);
  q->credits--;
  q->posted++;
  if (!alone(s))
    q->release_at = post;
  s->phase = PH_WRITE;
  s->at    = post;
}

/* Holding the lock at @p t: read credits if needed, else write. */
static void hold(part_consumer_t* s, double t)
{
  if (s->p->credit_refresh == CREDIT_ALWAYS || s->q->credits == 0)
    start_read(s, t);
  else
    start_write(s, t);
}

/* The read observes the NIC now: the queue's retired count. */
static void observe(part_consumer_t* s, double now)
{
  double obs = instant(s->at, now);
  s->obs     = obs;
  s->phase   = PH_READ_END;
  s->at      = s->read_end > obs ? s->read_end : obs;
  s->q->reads++;
  /* may run other actors (the NIC's decisions up to obs start transfers): the state above is complete */
  long retired  = nic_retired(s->nic, s->queue, obs);
  s->free_slots = nic_queue_capacity(s->nic) - (s->q->posted - retired);
  xbt_assert(s->free_slots >= 0, "more WRs in queue %d of the NIC than it holds", s->queue);
}

/* The write is posted now: release the lock (passing it to the first waiter) and hand the write to the NIC. */
static void post(part_consumer_t* s, double now)
{
  part_queue_t* q       = s->q;
  wr_t* wr              = s->wr;
  double t              = instant(s->at, now);
  part_consumer_t* next = NULL;
  if (!alone(s)) {
    lockwait_record_hold(s->c, wr, s->hold_from, s->at);
    if (q->owner == s) { /* else someone took it, free, at or after release_at */
      next          = dequeue(q);
      q->owner      = next;
      q->release_at = INFINITY;
      if (next != NULL) {
        next->phase = PH_PASSED;
        next->avail = s->at + s->p->lock_handoff_s; /* one cache-line transfer */
      }
    }
  }
  /* spinning for the lock, stalled on reads, writing: all on this core, but for a halted (pv) span */
  wr->cpu_s += consumer_cpu_time(s->c, s->t_want, s->at) - consumer_cpu_time(s->c, s->halt_from, s->halt_until);
  s->wr    = NULL;
  s->phase = PH_IDLE;
  /* Last: handing the write to the NIC and waking the next holder are SimGrid calls, during which other actors run. */
  int accepted = nic_arrive(s->nic, s->ctx, wr, t + s->p->pio_write_s);
  xbt_assert(accepted, "a write within the credits was dropped (model bug)");
  if (next != NULL)
    consumer_wake(next->c, next->avail);
}

static double part_step(consumer_t c, void* st, double now)
{
  part_consumer_t* s = st;
  for (;;) {
    /* Actions that are not due yet: occupy the core until then (the lock's queue and the hand-off excepted, where the
     * consumer is woken by the releaser; its core spins, which is accounted when it posts). */
    switch (s->phase) {
    case PH_QUEUED:
      return INFINITY;
    case PH_PASSED:
      if (!simtime_due(s->avail, now))
        return s->avail;
      take_passed(s, now);
      continue;
    case PH_IDLE:
      break;
    default:
      if (!simtime_due(s->at, now)) {
        consumer_busy_until(c, s->at);
        return s->at;
      }
      break;
    }
    switch (s->phase) {
    case PH_IDLE:
      s->wr = consumer_take_pending(c);
      if (s->wr == NULL)
        return INFINITY;
      s->t_want = now;
      if (alone(s)) {
        s->halt_from = s->halt_until = now;
        s->phase                     = PH_HOLD;
        s->at                        = now;
      } else if (!ask(s, now)) {
        return INFINITY;
      }
      break;
    case PH_HOLD:
      hold(s, instant(s->at, now));
      break;
    case PH_READ_OBS:
      observe(s, now);
      break;
    case PH_READ_END:
      if (s->free_slots == 0 && s->p->pio_read_s <= 0) {
        /* A read that costs nothing sees a full queue at the same instant however often it is made: simulated time
         * would not pass. The next read is the first one that can see a slot, at the queue's next retirement. */
        double next = nic_next_retirement(s->nic, s->queue, s->obs);
        xbt_assert(isfinite(next), "a full queue %d with nothing to retire (model bug)", s->queue);
        start_read(s, next > s->at ? next : instant(s->at, now));
      } else if (s->free_slots == 0) {
        start_read(s, instant(s->at, now)); /* no slot yet: read again, back to back */
      } else {
        s->q->credits = s->free_slots;
        start_write(s, instant(s->at, now));
      }
      break;
    case PH_WRITE:
      post(s, now);
      break;
    default:
      xbt_die("unexpected phase %d", (int)s->phase);
    }
  }
}

static int part_idle(const_consumer_t c, const void* st)
{
  const part_consumer_t* s = st;
  return s->phase == PH_IDLE;
}

const struct access_ops access_partitioned_ops = {
    .name             = "partitioned",
    .description      = "SR-IOV queues: tenants mapped to hardware queues, a lock and credits per queue, no trap",
    .params           = part_params,
    .nparams          = sizeof part_params / sizeof part_params[0],
    .params_size      = sizeof(part_params_t),
    .guarantees       = ACCESS_KEEPS_ORDER | ACCESS_NEVER_REJECTED,
    .takes_lock       = 1,
    .check            = NULL,
    .queue_of         = part_queue_of,
    .host_create      = part_host_create,
    .host_destroy     = part_host_destroy,
    .consumer_create  = part_consumer_create,
    .consumer_destroy = part_consumer_destroy,
    .step             = part_step,
    .idle             = part_idle,
};
