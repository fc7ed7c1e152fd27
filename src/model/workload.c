/* workload: arrival processes, destination patterns and size distributions, one GSL stream per consumer. */
#include "model/workload.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <xbt/asserts.h>
#include <xbt/sysdep.h>

struct s_workload {
  const params_t* p;
  gsl_rng* rng;
  int src;
  int nhosts;
  const int* perm;
  int hot;
  long rr;      /* all-to-all: next round-robin offset */
  double rate;  /* open loop: this consumer's creation rate */
  double think; /* closed loop: this consumer's mean think time */
};

double workload_share(const params_t* p, int local_index)
{
  long n = params_consumers_per_host(p);
  if (p->skew == 0)
    return 1.0 / (double)n;
  double sum = 0;
  for (long k = 0; k < n; k++)
    sum += pow((double)(k + 1), -p->skew);
  return pow((double)(local_index + 1), -p->skew) / sum;
}

unsigned long workload_stream_seed(unsigned long seed, stream_kind_t kind, unsigned long index)
{
  /* SplitMix64 finaliser over (seed, kind, index). */
  uint64_t z = (uint64_t)seed * 0x9E3779B97F4A7C15ULL + ((uint64_t)kind << 56) + (uint64_t)index;
  z          = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z          = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return (unsigned long)z;
}

void workload_permutation(int nhosts, unsigned long seed, int* perm)
{
  for (int i = 0; i < nhosts; i++)
    perm[i] = i;
  if (nhosts < 2)
    return;
  gsl_rng* rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, workload_stream_seed(seed, STREAM_PERMUTATION, 0));
  /* Sattolo's algorithm: a uniformly random cyclic permutation, hence a derangement. */
  for (int i = nhosts - 1; i > 0; i--) {
    int j   = (int)gsl_rng_uniform_int(rng, (unsigned long)i);
    int tmp = perm[i];
    perm[i] = perm[j];
    perm[j] = tmp;
  }
  gsl_rng_free(rng);
}

workload_t workload_create(const params_t* p, unsigned long seed, int consumer, int local_index, int src_host,
                           int nhosts, const int* perm, int hot_host)
{
  xbt_assert(p->pattern == PATTERN_LOCAL || nhosts >= 2, "pattern needs two hosts (checked at set-up)");
  workload_t w = xbt_new0(s_workload_t, 1);
  w->p         = p;
  w->rng       = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(w->rng, workload_stream_seed(seed, STREAM_CONSUMER, (unsigned long)consumer));
  w->src    = src_host;
  w->nhosts = nhosts;
  w->perm   = perm;
  w->hot    = hot_host;
  w->rr     = nhosts > 1 ? local_index % (nhosts - 1) : 0;
  /* Skew: consumer k of a host offers a share of the host's total load proportional to 1/(k+1)^skew, the total
   * unchanged: its rate is scaled by n * share (open loop), its think time divided by it (closed loop, so that its
   * window / think stays in proportion; with no think time a closed loop has no offered load to share, and skew
   * changes nothing). skew = 0 leaves every consumer as it was. */
  w->rate  = p->rate_per_s;
  w->think = p->think_s;
  if (p->skew != 0) {
    double scale = (double)params_consumers_per_host(p) * workload_share(p, local_index);
    w->rate      = p->rate_per_s * scale;
    w->think     = p->think_s / scale;
  }
  return w;
}

void workload_free(workload_t w)
{
  if (w == NULL)
    return;
  gsl_rng_free(w->rng);
  free(w);
}

double workload_next_arrival(workload_t w, double prev)
{
  double mean_gap = 1.0 / w->rate;
  if (w->p->arrival == ARRIVAL_POISSON)
    return (prev < 0 ? 0 : prev) + gsl_ran_exponential(w->rng, mean_gap);
  xbt_assert(w->p->arrival == ARRIVAL_DETERMINISTIC, "closed loops have no arrival process");
  if (prev < 0)
    return gsl_rng_uniform(w->rng) * mean_gap;
  return prev + mean_gap;
}

double workload_next_think(workload_t w)
{
  if (w->p->think_dist == THINK_EXPONENTIAL && w->think > 0)
    return gsl_ran_exponential(w->rng, w->think);
  return w->think;
}

/* A host other than the source, uniformly. */
static int uniform_other(workload_t w)
{
  int r = (int)gsl_rng_uniform_int(w->rng, (unsigned long)(w->nhosts - 1));
  return r < w->src ? r : r + 1;
}

int workload_next_destination(workload_t w)
{
  switch (w->p->pattern) {
  case PATTERN_LOCAL:
    return w->src;
  case PATTERN_UNIFORM:
    return uniform_other(w);
  case PATTERN_NEIGHBOR:
    return (w->src + 1) % w->nhosts;
  case PATTERN_PERMUTATION:
    return w->perm[w->src];
  case PATTERN_HOTSPOT:
    /* A fraction of the WRs goes to the hot host (incast); the rest, and everything the hot host's own consumers
     * send, goes to a uniformly chosen other host. The draw is made for every WR so the stream does not depend on
     * which host the consumer sits on. */
    if (gsl_rng_uniform(w->rng) < w->p->hot_fraction && w->src != w->hot)
      return w->hot;
    return uniform_other(w);
  case PATTERN_ALL_TO_ALL: {
    int dst = (w->src + 1 + (int)(w->rr % (w->nhosts - 1))) % w->nhosts;
    w->rr++;
    return dst;
  }
  }
  xbt_die("unknown pattern %d", (int)w->p->pattern);
}

double workload_next_size(workload_t w)
{
  switch (w->p->size_dist) {
  case SIZE_FIXED:
    return w->p->size_B;
  case SIZE_EXPONENTIAL: {
    /* Whole bytes, at least one. */
    double s = ceil(gsl_ran_exponential(w->rng, w->p->size_B));
    return s < 1 ? 1 : s;
  }
  case SIZE_BIMODAL:
    return gsl_rng_uniform(w->rng) < w->p->large_fraction ? w->p->size_large_B : w->p->size_B;
  }
  xbt_die("unknown size distribution %d", (int)w->p->size_dist);
}
