/* plot_hosts: the per-host view of a run, from DIR/hosts.csv: for every configuration at its largest x (the heaviest
 * load of the sweep, where a hotspot shows most), the WRs each host received and the p99 end-to-end latency of those
 * WRs, as two heat maps with a row per configuration and a column per host, so that a hot host stands out as a
 * column at a glance. The means over the replications are written to by_host.csv beside the figure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/labels.h"
#include "analysis/plot_figures.h"
#include "analysis/replstats.h"
#include "base/csv.h"
#include "base/outfile.h"

/* Hosts whose names are written under their columns; beyond, the columns are numbered by gnuplot. */
#define MAX_NAMED_HOSTS 32
/* Cells with their values printed in them: at most this many hosts and configurations. */
#define MAX_LABELLED_HOSTS 16
#define MAX_LABELLED_ROWS 12

static const char* const host_needs[] = {"point",       "host_index",     "host",
                                         "wr_sent",     "wr_received",    "nic_utilization",
                                         "reject_rate", "e2e_p99_sent_s", "e2e_p99_received_s"};
#define NNEEDS (sizeof host_needs / sizeof host_needs[0])
/* The averaged columns: host_needs from wr_sent on. */
#define FIRST_METRIC 3
#define NMETRICS (NNEEDS - FIRST_METRIC)

typedef struct {
  csv_t hosts;
  long col[NNEEDS];
  size_t nhosts;
  size_t* by_point; /* per point number: first row of hosts.csv, rows of a point being contiguous */
  size_t* count;    /* per point number: its rows */
  size_t npoints;
} hosts_table_t;

static void hosts_table_free(hosts_table_t* t)
{
  csv_free(t->hosts);
  free(t->by_point);
  free(t->count);
}

/* Reads DIR/hosts.csv and indexes its rows by point. Returns 1, 0 when the figure cannot be drawn (said on stderr),
 * -1 when out of memory. */
static int hosts_table_load(const plot_job_t* job, const char* out, hosts_table_t* t)
{
  char path[4200];
  snprintf(path, sizeof path, "%s/hosts.csv", job->dir);
  vn_error_t e;
  vn_error_clear(&e);
  memset(t, 0, sizeof *t);
  t->hosts = csv_read_file(path, &e);
  if (t->hosts == NULL) {
    char msg[1024];
    vn_error_format(&e, msg, sizeof msg);
    fprintf(stderr, "vnicsim plot: %s not drawn: %s\n", out, msg);
    return 0;
  }
  for (size_t k = 0; k < NNEEDS; k++)
    if ((t->col[k] = csv_column_index(t->hosts, host_needs[k])) < 0) {
      fprintf(stderr, "vnicsim plot: %s not drawn: %s has no column %s\n", out, path, host_needs[k]);
      return 0;
    }
  size_t rows = csv_row_count(t->hosts);
  for (size_t r = 0; r < rows; r++) {
    double p;
    double h;
    if (csv_parse_double(csv_cell(t->hosts, r, (size_t)t->col[0]), &p) != 1 ||
        csv_parse_double(csv_cell(t->hosts, r, (size_t)t->col[1]), &h) != 1 || p < 0 || h < 0 || p > 1e9 || h > 1e9 ||
        p != floor(p) || h != floor(h)) {
      fprintf(stderr, "vnicsim plot: %s not drawn: %s:%d: point and host_index must be whole numbers\n", out, path,
              csv_row_line(t->hosts, r));
      return 0;
    }
    if ((size_t)p + 1 > t->npoints)
      t->npoints = (size_t)p + 1;
    if ((size_t)h + 1 > t->nhosts)
      t->nhosts = (size_t)h + 1;
  }
  t->by_point = malloc((t->npoints ? t->npoints : 1) * sizeof *t->by_point);
  t->count    = calloc(t->npoints ? t->npoints : 1, sizeof *t->count);
  if (t->by_point == NULL || t->count == NULL)
    return -1;
  for (size_t r = 0; r < rows; r++) {
    double p;
    csv_parse_double(csv_cell(t->hosts, r, (size_t)t->col[0]), &p);
    size_t k = (size_t)p;
    if (t->count[k] == 0)
      t->by_point[k] = r;
    else if (t->by_point[k] + t->count[k] != r) {
      fprintf(stderr, "vnicsim plot: %s not drawn: %s:%d: the rows of point %zu are not together\n", out, path,
              csv_row_line(t->hosts, r), k);
      return 0;
    }
    t->count[k]++;
  }
  return 1;
}

