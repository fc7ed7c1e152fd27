/* runner: runs every point of a scenario, each in its own process, and keeps the results files whole. */
#ifndef VNICSIM_RUNNER_H
#define VNICSIM_RUNNER_H

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
  int sg_argc;            /* SimGrid options, sg_argv[0] being the program name */
  char** sg_argv;
  int argc; /* the whole command line, for the manifest */
  char** argv;
} run_options_t;

/** @brief `vnicsim run`: validate everything (scenario, overrides, platforms) before touching the output directory,
 *  then run every point (opts->jobs at a time, each in a child process: SimGrid has one engine per process) and
 *  write DIR/results.csv, DIR/hosts.csv, DIR/checks.csv (rewritten atomically after each point, so an interrupted
 *  run leaves every finished point readable) and DIR/manifest.json. Returns the process exit status: 0 when every
 *  point succeeded, 1 when some failed or an internal error happened, 2 for bad input, 130/143 when interrupted. */
int runner_run(const run_options_t* opts);

/** @brief `vnicsim check`: the same validation as runner_run (platforms included), a summary on stdout, nothing
 *  written. Returns 0 or 2. */
int runner_check(const run_options_t* opts);

#endif
