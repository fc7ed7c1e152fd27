/* access_speculative: speculative enqueue, the design under study: one posted write per WR, no lock, no read; the NIC
 * drops what does not fit and the consumer replays from the first dropped WR on (go-back-N).
 *
 * Model (docs/model.md, section 4.2):
 *  - Writing a WR costs the core issue-cost; the write is posted when that ends and reaches the NIC pio-write later.
 *    The WR stays in the consumer's replay buffer (replay-window entries) until the consumer knows it was accepted.
 *    The consumer decides what to write when it starts writing, so the write is handed to the NIC model right then,
 *    stamped with its arrival time (now + issue-cost + pio-write). Every write of every consumer of a NIC carries the
 *    same offset, so the NIC still sees arrivals in time order, and the consumer needs one simulation step per write
 *    instead of two.
 *  - The NIC accepts a write when the context's retry flag is clear and the queue has room; otherwise it drops it and
 *    sets the flag, so every later write of the context is dropped until the flag is cleared (order is kept).
 *  - What the consumer knows of the NIC's verdicts:
 *      detect="notify": the NIC mirrors the context's state word (committed count, retry flag, retry count) into host
 *        memory; a verdict is visible notify-latency after the write reached the NIC, and the consumer acts on it at
 *        its next step (it also wakes up for a visible drop when idle).
 *      detect="poll": the consumer reads the state register (a pio-read round trip that stalls its core) every
 *        check-every writes, whenever the replay buffer is full, and when it has nothing left to write but does not
 *        know the fate of what it wrote. A read is not allowed to pass the consumer's earlier posted writes (PCIe
 *        ordering), so it observes the NIC no earlier than the arrival of the last write.
 *      In both, a completion proves its WR (and every earlier one of the context) was accepted.
 *  - On a known drop: back off (backoff, doubled per consecutive failure of the same WR up to backoff-max when
 *    backoff-policy="exponential"), clear the flag with one posted write (issue-cost of CPU), then replay every WR
 *    from the first dropped one on, in order.
 *  - CPU charged to WRs: issue-cost per write (first and replays), the flag-clearing write and the back-off (the core
 *    spins: a conservative choice against the design under study) to the WR being replayed, register reads to the
 *    oldest WR whose fate was unknown.
 *  - on-reject="drop" (validation only): a dropped WR is lost, no flag is set, nothing is replayed.
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

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnicsim_speculative, vnicsim, "Speculative enqueue access mode");

/* ---- The mode's own parameters ---- */

typedef enum { DETECT_NOTIFY = 0, DETECT_POLL } detect_t;
static const char* const detect_names[] = {"notify", "poll", NULL};

typedef struct spec_params {
  long replay_window; /* entries of the replay buffer */
  detect_t detect;    /* how drops are learnt */
  long check_every;   /* detect=poll: writes between two reads of the state register */
} spec_params_t;

#define P(field) offsetof(spec_params_t, field), sizeof(((spec_params_t*)0)->field)
static const param_desc_t spec_params[] = {
    {"access.replay-window", "access", "replay-window", PARAM_COUNT, P(replay_window), "256", 1, PARAMS_COUNT_MAX, 0,
     NULL, "speculative: entries of each consumer's replay buffer"},
    {"access.detect", "access", "detect", PARAM_ENUM, P(detect), "notify", 0, 0, 0, detect_names,
     "speculative: how a consumer learns of drops (NIC status write, or polling the state register)"},
    {"access.check-every", "access", "check-every", PARAM_COUNT, P(check_every), "64", 1, PARAMS_COUNT_MAX, 0, NULL,
     "speculative, detect=poll: WRs between two reads of the state register"},
};
#undef P

extern const struct access_ops access_speculative_ops;

/* A drop is learnt, the flag cleared and the WR replayed: if none of that takes any time (issue-cost, pio-write, the
 * detection delay and the back-off sum to less than the simulator's resolution of instants), every replay reaches the
 * NIC at the instant of the drop, before the engine can retire anything, and is dropped again: simulated time would
 * never advance. Refused up front. */
