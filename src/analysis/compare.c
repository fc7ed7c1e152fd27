/* compare: `vnicsim compare DIR` sets speculative enqueue against each baseline, as paired per-replication ratios. */
#include "analysis/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/labels.h"

static const struct {
  const char* column;
  const char* title;
  const char* meaning;
} metrics[COMPARE_METRICS] = {
    {"throughput_wr_s", "throughput", "> 1: speculative delivers more WRs per second"},
    {"e2e_latency_p99_s", "p99 e2e", "< 1: speculative has the lower p99 end-to-end latency"},
    {"issue_latency_p99_s", "p99 issue", "< 1: speculative gets WRs into the NIC sooner (p99)"},
    {"cpu_per_wr_s", "CPU/WR", "< 1: speculative spends less consumer CPU time per WR"},
};

/* CSV names of the metrics in --csv output. */
static const char* const csv_names[COMPARE_METRICS] = {"throughput", "e2e_latency_p99", "issue_latency_p99",
                                                       "cpu_per_wr"};

const char* compare_metric_column(size_t k)
{
  return metrics[k].column;
}

const char* compare_metric_title(size_t k)
{
  return metrics[k].title;
}

/* ---- Building the comparisons ----------------------------------------------------------------------------------- */

typedef struct {
  size_t combo;
  size_t spec;
  size_t base;
  size_t pairs;
  replstats_ratio_t r[COMPARE_METRICS];
} line_t;

typedef struct {
  char* key;
  char* label;  /* "cores-per-host=32, service-time=20 ns" */
  char* phrase; /* "at 32 consumers per host" */
  size_t first; /* its first ok row (every row of the combination has the same sweep values) */
} combo_t;

typedef struct {
  char* label;
  const char* mode;
} variant_t;

struct s_compare {
  const_results_csv_t rs;
  size_t metric_col[COMPARE_METRICS];
  size_t* vcols; /* columns defining the variants (the mode) */
  size_t nvcols;
  size_t* ccols; /* other sweep columns that vary: they form the combinations */
  size_t nccols;
  variant_t* variants;
  size_t nvariants;
  combo_t* combos;
  size_t ncombos;
  size_t* row_combo;
  size_t* row_variant;
  size_t* order; /* ok rows sorted by (combination, variant, replication) */
  size_t* start; /* per (combination, variant): first index in order, and how many rows */
  size_t* count;
  line_t* lines;
  size_t nlines;
  size_t nspec; /* speculative variants */
};

/* Joins the texts of columns @p cols of ok row @p i with @p sep. Caller frees. */
static char* join_cells(const_results_csv_t rs, size_t i, const size_t* cols, size_t ncols, const char* sep)
{
  size_t len = 1;
  for (size_t k = 0; k < ncols; k++)
    len += strlen(results_csv_text(rs, i, cols[k])) + strlen(sep);
  char* s = malloc(len);
  if (s == NULL)
    return NULL;
  s[0] = '\0';
  for (size_t k = 0; k < ncols; k++) {
    if (k)
      strcat(s, sep);
    strcat(s, results_csv_text(rs, i, cols[k]));
  }
  return s;
}

static int is_consumer_column(const char* name)
{
  return strncmp(name, "consumers.", 10) == 0;
}

/* Label and summary phrase of the combination of ok row @p i. */
static int describe_combo(const_compare_t c, size_t i, combo_t* combo, int consumers_phrase)
{
  const_csv_t csv   = results_csv_table(c->rs);
  char label[1024]  = "";
  char phrase[1024] = "";
  size_t nl         = 0;
  size_t np         = 0;
  if (consumers_phrase) {
    double cph = results_csv_value(c->rs, i, (size_t)csv_column_index(csv, "consumers_per_host"));
    np += (size_t)snprintf(phrase, sizeof phrase, "at %g consumer%s per host", cph, cph == 1 ? "" : "s");
  }
  for (size_t k = 0; k < c->nccols; k++) {
    const char* name = csv_column_name(csv, c->ccols[k]);
    char val[256];
    labels_format_value(name, results_csv_text(c->rs, i, c->ccols[k]), val, sizeof val);
    const char* attr = labels_attribute(name);
    if (nl < sizeof label)
      nl += (size_t)snprintf(label + nl, sizeof label - nl, "%s%s=%s", k ? ", " : "", attr, val);
    if (consumers_phrase && is_consumer_column(name))
      continue;
    if (np < sizeof phrase)
      np += (size_t)snprintf(phrase + np, sizeof phrase - np, "%s%s=%s", np ? ", " : "at ", attr, val);
  }
  combo->label  = strdup(c->nccols ? label : "all");
  combo->phrase = strdup(phrase);
  return combo->label && combo->phrase ? 0 : -1;
}

