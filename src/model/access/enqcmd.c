/* access_enqcmd: a non-posted enqueue to one shared hardware queue, as Intel's ENQCMD to a DSA shared work queue: the
 * core writes a 64-byte command and stalls until the NIC answers "accepted" or "retry"; on "retry" it backs off and
 * sends the same WR again.
 *
 * Model (docs/model.md, section 4.6):
 *  - A consumer takes its oldest pending WR and writes the command: issue-cost of CPU. The command is non-posted: it
 *    leaves the core when the write ends, reaches the NIC half a round trip later, and its answer is back a whole
 *    round trip after it left (nic.enqcmd-rtt, this mode's own parameter). The core stalls until the answer (CPU
 *    time, like a register read).
 *  - The NIC decides on arrival: accepted if the queue has room, else "retry". The answer is about that command only:
 *    the context has no retry flag (the mode does not declare ACCESS_RETRY_FLAG), so the next command is decided
 *    afresh.
 *  - On "retry" the core backs off (access.backoff; with access.backoff-policy="exponential" doubled per consecutive
 *    retry of the same WR, up to access.backoff-max; a delay loop, so CPU time), then sends the same WR again. Nothing
 *    is replayed and there is no replay buffer: a core has at most one command in flight, so its WRs are accepted in
 *    creation order.
 *  - Order at the NIC: on a dedicated host the command is handed to the NIC model when the core starts writing it,
 *    stamped with its arrival start + issue-cost + enqcmd-rtt/2 (the same offset for every consumer of the NIC, so
 *    arrivals come in time order); on a host that time-slices vCPUs the write may be stretched by a descheduled gap,
 *    so the command is handed when it leaves the core (arrival = leave + enqcmd-rtt/2).
 *  - on-reject="drop" (validation only): a refused command loses its WR; the core learns it with the answer.
 *  - CPU charged to the WR: every attempt's issue-cost and stall, and every back-off. access_wait_s: the time from the
 *    start of the WR's first attempt to the start of its accepted one, i.e. what the refused attempts and the
 *    back-offs cost it (0 for a WR accepted at once).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <xbt/asserts.h>
#include <xbt/log.h>
#include <xbt/sysdep.h>

#include "model/access/access.h"
#include "model/consumer.h"
#include "model/simtime.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnicsim_enqcmd, vnicsim, "Non-posted enqueue (ENQCMD) access mode");

/* ---- The mode's own parameters ---- */

typedef struct enq_params {
  double rtt_s; /* round trip of the non-posted command: leaves the core, reaches the NIC at half, answer back */
} enq_params_t;

#define P(field) offsetof(enq_params_t, field), sizeof(((enq_params_t*)0)->field)
static const param_desc_t enq_params[] = {
    {"nic.enqcmd-rtt", "nic", "enqcmd-rtt", PARAM_TIME, P(rtt_s), "1us", 0, PARAMS_TIME_MAX, 0, NULL,
     "enqcmd: round trip of a non-posted enqueue command, from leaving the core to its answer (NIC at half)"},
};
#undef P

extern const struct access_ops access_enqcmd_ops;

/* A "retry" answer is followed by the same command again: if writing it, its round trip and the back-off take no time
 * (they sum to less than the simulator's resolution of instants), the core asks again at the instant it was refused,
 * before the engine can retire anything, forever. Refused up front, like speculative's zero-cost replay. */
static int enq_check(const params_t* p, char* err, size_t len, const char** bad_key)
{
  if (access_check_one_queue(p, err, len, bad_key) != 0)
    return -1;
  const enq_params_t* ep = access_params(p, &access_enqcmd_ops);
  if (p->issue_cost_s + ep->rtt_s + p->backoff_s >= 10 * SIMTIME_PRECISION)
    return 0;
  *bad_key = "nic.enqcmd-rtt";
  snprintf(err, len,
           "a retry would take no time: issue-cost + enqcmd-rtt + backoff is below 1ps, so a refused command is sent "
           "again at the instant it was refused, forever; give one of them a duration");
  return -1;
}

/* ---- The mode ---- */

typedef enum {
  ENQ_READY = 0, /* the core is free: send the WR in hand (a retry) or take the next one */
  ENQ_WRITING,   /* sliced host: the command is being written; it is handed to the NIC when it leaves the core */
  ENQ_STALLED,   /* the command is out; the answer is back when the core is next free */
  ENQ_BACKOFF    /* after a "retry": the delay loop ends when the core is next free */
} enq_phase_t;

typedef struct enq_state {
  consumer_t c;
  const params_t* p;
  double rtt_s;
  nic_t nic;
  int ctx;
  int sliced;        /* the host time-slices vCPUs: commands are handed to the NIC when they leave the core */
  enq_phase_t phase; /* what the core is doing with `wr` */
  wr_t* wr;          /* the WR being enqueued: taken from the software queue, not yet accepted (or lost) */
  double t_first;    /* start of the first attempt of wr */
  double t_attempt;  /* start of the current attempt of wr */
  int retries;       /* "retry" answers wr got so far (its consecutive failures) */
} enq_state_t;

