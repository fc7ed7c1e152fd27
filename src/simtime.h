/* simtime: how the model compares simulated times (one tolerance, shared with SimGrid's own timing precision). */
#ifndef VNICSIM_SIMTIME_H
#define VNICSIM_SIMTIME_H

/* Two instants closer than this are the same instant. The model's delays are nanoseconds and sums of them carry
 * rounding noise of about 1e-16 s per second of simulated time, so 0.1 ps separates noise from real differences
 * over any run shorter than hours. SimGrid is configured with the same value (surf/precision; its default, 1 ns,
 * would swallow sub-nanosecond differences such as 0.999999 ns between two nanosecond-scale sums). */
#define SIMTIME_EPSILON 1e-13
#define SIMTIME_EPSILON_CFG "--cfg=surf/precision:1e-13"

/** @brief Whether an event at @p t is due at @p now. */
static inline int simtime_due(double t, double now)
{
  return t <= now + SIMTIME_EPSILON;
}

#endif
