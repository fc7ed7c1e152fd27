/* rundir: a run's output directory: results.csv, hosts.csv, checks.csv and manifest.json, always whole on disk. */
#ifndef VNICSIM_RUNDIR_H
#define VNICSIM_RUNDIR_H

#include "base/error.h"
#include "run/runner.h"
#include "scenario/scenario.h"

typedef struct s_rundir s_rundir_t;
typedef s_rundir_t* rundir_t;

/** @brief Whether @p dir can be a run directory's path: not empty, short enough for the longest file vnicsim writes
 *  in it to fit in PATH_MAX, and no component longer than NAME_MAX. @p what names the path in the error ("-o").
 *  Returns 0, or -1 with @p err. Creates nothing. */
int rundir_check_path(const char* dir, const char* what, vn_error_t* err);

/** @brief Open (create) the output directory @p dir for scenario @p sc and take it: a lock file (".vnicsim-run.lock",
 *  holding this process's PID, locked with flock()) refuses a second run into the same directory while this one
 *  lasts, naming the PID that holds it; the lock of a run that was killed is taken over, with a message on stderr.
 *  With opts->resume, read the results an earlier run of the same scenario left there and keep every successful point
 *  whose point index, replication, seed and sweep values still match; a results file with other columns is an error
 *  (written by another scenario or version), and so are kept points whose traces do not match opts->trace and
 *  opts->paje (all of them traced with --trace, none without; the same for --paje, whose traces must also cover the
 *  same --paje-window). Then the temporaries a killed run
 * left are removed, and, without
 *  --resume, the per-point traces of the earlier run. Returns NULL with @p err (bad input: the path, the lock, the
 *  earlier results), having created nothing. */
rundir_t rundir_open(const char* dir, const_scenario_t sc, const run_options_t* opts, vn_error_t* err);

/** @brief Before the first point runs: write the tables (the points kept) and the manifest, so that every row on disk
 *  has its fingerprint beside it however the run ends, and record the experiment in the run directory's study.json
 *  (a run of every point starting afresh replaces it; any other run writes it only when there is none). Returns 0, or
 *  -1 with @p err naming the file that could not be written (an I/O error). */
int rundir_begin(rundir_t rd, vn_error_t* err);

/** @brief `vnicsim merge`: take run directory @p dir (its lock) and read every point its own tables and its parts hold,
 *  each checked against the fingerprint @p sc gives it (a point of another experiment is refused, with @p err naming
 *  the part, the point and the first value that differs). An ok row wins over a failed one. Write the result with
 *  rundir_write_tables() and rundir_write_manifest(). Returns NULL with @p err. */
rundir_t rundir_open_merge(const char* dir, const_scenario_t sc, const run_options_t* opts, vn_error_t* err);

/** @brief Whether point @p index is among those this run takes (--shard, --points), and how many it takes. */
int rundir_selected(const s_rundir_t* rd, size_t index);
size_t rundir_selected_count(const s_rundir_t* rd);

/** @brief What point @p index is now: 0 not run, 1 ok, 2 failed, 3 kept from an earlier run. */
int rundir_state(const s_rundir_t* rd, size_t index);

/** @brief Record the memory limit the points were checked against, and where it comes from, for the manifest. */
void rundir_set_memory_limit(rundir_t rd, double limit_B, const char* from);

/** @brief Rewrite the tables, then the manifest (as of @p elapsed_s seconds into the run), after a point. */
int rundir_write_progress(rundir_t rd, double elapsed_s, vn_error_t* err);

/** @brief The path of point @p index's per-WR trace in run directory @p dir: DIR/trace/point-NNNNN.csv. */
void rundir_trace_path(const char* dir, size_t index, char* buf, size_t len);

/** @brief The path of point @p index's Paje trace in run directory @p dir: DIR/trace/point-NNNNN.paje. */
void rundir_paje_path(const char* dir, size_t index, char* buf, size_t len);

/** @brief End the Paje trace at @p path (SimGrid has written and closed it) with a comment line saying which window
 *  of simulated time it covers (opts->paje_start_s, opts->paje_end_s), which --resume checks the kept points' traces
 *  against. Returns 0, or -1 with @p err when it cannot be written. */
int rundir_paje_mark(const char* path, const run_options_t* opts, vn_error_t* err);

/** @brief The directory's path. */
const char* rundir_path(const s_rundir_t* rd);

/** @brief Whether point @p index was kept from an earlier run (then it is not run again). */
int rundir_kept(const s_rundir_t* rd, size_t index);

/** @brief How many points were kept. */
size_t rundir_kept_count(const s_rundir_t* rd);

/** @brief The columns every table's line starts with for point @p index: point, replication, seed, sweep values.
 *  The returned string is owned by @p rd until the next call. */
const char* rundir_point_prefix(rundir_t rd, size_t index);

/** @brief Record point @p index as successful: its results.csv line after the prefix (mode .. reason), its @p nhosts
 *  hosts.csv records after the prefix (one per host, without line end), its checks.csv line after the prefix, and
 *  the wall time it took. */
void rundir_set_ok(rundir_t rd, size_t index, const char* row, const char* const* hosts, size_t nhosts,
                   const char* checks, double wall_s);

/** @brief Record point @p index as failed with @p reason (its results.csv line keeps the parameters, empty metrics,
 *  status "failed" and the reason). */
void rundir_set_failed(rundir_t rd, size_t index, const char* reason, double wall_s);

/** @brief Rewrite results.csv, hosts.csv and checks.csv (each through a temporary file and a rename). Returns 0, or
 *  -1 with @p err naming the file that could not be written and why. */
int rundir_write_tables(rundir_t rd, vn_error_t* err);

/** @brief Write manifest.json the same way: the scenario expanded, versions, command line and every point's status
 *  and wall time. */
int rundir_write_manifest(rundir_t rd, double total_wall_s, int interrupted, vn_error_t* err);

/** @brief Release the directory (its lock file is removed) and free; NULL is a no-op. */
void rundir_close(rundir_t rd);

#endif
