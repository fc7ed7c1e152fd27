/* access_hypervisor: a paravirtual (virtio/vhost-style) path: consumers write descriptors into shared rings and one
 * backend per physical host, on a core of its own, alone posts their WRs to the NIC.
 *
 * Model (docs/model.md, section 4.5):
 *  - Rings: each VM has one ring of access.ring-size descriptors, shared by its vCPUs; the host's native cores share
 *    another ring of the same size (the host driver's path into the same backend). Writing a descriptor costs the
 *    consumer issue-cost of CPU and no trap. A consumer reserves its slot when it starts writing and the descriptor
 *    becomes visible to the backend when the write ends (it is posted). When the ring has no free slot the consumer
 *    waits (its access wait) until the backend takes a descriptor from that ring; waiters get the freed slots in the
 *    order they started waiting.
 *  - The backend: one SimGrid actor per physical host (a daemon), on a core of its own. It takes one descriptor at a
 *    time, serving the non-empty rings round-robin, and spends access.backend-cost of its core per WR, its write to
 *    the NIC included. It is the NIC queue's only producer: it keeps credits like the lock mode (a pio-read of the
 *    NIC's retired-WR count, observed half-way through the read, when the credits run out, or before every WR with
 *    access.credit-refresh="always"; read again while no slot is free), so the NIC never rejects a write; it takes
 *    no lock. Reads come first, then the backend-cost; the write reaches the NIC pio-write after the backend-cost
 *    ends, through the NIC context of the WR's own consumer (so the NIC's per-context order check still applies).
 *    Being the only producer, the backend hands the write to the NIC when it starts on it, stamped with its arrival.
 *  - Sleep and kicks: the backend falls asleep when every ring is empty. A consumer that posts a descriptor decides
 *    at that instant whether to kick: a vCPU kicks when the backend is asleep (access.kick="when-idle", as virtio's
 *    notification suppression does), or after every descriptor (kick="always"). A kick is a VM exit: the vCPU pays a
 *    whole trap of CPU, and the backend wakes when the exit reaches the hypervisor, half a trap after the post. A
 *    native core wakes a sleeping backend at the instant it posts, at no cost (the host driver's path has no trap).
 *    A guest that posts while the backend still sleeps kicks even if another kick is on its way.
 *  - CPU charged to each WR: its consumer's issue-cost and trap, and the backend's core time spent on it (credit
 *    reads and backend-cost), which is CPU spent on its behalf. The access wait is the time a consumer waited for a
 *    free ring slot; the time a descriptor spends in the ring is part of the issue latency.
 *  - Completions come back as for any WR (notify-latency after the transfer ends); the interrupt injected into the
 *    guest is not modelled separately.
 *
 * Time order: the backend is the only actor that writes to its NIC and it processes one WR after the other, so its
 * arrivals are increasing whatever the consumers do (time-sliced vCPUs included: a descriptor is handed into its
 * ring at the instant it is posted).
 */
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <xbt/asserts.h>
#include <xbt/log.h>
#include <xbt/sysdep.h>

#include "model/access/access.h"
#include "model/consumer.h"
#include "model/simtime.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnicsim_hypervisor, vnicsim, "Hypervisor (paravirtual backend) access mode");

/* ---- The mode's own parameters ---- */

typedef enum { KICK_WHEN_IDLE = 0, KICK_ALWAYS } kick_t;
static const char* const kick_names[] = {"when-idle", "always", NULL};

/* virtio's split and packed rings hold at most 32768 descriptors (the queue size is a 16-bit power of two). */
#define HV_RING_MAX 32768

typedef struct hv_params {
  long ring_size;        /* descriptors per ring */
  double backend_cost_s; /* backend core time per WR, its write to the NIC included */
  kick_t kick;           /* when a vCPU traps to wake the backend */
} hv_params_t;

#define P(field) offsetof(hv_params_t, field), sizeof(((hv_params_t*)0)->field)
static const param_desc_t hv_params[] = {
    {"access.ring-size", "access", "ring-size", PARAM_COUNT, P(ring_size), "256", 1, HV_RING_MAX, 0, NULL,
     "hypervisor: descriptors of each VM's ring (and of the native cores' ring)"},
    {"access.backend-cost", "access", "backend-cost", PARAM_TIME, P(backend_cost_s), "250ns", 0, PARAMS_TIME_MAX, 0,
     NULL, "hypervisor: backend core time per WR, its write to the NIC included"},
    {"access.kick", "access", "kick", PARAM_ENUM, P(kick), "when-idle", 0, 0, 0, kick_names,
     "hypervisor: a vCPU traps to wake the backend only when it sleeps (when-idle), or after every WR (always)"},
};
#undef P

