/* replstats: statistics over replications: means with Student-t 95% confidence intervals, of values (plot) and of
 * paired ratios (compare). The one statistics module of the analysis commands. */
#ifndef VNICSIM_REPLSTATS_H
#define VNICSIM_REPLSTATS_H

#include <stddef.h>

/** @brief Two-sided 95% quantile of Student's t with @p dof degrees of freedom (t_{0.975, dof}); NaN for dof 0. */
double replstats_t975(size_t dof);

/** @brief Mean and 95% confidence-interval half-width, t_{0.975,n-1} * s / sqrt(n) with s the sample standard
 *  deviation (n - 1 in the denominator), of the finite values among @p v[0..n-1] (NaN and infinities are left out).
 *  Returns how many values were used; @p mean is NaN when none, @p ci95 NaN when fewer than two. The interval
 *  assumes independent, roughly normal replications (means over many WRs are). */
size_t replstats_mean_ci95(const double* v, size_t n, double* mean, double* ci95);

/** What a ratio's mean means. */
typedef enum {
  REPLSTATS_RATIO_OK = 0, /* mean (and ci95 when n > 1) hold numbers */
  REPLSTATS_RATIO_INF,    /* some denominator is 0 while its numerator is not */
  REPLSTATS_RATIO_NA      /* no pair with both values, or some pair is 0 / 0 */
} replstats_ratio_state_t;

/** The mean of per-pair ratios num / den over replication pairs. */
typedef struct replstats_ratio {
  replstats_ratio_state_t state;
  size_t n;    /* pairs with both values */
  double mean; /* mean of the per-pair ratios (INFINITY or NaN per state) */
  double ci95; /* 95% CI half-width of that mean (Student t, n - 1 dof); NaN when n < 2 or state is not OK */
} replstats_ratio_t;

/** @brief The ratio num[i] / den[i] over the @p n pairs, skipping pairs where either value is NaN: mean and 95% CI
 *  half-width of the per-pair ratios (replstats_mean_ci95()), which is what pairing by replication measures; not
 *  the ratio of the means. A zero denominator gives REPLSTATS_RATIO_INF (non-zero numerator) or REPLSTATS_RATIO_NA
 *  (zero numerator); never a silent division by zero. */
replstats_ratio_t replstats_ratio(const double* num, const double* den, size_t n);

#endif