static int spec_check(const params_t* p, char* err, size_t len, const char** bad_key)
{
  if (access_check_one_queue(p, err, len, bad_key) != 0)
    return -1;
  const spec_params_t* sp = access_params(p, &access_speculative_ops);
  double detect           = sp->detect == DETECT_NOTIFY ? p->notify_latency_s : p->pio_read_s;
  if (p->issue_cost_s + p->pio_write_s + detect + p->backoff_s >= 10 * SIMTIME_PRECISION)
    return 0;
  *bad_key = "nic.issue-cost";
  snprintf(err, len,
           "a replay would take no time: issue-cost + pio-write + %s + backoff is below 1ps, so a dropped WR is "
           "replayed at the instant it was dropped, forever; give one of them a duration",
           sp->detect == DETECT_NOTIFY ? "notify-latency" : "pio-read (detect=\"poll\")");
  return -1;
}

/* ---- The mode ---- */

typedef struct spec_state {
  consumer_t c;
  const params_t* p;
  const spec_params_t* sp;
  nic_t nic;
  int ctx;
  wr_t** ring; /* replay buffer: posted (or to be replayed) WRs whose acceptance the consumer does not know yet */
  long cap;
  long head;
  long count;
  long post;   /* entries [0, post) from head are written in the current episode; [post, count) wait to be written */
  int polling; /* a register read is in progress */
  double poll_obs;      /* the read in progress observes the NIC at this time */
  double known_until;   /* poll: verdicts of writes that reached the NIC by then are known */
  double last_arrival;  /* arrival at the NIC of this context's latest write */
  long since_poll;      /* writes since the last register read */
  double backoff_until; /* end of the current back-off */
  int need_clear;       /* the retry flag must be cleared before replaying */
  long episode_wr;      /* id of the first WR replayed in the latest episode */
  int consecutive;      /* consecutive failures of that WR */
  int sliced;           /* the host time-slices vCPUs: writes are handed to the NIC when posted */
  wr_t* pending;        /* sliced: the write being issued, handed to the NIC at post_at */
  int pending_clear;    /* sliced: the flag-clearing write is being issued */
  double post_at;       /* sliced: when the write being issued is posted */
} spec_state_t;

static void* spec_consumer_create(consumer_t c, void* host_state, const params_t* p)
{
  spec_state_t* s = xbt_new0(spec_state_t, 1);
  s->c            = c;
  s->p            = p;
  s->sp           = access_params(p, &access_speculative_ops);
  s->nic          = consumer_nic(c);
  s->ctx          = consumer_context(c);
  s->cap          = s->sp->replay_window;
  s->ring         = xbt_new0(wr_t*, s->cap);
  s->known_until  = -INFINITY;
  s->last_arrival = -INFINITY;
  s->episode_wr   = -1;
  s->sliced       = consumer_host_sliced(c);
  return s;
}

static void spec_consumer_destroy(void* st)
{
  spec_state_t* s = st;
  if (s == NULL)
    return;
  free(s->ring);
  free(s);
}

static wr_t* entry(const spec_state_t* s, long i)
{
  return s->ring[(s->head + i) % s->cap];
}

/* Whether the consumer knows at `now` the NIC's verdict on the latest write of `wr`. */
static int verdict_known(const spec_state_t* s, const wr_t* wr, double now)
{
  if (wr->accepted && simtime_due(wr->t_completed, now))
    return 1; /* a completion proves acceptance */
  if (s->sp->detect == DETECT_NOTIFY)
    return simtime_due(wr->t_last_arrival + s->p->notify_latency_s, now);
  return wr->t_last_arrival <= s->known_until;
}

/* Hand a write to the NIC model now: it reaches the NIC issue-cost + pio-write from now. */
static double arrival_of_write_started(const spec_state_t* s, double now)
{
  return now + s->p->issue_cost_s + s->p->pio_write_s;
}

/* A write costs issue-cost of CPU. On a dedicated core it is handed to the NIC when it starts, stamped with its
 * arrival; every consumer of the NIC has the same offset, so the NIC sees arrivals in time order. On a host that
 * time-slices vCPUs the issue may be stretched by a descheduled gap, so the write is handed when it is posted
 * (post_at, the next step), with arrival post_at + pio-write. */
static void start_write(spec_state_t* s, wr_t* wr, double now)
{
  wr->cpu_s += s->p->issue_cost_s;
  s->since_poll++;
  if (s->sliced) {
    s->pending = wr;
    s->post_at = consumer_cpu_after(s->c, now, s->p->issue_cost_s);
    consumer_busy_until(s->c, s->post_at);
    return;
  }
  s->last_arrival = arrival_of_write_started(s, now);
  consumer_busy_until(s->c, now + s->p->issue_cost_s);
  /* Last: the NIC may start a transfer, a SimGrid call during which other actors run (see access.h). */
  nic_arrive(s->nic, s->ctx, wr, s->last_arrival);
}

