/* rundir: a run's output directory: results.csv, hosts.csv, checks.csv and manifest.json, always whole on disk.
 * Every file is written to a temporary name, flushed to disk and renamed over the old one, so a reader, a crash or
 * an interruption never leaves a half-written file; the tables are rewritten after every point. */
#include "run/rundir.h"
#include "base/outfile.h"

#include <errno.h>
#include <limits.h>
#include <simgrid/engine.h>
#include <simgrid/version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xbt/sysdep.h>

#include "base/csv.h"
#include "base/json.h"
#include "run/results.h"

typedef enum { PT_NOT_RUN = 0, PT_OK, PT_FAILED, PT_KEPT } pt_state_t;

typedef struct pt {
  pt_state_t state;
  char* row;    /* results.csv line, whole */
  char* hosts;  /* hosts.csv lines, whole, each ending with a newline */
  char* checks; /* checks.csv line, whole */
  char* reason;
  double wall_s;
} pt_t;

struct s_rundir {
  char dir[PATH_MAX];
  const_scenario_t sc;
  const run_options_t* opts;
  size_t n;
  pt_t* pts;
  size_t kept;
  char* prefix; /* last rundir_point_prefix() */
  double total_wall_s;
  int interrupted;
};

/* ---- text helpers ---- */

static char* memstream_text(void (*fill)(FILE*, const void*), const void* data)
{
  char* text = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&text, &len);
  fill(f, data);
  fclose(f);
  return text;
}

static void fill_point_header(FILE* f, const void* data)
{
  const_scenario_t sc = data;
  fputs("point,replication,seed", f);
  for (size_t d = 0; d < scenario_sweep_count(sc); d++) {
    fputc(',', f);
    csv_write_field(f, scenario_sweep_name(sc, d));
  }
}

static void fill_results_header(FILE* f, const void* data)
{
  fill_point_header(f, data);
  fputs(",mode,hosts,consumers_per_host,consumers,", f);
  results_metric_header(f);
  fputs(",status,reason", f);
}

static void fill_hosts_header(FILE* f, const void* data)
{
  fill_point_header(f, data);
  fputc(',', f);
  results_host_header(f);
}

static void fill_checks_header(FILE* f, const void* data)
{
  fill_point_header(f, data);
  fputc(',', f);
  results_check_header(f);
}

const char* rundir_point_prefix(rundir_t rd, size_t index)
{
  point_t pt;
  free(rd->prefix);
  rd->prefix = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&rd->prefix, &len);
  if (scenario_point(rd->sc, index, &pt, NULL) == 0) {
    fprintf(f, "%zu,%ld,%lu", pt.index, pt.replication, pt.seed);
    for (size_t d = 0; d < scenario_sweep_count(rd->sc); d++) {
      fputc(',', f);
      csv_write_field(f, pt.values[d]);
    }
  }
  fclose(f);
  return rd->prefix;
}

/* A row of a table read back, written again exactly as vnicsim writes it. */
static void write_csv_row(FILE* f, const_csv_t t, size_t row)
{
  for (size_t c = 0; c < csv_column_count(t); c++) {
    if (c)
      fputc(',', f);
    csv_write_field(f, csv_cell(t, row, c));
  }
}

/* ---- opening, and keeping an earlier run's points ---- */

static int header_matches(const_csv_t t, const char* expected)
{
  char* got  = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&got, &len);
  for (size_t c = 0; c < csv_column_count(t); c++) {
    if (c)
      fputc(',', f);
    csv_write_field(f, csv_column_name(t, c));
  }
  fclose(f);
  int same = strcmp(got, expected) == 0;
  free(got);
  return same;
}

/* The prefix cells of row `r` of a table equal those of point `index`. */
static int row_is_point(rundir_t rd, const_csv_t t, size_t r, size_t* index)
{
  char* end;
  const char* cell = csv_cell(t, r, 0);
  unsigned long v  = strtoul(cell, &end, 10);
  if (*cell == '\0' || *end != '\0' || v >= rd->n)
    return 0;
  *index             = v;
  const char* prefix = rundir_point_prefix(rd, v);
  size_t ncols       = 3 + scenario_sweep_count(rd->sc);
  char* got          = NULL;
  size_t len         = 0;
  FILE* f            = open_memstream(&got, &len);
  for (size_t c = 0; c < ncols && c < csv_column_count(t); c++) {
    if (c)
      fputc(',', f);
    csv_write_field(f, csv_cell(t, r, c));
  }
  fclose(f);
  int same = strcmp(got, prefix) == 0;
  free(got);
  return same;
}

