/* rundir: a run's output directory: results.csv, hosts.csv, checks.csv and manifest.json, always whole on disk.
 * Every file is written to a temporary name, flushed to disk and renamed over the old one, so a reader, a crash or
 * an interruption never leaves a half-written file; the tables are rewritten after every point. */
#include "run/rundir.h"
#include "base/outfile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <simgrid/engine.h>
#include <simgrid/version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xbt/sysdep.h>

#include "base/csv.h"
#include "base/json.h"
#include "run/fingerprint.h"
#include "run/parts.h"
#include "run/results.h"
#include "run/study.h"
#include "run/value_labels.h"

typedef enum { PT_NOT_RUN = 0, PT_OK, PT_FAILED, PT_KEPT } pt_state_t;

typedef struct pt {
  pt_state_t state;
  char* row;    /* results.csv line, whole */
  char* hosts;  /* hosts.csv lines, whole, each ending with a newline */
  char* checks; /* checks.csv line, whole */
  char* reason;
  double wall_s;
} pt_t;

/* The run directory's lock: a file holding the PID of the run that took it, locked with flock() for as long as that
 * run lasts. The kernel drops the lock when the process ends however it ends, so a lock file whose flock() can be
 * had is stale (its run was killed) and is taken over. */
#define LOCK_NAME PARTS_LOCK_NAME

/* The files vnicsim writes in a run directory (and trace/), which are the only ones it removes: their temporaries,
 * "<name>.tmpXXXXXX", when a killed run left them, and an earlier run's traces when a run starts afresh. */
static const char* const table_names[] = {"results.csv", "hosts.csv", "checks.csv", "manifest.json"};
#define TRACE_SUBDIR "trace"

struct s_rundir {
  char dir[PATH_MAX];  /* where this run writes: the run directory, or its part DIR/parts/NAME */
  char top[PATH_MAX];  /* the run directory */
  int lock_fd;         /* -1 when not held */
  unsigned char* mask; /* the points this run takes */
  size_t selected;
  int merge;           /* written by `vnicsim merge` */
  char** merged_parts; /* merge: the sources read */
  size_t nmerged;
  fpctx_t ctx;
  fp_pairs_t study;      /* the scenario's named values, recorded for messages */
  double memory_limit_B; /* the limit points were checked against, and where it comes from */
  char memory_limit_from[128];
  unsigned long long* fps; /* the fingerprint of each point taken, once computed */
  outfile_made_t made;     /* directories this run created (taken away again if it fails to open) */
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

static void fill_results_header(FILE* f, const void* data)
{
  parts_write_header(f, data, "results.csv");
}

static void fill_hosts_header(FILE* f, const void* data)
{
  parts_write_header(f, data, "hosts.csv");
}

static void fill_checks_header(FILE* f, const void* data)
{
  parts_write_header(f, data, "checks.csv");
}

const char* rundir_point_prefix(rundir_t rd, size_t index)
{
  free(rd->prefix);
  rd->prefix = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&rd->prefix, &len);
  parts_write_prefix(f, rd->sc, index);
  fclose(f);
  return rd->prefix;
}

/* ---- opening, and keeping an earlier run's points ---- */

/* Keep (or, merging, take) the points an earlier run left in the directory: with a selection, in its own part; else
 * in the directory's tables and every part. Every point read is checked against the scenario's fingerprint. */
