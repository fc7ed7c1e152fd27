/* comparison: speculative enqueue against each baseline, in every combination of the other sweep values, as
 * per-replication ratios paired by seed. */
#include "analysis/comparison.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/labels.h"
#include "base/csv.h"

static const comparison_metric_t metrics[COMPARISON_METRICS] = {
    {"throughput_wr_s", "throughput", "throughput", "throughput", "> 1: speculative delivers more WRs per second"},
    {"e2e_latency_p99_s", "p99 e2e", "e2e_latency_p99", "p99 end-to-end latency",
     "< 1: speculative has the lower p99 end-to-end latency"},
    {"issue_latency_p99_s", "p99 issue", "issue_latency_p99", "p99 issue latency",
     "< 1: speculative gets WRs into the NIC sooner (p99)"},
    {"cpu_per_wr_s", "CPU/WR", "cpu_per_wr", "CPU time per WR",
     "< 1: speculative spends less consumer CPU time per WR"},
};

const comparison_metric_t* comparison_metric(size_t k)
{
  return &metrics[k];
}

/* ---- Building the comparisons ----------------------------------------------------------------------------------- */

typedef struct {
  size_t combo;
  size_t spec;
  size_t base;
  size_t pairs;
  replstats_ratio_t r[COMPARISON_METRICS];
} line_t;

typedef struct {
  char* key;
  char* label;  /* "cores-per-host=32, service-time=20 ns" */
  char* where;  /* "at 32 consumers per host" */
  size_t first; /* its first ok row (every row of the combination has the same sweep values) */
} combo_t;

typedef struct {
  char* label;
  const char* mode;
} variant_t;

struct s_comparison {
  const_results_csv_t rs;
  size_t metric_col[COMPARISON_METRICS];
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
static int describe_combo(const_comparison_t c, size_t i, combo_t* combo, int consumers_phrase)
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
  combo->label = strdup(c->nccols ? label : "all");
  combo->where = strdup(phrase);
  return combo->label && combo->where ? 0 : -1;
}

/* Whether the summary may say "at N consumers per host": consumers_per_host varies and is one value within each
 * combination. */
static int consumers_phrase_ok(const_comparison_t c)
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
static size_t bucket(const_comparison_t c, size_t combo, size_t variant)
{
  return combo * c->nvariants + variant;
}

