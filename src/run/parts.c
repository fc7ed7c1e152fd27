/* parts: a run directory's own tables and its parts, read back and checked against the scenario (see parts.h). */
#include "run/parts.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xbt/sysdep.h>

#include "base/csv.h"
#include "base/jsonread.h"
#include "run/results.h"

struct s_parts {
  size_t n;
  parts_point_t* pts;
  parts_source_t* sources;
  size_t nsources;
  size_t conflicts;
  unsigned long long* fp; /* the scenario's fingerprint of each point, computed when first needed */
  unsigned char* fp_done;
  fpctx_t ctx;
  const_scenario_t sc;
  fp_pairs_t study; /* the scenario's, for messages */
};

/* ---- tables' text ---- */

void parts_write_prefix(FILE* f, const_scenario_t sc, size_t index)
{
  point_t pt;
  if (scenario_point(sc, index, &pt, NULL) != 0)
    return;
  fprintf(f, "%zu,%ld,%lu", pt.index, pt.replication, pt.seed);
  for (size_t d = 0; d < scenario_sweep_count(sc); d++) {
    fputc(',', f);
    csv_write_field(f, pt.values[d]);
  }
}

void parts_write_header(FILE* f, const_scenario_t sc, const char* table)
{
  fputs("point,replication,seed", f);
  for (size_t d = 0; d < scenario_sweep_count(sc); d++) {
    fputc(',', f);
    csv_write_field(f, scenario_sweep_name(sc, d));
  }
  if (strcmp(table, "results.csv") == 0) {
    fputs(",mode,hosts,consumers_per_host,consumers,", f);
    results_metric_header(f);
    fputs(",status,reason", f);
  } else if (strcmp(table, "hosts.csv") == 0) {
    fputc(',', f);
    results_host_header(f);
  } else {
    fputc(',', f);
    results_check_header(f);
  }
}

/* Cells c0 .. c1-1 of row r of t, written back as vnicsim writes them. */
static char* row_text(const_csv_t t, size_t r, size_t c0, size_t c1)
{
  char* s    = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&s, &len);
  for (size_t c = c0; c < c1 && c < csv_column_count(t); c++) {
    if (c > c0)
      fputc(',', f);
    csv_write_field(f, csv_cell(t, r, c));
  }
  fclose(f);
  return s;
}

static char* header_text(const_csv_t t)
{
  char* s    = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&s, &len);
  for (size_t c = 0; c < csv_column_count(t); c++) {
    if (c)
      fputc(',', f);
    csv_write_field(f, csv_column_name(t, c));
  }
  fclose(f);
  return s;
}

/* ---- the lock ---- */

