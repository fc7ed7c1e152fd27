/* samples: what the statistics keep of the run's WRs, in memory that does not grow without bound.
 *
 * While the WR records fit the scenario's budget (scenario.stats-memory) every record is kept and the statistics are
 * exact (stats_compute over the table). When the table would outgrow it, the run switches once to time bins: from
 * then on a WR that is settled (its completion or loss known, and nothing refers to it any more) is added to the bin
 * of its creation time (counts, sums, and logarithmic histograms of its latencies) and its record is reused. The bins
 * coarsen as the run goes on, so their memory is bounded too. What the binned statistics approximate, and by how
 * much, is in docs/model.md (section 7). */
#ifndef VNICSIM_SAMPLES_H
#define VNICSIM_SAMPLES_H

#include "model/stats.h"
#include "model/wrtable.h"

typedef struct s_samples s_samples_t;
typedef s_samples_t* samples_t;

/** Called with every WR of the run, once, when the statistics have it (a per-WR trace): in creation order at the end
 *  of an exact run; in binned mode when the WR is settled (the WRs settled before the switch first, in creation
 *  order). */
typedef void (*samples_trace_f)(void* data, const wr_t* wr);

/** @brief The samples of a run of @p nconsumers consumers on @p nhosts hosts whose WR records live in @p wrs, with
 *  @p budget_B bytes for exact records (0: bins from the start). @p trace may be NULL. */
samples_t samples_create(wrtable_t wrs, int nconsumers, int nhosts, double budget_B, samples_trace_f trace,
                         void* data);

/** @brief Free; NULL is a no-op. */
void samples_free(samples_t s);

/** @brief A WR was just created (its consumer, creation time and `measured` are set); switches to bins if the
 *  table has outgrown the budget. */
void samples_created(samples_t s, const wr_t* wr);

/** @brief @p wr is settled and nothing refers to it any more (its holds are released): kept (exact) or binned and
 *  its record reused. */
void samples_settled(samples_t s, wr_t* wr);

/** @brief Whether the statistics are exact (no switch to bins happened). */
int samples_exact(const s_samples_t* s);

/** @brief The run ended at @p sim_time_s: compute the metrics (and the per-host figures when @p hosts is not NULL),
 *  and pass the WRs still kept to the trace. */
void samples_finish(samples_t s, double sim_time_s, metrics_t* out, host_metrics_t* hosts);

/** Counts over every WR of the run (not only the measured ones), for the invariants (checks.csv). */
typedef struct samples_totals {
  long attempts;  /* writes of WRs that reached a NIC */
  long replays;   /* writes beyond each WR's first */
  long accepted;  /* WRs accepted */
  long transfers; /* WRs delivered through the network */
} samples_totals_t;

/** @brief The totals of the run (after samples_finish). */
samples_totals_t samples_totals(const s_samples_t* s);

/** @brief Bytes the binned statistics of a run on @p nhosts hosts can take at most (for memory estimates). */
double samples_binned_bytes(int nhosts);

#endif
