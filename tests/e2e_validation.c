/* e2e_validation: the NIC against queueing theory (M/M/1/K, M/D/1, Little's law) and the lock baseline against its
 * saturation throughput, with tolerances taken from confidence intervals over replications. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vn_stats.h"
#include "vn_test.h"

/* ---- The queueing set-up ------------------------------------------------------------------------------------------
 *
 * One host, CONSUMERS open-loop Poisson consumers, pattern="local", on-reject="drop". With issue-cost="0s" a consumer's
 * core is never busy, so no software queue forms and every WR reaches the NIC exactly pio-write after its creation:
 * the NIC sees the superposition of the consumers' Poisson streams shifted by a constant, which is a Poisson stream
 * of rate CONSUMERS * rate. Under on-reject="drop" a rejected WR is lost and sets no retry flag, so every arrival is
 * a fresh, independent one (with "replay", drops would come back as replays and set flags that drop more). The
 * engine holds a WR for service-time + size / dma-bandwidth, exponentially distributed with that mean for M/M/1/K,
 * fixed for M/D/1. The queue capacity K is queue-depth (the WR in service included), exactly the K of M/M/1/K. */
#define CONSUMERS 8
#define SERVICE_TIME_S 196e-9
#define SIZE_B 64.0
#define DMA_BW_BPS 16e9
/* 196 ns + 64 B / 16 GBps = 200 ns per WR: mu = 5 M WR/s. */
#define SERVICE_MEAN_S (SERVICE_TIME_S + SIZE_B / DMA_BW_BPS)
#define PIO_WRITE_S 200e-9
#define WARMUP 0.1
/* Runs are bounded by duration, not by a count of requests: every consumer keeps creating WRs until the end, so
 * every measured WR (created after WARMUP * duration) arrives while the load is the stationary one. */

/* Independent replications per configuration (seed, seed + 1, ...). At the level below the t quantile is 4.62 with
 * 19 degrees of freedom, against 6.07 with 9 and 3.74 for the normal: 20 short runs buy a tighter interval than 10
 * runs twice as long, and a run costs only ~20 ms of set-up. */
#define REPLICATIONS 20

/* Confidence level. The file makes COMPARISONS statistical comparisons (16 M/M/1/K configurations x {reject
 * probability, mean number, Little's law} and 3 M/D/1 configurations x {mean wait, Little's law}). Each uses the
 * level 1 - FAMILY_ALPHA / COMPARISONS (Bonferroni), so that with a correct simulator the chance that any of them
 * fails, for any choice of seed, is at most FAMILY_ALPHA = 1%: about 99.98% per comparison. */
#define FAMILY_ALPHA 0.01
#define COMPARISONS (16 * 3 + 3 * 2)

static double comparison_alpha(void)
{
  return vn_bonferroni_alpha(FAMILY_ALPHA, COMPARISONS);
}

/* One load point of a queueing test: the offered load and the run length, in mean service times (the simulated
 * duration is services * SERVICE_MEAN_S). Lengths are chosen per point from the spread of the estimates, longer where
 * the queue is slow to forget (rho near 1 with a large K), so that every tolerance stays a few percent at most. */
typedef struct load_point {
  double rho;
  double services;
} load_point_t;

/* What one configuration produced, per replication. */
typedef struct qrun {
  size_t n;
  double* reject;    /* reject_rate: drops / NIC arrivals over the measured WRs */
  double* occupancy; /* nic_occupancy_mean: time average of accepted-not-finished WRs over the steady window */
  double* wait;      /* nic_wait_mean_s: mean time from acceptance to start of service */
  double* little;    /* (L - X W) / L, see little_discrepancy() */
  double arrivals;   /* mean number of measured NIC arrivals per replication */
} qrun_t;

static void qrun_free(qrun_t* q)
{
  free(q->reject);
  free(q->occupancy);
  free(q->wait);
  free(q->little);
}

/* Run one queueing scenario: one <case> per load point, each with its own rate and duration, REPLICATIONS each.
 * Returns the results and checks tables (the caller frees them). */