int parts_lock_held(const char* lock_path, long* pid, char* host, size_t hostlen)
{
  int fd = open(lock_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return 0;
  int held = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  if (!held)
    flock(fd, LOCK_UN);
  char buf[256]      = "";
  ssize_t n          = pread(fd, buf, sizeof buf - 1, 0);
  buf[n > 0 ? n : 0] = '\0';
  close(fd);
  if (pid != NULL)
    *pid = strtol(buf, NULL, 10);
  if (host != NULL) {
    const char* h = strchr(buf, ' ');
    snprintf(host, hostlen, "%.*s", h ? (int)strcspn(h + 1, "\n") : 0, h ? h + 1 : "");
  }
  return held;
}

int parts_exist(const char* dir)
{
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s/" PARTS_SUBDIR, dir);
  DIR* d = opendir(path);
  if (d == NULL)
    return 0;
  int found = 0;
  for (struct dirent* e; !found && (e = readdir(d)) != NULL;)
    found = e->d_name[0] != '.';
  closedir(d);
  return found;
}

/* ---- reading one source ---- */

static unsigned long long scenario_fp(parts_t p, size_t i)
{
  if (!p->fp_done[i]) {
    point_t pt;
    scenario_point(p->sc, i, &pt, NULL);
    p->fp[i]      = fp_point(p->ctx, &pt);
    p->fp_done[i] = 1;
  }
  return p->fp[i];
}

static char* slurp(const char* path)
{
  FILE* f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  char* text = NULL;
  size_t len = 0;
  FILE* m    = open_memstream(&text, &len);
  char buf[65536];
  for (size_t k; (k = fread(buf, 1, sizeof buf, f)) > 0;)
    fwrite(buf, 1, k, m);
  fclose(f);
  fclose(m);
  return text;
}

/* Whether @p path, which exists, is a whole file vnicsim wrote: a regular file, and (@p table) ending with a line end,
 * as every table vnicsim writes does (a table cut short can end in the middle of a number and still have every
 * column). Returns 0, or -1 with @p err saying what to do. */
static int whole_file(const char* path, int table, vn_error_t* err)
{
  struct stat st;
  if (stat(path, &st) != 0) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot read it: %s", strerror(errno));
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    vn_error_set(err, path, 0, NULL, NULL, NULL,
                 "%s, not a file vnicsim wrote: remove it, then run the points of this directory again with --resume",
                 S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
    return -1;
  }
  if (!table || st.st_size == 0)
    return 0;
  int fd    = open(path, O_RDONLY);
  char last = '\0';
  ssize_t n = fd >= 0 ? pread(fd, &last, 1, st.st_size - 1) : -1;
  if (fd >= 0)
    close(fd);
  if (n != 1) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot read it: %s", n < 0 ? strerror(errno) : "shorter than it was");
    return -1;
  }
  if (last != '\n') {
    vn_error_set(err, path, 0, NULL, NULL, NULL,
                 "ends in the middle of a line: the file was cut short (a full disk, a copy that stopped); remove "
                 "the directory it is in, then run its points again with --resume");
    return -1;
  }
  return 0;
}

/* The manifest of a source: per point index, its fingerprint and wall time; the study's named values. */
typedef struct manifest_info {
  json_t root;
  const_json_t points;
  fp_pairs_t study;
  size_t* at; /* index of point i in "points", or SIZE_MAX */
} manifest_info_t;

static int read_manifest(parts_t p, const char* path, manifest_info_t* m, vn_error_t* err)
{
  memset(m, 0, sizeof *m);
  if (access(path, F_OK) != 0)
    return 1; /* none */
  if (whole_file(path, 0, err) != 0)
    return -1;
  char* text = slurp(path);
  if (text == NULL) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot read it: %s", strerror(errno));
    return -1;
  }
  char why[256];
  m->root = json_parse(text, why, sizeof why);
  free(text);
  if (m->root == NULL) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "not a manifest vnicsim can read: %s", why);
    return -1;
  }
  m->points = json_get(m->root, "points");
  if (fp_pairs_from_json(json_get(m->root, "study"), &m->study) != 0 || json_type(m->points) != JSON_ARRAY) {
    json_free(m->root);
    m->root = NULL;
    return 1; /* a manifest without fingerprints (an older vnicsim): as if none */
  }
  m->at = xbt_new(size_t, p->n + 1);
  for (size_t i = 0; i < p->n; i++)
    m->at[i] = SIZE_MAX;
  for (size_t k = 0; k < json_size(m->points); k++) {
    double idx = json_number(json_get(json_at(m->points, k), "point"), -1);
    if (idx >= 0 && idx < (double)p->n)
      m->at[(size_t)idx] = k;
  }
  return 0;
}

static void manifest_free(manifest_info_t* m)
{
  json_free(m->root);
  fp_pairs_clear(&m->study);
  free(m->at);
}