/* The per-host means of one configuration: mean[h * NMETRICS + m] and its replications n[h]. */
typedef struct {
  double* mean;
  size_t* n;
  const char* name_row; /* a row of hosts.csv per host index, for the names; SIZE_MAX when unseen */
} host_means_t;

/* Averages the hosts' metrics of series @p s at its largest x over its replications: mean[h * NMETRICS + m], with
 * the replications that had a value in nrep[h]. One pass over each replication's rows. Returns -1 when out of
 * memory. */
static int series_host_means(const plot_job_t* job, const plot_axis_t* ax, const hosts_table_t* t, size_t s,
                             double* mean, size_t* nrep, size_t* name_row)
{
  const_plot_view_t v = ax->view;
  long pcol           = csv_column_index(results_csv_table(job->rs), "point");
  size_t p            = plot_view_point_count(v, s) - 1;
  size_t reps         = plot_view_rows(v, s, p);
  size_t cells        = t->nhosts * NMETRICS;
  double* vals        = malloc((cells * reps > 0 ? cells * reps : 1) * sizeof *vals); /* [cell][rep] */
  if (vals == NULL)
    return -1;
  for (size_t k = 0; k < cells * reps; k++)
    vals[k] = NAN;
  for (size_t k = 0; k < reps; k++) {
    double point = pcol >= 0 ? results_csv_value(job->rs, plot_view_point_row(v, s, p, k), (size_t)pcol) : NAN;
    if (!(point >= 0) || (size_t)point >= t->npoints)
      continue;
    size_t first = t->by_point[(size_t)point];
    for (size_t r = first; r < first + t->count[(size_t)point]; r++) {
      double hi;
      csv_parse_double(csv_cell(t->hosts, r, (size_t)t->col[1]), &hi);
      size_t h    = (size_t)hi;
      name_row[h] = r;
      for (size_t m = 0; m < NMETRICS; m++) {
        double x;
        if (csv_parse_double(csv_cell(t->hosts, r, (size_t)t->col[FIRST_METRIC + m]), &x) == 1)
          vals[(h * NMETRICS + m) * reps + k] = x;
      }
    }
  }
  for (size_t h = 0; h < t->nhosts; h++) {
    nrep[h] = 0;
    for (size_t m = 0; m < NMETRICS; m++) {
      double ci;
      size_t used = replstats_mean_ci95(&vals[(h * NMETRICS + m) * reps], reps, &mean[h * NMETRICS + m], &ci);
      if (m == 1) /* wr_received: every host that took part has it */
        nrep[h] = used;
    }
  }
  free(vals);
  return 0;
}

/* Writes OUTDIR/by_host.csv: a line per configuration and host. */
static int write_data(const plot_job_t* job, const plot_axis_t* ax, const hosts_table_t* t, const double* means,
                      const size_t* nrep, const size_t* name_row, const char* path, vn_error_t* err)
{
  const_plot_view_t v = ax->view;
  outfile_t file      = outfile_open(path, err);
  if (file == NULL)
    return -1;
  FILE* f = outfile_stream(file);
  fputs("series_id,series,", f);
  csv_write_field(f, ax->data_name);
  fputs(",host_index,host,n", f);
  for (size_t m = 0; m < NMETRICS; m++)
    fprintf(f, ",%s_mean", host_needs[FIRST_METRIC + m]);
  fputc('\n', f);
  for (size_t s = 0; s < plot_view_series_count(v); s++)
    for (size_t h = 0; h < t->nhosts; h++) {
      const double* mh = &means[(s * t->nhosts + h) * NMETRICS];
      fprintf(f, "%zu,", s);
      csv_write_field(f, plot_view_series_label(v, s));
      fprintf(f, ",%.10g,%zu,", plot_view_x(v, s, plot_view_point_count(v, s) - 1), h);
      csv_write_field(f, name_row[h] != (size_t)-1 ? csv_cell(t->hosts, name_row[h], (size_t)t->col[2]) : "");
      fprintf(f, ",%zu", nrep[s * t->nhosts + h]);
      for (size_t m = 0; m < NMETRICS; m++) {
        fputc(',', f);
        if (isfinite(mh[m]))
          fprintf(f, "%.10g", mh[m]);
      }
      fputc('\n', f);
    }
  return outfile_commit(file, err);
}

