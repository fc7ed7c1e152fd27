/* test_stats: exact quantiles (selection agrees with GSL on sorted data) and the metrics of a hand-made WR table. */
#include <criterion/criterion.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "model/stats.h"
#include "model/wrtable.h"

Test(stats, quantile_matches_gsl_on_sorted_data)
{
  unsigned x = 12345;
  for (size_t n = 1; n < 300; n += 7) {
    double* v = malloc(n * sizeof(double));
    double* w = malloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++) {
      x    = x * 1103515245u + 12345u;
      v[i] = (double)((x >> 16) % 50); /* many ties */
    }
    const double qs[] = {0, 0.5, 0.99, 0.999, 1};
    for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
      for (size_t i = 0; i < n; i++)
        w[i] = v[i];
      double got = stats_quantile(w, n, qs[k]);
      for (size_t i = 0; i < n; i++)
        w[i] = v[i];
      gsl_sort(w, 1, n);
      double want = gsl_stats_quantile_from_sorted_data(w, 1, n, qs[k]);
      cr_expect(fabs(got - want) < 1e-12, "n=%zu q=%g: %g, GSL says %g", n, qs[k], got, want);
    }
    free(v);
    free(w);
  }
  cr_expect(isnan(stats_quantile(NULL, 0, 0.5)));
}

Test(stats, several_quantiles_at_once_match_gsl)
{
  unsigned x        = 777;
  const double qs[] = {0, 0.25, 0.5, 0.5, 0.9, 0.99, 0.999, 1};
  const size_t m    = sizeof qs / sizeof qs[0];
  for (size_t n = 1; n < 2000; n = n * 3 + 1) {
    double* v = malloc(n * sizeof(double));
    double* w = malloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++) {
      x    = x * 1103515245u + 12345u;
      v[i] = (i % 3 == 0) ? (double)((x >> 16) % 20) : (double)(x >> 8) * 1e-9; /* ties and spread values */
      w[i] = v[i];
    }
    double got[8];
    /* every prefix of the list, so that each quantile is also the first one selected */
    for (size_t from = 0; from < m; from++) {
      for (size_t i = 0; i < n; i++)
        v[i] = w[i];
      stats_quantiles(v, n, qs + from, m - from, got);
      double* sorted = malloc(n * sizeof(double));
      for (size_t i = 0; i < n; i++)
        sorted[i] = w[i];
      gsl_sort(sorted, 1, n);
      for (size_t k = from; k < m; k++) {
        double want = gsl_stats_quantile_from_sorted_data(sorted, 1, n, qs[k]);
        cr_expect_eq(got[k - from], want, "n=%zu q=%g: %.17g, GSL says %.17g", n, qs[k], got[k - from], want);
      }
      free(sorted);
    }
    free(v);
    free(w);
  }
  double none[2];
  const double two[] = {0.5, 0.99};
  stats_quantiles(NULL, 0, two, 2, none);
  cr_expect(isnan(none[0]) && isnan(none[1]));
}

/* One consumer, one host: 10 WRs created every microsecond, each accepted 250 ns later, served 200 ns, delivered
 * 500 ns after that; the first one is the warm-up. */
Test(stats, metrics_of_a_known_table)
{
  wrtable_t t = wrtable_create();
  for (int i = 0; i < 10; i++) {
    wr_t* w            = wrtable_add(t);
    w->consumer        = 0;
    w->seq             = i;
    w->measured        = i >= 1;
    w->attempts        = i == 5 ? 3 : 1; /* one WR was dropped twice */
    w->accepted        = 1;
    w->delivered       = 1;
    w->t_created       = i * 1e-6;
    w->t_accepted      = w->t_created + 250e-9;
    w->t_service_start = w->t_accepted;
    w->t_service_end   = w->t_service_start + 200e-9;
    w->t_transfer_end  = w->t_service_end;
    w->t_delivered     = w->t_transfer_end + 500e-9;
    w->cpu_s           = 50e-9 * w->attempts;
  }
  metrics_t m;
  host_metrics_t h;
  stats_compute(t, 1, 1, 10e-6, &m, &h);
  cr_expect_eq(m.wr_created, 10);
  cr_expect_eq(m.wr_delivered, 10);
  /* steady window: from the first measured creation (1 us) to the last creation (9 us): 8 deliveries in it */
  cr_expect_float_eq(m.window_start_s, 1e-6, 1e-15);
  cr_expect_float_eq(m.window_end_s, 9e-6, 1e-15);
  cr_expect_float_eq(m.throughput_wr_s, 8 / 8e-6, 1);
  cr_expect_float_eq(m.e2e_latency_mean_s, 950e-9, 1e-15);
  cr_expect_float_eq(m.e2e_latency_p99_s, 950e-9, 1e-15);
  cr_expect_float_eq(m.issue_latency_p50_s, 250e-9, 1e-15);
  cr_expect_float_eq(m.reject_rate, 2.0 / 11.0, 1e-12, "9 measured WRs, 11 writes, 2 dropped");
  cr_expect_float_eq(m.replays_per_wr, 2.0 / 9.0, 1e-12);
  cr_expect_float_eq(m.cpu_per_wr_s, 50e-9 * 11 / 9, 1e-15);
  cr_expect_float_eq(m.nic_utilization, 8 * 200e-9 / 8e-6, 1e-9, "busy 200 ns per microsecond");
  cr_expect_float_eq(m.e2e_access_s + m.e2e_nic_queue_s + m.e2e_network_s + m.e2e_delivery_s, m.e2e_latency_mean_s,
                     1e-15);
  cr_expect_eq(h.wr_sent, 9);
  cr_expect_float_eq(h.e2e_p99_received_s, 950e-9, 1e-15);
  wrtable_free(t);
}