/* Sliced host: the write issued before is posted now. */
static void hand_pending(spec_state_t* s, double now)
{
  s->last_arrival = now + s->p->pio_write_s;
  if (s->pending_clear) {
    s->pending_clear = 0;
    nic_clear_retry(s->nic, s->ctx, s->last_arrival);
    return;
  }
  wr_t* wr   = s->pending;
  s->pending = NULL;
  nic_arrive(s->nic, s->ctx, wr, s->last_arrival);
}

static double start_poll(spec_state_t* s, double now)
{
  /* The read leaves when the core runs; it reaches the NIC half a round trip later but not before this context's
   * last posted write, and its answer is back half a round trip after it was observed (seen when the core runs). */
  double obs = consumer_cpu_ready(s->c, now) + s->p->pio_read_s / 2;
  if (s->last_arrival > obs)
    obs = s->last_arrival;
  double end  = consumer_cpu_ready(s->c, obs + s->p->pio_read_s / 2);
  s->poll_obs = obs;
  s->polling  = 1;
  entry(s, 0)->cpu_s += consumer_cpu_time(s->c, now, end);
  consumer_busy_until(s->c, end);
  return end;
}

static double backoff_delay(const spec_state_t* s)
{
  if (s->p->backoff_policy == BACKOFF_FIXED || s->p->backoff_s <= 0)
    return s->p->backoff_s;
  double d = ldexp(s->p->backoff_s, s->consecutive - 1);
  return d < s->p->backoff_max_s ? d : s->p->backoff_max_s;
}

/* Release the head entries whose acceptance (or loss) is known; start a replay episode on a known drop. */
static void learn(spec_state_t* s, double now)
{
  while (s->count > 0 && s->post > 0) {
    wr_t* wr = entry(s, 0);
    if (!verdict_known(s, wr, now))
      return;
    if (wr->last_accepted || wr->lost) {
      s->head = (s->head + 1) % s->cap;
      s->count--;
      s->post--;
      if (wr->lost)
        consumer_wr_lost(s->c, wr, now);
      consumer_release_wr(s->c, wr); /* it leaves the replay buffer */
      continue;
    }
    /* The oldest unsettled write was dropped, and so was every later one of this episode (the flag was set):
     * go back to it. Writes are verdicts in order, so no earlier one can still be unknown. */
    s->consecutive = (wr->id == s->episode_wr) ? s->consecutive + 1 : 1;
    s->episode_wr  = wr->id;
    s->post        = 0;
    s->need_clear  = 1;
    double b       = backoff_delay(s);
    if (b > 0) {
      s->backoff_until = consumer_cpu_after(s->c, now, b); /* a delay loop: it only advances while the core runs */
      wr->cpu_s += b;
    }
    XBT_DEBUG("consumer %d: WR %ld dropped, replaying %ld writes (failure %d)", consumer_index(s->c), wr->id, s->count,
              s->consecutive);
    return;
  }
}

/* The earliest time a verdict the consumer must act on becomes visible (notify): a drop, or the head's verdict when
 * the replay buffer is full. */
static double next_visible(const spec_state_t* s)
{
  double t = INFINITY;
  for (long i = 0; i < s->post; i++) {
    const wr_t* wr = entry(s, i);
    if (!wr->last_accepted || (i == 0 && s->count == s->cap)) {
      t = wr->t_last_arrival + s->p->notify_latency_s;
      break;
    }
  }
  return t;
}

/* After starting a write at `now`: call again when the core is free if there is more to write (or, polling, to
 * read), else when a verdict the consumer must act on becomes visible. */
static double after_write(const spec_state_t* s, double now)
{
  if (s->sliced)
    return s->post_at; /* the write must be handed to the NIC then */
  if (s->post < s->count || consumer_pending_count(s->c) > 0 || s->sp->detect == DETECT_POLL)
    return now + s->p->issue_cost_s;
  return next_visible(s);
}

/* For the trace: what the consumer does once its current action ends, if nothing else happens: wait for verdicts
 * with a full replay buffer and WRs to write (stalled), or nothing it can act on (idle). */
static paje_state_t waiting_state(const spec_state_t* s)
{
  return s->count == s->cap && consumer_pending_count(s->c) > 0 ? PAJE_STALLED : PAJE_IDLE;
}

