/* access_lock: the locking baseline: one host-wide lock guards the NIC queue; inside it a consumer checks its credits
 * (reading the NIC when they run out, or before every WR), writes the WR and releases.
 *
 * Model (docs/model.md, section 4.3):
 *  - The lock is a fair queue lock (ticket/MCS): it is granted in the order it was asked for. Acquiring a free lock
 *    costs lock-acquire (acquire and release together); passing it from the releasing core to the next waiter costs
 *    lock-handoff (a cache-line transfer). A consumer waiting for the lock spins: that time is CPU time.
 *  - Credits are shared by the host's consumers (a counter under the lock). A credit read is a pio-read round trip
 *    of the NIC's retired-WR counter; credits = capacity - (WRs posted - WRs retired). This equals reading the
 *    free-slot count, except that WRs still in flight on the bus are not counted as free (what real drivers do with
 *    producer/consumer indices), so the NIC never has to reject a write in this mode. While no slot is free the
 *    holder reads again, back to back. credit-refresh="always" reads before every WR (the seed-era baseline),
 *    "on-empty" only when the credits are used up (the strong baseline).
 *  - Writing the WR costs issue-cost; the write is posted and reaches the NIC pio-write later; the lock is released
 *    right after the posted write (it does not wait for it).
 *  - A consumer in a VM cannot share a host-wide lock without the hypervisor: acquiring traps (half a trap to exit,
 *    the lock taken in the hypervisor, half a trap to re-enter) and so does releasing, so the lock is held for one
 *    extra trap per WR.
 *
 * Only the lock holder touches this NIC's queue, and the engine's completions follow from the writes already made,
 * so a holder's whole critical section (credit reads, write, release) is determined the moment it asks for the lock:
 * the consumer computes it then and sleeps once until it has released. Requests are taken in simulated-time order,
 * which is exactly the queue lock's grant order. A consumer in a VM first spends its half trap as a separate step, so
 * its request is taken at the time it reaches the hypervisor.
 */
#include <math.h>
#include <stdlib.h>
#include <xbt/asserts.h>
#include <xbt/log.h>
#include <xbt/sysdep.h>

#include "model/access/access.h"
#include "model/access/lockwait.h"
#include "model/consumer.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnicsim_lock, vnicsim, "Locking access mode");

/* Reads of the retired count that find the queue full and are simulated one by one before the rest are counted in one
 * go (see critical_section). */
#define LOCK_READS_ONE_BY_ONE 64

typedef struct lock_host {
  double free_at; /* when the current holder releases (the lock is free from then on) */
  long credits;   /* cached credits, shared under the lock */
  long posted;    /* WRs written by this host's consumers */
  long reads;     /* credit reads */
} lock_host_t;

typedef struct lock_consumer {
  consumer_t c;
  lock_host_t* h;
  const params_t* p;
  nic_t nic;
  int ctx;
  int queue;
  wr_t* trapping; /* a VM consumer's WR while it exits to the hypervisor */
  double t_want;  /* when it started wanting the lock for that WR */
} lock_consumer_t;

static void* lock_host_create(nic_t nic, sg_host_t pm, const params_t* p)
{
  lock_host_t* h = xbt_new0(lock_host_t, 1);
  h->free_at     = 0;
  h->credits     = 0;
  return h;
}

static void lock_host_destroy(void* st)
{
  free(st);
}

static void* lock_consumer_create(consumer_t c, void* host_state, const params_t* p)
{
  lock_consumer_t* s = xbt_new0(lock_consumer_t, 1);
  s->c               = c;
  s->h               = host_state;
  s->p               = p;
  s->nic             = consumer_nic(c);
  s->ctx             = consumer_context(c);
  s->queue           = 0;
  return s;
}

static void lock_consumer_destroy(void* st)
{
  free(st);
}

/* The critical section of `wr`, asked for at t_req (in the hypervisor for a VM consumer). Returns when the
 * consumer's core is free again. */