static int load_earlier(rundir_t rd, const char* part, vn_error_t* err)
{
  parts_t p = parts_gather(rd->top, part[0] ? PARTS_ONE_PART : PARTS_ALL, part, rd->sc, rd->ctx, err);
  if (p == NULL)
    return -1;
  if (!part[0] && !rd->merge) /* a part another run is writing now would be run twice */
    for (size_t k = 0; k < parts_source_count(p); k++) {
      const parts_source_t* s = parts_source(p, k);
      if (s->live && s->name[0]) {
        vn_error_set(err, s->path, 0, NULL, NULL, NULL,
                     "this part is being written by a vnicsim run now (PID %ld%s%s); resume when it has ended", s->pid,
                     s->host[0] ? " on " : "", s->host);
        parts_free(p);
        return -1;
      }
    }
  for (size_t i = 0; i < rd->n; i++) {
    const parts_point_t* q = parts_point(p, i);
    if (!rd->mask[i] || q->state == PARTS_NONE || (q->state == PARTS_FAILED && !rd->merge))
      continue;
    parts_point_t got;
    parts_take(p, i, &got);
    pt_t* pt   = &rd->pts[i];
    pt->row    = got.row;
    pt->hosts  = got.hosts;
    pt->checks = got.checks;
    pt->wall_s = got.wall_s;
    if (got.state == PARTS_OK) {
      pt->state = rd->merge ? PT_OK : PT_KEPT;
      free(got.reason);
      if (!rd->merge)
        rd->kept++;
    } else {
      pt->state  = PT_FAILED;
      pt->reason = got.reason;
    }
  }
  if (rd->merge) {
    for (size_t k = 0; k < parts_source_count(p); k++) {
      const parts_source_t* s = parts_source(p, k);
      if (s->ok + s->failed == 0 && s->name[0] == '\0')
        continue;
      rd->merged_parts                = xbt_realloc(rd->merged_parts, (rd->nmerged + 1) * sizeof(char*));
      rd->merged_parts[rd->nmerged++] = xbt_strdup(s->name[0] ? s->name : ".");
    }
    if (parts_conflicts(p) > 0)
      fprintf(stderr,
              "vnicsim: warning: %zu points are in two parts with different results (a run is reproducible: this "
              "should not happen); the first part's were kept\n",
              parts_conflicts(p));
  }
  parts_free(p);
  return 0;
}

/* ---- the path, the lock, what killed runs left ---- */

/* The longest name vnicsim writes below the directory: "/trace/point-NNNNN.paje" and its temporary's suffix. */
#define LONGEST_INSIDE (sizeof "/" TRACE_SUBDIR "/point-99999.paje.tmpXXXXXX" - 1)

/* @p s shortened for a message. */
static const char* shortened(const char* s, char* buf, size_t len)
{
  if (strlen(s) < 64)
    return s;
  snprintf(buf, len, "%.28s...%s", s, s + strlen(s) - 28);
  return buf;
}

int rundir_check_path(const char* dir, const char* what, vn_error_t* err)
{
  char shown[80];
  size_t len = strlen(dir);
  if (len == 0) {
    vn_error_set(err, NULL, 0, NULL, what, dir, "empty path");
    return -1;
  }
  if (len + LONGEST_INSIDE >= PATH_MAX) {
    vn_error_set(err, NULL, 0, NULL, what, shortened(dir, shown, sizeof shown),
                 "the path is %zu characters long; at most %zu fit (PATH_MAX is %d, and the files vnicsim writes "
                 "inside add up to %zu more)",
                 len, (size_t)PATH_MAX - 1 - LONGEST_INSIDE, PATH_MAX, LONGEST_INSIDE);
    return -1;
  }
  for (const char* c = dir; *c != '\0';) {
    size_t n = strcspn(c, "/");
    if (n > NAME_MAX) {
      char part[80];
      snprintf(part, sizeof part, "%.*s", (int)n, c);
      vn_error_set(err, NULL, 0, NULL, what, shortened(dir, shown, sizeof shown),
                   "the path component \"%.28s...\" is %zu characters long; a file name has at most %d (NAME_MAX)",
                   part, n, NAME_MAX);
      return -1;
    }
    c += n;
    c += *c == '/';
  }
  return 0;
}

/* Reads the PID a lock file holds (0 if none). */
static long lock_holder(int fd)
{
  char buf[32]       = "";
  ssize_t n          = pread(fd, buf, sizeof buf - 1, 0);
  buf[n > 0 ? n : 0] = '\0';
  char* end;
  long pid = strtol(buf, &end, 10);
  return pid > 0 && (*end == '\n' || *end == '\0' || *end == ' ') ? pid : 0;
}

/* The host named in a lock file after its PID ("" if none). */
static void lock_host(int fd, char* host, size_t len)
{
  char buf[256]      = "";
  ssize_t n          = pread(fd, buf, sizeof buf - 1, 0);
  buf[n > 0 ? n : 0] = '\0';
  const char* h      = strchr(buf, ' ');
  snprintf(host, len, "%.*s", h ? (int)strcspn(h + 1, "\n") : 0, h ? h + 1 : "");
}

