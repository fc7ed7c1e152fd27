/* slurm: a scenario submitted to Slurm as an array job of shards and a merge job (see slurm.h).
 *
 * Everything the cluster runs is written down first, readable: the array's batch script holds the exact vnicsim
 * command of every task, and N-submit.sh the sbatch commands, which `submit` then runs itself (with --dry-run it stops
 * there, and the user can run them). Each task resumes its own part (--resume), so a task that Slurm requeues after a
 * preemption goes on where it stopped; the merge job runs when every task has ended, however it ended
 * (--dependency=afterany), and says which points are missing. */
#include "run/slurm.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xbt/sysdep.h>

#include "base/outfile.h"
#include "model/estimate.h"
#include "run/fingerprint.h"
#include "run/parts.h"
#include "run/progress.h"
#include "run/rundir.h"
#include "run/study.h"

/* The longest time limit `submit` derives by itself: a year. An estimate past it is refused rather than written as a
 * limit no site grants; --time overrides. */
#define SLURM_MAX_DEFAULT_MIN (366.0 * 24 * 60)

/* The most memory `submit` asks for by itself, in MiB: 64 TiB, twice the largest shared-memory nodes built. An
 * estimate past it is refused rather than written as a --mem no node has (sbatch would refuse the job, after the
 * scripts were written); --mem overrides. */
#define SLURM_MAX_DEFAULT_MEM_MIB (64.0 * 1024 * 1024)

int slurm_parse_mem(const char* text, double* bytes)
{
  /* a whole number (as sbatch reads it), then at most one unit letter */
  size_t n = strspn(text, "0123456789");
  if (n == 0 || n > 15)
    return -1;
  double v = strtod(text, NULL);
  if (!(v > 0))
    return -1;
  const char* end = text + n;
  double unit     = 1024.0 * 1024;
  if (*end != '\0') {
    const char* units = "KMGT";
    const char* u     = strchr(units, *end);
    if (u == NULL || *u == '\0' || end[1] != '\0')
      return -1;
    unit = pow(1024.0, (double)(u - units + 1));
  }
  *bytes = v * unit;
  return 0;
}

int slurm_check_time(const char* text)
{
  /* "M", "M:S", "H:M:S", "D-H", "D-H:M", "D-H:M:S"; each field digits only; "0" is Slurm's "no limit" */
  if (strcasecmp(text, "UNLIMITED") == 0 || strcasecmp(text, "INFINITE") == 0)
    return 0;
  const char* p = text;
  int days = 0, fields = 0;
  for (;;) {
    size_t n = strspn(p, "0123456789");
    if (n == 0 || n > 9)
      return -1;
    p += n;
    fields++;
    if (*p == '-' && !days && fields == 1) {
      days   = 1;
      fields = 0;
      p++;
      continue;
    }
    if (*p == ':' && fields < 3) {
      p++;
      continue;
    }
    break;
  }
  return *p == '\0' ? 0 : -1;
}

/* Whether @p s holds a control character (a line break would end an #SBATCH line and start a shell command). */
static int has_control(const char* s)
{
  for (const unsigned char* c = (const unsigned char*)s; *c; c++)
    if (*c < 0x20 || *c == 0x7f)
      return 1;
  return 0;
}

/* @p s with its control characters written as \n, \t or \xHH (an error message stays one line), into @p buf. */
static const char* printable(const char* s, char* buf, size_t len)
{
  size_t k = 0;
  for (const unsigned char* c = (const unsigned char*)s; *c && k + 5 < len; c++) {
    if (*c == '\n')
      k += (size_t)snprintf(buf + k, len - k, "\\n");
    else if (*c == '\t')
      k += (size_t)snprintf(buf + k, len - k, "\\t");
    else if (*c < 0x20 || *c == 0x7f)
      k += (size_t)snprintf(buf + k, len - k, "\\x%02x", *c);
    else
      buf[k++] = (char)*c;
  }
  buf[k] = '\0';
  return buf;
}

