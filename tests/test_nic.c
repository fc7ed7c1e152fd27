/* test_nic: the NIC's request FIFO accepts up to its depth (the WR in service included), the retry flag drops every
 * later write of its context until cleared, and the engine serves in FIFO order. */
#include <criterion/criterion.h>
#include <math.h>

#include "model/nic.h"
#include "model/wrtable.h"
#include "scenario/param_table.h"

static int looped, sent;
static void on_completed(void* data, wr_t* wr)
{
  looped++;
}
static void on_transmit(void* data, wr_t* wr)
{
  sent++;
}
static wr_t* served[16];
static int nserved, ndeferred;
static void on_served(void* data, wr_t* wr)
{
  if (nserved < 16)
    served[nserved++] = wr;
}
static void on_deferred(void* data, wr_t* wr)
{
  ndeferred++;
}

static params_t* fresh(long depth)
{
  static params_t p;
  params_init(&p);
  p.queue_depth    = depth;
  p.service_time_s = 100e-9;
  p.size_B         = 0;
  looped = sent = 0;
  return &p;
}

static wr_t* new_wr(wrtable_t t, long seq, int dst)
{
  wr_t* w     = wrtable_add(t);
  w->seq      = seq;
  w->dst_host = dst;
  w->size_B   = 0;
  return w;
}

Test(nic, accepts_up_to_the_depth_then_drops)
{
  params_t* p = fresh(4);
  nic_t nic =
      nic_create(p, 0, 1, (nic_hooks_t){.completed = on_completed, .transmit = on_transmit, .deferred = on_deferred});
  int ctx[5];
  for (int i = 0; i < 5; i++)
    ctx[i] = nic_context_open(nic, 0, 1);
  wrtable_t t = wrtable_create();
  /* five contexts write at the same instant: four fit (one in service, three waiting), the fifth does not */
  for (int i = 0; i < 4; i++)
    cr_expect_eq(nic_arrive(nic, ctx[i], new_wr(t, 0, 0), 1e-6), 1, "write %d must fit", i);
  wr_t* late = new_wr(t, 0, 0);
  cr_expect_eq(nic_arrive(nic, ctx[4], late, 1e-6), 0, "the fifth write exceeds the depth");
  cr_expect_eq(nic_max_occupancy(nic), 4);
  cr_expect_eq(nic_context_retry_flag(nic, ctx[4]), 1);
  cr_expect_eq(nic_arrivals(nic), 5);
  cr_expect_eq(nic_drops(nic), 1);
  /* FIFO engine: the four are served back to back */
  cr_expect_float_eq(wrtable_at(t, 3)->t_service_start, 1e-6 + 300e-9, 1e-15);
  cr_expect_eq(looped, 4, "loopback WRs complete inside the NIC");
  /* the first finishes at 1.1 us: a write arriving then finds a free slot (its flag is clear) */
  cr_expect_eq(nic_arrive(nic, ctx[0], new_wr(t, 1, 0), 1.1e-6), 1);
  cr_expect_eq(nic_retired(nic, 0, 1.1e-6), 1);
  nic_free(nic);
  wrtable_free(t);
}

Test(nic, retry_flag_drops_later_writes_of_the_context_until_cleared)
{
  params_t* p = fresh(1);
  nic_t nic =
      nic_create(p, 0, 1, (nic_hooks_t){.completed = on_completed, .transmit = on_transmit, .deferred = on_deferred});
  int a = nic_context_open(nic, 0, 1), b = nic_context_open(nic, 0, 1);
  wrtable_t t = wrtable_create();
  cr_expect_eq(nic_arrive(nic, a, new_wr(t, 0, 1), 0), 1);
  cr_expect_eq(sent, 1, "a WR for another host goes to the transport");
  cr_expect_eq(nic_arrive(nic, b, new_wr(t, 0, 1), 10e-9), 0, "queue full");
  /* the queue empties at 100 ns, but b's flag is set: b's next write is dropped anyway; a's is not */
  cr_expect_eq(nic_arrive(nic, b, new_wr(t, 1, 1), 200e-9), 0, "flag set: dropped to keep b's order");
  cr_expect_eq(nic_arrive(nic, a, new_wr(t, 1, 1), 300e-9), 1);
  nic_clear_retry(nic, b, 500e-9);
  cr_expect_eq(nic_context_retry_flag(nic, b), 0);
  cr_expect_eq(nic_arrive(nic, b, new_wr(t, 0, 1), 600e-9), 1, "after the clear, b replays its first WR");
  cr_expect_eq(nic_order_violations(nic), 0);
  /* b's WR 1 is next in b's order; accepting b's WR 3 instead would be out of order */
  wr_t* out_of_order = new_wr(t, 3, 1);
  cr_expect_eq(nic_arrive(nic, b, out_of_order, 800e-9), 1);
  cr_expect_eq(nic_order_violations(nic), 1, "the NIC counts an acceptance out of creation order");
  nic_free(nic);
  wrtable_free(t);
}