/* Takes the directory's lock, or says which run holds it. */
static int take_lock(rundir_t rd, vn_error_t* err)
{
  char path[PATH_MAX + 32];
  snprintf(path, sizeof path, "%s/%s", rd->dir, LOCK_NAME);
  for (int attempt = 0; attempt < 100; attempt++) {
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd < 0) {
      vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot create the run directory's lock file: %s", strerror(errno));
      return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int e    = errno;
      long pid = lock_holder(fd);
      char host[128];
      lock_host(fd, host, sizeof host);
      close(fd);
      if (e == EWOULDBLOCK) {
        char holder[256] = "another vnicsim run";
        if (pid > 0)
          snprintf(holder, sizeof holder, "another vnicsim run (PID %ld%s%s)", pid, host[0] ? " on " : "", host);
        vn_error_set(err, rd->dir, 0, NULL, NULL, NULL,
                     "this output directory is in use by %s; wait for it to end, or write to another directory "
                     "with -o",
                     holder);
      } else if (e == ENOLCK || e == ENOSYS || e == EOPNOTSUPP) {
        vn_error_set(err, path, 0, NULL, NULL, NULL,
                     "cannot lock the run directory: %s (the file system does not support flock(): on NFS, mount "
                     "without nolock; on Lustre, mount with -o flock; see docs/cluster.md)",
                     strerror(e));
      } else {
        vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot lock the run directory: %s", strerror(e));
      }
      return -1;
    }
    /* The file may have been removed by the run that held it (it does so when it ends) between our open() and our
     * flock(): then the lock is on a file nobody else will look at. Start again. */
    struct stat held, named;
    if (fstat(fd, &held) != 0 || stat(path, &named) != 0 || held.st_ino != named.st_ino ||
        held.st_dev != named.st_dev) {
      close(fd);
      continue;
    }
    long stale = lock_holder(fd);
    if (stale > 0 && stale != (long)getpid())
      fprintf(stderr,
              "vnicsim: %s was taken by vnicsim run PID %ld, which ended without releasing it (it was killed); "
              "taking it over\n",
              rd->dir, stale);
    char pid[320], host[256] = "";
    gethostname(host, sizeof host - 1);
    host[strcspn(host, " \n")] = '\0';
    int n                      = snprintf(pid, sizeof pid, "%ld %s\n", (long)getpid(), host);
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
      vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot write the lock file: %s", strerror(errno));
      close(fd);
      unlink(path);
      return -1;
    }
    rd->lock_fd = fd;
    return 0;
  }
  vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot lock the run directory: its lock file keeps changing");
  return -1;
}

static void release_lock(rundir_t rd)
{
  if (rd->lock_fd < 0)
    return;
  char path[PATH_MAX + 32];
  snprintf(path, sizeof path, "%s/%s", rd->dir, LOCK_NAME);
  unlink(path); /* while still holding it: whoever opens the name next makes a new file */
  close(rd->lock_fd);
  rd->lock_fd = -1;
}

/* Whether @p name is "<base>.tmpXXXXXX", a temporary of outfile_open() for @p base. */
static int is_temporary_of(const char* name, const char* base)
{
  size_t b = strlen(base);
  if (strncmp(name, base, b) != 0 || strncmp(name + b, ".tmp", 4) != 0 || strlen(name + b + 4) != 6)
    return 0;
  for (const char* c = name + b + 4; *c; c++)
    if (!isalnum((unsigned char)*c))
      return 0;
  return 1;
}

/* The two kinds of per-point trace: every WR's times (--trace) and the Paje trace (--paje). */
typedef enum { TRACE_WRS = 0, TRACE_PAJE, TRACE_KINDS } trace_kind_t;

static const struct {
  const char* ext;
  const char* option;
} trace_kinds[TRACE_KINDS] = {[TRACE_WRS] = {".csv", "--trace"}, [TRACE_PAJE] = {".paje", "--paje"}};

static int traced(const run_options_t* o, trace_kind_t k)
{
  return k == TRACE_WRS ? o->trace : o->paje;
}

/* Whether @p name is a per-point trace, "point-NNNNN.csv" or "point-NNNNN.paje" (five digits or more): the length of
 * that name, or 0. */
