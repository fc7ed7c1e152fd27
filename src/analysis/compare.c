/* compare: `vnicsim compare DIR` prints how speculative enqueue fares against each baseline: the table of paired
 * ratios (aligned text or CSV) and a one-paragraph summary. */
#include "analysis/compare.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/labels.h"
#include "base/csv.h"

/* ---- The table -------------------------------------------------------------------------------------------------- */

/* Decimals that show @p v with three significant digits (0.00142 needs 5, 5.85 needs 2, 123 none), or -1 when
 * that would take more than 6 (then %.3g is used). */
static int decimals_for(double v)
{
  if (!isfinite(v))
    return -1;
  if (v == 0)
    return 2;
  int d = 2 - (int)floor(log10(fabs(v)));
  d     = d < 0 ? 0 : d;
  return d > 6 ? -1 : d;
}

/* A ratio for the table: "3.12 ± 0.05" (the CI with the decimals of the mean), "3.12" (one pair), "inf" or "n/a". */
static void format_ratio(replstats_ratio_t r, char* buf, size_t len)
{
  int d = r.state == REPLSTATS_RATIO_OK ? decimals_for(r.mean) : -1;
  if (r.state == REPLSTATS_RATIO_NA)
    snprintf(buf, len, "n/a");
  else if (r.state == REPLSTATS_RATIO_INF)
    snprintf(buf, len, "inf");
  else if (d < 0)
    snprintf(buf, len, isfinite(r.ci95) ? "%.3g ± %.2g" : "%.3g", r.mean, r.ci95);
  else if (isfinite(r.ci95))
    snprintf(buf, len, "%.*f ± %.*f", d, r.mean, d, r.ci95);
  else
    snprintf(buf, len, "%.*f", d, r.mean);
}

/* Display width of UTF-8 text (the "±" is one column, two bytes). */
static size_t text_width(const char* s)
{
  size_t w = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80)
      w++;
  return w;
}

static void put_padded(FILE* out, const char* s, size_t width, int right)
{
  size_t pad = width > text_width(s) ? width - text_width(s) : 0;
  if (right)
    fprintf(out, "%*s%s", (int)pad, "", s);
  else
    fprintf(out, "%s%*s", s, (int)pad, "");
}

#define CELL_SIZE 96

/* The cells of the aligned table: a header row, then one row per comparison line. */
typedef struct {
  size_t ncols;
  size_t nrows;
  char (*cells)[CELL_SIZE];
  int* right;    /* per column: right-aligned (numbers) */
  size_t* width; /* per column: the widest cell */
} table_t;

#define CELL(t, r, k) (t)->cells[(r) * (t)->ncols + (k)]

static void fill_header_row(const_comparison_t c, table_t* t)
{
  const_results_csv_t rs = comparison_results(c);
  size_t k               = 0;
  for (size_t j = 0; j < comparison_column_count(c); j++, k++) {
    const char* name = csv_column_name(results_csv_table(rs), comparison_column(c, j));
    snprintf(CELL(t, 0, k), CELL_SIZE, "%s", labels_attribute(name));
    t->right[k] = results_csv_column_is_numeric(rs, comparison_column(c, j));
  }
  if (comparison_speculative_count(c) > 1)
    snprintf(CELL(t, 0, k++), CELL_SIZE, "speculative");
  snprintf(CELL(t, 0, k++), CELL_SIZE, "baseline");
  snprintf(CELL(t, 0, k), CELL_SIZE, "pairs");
  t->right[k++] = 1;
  for (size_t m = 0; m < COMPARISON_METRICS; m++, k++) {
    snprintf(CELL(t, 0, k), CELL_SIZE, "%s", comparison_metric(m)->title);
    t->right[k] = 1;
  }
}