Test(nic, drop_mode_loses_without_a_flag)
{
  params_t* p  = fresh(1);
  p->on_reject = ON_REJECT_DROP;
  nic_t nic =
      nic_create(p, 0, 1, (nic_hooks_t){.completed = on_completed, .transmit = on_transmit, .deferred = on_deferred});
  int a       = nic_context_open(nic, 0, 1);
  wrtable_t t = wrtable_create();
  cr_expect_eq(nic_arrive(nic, a, new_wr(t, 0, 0), 0), 1);
  wr_t* lost = new_wr(t, 1, 0);
  cr_expect_eq(nic_arrive(nic, a, lost, 10e-9), 0);
  cr_expect(lost->lost);
  cr_expect_eq(nic_context_retry_flag(nic, a), 0, "no retry flag in drop mode");
  cr_expect_eq(nic_arrive(nic, a, new_wr(t, 2, 0), 150e-9), 1, "the next write is accepted");
  nic_free(nic);
  wrtable_free(t);
}

Test(nic, several_queues_are_served_round_robin)
{
  params_t* p = fresh(8);
  p->queues   = 2; /* 4 entries each */
  nserved = ndeferred = 0;
  nic_t nic =
      nic_create(p, 0, 1, (nic_hooks_t){.completed = on_served, .transmit = on_served, .deferred = on_deferred});
  int a = nic_context_open(nic, 0, 1), b = nic_context_open(nic, 1, 1);
  wrtable_t t = wrtable_create();
  wr_t* w[7];
  /* queue 0 gets three WRs at once, queue 1 two a little later, then queue 0 one more: the engine takes the first
   * at 0, then alternates between the queues holding a WR that has arrived */
  for (int i = 0; i < 3; i++) {
    w[i] = new_wr(t, i, 0);
    cr_assert_eq(nic_arrive(nic, a, w[i], 0), 1);
  }
  for (int i = 3; i < 5; i++) {
    w[i] = new_wr(t, i - 3, 0);
    cr_assert_eq(nic_arrive(nic, b, w[i], 10e-9), 1);
  }
  cr_expect_eq(ndeferred, 5, "every WR waits for the engine's decision");
  cr_expect_eq(nserved, 1, "only the first WR's service is decided by t = 10 ns");
  w[5] = new_wr(t, 3, 0);
  cr_assert_eq(nic_arrive(nic, a, w[5], 150e-9), 1);
  cr_expect_eq(nic_retired(nic, 0, 1e-6), 4, "all of queue 0 is served by 1 us");
  cr_expect_eq(nic_retired(nic, 1, 1e-6), 2);
  int order[] = {0, 3, 1, 4, 2, 5};
  cr_assert_eq(nserved, 6);
  for (int i = 0; i < 6; i++) {
    cr_expect_eq(served[i], w[order[i]], "service %d", i);
    cr_expect(fabs(served[i]->t_service_start - 100e-9 * i) < 1e-15, "service %d starts at %g", i,
              served[i]->t_service_start);
  }
  /* a full queue drops although the other has room */
  nic_t n2 = nic_create(p, 0, 1, (nic_hooks_t){.completed = on_served, .transmit = on_served, .deferred = on_deferred});
  int c0 = nic_context_open(n2, 0, 1), c1 = nic_context_open(n2, 1, 1);
  nserved = 0;
  for (int i = 0; i < 4; i++)
    cr_assert_eq(nic_arrive(n2, c0, new_wr(t, i, 0), 2e-9), 1);
  cr_expect_eq(nic_arrive(n2, c0, new_wr(t, 4, 0), 2e-9), 0, "queue 0 holds 4");
  cr_expect_eq(nic_arrive(n2, c1, new_wr(t, 0, 0), 2e-9), 1, "queue 1 still has room");
  nic_free(n2);
  nic_free(nic);
  wrtable_free(t);
}

Test(nic, a_context_without_retry_flag_only_answers_the_dropped_write)
{
  params_t* p = fresh(1);
  nic_t nic =
      nic_create(p, 0, 1, (nic_hooks_t){.completed = on_completed, .transmit = on_transmit, .deferred = on_deferred});
  int a       = nic_context_open(nic, 0, 0);
  wrtable_t t = wrtable_create();
  cr_assert_eq(nic_arrive(nic, a, new_wr(t, 0, 0), 0), 1);
  wr_t* second = new_wr(t, 1, 0);
  cr_expect_eq(nic_arrive(nic, a, second, 50e-9), 0, "the queue of 1 is full");
  cr_expect_eq(nic_context_retry_flag(nic, a), 0, "no flag: the drop only answers that write");
  cr_expect_eq(nic_arrive(nic, a, second, 100e-9), 1, "retried once the engine is done, it is accepted");
  cr_expect_eq(nic_order_violations(nic), 0);
  nic_free(nic);
  wrtable_free(t);
}