static void* enq_consumer_create(consumer_t c, void* host_state, const params_t* p)
{
  enq_state_t* s = xbt_new0(enq_state_t, 1);
  s->c           = c;
  s->p           = p;
  s->rtt_s       = ((const enq_params_t*)access_params(p, &access_enqcmd_ops))->rtt_s;
  s->nic         = consumer_nic(c);
  s->ctx         = consumer_context(c);
  s->sliced      = consumer_host_sliced(c);
  s->phase       = ENQ_READY;
  return s;
}

static void enq_consumer_destroy(void* st)
{
  free(st);
}

/* The command of the current attempt leaves the core at `leave`: it reaches the NIC rtt/2 later, and the core stalls
 * until the answer is back, rtt after it left (and, time-sliced, until the core runs again to see it). The whole
 * attempt is CPU time of the WR. Returns when the core is free. */
static double send(enq_state_t* s, double leave)
{
  wr_t* wr      = s->wr;
  double answer = consumer_cpu_stall(s->c, leave, s->rtt_s);
  wr->cpu_s += consumer_cpu_time(s->c, s->t_attempt, answer);
  s->phase = ENQ_STALLED;
  consumer_busy_until(s->c, answer);
  /* Last: the NIC may start a transfer, a SimGrid call during which other actors run (see access.h). The verdict is
   * in wr (last_accepted, lost); the core acts on it when the answer is back. */
  nic_arrive(s->nic, s->ctx, wr, leave + s->rtt_s / 2);
  return answer;
}

/* Start an attempt of the WR in hand at `now`: the core writes the 64-byte command (issue-cost). */
static double start_attempt(enq_state_t* s, double now)
{
  s->t_attempt = now;
  if (s->sliced) {
    double leave = consumer_cpu_after(s->c, now, s->p->issue_cost_s);
    s->phase     = ENQ_WRITING;
    consumer_busy_until(s->c, leave);
    return leave; /* handed to the NIC then */
  }
  /* Dedicated host: handed now, arriving issue-cost + rtt/2 from now, the same offset for every consumer. */
  return send(s, now + s->p->issue_cost_s);
}

static double backoff_delay(const enq_state_t* s)
{
  if (s->p->backoff_policy == BACKOFF_FIXED || s->p->backoff_s <= 0)
    return s->p->backoff_s;
  double d = ldexp(s->p->backoff_s, s->retries - 1);
  return d < s->p->backoff_max_s ? d : s->p->backoff_max_s;
}

/* The answer to the command in flight is back at `now`. Returns the end of a back-off the core must spend first, or
 * `now` when it is free to send (the same WR after a retry without back-off, or the next one). */
static double answered(enq_state_t* s, double now)
{
  wr_t* wr = s->wr;
  s->phase = ENQ_READY;
  if (wr->last_accepted) {
    wr->access_wait_s += s->t_attempt - s->t_first;
    s->wr = NULL;
    consumer_release_wr(s->c, wr);
    return now;
  }
  if (wr->lost) { /* on-reject="drop": no second attempt */
    s->wr = NULL;
    consumer_wr_lost(s->c, wr, now);
    consumer_release_wr(s->c, wr);
    return now;
  }
  s->retries++;
  double b = backoff_delay(s);
  XBT_DEBUG("consumer %d: WR %ld refused (retry %d), backing off %g s", consumer_index(s->c), wr->id, s->retries, b);
  if (b <= 0)
    return now;
  double end = consumer_cpu_after(s->c, now, b); /* a delay loop: it only advances while the core runs */
  wr->cpu_s += b;
  s->phase = ENQ_BACKOFF;
  consumer_busy_until(s->c, end);
  return end;
}

static double enq_step(consumer_t c, void* st, double now)
{
  enq_state_t* s = st;
  switch (s->phase) {
  case ENQ_WRITING: /* sliced: the command leaves the core now */
    return send(s, now);
  case ENQ_STALLED: {
    double free_at = answered(s, now);
    if (s->phase == ENQ_BACKOFF)
      return free_at;
    break;
  }
  case ENQ_BACKOFF: /* the delay loop is over: send the same WR again */
    s->phase = ENQ_READY;
    break;
  case ENQ_READY:
    break;
  }
  if (s->wr == NULL) {
    s->wr = consumer_take_pending(c);
    if (s->wr == NULL)
      return INFINITY;
    consumer_hold_wr(s->wr); /* its answer may come after its completion */
    s->t_first = now;
    s->retries = 0;
  }
  return start_attempt(s, now);
}

static int enq_idle(const_consumer_t c, const void* st)
{
  const enq_state_t* s = st;
  return s->wr == NULL && s->phase == ENQ_READY;
}

const struct access_ops access_enqcmd_ops = {
    .name         = "enqcmd",
    .description  = "a non-posted enqueue command per WR (ENQCMD); the core stalls for accepted/retry, retries the WR",
    .params       = enq_params,
    .nparams      = sizeof enq_params / sizeof enq_params[0],
    .params_size  = sizeof(enq_params_t),
    .guarantees   = ACCESS_KEEPS_ORDER,
    .takes_lock   = 0,
    .check        = enq_check,
    .queue_of     = NULL,
    .host_create  = NULL,
    .host_destroy = NULL,
    .consumer_create  = enq_consumer_create,
    .consumer_destroy = enq_consumer_destroy,
    .step             = enq_step,
    .idle             = enq_idle,
};