/* Row @p i + 1: the combination's values with their units, the variants, the pairs and the ratios. */
static void fill_line_row(const_comparison_t c, size_t i, table_t* t)
{
  const_csv_t csv = results_csv_table(comparison_results(c));
  size_t r        = i + 1;
  size_t k        = 0;
  for (size_t j = 0; j < comparison_column_count(c); j++, k++)
    labels_format_value(csv_column_name(csv, comparison_column(c, j)), comparison_value(c, i, j), CELL(t, r, k),
                        CELL_SIZE);
  if (comparison_speculative_count(c) > 1)
    snprintf(CELL(t, r, k++), CELL_SIZE, "%s", comparison_speculative(c, i));
  snprintf(CELL(t, r, k++), CELL_SIZE, "%s", comparison_baseline(c, i));
  snprintf(CELL(t, r, k++), CELL_SIZE, "%zu", comparison_pairs(c, i));
  for (size_t m = 0; m < COMPARISON_METRICS; m++, k++)
    format_ratio(comparison_ratio(c, i, m), CELL(t, r, k), CELL_SIZE);
}

/* The rows, each column padded to its widest cell; the last column is not padded when left-aligned. */
static void print_rows(const table_t* t, FILE* out)
{
  size_t* width = t->width;
  for (size_t r = 0; r < t->nrows; r++)
    for (size_t k = 0; k < t->ncols; k++)
      if (text_width(CELL(t, r, k)) > width[k])
        width[k] = text_width(CELL(t, r, k));
  for (size_t r = 0; r < t->nrows; r++) {
    for (size_t k = 0; k < t->ncols; k++) {
      if (k)
        fputs("  ", out);
      if (k + 1 == t->ncols && !t->right[k])
        fputs(CELL(t, r, k), out);
      else
        put_padded(out, CELL(t, r, k), width[k], t->right[k]);
    }
    fputc('\n', out);
  }
}

/* The '#' lines above the table: the run, how the ratios are taken, how to read each column. */
static void print_header(const_comparison_t c, FILE* out)
{
  fprintf(out, "# vnicsim compare: %s\n", csv_name(results_csv_table(comparison_results(c))));
  fprintf(out, "# speculative / baseline in every combination of the other sweep values. Each ratio is taken per\n"
               "# replication pair (same seed, common random numbers), then averaged: mean ± 95%% CI half-width\n"
               "# (Student t over the pairs; no CI with one pair).\n");
  for (size_t m = 0; m < COMPARISON_METRICS; m++)
    fprintf(out, "#   %-11s %-20s %s\n", comparison_metric(m)->title, comparison_metric(m)->column,
            comparison_metric(m)->reading);
  fprintf(out, "#   %-11s %-20s %s\n", "pairs", "", "replications with an ok row on both sides");
  fprintf(out, "# inf: the baseline's value is 0; n/a: no pair, or 0 / 0.\n");
}

void compare_print_table(const_comparison_t c, FILE* out)
{
  table_t t = {.ncols = comparison_column_count(c) + (comparison_speculative_count(c) > 1) + 2 + COMPARISON_METRICS,
               .nrows = comparison_count(c) + 1};
  t.cells   = calloc(t.ncols * t.nrows, sizeof *t.cells);
  t.right   = calloc(t.ncols, sizeof *t.right);
  t.width   = calloc(t.ncols, sizeof *t.width);
  if (t.cells == NULL || t.right == NULL || t.width == NULL) {
    fprintf(out, "vnicsim compare: out of memory\n");
  } else {
    fill_header_row(c, &t);
    for (size_t i = 0; i < comparison_count(c); i++)
      fill_line_row(c, i, &t);
    print_header(c, out);
    print_rows(&t, out);
  }
  free(t.cells);
  free(t.right);
  free(t.width);
}

void compare_print_csv(const_comparison_t c, FILE* out)
{
  const_csv_t csv = results_csv_table(comparison_results(c));
  for (size_t j = 0; j < comparison_column_count(c); j++) {
    csv_write_field(out, csv_column_name(csv, comparison_column(c, j)));
    fputc(',', out);
  }
  fputs("speculative,baseline,baseline_mode,pairs", out);
  for (size_t m = 0; m < COMPARISON_METRICS; m++)
    fprintf(out, ",%s_ratio_mean,%s_ratio_ci95", comparison_metric(m)->csv_name, comparison_metric(m)->csv_name);
  fputc('\n', out);
  for (size_t i = 0; i < comparison_count(c); i++) {
    for (size_t j = 0; j < comparison_column_count(c); j++) {
      csv_write_field(out, comparison_value(c, i, j));
      fputc(',', out);
    }
    csv_write_field(out, comparison_speculative(c, i));
    fputc(',', out);
    csv_write_field(out, comparison_baseline(c, i));
    fputc(',', out);
    csv_write_field(out, comparison_baseline_mode(c, i));
    fprintf(out, ",%zu", comparison_pairs(c, i));
    for (size_t m = 0; m < COMPARISON_METRICS; m++) {
      replstats_ratio_t r = comparison_ratio(c, i, m);
      if (r.state == REPLSTATS_RATIO_INF)
        fputs(",inf,", out);
      else if (r.state == REPLSTATS_RATIO_NA)
        fputs(",,", out);
      else if (isfinite(r.ci95))
        fprintf(out, ",%.6g,%.6g", r.mean, r.ci95);
      else
        fprintf(out, ",%.6g,", r.mean);
    }
    fputc('\n', out);
  }
}

