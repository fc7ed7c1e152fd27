/* samples: the run's WRs kept exactly within a memory budget, then in time bins (see samples.h).
 *
 * Binned mode keeps, per bin of creation time, what stats_compute() sums over the WRs of its sample (counts, sums,
 * and logarithmic histograms of the issue and end-to-end latencies), and per bin of time what it measures over the
 * steady window (deliveries, the engines' busy time, the WRs resident in the NICs). When the window is known, at the
 * end, the bins whose middle lies in it stand for it: the window is rounded to whole bins. Per host, the counts are
 * binned the same way; the p99 latencies come from one histogram per host over every measured WR (not only the
 * window's). There are SAMPLES_BINS bins; when the run outgrows them their width doubles and neighbours merge.
 */
#include "model/samples.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/log.h>
#include <xbt/sysdep.h>

#include "base/loghist.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnicsim_samples, vnicsim, "Statistics samples (exact or binned)");

#define SAMPLES_BINS 256
#define SAMPLES_FIRST_WIDTH 1e-6 /* seconds; doubled as often as the run needs */

typedef struct bin {
  long measured, attempts, drops, replays, n_issue, n_e2e, delivered_meas, preempted; /* sample, by creation time */
  double s_await, s_cpu, s_held, s_issue, s_wait, s_e2e, s_access, s_queue, s_net, s_deliv;
  loghist_t issue, e2e;
  long delivered;        /* by delivery time */
  double busy, resident; /* engine busy, WRs resident: time inside the bin, all hosts */
} bin_t;

typedef struct hbin {
  long sent, received, attempts, drops; /* by creation time */
  double busy;                          /* time inside the bin */
} hbin_t;

struct s_samples {
  wrtable_t wrs;
  int nconsumers, nhosts;
  double budget_B;
  samples_trace_f trace;
  void* data;
  int binned;
  double* first_meas;   /* per consumer: creation of its first measured WR */
  double* last_created; /* per consumer: its latest creation */
  /* binned mode */
  double first_meas_any, last_meas_delivery; /* for the fallback window */
  long created, delivered, lost;
  samples_totals_t totals;
  double width;
  bin_t bins[SAMPLES_BINS];
  hbin_t* hbins;                 /* nhosts x SAMPLES_BINS */
  loghist_t *sent_lat, *recv_lat; /* per host, every measured delivered WR */
};

samples_t samples_create(wrtable_t wrs, int nconsumers, int nhosts, double budget_B, samples_trace_f trace, void* data)
{
  samples_t s      = xbt_new0(s_samples_t, 1);
  s->wrs           = wrs;
  s->nconsumers    = nconsumers;
  s->nhosts        = nhosts;
  s->budget_B      = budget_B;
  s->trace         = trace;
  s->data          = data;
  s->first_meas    = xbt_new(double, nconsumers);
  s->last_created  = xbt_new(double, nconsumers);
  for (int c = 0; c < nconsumers; c++) {
    s->first_meas[c]   = INFINITY;
    s->last_created[c] = -INFINITY;
  }
  s->first_meas_any     = INFINITY;
  s->last_meas_delivery = -INFINITY;
  s->width              = SAMPLES_FIRST_WIDTH;
  return s;
}

void samples_free(samples_t s)
{
  if (s == NULL)
    return;
  for (int k = 0; k < SAMPLES_BINS; k++) {
    loghist_clear(&s->bins[k].issue);
    loghist_clear(&s->bins[k].e2e);
  }
  for (int h = 0; s->sent_lat != NULL && h < s->nhosts; h++) {
    loghist_clear(&s->sent_lat[h]);
    loghist_clear(&s->recv_lat[h]);
  }
  free(s->sent_lat);
  free(s->recv_lat);
  free(s->hbins);
  free(s->first_meas);
  free(s->last_created);
  free(s);
}

int samples_exact(const s_samples_t* s)
{
  return !s->binned;
}

double samples_binned_bytes(int nhosts)
{
  return SAMPLES_BINS * (sizeof(bin_t) + 2.0 * (double)loghist_bytes()) +
         (double)nhosts * (SAMPLES_BINS * sizeof(hbin_t) + 2.0 * (double)loghist_bytes());
}

/* ---- bins ---- */

