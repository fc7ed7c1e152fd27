/* runner: runs every point of a scenario, each in its own process, and keeps the results files whole. */
#ifndef VNICSIM_RUNNER_H
#define VNICSIM_RUNNER_H

#include "base/error.h"
#include "run/shard.h"
#include "scenario/scenario.h"

/** What `vnicsim run` says while it runs (progress.h; the formats are in docs/running.md). */
typedef enum {
  RUN_PROGRESS_LINES = 0, /* a line per finished point, for people */
  RUN_PROGRESS_JSON,      /* one JSON object per line, for scripts */
  RUN_PROGRESS_QUIET      /* nothing but errors, failures and interruptions */
} run_progress_t;

/** What `vnicsim run` and `vnicsim check` were asked. */
typedef struct run_options {
  const char* scenario_path;
  const char* out_dir; /* NULL: results/<scenario name> */
  const char** sets;   /* "element.attribute=value" overrides, in order */
  int nsets;
  int jobs;            /* points run at once (>= 1) */
  int trace;           /* write DIR/trace/point-N.csv */
  int paje;            /* write DIR/trace/point-N.paje through SimGrid's tracing (run/pajeopts.h) */
  double paje_start_s; /* the window of simulated time it records (0 and INFINITY: the whole run) */
  double paje_end_s;
  int resume;             /* keep the finished points of an earlier run of the same scenario in DIR */
  double point_timeout_s; /* kill a point running longer (0: no limit) */
  run_progress_t progress;
  shard_t shard;         /* the points this run takes (--shard, --points; default all) */
  double memory_limit_B; /* --memory-limit: refuse points estimated above it (0: this machine's memory) */
  int sg_argc;           /* SimGrid options, sg_argv[0] being the program name */
  char** sg_argv;
  int argc; /* the whole command line, for the manifest */
  char** argv;
} run_options_t;

/** @brief `vnicsim run`: validate everything (SimGrid options, scenario, overrides, platforms, the output path, the
 *  directory's lock) before changing anything in the output directory,
 *  then run every point (opts->jobs at a time, each in a child process: SimGrid has one engine per process) and
 *  write DIR/results.csv, DIR/hosts.csv, DIR/checks.csv (rewritten atomically after each point, so an interrupted
 *  run leaves every finished point readable) and DIR/manifest.json. Returns the process exit status: 0 when every
 *  point succeeded, 1 when some failed or an internal error happened, 2 for bad input, 130/143 when interrupted. */
int runner_run(const run_options_t* opts);

/** @brief `vnicsim check`: the same validation as runner_run (SimGrid options and platforms included), a summary on
 *  stdout, nothing written. Returns 0 or 2. */
int runner_check(const run_options_t* opts);

/** @brief Load the scenario of @p opts with its overrides and check it, its SimGrid options and its platforms as `run`
 *  does; @p nhosts (may be NULL) gets a malloc'ed array of every point's number of selected hosts. Returns NULL with
 *  @p err (bad input). */
scenario_t runner_load(const run_options_t* opts, int** nhosts, vn_error_t* err);

/** @brief The estimated wall time of point @p index of @p sc on @p nhosts hosts (model/estimate.h). */
double runner_estimate_wall(const_scenario_t sc, size_t index, int nhosts);

#endif
