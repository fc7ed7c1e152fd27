/* estimate: how much memory one point will need, before it runs (for `vnicsim check` and `run` to refuse a point the
 * machine cannot hold, and for sizing cluster jobs). */
#ifndef VNICSIM_ESTIMATE_H
#define VNICSIM_ESTIMATE_H

#include "model/params.h"

/** The parts of a point's memory estimate, in bytes, and what it is made of. */
typedef struct estimate {
  double total_B;
  double base_B;    /* the process, SimGrid and the platform */
  double actors_B;  /* consumers, transport and other actors */
  double records_B; /* WR records kept for the statistics (up to scenario.stats-memory) and the bins beyond */
  double live_B;    /* WRs in flight or waiting in software queues, which are never released early */
  double wrs;       /* WRs the point creates (an estimate when the run is bounded by its duration) */
  long actors;
} estimate_t;

/** @brief Estimate the peak resident memory of a point of parameters @p p on @p nhosts selected hosts. The figures
 *  per actor and per record are calibrated on SimGrid 3.32 (docs/model.md, section 7.5); WRs waiting in software
 *  queues are estimated from the offered load against the NIC engine's capacity (an open loop that offers more than
 *  the engine serves accumulates the excess). */
estimate_t estimate_memory(const params_t* p, int nhosts);

/** A point's wall time, estimated before it runs, and what it is made of. */
typedef struct estimate_time {
  double total_s;
  double setup_s;      /* loading the platform, creating the actors, the statistics at the end */
  double loop_s;       /* the simulation loop: steps / steps_per_s */
  double steps;        /* simulation steps (an actor's blocking call, or a network transfer's end) */
  double steps_per_wr; /* 1 for a WR that stays on its host, more for one that crosses the network */
  double steps_per_s;  /* the pace of the loop, slower as more transfers share the network */
  double flows;        /* network transfers in flight at once, at most (0: every WR stays on its host) */
} estimate_time_t;

/** @brief Estimate the wall time of a point of parameters @p p on @p nhosts selected hosts on the machine where
 *  vnicsim was calibrated (docs/model.md, section 7.5): WRs x steps per WR / steps per second, plus the set-up. It
 *  ignores replays (an overloaded queue without back-off can cost many steps per WR) and time-slicing. */
estimate_time_t estimate_wall(const params_t* p, int nhosts);

#endif
