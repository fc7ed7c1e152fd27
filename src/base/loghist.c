/* loghist: values in logarithmic buckets (see loghist.h). */
#include "base/loghist.h"

#include <math.h>
#include <stdlib.h>
#include <xbt/sysdep.h>

static size_t bucket_of(double v)
{
  if (!(v >= LOGHIST_MIN))
    return 0;
  double b = floor(log(v / LOGHIST_MIN) / log(LOGHIST_RATIO)) + 1;
  return b >= LOGHIST_BUCKETS - 1 ? LOGHIST_BUCKETS - 1 : (size_t)b;
}

/* The value a bucket stands for: the geometric middle of its bounds (0 for bucket 0). */
static double bucket_value(size_t b)
{
  if (b == 0)
    return 0;
  return LOGHIST_MIN * pow(LOGHIST_RATIO, (double)b - 0.5);
}

void loghist_add(loghist_t* h, double v)
{
  if (h->count == NULL)
    h->count = xbt_new0(unsigned, LOGHIST_BUCKETS);
  h->count[bucket_of(v)]++;
  h->n++;
}

void loghist_merge(loghist_t* into, const loghist_t* from)
{
  if (from->n == 0)
    return;
  if (into->count == NULL)
    into->count = xbt_new0(unsigned, LOGHIST_BUCKETS);
  for (size_t b = 0; b < LOGHIST_BUCKETS; b++)
    into->count[b] += from->count[b];
  into->n += from->n;
}

/* The value of the order statistic of rank r (0-based). */
static double value_at_rank(const loghist_t* h, unsigned long r)
{
  unsigned long seen = 0;
  for (size_t b = 0; b < LOGHIST_BUCKETS; b++) {
    seen += h->count[b];
    if (seen > r)
      return bucket_value(b);
  }
  return bucket_value(LOGHIST_BUCKETS - 1);
}

double loghist_quantile(const loghist_t* h, double q)
{
  if (h->n == 0)
    return NAN;
  double rank      = q * (double)(h->n - 1);
  unsigned long lo = (unsigned long)floor(rank);
  double delta     = rank - (double)lo;
  double a         = value_at_rank(h, lo);
  if (delta == 0 || lo + 1 >= h->n)
    return a;
  return (1 - delta) * a + delta * value_at_rank(h, lo + 1);
}

void loghist_clear(loghist_t* h)
{
  free(h->count);
  h->count = NULL;
  h->n     = 0;
}

size_t loghist_bytes(void)
{
  return LOGHIST_BUCKETS * sizeof(unsigned);
}