static void merge_bin(bin_t* into, bin_t* from)
{
  into->measured += from->measured;
  into->attempts += from->attempts;
  into->drops += from->drops;
  into->replays += from->replays;
  into->n_issue += from->n_issue;
  into->n_e2e += from->n_e2e;
  into->delivered_meas += from->delivered_meas;
  into->preempted += from->preempted;
  into->s_await += from->s_await;
  into->s_cpu += from->s_cpu;
  into->s_held += from->s_held;
  into->s_issue += from->s_issue;
  into->s_wait += from->s_wait;
  into->s_e2e += from->s_e2e;
  into->s_access += from->s_access;
  into->s_queue += from->s_queue;
  into->s_net += from->s_net;
  into->s_deliv += from->s_deliv;
  loghist_merge(&into->issue, &from->issue);
  loghist_merge(&into->e2e, &from->e2e);
  into->delivered += from->delivered;
  into->busy += from->busy;
  into->resident += from->resident;
}

/* Double the bins' width: bin k takes old bins 2k and 2k+1. */
static void coarsen(samples_t s)
{
  for (int k = 0; k < SAMPLES_BINS / 2; k++) {
    bin_t merged = {0};
    merge_bin(&merged, &s->bins[2 * k]);
    merge_bin(&merged, &s->bins[2 * k + 1]);
    loghist_clear(&s->bins[2 * k].issue);
    loghist_clear(&s->bins[2 * k].e2e);
    loghist_clear(&s->bins[2 * k + 1].issue);
    loghist_clear(&s->bins[2 * k + 1].e2e);
    s->bins[k] = merged;
  }
  memset(&s->bins[SAMPLES_BINS / 2], 0, SAMPLES_BINS / 2 * sizeof(bin_t));
  for (int h = 0; h < s->nhosts; h++) {
    hbin_t* hb = &s->hbins[(size_t)h * SAMPLES_BINS];
    for (int k = 0; k < SAMPLES_BINS / 2; k++) {
      hbin_t m = {hb[2 * k].sent + hb[2 * k + 1].sent, hb[2 * k].received + hb[2 * k + 1].received,
                  hb[2 * k].attempts + hb[2 * k + 1].attempts, hb[2 * k].drops + hb[2 * k + 1].drops,
                  hb[2 * k].busy + hb[2 * k + 1].busy};
      hb[k]    = m;
    }
    memset(&hb[SAMPLES_BINS / 2], 0, SAMPLES_BINS / 2 * sizeof(hbin_t));
  }
  s->width *= 2;
}

/* The bin of time t, after coarsening as needed. */
static int bin_of(samples_t s, double t)
{
  if (!(t >= 0))
    t = 0;
  while (t >= SAMPLES_BINS * s->width)
    coarsen(s);
  int k = (int)floor(t / s->width);
  return k < SAMPLES_BINS ? k : SAMPLES_BINS - 1;
}

/* Spread the interval [a, b] over the bins: add its time inside each to *field of that bin (of `bins` or, for a host,
 * of its hbins when h >= 0). */
static void add_interval(samples_t s, double a, double b, int which, int h)
{
  if (!(b > a))
    return;
  bin_of(s, b); /* coarsen first, so that the bins of a and b are of the same width */
  for (int k = bin_of(s, a); k < SAMPLES_BINS; k++) {
    double lo = k * s->width, hi = (k + 1) * s->width;
    double in = (b < hi ? b : hi) - (a > lo ? a : lo);
    if (in > 0) {
      if (h >= 0)
        s->hbins[(size_t)h * SAMPLES_BINS + k].busy += in;
      else if (which == 0)
        s->bins[k].busy += in;
      else
        s->bins[k].resident += in;
    }
    if (b <= hi)
      break;
  }
}

