/* test_replstats: means and Student-t 95% intervals over replications, and paired ratios, against hand-computed
 * values, Student t tables and GSL's own mean and standard deviation. */
#include <criterion/criterion.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

#include "analysis/replstats.h"
#include "vn_analysis.h"

/* ---- t quantiles ---- */

Test(replstats, t_quantiles_from_tables)
{
  cr_assert_float_eq(replstats_t975(1), T975_1, 1e-9);
  cr_assert_float_eq(replstats_t975(2), T975_2, 1e-9);
  cr_assert_float_eq(replstats_t975(4), T975_4, 1e-9);
  cr_assert_float_eq(replstats_t975(1000), 1.962339, 1e-6, "close to the normal 1.96 for many replications");
  cr_assert(isnan(replstats_t975(0)));
}

/* ---- mean and interval ---- */

Test(replstats, mean_and_ci_by_hand)
{
  double mean;
  double ci;
  const double v[] = {1, 2, 3};
  cr_assert_eq(replstats_mean_ci95(v, 3, &mean, &ci), 3);
  cr_assert_float_eq(mean, 2, 1e-12);
  cr_assert_float_eq(ci, T975_2 * 1.0 / sqrt(3), 1e-12); /* sample sd = 1 */

  /* 2, 4, 4, 6: mean 4, squared deviations 4 + 0 + 0 + 4 = 8, s = sqrt(8 / 3), t_{0.975,3} = 3.182446305284263 */
  const double w[] = {2, 4, 4, 6};
  cr_assert_eq(replstats_mean_ci95(w, 4, &mean, &ci), 4);
  cr_assert_float_eq(mean, 4, 1e-12);
  cr_assert_float_eq(ci, 3.182446305284263 * sqrt(8.0 / 3) / 2, 1e-12);
}

Test(replstats, non_finite_values_are_left_out)
{
  double mean;
  double ci;
  const double w[] = {10, 14, NAN, 11, 13, INFINITY, -INFINITY};
  cr_assert_eq(replstats_mean_ci95(w, 7, &mean, &ci), 4);
  cr_assert_float_eq(mean, 12, 1e-12);
  cr_assert_float_eq(ci, 3.182446305284263 * sqrt(10.0 / 3) / 2, 1e-9); /* t_{0.975,3} */

  const double one[] = {5, NAN};
  cr_assert_eq(replstats_mean_ci95(one, 2, &mean, &ci), 1);
  cr_assert_float_eq(mean, 5, 1e-12);
  cr_assert(isnan(ci), "no interval from one replication");

  const double none[] = {NAN, NAN};
  cr_assert_eq(replstats_mean_ci95(none, 2, &mean, &ci), 0);
  cr_assert(isnan(mean));
  cr_assert(isnan(ci));
  cr_assert_eq(replstats_mean_ci95(none, 0, &mean, &ci), 0);
  cr_assert(isnan(mean));
}

Test(replstats, no_spread_no_interval_width)
{
  double mean;
  double ci;
  const double same[] = {7, 7, 7};
  replstats_mean_ci95(same, 3, &mean, &ci);
  cr_assert_float_eq(mean, 7, 0);
  cr_assert_float_eq(ci, 0, 1e-15);
}

/* Replications close to each other around a large value: the two-pass variance keeps its digits. */
Test(replstats, agrees_with_gsl)
{
  const double v[] = {1.0000001e9, 1.0000003e9, 0.9999998e9, 1.0000002e9, 1.0000000e9, 0.9999997e9, 1.0000004e9};
  size_t n         = sizeof v / sizeof v[0];
  double mean;
  double ci;
  cr_assert_eq(replstats_mean_ci95(v, n, &mean, &ci), n);
  double gsl_mean = gsl_stats_mean(v, 1, n);
  double gsl_sd   = gsl_stats_sd(v, 1, n); /* n - 1 in the denominator */
  cr_assert_float_eq(mean, gsl_mean, 1e-6);
  double expected = 2.446911848791681 * gsl_sd / sqrt((double)n); /* t_{0.975,6} from tables */
  cr_assert(fabs(ci - expected) <= 1e-9 * expected, "ci %.17g, GSL gives %.17g", ci, expected);
  cr_assert_gt(ci, 0);

  const double small[] = {3.1e-7, 2.9e-7, 3.4e-7, 3.0e-7, 2.7e-7};
  n                    = 5;
  replstats_mean_ci95(small, n, &mean, &ci);
  cr_assert(fabs(mean - gsl_stats_mean(small, 1, n)) <= 1e-15 * mean);
  expected = T975_4 * gsl_stats_sd(small, 1, n) / sqrt((double)n);
  cr_assert(fabs(ci - expected) <= 1e-9 * expected, "ci %.17g, GSL gives %.17g", ci, expected);
}

/* ---- paired ratios ---- */

Test(replstats_ratio, mean_and_interval_of_paired_ratios)
{
  const double num[]  = {2, 4, 6};
  const double den[]  = {1, 2, 2}; /* ratios 2, 2, 3 */
  replstats_ratio_t r = replstats_ratio(num, den, 3);
  cr_assert_eq(r.state, REPLSTATS_RATIO_OK);
  cr_assert_eq(r.n, 3);
  cr_assert_float_eq(r.mean, 7.0 / 3, 1e-12);
  cr_assert_float_eq(r.ci95, T975_2 * sqrt(1.0 / 3) / sqrt(3), 1e-12);
  cr_assert(fabs(r.mean - 12.0 / 5) > 0.05, "the mean of the ratios, not the ratio of the means");
}

Test(replstats_ratio, one_pair_has_no_interval)
{
  const double num[]  = {3};
  const double den[]  = {2};
  replstats_ratio_t r = replstats_ratio(num, den, 1);
  cr_assert_eq(r.state, REPLSTATS_RATIO_OK);
  cr_assert_float_eq(r.mean, 1.5, 1e-12);
  cr_assert(isnan(r.ci95));
}

Test(replstats_ratio, zero_denominators)
{
  const double num[]  = {1, 2};
  const double den[]  = {0, 1};
  replstats_ratio_t r = replstats_ratio(num, den, 2);
  cr_assert_eq(r.state, REPLSTATS_RATIO_INF);
  cr_assert(isinf(r.mean));
  cr_assert(isnan(r.ci95));

  const double zero[] = {0, 2};
  r                   = replstats_ratio(zero, den, 2);
  cr_assert_eq(r.state, REPLSTATS_RATIO_NA, "0 / 0 has no ratio");
  cr_assert(isnan(r.mean));

  r = replstats_ratio(num, den, 0);
  cr_assert_eq(r.state, REPLSTATS_RATIO_NA, "no pair, no ratio");
  cr_assert_eq(r.n, 0);
}

Test(replstats_ratio, missing_values_are_skipped)
{
  const double num[]  = {2, NAN, 3};
  const double den[]  = {1, 1, NAN};
  replstats_ratio_t r = replstats_ratio(num, den, 3);
  cr_assert_eq(r.state, REPLSTATS_RATIO_OK);
  cr_assert_eq(r.n, 1);
  cr_assert_float_eq(r.mean, 2, 1e-12);
}