/* The extent of metric @p m over every configuration and host: largest value and smallest positive one. */
static void metric_extent(const double* means, size_t ncells, size_t m, double* max, double* min_pos)
{
  *max     = 0;
  *min_pos = INFINITY;
  for (size_t c = 0; c < ncells; c++) {
    double x = means[c * NMETRICS + m];
    if (!isfinite(x))
      continue;
    *max = fmax(*max, x);
    if (x > 0)
      *min_pos = fmin(*min_pos, x);
  }
}

/* "at 16 consumers per host" when every configuration's largest x is the same, else "at each configuration's
 * largest consumers per host". */
static void where_phrase(const plot_axis_t* ax, char* buf, size_t len)
{
  const_plot_view_t v = ax->view;
  double x0           = plot_view_x(v, 0, plot_view_point_count(v, 0) - 1);
  int same            = 1;
  for (size_t s = 1; s < plot_view_series_count(v); s++)
    same &= plot_view_x(v, s, plot_view_point_count(v, s) - 1) == x0;
  char xtitle[256];
  plot_axis_title(ax, xtitle, sizeof xtitle);
  if (!same) {
    snprintf(buf, len, "at each configuration's largest %s", xtitle);
    return;
  }
  char unit[256];
  snprintf(unit, sizeof unit, "%s", ax->label);
  char* open  = strstr(unit, " (");
  char* close = open ? strrchr(open, ')') : NULL;
  if (close != NULL)
    *close = '\0';
  if (strcmp(ax->column, "consumers_per_host") == 0)
    snprintf(buf, len, "at %g consumers per host", x0 * ax->scale);
  else
    snprintf(buf, len, "at %s = %g%s%s", xtitle, x0 * ax->scale, open ? " " : "", open ? open + 2 : "");
}

