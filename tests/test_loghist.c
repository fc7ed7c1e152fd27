/* test_loghist: quantiles from logarithmic buckets stay within the stated 0.5% of the exact ones. */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "base/loghist.h"
#include "model/stats.h"

Test(loghist, quantiles_within_half_a_percent)
{
  gsl_rng* r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 7);
  size_t n  = 200000;
  double* v = malloc(n * sizeof *v);
  loghist_t h = {0};
  for (size_t i = 0; i < n; i++) {
    v[i] = 1e-6 + gsl_ran_lognormal(r, log(3e-6), 1.0); /* latencies of microseconds with a long tail */
    loghist_add(&h, v[i]);
  }
  const double q[] = {0.01, 0.5, 0.9, 0.99, 0.999};
  for (size_t k = 0; k < 5; k++) {
    double exact = stats_quantile(v, n, q[k]);
    double est   = loghist_quantile(&h, q[k]);
    cr_expect(fabs(est / exact - 1) <= 0.005 + 1e-9, "q=%g: %g against %g", q[k], est, exact);
  }
  loghist_clear(&h);
  free(v);
  gsl_rng_free(r);
}

Test(loghist, merge_empty_and_zero)
{
  loghist_t a = {0}, b = {0};
  cr_expect(isnan(loghist_quantile(&a, 0.5)));
  loghist_add(&a, 0);
  loghist_add(&a, 0);
  loghist_add(&b, 2e-6);
  loghist_merge(&a, &b);
  cr_expect_eq(a.n, 3);
  cr_expect_eq(loghist_quantile(&a, 0), 0, "zero lands in bucket 0");
  cr_expect(fabs(loghist_quantile(&a, 1) / 2e-6 - 1) <= 0.005);
  /* the median of {0, 0, 2us} is 0 */
  cr_expect_eq(loghist_quantile(&a, 0.5), 0);
  loghist_clear(&a);
  loghist_clear(&b);
}