/* Whether the summary may say "at N consumers per host": consumers_per_host varies and is one value within each
 * combination. */
static int consumers_phrase_ok(const_compare_t c)
{
  long col = csv_column_index(results_csv_table(c->rs), "consumers_per_host");
  if (col < 0)
    return 0;
  size_t n          = results_csv_ok_count(c->rs);
  double* per_combo = malloc((c->ncombos ? c->ncombos : 1) * sizeof *per_combo);
  if (per_combo == NULL)
    return 0;
  for (size_t k = 0; k < c->ncombos; k++)
    per_combo[k] = NAN;
  int ok     = 1;
  int varies = 0;
  for (size_t i = 0; i < n && ok; i++) {
    double v = results_csv_value(c->rs, i, (size_t)col);
    size_t k = c->row_combo[i];
    if (!isfinite(v))
      ok = 0;
    else if (isnan(per_combo[k]))
      per_combo[k] = v;
    else if (per_combo[k] != v)
      ok = 0;
    if (i > 0 && v != results_csv_value(c->rs, 0, (size_t)col))
      varies = 1;
  }
  free(per_combo);
  return ok && varies;
}

/* Finds @p key in @p keys (an array of @p *n strings at the start of records of @p stride bytes), or appends it.
 * Returns its index; ownership of @p key passes to the array, or it is freed when already present. */
static size_t intern(char** first, size_t stride, size_t* n, char* key)
{
  for (size_t k = 0; k < *n; k++) {
    char* existing = *(char**)((char*)first + k * stride);
    if (strcmp(existing, key) == 0) {
      free(key);
      return k;
    }
  }
  *(char**)((char*)first + *n * stride) = key;
  return (*n)++;
}

/* Index of the rows of (combination, variant) in c->order: sorted by replication. */
static size_t bucket(const_compare_t c, size_t combo, size_t variant)
{
  return combo * c->nvariants + variant;
}

static int fill_line(compare_t c, line_t* ln, vn_error_t* err)
{
  const_results_csv_t rs = c->rs;
  size_t sb              = bucket(c, ln->combo, ln->spec);
  size_t bb              = bucket(c, ln->combo, ln->base);
  size_t cap             = c->count[sb] < c->count[bb] ? c->count[sb] : c->count[bb];
  double* num[COMPARE_METRICS];
  double* den[COMPARE_METRICS];
  int oom = 0;
  for (size_t k = 0; k < COMPARE_METRICS; k++) {
    num[k] = malloc((cap ? cap : 1) * sizeof(double));
    den[k] = malloc((cap ? cap : 1) * sizeof(double));
    oom |= num[k] == NULL || den[k] == NULL;
  }
  /* Both buckets are sorted by replication: merge them, keeping the replications present on both sides. */
  size_t np = 0;
  size_t i  = c->start[sb];
  size_t j  = c->start[bb];
  while (!oom && i < c->start[sb] + c->count[sb] && j < c->start[bb] + c->count[bb]) {
    long ri = results_csv_replication(rs, c->order[i]);
    long rj = results_csv_replication(rs, c->order[j]);
    if (ri < rj) {
      i++;
    } else if (rj < ri) {
      j++;
    } else {
      for (size_t k = 0; k < COMPARE_METRICS; k++) {
        num[k][np] = results_csv_value(rs, c->order[i], c->metric_col[k]);
        den[k][np] = results_csv_value(rs, c->order[j], c->metric_col[k]);
      }
      np++;
      i++;
      j++;
    }
  }
  if (!oom) {
    ln->pairs = np;
    for (size_t k = 0; k < COMPARE_METRICS; k++)
      ln->r[k] = replstats_ratio(num[k], den[k], np);
  }
  for (size_t k = 0; k < COMPARE_METRICS; k++) {
    free(num[k]);
    free(den[k]);
  }
  if (oom)
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
  return oom ? -1 : 0;
}

