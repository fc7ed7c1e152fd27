/* plot_layout: panels per facet, colours per mode, dash patterns and sideways shifts for coinciding lines, and the
 * series left out because every value of theirs is 0. */
#include "analysis/plot_layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/labels.h"
#include "base/csv.h"

struct s_plot_layout {
  size_t nseries;
  size_t npanels;
  char panel_title[PLOT_LAYOUT_MAX_PANELS][256];
  size_t* panel;
  size_t* style;
  char** label;
  int* rank;
  int* drawn;
  int* zero;   /* every value is 0 */
  int* nodata; /* no value at all */
  int faceted;
  char note[1024];
};

/* ---- Values ----------------------------------------------------------------------------------------------------- */

/* Whether series @p s has values of @p cols, and whether all of them are 0. */
static void series_values(const_plot_view_t v, size_t s, const size_t* cols, size_t ncols, int* any, int* all_zero)
{
  *any      = 0;
  *all_zero = 1;
  for (size_t p = 0; p < plot_view_point_count(v, s); p++)
    for (size_t c = 0; c < ncols; c++) {
      double mean;
      double ci;
      if (plot_view_stat(v, s, p, cols[c], &mean, &ci) == 0 || !isfinite(mean))
        continue;
      *any = 1;
      if (mean != 0)
        *all_zero = 0;
    }
}

/* The value of @p mean on the axis (log10 on a log axis; NaN when it cannot be drawn there). */
static double on_axis(double mean, int logy)
{
  if (!isfinite(mean))
    return NAN;
  if (logy)
    return mean > 0 ? log10(mean) : NAN;
  return mean;
}

/* How close two points must be to coincide, in axis units, from the extent of the drawn values. */
static double tolerance(const_plot_view_t v, const_plot_layout_t l, const size_t* cols, size_t ncols, int logy)
{
  double lo = INFINITY;
  double hi = -INFINITY;
  for (size_t s = 0; s < l->nseries; s++)
    for (size_t p = 0; l->drawn[s] && p < plot_view_point_count(v, s); p++)
      for (size_t c = 0; c < ncols; c++) {
        double mean;
        double ci;
        plot_view_stat(v, s, p, cols[c], &mean, &ci);
        double y = on_axis(mean, logy);
        if (isnan(y))
          continue;
        lo = fmin(lo, y);
        hi = fmax(hi, y);
      }
  if (!isfinite(lo))
    return 0;
  /* A linear axis starts at 0; a log axis is padded by a factor 1.6 at both ends (metric.gp). */
  double extent = logy ? hi - lo + 2 * log10(1.6) : fmax(fabs(hi), fabs(lo));
  return PLOT_LAYOUT_COINCIDE * (extent > 0 ? extent : 1);
}

/* Whether series @p s and @p t have a point at the same x whose values of the same column are within @p tol. */
static int coincide(const_plot_view_t v, size_t s, size_t t, const size_t* cols, size_t ncols, int logy, double tol)
{
  size_t p = 0;
  size_t q = 0;
  while (p < plot_view_point_count(v, s) && q < plot_view_point_count(v, t)) {
    double xs = plot_view_x(v, s, p);
    double xt = plot_view_x(v, t, q);
    if (xs < xt) {
      p++;
      continue;
    }
    if (xt < xs) {
      q++;
      continue;
    }
    for (size_t c = 0; c < ncols; c++) {
      double ms;
      double mt;
      double ci;
      plot_view_stat(v, s, p, cols[c], &ms, &ci);
      plot_view_stat(v, t, q, cols[c], &mt, &ci);
      double ys = on_axis(ms, logy);
      double yt = on_axis(mt, logy);
      if (!isnan(ys) && !isnan(yt) && fabs(ys - yt) <= tol)
        return 1;
    }
    p++;
    q++;
  }
  return 0;
}

/* ---- Facets ----------------------------------------------------------------------------------------------------- */

/* The values of the series columns of series @p s that are (@p mode) or are not mode columns, formatted and joined:
 * "lock-always" for the modes, "NIC service time = 200 ns" for the facets. */
static void join_values(const_plot_view_t v, size_t s, int mode, char* buf, size_t len)
{
  const_csv_t csv = results_csv_table(plot_view_results(v));
  size_t n        = 0;
  buf[0]          = '\0';
  for (size_t k = 0; k < plot_view_series_column_count(v); k++) {
    if (plot_view_series_column_is_mode(v, k) != mode)
      continue;
    const char* name = csv_column_name(csv, plot_view_series_column(v, k));
    char val[256];
    labels_format_value(name, plot_view_series_value(v, s, k), val, sizeof val);
    if (n >= len)
      break;
    if (mode) {
      n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", val);
    } else {
      char title[128];
      labels_column_title(name, title, sizeof title);
      n += (size_t)snprintf(buf + n, len - n, "%s%s = %s", n ? ", " : "", title, val);
    }
  }
}

/* Index of @p key among the @p *n strings of @p keys, appended when absent (keys hold up to @p cap strings of
 * 256 bytes). Returns cap when full. */