static csv_t read_table(rundir_t rd, const char* name, void (*header)(FILE*, const void*), vn_error_t* err)
{
  char path[PATH_MAX + 32];
  snprintf(path, sizeof path, "%s/%s", rd->dir, name);
  if (access(path, F_OK) != 0)
    return NULL; /* nothing to resume from: not an error */
  csv_t t = csv_read_file(path, err);
  if (t == NULL)
    return NULL;
  char* expected = memstream_text(header, rd->sc);
  if (!header_matches(t, expected)) {
    vn_error_set(err, path, 1, NULL, NULL, NULL,
                 "--resume: this file's columns are not the ones this scenario writes (written by another scenario "
                 "or version of vnicsim); move it away or write to another directory with -o");
    csv_free(t);
    t = NULL;
  }
  free(expected);
  return t;
}

static int load_earlier(rundir_t rd, vn_error_t* err)
{
  csv_t res = read_table(rd, "results.csv", fill_results_header, err);
  if (res == NULL)
    return vn_error_is_set(err) ? -1 : 0;
  csv_t hosts  = read_table(rd, "hosts.csv", fill_hosts_header, err);
  csv_t checks = hosts ? read_table(rd, "checks.csv", fill_checks_header, err) : NULL;
  if (hosts == NULL || checks == NULL) {
    csv_free(res);
    csv_free(hosts);
    if (!vn_error_is_set(err))
      vn_error_set(err, rd->dir, 0, NULL, NULL, NULL,
                   "--resume: results.csv is there but hosts.csv or checks.csv is missing");
    return -1;
  }
  long status_col = csv_column_index(res, "status");
  size_t index;
  for (size_t r = 0; r < csv_row_count(res); r++) {
    if (strcmp(csv_cell(res, r, (size_t)status_col), "ok") != 0 || !row_is_point(rd, res, r, &index))
      continue;
    pt_t* p   = &rd->pts[index];
    char* len = NULL;
    size_t l  = 0;
    FILE* f   = open_memstream(&len, &l);
    write_csv_row(f, res, r);
    fclose(f);
    free(p->row);
    p->row   = len;
    p->state = PT_KEPT;
  }
  /* hosts and checks of the kept points */
  for (int table = 0; table < 2; table++) {
    const_csv_t t = table == 0 ? hosts : checks;
    for (size_t r = 0; r < csv_row_count(t); r++) {
      if (!row_is_point(rd, t, r, &index) || rd->pts[index].state != PT_KEPT)
        continue;
      pt_t* p     = &rd->pts[index];
      char** dest = table == 0 ? &p->hosts : &p->checks;
      char* text  = NULL;
      size_t l    = 0;
      FILE* f     = open_memstream(&text, &l);
      if (*dest)
        fputs(*dest, f);
      write_csv_row(f, t, r);
      if (table == 0)
        fputc('\n', f);
      fclose(f);
      free(*dest);
      *dest = text;
    }
  }
  for (size_t i = 0; i < rd->n; i++)
    if (rd->pts[i].state == PT_KEPT) {
      if (rd->pts[i].checks == NULL || rd->pts[i].hosts == NULL) { /* incomplete: run it again */
        rd->pts[i].state = PT_NOT_RUN;
        free(rd->pts[i].row);
        free(rd->pts[i].hosts);
        free(rd->pts[i].checks);
        rd->pts[i].row = rd->pts[i].hosts = rd->pts[i].checks = NULL;
      } else {
        rd->kept++;
      }
    }
  csv_free(res);
  csv_free(hosts);
  csv_free(checks);
  return 0;
}