typedef struct {
  size_t bucket;
  long replication;
  size_t row;
} sort_rec_t;

static int sort_rec_cmp(const void* a, const void* b)
{
  const sort_rec_t* p = a;
  const sort_rec_t* q = b;
  if (p->bucket != q->bucket)
    return p->bucket < q->bucket ? -1 : 1;
  if (p->replication != q->replication)
    return p->replication < q->replication ? -1 : 1;
  return p->row < q->row ? -1 : (p->row > q->row);
}

/* Sorts the ok rows by (combination, variant, replication) into c->order with the bucket offsets, and rejects two
 * rows of one bucket with the same replication: they cannot be paired. */
static int sort_rows(compare_t c, vn_error_t* err)
{
  const_results_csv_t rs = c->rs;
  size_t n               = results_csv_ok_count(rs);
  size_t nb              = c->ncombos * c->nvariants;
  sort_rec_t* recs       = malloc((n ? n : 1) * sizeof *recs);
  c->order               = malloc((n ? n : 1) * sizeof *c->order);
  c->start               = calloc(nb ? nb : 1, sizeof *c->start);
  c->count               = calloc(nb ? nb : 1, sizeof *c->count);
  if (recs == NULL || c->order == NULL || c->start == NULL || c->count == NULL) {
    free(recs);
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
    return -1;
  }
  for (size_t i = 0; i < n; i++)
    recs[i] = (sort_rec_t){bucket(c, c->row_combo[i], c->row_variant[i]), results_csv_replication(rs, i), i};
  qsort(recs, n, sizeof *recs, sort_rec_cmp);
  for (size_t k = 0; k < n; k++) {
    c->order[k] = recs[k].row;
    if (c->count[recs[k].bucket]++ == 0)
      c->start[recs[k].bucket] = k;
    if (k > 0 && recs[k].bucket == recs[k - 1].bucket && recs[k].replication == recs[k - 1].replication) {
      vn_error_set(err, csv_name(results_csv_table(rs)), results_csv_ok_line(rs, recs[k].row), NULL, NULL, NULL,
                   "this row and line %d have the same sweep values and replication; cannot pair them",
                   results_csv_ok_line(rs, recs[k - 1].row));
      free(recs);
      return -1;
    }
  }
  free(recs);
  return 0;
}