/* The options written into the batch scripts, checked: 0, or -1 with @p err. */
static int check_options(const slurm_options_t* s, vn_error_t* err)
{
  char shown[512];
  if (s->time != NULL && slurm_check_time(s->time) != 0) {
    vn_error_set(err, NULL, 0, NULL, "--time", printable(s->time, shown, sizeof shown),
                 "not a Slurm time limit (minutes, M:S, H:M:S, D-H, D-H:M or D-H:M:S: 90, 1:30:00, 2-00:00:00)");
    return -1;
  }
  if (s->partition != NULL && (s->partition[0] == '\0' || has_control(s->partition) || strchr(s->partition, ' '))) {
    vn_error_set(err, NULL, 0, NULL, "--partition", printable(s->partition, shown, sizeof shown),
                 "not a partition name (empty, or blanks in it)");
    return -1;
  }
  for (int i = 0; i < s->nsbatch_args; i++) {
    const char* a = s->sbatch_args[i];
    if (a[0] != '-' || has_control(a)) {
      vn_error_set(err, NULL, 0, NULL, "--sbatch-arg", printable(a, shown, sizeof shown),
                   "not one sbatch option on one line (it must start with '-': --sbatch-arg=--account=proj)");
      return -1;
    }
  }
  return 0;
}

/* @p s quoted for the shell when it needs it. */
static void put_word(FILE* f, const char* s)
{
  if (s[0] != '\0' &&
      strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == strlen(s)) {
    fputs(s, f);
    return;
  }
  fputc('\'', f);
  for (const char* c = s; *c; c++)
    if (*c == '\'')
      fputs("'\\''", f);
    else
      fputc(*c, f);
  fputc('\'', f);
}

/* Whether @p prog is an executable in PATH. */
static int in_path(const char* prog)
{
  const char* path = getenv("PATH");
  if (path == NULL)
    return 0;
  char* copy = xbt_strdup(path);
  int found  = 0;
  for (char *save = NULL, *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
    char full[PATH_MAX + 64];
    snprintf(full, sizeof full, "%s/%s", d, prog);
    found = access(full, X_OK) == 0;
  }
  free(copy);
  return found;
}

/* The output of @p cmd (through /bin/sh), malloc'ed, and its exit status in *status. */
static char* run_shell(const char* cmd, int* status)
{
  fflush(NULL);
  FILE* p = popen(cmd, "r");
  if (p == NULL) {
    *status = -1;
    return xbt_strdup("");
  }
  char* text = NULL;
  size_t len = 0;
  FILE* m    = open_memstream(&text, &len);
  char buf[4096];
  for (size_t k; (k = fread(buf, 1, sizeof buf, p)) > 0;)
    fwrite(buf, 1, k, m);
  fclose(m);
  *status = pclose(p);
  return text;
}

/* The cluster's MaxArraySize (0 when scontrol cannot tell). */
static long max_array_size(void)
{
  if (!in_path("scontrol"))
    return 0;
  int st;
  char* out = run_shell("scontrol show config 2>/dev/null", &st);
  long v    = 0;
  char* at  = strstr(out, "MaxArraySize");
  if (at != NULL && (at = strchr(at, '=')) != NULL)
    v = strtol(at + 1, NULL, 10);
  free(out);
  return v;
}

/* The jobs of earlier submissions into @p slurmdir that Slurm still has queued or running ("" if none). */
static void earlier_jobs_alive(const char* slurmdir, char* buf, size_t len)
{
  buf[0] = '\0';
  char path[PATH_MAX + 64];
  snprintf(path, sizeof path, "%s/jobs", slurmdir);
  FILE* f = fopen(path, "r");
  if (f == NULL || !in_path("squeue")) {
    if (f != NULL)
      fclose(f);
    return;
  }
  char ids[4096] = "", line[256];
  size_t used    = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    long n, a, m;
    if (sscanf(line, "%ld %ld %ld", &n, &a, &m) == 3 && used + 48 < sizeof ids)
      used += (size_t)snprintf(ids + used, sizeof ids - used, "%s%ld,%ld", used ? "," : "", a, m);
  }
  fclose(f);
  if (used == 0)
    return;
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "squeue -h -o '%%i %%T' -j %s 2>/dev/null", ids);
  int st;
  char* out               = run_shell(cmd, &st);
  out[strcspn(out, "\n")] = '\0';
  snprintf(buf, len, "%s", out);
  free(out);
}

/* The submissions already in @p slurmdir (N-tasks.sbatch), so that this one is the next. */
static int next_submission(const char* slurmdir)
{
  for (int n = 1;; n++) {
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%d-tasks.sbatch", slurmdir, n);
    if (access(path, F_OK) != 0)
      return n;
  }
}

typedef struct plan {
  size_t n;              /* points of the scenario */
  unsigned char* to_run; /* the points to run */
  size_t count;
  long tasks;
  int by_list; /* tasks get --points lists (resume), not --shard K/T */
  double mem_B, task_s;
} plan_t;