extern const struct access_ops access_hypervisor_ops;

/* ---- State ---- */

typedef struct hv_consumer hv_consumer_t;

typedef struct hv_desc {
  wr_t* wr;
  hv_consumer_t* owner;
} hv_desc_t;

/* One ring: the posted descriptors the backend has not taken, oldest first, and the consumers waiting for a slot. Both
 * grow on demand (a ring of 32768 entries per VM would be a lot of memory for nothing on a large platform). */
typedef struct hv_ring {
  hv_desc_t* desc;
  long head, count, alloc;
  long reserved; /* slots in use: descriptors being written, posted, or handed to a waiter that has not written yet */
  hv_consumer_t** waiters;
  long whead, wcount, walloc;
} hv_ring_t;

typedef struct hv_host {
  const params_t* p;
  const hv_params_t* hp;
  nic_t nic;
  const char* name; /* of the physical host, for logs */
  hv_ring_t* rings; /* 0: the native cores' ring; 1 + v: VM v's */
  int nrings;
  int last; /* the ring served last (round-robin) */
  /* sleep */
  int asleep;
  double wake_at;  /* asleep: the earliest kick that reached the backend, or INFINITY */
  int sem_waiting; /* the backend waits on sem and a kick must release it */
  sg_sem_t sem;
  /* credits, as in the lock mode */
  long credits;
  long posted;
  long reads;
  long processed;
  hv_consumer_t** wake; /* scratch: the waiters to wake when a slot is freed */
  long wake_alloc;
} hv_host_t;

struct hv_consumer {
  consumer_t c;
  hv_host_t* h;
  hv_ring_t* ring;
  const params_t* p;
  const hv_params_t* hp;
  int ctx;
  int in_vm;
  wr_t* writing; /* the descriptor being written (its slot is reserved), posted at post_at */
  double post_at;
  int waiting; /* waits for a free slot of its ring since t_want */
  double t_want;
  int granted;  /* the backend handed it a freed slot */
  long in_ring; /* its descriptors posted and not yet taken by the backend */
};

/* ---- Rings ---- */

static void ring_push(hv_ring_t* r, wr_t* wr, hv_consumer_t* owner)
{
  if (r->count == r->alloc) {
    long na          = r->alloc ? 2 * r->alloc : 8;
    hv_desc_t* fresh = xbt_new(hv_desc_t, na);
    for (long i = 0; i < r->count; i++)
      fresh[i] = r->desc[(r->head + i) % r->alloc];
    free(r->desc);
    r->desc  = fresh;
    r->alloc = na;
    r->head  = 0;
  }
  r->desc[(r->head + r->count) % r->alloc] = (hv_desc_t){.wr = wr, .owner = owner};
  r->count++;
}

static hv_desc_t ring_pop(hv_ring_t* r)
{
  hv_desc_t d = r->desc[r->head];
  r->head     = (r->head + 1) % r->alloc;
  r->count--;
  return d;
}

static void waiter_push(hv_ring_t* r, hv_consumer_t* s)
{
  if (r->wcount == r->walloc) {
    long na               = r->walloc ? 2 * r->walloc : 4;
    hv_consumer_t** fresh = xbt_new(hv_consumer_t*, na);
    for (long i = 0; i < r->wcount; i++)
      fresh[i] = r->waiters[(r->whead + i) % r->walloc];
    free(r->waiters);
    r->waiters = fresh;
    r->walloc  = na;
    r->whead   = 0;
  }
  r->waiters[(r->whead + r->wcount) % r->walloc] = s;
  r->wcount++;
}

/* Remove the waiter at position @p i of the queue, keeping the others in order. */
static hv_consumer_t* waiter_remove_at(hv_ring_t* r, long i)
{
  hv_consumer_t* s = r->waiters[(r->whead + i) % r->walloc];
  for (; i > 0; i--)
    r->waiters[(r->whead + i) % r->walloc] = r->waiters[(r->whead + i - 1) % r->walloc];
  r->whead = (r->whead + 1) % r->walloc;
  r->wcount--;
  return s;
}