compare_t compare_make(const_results_csv_t rs, vn_error_t* err)
{
  const_csv_t csv = results_csv_table(rs);
  const char* needs[COMPARE_METRICS + 1];
  for (size_t k = 0; k < COMPARE_METRICS; k++)
    needs[k] = metrics[k].column;
  needs[COMPARE_METRICS] = NULL;
  if (results_csv_require(rs, needs, "needed by vnicsim compare", err) != 0)
    return NULL;
  size_t n      = results_csv_ok_count(rs);
  size_t nsweep = results_csv_sweep_count(rs);
  compare_t c   = calloc(1, sizeof *c);
  if (c == NULL)
    goto oom;
  c->rs = rs;
  for (size_t k = 0; k < COMPARE_METRICS; k++)
    c->metric_col[k] = (size_t)csv_column_index(csv, metrics[k].column);
  c->vcols       = malloc((nsweep + 1) * sizeof *c->vcols);
  c->ccols       = malloc((nsweep + 1) * sizeof *c->ccols);
  c->variants    = calloc(n + 1, sizeof *c->variants);
  c->combos      = calloc(n + 1, sizeof *c->combos);
  c->row_combo   = malloc((n + 1) * sizeof *c->row_combo);
  c->row_variant = malloc((n + 1) * sizeof *c->row_variant);
  if (!c->vcols || !c->ccols || !c->variants || !c->combos || !c->row_combo || !c->row_variant)
    goto oom;
  for (size_t d = 0; d < nsweep; d++) {
    size_t col = results_csv_sweep_column(rs, d);
    if (results_csv_sweep_is_mode(rs, d))
      c->vcols[c->nvcols++] = col;
    else if (results_csv_sweep_varies(rs, d))
      c->ccols[c->nccols++] = col;
  }
  if (c->nvcols == 0) /* no sweep column names the mode: the mode column itself tells the variants apart */
    c->vcols[c->nvcols++] = results_csv_mode_column(rs);

  for (size_t i = 0; i < n; i++) {
    char* vkey = join_cells(rs, i, c->vcols, c->nvcols, ", ");
    char* ckey = join_cells(rs, i, c->ccols, c->nccols, "\x1f");
    if (vkey == NULL || ckey == NULL) {
      free(vkey);
      free(ckey);
      goto oom;
    }
    size_t before     = c->nvariants;
    c->row_variant[i] = intern(&c->variants[0].label, sizeof *c->variants, &c->nvariants, vkey);
    if (c->nvariants > before)
      c->variants[c->row_variant[i]].mode = results_csv_mode(rs, i);
    before          = c->ncombos;
    c->row_combo[i] = intern(&c->combos[0].key, sizeof *c->combos, &c->ncombos, ckey);
    if (c->ncombos > before)
      c->combos[c->row_combo[i]].first = i;
  }
  if (sort_rows(c, err) != 0)
    goto fail;

  size_t nbase = 0;
  for (size_t v = 0; v < c->nvariants; v++) {
    if (strcmp(c->variants[v].mode, "speculative") == 0)
      c->nspec++;
    else
      nbase++;
  }
  if (n == 0) {
    vn_error_set(err, csv_name(csv), 0, NULL, NULL, NULL, "no row with status ok: nothing to compare");
    goto fail;
  }
  if (c->nspec == 0) {
    vn_error_set(err, csv_name(csv), 0, NULL, NULL, NULL,
                 "no ok row with mode speculative: nothing to compare against the baselines");
    goto fail;
  }
  if (nbase == 0) {
    vn_error_set(err, csv_name(csv), 0, NULL, NULL, NULL,
                 "no baseline: every ok row has mode speculative (sweep access.mode, or labelled cases, over "
                 "speculative and a baseline such as lock)");
    goto fail;
  }

  int phrase = consumers_phrase_ok(c);
  for (size_t k = 0; k < c->ncombos; k++)
    if (describe_combo(c, c->combos[k].first, &c->combos[k], phrase) != 0)
      goto oom;
  c->lines = calloc(c->ncombos * c->nspec * nbase, sizeof *c->lines);
  if (c->lines == NULL)
    goto oom;
  for (size_t k = 0; k < c->ncombos; k++)
    for (size_t s = 0; s < c->nvariants; s++) {
      if (strcmp(c->variants[s].mode, "speculative") != 0)
        continue;
      for (size_t b = 0; b < c->nvariants; b++) {
        if (strcmp(c->variants[b].mode, "speculative") == 0)
          continue;
        line_t* ln = &c->lines[c->nlines++];
        *ln        = (line_t){.combo = k, .spec = s, .base = b};
        if (fill_line(c, ln, err) != 0)
          goto fail;
      }
    }
  return c;
oom:
  vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
fail:
  compare_free(c);
  return NULL;
}

void compare_free(compare_t c)
{
  if (c == NULL)
    return;
  for (size_t v = 0; c->variants && v < c->nvariants; v++)
    free(c->variants[v].label);
  for (size_t k = 0; c->combos && k < c->ncombos; k++) {
    free(c->combos[k].key);
    free(c->combos[k].label);
    free(c->combos[k].phrase);
  }
  free(c->variants);
  free(c->combos);
  free(c->vcols);
  free(c->ccols);
  free(c->row_combo);
  free(c->row_variant);
  free(c->order);
  free(c->start);
  free(c->count);
  free(c->lines);
  free(c);
}

size_t compare_count(const_compare_t c)
{
  return c->nlines;
}

const char* compare_combination(const_compare_t c, size_t i)
{
  return c->combos[c->lines[i].combo].label;
}

