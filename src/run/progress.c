/* progress: what `vnicsim run` says on stderr while it runs (docs/running.md describes both formats).
 *
 * Lines: a start line, then one line per finished point, led by the counts, the time elapsed and an estimate of the
 * time left, followed by the point's sweep values in readable units (as `vnicsim compare` writes them), its status
 * and wall time; then a closing line. JSON: one object per line, with the same facts in SI units. The estimate of
 * the time left assumes the remaining points take, on average, as long as the finished ones did, at the same
 * parallelism: elapsed x (points left / points finished). */
#include "run/progress.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xbt/sysdep.h>

#include "base/json.h"
#include "run/value_labels.h"

#define VALUE_SHOWN_MAX 60 /* a longer value (a long host list) is shortened in a progress line */

struct s_progress {
  run_progress_t mode;
  FILE* out;
  const_scenario_t sc;
  const char* dir;
  size_t points, kept, to_run;
  size_t done, failed;
  double t0;
  int width; /* of the counts */
};

static double monotonic_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_format_duration(double s, char* buf, size_t len)
{
  if (!(s >= 0))
    s = 0;
  if (s < 60) {
    snprintf(buf, len, s < 10 ? "%.2f s" : "%.1f s", s);
    return;
  }
  if (s >= 1e6 * 3600) { /* a million hours and more (or infinite): in hours, without overflowing a long */
    snprintf(buf, len, "%.3g h", s / 3600);
    return;
  }
  long r = lround(s);
  if (r < 3600)
    snprintf(buf, len, "%ld min %02ld s", r / 60, r % 60);
  else
    snprintf(buf, len, "%ld h %02ld min", r / 3600, (r % 3600) / 60);
}

/* Seconds left; NaN while nothing has finished. */
static double estimate_left(const s_progress_t* p)
{
  if (p->done == 0)
    return NAN;
  return progress_elapsed(p) * (double)(p->to_run - p->done) / (double)p->done;
}

progress_t progress_start(run_progress_t mode, FILE* out, const_scenario_t sc, const char* scenario_path, size_t points,
                          size_t kept, int jobs, const char* dir)
{
  progress_t p = xbt_new0(s_progress_t, 1);
  p->mode      = mode;
  p->out       = out;
  p->sc        = sc;
  p->dir       = dir;
  p->points    = points;
  p->kept      = kept;
  p->to_run    = points - kept;
  p->t0        = monotonic_s();
  p->width     = snprintf(NULL, 0, "%zu", p->to_run);
  if (mode == RUN_PROGRESS_LINES) {
    fprintf(out, "vnicsim: %s: %zu points", scenario_path, points);
    if (kept > 0)
      fprintf(out, " (%zu kept from the earlier run, %zu to run)", kept, p->to_run);
    fprintf(out, ", %d at a time, results in %s\n", jobs, dir);
  } else if (mode == RUN_PROGRESS_JSON) {
    fputs("{\"event\": \"start\", \"scenario\": ", out);
    json_write_string(out, scenario_path);
    fputs(", \"dir\": ", out);
    json_write_string(out, dir);
    fprintf(out, ", \"points\": %zu, \"kept\": %zu, \"to_run\": %zu, \"jobs\": %d}\n", points, kept, p->to_run, jobs);
  }
  fflush(out);
  return p;
}

/* The point's sweep values for people: "nic.service-time=20 ns access.mode=lock rep=1". */
static void describe_values(FILE* f, const_scenario_t sc, const point_t* pt)
{
  for (size_t d = 0; d < scenario_sweep_count(sc); d++) {
    const char* name = scenario_sweep_name(sc, d);
    char shown[VALUE_SHOWN_MAX + 64];
    labels_format_value(name, pt->values[d], shown, sizeof shown);
    if (strlen(shown) > VALUE_SHOWN_MAX)
      snprintf(shown + VALUE_SHOWN_MAX - 3, sizeof shown - (VALUE_SHOWN_MAX - 3), "...");
    /* one line whatever the value holds */
    for (char* c = shown; *c; c++)
      if (*c == '\n' || *c == '\r')
        *c = ' ';
    fprintf(f, "%s=%s ", name, shown);
  }
  fprintf(f, "rep=%ld", pt->replication);
}