static void waiter_remove(hv_ring_t* r, const hv_consumer_t* s)
{
  for (long i = 0; i < r->wcount; i++)
    if (r->waiters[(r->whead + i) % r->walloc] == s) {
      waiter_remove_at(r, i);
      return;
    }
  xbt_die("a consumer waiting for a ring slot is not in the ring's queue (model bug)");
}

/* The waiter a slot freed at @p now is handed to: the one that has waited longest among those whose core runs at that
 * instant (on dedicated cores, every waiter); NULL if none runs (time-sliced vCPUs), removed from the queue. Handing
 * the slot to a descheduled vCPU would keep it unused while a running one waits. */
static hv_consumer_t* waiter_running(hv_ring_t* r, double now)
{
  for (long i = 0; i < r->wcount; i++)
    if (simtime_due(consumer_cpu_ready(r->waiters[(r->whead + i) % r->walloc]->c, now), now))
      return waiter_remove_at(r, i);
  return NULL;
}

/* ---- The backend ---- */

/* A kick reaches the backend at t (now or later): a sleeping backend wakes then. A kick to a running backend does
 * nothing (it will see the descriptor anyway). */
static void backend_kick(hv_host_t* h, double t)
{
  if (!h->asleep || t >= h->wake_at)
    return;
  h->wake_at = t;
  if (h->sem_waiting) {
    h->sem_waiting = 0;
    sg_sem_release(h->sem); /* last: a SimGrid call */
  }
}

/* The next ring to serve, round-robin after the one served last; NULL when every ring is empty. */
static hv_ring_t* next_ring(hv_host_t* h)
{
  for (int i = 1; i <= h->nrings; i++) {
    int r = (h->last + i) % h->nrings;
    if (h->rings[r].count > 0) {
      h->last = r;
      return &h->rings[r];
    }
  }
  return NULL;
}

/* Take the next descriptor at `now` and post its WR to the NIC; returns when the backend's core is free again. */
static double backend_process(hv_host_t* h, hv_ring_t* r, double now)
{
  const params_t* p = h->p;
  hv_desc_t d       = ring_pop(r);
  wr_t* wr          = d.wr;
  d.owner->in_ring--;
  /* The slot is free. It is handed to a waiter that runs now, if any. Otherwise (every waiter is a descheduled vCPU)
   * it is left free for whoever runs first: every waiter is woken when its core runs and takes it if it is still
   * free, and so may a consumer that did not wait. */
  hv_consumer_t* granted = waiter_running(r, now);
  long nwake             = 0;
  if (granted != NULL) {
    granted->granted = 1;
    h->wake[nwake++] = granted;
  } else {
    r->reserved--;
    if (r->wcount > h->wake_alloc) {
      h->wake_alloc = r->wcount;
      h->wake       = xbt_realloc(h->wake, h->wake_alloc * sizeof(hv_consumer_t*));
    }
    for (long i = 0; i < r->wcount; i++)
      h->wake[nwake++] = r->waiters[(r->whead + i) % r->walloc];
  }

  double t = now;
  if (p->credit_refresh == CREDIT_ALWAYS || h->credits == 0) {
    long capacity = nic_queue_capacity(h->nic);
    long free_slots;
    do {
      /* a register read: the backend's core stalls for the round trip; the NIC is observed half-way */
      long retired = nic_retired(h->nic, 0, t + p->pio_read_s / 2);
      t += p->pio_read_s;
      h->reads++;
      free_slots = capacity - (h->posted - retired);
      xbt_assert(free_slots >= 0, "more WRs in the NIC than it holds");
    } while (free_slots == 0);
    h->credits = free_slots;
  }
  h->credits--;
  h->posted++;
  h->processed++;
  double done = t + h->hp->backend_cost_s;
  wr->cpu_s += done - now; /* the backend's core, spent on behalf of this WR */
  XBT_DEBUG("%s: backend takes WR %ld at %g (credits %ld), writes it to the NIC by %g", h->name, wr->id, now,
            h->credits, done + p->pio_write_s);

  /* SimGrid calls last, the state being complete: waking waiters (from a copy: others may run meanwhile and change
   * the queue), then the NIC (which may start a transfer or report a completion). */
  for (long i = 0; i < nwake; i++)
    consumer_wake(h->wake[i]->c, consumer_cpu_ready(h->wake[i]->c, now));
  int accepted = nic_arrive(h->nic, d.owner->ctx, wr, done + p->pio_write_s);
  xbt_assert(accepted, "a write within the backend's credits was dropped (model bug)");
  return done;
}

