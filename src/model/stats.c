/* stats: the run's metrics (docs/model.md, section 7) and per-host figures, computed from the WR records after the run.
 */
#include "model/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/sysdep.h>

/* The k-th smallest of v[0..n) (0-based), moving it to v[k] with smaller values before and larger after
 * (Hoare's selection: linear on average). */
static double select_kth(double* v, size_t n, size_t k)
{
  size_t lo = 0, hi = n - 1;
  while (lo < hi) {
    double pivot = v[lo + (hi - lo) / 2];
    size_t i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot)
        i++;
      while (v[j] > pivot)
        j--;
      if (i <= j) {
        double t = v[i];
        v[i]     = v[j];
        v[j]     = t;
        i++;
        if (j == 0)
          break;
        j--;
      }
    }
    if (k <= j)
      hi = j;
    else if (k >= i)
      lo = i;
    else
      break;
  }
  return v[k];
}

/* Exact quantiles without sorting, with the interpolation of GSL's gsl_stats_quantile_from_sorted_data: between
 * the order statistics floor(q (n-1)) and the next one. Each selection leaves smaller values before the one it finds
 * and larger ones after, so the next (larger) quantile is selected among the values above it only. */
void stats_quantiles(double* v, size_t n, const double* q, size_t m, double* out)
{
  size_t base = 0; /* v[base..n) holds the values at or above the order statistic found last */
  for (size_t j = 0; j < m; j++) {
    if (n == 0) {
      out[j] = NAN;
      continue;
    }
    xbt_assert(q[j] >= 0 && q[j] <= 1 && (j == 0 || q[j] >= q[j - 1]), "quantiles must be ascending in [0, 1]");
    double index = q[j] * (double)(n - 1);
    size_t lhs   = (size_t)index;
    double delta = index - (double)lhs;
    double a     = select_kth(v + base, n - base, lhs - base);
    base         = lhs;
    if (lhs + 1 >= n || delta == 0) {
      out[j] = a;
      continue;
    }
    double b = v[lhs + 1]; /* the smallest value above position lhs */
    for (size_t i = lhs + 2; i < n; i++)
      if (v[i] < b)
        b = v[i];
    out[j] = (1 - delta) * a + delta * b;
  }
}

double stats_quantile(double* v, size_t n, double q)
{
  double out;
  stats_quantiles(v, n, &q, 1, &out);
  return out;
}

static double mean_of(double sum, long n)
{
  return n > 0 ? sum / (double)n : NAN;
}

/* Length of [a, b] inside [lo, hi]. */
static double overlap(double a, double b, double lo, double hi)
{
  double s = a > lo ? a : lo;
  double e = b < hi ? b : hi;
  return e > s ? e - s : 0;
}

/* Sets [*start, *end]; returns 1 for the steady window (every consumer past its warm-up and still creating), 0 for
 * the fallback. */
static int steady_window(const_wrtable_t wrs, int nconsumers, double* start, double* end)
{
  size_t n             = wrtable_count(wrs);
  double* first_meas   = xbt_new(double, nconsumers);
  double* last_created = xbt_new(double, nconsumers);
  for (int c = 0; c < nconsumers; c++) {
    first_meas[c]   = INFINITY;
    last_created[c] = -INFINITY;
  }
  for (size_t i = 0; i < n; i++) {
    const wr_t* wr = wrtable_at(wrs, i);
    if (wr->measured && wr->t_created < first_meas[wr->consumer])
      first_meas[wr->consumer] = wr->t_created;
    if (wr->t_created > last_created[wr->consumer])
      last_created[wr->consumer] = wr->t_created;
  }
  double lo = -INFINITY, hi = INFINITY;
  for (int c = 0; c < nconsumers; c++) {
    if (first_meas[c] > lo)
      lo = first_meas[c];
    if (last_created[c] < hi)
      hi = last_created[c];
  }
  free(first_meas);
  free(last_created);
  if (isfinite(lo) && isfinite(hi) && hi > lo) {
    *start = lo;
    *end   = hi;
    return 1;
  }
  /* Fallback: from the first measured creation to the last measured delivery. */
  lo = INFINITY;
  hi = -INFINITY;
  for (size_t i = 0; i < n; i++) {
    const wr_t* wr = wrtable_at(wrs, i);
    if (!wr->measured)
      continue;
    if (wr->t_created < lo)
      lo = wr->t_created;
    if (wr->delivered && wr->t_delivered > hi)
      hi = wr->t_delivered;
  }
  *start = lo;
  *end   = hi;
  return 0;
}