/* Point @p i as source @p src's manifest records it: checked against the scenario's fingerprint. */
static int check_point(parts_t p, const char* where, const manifest_info_t* m, size_t i, vn_error_t* err)
{
  const_json_t e  = m->at[i] != SIZE_MAX ? json_at(m->points, m->at[i]) : NULL;
  const char* got = json_get_string(e, "fingerprint");
  char want[17];
  fp_hex(scenario_fp(p, i), want);
  if (got != NULL && strcmp(got, want) == 0)
    return 0;
  char diff[600];
  if (got == NULL)
    snprintf(diff, sizeof diff, "its manifest records no fingerprint for it");
  else if (!fp_pairs_difference(&m->study, &p->study, diff, sizeof diff))
    snprintf(diff, sizeof diff, "its fingerprint is %s there, %s in the scenario", got, want);
  vn_error_set(err, where, 0, NULL, NULL, NULL,
               "holds point %zu of another experiment: %s; a run directory holds one experiment: write to another "
               "directory with -o, or remove these results",
               i, diff);
  return -1;
}

/* Reads the tables of source @p src into the points; returns -1 with err on a mixing or unreadable source. */
static int read_source(parts_t p, int src, vn_error_t* err)
{
  parts_source_t* s = &p->sources[src];
  char path[sizeof s->path + 64];
  const char* names[] = {"results.csv", "hosts.csv", "checks.csv"};
  csv_t t[3]          = {NULL, NULL, NULL};
  snprintf(path, sizeof path, "%s/results.csv", s->path);
  if (access(path, F_OK) != 0)
    return 0;
  manifest_info_t m;
  char mpath[sizeof s->path + 64];
  snprintf(mpath, sizeof mpath, "%s/manifest.json", s->path);
  int rc = read_manifest(p, mpath, &m, err);
  if (rc < 0)
    return -1;
  int result = -1;
  for (int k = 0; k < 3; k++) {
    snprintf(path, sizeof path, "%s/%s", s->path, names[k]);
    if (access(path, F_OK) != 0) {
      vn_error_set(err, s->path, 0, NULL, NULL, NULL, "results.csv is there but %s is missing", names[k]);
      goto out;
    }
    if (whole_file(path, 1, err) != 0 || (t[k] = csv_read_file(path, err)) == NULL)
      goto out;
    char* want = NULL;
    size_t len = 0;
    FILE* f    = open_memstream(&want, &len);
    parts_write_header(f, p->sc, names[k]);
    fclose(f);
    char* got = header_text(t[k]);
    int same  = strcmp(got, want) == 0;
    free(got);
    free(want);
    if (!same) {
      vn_error_set(err, path, 1, NULL, NULL, NULL,
                   "this file's columns are not the ones this scenario writes (written by another scenario or "
                   "version of vnicsim); a run directory holds one experiment: write to another directory with -o");
      goto out;
    }
  }
  if (rc == 1 && csv_row_count(t[0]) > 0) {
    vn_error_set(err, s->path, 0, NULL, NULL, NULL,
                 "results.csv holds rows but manifest.json records no fingerprints for them (written by an older "
                 "vnicsim, or the manifest was removed), so they cannot be told from another experiment's; run "
                 "afresh without --resume, or write to another directory with -o");
    goto out;
  }
  s->selected    = m.root ? json_size(m.points) : 0;
  s->interrupted = m.root ? json_type(json_get(m.root, "interrupted")) == JSON_BOOL &&
                                json_number(json_get(m.root, "interrupted"), 0) != 0
                          : 0;
  if (s->live && m.root != NULL)
    for (size_t i = 0; i < p->n; i++)
      if (m.at[i] != SIZE_MAX)
        p->pts[i].running = 1;
  size_t ncols = 3 + scenario_sweep_count(p->sc);
  /* the rows of each table, checked and grouped by point */
  parts_point_t* got = xbt_new0(parts_point_t, p->n);
  for (int k = 0; k < 3; k++) {
    for (size_t r = 0; r < csv_row_count(t[k]); r++) {
      char* end;
      const char* cell = csv_cell(t[k], r, 0);
      unsigned long i  = strtoul(cell, &end, 10);
      if (*cell == '\0' || *end != '\0' || i >= p->n) {
        vn_error_set(err, csv_name(t[k]), csv_row_line(t[k], r), NULL, NULL, NULL,
                     "point %s is not a point of this scenario (it has %zu); a run directory holds one experiment: "
                     "write to another directory with -o",
                     cell, p->n);
        goto rows_out;
      }
      if (m.root == NULL || check_point(p, s->path, &m, i, err) != 0) {
        if (m.root == NULL)
          vn_error_set(err, s->path, 0, NULL, NULL, NULL, "rows without a manifest");
        goto rows_out;
      }
      char* prefix = row_text(t[k], r, 0, ncols);
      char* want   = NULL;
      size_t len   = 0;
      FILE* f      = open_memstream(&want, &len);
      parts_write_prefix(f, p->sc, i);
      fclose(f);
      int same = strcmp(prefix, want) == 0;
      free(prefix);
      free(want);
      if (!same) {
        vn_error_set(err, csv_name(t[k]), csv_row_line(t[k], r), NULL, NULL, NULL,
                     "the row of point %lu does not start with its index, replication, seed and sweep values as the "
                     "scenario gives them; a run directory holds one experiment: write to another directory with -o",
                     i);
        goto rows_out;
      }
      char* text = row_text(t[k], r, 0, csv_column_count(t[k]));
      if (k == 0) {
        free(got[i].row);
        got[i].row   = text;
        long sc      = csv_column_index(t[0], "status");
        long rc2     = csv_column_index(t[0], "reason");
        got[i].state = strcmp(csv_cell(t[0], r, (size_t)sc), "ok") == 0 ? PARTS_OK : PARTS_FAILED;
        free(got[i].reason);
        got[i].reason = xbt_strdup(csv_cell(t[0], r, (size_t)rc2));
      } else if (k == 1) {
        char* joined = NULL;
        if (asprintf(&joined, "%s%s\n", got[i].hosts ? got[i].hosts : "", text) < 0)
          xbt_die("out of memory");
        free(got[i].hosts);
        free(text);
        got[i].hosts = joined;
      } else {
        free(got[i].checks);
        got[i].checks = text;
      }
    }
  }
  for (size_t i = 0; i < p->n; i++) {
    parts_point_t* g = &got[i];
    if (g->state == PARTS_OK && (g->hosts == NULL || g->checks == NULL))
      g->state = PARTS_NONE; /* incomplete: as if not run */
    if (g->state == PARTS_NONE) {
      free(g->row);
      free(g->hosts);
      free(g->checks);
      free(g->reason);
      continue;
    }
    const_json_t e = m.at[i] != SIZE_MAX ? json_at(m.points, m.at[i]) : NULL;
    g->wall_s      = json_number(json_get(e, "wall_time_s"), NAN);
    g->source      = src;
    if (g->state == PARTS_OK)
      s->ok++;
    else
      s->failed++;
    parts_point_t* have = &p->pts[i];
    int take            = have->state == PARTS_NONE || (have->state == PARTS_FAILED && g->state == PARTS_OK);
    if (!take && have->state == PARTS_OK && g->state == PARTS_OK &&
        (strcmp(have->row, g->row) != 0 || strcmp(have->hosts, g->hosts) != 0 || strcmp(have->checks, g->checks) != 0))
      p->conflicts++;
    if (take) {
      g->running = have->running;
      free(have->row);
      free(have->hosts);
      free(have->checks);
      free(have->reason);
      *have = *g;
    } else {
      free(g->row);
      free(g->hosts);
      free(g->checks);
      free(g->reason);
    }
  }
  result = 0;
  free(got);
  got = NULL;
rows_out:
  if (got != NULL) {
    for (size_t i = 0; i < p->n; i++) {
      free(got[i].row);
      free(got[i].hosts);
      free(got[i].checks);
      free(got[i].reason);
    }
    free(got);
  }
out:
  for (int k = 0; k < 3; k++)
    csv_free(t[k]);
  manifest_free(&m);
  return result;
}