/* The vnicsim command of task @p t (without "exec"). */
static void task_command(FILE* f, const char* self, const run_options_t* o, const char* dir, const plan_t* pl, long t)
{
  put_word(f, self);
  fputs(" run ", f);
  put_word(f, o->scenario_path);
  fputs(" -o ", f);
  put_word(f, dir);
  if (pl->by_list) {
    unsigned char* mine = xbt_new0(unsigned char, pl->n + 1);
    size_t k            = 0;
    for (size_t i = 0; i < pl->n; i++)
      if (pl->to_run[i])
        mine[i] = (long)(k++ % (size_t)pl->tasks) == t;
    fputs(" --points ", f);
    shard_write_ranges(f, mine, pl->n, 0);
    free(mine);
  } else {
    fprintf(f, " --shard %ld/%ld", t, pl->tasks);
  }
  fputs(" --resume", f);
  if (o->jobs > 1)
    fprintf(f, " -j %d", o->jobs);
  for (int i = 0; i < o->nsets; i++) {
    fputs(" --set ", f);
    put_word(f, o->sets[i]);
  }
  if (o->trace)
    fputs(" --trace", f);
  if (o->point_timeout_s > 0)
    fprintf(f, " --point-timeout %g", o->point_timeout_s);
  if (o->memory_limit_B > 0)
    fprintf(f, " --memory-limit %.0fB", o->memory_limit_B);
  for (int i = 1; i < o->sg_argc; i++) {
    fputc(' ', f);
    put_word(f, o->sg_argv[i]);
  }
}

static void header(FILE* f, const char* what, int sub, const run_options_t* o, const char* cwd)
{
  fprintf(f, "#!/bin/bash\n# vnicsim submission %d: %s\n# written by:", sub, what);
  for (int i = 0; i < o->argc; i++) {
    fputc(' ', f);
    put_word(f, o->argv[i]);
  }
  fprintf(f, "\n# (in %s)\n", cwd);
}

static void sbatch_lines(FILE* f, const slurm_options_t* s)
{
  if (s->partition != NULL) {
    fputs("#SBATCH --partition=", f);
    put_word(f, s->partition);
    fputc('\n', f);
  }
  for (int i = 0; i < s->nsbatch_args; i++)
    fprintf(f, "#SBATCH %s\n", s->sbatch_args[i]);
}