rundir_t rundir_open(const char* dir, const_scenario_t sc, const run_options_t* opts, vn_error_t* err)
{
  if (outfile_mkdirs(dir) != 0) {
    vn_error_set(err, NULL, 0, NULL, "-o", dir, "cannot create the output directory: %s", strerror(errno));
    return NULL;
  }
  rundir_t rd = xbt_new0(s_rundir_t, 1);
  snprintf(rd->dir, sizeof rd->dir, "%s", dir);
  rd->sc   = sc;
  rd->opts = opts;
  rd->n    = scenario_point_count(sc);
  rd->pts  = xbt_new0(pt_t, rd->n);
  if (opts->trace || opts->paje) {
    char trace[PATH_MAX + 8];
    snprintf(trace, sizeof trace, "%s/trace", dir);
    if (outfile_mkdirs(trace) != 0) {
      vn_error_set(err, NULL, 0, NULL, opts->trace ? "--trace" : "--paje", trace,
                   "cannot create the trace directory: %s", strerror(errno));
      rundir_close(rd);
      return NULL;
    }
  }
  if (opts->resume && load_earlier(rd, err) != 0) {
    rundir_close(rd);
    return NULL;
  }
  return rd;
}

const char* rundir_path(const s_rundir_t* rd)
{
  return rd->dir;
}

int rundir_kept(const s_rundir_t* rd, size_t index)
{
  return rd->pts[index].state == PT_KEPT;
}

size_t rundir_kept_count(const s_rundir_t* rd)
{
  return rd->kept;
}

/* ---- recording ---- */

static char* join(const char* a, const char* b)
{
  char* s = NULL;
  if (asprintf(&s, "%s,%s", a, b) < 0)
    xbt_die("out of memory");
  return s;
}

void rundir_set_ok(rundir_t rd, size_t index, const char* row, const char* hosts, const char* checks, double wall_s)
{
  pt_t* p            = &rd->pts[index];
  const char* prefix = rundir_point_prefix(rd, index);
  p->row             = join(prefix, row);
  p->checks          = join(prefix, checks);
  /* every hosts line gets the prefix */
  char* text = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&text, &len);
  for (const char* l = hosts; *l;) {
    const char* nl = strchr(l, '\n');
    size_t n       = nl ? (size_t)(nl - l) : strlen(l);
    fprintf(f, "%s,%.*s\n", prefix, (int)n, l);
    l += n + (nl ? 1 : 0);
  }
  fclose(f);
  p->hosts  = text;
  p->state  = PT_OK;
  p->wall_s = wall_s;
}

void rundir_set_failed(rundir_t rd, size_t index, const char* reason, double wall_s)
{
  pt_t* p = &rd->pts[index];
  point_t pt;
  scenario_point(rd->sc, index, &pt, NULL);
  char* text = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&text, &len);
  fputs(rundir_point_prefix(rd, index), f);
  fputc(',', f);
  csv_write_field(f, pt.params.mode);
  /* hosts (unknown), consumers per host, consumers (unknown), every metric empty */
  fprintf(f, ",,%ld,", params_consumers_per_host(&pt.params));
  for (size_t k = 0; k < results_metric_count(); k++)
    fputc(',', f);
  fputs(",failed,", f);
  csv_write_field(f, reason);
  fclose(f);
  p->row    = text;
  p->reason = xbt_strdup(reason);
  p->state  = PT_FAILED;
  p->wall_s = wall_s;
}

/* ---- writing ---- */

static int write_atomically(rundir_t rd, const char* name, void (*fill)(FILE*, rundir_t))
{
  char path[PATH_MAX + 32];
  snprintf(path, sizeof path, "%s/%s", rd->dir, name);
  outfile_t f = outfile_open(path, NULL);
  if (f == NULL)
    return -1;
  fill(outfile_stream(f), rd);
  return outfile_commit(f, NULL);
}

static void fill_results(FILE* f, rundir_t rd)
{
  fill_results_header(f, rd->sc);
  fputc('\n', f);
  for (size_t i = 0; i < rd->n; i++)
    if (rd->pts[i].row != NULL)
      fprintf(f, "%s\n", rd->pts[i].row);
}