static void add_source(parts_t p, const char* name, const char* path)
{
  p->sources        = xbt_realloc(p->sources, (p->nsources + 1) * sizeof *p->sources);
  parts_source_t* s = &p->sources[p->nsources++];
  memset(s, 0, sizeof *s);
  snprintf(s->name, sizeof s->name, "%s", name);
  snprintf(s->path, sizeof s->path, "%s", path);
  char lock[sizeof s->path + 32];
  snprintf(lock, sizeof lock, "%s/" PARTS_LOCK_NAME, path);
  s->live = parts_lock_held(lock, &s->pid, s->host, sizeof s->host);
}

static int by_name(const void* a, const void* b)
{
  return strcmp(*(char* const*)a, *(char* const*)b);
}

parts_t parts_gather(const char* dir, parts_scope_t scope, const char* part, const_scenario_t sc, fpctx_t ctx,
                     vn_error_t* err)
{
  parts_t p  = xbt_new0(s_parts_t, 1);
  p->n       = scenario_point_count(sc);
  p->pts     = xbt_new0(parts_point_t, p->n);
  p->fp      = xbt_new0(unsigned long long, p->n);
  p->fp_done = xbt_new0(unsigned char, p->n);
  p->ctx     = ctx;
  p->sc      = sc;
  for (size_t i = 0; i < p->n; i++)
    p->pts[i].wall_s = NAN;
  fp_study_pairs(ctx, sc, &p->study);
  char path[PATH_MAX + 256];
  if (scope == PARTS_ONE_PART) {
    snprintf(path, sizeof path, "%s/" PARTS_SUBDIR "/%s", dir, part);
    add_source(p, part, path);
  } else {
    add_source(p, "", dir);
    snprintf(path, sizeof path, "%s/" PARTS_SUBDIR, dir);
    DIR* d       = opendir(path);
    char** names = NULL;
    size_t nn    = 0;
    for (struct dirent* e; d != NULL && (e = readdir(d)) != NULL;) {
      if (e->d_name[0] == '.')
        continue;
      char sub[PATH_MAX + 512];
      snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
      struct stat st;
      if (stat(sub, &st) != 0 || !S_ISDIR(st.st_mode))
        continue;
      names       = xbt_realloc(names, (nn + 1) * sizeof *names);
      names[nn++] = xbt_strdup(e->d_name);
    }
    if (d != NULL)
      closedir(d);
    if (nn > 0)
      qsort(names, nn, sizeof *names, by_name);
    for (size_t k = 0; k < nn; k++) {
      char sub[PATH_MAX + 512];
      snprintf(sub, sizeof sub, "%s/%s", path, names[k]);
      add_source(p, names[k], sub);
      free(names[k]);
    }
    free(names);
  }
  for (size_t k = 0; k < p->nsources; k++)
    if (read_source(p, (int)k, err) != 0) {
      parts_free(p);
      return NULL;
    }
  return p;
}

size_t parts_count(const s_parts_t* p)
{
  return p->n;
}

const parts_point_t* parts_point(const s_parts_t* p, size_t i)
{
  return &p->pts[i];
}

void parts_take(parts_t p, size_t i, parts_point_t* out)
{
  *out = p->pts[i];
  memset(&p->pts[i], 0, sizeof p->pts[i]);
  p->pts[i].wall_s = NAN;
}

size_t parts_source_count(const s_parts_t* p)
{
  return p->nsources;
}

const parts_source_t* parts_source(const s_parts_t* p, size_t k)
{
  return &p->sources[k];
}

size_t parts_conflicts(const s_parts_t* p)
{
  return p->conflicts;
}

void parts_free(parts_t p)
{
  if (p == NULL)
    return;
  for (size_t i = 0; i < p->n; i++) {
    free(p->pts[i].row);
    free(p->pts[i].hosts);
    free(p->pts[i].checks);
    free(p->pts[i].reason);
  }
  free(p->pts);
  free(p->sources);
  free(p->fp);
  free(p->fp_done);
  fp_pairs_clear(&p->study);
  free(p);
}