const char* compare_speculative(const_compare_t c, size_t i)
{
  return c->variants[c->lines[i].spec].label;
}

const char* compare_baseline(const_compare_t c, size_t i)
{
  return c->variants[c->lines[i].base].label;
}

size_t compare_pairs(const_compare_t c, size_t i)
{
  return c->lines[i].pairs;
}

replstats_ratio_t compare_get(const_compare_t c, size_t i, size_t k)
{
  return c->lines[i].r[k];
}

/* ---- Output ----------------------------------------------------------------------------------------------------- */

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

void compare_print_table(const_compare_t c, FILE* out)
{
  const_csv_t csv  = results_csv_table(c->rs);
  int show_spec    = c->nspec > 1;
  size_t ncols     = c->nccols + (size_t)show_spec + 2 + COMPARE_METRICS;
  size_t nrows     = c->nlines + 1;
  char(*cells)[96] = calloc(ncols * nrows, sizeof *cells);
  int* right       = calloc(ncols, sizeof *right);
  size_t* width    = calloc(ncols, sizeof *width);
  if (cells == NULL || right == NULL || width == NULL) {
    free(cells);
    free(right);
    free(width);
    fprintf(out, "vnicsim compare: out of memory\n");
    return;
  }
#define CELL(r, k) cells[(r)*ncols + (k)]
  size_t k = 0;
  for (size_t j = 0; j < c->nccols; j++, k++) {
    const char* name = csv_column_name(csv, c->ccols[j]);
    snprintf(CELL(0, k), sizeof CELL(0, k), "%s", labels_attribute(name));
    right[k] = results_csv_column_is_numeric(c->rs, c->ccols[j]);
  }
  if (show_spec)
    snprintf(CELL(0, k++), sizeof CELL(0, 0), "speculative");
  snprintf(CELL(0, k++), sizeof CELL(0, 0), "baseline");
  snprintf(CELL(0, k), sizeof CELL(0, 0), "pairs");
  right[k++] = 1;
  for (size_t m = 0; m < COMPARE_METRICS; m++, k++) {
    snprintf(CELL(0, k), sizeof CELL(0, 0), "%s", metrics[m].title);
    right[k] = 1;
  }
  for (size_t i = 0; i < c->nlines; i++) {
    const line_t* ln = &c->lines[i];
    size_t first     = c->combos[ln->combo].first;
    k                = 0;
    for (size_t j = 0; j < c->nccols; j++, k++)
      labels_format_value(csv_column_name(csv, c->ccols[j]), results_csv_text(c->rs, first, c->ccols[j]),
                          CELL(i + 1, k), sizeof CELL(0, 0));
    if (show_spec)
      snprintf(CELL(i + 1, k++), sizeof CELL(0, 0), "%s", c->variants[ln->spec].label);
    snprintf(CELL(i + 1, k++), sizeof CELL(0, 0), "%s", c->variants[ln->base].label);
    snprintf(CELL(i + 1, k++), sizeof CELL(0, 0), "%zu", ln->pairs);
    for (size_t m = 0; m < COMPARE_METRICS; m++, k++)
      format_ratio(ln->r[m], CELL(i + 1, k), sizeof CELL(0, 0));
  }
  for (size_t r = 0; r < nrows; r++)
    for (k = 0; k < ncols; k++)
      if (text_width(CELL(r, k)) > width[k])
        width[k] = text_width(CELL(r, k));

  fprintf(out, "# vnicsim compare: %s\n", csv_name(csv));
  fprintf(out, "# speculative / baseline in every combination of the other sweep values. Each ratio is taken per\n"
               "# replication pair (same seed, common random numbers), then averaged: mean ± 95%% CI half-width\n"
               "# (Student t over the pairs; no CI with one pair).\n");
  for (size_t m = 0; m < COMPARE_METRICS; m++)
    fprintf(out, "#   %-11s %-20s %s\n", metrics[m].title, metrics[m].column, metrics[m].meaning);
  fprintf(out, "#   %-11s %-20s %s\n", "pairs", "", "replications with an ok row on both sides");
  fprintf(out, "# inf: the baseline's value is 0; n/a: no pair, or 0 / 0.\n");
  for (size_t r = 0; r < nrows; r++) {
    for (k = 0; k < ncols; k++) {
      if (k)
        fputs("  ", out);
      if (k + 1 == ncols && !right[k])
        fputs(CELL(r, k), out);
      else
        put_padded(out, CELL(r, k), width[k], right[k]);
    }
    fputc('\n', out);
  }
#undef CELL
  free(cells);
  free(right);
  free(width);
}