plot_result_t plot_hosts(const plot_job_t* job, const plot_axis_t* ax, vn_error_t* err)
{
  char out[4300];
  plot_output_path(job, "hosts", out, sizeof out);
  const_plot_view_t v = ax->view;
  if (csv_column_index(results_csv_table(job->rs), "point") < 0) {
    fprintf(stderr, "vnicsim plot: %s not drawn: %s has no column point\n", out, csv_name(results_csv_table(job->rs)));
    return PLOT_SKIPPED;
  }
  hosts_table_t t;
  int rc = hosts_table_load(job, out, &t);
  if (rc <= 0) {
    hosts_table_free(&t);
    if (rc < 0)
      vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
    return rc < 0 ? PLOT_ERROR : PLOT_SKIPPED;
  }
  if (t.nhosts <= 1) {
    fprintf(stderr, "vnicsim plot: %s not drawn: one host carries a NIC (nothing to compare between hosts)\n", out);
    hosts_table_free(&t);
    return PLOT_SKIPPED;
  }
  size_t nseries       = plot_view_series_count(v);
  size_t ncells        = nseries * t.nhosts;
  double* means        = malloc(ncells * NMETRICS * sizeof *means);
  size_t* nrep         = calloc(ncells, sizeof *nrep);
  size_t* names        = malloc(t.nhosts * sizeof *names);
  plot_result_t result = PLOT_ERROR;
  if (means == NULL || nrep == NULL || names == NULL) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
    goto done;
  }
  for (size_t h = 0; h < t.nhosts; h++)
    names[h] = (size_t)-1;
  for (size_t s = 0; s < nseries; s++)
    if (series_host_means(job, ax, &t, s, &means[s * t.nhosts * NMETRICS], &nrep[s * t.nhosts], names) != 0) {
      vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
      goto done;
    }
  char data[4300];
  snprintf(data, sizeof data, "%s/by_host.csv", job->outdir);
  if (write_data(job, ax, &t, means, nrep, names, data, err) != 0)
    goto done;

  /* m: 1 wr_received, 5 e2e_p99_received_s (offsets from FIRST_METRIC) */
  double rmax;
  double rmin;
  double pmax;
  double pmin;
  metric_extent(means, ncells, 1, &rmax, &rmin);
  metric_extent(means, ncells, 5, &pmax, &pmin);
  if (rmax == 0) {
    printf("%s not drawn: every value of wr_received is 0 (no host received a WR)\n", out);
    result = PLOT_SKIPPED;
    goto done;
  }
  int logp = isfinite(pmin) && pmax / pmin > 100;
  double pscale;
  const char* punit = labels_unit(LABELS_TIME, logp ? sqrt(pmax * pmin) : pmax, &pscale);

  char where[512];
  where_phrase(ax, where, sizeof where);
  char title[1024];
  snprintf(title, sizeof title, "%s: WRs received and their p99 end-to-end latency per host, %s", job->name, where);
  size_t rlo;
  size_t rhi;
  plot_view_rows_range(v, &rlo, &rhi);
  char sub[256];
  if (rhi <= 1)
    snprintf(sub, sizeof sub, "one replication; a row per configuration, a column per host; grey: no WR received");
  else
    snprintf(sub, sizeof sub,
             "mean of %zu replications; a row per configuration, a column per host; grey: no WR received", rhi);
  size_t longest = 0;
  for (size_t s = 0; s < nseries; s++)
    longest = strlen(plot_view_series_label(v, s)) > longest ? strlen(plot_view_series_label(v, s)) : longest;
  int width        = 1100;
  int height       = (int)(240 + 2 * (110 + 34 * (nseries < 3 ? 3 : nseries)));
  gnuplot_vars_t b = gnuplot_vars_create();
  plot_common_vars(job, job->hosts_gp, b, title, sub, width, height);
  plot_note_lines(b, "", 1);
  gnuplot_vars_string(b, "datafile", data);
  gnuplot_vars_printf(b, "nhosts=%zu; nseries=%zu; lmarg=%.4f; valuelabels=%d; ", t.nhosts, nseries,
                      fmin(0.45, (double)longest * 9.5 / width + 0.04),
                      t.nhosts <= MAX_LABELLED_HOSTS && nseries <= MAX_LABELLED_ROWS);
  gnuplot_vars_printf(b, "array S[%zu]=[", nseries);
  for (size_t s = 0; s < nseries; s++) {
    gnuplot_vars_printf(b, "%s", s ? "," : "");
    gnuplot_vars_quoted(b, plot_view_series_label(v, s));
  }
  gnuplot_vars_printf(b, "]; namedhosts=%d; array HN[%zu]=[", t.nhosts <= MAX_NAMED_HOSTS, t.nhosts);
  for (size_t h = 0; h < t.nhosts; h++) {
    char idx[32];
    snprintf(idx, sizeof idx, "%zu", h);
    gnuplot_vars_printf(b, "%s", h ? "," : "");
    gnuplot_vars_quoted(b, names[h] != (size_t)-1 ? csv_cell(t.hosts, names[h], (size_t)t.col[2]) : idx);
  }
  gnuplot_vars_printf(b, "]; rmax=%.17g; pscale=%.17g; logp=%d; pmin=%.17g; pmax=%.17g; ", rmax, pscale, logp,
                      isfinite(pmin) ? pmin * pscale : 0, pmax * pscale);
  char plabel[128];
  snprintf(plabel, sizeof plabel, "p99 (%s)", punit);
  gnuplot_vars_string(b, "plabel", plabel);
  rc = gnuplot_draw(job->hosts_gp, b, out, err);
  gnuplot_vars_free(b);
  result = rc == 0 ? PLOT_DRAWN : PLOT_ERROR;
done:
  free(means);
  free(nrep);
  free(names);
  hosts_table_free(&t);
  return result;
}