static size_t trace_prefix_len(const char* name)
{
  if (strncmp(name, "point-", 6) != 0)
    return 0;
  size_t d = strspn(name + 6, "0123456789");
  if (d < 5)
    return 0;
  for (int k = 0; k < TRACE_KINDS; k++) {
    size_t e = strlen(trace_kinds[k].ext);
    if (strncmp(name + 6 + d, trace_kinds[k].ext, e) == 0)
      return 6 + d + e;
  }
  return 0;
}

/* Remove from @p dir the entries for which @p match is true; returns how many. */
static size_t remove_matching(const char* dir, int (*match)(const char* name))
{
  DIR* d = opendir(dir);
  if (d == NULL)
    return 0;
  size_t n = 0;
  for (struct dirent* e; (e = readdir(d)) != NULL;) {
    if (!match(e->d_name))
      continue;
    char path[PATH_MAX + 300];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && unlink(path) == 0)
      n++;
  }
  closedir(d);
  return n;
}

static int is_table_temporary(const char* name)
{
  for (size_t i = 0; i < sizeof table_names / sizeof table_names[0]; i++)
    if (is_temporary_of(name, table_names[i]))
      return 1;
  return 0;
}

static int is_trace_temporary(const char* name)
{
  size_t p = trace_prefix_len(name);
  if (p == 0)
    return 0;
  char base[64];
  snprintf(base, sizeof base, "%.*s", (int)p, name);
  return is_temporary_of(name, base);
}

static int is_trace(const char* name)
{
  size_t p = trace_prefix_len(name);
  return p > 0 && name[p] == '\0';
}

/* The temporaries a killed run (or a killed point) left: never complete, never read. */
static void remove_temporaries(rundir_t rd)
{
  char trace[PATH_MAX + 8];
  snprintf(trace, sizeof trace, "%s/" TRACE_SUBDIR, rd->dir);
  size_t n = remove_matching(rd->dir, is_table_temporary) + remove_matching(trace, is_trace_temporary);
  if (n > 0)
    fprintf(stderr, "vnicsim: removed %zu temporary file%s that an interrupted run left in %s\n", n, n > 1 ? "s" : "",
            rd->dir);
}

static void trace_path(const char* dir, size_t index, trace_kind_t k, char* buf, size_t len)
{
  snprintf(buf, len, "%s/" TRACE_SUBDIR "/point-%05zu%s", dir, index, trace_kinds[k].ext);
}

void rundir_trace_path(const char* dir, size_t index, char* buf, size_t len)
{
  trace_path(dir, index, TRACE_WRS, buf, len);
}

void rundir_paje_path(const char* dir, size_t index, char* buf, size_t len)
{
  trace_path(dir, index, TRACE_PAJE, buf, len);
}

