/* merge: gathering a run directory's parts, and telling how far its experiment is (see merge.h). */
#include "run/merge.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xbt/sysdep.h>

#include "base/error.h"
#include "run/fingerprint.h"
#include "run/parts.h"
#include "run/progress.h"
#include "run/rundir.h"
#include "run/runner.h"
#include "run/study.h"

/* What merge and status share: the experiment DIR records, its scenario loaded again where it was given. */
typedef struct experiment {
  char dir[PATH_MAX]; /* absolute */
  char back[PATH_MAX];
  study_t study;
  run_options_t opts;
  scenario_t sc;
  int* nhosts;
} experiment_t;

static void experiment_close(experiment_t* x)
{
  free(x->nhosts);
  scenario_free(x->sc);
  study_free(&x->study);
  if (x->back[0] && chdir(x->back) != 0) {
    /* nothing left to do in the directory we came from */
  }
}

/* Returns 0, or -1 with @p err. */
static int experiment_open(const char* dir, int argc, char** argv, experiment_t* x, vn_error_t* err)
{
  memset(x, 0, sizeof *x);
  if (realpath(dir, x->dir) == NULL) {
    vn_error_set(err, dir, 0, NULL, NULL, NULL, "cannot open the run directory: %s", strerror(errno));
    return -1;
  }
  if (study_read(x->dir, &x->study, err) != 0)
    return -1;
  if (getcwd(x->back, sizeof x->back) == NULL)
    x->back[0] = '\0';
  /* the scenario's paths (its own, its platforms') are as they were given there */
  if (chdir(x->study.working_directory) != 0) {
    vn_error_set(err, x->dir, 0, NULL, NULL, NULL,
                 "the scenario %s was given from the directory %s, which cannot be entered here (%s): run this where "
                 "that directory exists",
                 x->study.scenario_file, x->study.working_directory, strerror(errno));
    return -1;
  }
  run_options_t* o = &x->opts;
  o->scenario_path = x->study.scenario_file;
  o->sets          = (const char**)x->study.sets;
  o->nsets         = x->study.nsets;
  o->jobs          = 1;
  o->sg_argc       = x->study.sg_argc;
  o->sg_argv       = x->study.sg_argv;
  o->argc          = argc;
  o->argv          = argv;
  x->sc            = runner_load(o, &x->nhosts, err);
  return x->sc != NULL ? 0 : -1;
}

/* The indices of the points of @p p in @p state (and not running, unless @p running), as a mask; returns the count. */
static size_t mask_of(const s_parts_t* p, int (*keep)(const parts_point_t*), unsigned char* mask)
{
  size_t n = 0;
  for (size_t i = 0; i < parts_count(p); i++)
    n += mask[i] = (unsigned char)keep(parts_point(p, i));
  return n;
}

static int is_ok(const parts_point_t* q)
{
  return q->state == PARTS_OK;
}
static int is_failed(const parts_point_t* q)
{
  return q->state == PARTS_FAILED && !q->running;
}
static int is_running(const parts_point_t* q)
{
  return q->state != PARTS_OK && q->running;
}
static int is_missing(const parts_point_t* q)
{
  return q->state == PARTS_NONE && !q->running;
}
static int is_to_run(const parts_point_t* q)
{
  return is_missing(q) || is_failed(q);
}

static void say_command(const experiment_t* x)
{
  fprintf(stderr, "vnicsim: run them with: vnicsim run %s -o %s --resume", x->study.scenario_file, x->dir);
  for (int i = 0; i < x->study.nsets; i++)
    fprintf(stderr, " --set '%s'", x->study.sets[i]);
  fprintf(stderr, " (or vnicsim submit ... --slurm --resume)\n");
}

int merge_command(const char* dir, int argc, char** argv)
{
  vn_error_t err;
  vn_error_clear(&err);
  experiment_t x;
  if (experiment_open(dir, argc, argv, &x, &err) != 0) {
    vn_error_print(&err, stderr);
    experiment_close(&x);
    return VN_EXIT_INPUT;
  }
  rundir_t rd = rundir_open_merge(x.dir, x.sc, &x.opts, &err);
  if (rd == NULL) {
    vn_error_print(&err, stderr);
    experiment_close(&x);
    return VN_EXIT_INPUT;
  }
  int rc = 0;
  if (rundir_write_tables(rd, &err) != 0 || rundir_write_manifest(rd, 0, 0, &err) != 0) {
    vn_error_print(&err, stderr);
    rc = VN_EXIT_INTERNAL;
  }
  size_t n = scenario_point_count(x.sc), ok = 0, failed = 0;
  unsigned char* fmask = xbt_new0(unsigned char, n + 1);
  unsigned char* mmask = xbt_new0(unsigned char, n + 1);
  for (size_t i = 0; i < n; i++) {
    int s = rundir_state(rd, i);
    ok += s == 1;
    failed += fmask[i] = s == 2;
    mmask[i]           = s == 0;
  }
  size_t missing = n - ok - failed;
  rundir_close(rd);
  if (rc == 0 && ok == n) {
    fprintf(stderr, "vnicsim: merged the %zu points of %s into %s/results.csv\n", n, x.study.scenario_file, x.dir);
  } else if (rc == 0) {
    fprintf(stderr, "vnicsim: %s: %zu of %zu points are ok", x.dir, ok, n);
    if (missing > 0) {
      fprintf(stderr, "; %zu missing: ", missing);
      shard_write_ranges(stderr, mmask, n, 20);
    }
    if (failed > 0) {
      fprintf(stderr, "; %zu failed: ", failed);
      shard_write_ranges(stderr, fmask, n, 20);
    }
    fprintf(stderr, " (the merged tables hold the others; vnicsim status %s says more)\n", dir);
    say_command(&x);
    rc = VN_EXIT_INTERNAL;
  }
  free(fmask);
  free(mmask);
  experiment_close(&x);
  return rc;
}