static size_t key_index(char (*keys)[256], size_t* n, size_t cap, const char* key)
{
  for (size_t k = 0; k < *n; k++)
    if (strcmp(keys[k], key) == 0)
      return k;
  if (*n == cap)
    return cap;
  snprintf(keys[*n], 256, "%s", key);
  return (*n)++;
}

/* Splits the series into facets when the figure has some (see plot_layout_create()); returns 1 when it does. */
static int make_facets(const_plot_view_t v, plot_layout_t l)
{
  size_t nmodecols = 0;
  size_t nother    = 0;
  for (size_t k = 0; k < plot_view_series_column_count(v); k++) {
    if (plot_view_series_column_is_mode(v, k))
      nmodecols++;
    else
      nother++;
  }
  if (nmodecols == 0 || nother == 0)
    return 0;
  size_t nseries    = l->nseries;
  char(*modes)[256] = calloc(nseries, 256);
  char facets[PLOT_LAYOUT_MAX_PANELS][256];
  size_t nmodes  = 0;
  size_t nfacets = 0;
  int ok         = modes != NULL;
  for (size_t s = 0; ok && s < nseries; s++) {
    char key[256];
    join_values(v, s, 1, key, sizeof key);
    l->style[s] = key_index(modes, &nmodes, nseries, key);
    join_values(v, s, 0, key, sizeof key);
    l->panel[s] = key_index(facets, &nfacets, PLOT_LAYOUT_MAX_PANELS, key);
    ok          = l->panel[s] < PLOT_LAYOUT_MAX_PANELS;
  }
  ok = ok && nmodes >= 2 && nfacets >= 2;
  for (size_t s = 0; ok && s < nseries; s++) {
    free(l->label[s]);
    l->label[s] = strdup(modes[l->style[s]]);
    ok          = l->label[s] != NULL;
  }
  for (size_t f = 0; ok && f < nfacets; f++)
    memcpy(l->panel_title[f], facets[f], sizeof l->panel_title[f]);
  if (ok)
    l->npanels = nfacets;
  free(modes);
  return ok;
}

/* Drops the panels without a drawn series and numbers the others in order. */
static void drop_empty_panels(plot_layout_t l)
{
  size_t renumber[PLOT_LAYOUT_MAX_PANELS];
  size_t kept = 0;
  for (size_t k = 0; k < l->npanels; k++) {
    int used = 0;
    for (size_t s = 0; s < l->nseries; s++)
      used |= l->drawn[s] && l->panel[s] == k;
    renumber[k] = kept;
    if (used) {
      if (kept != k)
        memcpy(l->panel_title[kept], l->panel_title[k], sizeof l->panel_title[k]);
      kept++;
    }
  }
  for (size_t s = 0; s < l->nseries; s++)
    l->panel[s] = renumber[l->panel[s]];
  l->npanels = kept;
}

/* ---- The note --------------------------------------------------------------------------------------------------- */

/* Appends to the note the series whose flag (@p flags) is set, after @p what: by facet when there are facets. */
static void note_series(plot_layout_t l, const_plot_view_t v, const int* flags, const char* what)
{
  size_t n = strlen(l->note);
  int any  = 0;
  for (size_t s = 0; s < l->nseries; s++)
    any |= flags[s];
  if (!any)
    return;
  n += (size_t)snprintf(l->note + n, sizeof l->note - n, "%s%s: ", n ? "; " : "", what);
  if (!l->faceted) {
    int comma_inside = 0;
    for (size_t s = 0; s < l->nseries; s++)
      comma_inside |= flags[s] && strchr(l->label[s], ',') != NULL;
    int first = 1;
    for (size_t s = 0; s < l->nseries && n < sizeof l->note; s++)
      if (flags[s]) {
        n += (size_t)snprintf(l->note + n, sizeof l->note - n, "%s%s",
                              first          ? ""
                              : comma_inside ? "; "
                                             : ", ",
                              l->label[s]);
        first = 0;
      }
    return;
  }
  /* By facet: "lock, lock-always at NIC service time = 200 ns, all at NIC service time = 20 ns". */
  int first_facet = 1;
  for (size_t s0 = 0; s0 < l->nseries && n < sizeof l->note; s0++) {
    char facet[256];
    join_values(v, s0, 0, facet, sizeof facet);
    int seen_before = 0;
    for (size_t t = 0; t < s0 && !seen_before; t++) {
      char other[256];
      join_values(v, t, 0, other, sizeof other);
      seen_before = strcmp(facet, other) == 0;
    }
    if (seen_before)
      continue;
    size_t flagged = 0;
    size_t total   = 0;
    for (size_t s = s0; s < l->nseries; s++) {
      char other[256];
      join_values(v, s, 0, other, sizeof other);
      if (strcmp(facet, other) == 0) {
        total++;
        flagged += (size_t)(flags[s] != 0);
      }
    }
    if (flagged == 0)
      continue;
    n += (size_t)snprintf(l->note + n, sizeof l->note - n, "%s", first_facet ? "" : ", ");
    first_facet = 0;
    if (flagged == total) {
      n += (size_t)snprintf(l->note + n, sizeof l->note - n, "all at %s", facet);
      continue;
    }
    int first = 1;
    for (size_t s = s0; s < l->nseries && n < sizeof l->note; s++) {
      char other[256];
      join_values(v, s, 0, other, sizeof other);
      if (flags[s] && strcmp(facet, other) == 0) {
        n += (size_t)snprintf(l->note + n, sizeof l->note - n, "%s%s", first ? "" : ", ", l->label[s]);
        first = 0;
      }
    }
    n += (size_t)snprintf(l->note + n, sizeof l->note - n, " at %s", facet);
  }
}