static void run_queueing(const char* name, const char* service_dist, long depth, const load_point_t* pts, size_t npts,
                         csv_t* res, csv_t* chk)
{
  char* dir  = vn_scratch(name);
  size_t cap = 4096 + 512 * npts;
  char* body = malloc(cap);
  int w;
  w = snprintf(body, cap,
               "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
               "  <nic issue-cost=\"0s\" pio-write=\"200ns\" service-time=\"196ns\" service-dist=\"%s\" "
               "dma-bandwidth=\"16GBps\" queue-depth=\"%ld\"/>\n"
               "  <access mode=\"speculative\" on-reject=\"drop\"/>\n"
               "  <consumers cores-per-host=\"%d\"/>\n"
               "  <workload arrival=\"poisson\" rate=\"1M/s\" duration=\"1ms\" size=\"64B\" pattern=\"local\" "
               "warmup=\"%g\"/>\n"
               "  <sweep name=\"load\">\n",
               service_dist, depth, CONSUMERS, WARMUP);
  for (size_t i = 0; i < npts; i++) {
    /* rate per consumer = rho * mu / CONSUMERS; the duration in whole nanoseconds */
    double rate = pts[i].rho / (CONSUMERS * SERVICE_MEAN_S);
    w += snprintf(body + w, cap - (size_t)w,
                  "    <case label=\"rho%g\"><set param=\"workload.rate\" value=\"%.9g/s\"/>"
                  "<set param=\"workload.duration\" value=\"%.0fns\"/></case>\n",
                  pts[i].rho, rate, pts[i].services * SERVICE_MEAN_S * 1e9);
  }
  snprintf(body + w, cap - (size_t)w, "  </sweep>\n");
  char attrs[128];
  snprintf(attrs, sizeof attrs, "name=\"%s\" seed=\"1\" replications=\"%d\"", name, REPLICATIONS);
  char* sc  = vn_scenario(dir, "s.xml", attrs, body);
  char* err = NULL;
  int rc    = vn_run(NULL, &err, "run '%s' -o '%s/out' -j2", sc, dir);
  cr_assert_eq(rc, 0, "vnicsim run failed (%d): %s", rc, err);
  char out[4096];
  snprintf(out, sizeof out, "%s/out", dir);
  *res = vn_results(out);
  *chk = vn_table(out, "checks.csv");
  cr_assert_eq(csv_row_count(*res), npts * REPLICATIONS);
  cr_assert_eq(csv_row_count(*chk), npts * REPLICATIONS);
  free(body);
  free(sc);
  free(err);
  free(dir);
}

/* Little's law, L = X W, per replication as the relative discrepancy (L - X W) / L, with
 *   L = nic_occupancy_mean, the time-averaged number of WRs in the NIC over the steady window;
 *   X = throughput_wr_s, the rate of deliveries in that window: every accepted WR is looped back and delivered a
 *       constant dma-latency after its service ends, so this is the rate at which accepted WRs leave the NIC, equal
 *       to the accepted rate in the steady state (rejected WRs never enter);
 *   W = e2e_nic_queue_s, the mean of (end of service - acceptance) over the measured WRs: the sojourn in the NIC.
 * The three are estimated over slightly different sets of WRs (the window versus the measured WRs), so on one run
 * they differ by boundary terms of the order of one sojourn per WR cut by the window edges; those average out over
 * replications, and the test is that the confidence interval of the mean discrepancy contains 0. What does not
 * average out is of order 1 / N for runs of N WRs (seen at M/D/1, rho = 0.9: +5e-5, under a half-width of 1e-4);
 * the interval shrinks as 1 / sqrt(N), so longer runs keep it negligible, while many more replications of the
 * same length would not. */
static double little_discrepancy(const_csv_t res, size_t r)
{
  double L = vn_num(res, r, "nic_occupancy_mean");
  double X = vn_num(res, r, "throughput_wr_s");
  double W = vn_num(res, r, "e2e_nic_queue_s");
  return (L - X * W) / L;
}

/* Collect the replications of load point @p label, and check what must hold exactly on every run of a validation
 * configuration: every run finished, the queue never held more than its capacity, and under on-reject="drop" a
 * rejection is a loss and nothing else (no replay, no retry flag to clear). */
