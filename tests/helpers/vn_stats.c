/* vn_stats: confidence intervals over replications for the tests that compare the simulator with theory. */
#include "vn_stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

double vn_bonferroni_alpha(double family_alpha, int comparisons)
{
  return comparisons > 0 ? family_alpha / comparisons : family_alpha;
}

vn_ci_t vn_ci_student(const double* x, size_t n, double alpha, double sd_floor)
{
  vn_ci_t ci = {.n = n, .level = 1 - alpha};
  if (n < 2) {
    ci.mean       = n == 1 ? x[0] : NAN;
    ci.half_width = INFINITY; /* one replication says nothing about its own spread */
    return ci;
  }
  ci.mean = gsl_stats_mean(x, 1, n);
  ci.sd   = gsl_stats_sd_m(x, 1, n, ci.mean);
  if (ci.sd < sd_floor)
    ci.sd = sd_floor;
  /* Replications are independent and each is a mean over many WRs, hence close to normal: the t interval with
   * n - 1 degrees of freedom. */
  ci.t          = gsl_cdf_tdist_Pinv(1 - alpha / 2, (double)(n - 1));
  ci.half_width = ci.t * ci.sd / sqrt((double)n);
  return ci;
}

int vn_ci_contains(const vn_ci_t* ci, double value)
{
  return fabs(ci->mean - value) <= ci->half_width;
}