static void fill_hosts(FILE* f, rundir_t rd)
{
  fill_hosts_header(f, rd->sc);
  fputc('\n', f);
  for (size_t i = 0; i < rd->n; i++)
    if (rd->pts[i].hosts != NULL)
      fputs(rd->pts[i].hosts, f);
}

static void fill_checks(FILE* f, rundir_t rd)
{
  fill_checks_header(f, rd->sc);
  fputc('\n', f);
  for (size_t i = 0; i < rd->n; i++)
    if (rd->pts[i].checks != NULL)
      fprintf(f, "%s\n", rd->pts[i].checks);
}

int rundir_write_tables(rundir_t rd)
{
  int rc = write_atomically(rd, "results.csv", fill_results);
  rc |= write_atomically(rd, "hosts.csv", fill_hosts);
  rc |= write_atomically(rd, "checks.csv", fill_checks);
  return rc;
}

static void fill_manifest(FILE* f, rundir_t rd)
{
  const run_options_t* o = rd->opts;
  int major, minor, patch;
  sg_version_get(&major, &minor, &patch);
  char sgv[64];
  snprintf(sgv, sizeof sgv, "%d.%d.%d", major, minor, patch);
  fputs("{\n  \"vnicsim_version\": ", f);
  json_write_string(f, VNICSIM_VERSION);
  fputs(",\n  \"simgrid_version\": ", f);
  json_write_string(f, sgv);
  fputs(",\n  \"command_line\": [", f);
  for (int i = 0; i < o->argc; i++) {
    fputs(i ? ", " : "", f);
    json_write_string(f, o->argv[i]);
  }
  fputs("],\n  \"simgrid_options\": [", f);
  for (int i = 1; i < o->sg_argc; i++) {
    fputs(i > 1 ? ", " : "", f);
    json_write_string(f, o->sg_argv[i]);
  }
  fputs("],\n  \"scenario_file\": ", f);
  json_write_string(f, o->scenario_path);
  fprintf(f, ",\n  \"jobs\": %d,\n  \"resumed\": %s,\n  \"interrupted\": %s,\n  \"total_wall_time_s\": ", o->jobs,
          o->resume ? "true" : "false", rd->interrupted ? "true" : "false");
  json_write_number(f, rd->total_wall_s);
  fputs(",\n  \"scenario\": ", f);
  scenario_write_json(rd->sc, f, 2);
  fputs(",\n  \"points\": [", f);
  for (size_t i = 0; i < rd->n; i++) {
    const pt_t* p = &rd->pts[i];
    point_t pt;
    scenario_point(rd->sc, i, &pt, NULL);
    fprintf(f, "%s\n    {\"point\": %zu, \"replication\": %ld, \"seed\": %lu, \"values\": {", i ? "," : "", i,
            pt.replication, pt.seed);
    for (size_t d = 0; d < scenario_sweep_count(rd->sc); d++) {
      fputs(d ? ", " : "", f);
      json_write_string(f, scenario_sweep_name(rd->sc, d));
      fputs(": ", f);
      json_write_string(f, pt.values[d]);
    }
    static const char* const names[] = {"not run", "ok", "failed", "ok (kept from an earlier run)"};
    fputs("}, \"status\": ", f);
    json_write_string(f, names[p->state]);
    if (p->state == PT_FAILED) {
      fputs(", \"reason\": ", f);
      json_write_string(f, p->reason);
    }
    if (p->state == PT_OK || p->state == PT_FAILED) {
      fputs(", \"wall_time_s\": ", f);
      json_write_number(f, p->wall_s);
    }
    fputc('}', f);
  }
  fputs("\n  ]\n}\n", f);
}

int rundir_write_manifest(rundir_t rd, double total_wall_s, int interrupted)
{
  rd->total_wall_s = total_wall_s;
  rd->interrupted  = interrupted;
  return write_atomically(rd, "manifest.json", fill_manifest);
}

void rundir_close(rundir_t rd)
{
  if (rd == NULL)
    return;
  for (size_t i = 0; i < rd->n; i++) {
    free(rd->pts[i].row);
    free(rd->pts[i].hosts);
    free(rd->pts[i].checks);
    free(rd->pts[i].reason);
  }
  free(rd->pts);
  free(rd->prefix);
  free(rd);
}