static qrun_t collect(const_csv_t res, const_csv_t chk, const char* label, long depth)
{
  qrun_t q    = {0};
  q.reject    = calloc(REPLICATIONS, sizeof(double));
  q.occupancy = calloc(REPLICATIONS, sizeof(double));
  q.wait      = calloc(REPLICATIONS, sizeof(double));
  q.little    = calloc(REPLICATIONS, sizeof(double));
  for (size_t r = 0; r < csv_row_count(res); r++) {
    if (strcmp(vn_text(res, r, "load"), label) != 0)
      continue;
    cr_assert_lt(q.n, REPLICATIONS, "%s: more rows than replications", label);
    cr_assert_str_eq(vn_text(res, r, "status"), "ok", "%s replication %zu: %s", label, q.n, vn_text(res, r, "reason"));
    cr_assert_str_eq(vn_text(chk, r, "point"), vn_text(res, r, "point"));
    double created = vn_num(res, r, "wr_created"), lost = vn_num(res, r, "wr_lost");
    cr_expect_eq(vn_num(res, r, "wr_delivered") + lost, created, "%s: created = delivered + lost", label);
    cr_expect_eq(vn_num(chk, r, "nic_drops"), lost, "%s: every drop is a loss", label);
    cr_expect_eq(vn_num(chk, r, "wr_replays"), 0, "%s: on-reject=\"drop\" replays nothing", label);
    cr_expect_eq(vn_num(chk, r, "flag_clears"), 0, "%s: on-reject=\"drop\" sets no retry flag", label);
    cr_expect_leq(vn_num(chk, r, "max_occupancy"), depth, "%s: the queue holds at most K", label);
    q.reject[q.n]    = vn_num(res, r, "reject_rate");
    q.occupancy[q.n] = vn_num(res, r, "nic_occupancy_mean");
    q.wait[q.n]      = vn_num(res, r, "nic_wait_mean_s");
    q.little[q.n]    = little_discrepancy(res, r);
    /* Measured arrivals: in drop mode every WR reaches the NIC once; the measured ones are those created after
     * the warm-up fraction of the duration, about (1 - WARMUP) of them (only used to scale a floor, below). */
    q.arrivals += (1 - WARMUP) * created / REPLICATIONS;
    q.n++;
  }
  cr_assert_eq(q.n, REPLICATIONS, "%s: %zu replications found", label, q.n);
  return q;
}

/* Compare the interval @p ci with @p theory; print the comparison, and fail the test when theory is outside. */
static void compare(const char* what, const vn_ci_t* ci, double theory)
{
  double off = ci->half_width > 0 ? fabs(ci->mean - theory) / ci->half_width : INFINITY;
  fprintf(stderr, "validation: %-34s estimate %-12.6g +- %-10.3g theory %-12.6g (%.2f half-widths)\n", what, ci->mean,
          ci->half_width, theory, off);
  cr_expect(vn_ci_contains(ci, theory),
            "%s: estimate %.6g, %.4f%% confidence interval [%.6g, %.6g] (Student t = %.3f, %zu replications, "
            "sd %.3g) does not contain the theory %.6g (off by %.2f half-widths)",
            what, ci->mean, 100 * ci->level, ci->mean - ci->half_width, ci->mean + ci->half_width, ci->t, ci->n, ci->sd,
            theory, off);
}

/* ---- M/M/1/K ------------------------------------------------------------------------------------------------------
 *
 * Poisson arrivals at rate lambda, exponential service at rate mu, room for K WRs (the one in service included),
 * rho = lambda / mu. The number in the NIC is a birth-death chain on 0..K whose stationary law is truncated
 * geometric: pi_n = rho^n (1 - rho) / (1 - rho^(K+1)), and uniform, pi_n = 1 / (K + 1), at rho = 1. Arrivals are
 * Poisson, so they see that law (PASTA): an arrival is rejected with probability pi_K. */
static double mm1k_reject(int K, double rho)
{
  if (fabs(rho - 1) < 1e-9)
    return 1.0 / (K + 1);
  return (1 - rho) * pow(rho, K) / (1 - pow(rho, K + 1));
}

/* Mean number in the NIC, sum of n pi_n = rho / (1 - rho) - (K + 1) rho^(K+1) / (1 - rho^(K+1)); K / 2 at rho = 1. */
static double mm1k_mean_number(int K, double rho)
{
  if (fabs(rho - 1) < 1e-9)
    return K / 2.0;
  return rho / (1 - rho) - (K + 1) * pow(rho, K + 1) / (1 - pow(rho, K + 1));
}