static double critical_section(lock_consumer_t* s, wr_t* wr, double t_req, lockwait_t* w)
{
  const params_t* p = s->p;
  lock_host_t* h    = s->h;
  consumer_t c      = s->c;
  double half_trap  = consumer_in_vm(c) ? p->trap_s / 2 : 0;

  /* Free: taken at the cost of an uncontended acquire. Held: passed on by the holder's release after a hand-off; the
   * waiter spins or yields meanwhile (lockwait.c). */
  double hold_from;
  if (h->free_at <= t_req) {
    w->grant     = consumer_cpu_after(c, t_req, p->lock_acquire_s);
    w->halt_from = w->halt_until = w->grant;
    hold_from                    = w->grant;
  } else {
    hold_from = h->free_at + p->lock_handoff_s;
    *w        = lockwait(c, p, t_req, hold_from);
  }
  XBT_DEBUG("consumer %d asks at %g (lock %p free at %g, credits %ld): granted at %g", consumer_index(c), t_req,
            (void*)h, h->free_at, h->credits, w->grant);
  wr->access_wait_s += w->grant - s->t_want;
  double t = consumer_cpu_after(c, w->grant, half_trap); /* a VM consumer re-enters the guest holding the lock */

  if (p->credit_refresh == CREDIT_ALWAYS || h->credits == 0) {
    long capacity = nic_queue_capacity(s->nic);
    long free_slots;
    int empty_reads = 0;
    do {
      /* a register read: the core stalls for the round trip; the NIC is observed half-way */
      double obs   = consumer_cpu_ready(c, t) + p->pio_read_s / 2;
      long retired = nic_retired(s->nic, s->queue, obs);
      t            = consumer_cpu_stall(c, t, p->pio_read_s);
      h->reads++;
      free_slots = capacity - (h->posted - retired);
      xbt_assert(free_slots >= 0, "more WRs in the NIC than it holds");
      if (free_slots == 0 && ++empty_reads >= LOCK_READS_ONE_BY_ONE) {
        /* The queue stays full until its oldest WR leaves: the reads until one sees that are all alike, so they are
         * counted in one go (with a zero-cost read, one by one they would never let time pass). */
        double next = nic_next_retirement(s->nic, s->queue, obs);
        xbt_assert(isfinite(next), "a full queue with nothing to retire (model bug)");
        double k = p->pio_read_s > 0 ? ceil((next - obs) / p->pio_read_s) : 0;
        if (k < 1)
          k = 1;
        /* k more reads: the k-th observes at obs + k * pio-read, the first instant at or after `next` */
        t = p->pio_read_s > 0 ? consumer_cpu_stall(c, t, k * p->pio_read_s) : consumer_cpu_ready(c, next);
        h->reads += (long)k;
        retired    = nic_retired(s->nic, s->queue, p->pio_read_s > 0 ? t - p->pio_read_s / 2 : next);
        free_slots = capacity - (h->posted - retired);
      }
    } while (free_slots == 0);
    h->credits = free_slots;
  }

  t = consumer_cpu_after(c, t, p->issue_cost_s);
  h->credits--;
  h->posted++;
  double release = consumer_cpu_after(c, t, half_trap); /* a VM consumer exits again to release */
  h->free_at     = release;
  lockwait_record_hold(c, wr, hold_from, release);
  /* Last: handing the write to the NIC may start a transfer, a SimGrid call during which other actors run, so the
   * lock's state must already be complete. */
  double done = consumer_cpu_after(c, release, half_trap);
  /* The trace: waiting for the lock (or acquiring a free one), holding it from when it is this consumer's (the whole
   * critical section, its reads and write included), the VM entry after the release. */
  consumer_trace_state(c, t_req, PAJE_LOCK_WAIT);
  consumer_trace_state(c, hold_from, PAJE_LOCK_HELD);
  consumer_trace_state(c, release, PAJE_TRAP);
  consumer_trace_state(c, done, PAJE_IDLE);
  int accepted = nic_arrive(s->nic, s->ctx, wr, t + p->pio_write_s);
  xbt_assert(accepted, "a write within the credits was dropped (model bug)");
  return done;
}

static double lock_step(consumer_t c, void* st, double now)
{
  lock_consumer_t* s = st;
  wr_t* wr;
  if (s->trapping != NULL) {
    wr          = s->trapping; /* the VM exit ended: the request reaches the hypervisor now */
    s->trapping = NULL;
  } else {
    wr = consumer_take_pending(c);
    if (wr == NULL)
      return INFINITY;
    s->t_want = now;
    if (consumer_in_vm(c)) {
      s->trapping = wr;
      wr->cpu_s += s->p->trap_s / 2;
      double exited = consumer_cpu_after(c, now, s->p->trap_s / 2);
      consumer_busy_until(c, exited);
      consumer_trace_state(c, now, PAJE_TRAP); /* the exit to the hypervisor, which takes the lock */
      return exited;
    }
  }
  lockwait_t w;
  double done = critical_section(s, wr, now, &w);
  /* spinning for the lock, stalled on reads, writing, trapping: all on this core, but for a halted (pv) span */
  wr->cpu_s += consumer_cpu_time(c, now, done) - consumer_cpu_time(c, w.halt_from, w.halt_until);
  consumer_busy_until(c, done);
  return consumer_pending_count(c) > 0 ? done : INFINITY;
}

static int lock_idle(const_consumer_t c, const void* st)
{
  const lock_consumer_t* s = st;
  return s->trapping == NULL;
}

const struct access_ops access_lock_ops = {
    .name             = "lock",
    .description      = "one host-wide lock around credit check and write (traps for consumers in VMs)",
    .params           = NULL,
    .nparams          = 0,
    .params_size      = 0,
    .guarantees       = ACCESS_KEEPS_ORDER | ACCESS_NEVER_REJECTED,
    .takes_lock       = 1,
    .check            = access_check_one_queue,
    .queue_of         = NULL,
    .host_create      = lock_host_create,
    .host_destroy     = lock_host_destroy,
    .consumer_create  = lock_consumer_create,
    .consumer_destroy = lock_consumer_destroy,
    .step             = lock_step,
    .idle             = lock_idle,
};
