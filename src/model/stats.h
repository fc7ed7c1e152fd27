/* stats: the run's metrics (docs/model.md, section 7) and per-host figures, computed from the WR records after the run. */
#ifndef VNICSIM_STATS_H
#define VNICSIM_STATS_H

#include <stdio.h>

#include "model/wrtable.h"

/** One run's metrics. Latencies and times in seconds. */
typedef struct metrics {
  long wr_created;
  long wr_delivered;
  long wr_lost;
  double throughput_wr_s;
  double issue_latency_mean_s, issue_latency_p50_s, issue_latency_p99_s;
  double e2e_latency_mean_s, e2e_latency_p50_s, e2e_latency_p99_s, e2e_latency_p999_s;
  double reject_rate;
  double replays_per_wr;
  double access_wait_mean_s;
  double cpu_per_wr_s;
  double nic_utilization;
  double nic_wait_mean_s;
  double nic_occupancy_mean;
  double e2e_access_s, e2e_nic_queue_s, e2e_network_s, e2e_delivery_s;
  double vcpu_descheduled_fraction; /* NAN when no vCPU is time-sliced (set by the simulation) */
  double lock_holder_preemptions;   /* NAN where it does not apply (set by the simulation) */
  double lock_held_descheduled_s;
  double sim_time_s;
  long exact_stats; /* 1: every figure over the WR records; 0: from time bins and histograms (model/samples.h) */
  /* the interval over which rates and time averages are taken */
  double window_start_s, window_end_s;
} metrics_t;

/** Per physical host figures (hosts.csv). */
typedef struct host_metrics {
  long wr_sent;     /* measured WRs created by its consumers */
  long wr_received; /* measured WRs delivered to it */
  double nic_utilization;
  double reject_rate;
  double e2e_p99_sent_s;     /* p99 e2e latency of the WRs it sent */
  double e2e_p99_received_s; /* p99 e2e latency of the WRs it received */
} host_metrics_t;

/** @brief Compute the metrics of a finished run of @p nconsumers consumers on @p nhosts hosts that ended at
 *  @p sim_time_s, and, when @p hosts is not NULL, the per-host figures (array of @p nhosts).
 *
 *  The steady window is the interval in which every consumer is past its warm-up and still creating WRs: from the
 *  latest first-measured creation to the earliest last creation over consumers. Throughput and the NIC time
 *  averages are taken over it (WRs of any kind delivered in it are counted), and the per-WR statistics describe the
 *  measured WRs (not in the warm-up) created in it: issue latency over the accepted ones, e2e over the delivered
 *  ones; percentiles are exact (GSL's sample quantiles of the sorted values, linearly interpolated between order
 *  statistics). When that window is empty (a consumer creates too few WRs), it runs from the first measured
 *  creation to the last measured delivery instead, and every measured WR is described. */
void stats_compute(const_wrtable_t wrs, int nconsumers, int nhosts, double sim_time_s, metrics_t* out,
                   host_metrics_t* hosts);

/** @brief Exact quantile @p q of the @p n values in @p v (reordered in place), interpolated between order
 *  statistics as GSL's gsl_stats_quantile_from_sorted_data does; NAN when n == 0. Linear time on average. */
double stats_quantile(double* v, size_t n, double q);

/** @brief The @p m exact quantiles @p q (ascending, in [0, 1]) of the @p n values in @p v (reordered in place) into
 *  @p out, each as stats_quantile() gives it; NAN when n == 0. Linear time on average, without sorting. */
void stats_quantiles(double* v, size_t n, const double* q, size_t m, double* out);

#endif