/* ---- The layout ------------------------------------------------------------------------------------------------- */

plot_layout_t plot_layout_create(const_plot_view_t v, const size_t* cols, size_t ncols, int logy)
{
  plot_layout_t l = calloc(1, sizeof *l);
  if (l == NULL)
    return NULL;
  size_t n   = plot_view_series_count(v);
  size_t cap = n ? n : 1;
  l->nseries = n;
  l->panel   = calloc(cap, sizeof *l->panel);
  l->style   = calloc(cap, sizeof *l->style);
  l->label   = calloc(cap, sizeof *l->label);
  l->rank    = calloc(cap, sizeof *l->rank);
  l->drawn   = calloc(cap, sizeof *l->drawn);
  l->zero    = calloc(cap, sizeof *l->zero);
  l->nodata  = calloc(cap, sizeof *l->nodata);
  if (!l->panel || !l->style || !l->label || !l->rank || !l->drawn || !l->zero || !l->nodata)
    goto oom;
  for (size_t s = 0; s < n; s++) {
    l->style[s] = s;
    l->label[s] = strdup(plot_view_series_label(v, s));
    if (l->label[s] == NULL)
      goto oom;
    int any      = 1; /* without columns, every series is drawn */
    int all_zero = 0;
    if (ncols > 0)
      series_values(v, s, cols, ncols, &any, &all_zero);
    l->nodata[s] = !any;
    l->zero[s]   = any && all_zero;
    l->drawn[s]  = any && !all_zero;
  }
  l->npanels = 1;
  l->faceted = make_facets(v, l);
  for (size_t s = 0; !l->faceted && s < n; s++) { /* no facets: one panel, a style per series */
    l->panel[s] = 0;
    l->style[s] = s;
  }
  drop_empty_panels(l);

  double tol = tolerance(v, l, cols, ncols, logy);
  for (size_t s = 0; s < n; s++) {
    if (!l->drawn[s])
      continue;
    /* The lowest rank that no earlier coinciding series of the panel holds. */
    unsigned long long taken = 0;
    for (size_t t = 0; t < s; t++)
      if (l->drawn[t] && l->panel[t] == l->panel[s] && l->rank[t] < 64 && coincide(v, s, t, cols, ncols, logy, tol))
        taken |= 1ULL << l->rank[t];
    int r = 0;
    while (r < 63 && (taken >> r & 1))
      r++;
    l->rank[s] = r;
  }
  note_series(l, v, l->zero, "0 at every point (not drawn)");
  note_series(l, v, l->nodata, "no value (not drawn)");
  return l;
oom:
  plot_layout_free(l);
  return NULL;
}

void plot_layout_free(plot_layout_t l)
{
  if (l == NULL)
    return;
  for (size_t s = 0; l->label != NULL && s < l->nseries; s++)
    free(l->label[s]);
  free(l->panel);
  free(l->style);
  free(l->label);
  free(l->rank);
  free(l->drawn);
  free(l->zero);
  free(l->nodata);
  free(l);
}

size_t plot_layout_panel_count(const_plot_layout_t l)
{
  return l->npanels;
}

const char* plot_layout_panel_title(const_plot_layout_t l, size_t k)
{
  return l->faceted ? l->panel_title[k] : "";
}

int plot_layout_drawn(const_plot_layout_t l, size_t s)
{
  return l->drawn[s];
}

size_t plot_layout_panel(const_plot_layout_t l, size_t s)
{
  return l->panel[s];
}

size_t plot_layout_style(const_plot_layout_t l, size_t s)
{
  return l->style[s];
}

const char* plot_layout_label(const_plot_layout_t l, size_t s)
{
  return l->label[s];
}

int plot_layout_rank(const_plot_layout_t l, size_t s)
{
  return l->rank[s];
}

int plot_layout_shift(const_plot_layout_t l, size_t s)
{
  int r = l->rank[s];
  return r == 0 ? 0 : (r % 2 ? (r + 1) / 2 : -(r / 2));
}

int plot_layout_any_shifted(const_plot_layout_t l)
{
  for (size_t s = 0; s < l->nseries; s++)
    if (l->drawn[s] && l->rank[s] > 0)
      return 1;
  return 0;
}

int plot_layout_all_zero(const_plot_layout_t l)
{
  int any_zero = 0;
  for (size_t s = 0; s < l->nseries; s++) {
    if (l->drawn[s])
      return 0;
    any_zero |= l->zero[s];
  }
  return any_zero;
}

const char* plot_layout_note(const_plot_layout_t l)
{
  return l->note;
}