/* Whether the trace of kind @p k of point @p index is in the directory. */
static int has_trace(const s_rundir_t* rd, size_t index, trace_kind_t k)
{
  char path[PATH_MAX + 64];
  trace_path(rd->dir, index, k, path, sizeof path);
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The last line of every Paje trace, written by vnicsim after SimGrid's own (a comment to Paje readers): the window
 * it covers, in seconds, "inf" for the end of the run. */
#define PAJE_MARK "# vnicsim: paje window "

int rundir_paje_mark(const char* path, const run_options_t* opts, vn_error_t* err)
{
  FILE* f = fopen(path, "a");
  int ok  = f != NULL && fprintf(f, PAJE_MARK "%.17g:%.17g\n", opts->paje_start_s, opts->paje_end_s) > 0;
  ok      = f != NULL && fclose(f) == 0 && ok;
  if (!ok)
    vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot write: %s", strerror(errno));
  return ok ? 0 : -1;
}

/* The window recorded in Paje trace @p path; -1 when it has none (not written by this version). */
static int paje_window_of(const char* path, double* start_s, double* end_s)
{
  FILE* f = fopen(path, "r");
  if (f == NULL)
    return -1;
  char tail[256] = "";
  long size      = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
  size_t n       = 0;
  if (size > 0 && fseek(f, size > (long)sizeof tail - 1 ? size - (long)sizeof tail + 1 : 0, SEEK_SET) == 0)
    n = fread(tail, 1, sizeof tail - 1, f);
  fclose(f);
  tail[n]          = '\0';
  const char* mark = NULL;
  for (const char* p = tail; (p = strstr(p, PAJE_MARK)) != NULL; p++)
    mark = p;
  return mark != NULL && sscanf(mark + strlen(PAJE_MARK), "%lf:%lf", start_s, end_s) == 2 ? 0 : -1;
}

/* A time for people: "20 µs". */
static void time_words(double s, char* buf, size_t len)
{
  double scale     = 1;
  const char* unit = s > 0 ? labels_unit(LABELS_TIME, s, &scale) : "s";
  snprintf(buf, len, "%g %s", s * scale, unit);
}

/* The window START:END in words. */
static void window_words(double start_s, double end_s, char* buf, size_t len)
{
  char a[48], b[48];
  time_words(start_s, a, sizeof a);
  time_words(end_s, b, sizeof b);
  if (start_s <= 0 && isinf(end_s))
    snprintf(buf, len, "the whole run");
  else if (isinf(end_s))
    snprintf(buf, len, "%s to the end", a);
  else
    snprintf(buf, len, "%s to %s", a, b);
}

/* The kept points' Paje traces must cover the window this run traces the others over. */
static int check_resumed_window(rundir_t rd, vn_error_t* err)
{
  for (size_t i = 0; i < rd->n; i++) {
    if (rd->pts[i].state != PT_KEPT)
      continue;
    char path[PATH_MAX + 64];
    trace_path(rd->dir, i, TRACE_PAJE, path, sizeof path);
    double start, end;
    int known = paje_window_of(path, &start, &end) == 0;
    if (known && start == rd->opts->paje_start_s && end == rd->opts->paje_end_s)
      continue;
    char was[128] = "an unknown window", now[128];
    if (known)
      window_words(start, end, was, sizeof was);
    window_words(rd->opts->paje_start_s, rd->opts->paje_end_s, now, sizeof now);
    vn_error_set(err, rd->dir, 0, NULL, NULL, NULL,
                 "--resume --paje: the earlier run traced its points over %s (" TRACE_SUBDIR
                 "/point-%05zu.paje), this one would trace the new points over %s; resume with the earlier run's "
                 "--paje-window, or run again without --resume",
                 was, i, now);
    return -1;
  }
  return 0;
}

/* A resumed run's traces of each kind must cover every point or none: the kept points must have theirs exactly when
 * --trace (--paje) is given (a resumed traced run cannot trace the points it keeps without running them again), and
 * their Paje traces the same window. */
static int check_resumed_traces(rundir_t rd, vn_error_t* err)
{
  for (trace_kind_t k = 0; k < TRACE_KINDS; k++) {
    size_t with = 0, without = 0, first_with = 0, first_without = 0;
    for (size_t i = 0; i < rd->n; i++) {
      if (rd->pts[i].state != PT_KEPT)
        continue;
      if (has_trace(rd, i, k)) {
        if (with++ == 0)
          first_with = i;
      } else if (without++ == 0) {
        first_without = i;
      }
    }
    const char* opt = trace_kinds[k].option;
    const char* ext = trace_kinds[k].ext;
    if (traced(rd->opts, k) && without > 0) {
      vn_error_set(
          err, rd->dir, 0, NULL, NULL, NULL,
          "--resume %s: %zu of the %zu points kept from the earlier run have no trace (the first: " TRACE_SUBDIR
          "/point-%05zu%s), so the directory would hold traces of only some points; run again "
          "without --resume to trace every point, or resume without %s",
          opt, without, rd->kept, first_without, ext, opt);
      return -1;
    }
    if (!traced(rd->opts, k) && with > 0) {
      vn_error_set(err, rd->dir, 0, NULL, NULL, NULL,
                   "--resume without %s: the earlier run traced its points (" TRACE_SUBDIR
                   "/point-%05zu%s ...), so the directory would hold traces of only some points; resume with %s",
                   opt, first_with, ext, opt);
      return -1;
    }
  }
  return rd->opts->paje ? check_resumed_window(rd, err) : 0;
}

/* Free @p rd after a failed open, taking away the lock and the directories it created. */
void rundir_close(rundir_t rd);

static void open_failed(rundir_t rd)
{
  release_lock(rd);
  outfile_made_undo(&rd->made);
  rundir_close(rd);
}

/* A new rundir of @p sc for run directory @p top, writing into @p dir (top, or its part). */
static rundir_t rundir_new(const char* top, const char* dir, const_scenario_t sc, const run_options_t* opts)
{
  rundir_t rd = xbt_new0(s_rundir_t, 1);
  snprintf(rd->dir, sizeof rd->dir, "%s", dir);
  snprintf(rd->top, sizeof rd->top, "%s", top);
  rd->lock_fd = -1;
  rd->sc      = sc;
  rd->opts    = opts;
  rd->n       = scenario_point_count(sc);
  rd->pts     = xbt_new0(pt_t, rd->n);
  rd->ctx     = fp_context(opts->sg_argc, opts->sg_argv);
  fp_study_pairs(rd->ctx, sc, &rd->study);
  return rd;
}

/* Written at once when the directory is taken, before any point runs: the tables (the points kept) and the manifest,
 * so that every row on disk has its fingerprint in the manifest beside it, whenever the run is stopped. */
static int write_initial(rundir_t rd, vn_error_t* err)
{
  return rundir_write_tables(rd, err) != 0 || rundir_write_manifest(rd, 0, 0, err) != 0 ? -1 : 0;
}

rundir_t rundir_open(const char* dir, const_scenario_t sc, const run_options_t* opts, vn_error_t* err)
{
  if (rundir_check_path(dir, "-o", err) != 0)
    return NULL;
  const char* part = shard_part_name(&opts->shard);
  char where[PATH_MAX + 512];
  if (part[0])
    snprintf(where, sizeof where, "%s/" PARTS_SUBDIR "/%s", dir, part);
  else
    snprintf(where, sizeof where, "%s", dir);
  if (part[0] && rundir_check_path(where, "-o (with the part of the selection)", err) != 0)
    return NULL;
  char why[512];
  unsigned char* mask = shard_mask(&opts->shard, scenario_point_count(sc), why, sizeof why);
  if (mask == NULL) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "%s", why);
    return NULL;
  }
  if (!part[0] && !opts->resume && parts_exist(dir)) {
    vn_error_set(err, dir, 0, NULL, NULL, NULL,
                 "this directory holds the parts of a run split into shards (" PARTS_SUBDIR
                 "/...): complete them with --resume, gather them with vnicsim merge, or remove %s/" PARTS_SUBDIR
                 " to start afresh",
                 dir);
    free(mask);
    return NULL;
  }
  rundir_t rd = rundir_new(dir, where, sc, opts);
  rd->mask    = mask;
  for (size_t i = 0; i < rd->n; i++)
    rd->selected += mask[i];
  if (outfile_mkdirs_made(where, &rd->made) != 0) {
    vn_error_set(err, NULL, 0, NULL, "-o", where, "cannot create the output directory: %s", strerror(errno));
    rundir_close(rd);
    return NULL;
  }
  if (take_lock(rd, err) != 0) {
    open_failed(rd);
    return NULL;
  }
  if (opts->resume && (load_earlier(rd, part, err) != 0 || check_resumed_traces(rd, err) != 0)) {
    open_failed(rd);
    return NULL;
  }
  if (opts->trace || opts->paje) {
    char trace[PATH_MAX + 8];
    snprintf(trace, sizeof trace, "%s/" TRACE_SUBDIR, rd->dir);
    outfile_made_t made = {NULL, 0};
    if (outfile_mkdirs_made(trace, &made) != 0) {
      vn_error_set(err, NULL, 0, NULL, opts->trace ? "--trace" : "--paje", trace,
                   "cannot create the trace directory: %s", strerror(errno));
      open_failed(rd);
      return NULL;
    }
    if (made.n > 0) { /* at most trace/ itself: undone with the rest if the run goes no further */
      rd->made.dirs = xbt_realloc(rd->made.dirs, (rd->made.n + made.n) * sizeof *rd->made.dirs);
      memcpy(rd->made.dirs + rd->made.n, made.dirs, made.n * sizeof *made.dirs);
      rd->made.n += made.n;
    }
    free(made.dirs);
  }
  /* Everything is checked: from here on the directory is this run's. */
  remove_temporaries(rd);
  if (!opts->resume) { /* a fresh run replaces the earlier one's results, and so its traces too */
    char trace[PATH_MAX + 8];
    snprintf(trace, sizeof trace, "%s/" TRACE_SUBDIR, rd->dir);
    remove_matching(trace, is_trace);
  }
  outfile_made_free(&rd->made);
  return rd;
}

