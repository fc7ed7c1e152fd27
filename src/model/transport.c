/* transport: a NIC's outgoing side: payloads leave when the engine has served them and cross the SimGrid network.
 *
 * The engine does not wait for the network: many transfers may be in flight at once. When the NIC has fixed an
 * accepted WR's service (its end is then known), the WR is handed here. Every transfer starts at the end of its WR's
 * service: the WRs come in the order of their service ends (the NIC has one engine), so one kernel timer per NIC is
 * set at the first one's end; when it fires it starts every transfer due then and sets itself at the next one's end;
 * when none is waiting no timer is set, and the next hand-over sets one. A transfer is an asynchronous host-to-host
 * communication (netcomm: the platform's routes, contention and network model, flow-level or ns-3) that reports its
 * end in SimGrid's kernel context; the delivery (dma-latency later) and the completion the source consumer will see
 * (notify-latency later) are recorded then. So a transfer costs a timer and a small record, not an actor, and no
 * simulation step at all: no context switch. (An earlier design had one actor per NIC sleeping until each service
 * end; it took two steps per WR at light load, a wake-up by the hand-over and one at the service end, which made
 * the transport the largest part of a lightly loaded run's cost.) The run ends when the consumers are done, and they
 * wait for the completions of their WRs, so no timer is left behind.
 *
 * Under ns-3 the transfers are started by one actor per NIC instead, which sleeps until the first waiting WR's
 * service end, starts every transfer due then and sleeps again (a daemon, waiting on a semaphore when nothing is
 * handed over): SimGrid 3.32's ns-3 binding loses bytes of a transfer started from the kernel's own context (it
 * aborts with "total_bytes is not sent_bytes"). The instants are the same either way.
 */
#include "model/transport.h"
#include "model/netcomm.h"
#include "model/simtime.h"

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/log.h>
#include <xbt/sysdep.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnicsim_transport, vnicsim, "NIC-to-NIC transfers");

struct s_transport {
  const params_t* p;
  sg_host_t pm;
  sg_host_t const* hosts;
  transport_done_f done;
  void* data;
  /* WRs handed over and not started yet, in the order of their service ends (a ring) */
  wr_t** wait;
  size_t wait_head, waiting, wait_alloc;
  /* transfers in flight: their records, to release once they have ended */
  netcomm_t** ended; /* records of ended transfers, released at the timer's next turn */
  size_t nended, ended_alloc;
  long in_flight;      /* handed over and not yet at the destination */
  long peak_in_flight; /* its peak */
  long transfers;      /* started */
  int armed;           /* a timer is set at the first waiting WR's service end */
  /* under ns-3: the actor that starts the transfers instead of the timer */
  int use_actor;
  unsigned stack_KiB;
  sg_sem_t sem; /* the actor waits on it when nothing is handed over */
  int idle;
  int started;     /* the actor exists */
  long steps;      /* its blocking calls, for the benchmark */
  double last_end; /* service end of the latest WR handed over (they come in order) */
};

/* Kernel context: a transfer ended now. */
static void transfer_ended(void* owner, void* token, netcomm_t* c)
{
  struct s_transport* t = owner;
  wr_t* wr              = token;
  double now            = simgrid_get_clock();
  wr->t_transfer_end    = now;
  wr->t_delivered       = now + t->p->dma_latency_s;
  wr->t_completed       = now + t->p->notify_latency_s;
  wr->delivered         = 1;
  t->in_flight--;
  if (t->nended == t->ended_alloc) {
    t->ended_alloc = t->ended_alloc ? 2 * t->ended_alloc : 64;
    t->ended       = xbt_realloc(t->ended, t->ended_alloc * sizeof(netcomm_t*));
  }
  t->ended[t->nended++] = c;
  t->done(t->data, wr);
}

static void release_ended(struct s_transport* t)
{
  for (size_t i = 0; i < t->nended; i++)
    netcomm_release(t->ended[i]);
  t->nended = 0;
}

static void start_transfer(struct s_transport* t, wr_t* wr)
{
  t->transfers++;
  netcomm_start(t->pm, t->hosts[wr->dst_host], wr->size_B + t->p->header_B, transfer_ended, t, wr);
}

/* Start the transfer of every waiting WR whose service has ended by @p now (they wait in the order of their ends). */
static void start_due(struct s_transport* t, double now)
{
  while (t->waiting > 0 && simtime_due(t->wait[t->wait_head]->t_service_end, now)) {
    wr_t* wr     = t->wait[t->wait_head];
    t->wait_head = (t->wait_head + 1) % t->wait_alloc;
    t->waiting--;
    start_transfer(t, wr);
  }
}