/* ---- The summary ------------------------------------------------------------------------------------------------ */

#define NO_LINE SIZE_MAX

/* A ratio in prose: "3.1x" (three significant digits). */
static void prose_ratio(double v, char* buf, size_t len)
{
  snprintf(buf, len, "%.3gx", v);
}

/* Whether the throughput ratio @p r differs from 1 (above it, or below it) beyond its 95% CI. With a single pair
 * there is no CI: only a difference of more than 10% is then called one, so that noise is not reported as a
 * gain. */
static int differs_from_one(replstats_ratio_t r, int above)
{
  if (r.state != REPLSTATS_RATIO_OK)
    return 0;
  double margin = isfinite(r.ci95) ? r.ci95 : 0.1;
  return above ? r.mean - margin > 1 : r.mean + margin < 1;
}

/* Whether lines @p i and @p j compare the same two variants (in different combinations). */
static int same_variants(const_comparison_t c, size_t i, size_t j)
{
  return strcmp(comparison_speculative(c, i), comparison_speculative(c, j)) == 0 &&
         strcmp(comparison_baseline(c, i), comparison_baseline(c, j)) == 0;
}

/* The lines with the smallest and largest OK mean of metric @p k among those comparing the variants of line @p i0
 * (the first of each in line order); NO_LINE when there is none. */
static void metric_range(const_comparison_t c, size_t i0, size_t k, size_t* lo, size_t* hi)
{
  *lo = *hi = NO_LINE;
  for (size_t i = 0; i < comparison_count(c); i++) {
    replstats_ratio_t r = comparison_ratio(c, i, k);
    if (!same_variants(c, i0, i) || r.state != REPLSTATS_RATIO_OK)
      continue;
    if (*lo == NO_LINE || r.mean < comparison_ratio(c, *lo, k).mean)
      *lo = i;
    if (*hi == NO_LINE || r.mean > comparison_ratio(c, *hi, k).mean)
      *hi = i;
  }
}

/* "0.47x" when lo and hi are the same line or equal, "0.47x to 0.86x" otherwise. */
static void prose_range(const_comparison_t c, size_t lo, size_t hi, size_t k, char* buf, size_t len)
{
  char a[32];
  char b[32];
  prose_ratio(comparison_ratio(c, lo, k).mean, a, sizeof a);
  prose_ratio(comparison_ratio(c, hi, k).mean, b, sizeof b);
  if (strcmp(a, b) == 0)
    snprintf(buf, len, "%s", a);
  else
    snprintf(buf, len, "%s to %s", a, b);
}

static const char* sep_where(const char* where)
{
  return where[0] ? " " : "";
}

/* The headline: where speculative gains most in throughput, and what that does to the other metrics there. */
static void say_gain(const_comparison_t c, size_t hi, FILE* out)
{
  const char* where = comparison_where(c, hi);
  char t[80];
  prose_ratio(comparison_ratio(c, hi, 0).mean, t, sizeof t);
  fprintf(out, "Against %s, %s reaches %s the throughput%s%s", comparison_baseline(c, hi),
          comparison_speculative(c, hi), t, sep_where(where), where);
  int listed = 0;
  for (size_t k = 1; k < COMPARISON_METRICS; k++) {
    replstats_ratio_t r = comparison_ratio(c, hi, k);
    if (r.state != REPLSTATS_RATIO_OK)
      continue;
    prose_ratio(r.mean, t, sizeof t);
    fprintf(out, "%s%s the %s", listed ? (k + 1 < COMPARISON_METRICS ? ", " : " and ") : ", with ", t,
            comparison_metric(k)->prose);
    listed = 1;
  }
  fprintf(out, "%s.", listed ? " there" : "");
}