int status_command(const char* dir, int missing_only)
{
  vn_error_t err;
  vn_error_clear(&err);
  experiment_t x;
  char* argv[] = {"vnicsim", "status", (char*)dir, NULL};
  if (experiment_open(dir, 3, argv, &x, &err) != 0) {
    vn_error_print(&err, stderr);
    experiment_close(&x);
    return VN_EXIT_INPUT;
  }
  fpctx_t ctx = fp_context(x.opts.sg_argc, x.opts.sg_argv);
  parts_t p   = parts_gather(x.dir, PARTS_ALL, NULL, x.sc, ctx, &err);
  if (p == NULL) {
    vn_error_print(&err, stderr);
    fp_context_free(ctx);
    experiment_close(&x);
    return VN_EXIT_INPUT;
  }
  size_t n            = parts_count(p);
  unsigned char* mask = xbt_new0(unsigned char, n + 1);
  size_t ok = mask_of(p, is_ok, mask), failed = mask_of(p, is_failed, mask), running = mask_of(p, is_running, mask),
         missing = mask_of(p, is_missing, mask);
  if (missing_only) {
    mask_of(p, is_to_run, mask);
    shard_write_ranges(stdout, mask, n, 0);
    fputc('\n', stdout);
  } else {
    /* where the points were read: the parts, and the directory's own tables when they hold any */
    size_t nparts = 0, own = 0;
    for (size_t k = 0; k < parts_source_count(p); k++) {
      const parts_source_t* s = parts_source(p, k);
      if (s->name[0])
        nparts++;
      else
        own = s->ok + s->failed;
    }
    printf("%s: scenario %s (\"%s\"), %zu points, read from %zu part%s%s\n", x.dir, x.study.scenario_file,
           scenario_base(x.sc)->name, n, nparts, nparts == 1 ? "" : "s",
           own > 0 ? " and the directory's own tables" : "");
    printf("  ok       %6zu\n", ok);
    static int (*const kinds[])(const parts_point_t*) = {is_failed, is_running, is_missing};
    static const char* const names[]                  = {"failed", "running", "missing"};
    size_t counts[]                                   = {failed, running, missing};
    for (int k = 0; k < 3; k++) {
      printf("  %-8s %6zu", names[k], counts[k]);
      if (counts[k] > 0) {
        mask_of(p, kinds[k], mask);
        fputs(": ", stdout);
        shard_write_ranges(stdout, mask, n, 30);
      }
      fputc('\n', stdout);
    }
    for (size_t k = 0; k < parts_source_count(p); k++) {
      const parts_source_t* s = parts_source(p, k);
      if (s->live)
        printf("  running: %s (PID %ld%s%s)\n", s->name[0] ? s->name : ".", s->pid, s->host[0] ? " on " : "", s->host);
    }
    for (size_t i = 0, shown = 0; i < n && shown < 5; i++)
      if (is_failed(parts_point(p, i))) {
        printf("  failed point %zu: %s\n", i, parts_point(p, i)->reason ? parts_point(p, i)->reason : "");
        shown++;
      }
    /* time: spent on the points done; left, the estimates of the others scaled by the done points' actual pace */
    double spent = 0, est_done = 0, est_left = 0;
    size_t timed = 0;
    for (size_t i = 0; i < n; i++) {
      const parts_point_t* q = parts_point(p, i);
      double e               = runner_estimate_wall(x.sc, i, x.nhosts[i]);
      if (q->state != PARTS_NONE && isfinite(q->wall_s)) {
        spent += q->wall_s;
        est_done += e;
        timed++;
      }
      if (q->state != PARTS_OK)
        est_left += e;
    }
    double scale = timed > 0 && est_done > 0 ? spent / est_done : 1;
    char a[64], b[64];
    progress_format_duration(spent, a, sizeof a);
    progress_format_duration(est_left * scale, b, sizeof b);
    printf("  wall time: %s spent on %zu points; about %s left for the other %zu (one after the other; %s)\n", a, timed,
           b, n - ok, timed > 0 ? "the estimates scaled by the pace of the points done" : "estimated");
  }
  int rc = ok == n ? 0 : VN_EXIT_INTERNAL;
  free(mask);
  parts_free(p);
  fp_context_free(ctx);
  experiment_close(&x);
  return rc;
}