/* The WRs the per-WR statistics describe: measured (past the warm-up) and, when there is a steady window, created
 * inside it. Without the second rule a run bounded by `requests` would also average the drain at its end, when
 * the consumers that finished first no longer load the NIC (a bias of a few percent on reject rates). */
static int in_sample(const wr_t* wr, int steady, double w0, double w1)
{
  return wr->measured && (!steady || (wr->t_created >= w0 && wr->t_created <= w1));
}

void stats_compute(const_wrtable_t wrs, int nconsumers, int nhosts, double sim_time_s, metrics_t* out,
                   host_metrics_t* hosts)
{
  memset(out, 0, sizeof *out);
  size_t n        = wrtable_count(wrs);
  out->sim_time_s = sim_time_s;
  out->wr_created = (long)n;

  double *issue = xbt_new(double, n + 1), *e2e = xbt_new(double, n + 1);
  size_t n_issue = 0, n_e2e = 0;
  double sum_issue = 0, sum_e2e = 0, sum_await = 0, sum_cpu = 0, sum_wait = 0;
  double sum_access = 0, sum_queue = 0, sum_net = 0, sum_deliv = 0;
  double sum_held_away = 0; /* time locks were held by descheduled vCPUs */
  long preempted       = 0; /* WRs whose lock holder was descheduled */
  long measured = 0, attempts = 0, drops = 0, replays = 0, delivered_meas = 0;

  double w0, w1;
  int steady               = steady_window(wrs, nconsumers, &w0, &w1);
  out->window_start_s      = w0;
  out->window_end_s        = w1;
  double span              = w1 - w0;
  long delivered_in_window = 0;
  double busy = 0, resident = 0;

  for (size_t i = 0; i < n; i++) {
    const wr_t* wr = wrtable_at(wrs, i);
    if (wr->delivered)
      out->wr_delivered++;
    if (wr->lost)
      out->wr_lost++;
    if (wr->delivered && wr->t_delivered >= w0 && wr->t_delivered <= w1)
      delivered_in_window++;
    if (wr->accepted && span > 0) {
      busy += overlap(wr->t_service_start, wr->t_service_end, w0, w1);
      resident += overlap(wr->t_accepted, wr->t_service_end, w0, w1);
    }
    if (!in_sample(wr, steady, w0, w1))
      continue;
    measured++;
    attempts += wr->attempts;
    drops += wr->attempts - (wr->accepted ? 1 : 0);
    replays += wr->attempts > 1 ? wr->attempts - 1 : 0;
    sum_await += wr->access_wait_s;
    sum_cpu += wr->cpu_s;
    preempted += wr->holder_preempted;
    sum_held_away += wr->lock_held_descheduled_s;
    if (wr->accepted) {
      double il        = wr->t_accepted - wr->t_created;
      issue[n_issue++] = il;
      sum_issue += il;
      sum_wait += wr->t_service_start - wr->t_accepted;
    }
    if (wr->delivered) {
      double l     = wr->t_delivered - wr->t_created;
      e2e[n_e2e++] = l;
      sum_e2e += l;
      delivered_meas++;
      sum_access += wr->t_accepted - wr->t_created;
      sum_queue += wr->t_service_end - wr->t_accepted;
      sum_net += wr->t_transfer_end - wr->t_service_end;
      sum_deliv += wr->t_delivered - wr->t_transfer_end;
    }
  }

  out->throughput_wr_s          = span > 0 ? (double)delivered_in_window / span : NAN;
  out->issue_latency_mean_s     = mean_of(sum_issue, (long)n_issue);
  static const double issue_q[] = {0.50, 0.99};
  static const double e2e_q[]   = {0.50, 0.99, 0.999};
  double issue_p[2];
  double e2e_p[3];
  stats_quantiles(issue, n_issue, issue_q, 2, issue_p);
  stats_quantiles(e2e, n_e2e, e2e_q, 3, e2e_p);
  out->issue_latency_p50_s       = issue_p[0];
  out->issue_latency_p99_s       = issue_p[1];
  out->e2e_latency_mean_s        = mean_of(sum_e2e, (long)n_e2e);
  out->e2e_latency_p50_s         = e2e_p[0];
  out->e2e_latency_p99_s         = e2e_p[1];
  out->e2e_latency_p999_s        = e2e_p[2];
  out->reject_rate               = attempts > 0 ? (double)drops / (double)attempts : NAN;
  out->replays_per_wr            = delivered_meas > 0 ? (double)replays / (double)delivered_meas : NAN;
  out->access_wait_mean_s        = mean_of(sum_await, measured);
  out->cpu_per_wr_s              = mean_of(sum_cpu, measured);
  out->lock_holder_preemptions   = (double)preempted;
  out->lock_held_descheduled_s   = sum_held_away;
  out->vcpu_descheduled_fraction = NAN;
  out->nic_wait_mean_s           = mean_of(sum_wait, (long)n_issue);
  out->nic_utilization           = span > 0 ? busy / span / nhosts : NAN;
  out->nic_occupancy_mean        = span > 0 ? resident / span / nhosts : NAN;
  out->e2e_access_s              = mean_of(sum_access, delivered_meas);
  out->e2e_nic_queue_s           = mean_of(sum_queue, delivered_meas);
  out->e2e_network_s             = mean_of(sum_net, delivered_meas);
  out->e2e_delivery_s            = mean_of(sum_deliv, delivered_meas);
  free(issue);
  free(e2e);

  if (hosts == NULL)
    return;
  /* Per host: group the measured WRs by source and by destination. */
  long* att         = xbt_new0(long, nhosts);
  long* drp         = xbt_new0(long, nhosts);
  double* bsy       = xbt_new0(double, nhosts);
  double** sent_lat = xbt_new0(double*, nhosts);
  double** recv_lat = xbt_new0(double*, nhosts);
  size_t* ns        = xbt_new0(size_t, nhosts);
  size_t* nr        = xbt_new0(size_t, nhosts);
  for (int h = 0; h < nhosts; h++)
    hosts[h] = (host_metrics_t){0};
  for (size_t i = 0; i < n; i++) { /* first pass: counts, to size the arrays */
    const wr_t* wr = wrtable_at(wrs, i);
    if (wr->accepted && span > 0)
      bsy[wr->src_host] += overlap(wr->t_service_start, wr->t_service_end, w0, w1);
    if (!in_sample(wr, steady, w0, w1))
      continue;
    hosts[wr->src_host].wr_sent++;
    att[wr->src_host] += wr->attempts;
    drp[wr->src_host] += wr->attempts - (wr->accepted ? 1 : 0);
    if (wr->delivered) {
      hosts[wr->dst_host].wr_received++;
      ns[wr->src_host]++;
      nr[wr->dst_host]++;
    }
  }
  for (int h = 0; h < nhosts; h++) {
    sent_lat[h] = xbt_new(double, ns[h] + 1);
    recv_lat[h] = xbt_new(double, nr[h] + 1);
    ns[h] = nr[h] = 0;
  }
  for (size_t i = 0; i < n; i++) {
    const wr_t* wr = wrtable_at(wrs, i);
    if (!in_sample(wr, steady, w0, w1) || !wr->delivered)
      continue;
    double l                                   = wr->t_delivered - wr->t_created;
    sent_lat[wr->src_host][ns[wr->src_host]++] = l;
    recv_lat[wr->dst_host][nr[wr->dst_host]++] = l;
  }
  for (int h = 0; h < nhosts; h++) {
    hosts[h].nic_utilization    = span > 0 ? bsy[h] / span : NAN;
    hosts[h].reject_rate        = att[h] > 0 ? (double)drp[h] / (double)att[h] : NAN;
    hosts[h].e2e_p99_sent_s     = stats_quantile(sent_lat[h], ns[h], 0.99);
    hosts[h].e2e_p99_received_s = stats_quantile(recv_lat[h], nr[h], 0.99);
    free(sent_lat[h]);
    free(recv_lat[h]);
  }
  free(att);
  free(drp);
  free(bsy);
  free(sent_lat);
  free(recv_lat);
  free(ns);
  free(nr);
}