/* The loads of the issue, rho in {0.5, 0.9, 1, 1.5}. */
static void check_mm1k(int K, const load_point_t pts[4])
{
  char name[32];
  snprintf(name, sizeof name, "validation-mm1k-%d", K);
  csv_t res, chk;
  run_queueing(name, "exponential", K, pts, 4, &res, &chk);
  double alpha = comparison_alpha();
  for (int i = 0; i < 4; i++) {
    char label[32], what[96];
    snprintf(label, sizeof label, "rho%g", pts[i].rho);
    qrun_t q = collect(res, chk, label, K);

    /* Reject probability. Rejections come in bursts (while the queue is full), so the replications' own spread is
     * the right one; but where the theory expects only a handful of rejections per run the sample cannot show its
     * spread (at K = 64, rho = 0.5, pi_K = 3e-20: every run sees none). The standard deviation used is therefore at
     * least the binomial one, sqrt(p (1 - p) / n), that independent rejections with the theoretical probability p
     * among n measured arrivals would give: bursts only make the true spread larger. */
    double p   = mm1k_reject(K, pts[i].rho);
    vn_ci_t ci = vn_ci_student(q.reject, q.n, alpha, sqrt(p * (1 - p) / q.arrivals));
    snprintf(what, sizeof what, "M/M/1/%d rho=%g reject probability", K, pts[i].rho);
    compare(what, &ci, p);

    ci = vn_ci_student(q.occupancy, q.n, alpha, 0);
    snprintf(what, sizeof what, "M/M/1/%d rho=%g mean number", K, pts[i].rho);
    compare(what, &ci, mm1k_mean_number(K, pts[i].rho));

    ci = vn_ci_student(q.little, q.n, alpha, 0);
    snprintf(what, sizeof what, "M/M/1/%d rho=%g Little (L-XW)/L", K, pts[i].rho);
    compare(what, &ci, 0);
    qrun_free(&q);
  }
  csv_free(res);
  csv_free(chk);
}

/* Run lengths, in mean service times (the warm-up included). A queue of capacity K at rho near 1 forgets its state
 * in about K^2 service times, so its time averages need the longest runs; at rho = 1.5 the queue is almost always
 * full and a short run pins every figure down. */
Test(validation, mm1k_K1, .timeout = 300)
{
  const load_point_t pts[4] = {{0.5, 2e4}, {0.9, 2e4}, {1.0, 2e4}, {1.5, 2e4}};
  check_mm1k(1, pts);
}

Test(validation, mm1k_K4, .timeout = 300)
{
  /* at rho = 0.5 one arrival in 31 is rejected: the longer run is for the reject probability */
  const load_point_t pts[4] = {{0.5, 8e4}, {0.9, 3e4}, {1.0, 3e4}, {1.5, 2e4}};
  check_mm1k(4, pts);
}

Test(validation, mm1k_K16, .timeout = 300)
{
  const load_point_t pts[4] = {{0.5, 5e4}, {0.9, 1e5}, {1.0, 1e5}, {1.5, 2e4}};
  check_mm1k(16, pts);
}

Test(validation, mm1k_K64, .timeout = 300)
{
  const load_point_t pts[4] = {{0.5, 5e4}, {0.9, 2e5}, {1.0, 2e5}, {1.5, 2e4}};
  check_mm1k(64, pts);
}

/* ---- M/D/1 --------------------------------------------------------------------------------------------------------
 *
 * Poisson arrivals, fixed service time 1 / mu, unbounded queue. Pollaczek-Khinchine gives the mean wait before
 * service, Wq = lambda E[S^2] / (2 (1 - rho)); with E[S^2] = 1 / mu^2 that is rho / (2 mu (1 - rho)). */
static double md1_wait(double rho)
{
  return rho / (2 * (1 - rho)) * SERVICE_MEAN_S;
}