/* The other metrics over the whole sweep: their smallest and largest ratio. */
static void say_ranges(const_comparison_t c, size_t i0, FILE* out)
{
  char ranges[COMPARISON_METRICS][80];
  size_t have[COMPARISON_METRICS];
  size_t nranges = 0;
  for (size_t k = 1; k < COMPARISON_METRICS; k++) {
    size_t lo;
    size_t hi;
    metric_range(c, i0, k, &lo, &hi);
    if (lo != NO_LINE) {
      prose_range(c, lo, hi, k, ranges[nranges], sizeof ranges[0]);
      have[nranges++] = k;
    }
  }
  if (nranges == 0)
    return;
  fprintf(out, " Over the %s, its ratios are", comparison_combination_count(c) > 1 ? "sweep" : "run");
  for (size_t k = 0; k < nranges; k++)
    fprintf(out, "%s %s for %s", k == 0 ? "" : (k + 1 < nranges ? "," : " and"), ranges[k],
            comparison_metric(have[k])->prose);
  fputc('.', out);
}

/* The sentences on the speculative variant and the baseline of line @p i0. @p single: some line has one pair. */
static void summarize_variants(const_comparison_t c, size_t i0, int single, FILE* out)
{
  const char* sv = comparison_speculative(c, i0);
  const char* bv = comparison_baseline(c, i0);
  size_t tlo;
  size_t thi;
  metric_range(c, i0, 0, &tlo, &thi);
  if (thi == NO_LINE) {
    fprintf(out,
            "Against %s, no throughput ratio of %s can be computed (no replication pair, or a zero "
            "baseline throughput).",
            bv, sv);
    return;
  }
  int gain  = differs_from_one(comparison_ratio(c, thi, 0), 1);
  int below = differs_from_one(comparison_ratio(c, tlo, 0), 0); /* somewhere significantly below 1 */
  char t[80];
  prose_range(c, tlo, thi, 0, t, sizeof t);
  if (gain)
    say_gain(c, thi, out);
  else if (differs_from_one(comparison_ratio(c, thi, 0), 0)) /* even its best point is below 1 */
    fprintf(out, "Against %s, %s's throughput is lower at every point: its ratio is %s.", bv, sv, t);
  else if (below)
    fprintf(out, "Against %s, %s's throughput ratio is %s and never above 1 beyond its %s.", bv, sv, t,
            single ? "10% margin where a point has a single replication" : "95% CI");
  else
    fprintf(out, "Against %s, %s's throughput ratio stays at %s%s.", bv, sv, t,
            single ? " (within 10% of 1 where a point has a single replication)" : " (no 95% CI excludes 1)");
  if (tlo != thi && below && !differs_from_one(comparison_ratio(c, thi, 0), 0)) {
    const char* where = comparison_where(c, tlo);
    char low[80];
    prose_ratio(comparison_ratio(c, tlo, 0).mean, low, sizeof low);
    fprintf(out, " Its throughput falls to %s of %s's%s%s.", low, bv, sep_where(where), where);
  }
  if (comparison_combination_count(c) > 1 || !gain)
    say_ranges(c, i0, out);
}

void compare_print_summary(const_comparison_t c, FILE* out)
{
  size_t n      = comparison_count(c);
  size_t nfirst = n / comparison_combination_count(c); /* the lines of the first combination: each pair of variants */
  int single    = 0;                                   /* some line has a single pair: its ratios have no CI */
  for (size_t i = 0; i < n; i++)
    single |= comparison_pairs(c, i) == 1;
  for (size_t i0 = 0; i0 < nfirst; i0++) {
    fputs(i0 ? " " : "", out);
    summarize_variants(c, i0, single, out);
  }
  if (single && nfirst > 0)
    fprintf(out, " Some points have a single replication: their ratios carry no confidence interval.");
  if (nfirst > 0)
    fputc('\n', out);
}

/* ---- Where speculative loses, and saturation -------------------------------------------------------------------- */

