/* vn_stats: confidence intervals over replications for the tests that compare the simulator with theory. */
#ifndef VNICSIM_VN_STATS_H
#define VNICSIM_VN_STATS_H

#include <stddef.h>

/** A two-sided confidence interval for the mean of independent replications: mean +- half_width. */
typedef struct vn_ci {
  size_t n;          /* replications */
  double mean;       /* sample mean */
  double sd;         /* sample standard deviation (n - 1 in the denominator) */
  double t;          /* Student t quantile used */
  double half_width; /* t * sd / sqrt(n) */
  double level;      /* confidence level, 1 - alpha */
} vn_ci_t;

/** @brief The per-comparison error level that keeps the probability that any of @p comparisons true statements
 *  is rejected below @p family_alpha (Bonferroni: family_alpha / comparisons; valid whatever their dependence). */
double vn_bonferroni_alpha(double family_alpha, int comparisons);

/** @brief Student t confidence interval at level 1 - @p alpha for the mean of the @p n (>= 2) values @p x:
 *  mean +- t_{1-alpha/2, n-1} * s / sqrt(n). With @p sd_floor > 0, the standard deviation used is at least
 *  @p sd_floor (the spread the estimator has at least, when the sample is too sparse to show it). */
vn_ci_t vn_ci_student(const double* x, size_t n, double alpha, double sd_floor);

/** @brief Whether @p value lies in the interval @p ci (bounds included). */
int vn_ci_contains(const vn_ci_t* ci, double value);

#endif
