/* simtime: how the model compares and schedules simulated times (one tolerance, and ns-3's 1 ns grid). */
#ifndef VNICSIM_SIMTIME_H
#define VNICSIM_SIMTIME_H

/* SimGrid's timing precision (surf/precision) as vnicsim sets it. The model's delays are nanoseconds and sums of them
 * carry rounding noise of about 1e-16 s per second of simulated time, so 0.1 ps separates noise from real
 * differences; SimGrid's own default, 1 ns, would swallow sub-nanosecond differences such as 0.999999 ns between two
 * sums. */
#define SIMTIME_PRECISION 1e-13

/* ns-3 counts time in whole nanoseconds, and SimGrid's ns-3 binding stalls when asked to advance ns-3 by less than
 * one. Under ns-3 every wait of the model's actors therefore ends on the 1 ns grid (a wake-up is delayed by less than
 * 1 ns), so every instant SimGrid hands to ns-3 is a whole number of nanoseconds. */
#define SIMTIME_NS3_GRID 1e-9

/** @brief Read the tolerance from SimGrid's configuration (surf/precision: vnicsim sets it, run refuses it in --cfg) and
 *  set the grid waits end on (@p grid seconds; 0: none). Call once the engine is initialised. */
void simtime_init(double grid);

/** @brief The tolerance in use: two instants closer than this are the same instant. */
double simtime_epsilon(void);

/** @brief Whether an event at @p t is due at @p now. */
int simtime_due(double t, double now);

/** @brief The instant a wait meant to end at @p t actually ends: @p t, or the next point of the grid. */
double simtime_align(double t);

#endif
