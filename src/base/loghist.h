/* loghist: a histogram of positive values in logarithmic buckets, for quantiles in bounded memory. */
#ifndef VNICSIM_LOGHIST_H
#define VNICSIM_LOGHIST_H

#include <stddef.h>

/* Buckets are LOGHIST_RATIO wide (each bound is the previous one times it) from LOGHIST_MIN up; values below
 * LOGHIST_MIN (zero included) share bucket 0. A quantile is reported as the geometric middle of its bucket, so it is
 * within sqrt(LOGHIST_RATIO) - 1 (0.5%) of some value of that bucket: the stated error of loghist_quantile(). */
#define LOGHIST_MIN 1e-12 /* seconds: below anything the model can produce but a zero */
#define LOGHIST_RATIO 1.01
#define LOGHIST_BUCKETS 4200 /* up to LOGHIST_MIN * 1.01^4199, about 1.3e6 s */

typedef struct loghist {
  unsigned long n;
  unsigned* count; /* LOGHIST_BUCKETS, allocated on the first value */
} loghist_t;

/** @brief Add @p v (negative values count as 0). */
void loghist_add(loghist_t* h, double v);

/** @brief Add every value of @p from to @p into. */
void loghist_merge(loghist_t* into, const loghist_t* from);

/** @brief The @p q quantile (0 <= q <= 1) by the rank rule of the exact statistics (linear interpolation between the
 *  order statistics around rank q (n - 1), each taken as the middle of its bucket); NAN when empty. */
double loghist_quantile(const loghist_t* h, double q);

/** @brief Release the buckets; the histogram is empty again. */
void loghist_clear(loghist_t* h);

/** @brief Bytes one non-empty histogram takes. */
size_t loghist_bytes(void);

#endif