/* Kernel context, at the first waiting WR's service end: start every transfer due now, and set the timer again at
 * the next one's end. */
static void on_timer(void* data)
{
  struct s_transport* t = data;
  t->armed              = 0;
  release_ended(t);
  double now = simgrid_get_clock();
  start_due(t, now);
  if (t->waiting > 0) {
    t->armed = 1;
    netcomm_at(simtime_align(t->wait[t->wait_head]->t_service_end), on_timer, t);
  }
}

/* The actor of the ns-3 case (see the top of this file). */
static void sender_actor(int argc, char** argv)
{
  struct s_transport* t = sg_actor_self_get_data();
  sg_actor_daemonize(sg_actor_self());
  for (;;) {
    release_ended(t);
    if (t->waiting == 0) {
      t->idle = 1;
      t->steps++;
      sg_sem_acquire(t->sem);
      continue;
    }
    double now = simgrid_get_clock();
    wr_t* head = t->wait[t->wait_head];
    if (!simtime_due(head->t_service_end, now)) {
      t->steps++;
      sg_actor_sleep_until(simtime_align(head->t_service_end));
      continue;
    }
    start_due(t, now);
  }
}

static void wake_actor(struct s_transport* t)
{
  if (!t->started) {
    t->started = 1;
    char name[64];
    snprintf(name, sizeof name, "tx-%s", sg_host_get_name(t->pm));
    sg_actor_t a = sg_actor_init(name, t->pm);
    sg_actor_set_data(a, t);
    if (t->stack_KiB > 0)
      sg_actor_set_stacksize(a, t->stack_KiB * 1024);
    sg_actor_start_(a, sender_actor, 0, NULL);
  } else if (t->idle) {
    t->idle = 0;
    sg_sem_release(t->sem);
  }
}

transport_t transport_create(const params_t* p, sg_host_t pm, sg_host_t const* hosts, transport_done_f done, void* data,
                             unsigned stack_KiB)
{
  transport_t t = xbt_new0(s_transport_t, 1);
  t->p          = p;
  t->pm         = pm;
  t->hosts      = hosts;
  t->done       = done;
  t->data       = data;
  t->last_end   = -1;
  t->use_actor  = strcmp(p->network_model, "ns-3") == 0;
  t->stack_KiB  = stack_KiB;
  t->sem        = t->use_actor ? sg_sem_init(0) : NULL;
  return t;
}

static void push_waiting(struct s_transport* t, wr_t* wr)
{
  if (t->waiting == t->wait_alloc) {
    size_t na    = t->wait_alloc ? 2 * t->wait_alloc : 64;
    wr_t** fresh = xbt_new(wr_t*, na);
    for (size_t i = 0; i < t->waiting; i++)
      fresh[i] = t->wait[(t->wait_head + i) % t->wait_alloc];
    free(t->wait);
    t->wait       = fresh;
    t->wait_alloc = na;
    t->wait_head  = 0;
  }
  t->wait[(t->wait_head + t->waiting) % t->wait_alloc] = wr;
  t->waiting++;
}

void transport_submit(transport_t t, wr_t* wr)
{
  xbt_assert(wr->t_service_end >= simgrid_get_clock() - simtime_epsilon(), "WR %ld submitted after its service ended",
             wr->id);
  xbt_assert(wr->t_service_end >= t->last_end - simtime_epsilon(),
             "WR %ld handed over out of the order of service ends (%.17g after %.17g)", wr->id, wr->t_service_end,
             t->last_end);
  t->last_end = wr->t_service_end;
  push_waiting(t, wr);
  t->in_flight++;
  if (t->in_flight > t->peak_in_flight)
    t->peak_in_flight = t->in_flight;
  if (t->use_actor) {
    wake_actor(t);
  } else if (!t->armed) { /* nothing else waits: this WR's service end is the next instant to act at */
    t->armed = 1;
    netcomm_at(simtime_align(wr->t_service_end), on_timer, t);
  }
}

int transport_senders(const s_transport_t* t)
{
  return (int)t->peak_in_flight;
}

int transport_actors(const s_transport_t* t)
{
  return t->started;
}

long transport_steps(const s_transport_t* t)
{
  return t->steps;
}

void transport_free(transport_t t)
{
  if (t == NULL)
    return;
  release_ended(t);
  if (t->sem != NULL)
    sg_sem_destroy(t->sem);
  free(t->ended);
  free(t->wait);
  free(t);
}