int slurm_submit(const run_options_t* opts, const slurm_options_t* s)
{
  vn_error_t err;
  vn_error_clear(&err);
  int* nhosts   = NULL;
  scenario_t sc = runner_load(opts, &nhosts, &err);
  if (sc == NULL) {
    vn_error_print(&err, stderr);
    return VN_EXIT_INPUT;
  }
  int rc = VN_EXIT_INPUT;
  char dirbuf[PATH_MAX], cwd[PATH_MAX], self[PATH_MAX], slurmdir[PATH_MAX + 16];
  const char* dir = opts->out_dir;
  if (dir == NULL) {
    snprintf(dirbuf, sizeof dirbuf, "results/%s", scenario_base(sc)->name);
    dir = dirbuf;
  }
  plan_t pl = {.n = scenario_point_count(sc)};
  pl.to_run = xbt_new0(unsigned char, pl.n + 1);
  if (getcwd(cwd, sizeof cwd) == NULL || realpath("/proc/self/exe", self) == NULL) {
    fprintf(stderr, "vnicsim: error: cannot tell this directory or vnicsim's own path: %s\n", strerror(errno));
    goto out;
  }
  if (rundir_check_path(dir, "-o", &err) != 0 || check_options(s, &err) != 0)
    goto fail;
  /* without sbatch there is nothing to submit to: say so before writing anything */
  if (!s->dry_run && !in_path("sbatch")) {
    vn_error_set(&err, NULL, 0, NULL, NULL, NULL,
                 "submit --slurm: sbatch is not in PATH: submit from a machine of the Slurm cluster, or write the "
                 "batch scripts with "
                 "--dry-run and run DIR/slurm/N-submit.sh where sbatch is");
    goto fail;
  }
  snprintf(slurmdir, sizeof slurmdir, "%s/slurm", dir);

  /* What to run: every point, or (--resume) those the directory does not hold as ok. */
  if (!opts->resume) {
    char res[PATH_MAX + 32];
    snprintf(res, sizeof res, "%s/results.csv", dir);
    if (parts_exist(dir) || access(res, F_OK) == 0) {
      vn_error_set(&err, dir, 0, NULL, NULL, NULL,
                   "this directory holds results already: submit with --resume to run only the points it misses, or "
                   "write to another directory with -o");
      goto fail;
    }
    memset(pl.to_run, 1, pl.n);
    pl.count = pl.n;
  } else {
    char alive[512];
    earlier_jobs_alive(slurmdir, alive, sizeof alive);
    if (alive[0]) {
      vn_error_set(&err, slurmdir, 0, NULL, NULL, NULL,
                   "jobs of an earlier submission are still queued or running (%s): wait for them, or scancel them, "
                   "before resubmitting",
                   alive);
      goto fail;
    }
    fpctx_t ctx = fp_context(opts->sg_argc, opts->sg_argv);
    parts_t p   = parts_gather(dir, PARTS_ALL, NULL, sc, ctx, &err);
    fp_context_free(ctx);
    if (p == NULL)
      goto fail;
    for (size_t k = 0; k < parts_source_count(p); k++)
      if (parts_source(p, k)->live) {
        vn_error_set(&err, parts_source(p, k)->path, 0, NULL, NULL, NULL,
                     "a vnicsim run is writing this part now (PID %ld%s%s): resubmit when it has ended",
                     parts_source(p, k)->pid, parts_source(p, k)->host[0] ? " on " : "", parts_source(p, k)->host);
        parts_free(p);
        goto fail;
      }
    for (size_t i = 0; i < pl.n; i++)
      pl.count += pl.to_run[i] = parts_point(p, i)->state != PARTS_OK;
    parts_free(p);
    pl.by_list = 1;
    if (pl.count == 0) {
      fprintf(stderr, "vnicsim: %s holds every point of %s: nothing to submit (vnicsim merge %s gathers them)\n", dir,
              opts->scenario_path, dir);
      rc = 0;
      goto out;
    }
  }
  pl.tasks = s->tasks > 0 ? s->tasks : 100;
  if ((size_t)pl.tasks > pl.count)
    pl.tasks = (long)pl.count;
  long max_array = max_array_size();
  if (max_array > 0 && pl.tasks > max_array) {
    vn_error_set(&err, NULL, 0, NULL, "--tasks", NULL,
                 "%ld tasks are more than this cluster's MaxArraySize (%ld; scontrol show config): give --tasks %ld or "
                 "fewer (each task then runs about %zu points)",
                 pl.tasks, max_array, max_array, (pl.count + (size_t)max_array - 1) / (size_t)max_array);
    goto fail;
  }

  /* Memory and time per task, from the estimates (model/estimate.h) of the points each runs. */
  double limit = opts->memory_limit_B, biggest = 0, total = 0, longest = 0;
  size_t over = 0, first_over = 0;
  double requested = 0;
  if (s->mem != NULL && slurm_parse_mem(s->mem, &requested) != 0) {
    vn_error_set(&err, NULL, 0, NULL, "--mem", s->mem,
                 "not a Slurm memory size (a number of MiB, or with a suffix K, M, G or T: 4000M, 16G)");
    goto fail;
  }
  if (limit <= 0)
    limit = requested;
  for (size_t i = 0; i < pl.n; i++) {
    if (!pl.to_run[i])
      continue;
    point_t pt;
    scenario_point(sc, i, &pt, NULL);
    estimate_t m      = estimate_memory(&pt.params, nhosts[i]);
    estimate_time_t t = estimate_wall(&pt.params, nhosts[i]);
    biggest           = fmax(biggest, m.total_B);
    longest           = fmax(longest, t.total_s);
    total += t.total_s;
    if (limit > 0 && m.total_B * opts->jobs > limit && over++ == 0)
      first_over = i;
  }
  if (over > 0) {
    point_t pt;
    scenario_point(sc, first_over, &pt, NULL);
    vn_error_set(&err, opts->scenario_path, 0, NULL, NULL, NULL,
                 "point %zu needs an estimated %.0f MiB of memory%s, more than the %.0f MiB of %s (%zu points in all); "
                 "give more with --mem, or --memory-limit SIZE to check against another limit (the estimate errs on "
                 "the high side: docs/model.md, section 7.5)",
                 first_over, estimate_memory(&pt.params, nhosts[first_over]).total_B / 1048576.0,
                 opts->jobs > 1 ? " (times -j)" : "", limit / 1048576.0,
                 opts->memory_limit_B > 0 ? "--memory-limit" : "--mem", over);
    goto fail;
  }
  /* a task runs about count/tasks points, -j at a time; its time limit leaves room for a slower node */
  pl.task_s       = fmax(longest, total / (double)pl.tasks / opts->jobs);
  double mem_mib  = ceil((biggest * opts->jobs * 1.25 + 64 * 1048576.0) / (64 * 1048576.0)) * 64;
  double want_min = ceil((3 * pl.task_s + 300) / 60);
  if (s->time == NULL && !(want_min <= SLURM_MAX_DEFAULT_MIN)) {
    char est[64];
    progress_format_duration(pl.task_s, est, sizeof est);
    vn_error_set(&err, opts->scenario_path, 0, NULL, NULL, NULL,
                 "--time not given and a task is estimated to run about %s, so its default time limit (3 x that "
                 "+ 5 min) would pass a year; give --time yourself, or more --tasks (docs/cluster.md says how far "
                 "the estimate can miss)",
                 est);
    goto fail;
  }
  if (s->mem == NULL && !(mem_mib <= SLURM_MAX_DEFAULT_MEM_MIB)) {
    vn_error_set(&err, opts->scenario_path, 0, NULL, NULL, NULL,
                 "--mem not given and a task is estimated to need about %.0f MiB (%.3g TiB: its largest point%s, plus "
                 "a quarter), more than any node has; give --mem yourself, or make the points smaller (the estimate "
                 "errs on the high side: docs/model.md, section 7.5)",
                 mem_mib, mem_mib / 1048576.0, opts->jobs > 1 ? " times -j" : "");
    goto fail;
  }
  char mem[64], tlimit[64];
  if (s->mem != NULL)
    snprintf(mem, sizeof mem, "%s", s->mem);
  else
    snprintf(mem, sizeof mem, "%.0fM", mem_mib);
  if (s->time != NULL)
    snprintf(tlimit, sizeof tlimit, "%s", s->time);
  else
    snprintf(tlimit, sizeof tlimit, "%.0f", fmax(want_min, 10)); /* at most a year here: no cast to overflow */

  /* The scripts. */
  char logs[PATH_MAX + 32];
  snprintf(logs, sizeof logs, "%s/logs", slurmdir);
  if (outfile_mkdirs(logs) != 0) {
    vn_error_set(&err, NULL, 0, NULL, "-o", logs, "cannot create the directory: %s", strerror(errno));
    goto fail;
  }
  char abslogs[PATH_MAX + 64];
  if (realpath(logs, abslogs) == NULL)
    snprintf(abslogs, sizeof abslogs, "%s", logs);
  int sub = next_submission(slurmdir);
  char tasks_path[PATH_MAX + 64], merge_path[PATH_MAX + 64], submit_path[PATH_MAX + 64];
  snprintf(tasks_path, sizeof tasks_path, "%s/%d-tasks.sbatch", slurmdir, sub);
  snprintf(merge_path, sizeof merge_path, "%s/%d-merge.sbatch", slurmdir, sub);
  snprintf(submit_path, sizeof submit_path, "%s/%d-submit.sh", slurmdir, sub);
  char abs_tasks[PATH_MAX + 160], abs_merge[PATH_MAX + 160];
  snprintf(abs_tasks, sizeof abs_tasks, "%s/../%d-tasks.sbatch", abslogs, sub);
  snprintf(abs_merge, sizeof abs_merge, "%s/../%d-merge.sbatch", abslogs, sub);

  outfile_t f = outfile_open(tasks_path, &err);
  if (f == NULL)
    goto fail;
  FILE* o = outfile_stream(f);
  char what[PATH_MAX * 2 + 128], tw[64];
  progress_format_duration(pl.task_s, tw, sizeof tw);
  snprintf(what, sizeof what, "%zu points of %s in %ld tasks, results in %s", pl.count, opts->scenario_path, pl.tasks,
           dir);
  header(o, what, sub, opts, cwd);
  fprintf(o,
          "# Each task runs its points with `vnicsim run ... --resume` into %s/parts/<its part>: a task that Slurm\n"
          "# requeues goes on where it stopped. %d-merge.sbatch gathers the parts when every task has ended.\n"
          "# Estimates (vnicsim check): largest point %.0f MiB, a task about %s.\n",
          dir, sub, biggest / 1048576.0, tw);
  fprintf(o, "#SBATCH --job-name=vnicsim-%s\n#SBATCH --array=0-%ld\n#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=%d\n",
          scenario_base(sc)->name, pl.tasks - 1, opts->jobs);
  fprintf(o, "#SBATCH --mem=%s\n#SBATCH --time=%s\n#SBATCH --output=%s/%d-task-%%a.out\n", mem, tlimit, abslogs, sub);
  sbatch_lines(o, s);
  fputs("set -eu\ncd ", o);
  put_word(o, cwd);
  fputs("\ncase \"${SLURM_ARRAY_TASK_ID:?this is a Slurm array job: submit it with sbatch}\" in\n", o);
  for (long t = 0; t < pl.tasks; t++) {
    fprintf(o, "  %ld) exec ", t);
    task_command(o, self, opts, dir, &pl, t);
    fputs(" ;;\n", o);
  }
  fputs("  *) echo \"vnicsim: this array has no task $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;\nesac\n", o);
  if (outfile_commit(f, &err) != 0)
    goto fail;

  if ((f = outfile_open(merge_path, &err)) == NULL)
    goto fail;
  o = outfile_stream(f);
  header(o, "gathers the parts once every task of the array has ended", sub, opts, cwd);
  fprintf(o, "#SBATCH --job-name=vnicsim-%s-merge\n#SBATCH --ntasks=1\n#SBATCH --mem=1G\n#SBATCH --time=60\n",
          scenario_base(sc)->name);
  fprintf(o, "#SBATCH --output=%s/%d-merge.out\n", abslogs, sub);
  sbatch_lines(o, s);
  fputs("set -eu\ncd ", o);
  put_word(o, cwd);
  fputs("\nexec ", o);
  put_word(o, self);
  fputs(" merge ", o);
  put_word(o, dir);
  fputc('\n', o);
  if (outfile_commit(f, &err) != 0)
    goto fail;

  if ((f = outfile_open(submit_path, &err)) == NULL)
    goto fail;
  o = outfile_stream(f);
  fprintf(o,
          "#!/bin/sh\n# vnicsim submission %d: the array, then the merge once every task has ended (afterany).\n"
          "# Prints \"tasks JOBID\" and \"merge JOBID\".\nset -eu\ntasks=$(sbatch --parsable ",
          sub);
  put_word(o, abs_tasks);
  fputs(")\ntasks=${tasks%%;*}\necho \"tasks $tasks\"\nmerge=$(sbatch --parsable --dependency=afterany:$tasks ", o);
  put_word(o, abs_merge);
  fputs(")\necho \"merge ${merge%%;*}\"\n", o);
  if (outfile_commit(f, &err) != 0)
    goto fail;
  chmod(tasks_path, 0755);
  chmod(merge_path, 0755);
  chmod(submit_path, 0755);
  if (study_write(dir, opts, !opts->resume, &err) != 0)
    goto fail;

  fprintf(stderr, "vnicsim: %s: %zu points in %ld tasks (--mem=%s --time=%s each); scripts in %s\n",
          opts->scenario_path, pl.count, pl.tasks, mem, tlimit, slurmdir);
  if (s->dry_run) {
    fprintf(stderr, "vnicsim: --dry-run: nothing submitted; sh %s submits them\n", submit_path);
    rc = 0;
    goto out;
  }
  char cmd[PATH_MAX + 128];
  snprintf(cmd, sizeof cmd, "sh '%s'", submit_path);
  int st;
  char* ans = run_shell(cmd, &st);
  long tj = 0, mj = 0;
  char* t  = strstr(ans, "tasks ");
  char* m2 = strstr(ans, "merge ");
  if (t != NULL)
    tj = strtol(t + 6, NULL, 10);
  if (m2 != NULL)
    mj = strtol(m2 + 6, NULL, 10);
  free(ans);
  if (st != 0 || tj <= 0 || mj <= 0) {
    fprintf(stderr, "vnicsim: error: sbatch failed (its message is above; %s holds the commands)\n", submit_path);
    rc = VN_EXIT_INTERNAL;
    goto out;
  }
  char jobs[PATH_MAX + 64];
  snprintf(jobs, sizeof jobs, "%s/jobs", slurmdir);
  FILE* j = fopen(jobs, "a");
  if (j != NULL) {
    fprintf(j, "%d %ld %ld\n", sub, tj, mj);
    fclose(j);
  }
  printf("%ld %ld\n", tj, mj);
  fprintf(stderr, "vnicsim: submitted array job %ld (%ld tasks) and merge job %ld; vnicsim status %s follows them\n",
          tj, pl.tasks, mj, dir);
  rc = 0;
  goto out;
fail:
  vn_error_print(&err, stderr);
  rc = VN_EXIT_INPUT;
out:
  free(pl.to_run);
  free(nhosts);
  scenario_free(sc);
  return rc;
}