static void backend_actor(int argc, char** argv)
{
  hv_host_t* h = sg_actor_self_get_data();
  sg_actor_daemonize(sg_actor_self());
  for (;;) {
    double now = simgrid_get_clock();
    if (!h->asleep) {
      hv_ring_t* r = next_ring(h);
      if (r == NULL) {
        h->asleep  = 1; /* every ring is empty: sleep until a kick */
        h->wake_at = INFINITY;
        XBT_DEBUG("%s: backend falls asleep at %g", h->name, now);
        continue;
      }
      double done = backend_process(h, r, now);
      if (!simtime_due(done, simgrid_get_clock()))
        sg_actor_sleep_until(simtime_align(done));
      continue;
    }
    if (simtime_due(h->wake_at, now)) {
      h->asleep  = 0;
      h->wake_at = INFINITY;
      XBT_DEBUG("%s: backend wakes at %g", h->name, now);
      continue;
    }
    /* Asleep: wait for the earliest kick; a kick that reaches the backend earlier releases the semaphore (a spurious
     * release only costs one more turn of this loop). */
    h->sem_waiting = 1;
    if (isinf(h->wake_at))
      sg_sem_acquire(h->sem);
    else
      sg_sem_acquire_timeout(h->sem, simtime_align(h->wake_at) - now);
    h->sem_waiting = 0;
  }
}

static int hv_check(const params_t* p, char* err, size_t len, const char** bad_key)
{
  if (access_check_one_queue(p, err, len, bad_key) != 0)
    return -1;
  if (p->pio_read_s <= 0) {
    /* While the NIC queue is full the backend reads its retired count again and again: reads that take no time would
     * never let the NIC's clock move. */
    *bad_key = "nic.pio-read";
    snprintf(err, len,
             "its backend reads the NIC's retired count again and again while the queue is full: pio-read must be more "
             "than 0s");
    return -1;
  }
  return 0;
}

static void* hv_host_create(nic_t nic, sg_host_t pm, const params_t* p)
{
  hv_host_t* h  = xbt_new0(hv_host_t, 1);
  h->p          = p;
  h->hp         = access_params(p, &access_hypervisor_ops);
  h->nic        = nic;
  h->name       = sg_host_get_name(pm);
  h->nrings     = (int)p->vms_per_host + 1;
  h->rings      = xbt_new0(hv_ring_t, h->nrings);
  h->last       = h->nrings - 1; /* so that ring 0 is served first */
  h->asleep     = 1;             /* nothing to do yet */
  h->wake_at    = INFINITY;
  h->sem        = sg_sem_init(0);
  h->wake_alloc = 1;
  h->wake       = xbt_new0(hv_consumer_t*, 1);

  char name[256];
  snprintf(name, sizeof name, "backend-%s", sg_host_get_name(pm));
  sg_actor_t a = sg_actor_init(name, pm);
  sg_actor_set_data(a, h);
  sg_actor_start_(a, backend_actor, 0, NULL);
  return h;
}

static void hv_host_destroy(void* st)
{
  hv_host_t* h = st;
  if (h == NULL)
    return;
  XBT_DEBUG("%s: backend posted %ld WRs with %ld credit reads", h->name, h->processed, h->reads);
  for (int r = 0; r < h->nrings; r++) {
    free(h->rings[r].desc);
    free(h->rings[r].waiters);
  }
  free(h->rings);
  free(h->wake);
  sg_sem_destroy(h->sem);
  free(h);
}

/* ---- The consumers ---- */

static void* hv_consumer_create(consumer_t c, void* host_state, const params_t* p)
{
  hv_consumer_t* s = xbt_new0(hv_consumer_t, 1);
  s->c             = c;
  s->h             = host_state;
  s->p             = p;
  s->hp            = access_params(p, &access_hypervisor_ops);
  s->ctx           = consumer_context(c);
  s->in_vm         = consumer_in_vm(c);
  int vm           = consumer_place(c)->vm;
  xbt_assert(vm + 1 < s->h->nrings, "consumer in VM %d of a host with %d rings", vm, s->h->nrings);
  s->ring = &s->h->rings[vm + 1];
  return s;
}

static void hv_consumer_destroy(void* st)
{
  free(st);
}