Test(validation, md1_wait, .timeout = 300)
{
  /* A depth no run comes near (checked below: no drop, and the highest occupancy far from it) makes the queue
   * unbounded for all purposes. */
  const long depth          = 100000;
  const load_point_t pts[3] = {{0.3, 2e5}, {0.6, 1e5}, {0.9, 2e5}};
  csv_t res, chk;
  run_queueing("validation-md1", "fixed", depth, pts, 3, &res, &chk);
  double alpha = comparison_alpha();
  for (int i = 0; i < 3; i++) {
    char label[32], what[96];
    snprintf(label, sizeof label, "rho%g", pts[i].rho);
    qrun_t q = collect(res, chk, label, depth);
    for (size_t r = 0; r < csv_row_count(res); r++) {
      if (strcmp(vn_text(res, r, "load"), label) != 0)
        continue;
      cr_expect_eq(vn_num(chk, r, "nic_drops"), 0, "%s: the M/D/1 queue must never reject", label);
      cr_expect_lt(vn_num(chk, r, "max_occupancy"), depth / 2);
      /* FIFO with a fixed service: every WR's sojourn is its wait plus exactly one service time. */
      double sojourn = vn_num(res, r, "e2e_nic_queue_s"), wait = vn_num(res, r, "nic_wait_mean_s");
      cr_expect(fabs(sojourn - wait - SERVICE_MEAN_S) <= 1e-8 * sojourn,
                "%s: mean sojourn %.9g s != mean wait %.9g s + service %.9g s", label, sojourn, wait, SERVICE_MEAN_S);
    }

    vn_ci_t ci = vn_ci_student(q.wait, q.n, alpha, 0);
    snprintf(what, sizeof what, "M/D/1 rho=%g mean wait (s)", pts[i].rho);
    compare(what, &ci, md1_wait(pts[i].rho));

    ci = vn_ci_student(q.little, q.n, alpha, 0);
    snprintf(what, sizeof what, "M/D/1 rho=%g Little (L-XW)/L", pts[i].rho);
    compare(what, &ci, 0);
    qrun_free(&q);
  }
  csv_free(res);
  csv_free(chk);
}

/* ---- Lock saturation ----------------------------------------------------------------------------------------------
 *
 * Closed loops with no think time and more consumers than the lock can serve: the lock is never free, so it passes
 * from holder to holder, and with credit-refresh="always" each holding is one hand-off, one credit read (pio-read)
 * and one write (issue-cost); the release does not wait for the posted write. The NIC (200 ns per WR) is faster
 * than that cycle, so it never runs out of credits and the lock is the bottleneck: throughput = 1 / (pio-read +
 * issue-cost + lock-handoff). Nothing here is random (fixed service and sizes, local pattern, fixed think), so the
 * replications must agree and the only error is counting whole WRs in the window. */
typedef struct lock_case {
  const char* label;
  double pio_read_s, issue_s, handoff_s;
} lock_case_t;