/* Whether ratio @p r of metric @p k says speculative is worse: throughput below 1, the others above 1, beyond the
 * 95% CI (or by more than 10% with a single pair, as differs_from_one()); a latency or CPU ratio over a zero baseline
 * (inf) is worse too. */
static int loses(replstats_ratio_t r, size_t k)
{
  if (k > 0 && r.state == REPLSTATS_RATIO_INF)
    return 1;
  return differs_from_one(r, k > 0);
}

/* "46.3 µs against 26.8 µs", both in the unit that suits the larger. */
static void two_values(size_t k, double spec, double base, char* buf, size_t len)
{
  double scale;
  const char* unit = labels_unit(k == 0 ? LABELS_WR_RATE : LABELS_TIME, fmax(fabs(spec), fabs(base)), &scale);
  snprintf(buf, len, "%.3g %s against %.3g %s", spec * scale, unit, base * scale, unit);
}

/* The losses of line @p i, after "at ...: ". Returns how many metrics lose. */
static size_t print_line_losses(const_comparison_t c, size_t i, FILE* out)
{
  const_csv_t csv = results_csv_table(comparison_results(c));
  size_t combo    = comparison_line_combination(c, i);
  size_t nloss    = 0;
  for (size_t k = 0; k < COMPARISON_METRICS; k++) {
    replstats_ratio_t r = comparison_ratio(c, i, k);
    if (!loses(r, k))
      continue;
    size_t col  = (size_t)csv_column_index(csv, comparison_metric(k)->column);
    double spec = comparison_mean(c, combo, comparison_line_variant(c, i, 0), col, NULL);
    double base = comparison_mean(c, combo, comparison_line_variant(c, i, 1), col, NULL);
    char ratio[32];
    char values[128];
    if (r.state == REPLSTATS_RATIO_INF)
      snprintf(ratio, sizeof ratio, "inf");
    else
      prose_ratio(r.mean, ratio, sizeof ratio);
    two_values(k, spec, base, values, sizeof values);
    fprintf(out, "%s%s %s (%s)", nloss ? ", " : "", comparison_metric(k)->prose, ratio, values);
    nloss++;
  }
  return nloss;
}

void compare_print_losses(const_comparison_t c, FILE* out)
{
  size_t n      = comparison_count(c);
  size_t nfirst = n / comparison_combination_count(c); /* each pair of variants once */
  fprintf(out, "Where speculative loses (a ratio worse than 1 beyond its 95%% CI, or by more than 10%% with one "
               "pair):\n");
  for (size_t i0 = 0; i0 < nfirst; i0++) {
    size_t points = 0;
    size_t lost   = 0;
    for (size_t i = 0; i < n; i++) {
      if (!same_variants(c, i0, i))
        continue;
      points++;
      for (size_t k = 0; k < COMPARISON_METRICS; k++)
        if (loses(comparison_ratio(c, i, k), k)) {
          lost++;
          break;
        }
    }
    const char* who = comparison_speculative(c, i0);
    if (comparison_speculative_count(c) > 1)
      fprintf(out, "  %s against %s: ", who, comparison_baseline(c, i0));
    else
      fprintf(out, "  against %s: ", comparison_baseline(c, i0));
    if (lost == 0) {
      fprintf(out, "nowhere (%zu point%s).\n", points, points == 1 ? "" : "s");
      continue;
    }
    fprintf(out, "at %zu of %zu point%s\n", lost, points, points == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
      if (!same_variants(c, i0, i))
        continue;
      int any = 0;
      for (size_t k = 0; k < COMPARISON_METRICS && !any; k++)
        any = loses(comparison_ratio(c, i, k), k);
      if (!any)
        continue;
      const char* where = comparison_where(c, i);
      fprintf(out, "    %s%s", where[0] ? where : "over the run", ": ");
      print_line_losses(c, i, out);
      fputs("\n", out);
    }
  }
}