/* The descriptor written since the previous step is posted now: it enters the ring, and the consumer decides on the
 * backend's state at this instant whether to kick. Returns when its core is free again. */
static double post(hv_consumer_t* s, double now)
{
  wr_t* wr   = s->writing;
  s->writing = NULL;
  ring_push(s->ring, wr, s);
  s->in_ring++;
  /* Its completion will be reported by another actor (the backend's write to the NIC, then the NIC or a transfer),
   * at a time not known yet. */
  consumer_expect_completion(s->c, wr);
  hv_host_t* h = s->h;
  if (!s->in_vm) {
    backend_kick(h, now); /* the host driver wakes the backend directly: no trap, no cost */
    return now;
  }
  if (!(s->hp->kick == KICK_ALWAYS || h->asleep))
    return now;
  /* A kick: a VM exit (half a trap) reaches the hypervisor, which wakes the backend, and the vCPU re-enters. */
  wr->cpu_s += s->p->trap_s;
  double reached = consumer_cpu_after(s->c, now, s->p->trap_s / 2);
  double back    = consumer_cpu_after(s->c, now, s->p->trap_s);
  consumer_busy_until(s->c, back);
  XBT_DEBUG("consumer %d posts WR %ld at %g and kicks (backend %s): wakes it at %g", consumer_index(s->c), wr->id, now,
            h->asleep ? "asleep" : "awake", reached);
  backend_kick(h, reached); /* last: a SimGrid call */
  return back;
}

static double hv_step(consumer_t c, void* st, double now)
{
  hv_consumer_t* s = st;
  hv_ring_t* r     = s->ring;
  if (s->writing != NULL) {
    double free_at = post(s, now);
    if (!simtime_due(free_at, now))
      return consumer_pending_count(c) > 0 ? free_at : INFINITY;
  }
  if (consumer_pending_count(c) == 0)
    return INFINITY;
  double ready = consumer_cpu_ready(c, now);
  if (!simtime_due(ready, now))
    return ready; /* a descheduled vCPU (it may be called when woken) claims a slot only when it runs */
  if (!s->granted && r->reserved >= s->hp->ring_size) {
    /* The ring is full: wait until the backend takes a descriptor from it (consumer_wake). */
    XBT_DEBUG("consumer %d at %g: its ring is full (%ld of %ld slots, %ld waiting)", consumer_index(c), now,
              r->reserved, s->hp->ring_size, r->wcount);
    if (!s->waiting) {
      s->waiting = 1;
      s->t_want  = now;
      waiter_push(r, s);
    }
    consumer_expect_wake(c);
    return INFINITY;
  }
  if (s->granted) {
    s->granted = 0; /* the slot handed over is already counted in r->reserved, and it left the queue */
  } else {
    r->reserved++;
    if (s->waiting)
      waiter_remove(r, s); /* it found a slot left free when it was woken */
  }
  wr_t* wr = consumer_take_pending(c);
  if (s->waiting) {
    s->waiting = 0;
    wr->access_wait_s += now - s->t_want;
  }
  /* Writing the descriptor: issue-cost of CPU; it is posted (handed into the ring) at the next step. */
  wr->cpu_s += s->p->issue_cost_s;
  s->writing = wr;
  s->post_at = consumer_cpu_after(c, now, s->p->issue_cost_s);
  consumer_busy_until(c, s->post_at);
  return s->post_at;
}

static int hv_idle(const_consumer_t c, const void* st)
{
  const hv_consumer_t* s = st;
  return s->writing == NULL && s->in_ring == 0 && !s->granted;
}

const struct access_ops access_hypervisor_ops = {
    .name             = "hypervisor",
    .description      = "virtio/vhost-style: descriptors into per-VM rings, one backend core per host posts to the NIC",
    .params           = hv_params,
    .nparams          = sizeof hv_params / sizeof hv_params[0],
    .params_size      = sizeof(hv_params_t),
    .guarantees       = ACCESS_KEEPS_ORDER | ACCESS_NEVER_REJECTED,
    .takes_lock       = 0,
    .check            = hv_check,
    .queue_of         = NULL,
    .host_create      = hv_host_create,
    .host_destroy     = hv_host_destroy,
    .consumer_create  = hv_consumer_create,
    .consumer_destroy = hv_consumer_destroy,
    .step             = hv_step,
    .idle             = hv_idle,
};
