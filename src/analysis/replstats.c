/* replstats: statistics over replications: means with Student-t 95% confidence intervals, of values and of paired
 * ratios. */
#include "analysis/replstats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

double replstats_t975(size_t dof)
{
  return dof == 0 ? NAN : gsl_cdf_tdist_Pinv(0.975, (double)dof);
}

size_t replstats_mean_ci95(const double* v, size_t n, double* mean, double* ci95)
{
  size_t used = 0;
  double sum  = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(v[i])) {
      sum += v[i];
      used++;
    }
  *mean = used ? sum / (double)used : NAN;
  *ci95 = NAN;
  if (used < 2)
    return used;
  /* Two-pass variance: the replications of one point are close to each other, so the one-pass formula would
   * cancel badly. */
  double ss = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(v[i]))
      ss += (v[i] - *mean) * (v[i] - *mean);
  double sd = sqrt(ss / (double)(used - 1));
  *ci95     = replstats_t975(used - 1) * sd / sqrt((double)used);
  return used;
}

replstats_ratio_t replstats_ratio(const double* num, const double* den, size_t n)
{
  replstats_ratio_t r = {.state = REPLSTATS_RATIO_OK, .n = 0, .mean = NAN, .ci95 = NAN};
  double* ratios      = malloc((n ? n : 1) * sizeof *ratios);
  if (ratios == NULL) {
    r.state = REPLSTATS_RATIO_NA;
    return r;
  }
  int inf = 0;
  int na  = 0;
  for (size_t i = 0; i < n; i++) {
    if (isnan(num[i]) || isnan(den[i]))
      continue;
    if (den[i] == 0) {
      if (num[i] == 0)
        na = 1; /* 0 / 0: neither better nor worse, and no number */
      else
        inf = 1;
    } else {
      ratios[r.n] = num[i] / den[i];
    }
    r.n++;
  }
  if (r.n == 0 || na) {
    r.state = REPLSTATS_RATIO_NA;
  } else if (inf) {
    r.state = REPLSTATS_RATIO_INF;
    r.mean  = INFINITY;
  } else {
    replstats_mean_ci95(ratios, r.n, &r.mean, &r.ci95);
  }
  free(ratios);
  return r;
}