static int fill_line(comparison_t c, line_t* ln, vn_error_t* err)
{
  const_results_csv_t rs = c->rs;
  size_t sb              = bucket(c, ln->combo, ln->spec);
  size_t bb              = bucket(c, ln->combo, ln->base);
  size_t cap             = c->count[sb] < c->count[bb] ? c->count[sb] : c->count[bb];
  double* num[COMPARISON_METRICS];
  double* den[COMPARISON_METRICS];
  int oom = 0;
  for (size_t k = 0; k < COMPARISON_METRICS; k++) {
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
      for (size_t k = 0; k < COMPARISON_METRICS; k++) {
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
    for (size_t k = 0; k < COMPARISON_METRICS; k++)
      ln->r[k] = replstats_ratio(num[k], den[k], np);
  }
  for (size_t k = 0; k < COMPARISON_METRICS; k++) {
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
static int sort_rows(comparison_t c, vn_error_t* err)
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

/* Splits the sweep columns into those defining the variants (the mode) and those forming the combinations. */
static int split_columns(comparison_t c)
{
  const_results_csv_t rs = c->rs;
  size_t nsweep          = results_csv_sweep_count(rs);
  c->vcols               = malloc((nsweep + 1) * sizeof *c->vcols);
  c->ccols               = malloc((nsweep + 1) * sizeof *c->ccols);
  if (c->vcols == NULL || c->ccols == NULL)
    return -1;
  for (size_t d = 0; d < nsweep; d++) {
    size_t col = results_csv_sweep_column(rs, d);
    if (results_csv_sweep_is_mode(rs, d))
      c->vcols[c->nvcols++] = col;
    else if (results_csv_sweep_varies(rs, d))
      c->ccols[c->nccols++] = col;
  }
  if (c->nvcols == 0) /* no sweep column names the mode: the mode column itself tells the variants apart */
    c->vcols[c->nvcols++] = results_csv_mode_column(rs);
  return 0;
}

/* Gives every ok row its variant and its combination, both in order of their first row. */
static int index_rows(comparison_t c)
{
  const_results_csv_t rs = c->rs;
  size_t n               = results_csv_ok_count(rs);
  c->variants            = calloc(n + 1, sizeof *c->variants);
  c->combos              = calloc(n + 1, sizeof *c->combos);
  c->row_combo           = malloc((n + 1) * sizeof *c->row_combo);
  c->row_variant         = malloc((n + 1) * sizeof *c->row_variant);
  if (!c->variants || !c->combos || !c->row_combo || !c->row_variant)
    return -1;
  for (size_t i = 0; i < n; i++) {
    char* vkey = join_cells(rs, i, c->vcols, c->nvcols, ", ");
    char* ckey = join_cells(rs, i, c->ccols, c->nccols, "\x1f");
    if (vkey == NULL || ckey == NULL) {
      free(vkey);
      free(ckey);
      return -1;
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
  return 0;
}

static int is_speculative(const variant_t* v)
{
  return strcmp(v->mode, "speculative") == 0;
}

/* Counts the speculative variants, and refuses a run with nothing to compare. */
static int check_variants(comparison_t c, size_t* nbase, vn_error_t* err)
{
  const char* file = csv_name(results_csv_table(c->rs));
  *nbase           = 0;
  for (size_t v = 0; v < c->nvariants; v++) {
    if (is_speculative(&c->variants[v]))
      c->nspec++;
    else
      (*nbase)++;
  }
  if (results_csv_ok_count(c->rs) == 0)
    vn_error_set(err, file, 0, NULL, NULL, NULL, "no row with status ok: nothing to compare");
  else if (c->nspec == 0)
    vn_error_set(err, file, 0, NULL, NULL, NULL,
                 "no ok row with mode speculative: nothing to compare against the baselines");
  else if (*nbase == 0)
    vn_error_set(err, file, 0, NULL, NULL, NULL,
                 "no baseline: every ok row has mode speculative (sweep access.mode, or labelled cases, over "
                 "speculative and a baseline such as lock)");
  else
    return 0;
  return -1;
}

/* One line per combination, speculative variant and baseline, with its ratios. */
static int fill_lines(comparison_t c, size_t nbase, vn_error_t* err)
{
  c->lines = calloc(c->ncombos * c->nspec * nbase, sizeof *c->lines);
  if (c->lines == NULL) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
    return -1;
  }
  for (size_t k = 0; k < c->ncombos; k++)
    for (size_t s = 0; s < c->nvariants; s++) {
      if (!is_speculative(&c->variants[s]))
        continue;
      for (size_t b = 0; b < c->nvariants; b++) {
        if (is_speculative(&c->variants[b]))
          continue;
        line_t* ln = &c->lines[c->nlines++];
        *ln        = (line_t){.combo = k, .spec = s, .base = b};
        if (fill_line(c, ln, err) != 0)
          return -1;
      }
    }
  return 0;
}

comparison_t comparison_create(const_results_csv_t rs, vn_error_t* err)
{
  const char* needs[COMPARISON_METRICS + 1];
  for (size_t k = 0; k < COMPARISON_METRICS; k++)
    needs[k] = metrics[k].column;
  needs[COMPARISON_METRICS] = NULL;
  if (results_csv_require(rs, needs, "needed by vnicsim compare", err) != 0)
    return NULL;
  comparison_t c = calloc(1, sizeof *c);
  if (c == NULL)
    goto oom;
  c->rs = rs;
  if (split_columns(c) != 0)
    goto oom;
  for (size_t k = 0; k < COMPARISON_METRICS; k++)
    c->metric_col[k] = (size_t)csv_column_index(results_csv_table(rs), metrics[k].column);
  if (index_rows(c) != 0)
    goto oom;
  size_t nbase;
  if (sort_rows(c, err) != 0 || check_variants(c, &nbase, err) != 0)
    goto fail;
  int consumers_phrase = consumers_phrase_ok(c);
  for (size_t k = 0; k < c->ncombos; k++)
    if (describe_combo(c, c->combos[k].first, &c->combos[k], consumers_phrase) != 0)
      goto oom;
  if (fill_lines(c, nbase, err) != 0)
    goto fail;
  return c;
oom:
  vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
fail:
  comparison_free(c);
  return NULL;
}

void comparison_free(comparison_t c)
{
  if (c == NULL)
    return;
  for (size_t v = 0; c->variants && v < c->nvariants; v++)
    free(c->variants[v].label);
  for (size_t k = 0; c->combos && k < c->ncombos; k++) {
    free(c->combos[k].key);
    free(c->combos[k].label);
    free(c->combos[k].where);
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

/* ---- Reading them ----------------------------------------------------------------------------------------------- */

const_results_csv_t comparison_results(const_comparison_t c)
{
  return c->rs;
}

size_t comparison_column_count(const_comparison_t c)
{
  return c->nccols;
}

size_t comparison_column(const_comparison_t c, size_t j)
{
  return c->ccols[j];
}

size_t comparison_combination_count(const_comparison_t c)
{
  return c->ncombos;
}

size_t comparison_speculative_count(const_comparison_t c)
{
  return c->nspec;
}

size_t comparison_count(const_comparison_t c)
{
  return c->nlines;
}

const char* comparison_combination(const_comparison_t c, size_t i)
{
  return c->combos[c->lines[i].combo].label;
}

const char* comparison_where(const_comparison_t c, size_t i)
{
  return c->combos[c->lines[i].combo].where;
}

const char* comparison_value(const_comparison_t c, size_t i, size_t j)
{
  return results_csv_text(c->rs, c->combos[c->lines[i].combo].first, c->ccols[j]);
}

const char* comparison_speculative(const_comparison_t c, size_t i)
{
  return c->variants[c->lines[i].spec].label;
}

const char* comparison_baseline(const_comparison_t c, size_t i)
{
  return c->variants[c->lines[i].base].label;
}

const char* comparison_baseline_mode(const_comparison_t c, size_t i)
{
  return c->variants[c->lines[i].base].mode;
}

size_t comparison_pairs(const_comparison_t c, size_t i)
{
  return c->lines[i].pairs;
}

replstats_ratio_t comparison_ratio(const_comparison_t c, size_t i, size_t k)
{
  return c->lines[i].r[k];
}

size_t comparison_variant_count(const_comparison_t c)
{
  return c->nvariants;
}

const char* comparison_variant(const_comparison_t c, size_t v)
{
  return c->variants[v].label;
}

int comparison_variant_is_speculative(const_comparison_t c, size_t v)
{
  return is_speculative(&c->variants[v]);
}

size_t comparison_line_combination(const_comparison_t c, size_t i)
{
  return c->lines[i].combo;
}

size_t comparison_line_variant(const_comparison_t c, size_t i, int side)
{
  return side ? c->lines[i].base : c->lines[i].spec;
}

const char* comparison_combination_where(const_comparison_t c, size_t k)
{
  return c->combos[k].where;
}

double comparison_mean(const_comparison_t c, size_t k, size_t v, size_t col, size_t* n)
{
  size_t b   = bucket(c, k, v);
  double sum = 0;
  size_t m   = 0;
  for (size_t j = c->start[b]; j < c->start[b] + c->count[b]; j++) {
    double x = results_csv_value(c->rs, c->order[j], col);
    if (isfinite(x)) {
      sum += x;
      m++;
    }
  }
  if (n != NULL)
    *n = m;
  return m ? sum / (double)m : NAN;
}