void compare_print_csv(const_compare_t c, FILE* out)
{
  const_csv_t csv = results_csv_table(c->rs);
  for (size_t j = 0; j < c->nccols; j++) {
    csv_write_field(out, csv_column_name(csv, c->ccols[j]));
    fputc(',', out);
  }
  fputs("speculative,baseline,baseline_mode,pairs", out);
  for (size_t m = 0; m < COMPARE_METRICS; m++)
    fprintf(out, ",%s_ratio_mean,%s_ratio_ci95", csv_names[m], csv_names[m]);
  fputc('\n', out);
  for (size_t i = 0; i < c->nlines; i++) {
    const line_t* ln = &c->lines[i];
    size_t first     = c->combos[ln->combo].first;
    for (size_t j = 0; j < c->nccols; j++) {
      csv_write_field(out, results_csv_text(c->rs, first, c->ccols[j]));
      fputc(',', out);
    }
    csv_write_field(out, c->variants[ln->spec].label);
    fputc(',', out);
    csv_write_field(out, c->variants[ln->base].label);
    fputc(',', out);
    csv_write_field(out, c->variants[ln->base].mode);
    fprintf(out, ",%zu", ln->pairs);
    for (size_t m = 0; m < COMPARE_METRICS; m++) {
      replstats_ratio_t r = ln->r[m];
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

/* Smallest and largest OK mean of metric @p k over the lines of variants (@p s, @p b), and their lines. */
static void metric_range(const_compare_t c, size_t s, size_t b, size_t k, const line_t** lo, const line_t** hi)
{
  *lo = *hi = NULL;
  for (size_t i = 0; i < c->nlines; i++) {
    const line_t* ln = &c->lines[i];
    if (ln->spec != s || ln->base != b || ln->r[k].state != REPLSTATS_RATIO_OK)
      continue;
    if (*lo == NULL || ln->r[k].mean < (*lo)->r[k].mean)
      *lo = ln;
    if (*hi == NULL || ln->r[k].mean > (*hi)->r[k].mean)
      *hi = ln;
  }
}

/* "0.47x" when lo and hi are the same line or equal, "0.47x to 0.86x" otherwise. */
static void prose_range(const line_t* lo, const line_t* hi, size_t k, char* buf, size_t len)
{
  char a[32];
  char b[32];
  prose_ratio(lo->r[k].mean, a, sizeof a);
  prose_ratio(hi->r[k].mean, b, sizeof b);
  if (strcmp(a, b) == 0)
    snprintf(buf, len, "%s", a);
  else
    snprintf(buf, len, "%s to %s", a, b);
}

static const char* sep_where(const char* where)
{
  return where[0] ? " " : "";
}

void compare_print_summary(const_compare_t c, FILE* out)
{
  int first_sentence = 1;
  int single         = 0; /* some line has a single pair: its ratios have no CI */
  for (size_t i = 0; i < c->nlines; i++)
    single |= c->lines[i].pairs == 1;
  for (size_t s = 0; s < c->nvariants; s++)
    for (size_t b = 0; b < c->nvariants; b++) {
      if (strcmp(c->variants[s].mode, "speculative") != 0 || strcmp(c->variants[b].mode, "speculative") == 0)
        continue;
      const char* sv = c->variants[s].label;
      const char* bv = c->variants[b].label;
      const line_t* tlo;
      const line_t* thi;
      metric_range(c, s, b, 0, &tlo, &thi);
      fputs(first_sentence ? "" : " ", out);
      first_sentence = 0;
      if (thi == NULL) {
        fprintf(out,
                "Against %s, no throughput ratio of %s can be computed (no replication pair, or a zero "
                "baseline throughput).",
                bv, sv);
        continue;
      }
      char t[80];
      if (differs_from_one(thi->r[0], 1)) {
        /* The headline: where speculative gains most, and what it costs or saves there. */
        const char* where = c->combos[thi->combo].phrase;
        prose_ratio(thi->r[0].mean, t, sizeof t);
        fprintf(out, "Against %s, %s reaches %s the throughput%s%s", bv, sv, t, sep_where(where), where);
        const char* names[] = {NULL, "p99 end-to-end latency", "p99 issue latency", "CPU time per WR"};
        int listed          = 0;
        for (size_t k = 1; k < COMPARE_METRICS; k++) {
          if (thi->r[k].state != REPLSTATS_RATIO_OK)
            continue;
          prose_ratio(thi->r[k].mean, t, sizeof t);
          fprintf(out, "%s%s the %s", listed ? (k + 1 < COMPARE_METRICS ? ", " : " and ") : ", with ", t, names[k]);
          listed = 1;
        }
        fprintf(out, "%s.", listed ? " there" : "");
      } else {
        prose_range(tlo, thi, 0, t, sizeof t);
        fprintf(out, "Against %s, %s's throughput ratio stays at %s%s.", bv, sv, t,
                single ? " (within 10% of 1 where a point has a single replication)" : " (no 95% CI excludes 1)");
      }
      if (tlo != thi && differs_from_one(tlo->r[0], 0)) {
        const char* where = c->combos[tlo->combo].phrase;
        prose_ratio(tlo->r[0].mean, t, sizeof t);
        fprintf(out, " Its throughput falls to %s of %s's%s%s.", t, bv, sep_where(where), where);
      }
      /* The other metrics over the whole sweep: their smallest and largest ratio. */
      const char* what[] = {NULL, "p99 end-to-end latency", "p99 issue latency", "CPU time per WR"};
      char ranges[COMPARE_METRICS][80];
      size_t nranges = 0;
      size_t have[COMPARE_METRICS];
      for (size_t k = 1; k < COMPARE_METRICS; k++) {
        const line_t* lo;
        const line_t* hi;
        metric_range(c, s, b, k, &lo, &hi);
        if (lo != NULL) {
          prose_range(lo, hi, k, ranges[nranges], sizeof ranges[0]);
          have[nranges++] = k;
        }
      }
      if (nranges > 0 && (c->ncombos > 1 || !differs_from_one(thi->r[0], 1))) {
        fprintf(out, " Over the %s, its ratios are", c->ncombos > 1 ? "sweep" : "run");
        for (size_t k = 0; k < nranges; k++)
          fprintf(out, "%s %s for %s", k == 0 ? "" : (k + 1 < nranges ? "," : " and"), ranges[k], what[have[k]]);
        fputc('.', out);
      }
    }
  if (single && !first_sentence)
    fprintf(out, " Some points have a single replication: their ratios carry no confidence interval.");
  if (!first_sentence)
    fputc('\n', out);
}

int compare_command(const char* dir, int as_csv)
{
  vn_error_t err;
  vn_error_clear(&err);
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    vn_error_set(&err, dir, 0, NULL, NULL, NULL, "%s", stat(dir, &st) != 0 ? "no such directory" : "not a directory");
    vn_error_print(&err, stderr);
    return VN_EXIT_INPUT;
  }
  char path[4200];
  snprintf(path, sizeof path, "%s/results.csv", dir);
  results_csv_t rs = results_csv_load(path, &err);
  compare_t c      = rs ? compare_make(rs, &err) : NULL;
  if (c == NULL) {
    vn_error_print(&err, stderr);
    results_csv_free(rs);
    return VN_EXIT_INPUT;
  }
  if (results_csv_failed_count(rs) > 0)
    fprintf(stderr, "vnicsim compare: skipped %zu failed row%s of %s\n", results_csv_failed_count(rs),
            results_csv_failed_count(rs) == 1 ? "" : "s", path);
  if (as_csv) {
    compare_print_csv(c, stdout);
  } else {
    compare_print_table(c, stdout);
    fputc('\n', stdout);
    compare_print_summary(c, stdout);
  }
  compare_free(c);
  results_csv_free(rs);
  return 0;
}
