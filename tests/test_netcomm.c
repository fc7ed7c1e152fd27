/* netcomm's timer queue (netcomm_at, netcomm_cancel) on a real SimGrid engine: the order of timers of one date, and a
 * withdrawn timer that must neither run nor bring the clock to its date. Criterion runs each test in a process of its
 * own, so each one initialises SimGrid afresh. */
#include "model/netcomm.h"

#include <criterion/criterion.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>

static void start_simgrid(void)
{
  static char prog[] = "test_netcomm";
  static char log[]  = "--log=root.thres:error";
  char* argv[]       = {prog, log, NULL};
  int argc           = 2;
  simgrid_init(&argc, argv);
  simgrid_load_platform(VNICSIM_TESTS_DIR "/../platforms/one-host.xml");
}

/* What the timers saw: the order they ran in and the clock each time. */
static int ran[16];
static double ran_at[16];
static int nran;

static void record(void* data)
{
  cr_assert_lt(nran, 16);
  ran[nran]      = (int)(long)data;
  ran_at[nran++] = simgrid_get_clock();
}

static double sleep_s;
static void sleeper(int argc, char** argv)
{
  (void)argc;
  (void)argv;
  sg_actor_sleep_for(sleep_s);
}

static void run_with_sleeper(double s)
{
  sleep_s = s;
  sg_actor_create("sleeper", sg_host_by_name("node-0"), sleeper, 0, NULL);
  simgrid_run();
}

Test(netcomm, timers_of_one_date_run_in_the_order_they_were_set)
{
  start_simgrid();
  netcomm_at(2e-6, record, (void*)3L);
  netcomm_at(1e-6, record, (void*)1L);
  netcomm_at(2e-6, record, (void*)4L);
  netcomm_at(1e-6, record, (void*)2L);
  netcomm_at(2e-6, record, (void*)5L);
  run_with_sleeper(1e-5);
  cr_assert_eq(nran, 5);
  for (int i = 0; i < 5; i++)
    cr_expect_eq(ran[i], i + 1, "timer %d ran in place %d", ran[i], i);
  cr_expect_eq(ran_at[0], 1e-6);
  cr_expect_eq(ran_at[4], 2e-6);
}

/* SimGrid runs its kernel timers even after the last actor has ended: a withdrawn timer left armed would move the
 * run's end (and sim_time_s) to its date. */
Test(netcomm, a_withdrawn_timer_neither_runs_nor_moves_the_end)
{
  start_simgrid();
  netcomm_timer_t late = netcomm_at(1.0, record, (void*)9L);
  netcomm_at(2e-6, record, (void*)1L);
  netcomm_timer_t first = netcomm_at(1e-6, record, (void*)8L);
  netcomm_cancel(first); /* the queue's first date: the driver moves to the next */
  netcomm_cancel(late);
  netcomm_cancel(0); /* no timer: a no-op */
  run_with_sleeper(1e-5);
  cr_assert_eq(nran, 1);
  cr_expect_eq(ran[0], 1);
  cr_expect_eq(ran_at[0], 2e-6);
  cr_expect_eq(simgrid_get_clock(), 1e-5, "the run ended at %g s, not at the sleeper's end", simgrid_get_clock());
}

/* A timer set from a timer for the instant already reached runs at that instant, after the ones set before it. */
static void chain(void* data)
{
  record(data);
  if ((long)data == 1)
    netcomm_at(simgrid_get_clock(), record, (void*)3L);
}

Test(netcomm, a_timer_set_for_the_current_instant_runs_then)
{
  start_simgrid();
  netcomm_at(1e-6, chain, (void*)1L);
  netcomm_at(1e-6, record, (void*)2L);
  run_with_sleeper(1e-5);
  cr_assert_eq(nran, 3);
  for (int i = 0; i < 3; i++) {
    cr_expect_eq(ran[i], i + 1);
    cr_expect_eq(ran_at[i], 1e-6);
  }
}

/* Many withdrawn timers: the queue is rebuilt without them (netcomm.cpp, compact), and the others still run in their
 * order. */
static int order_ok   = 1;
static long last_seen = -1;
static long seen;
static void in_order(void* data)
{
  long k = (long)data;
  if (k <= last_seen)
    order_ok = 0;
  last_seen = k;
  seen++;
}

Test(netcomm, withdrawing_most_timers_keeps_the_others_in_order)
{
  start_simgrid();
  enum { N = 20000 };
  static netcomm_timer_t t[N];
  for (long k = 0; k < N; k++)
    t[k] = netcomm_at(1e-6 * (double)(1 + k / 4), in_order, (void*)k); /* four timers per date */
  long kept = 0;
  for (long k = 0; k < N; k++) {
    if (k % 10 == 3)
      kept++;
    else
      netcomm_cancel(t[k]);
    size_t live  = (size_t)(N - 1 - k + kept);     /* due and not withdrawn */
    size_t bound = 2 * live + NETCOMM_COMPACT_MIN; /* at most as many withdrawn ones as live ones, past the minimum */
    cr_assert_leq(netcomm_timers_held(), bound, "%zu timers held after %ld withdrawn", netcomm_timers_held(), k);
  }
  run_with_sleeper(1.0);
  cr_expect(order_ok, "the timers left ran out of order");
  cr_expect_eq(seen, kept, "%ld timers ran, %ld were left", seen, kept);
  cr_expect_eq(last_seen, N - 7);
  cr_expect_eq(simgrid_get_clock(), 1.0);
}