int rundir_begin(rundir_t rd, vn_error_t* err)
{
  if (write_initial(rd, err) != 0)
    return -1;
  /* What experiment the directory holds: a run of every point starting afresh records its own; any other run records
   * it only if nothing has yet. */
  int whole = rd->opts->shard.kind == SHARD_ALL;
  return study_write(rd->top, rd->opts, whole && !rd->opts->resume, err);
}

rundir_t rundir_open_merge(const char* dir, const_scenario_t sc, const run_options_t* opts, vn_error_t* err)
{
  rundir_t rd = rundir_new(dir, dir, sc, opts);
  rd->merge   = 1;
  rd->mask    = xbt_new(unsigned char, rd->n + 1);
  memset(rd->mask, 1, rd->n + 1);
  rd->selected = rd->n;
  if (take_lock(rd, err) != 0 || load_earlier(rd, "", err) != 0) {
    release_lock(rd);
    rundir_close(rd);
    return NULL;
  }
  remove_temporaries(rd);
  return rd;
}

int rundir_selected(const s_rundir_t* rd, size_t index)
{
  return rd->mask[index];
}

size_t rundir_selected_count(const s_rundir_t* rd)
{
  return rd->selected;
}

void rundir_set_memory_limit(rundir_t rd, double limit_B, const char* from)
{
  rd->memory_limit_B = limit_B;
  snprintf(rd->memory_limit_from, sizeof rd->memory_limit_from, "%s", from);
}

