/* access_fixture: a small access mode compiled only into the tests, which uses every hook of struct access_ops:
 * parameters of its own (a time and an enum), a check, a queue assignment, per-host and per-consumer state, the step
 * and idle, and a claim of guarantees. Each consumer waits fixture-gap (an access wait, spent spinning) and then
 * posts its WR with one write to its own hardware queue: consumer k of a host uses queue k mod queues (spread="core")
 * or its VM's index mod queues (spread="vm"). It never overfills a queue as long as no more WRs are outstanding per
 * queue than it holds, which the test scenario arranges (window 1). */
#include "access_fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <xbt/asserts.h>
#include <xbt/sysdep.h>

#include "model/consumer.h"

fixture_calls_t fixture_calls;

typedef enum { SPREAD_CORE = 0, SPREAD_VM } spread_t;
static const char* const spread_names[] = {"core", "vm", NULL};

typedef struct fixture_params {
  double gap_s;
  spread_t spread;
} fixture_params_t;

#define P(field) offsetof(fixture_params_t, field), sizeof(((fixture_params_t*)0)->field)
static const param_desc_t fixture_params[] = {
    {"access.fixture-gap", "access", "fixture-gap", PARAM_TIME, P(gap_s), "100ns", 0, PARAMS_TIME_MAX, 0, NULL,
     "fixture: wait before each write (counted as access wait)"},
    {"access.fixture-spread", "access", "fixture-spread", PARAM_ENUM, P(spread), "core", 0, 0, 0, spread_names,
     "fixture: how consumers are spread over the hardware queues"},
};
#undef P

typedef struct fixture_host {
  long consumers;
} fixture_host_t;

typedef struct fixture_consumer {
  fixture_host_t* h;
  const fixture_params_t* fp;
} fixture_consumer_t;

static int fixture_check(const params_t* p, char* err, size_t len, const char** bad_key)
{
  const fixture_params_t* fp = access_params(p, &access_fixture_ops);
  fixture_calls.check++;
  if (fp->gap_s > 1e-3) {
    *bad_key = "access.fixture-gap";
    snprintf(err, len, "the fixture mode waits at most 1ms");
    return -1;
  }
  return 0;
}

static int fixture_queue_of(const params_t* p, const access_place_t* place)
{
  const fixture_params_t* fp = access_params(p, &access_fixture_ops);
  fixture_calls.queue_of++;
  int q =
      fp->spread == SPREAD_VM ? (place->vm < 0 ? 0 : place->vm) % (int)p->queues : place->local_index % (int)p->queues;
  if (fixture_calls.queue_of <= FIXTURE_MAX_CONSUMERS)
    fixture_calls.queues[fixture_calls.queue_of - 1] = q;
  return q;
}

static void* fixture_host_create(nic_t nic, sg_host_t pm, const params_t* p)
{
  fixture_calls.host_create++;
  return xbt_new0(fixture_host_t, 1);
}

static void fixture_host_destroy(void* st)
{
  fixture_calls.host_destroy++;
  free(st);
}

static void* fixture_consumer_create(consumer_t c, void* host_state, const params_t* p)
{
  fixture_calls.consumer_create++;
  fixture_consumer_t* s = xbt_new0(fixture_consumer_t, 1);
  s->h                  = host_state;
  s->h->consumers++;
  s->fp = access_params(p, &access_fixture_ops);
  return s;
}

static void fixture_consumer_destroy(void* st)
{
  fixture_calls.consumer_destroy++;
  free(st);
}

static double fixture_step(consumer_t c, void* st, double now)
{
  fixture_consumer_t* s = st;
  const params_t* p     = consumer_params(c);
  fixture_calls.step++;
  wr_t* wr = consumer_take_pending(c);
  if (wr == NULL)
    return INFINITY;
  double posted = now + s->fp->gap_s + p->issue_cost_s;
  wr->access_wait_s += s->fp->gap_s;
  wr->cpu_s += posted - now;
  consumer_busy_until(c, posted);
  int accepted = nic_arrive(consumer_nic(c), consumer_context(c), wr, posted + p->pio_write_s);
  xbt_assert(accepted, "the fixture mode overfilled a queue (the test scenario must not let it)");
  return consumer_pending_count(c) > 0 ? posted : INFINITY;
}

static int fixture_idle(const_consumer_t c, const void* st)
{
  fixture_calls.idle++;
  return 1;
}

const struct access_ops access_fixture_ops = {
    .name             = "fixture",
    .description      = "test fixture: wait, then one write to the consumer's own queue",
    .params           = fixture_params,
    .nparams          = sizeof fixture_params / sizeof fixture_params[0],
    .params_size      = sizeof(fixture_params_t),
    .guarantees       = ACCESS_KEEPS_ORDER | ACCESS_NEVER_REJECTED,
    .check            = fixture_check,
    .queue_of         = fixture_queue_of,
    .host_create      = fixture_host_create,
    .host_destroy     = fixture_host_destroy,
    .consumer_create  = fixture_consumer_create,
    .consumer_destroy = fixture_consumer_destroy,
    .step             = fixture_step,
    .idle             = fixture_idle,
};