Test(validation, lock_saturation, .timeout = 300)
{
  const lock_case_t cases[] = {
      {"defaults", 1e-6, 50e-9, 100e-9}, /* the default figures (docs/model.md): 0.87 M WR/s */
      {"slow-read", 2e-6, 100e-9, 300e-9},
      {"fast-read", 500e-9, 200e-9, 50e-9},
  };
  const size_t ncases     = sizeof cases / sizeof cases[0];
  const int consumers[]   = {8, 64};
  const double duration_s = 10e-3, notify_s = 300e-9, dma_latency_s = 500e-9;
  const int reps = 3;

  char* dir = vn_scratch("validation-lock");
  char body[4096];
  int w =
      snprintf(body, sizeof body,
               "  <platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
               "  <nic pio-write=\"200ns\" notify-latency=\"300ns\" service-time=\"196ns\" dma-bandwidth=\"16GBps\" "
               "dma-latency=\"500ns\" queue-depth=\"64\"/>\n"
               "  <access mode=\"lock\" credit-refresh=\"always\"/>\n"
               "  <workload arrival=\"closed\" window=\"2\" think=\"0s\" duration=\"10ms\" size=\"64B\" "
               "pattern=\"local\" warmup=\"%g\"/>\n"
               "  <sweep param=\"consumers.cores-per-host\" values=\"%d %d\"/>\n"
               "  <sweep name=\"costs\">\n",
               WARMUP, consumers[0], consumers[1]);
  for (size_t i = 0; i < ncases; i++)
    w += snprintf(body + w, sizeof body - (size_t)w,
                  "    <case label=\"%s\"><set param=\"nic.pio-read\" value=\"%.0fns\"/>"
                  "<set param=\"nic.issue-cost\" value=\"%.0fns\"/><set param=\"nic.lock-handoff\" value=\"%.0fns\"/>"
                  "</case>\n",
                  cases[i].label, cases[i].pio_read_s * 1e9, cases[i].issue_s * 1e9, cases[i].handoff_s * 1e9);
  snprintf(body + w, sizeof body - (size_t)w, "  </sweep>\n");
  char attrs[128];
  snprintf(attrs, sizeof attrs, "name=\"validation-lock\" seed=\"7\" replications=\"%d\"", reps);
  char* sc  = vn_scenario(dir, "s.xml", attrs, body);
  char* err = NULL;
  int rc    = vn_run(NULL, &err, "run '%s' -o '%s/out' -j2", sc, dir);
  cr_assert_eq(rc, 0, "vnicsim run failed (%d): %s", rc, err);
  char out[4096];
  snprintf(out, sizeof out, "%s/out", dir);
  csv_t res = vn_results(out);
  cr_assert_eq(csv_row_count(res), 2 * ncases * reps);

  for (int ic = 0; ic < 2; ic++) {
    for (size_t k = 0; k < ncases; k++) {
      const lock_case_t* lc = &cases[k];
      double cycle          = lc->pio_read_s + lc->issue_s + lc->handoff_s;
      double expected       = 1 / cycle;
      cr_assert_lt(SERVICE_MEAN_S, cycle, "the NIC must be faster than the lock for the lock to be the bottleneck");
      /* The steady window runs from the latest first measured creation to the earliest last creation over the
       * consumers (stats.h). Saturated and fair, the lock serves each consumer once per round of C cycles, and a
       * consumer creates a WR at each completion (pio-write + service + notify after its write), so each consumer
       * creates at least once per round: the window is at least (1 - warmup) duration minus two rounds plus that
       * delay at either end. Deliveries are periodic (one per cycle), so a window of length T holds T / cycle
       * deliveries give or take one: |X - 1 / cycle| <= 1 / T. Add the rounding of results.csv (9 digits). */
      double lag   = PIO_WRITE_S + SERVICE_MEAN_S + notify_s;
      double t_min = (1 - WARMUP) * duration_s - 2 * (consumers[ic] * cycle + lag);
      double tol   = 1 / t_min + 1e-8 * expected;
      cr_assert_leq(tol, 0.01 * expected, "the window is too short to test the throughput to 1%%");
      /* Little's law with no queueing: each WR stays exactly one service time S in the NIC and at most one is in
       * it at a time (S < cycle), so L T and D S (D deliveries in the window, dma-latency after their service) differ
       * only by the WRs cut by an edge or ending service within dma-latency of one: at most ceil((dma-latency + S)
       * / cycle) + 1 per edge, each by at most S. */
      double cut        = 2 * (ceil((dma_latency_s + SERVICE_MEAN_S) / cycle) + 1);
      double little_tol = cut * SERVICE_MEAN_S / t_min + 1e-8;

      double first = NAN;
      int seen     = 0;
      for (size_t r = 0; r < csv_row_count(res); r++) {
        if (strcmp(vn_text(res, r, "costs"), lc->label) != 0 ||
            (int)vn_num(res, r, "consumers.cores-per-host") != consumers[ic])
          continue;
        cr_assert_str_eq(vn_text(res, r, "status"), "ok");
        double x = vn_num(res, r, "throughput_wr_s");
        if (seen++ == 0) {
          first = x;
          fprintf(stderr, "validation: lock %-9s C=%-2d throughput  %-12.9g tolerance %-8.3g theory %.9g\n", lc->label,
                  consumers[ic], x, tol, expected);
        }
        cr_expect(fabs(x - first) <= 1e-8 * first, "%s C=%d: replications differ (%.9g, %.9g) with no randomness",
                  lc->label, consumers[ic], x, first);
        cr_expect(fabs(x - expected) <= tol,
                  "lock %s, %d consumers: throughput %.9g WR/s, expected 1 / (pio-read + issue-cost + lock-handoff) = "
                  "%.9g WR/s to within %.3g (whole WRs in a window of at least %.6g s)",
                  lc->label, consumers[ic], x, expected, tol, t_min);
        double L = vn_num(res, r, "nic_occupancy_mean"), W = vn_num(res, r, "e2e_nic_queue_s");
        cr_expect(fabs(W - SERVICE_MEAN_S) <= 1e-8 * SERVICE_MEAN_S, "no WR waits in the NIC: sojourn %.9g s", W);
        cr_expect(fabs(L - x * W) <= little_tol,
                  "lock %s, %d consumers: Little's law: L = %.9g, X W = %.9g, allowed difference %.3g", lc->label,
                  consumers[ic], L, x * W, little_tol);
      }
      cr_expect_eq(seen, reps);
    }
  }
  csv_free(res);
  free(sc);
  free(err);
  free(dir);
}