/* One settled WR into the bins (the same sums as stats_compute() makes over its sample). */
static void add(samples_t s, const wr_t* wr)
{
  s->created++;
  s->totals.attempts += wr->attempts;
  s->totals.replays += wr->attempts > 1 ? wr->attempts - 1 : 0;
  s->totals.accepted += wr->accepted;
  s->totals.transfers += wr->delivered && wr->dst_host != wr->src_host;
  s->delivered += wr->delivered;
  s->lost += wr->lost;
  if (wr->delivered)
    s->bins[bin_of(s, wr->t_delivered)].delivered++;
  if (wr->accepted) {
    add_interval(s, wr->t_service_start, wr->t_service_end, 0, -1);
    add_interval(s, wr->t_accepted, wr->t_service_end, 1, -1);
    add_interval(s, wr->t_service_start, wr->t_service_end, 0, wr->src_host);
  }
  if (!wr->measured)
    return;
  if (wr->t_created < s->first_meas_any)
    s->first_meas_any = wr->t_created;
  if (wr->delivered && wr->t_delivered > s->last_meas_delivery)
    s->last_meas_delivery = wr->t_delivered;
  int k   = bin_of(s, wr->t_created);
  bin_t* b = &s->bins[k];
  hbin_t* hs = &s->hbins[(size_t)wr->src_host * SAMPLES_BINS + k];
  b->measured++;
  b->attempts += wr->attempts;
  b->drops += wr->attempts - (wr->accepted ? 1 : 0);
  b->replays += wr->attempts > 1 ? wr->attempts - 1 : 0;
  b->s_await += wr->access_wait_s;
  b->s_cpu += wr->cpu_s;
  b->preempted += wr->holder_preempted;
  b->s_held += wr->lock_held_descheduled_s;
  hs->sent++;
  hs->attempts += wr->attempts;
  hs->drops += wr->attempts - (wr->accepted ? 1 : 0);
  if (wr->accepted) {
    double il = wr->t_accepted - wr->t_created;
    loghist_add(&b->issue, il);
    b->n_issue++;
    b->s_issue += il;
    b->s_wait += wr->t_service_start - wr->t_accepted;
  }
  if (wr->delivered) {
    double l = wr->t_delivered - wr->t_created;
    loghist_add(&b->e2e, l);
    b->n_e2e++;
    b->s_e2e += l;
    b->delivered_meas++;
    b->s_access += wr->t_accepted - wr->t_created;
    b->s_queue += wr->t_service_end - wr->t_accepted;
    b->s_net += wr->t_transfer_end - wr->t_service_end;
    b->s_deliv += wr->t_delivered - wr->t_transfer_end;
    s->hbins[(size_t)wr->dst_host * SAMPLES_BINS + k].received++;
    loghist_add(&s->sent_lat[wr->src_host], l);
    loghist_add(&s->recv_lat[wr->dst_host], l);
  }
}

/* The table has outgrown the budget: bin every WR already settled, and bin the others when they settle. */
static void switch_to_bins(samples_t s)
{
  XBT_INFO("%zu WR records exceed scenario.stats-memory (%.0f bytes): statistics from here on come from time bins "
           "and histograms",
           wrtable_count(s->wrs), s->budget_B);
  s->binned   = 1;
  s->hbins    = xbt_new0(hbin_t, (size_t)s->nhosts * SAMPLES_BINS);
  s->sent_lat = xbt_new0(loghist_t, s->nhosts);
  s->recv_lat = xbt_new0(loghist_t, s->nhosts);
  size_t n    = wrtable_count(s->wrs);
  for (size_t i = 0; i < n; i++) {
    wr_t* wr = wrtable_at(s->wrs, i);
    if (wr->holds == 0)
      samples_settled(s, wr);
  }
}

void samples_created(samples_t s, const wr_t* wr)
{
  if (wr->measured && wr->t_created < s->first_meas[wr->consumer])
    s->first_meas[wr->consumer] = wr->t_created;
  if (wr->t_created > s->last_created[wr->consumer])
    s->last_created[wr->consumer] = wr->t_created;
  if (!s->binned && (double)wrtable_count(s->wrs) * (double)sizeof(wr_t) > s->budget_B)
    switch_to_bins(s);
}

void samples_settled(samples_t s, wr_t* wr)
{
  xbt_assert(wr->holds == 0, "WR %ld settled while still held", wr->id);
  if (!s->binned)
    return; /* kept: the statistics are computed over the whole table at the end */
  add(s, wr);
  if (s->trace)
    s->trace(s->data, wr);
  wrtable_release(s->wrs, wr);
}

/* ---- the end ---- */

static double mean_of(double sum, long n)
{
  return n > 0 ? sum / (double)n : NAN;
}

/* The window, as stats_compute() defines it, from what was tracked. Returns 1 for the steady window. */
static int window(const s_samples_t* s, double* lo, double* hi)
{
  double a = -INFINITY, b = INFINITY;
  for (int c = 0; c < s->nconsumers; c++) {
    if (s->first_meas[c] > a)
      a = s->first_meas[c];
    if (s->last_created[c] < b)
      b = s->last_created[c];
  }
  if (isfinite(a) && isfinite(b) && b > a) {
    *lo = a;
    *hi = b;
    return 1;
  }
  *lo = s->first_meas_any;
  *hi = s->last_meas_delivery;
  return 0;
}