static void point_line(progress_t p, const point_t* pt, int ok, double wall_s, const char* reason)
{
  char elapsed[32], left[32], wall[32];
  progress_format_duration(progress_elapsed(p), elapsed, sizeof elapsed);
  progress_format_duration(wall_s, wall, sizeof wall);
  double l = estimate_left(p);
  progress_format_duration(l, left, sizeof left);
  fprintf(p->out, "[%*zu/%zu done, %zu failed, %s elapsed, ", p->width, p->done, p->to_run, p->failed, elapsed);
  if (p->done == p->to_run)
    fputs("none left] ", p->out);
  else
    fprintf(p->out, "about %s left] ", left);
  describe_values(p->out, p->sc, pt);
  if (ok)
    fprintf(p->out, ": ok (%s)\n", wall);
  else
    fprintf(p->out, ": FAILED (%s): %s\n", wall, reason);
}

static void point_json(progress_t p, const point_t* pt, size_t index, int ok, double wall_s, const char* reason)
{
  FILE* f = p->out;
  fprintf(f, "{\"event\": \"point\", \"point\": %zu, \"replication\": %ld, \"values\": {", index, pt->replication);
  for (size_t d = 0; d < scenario_sweep_count(p->sc); d++) {
    fputs(d ? ", " : "", f);
    json_write_string(f, scenario_sweep_name(p->sc, d));
    fputs(": ", f);
    json_write_string(f, pt->values[d]);
  }
  fprintf(f, "}, \"status\": \"%s\", ", ok ? "ok" : "failed");
  if (!ok) {
    fputs("\"reason\": ", f);
    json_write_string(f, reason);
    fputs(", ", f);
  }
  fputs("\"wall_s\": ", f);
  json_write_number(f, wall_s);
  fprintf(f, ", \"done\": %zu, \"failed\": %zu, \"to_run\": %zu, \"elapsed_s\": ", p->done, p->failed, p->to_run);
  json_write_number(f, progress_elapsed(p));
  fputs(", \"left_s\": ", f);
  json_write_number(f, estimate_left(p));
  fputs("}\n", f);
}

void progress_point(progress_t p, size_t index, int ok, double wall_s, const char* reason)
{
  p->done++;
  p->failed += !ok;
  if (p->mode == RUN_PROGRESS_QUIET)
    return;
  point_t pt;
  if (scenario_point(p->sc, index, &pt, NULL) != 0)
    return;
  if (p->mode == RUN_PROGRESS_LINES)
    point_line(p, &pt, ok, wall_s, reason != NULL ? reason : "");
  else
    point_json(p, &pt, index, ok, wall_s, reason != NULL ? reason : "");
  fflush(p->out);
}

void progress_end(progress_t p, progress_outcome_t outcome, int exit_status)
{
  static const char* const names[] = {"ok", "failed", "interrupted", "error"};
  char total[32];
  progress_format_duration(progress_elapsed(p), total, sizeof total);
  if (p->mode == RUN_PROGRESS_JSON) {
    fprintf(p->out, "{\"event\": \"end\", \"status\": \"%s\", \"done\": %zu, \"failed\": %zu, \"to_run\": %zu, ",
            names[outcome], p->done, p->failed, p->to_run);
    fputs("\"elapsed_s\": ", p->out);
    json_write_number(p->out, progress_elapsed(p));
    fputs(", \"dir\": ", p->out);
    json_write_string(p->out, p->dir);
    fprintf(p->out, ", \"exit_status\": %d}\n", exit_status);
  } else if (outcome == PROGRESS_INTERRUPTED) {
    fprintf(p->out,
            "vnicsim: interrupted after %zu of %zu points; the finished ones are in %s (run again with --resume to "
            "run the others)\n",
            p->done, p->to_run, p->dir);
  } else if (outcome == PROGRESS_FAILED) {
    fprintf(p->out, "vnicsim: %zu of %zu points failed (see the status and reason columns of %s/results.csv)\n",
            p->failed, p->to_run, p->dir);
  } else if (outcome == PROGRESS_OK && p->mode == RUN_PROGRESS_LINES) {
    fprintf(p->out, "vnicsim: %zu points in %s; results in %s/results.csv\n", p->to_run, total, p->dir);
  }
  fflush(p->out);
}

size_t progress_done(const s_progress_t* p)
{
  return p->done;
}

size_t progress_failed(const s_progress_t* p)
{
  return p->failed;
}

double progress_elapsed(const s_progress_t* p)
{
  return monotonic_s() - p->t0;
}

void progress_free(progress_t p)
{
  free(p);
}
