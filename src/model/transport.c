/* transport: a NIC's outgoing side: payloads leave when the engine has served them and cross the SimGrid network.
 *
 * The engine does not wait for the network: many transfers may be in flight at once. When the NIC accepts a WR for
 * another host (its service end is then known), the WR is handed to an idle sender actor of that NIC, or to a new
 * one; the sender sleeps until the service ends, performs the host-to-host transfer (sg_host_sendto: the platform's
 * routes, contention and network model, flow-level or ns-3) and, when it ends, records the delivery (dma-latency
 * later) and the completion the source consumer will see (notify-latency later). Senders are reused, so their
 * number is the NIC's peak of WRs accepted and not yet at their destination. This costs three simulation steps
 * per WR (hand-over, end of service, end of transfer), one fewer than a separate dispatcher actor would.
 * All of these actors are daemons: the run ends when the consumers are done.
 */
#include "model/transport.h"
#include "model/simtime.h"

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <xbt/asserts.h>
#include <xbt/log.h>
#include <xbt/sysdep.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnicsim_transport, vnicsim, "NIC-to-NIC transfers");

typedef struct sender {
  struct s_transport* t;
  wr_t* wr; /* the WR it carries, NULL when idle */
  sg_sem_t sem;
  struct sender* next_idle;
} sender_t;

struct s_transport {
  const params_t* p;
  sg_host_t pm;
  sg_host_t const* hosts;
  transport_done_f done;
  void* data;
  unsigned stack_KiB;
  sender_t** senders;
  int nsenders;
  sender_t* idle;
  long steps; /* blocking calls of its actors (waits, sleeps, transfers), for the benchmark */
};

/* A sender's semaphore counts the WRs handed to it: transport_submit() sets s->wr and releases it, the sender
 * acquires it before each transfer after the first (which it was created with). Handing over can happen while the
 * sender is still busy finishing the previous WR (t->done() may run other actors, which may submit), so the sender
 * always acquires rather than testing s->wr. */
static void sender_actor(int argc, char** argv)
{
  sender_t* s = sg_actor_self_get_data();
  sg_actor_daemonize(sg_actor_self());
  struct s_transport* t = s->t;
  for (;;) {
    wr_t* wr = s->wr;
    xbt_assert(wr != NULL, "sender woken without work");
    if (!simtime_due(wr->t_service_end, simgrid_get_clock())) {
      t->steps++;
      sg_actor_sleep_until(simtime_align(wr->t_service_end));
    }
    t->steps++;
    sg_host_sendto(t->pm, t->hosts[wr->dst_host], wr->size_B + t->p->header_B);
    double now         = simgrid_get_clock();
    wr->t_transfer_end = now;
    wr->t_delivered    = now + t->p->dma_latency_s;
    wr->t_completed    = now + t->p->notify_latency_s;
    wr->delivered      = 1;
    s->wr              = NULL;
    s->next_idle       = t->idle;
    t->idle            = s;
    t->done(t->data, wr);
    t->steps++;
    sg_sem_acquire(s->sem);
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
  t->stack_KiB  = stack_KiB;
  return t;
}

void transport_submit(transport_t t, wr_t* wr)
{
  xbt_assert(wr->t_service_end >= simgrid_get_clock() - simtime_epsilon(), "WR %ld submitted after its service ended",
             wr->id);
  sender_t* s = t->idle;
  if (s != NULL) {
    t->idle = s->next_idle;
    s->wr   = wr;
    sg_sem_release(s->sem);
    return;
  }
  s                         = xbt_new0(sender_t, 1);
  s->t                      = t;
  s->wr                     = wr;
  s->sem                    = sg_sem_init(0);
  t->senders                = xbt_realloc(t->senders, (t->nsenders + 1) * sizeof(sender_t*));
  t->senders[t->nsenders++] = s;
  char name[64];
  snprintf(name, sizeof name, "tx-%s-%d", sg_host_get_name(t->pm), t->nsenders);
  sg_actor_t a = sg_actor_init(name, t->pm);
  sg_actor_set_data(a, s);
  if (t->stack_KiB > 0)
    sg_actor_set_stacksize(a, t->stack_KiB * 1024);
  sg_actor_start_(a, sender_actor, 0, NULL);
}

int transport_senders(const s_transport_t* t)
{
  return t->nsenders;
}

long transport_steps(const s_transport_t* t)
{
  return t->steps;
}

void transport_free(transport_t t)
{
  if (t == NULL)
    return;
  for (int i = 0; i < t->nsenders; i++) {
    sg_sem_destroy(t->senders[i]->sem);
    free(t->senders[i]);
  }
  free(t->senders);
  free(t);
}