static void finish_binned(samples_t s, double sim_time_s, metrics_t* out, host_metrics_t* hosts)
{
  memset(out, 0, sizeof *out);
  out->sim_time_s   = sim_time_s;
  out->wr_created   = s->created;
  out->wr_delivered = s->delivered;
  out->wr_lost      = s->lost;
  double lo, hi;
  window(s, &lo, &hi);
  out->window_start_s = lo;
  out->window_end_s   = hi;
  /* The bins standing for the window: those whose middle lies in it (or, for a window narrower than a bin, those it
   * touches). */
  char in[SAMPLES_BINS];
  int nin = 0;
  for (int k = 0; k < SAMPLES_BINS; k++) {
    double mid = (k + 0.5) * s->width;
    in[k]      = mid >= lo && mid <= hi;
    nin += in[k];
  }
  if (nin == 0)
    for (int k = 0; k < SAMPLES_BINS; k++) {
      in[k] = (k + 1) * s->width > lo && k * s->width <= hi;
      nin += in[k];
    }
  double span = nin * s->width;
  bin_t all   = {0};
  for (int k = 0; k < SAMPLES_BINS; k++)
    if (in[k])
      merge_bin(&all, &s->bins[k]);
  out->throughput_wr_s           = span > 0 ? (double)all.delivered / span : NAN;
  out->issue_latency_mean_s      = mean_of(all.s_issue, all.n_issue);
  out->issue_latency_p50_s       = loghist_quantile(&all.issue, 0.50);
  out->issue_latency_p99_s       = loghist_quantile(&all.issue, 0.99);
  out->e2e_latency_mean_s        = mean_of(all.s_e2e, all.n_e2e);
  out->e2e_latency_p50_s         = loghist_quantile(&all.e2e, 0.50);
  out->e2e_latency_p99_s         = loghist_quantile(&all.e2e, 0.99);
  out->e2e_latency_p999_s        = loghist_quantile(&all.e2e, 0.999);
  out->reject_rate               = all.attempts > 0 ? (double)all.drops / (double)all.attempts : NAN;
  out->replays_per_wr            = all.delivered_meas > 0 ? (double)all.replays / (double)all.delivered_meas : NAN;
  out->access_wait_mean_s        = mean_of(all.s_await, all.measured);
  out->cpu_per_wr_s              = mean_of(all.s_cpu, all.measured);
  out->lock_holder_preemptions   = (double)all.preempted;
  out->lock_held_descheduled_s   = all.s_held;
  out->vcpu_descheduled_fraction = NAN;
  out->nic_wait_mean_s           = mean_of(all.s_wait, all.n_issue);
  out->nic_utilization           = span > 0 ? all.busy / span / s->nhosts : NAN;
  out->nic_occupancy_mean        = span > 0 ? all.resident / span / s->nhosts : NAN;
  out->e2e_access_s              = mean_of(all.s_access, all.delivered_meas);
  out->e2e_nic_queue_s           = mean_of(all.s_queue, all.delivered_meas);
  out->e2e_network_s             = mean_of(all.s_net, all.delivered_meas);
  out->e2e_delivery_s            = mean_of(all.s_deliv, all.delivered_meas);
  out->exact_stats               = 0;
  loghist_clear(&all.issue);
  loghist_clear(&all.e2e);
  if (hosts == NULL)
    return;
  for (int h = 0; h < s->nhosts; h++) {
    hbin_t t = {0};
    for (int k = 0; k < SAMPLES_BINS; k++)
      if (in[k]) {
        const hbin_t* hb = &s->hbins[(size_t)h * SAMPLES_BINS + k];
        t.sent += hb->sent;
        t.received += hb->received;
        t.attempts += hb->attempts;
        t.drops += hb->drops;
        t.busy += hb->busy;
      }
    hosts[h] = (host_metrics_t){
        .wr_sent            = t.sent,
        .wr_received        = t.received,
        .nic_utilization    = span > 0 ? t.busy / span : NAN,
        .reject_rate        = t.attempts > 0 ? (double)t.drops / (double)t.attempts : NAN,
        .e2e_p99_sent_s     = loghist_quantile(&s->sent_lat[h], 0.99),
        .e2e_p99_received_s = loghist_quantile(&s->recv_lat[h], 0.99),
    };
  }
}

void samples_finish(samples_t s, double sim_time_s, metrics_t* out, host_metrics_t* hosts)
{
  if (s->binned) {
    finish_binned(s, sim_time_s, out, hosts);
    return;
  }
  stats_compute(s->wrs, s->nconsumers, s->nhosts, sim_time_s, out, hosts);
  out->exact_stats = 1;
  if (s->trace == NULL)
    return;
  size_t n = wrtable_count(s->wrs);
  for (size_t i = 0; i < n; i++)
    s->trace(s->data, wrtable_at(s->wrs, i));
}

samples_totals_t samples_totals(const s_samples_t* s)
{
  if (s->binned)
    return s->totals;
  samples_totals_t t = {0};
  size_t n           = wrtable_count(s->wrs);
  for (size_t i = 0; i < n; i++) {
    const wr_t* wr = wrtable_at(s->wrs, i);
    t.attempts += wr->attempts;
    t.replays += wr->attempts > 1 ? wr->attempts - 1 : 0;
    t.transfers += wr->delivered && wr->dst_host != wr->src_host;
    t.accepted += wr->accepted;
  }
  return t;
}