/* For the trace: @p state from @p now until @p end, then waiting. */
static void trace_action(const spec_state_t* s, double now, paje_state_t state, double end)
{
  if (!consumer_traced(s->c))
    return;
  consumer_trace_state(s->c, now, state);
  consumer_trace_state(s->c, end, waiting_state(s));
}

/* For the trace: a write (issue-cost) from @p now, then waiting. */
static void trace_write(const spec_state_t* s, double now, paje_state_t state)
{
  if (consumer_traced(s->c))
    trace_action(s, now, state, consumer_cpu_after(s->c, now, s->p->issue_cost_s));
}

static double spec_step(consumer_t c, void* st, double now)
{
  spec_state_t* s = st;
  if (s->pending != NULL || s->pending_clear)
    hand_pending(s, now);
  if (s->polling) { /* the read returned */
    s->polling = 0;
    if (s->poll_obs > s->known_until)
      s->known_until = s->poll_obs;
    s->since_poll = 0;
  }
  learn(s, now);

  if (!simtime_due(s->backoff_until, now)) {
    consumer_busy_until(c, s->backoff_until); /* spinning: see the CPU note at the top */
    trace_action(s, now, PAJE_BACKOFF, s->backoff_until);
    return s->backoff_until;
  }
  if (s->need_clear && s->sliced) {
    s->need_clear    = 0;
    s->pending_clear = 1;
    s->post_at       = consumer_cpu_after(c, now, s->p->issue_cost_s);
    entry(s, 0)->cpu_s += s->p->issue_cost_s;
    consumer_busy_until(c, s->post_at);
    trace_action(s, now, PAJE_REPLAYING, s->post_at);
    return s->post_at;
  }
  if (s->need_clear) {
    s->need_clear   = 0;
    s->last_arrival = arrival_of_write_started(s, now);
    trace_action(s, now, PAJE_REPLAYING, now + s->p->issue_cost_s);
    nic_clear_retry(s->nic, s->ctx, s->last_arrival);
    entry(s, 0)->cpu_s += s->p->issue_cost_s;
    consumer_busy_until(c, now + s->p->issue_cost_s);
    return now + s->p->issue_cost_s; /* the replay follows */
  }
  if (s->sp->detect == DETECT_POLL && s->post > 0 && s->since_poll >= s->sp->check_every) {
    double end = start_poll(s, now);
    trace_action(s, now, PAJE_READING, end);
    return end;
  }
  if (s->post < s->count) { /* replaying */
    trace_write(s, now, PAJE_REPLAYING);
    start_write(s, entry(s, s->post++), now);
    return after_write(s, now);
  }
  if (s->count < s->cap) {
    wr_t* wr = consumer_take_pending(c);
    if (wr != NULL) {
      s->ring[(s->head + s->count) % s->cap] = wr;
      consumer_hold_wr(wr); /* the replay buffer refers to it until its fate is known */
      s->count++;
      s->post++;
      trace_write(s, now, PAJE_ISSUING);
      start_write(s, wr, now);
      return after_write(s, now);
    }
  }
  /* Nothing to write now: the buffer is full, or the software queue is empty. */
  if (consumer_traced(c))
    consumer_trace_state(c, now, waiting_state(s));
  if (s->post == 0)
    return INFINITY;
  if (s->sp->detect == DETECT_POLL) {
    /* Find out the fate of what was written, once: the read covers every earlier write. */
    if (s->last_arrival > s->known_until) {
      double end = start_poll(s, now);
      trace_action(s, now, PAJE_READING, end);
      return end;
    }
    return INFINITY;
  }
  return next_visible(s);
}

static int spec_idle(const_consumer_t c, const void* st)
{
  const spec_state_t* s = st;
  return s->count == 0 && !s->polling && s->pending == NULL && !s->pending_clear;
}

const struct access_ops access_speculative_ops = {
    .name             = "speculative",
    .description      = "one posted write per WR, no lock; the NIC drops what does not fit, the consumer replays",
    .params           = spec_params,
    .nparams          = sizeof spec_params / sizeof spec_params[0],
    .params_size      = sizeof(spec_params_t),
    .guarantees       = ACCESS_KEEPS_ORDER | ACCESS_RETRY_FLAG,
    .check            = spec_check,
    .queue_of         = NULL,
    .host_create      = NULL,
    .host_destroy     = NULL,
    .consumer_create  = spec_consumer_create,
    .consumer_destroy = spec_consumer_destroy,
    .step             = spec_step,
    .idle             = spec_idle,
};