int rundir_state(const s_rundir_t* rd, size_t index)
{
  return rd->pts[index].state;
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

void rundir_set_ok(rundir_t rd, size_t index, const char* row, const char* const* hosts, size_t nhosts,
                   const char* checks, double wall_s)
{
  pt_t* p            = &rd->pts[index];
  const char* prefix = rundir_point_prefix(rd, index);
  p->row             = join(prefix, row);
  p->checks          = join(prefix, checks);
  /* every hosts line gets the prefix (a line is a record, which may itself span lines: a quoted host name) */
  char* text = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&text, &len);
  for (size_t h = 0; h < nhosts; h++)
    fprintf(f, "%s,%s\n", prefix, hosts[h]);
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

static int write_atomically(rundir_t rd, const char* name, void (*fill)(FILE*, rundir_t), vn_error_t* err)
{
  char path[PATH_MAX + 32];
  snprintf(path, sizeof path, "%s/%s", rd->dir, name);
  outfile_t f = outfile_open(path, err);
  if (f == NULL)
    return -1;
  fill(outfile_stream(f), rd);
  return outfile_commit(f, err);
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

int rundir_write_tables(rundir_t rd, vn_error_t* err)
{
  /* stop at the first failure: its error is the one reported */
  if (write_atomically(rd, "results.csv", fill_results, err) != 0 ||
      write_atomically(rd, "hosts.csv", fill_hosts, err) != 0 ||
      write_atomically(rd, "checks.csv", fill_checks, err) != 0)
    return -1;
  return 0;
}

static void write_strings(FILE* f, const char* const* items, int n)
{
  fputc('[', f);
  for (int i = 0; i < n; i++) {
    fputs(i ? ", " : "", f);
    json_write_string(f, items[i]);
  }
  fputc(']', f);
}

/* How the manifest was written: the command, where, and how the run was asked to go (what may differ between two
 * manifests of the same experiment, with the wall times). */
static void fill_run(FILE* f, rundir_t rd)
{
  const run_options_t* o = rd->opts;
  char cwd[PATH_MAX] = ".", host[256] = "";
  if (getcwd(cwd, sizeof cwd) == NULL)
    snprintf(cwd, sizeof cwd, ".");
  gethostname(host, sizeof host - 1);
  fputs("  \"run\": {\n    \"command\": ", f);
  json_write_string(f, rd->merge ? "merge" : "run");
  fputs(",\n    \"command_line\": ", f);
  write_strings(f, (const char* const*)o->argv, o->argc);
  fputs(",\n    \"working_directory\": ", f);
  json_write_string(f, cwd);
  fputs(",\n    \"host\": ", f);
  json_write_string(f, host);
  if (rd->merge) {
    fputs(",\n    \"merged\": ", f);
    write_strings(f, (const char* const*)rd->merged_parts, (int)rd->nmerged);
  } else {
    char sel[512];
    shard_describe(&o->shard, sel, sizeof sel);
    fprintf(f, ",\n    \"jobs\": %d,\n    \"resumed\": %s,\n    \"selection\": ", o->jobs,
            o->resume ? "true" : "false");
    json_write_string(f, sel[0] ? sel : "all");
    fputs(",\n    \"memory_limit_B\": ", f);
    json_write_number(f, rd->memory_limit_B);
    fputs(",\n    \"memory_limit_from\": ", f);
    json_write_string(f, rd->memory_limit_from);
  }
  fputs("\n  },\n", f);
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
  fputs(",\n", f);
  fill_run(f, rd);
  fputs("  \"simgrid_options\": ", f);
  write_strings(f, (const char* const*)o->sg_argv + 1, o->sg_argc - 1);
  fputs(",\n  \"scenario_file\": ", f);
  json_write_string(f, o->scenario_path);
  fputs(",\n  \"sets\": ", f);
  write_strings(f, o->sets, o->nsets);
  fprintf(f, ",\n  \"interrupted\": %s,\n  \"total_wall_time_s\": ", rd->interrupted ? "true" : "false");
  json_write_number(f, rd->total_wall_s);
  fputs(",\n  \"scenario\": ", f);
  scenario_write_json(rd->sc, f, 2);
  char hex[17];
  fp_hex(fp_hash(&rd->study), hex);
  fprintf(f, ",\n  \"study_fingerprint\": \"%s\",\n  \"study\": ", hex);
  fp_pairs_write_json(f, &rd->study);
  fputs(",\n  \"points\": [", f);
  if (rd->fps == NULL) { /* computed once: the manifest is written again after every point */
    rd->fps = xbt_new0(unsigned long long, rd->n + 1);
    for (size_t i = 0; i < rd->n; i++)
      if (rd->mask[i]) {
        point_t pt;
        scenario_point(rd->sc, i, &pt, NULL);
        rd->fps[i] = fp_point(rd->ctx, &pt);
      }
  }
  int first = 1;
  for (size_t i = 0; i < rd->n; i++) {
    if (!rd->mask[i])
      continue;
    const pt_t* p = &rd->pts[i];
    point_t pt;
    scenario_point(rd->sc, i, &pt, NULL);
    fp_hex(rd->fps[i], hex);
    fprintf(f, "%s\n    {\"point\": %zu, \"replication\": %ld, \"seed\": %lu, \"fingerprint\": \"%s\", \"values\": {",
            first ? "" : ",", i, pt.replication, pt.seed, hex);
    first = 0;
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
    if (p->state != PT_NOT_RUN && isfinite(p->wall_s)) {
      fputs(", \"wall_time_s\": ", f);
      json_write_number(f, p->wall_s);
    }
    fputc('}', f);
  }
  fputs("\n  ]\n}\n", f);
}

int rundir_write_progress(rundir_t rd, double elapsed_s, vn_error_t* err)
{
  if (rundir_write_tables(rd, err) != 0)
    return -1;
  return rundir_write_manifest(rd, elapsed_s, 0, err);
}

int rundir_write_manifest(rundir_t rd, double total_wall_s, int interrupted, vn_error_t* err)
{
  rd->total_wall_s = total_wall_s;
  rd->interrupted  = interrupted;
  return write_atomically(rd, "manifest.json", fill_manifest, err);
}

void rundir_close(rundir_t rd)
{
  if (rd == NULL)
    return;
  release_lock(rd);
  outfile_made_free(&rd->made);
  for (size_t i = 0; i < rd->n; i++) {
    free(rd->pts[i].row);
    free(rd->pts[i].hosts);
    free(rd->pts[i].checks);
    free(rd->pts[i].reason);
  }
  free(rd->pts);
  free(rd->prefix);
  free(rd->mask);
  free(rd->fps);
  for (size_t k = 0; k < rd->nmerged; k++)
    free(rd->merged_parts[k]);
  free(rd->merged_parts);
  fp_context_free(rd->ctx);
  fp_pairs_clear(&rd->study);
  free(rd);
}