/* The saturation flags of variant @p v in combination @p k, as sentences; returns how many were written. */
static size_t print_flags(const_comparison_t c, size_t k, size_t v, const long cols[3], FILE* out)
{
  size_t nflags = 0;
  double util   = cols[0] >= 0 ? comparison_mean(c, k, v, (size_t)cols[0], NULL) : NAN;
  double reject = cols[1] >= 0 ? comparison_mean(c, k, v, (size_t)cols[1], NULL) : NAN;
  double replay = cols[2] >= 0 ? comparison_mean(c, k, v, (size_t)cols[2], NULL) : NAN;
  if (replay > COMPARE_SATURATED_REPLAYS) {
    fprintf(out, " replay storm: %.3g writes per delivered WR; try back-off or a deeper queue.", 1 + replay);
    nflags++;
  }
  if (reject > COMPARE_SATURATED_REJECT) {
    fprintf(out, " Queue overrun: the NIC rejects %.0f%% of the writes that reach it.", 100 * reject);
    nflags++;
  }
  if (util > COMPARE_SATURATED_UTILIZATION) {
    fprintf(out, " NIC saturated: its engine is busy %.3g%% of the time.", 100 * util);
    nflags++;
  }
  return nflags;
}

void compare_print_saturation(const_comparison_t c, FILE* out)
{
  const_csv_t csv    = results_csv_table(comparison_results(c));
  const long cols[3] = {csv_column_index(csv, "nic_utilization"), csv_column_index(csv, "reject_rate"),
                        csv_column_index(csv, "replays_per_wr")};
  size_t flagged     = 0;
  for (size_t k = 0; k < comparison_combination_count(c); k++)
    for (size_t v = 0; v < comparison_variant_count(c); v++) {
      double util   = cols[0] >= 0 ? comparison_mean(c, k, v, (size_t)cols[0], NULL) : NAN;
      double reject = cols[1] >= 0 ? comparison_mean(c, k, v, (size_t)cols[1], NULL) : NAN;
      double replay = cols[2] >= 0 ? comparison_mean(c, k, v, (size_t)cols[2], NULL) : NAN;
      if (!(util > COMPARE_SATURATED_UTILIZATION || reject > COMPARE_SATURATED_REJECT ||
            replay > COMPARE_SATURATED_REPLAYS))
        continue;
      if (flagged++ == 0)
        fprintf(out,
                "Saturation (means over the replications: NIC utilisation above %.2g, reject rate above %.2g or "
                "replays per WR above %.2g):\n",
                COMPARE_SATURATED_UTILIZATION, COMPARE_SATURATED_REJECT, COMPARE_SATURATED_REPLAYS);
      const char* where = comparison_combination_where(c, k);
      fprintf(out, "  %s%s%s:", comparison_variant(c, v), where[0] ? " " : "", where);
      print_flags(c, k, v, cols, out);
      fputc('\n', out);
    }
  if (flagged > 0)
    fprintf(out, "  A saturated NIC caps the throughput at its service rate: more load only waits in its queue, so "
                 "at these points the\n  comparison measures the NIC more than the access path.\n");
  if (flagged == 0)
    fprintf(out,
            "Saturation: none (NIC utilisation at most %.2g, reject rate at most %.2g and replays per WR at most "
            "%.2g at every point).\n",
            COMPARE_SATURATED_UTILIZATION, COMPARE_SATURATED_REJECT, COMPARE_SATURATED_REPLAYS);
}

/* ---- The command ------------------------------------------------------------------------------------------------ */

int compare_command(const char* dir, int as_csv)
{
  vn_error_t err;
  vn_error_clear(&err);
  results_csv_t rs = results_csv_load_dir(dir, &err);
  comparison_t c   = rs ? comparison_create(rs, &err) : NULL;
  if (c == NULL) {
    vn_error_print(&err, stderr);
    results_csv_free(rs);
    return VN_EXIT_INPUT;
  }
  if (results_csv_failed_count(rs) > 0)
    fprintf(stderr, "vnicsim compare: skipped %zu failed row%s of %s\n", results_csv_failed_count(rs),
            results_csv_failed_count(rs) == 1 ? "" : "s", csv_name(results_csv_table(rs)));
  if (as_csv) {
    compare_print_csv(c, stdout);
  } else {
    compare_print_table(c, stdout);
    fputc('\n', stdout);
    compare_print_losses(c, stdout);
    fputc('\n', stdout);
    compare_print_saturation(c, stdout);
    fputc('\n', stdout);
    compare_print_summary(c, stdout);
  }
  comparison_free(c);
  results_csv_free(rs);
  return 0;
}
