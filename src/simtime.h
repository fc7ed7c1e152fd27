/* simtime: how the model compares simulated times (one tolerance, SimGrid's own timing precision). */
#ifndef VNICSIM_SIMTIME_H
#define VNICSIM_SIMTIME_H

/* SimGrid's timing precision (surf/precision) as vnicsim sets it. The model's delays are nanoseconds and sums of them
 * carry rounding noise of about 1e-16 s per second of simulated time, so with flow-level network models 0.1 ps
 * separates noise from real differences (SimGrid's own default, 1 ns, would swallow sub-nanosecond differences such
 * as 0.999999 ns between two sums). ns-3 counts time in whole nanoseconds: asking it to advance by less stalls
 * SimGrid's ns-3 binding, so runs with ns-3 use 1 ns, and events closer than that are simultaneous. */
#define SIMTIME_PRECISION_FLOW 1e-13
#define SIMTIME_PRECISION_NS3 1e-9

/** @brief Take the tolerance from SimGrid's configuration (surf/precision, which the user may have set with --cfg).
 *  Call once the engine is initialised, before the simulation starts. */
void simtime_init(void);

/** @brief The tolerance in use: two instants closer than this are the same instant. */
double simtime_epsilon(void);

/** @brief Whether an event at @p t is due at @p now. */
int simtime_due(double t, double now);

#endif
