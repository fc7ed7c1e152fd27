/* test_workload: destination patterns and arrival processes. */
#include <criterion/criterion.h>
#include <math.h>

#include "scenario/param_table.h"
#include "model/workload.h"

static params_t p;

static void with_pattern(pattern_t pattern)
{
  params_init(&p);
  p.pattern = pattern;
}

Test(workload, uniform_never_sends_to_itself_and_covers_the_others)
{
  with_pattern(PATTERN_UNIFORM);
  workload_t w = workload_create(&p, 1, 0, 0, 2, 5, NULL, 0);
  int seen[5]  = {0};
  for (int i = 0; i < 5000; i++) {
    int d = workload_next_destination(w);
    cr_assert(d >= 0 && d < 5 && d != 2, "destination %d", d);
    seen[d]++;
  }
  for (int h = 0; h < 5; h++)
    if (h != 2)
      cr_expect(seen[h] > 1100 && seen[h] < 1400, "host %d got %d of 5000", h, seen[h]);
  workload_free(w);
}

Test(workload, neighbor_all_to_all_and_permutation)
{
  with_pattern(PATTERN_NEIGHBOR);
  workload_t w = workload_create(&p, 1, 0, 0, 4, 5, NULL, 0);
  cr_expect_eq(workload_next_destination(w), 0, "host 4's neighbour wraps to 0");
  workload_free(w);

  with_pattern(PATTERN_ALL_TO_ALL);
  w = workload_create(&p, 1, 0, 0, 1, 4, NULL, 0);
  int got[6];
  for (int i = 0; i < 6; i++)
    got[i] = workload_next_destination(w);
  cr_expect(got[0] == 2 && got[1] == 3 && got[2] == 0 && got[3] == 2, "round robin over the others");
  workload_free(w);

  int perm[7];
  workload_permutation(7, 42, perm);
  int hit[7] = {0};
  for (int i = 0; i < 7; i++) {
    cr_expect_neq(perm[i], i, "a derangement: nobody sends to itself");
    hit[perm[i]]++;
  }
  for (int i = 0; i < 7; i++)
    cr_expect_eq(hit[i], 1, "a permutation: everyone receives once");
}

Test(workload, hotspot_sends_its_fraction_to_the_hot_host)
{
  with_pattern(PATTERN_HOTSPOT);
  p.hot_fraction = 0.3;
  workload_t w   = workload_create(&p, 7, 3, 0, 4, 8, NULL, 0);
  int hot        = 0;
  for (int i = 0; i < 20000; i++)
    hot += workload_next_destination(w) == 0;
  /* 30% directly, plus 1/7 of the other 70% by the uniform draw */
  double expect = 0.3 + 0.7 / 7;
  cr_expect(fabs(hot / 20000.0 - expect) < 0.015, "hot share %g, expected %g", hot / 20000.0, expect);
  workload_free(w);
}

Test(workload, poisson_arrivals_have_the_rate)
{
  params_init(&p);
  p.arrival    = ARRIVAL_POISSON;
  p.rate_per_s = 2e6;
  workload_t w = workload_create(&p, 3, 0, 0, 0, 1, NULL, 0);
  double t     = -1;
  for (int i = 0; i < 100000; i++)
    t = workload_next_arrival(w, t);
  cr_expect(fabs(100000 / t / 2e6 - 1) < 0.02, "rate %g", 100000 / t);
  workload_free(w);
}

Test(workload, streams_are_reproducible_and_independent)
{
  with_pattern(PATTERN_UNIFORM);
  workload_t a = workload_create(&p, 9, 5, 0, 0, 100, NULL, 0);
  workload_t b = workload_create(&p, 9, 5, 0, 0, 100, NULL, 0);
  workload_t c = workload_create(&p, 9, 6, 0, 0, 100, NULL, 0);
  int same = 1, differs = 0;
  for (int i = 0; i < 50; i++) {
    int x = workload_next_destination(a), y = workload_next_destination(b), z = workload_next_destination(c);
    same &= x == y;
    differs |= x != z;
  }
  cr_expect(same, "same seed and consumer, same draws");
  cr_expect(differs, "another consumer has its own stream");
  workload_free(a);
  workload_free(b);
  workload_free(c);
}

Test(workload, skew_shares_the_host_load_by_zipf)
{
  with_pattern(PATTERN_LOCAL);
  p.cores_per_host = 4;
  double sum       = 0;
  for (int k = 0; k < 4; k++)
    sum += workload_share(&p, k);
  cr_expect(fabs(sum - 1) < 1e-15 && workload_share(&p, 3) == 0.25, "no skew: even shares");
  p.skew = 1;
  sum    = 0;
  for (int k = 0; k < 4; k++)
    sum += workload_share(&p, k);
  cr_expect(fabs(sum - 1) < 1e-12, "shares add up to 1");
  /* 1, 1/2, 1/3, 1/4 over 25/12 */
  cr_expect(fabs(workload_share(&p, 0) - 12.0 / 25) < 1e-12);
  cr_expect(fabs(workload_share(&p, 3) - 3.0 / 25) < 1e-12);
  /* open loop: consumer 0 gets 4 * 12/25 of the per-consumer rate; the host total stays 4 * rate */
  p.arrival    = ARRIVAL_DETERMINISTIC;
  p.rate_per_s = 1e6;
  double total = 0;
  for (int k = 0; k < 4; k++) {
    workload_t w = workload_create(&p, 1, k, k, 0, 1, NULL, 0);
    double t0    = workload_next_arrival(w, 0);
    total += 1 / t0;
    if (k == 0)
      cr_expect(fabs(1 / t0 - 4e6 * 12 / 25) < 1, "consumer 0's rate %g", 1 / t0);
    workload_free(w);
  }
  cr_expect(fabs(total - 4e6) < 1, "the host's total rate %g", total);
  /* closed loop: think times scale the other way */
  p.arrival = ARRIVAL_CLOSED;
  p.think_s = 1e-6;
  workload_t w0 = workload_create(&p, 1, 0, 0, 0, 1, NULL, 0), w3 = workload_create(&p, 1, 3, 3, 0, 1, NULL, 0);
  cr_expect(fabs(workload_next_think(w3) / workload_next_think(w0) - 4) < 1e-12, "think times 1:4 for shares 4:1");
  workload_free(w0);
  workload_free(w3);
}
