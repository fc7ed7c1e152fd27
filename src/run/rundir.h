/* rundir: a run's output directory: results.csv, hosts.csv, checks.csv and manifest.json, always whole on disk. */
#ifndef VNICSIM_RUNDIR_H
#define VNICSIM_RUNDIR_H

#include "base/error.h"
#include "run/runner.h"
#include "scenario/scenario.h"

typedef struct s_rundir s_rundir_t;
typedef s_rundir_t* rundir_t;

/** @brief Open (create) the output directory @p dir for scenario @p sc. With @p resume, read the results an earlier
 *  run of the same scenario left there and keep every successful point whose point index, replication, seed and
 *  sweep values still match; a results file with other columns is an error (written by another scenario or
 *  version). Returns NULL with @p err. */
rundir_t rundir_open(const char* dir, const_scenario_t sc, const run_options_t* opts, vn_error_t* err);

/** @brief The directory's path. */
const char* rundir_path(const s_rundir_t* rd);

/** @brief Whether point @p index was kept from an earlier run (then it is not run again). */
int rundir_kept(const s_rundir_t* rd, size_t index);

/** @brief How many points were kept. */
size_t rundir_kept_count(const s_rundir_t* rd);

/** @brief The columns every table's line starts with for point @p index: point, replication, seed, sweep values.
 *  The returned string is owned by @p rd until the next call. */
const char* rundir_point_prefix(rundir_t rd, size_t index);

/** @brief Record point @p index as successful: its results.csv line after the prefix (mode .. reason), its hosts.csv
 *  lines after the prefix (one per host, each ending with a newline), its checks.csv line after the prefix, and the
 *  wall time it took. */
void rundir_set_ok(rundir_t rd, size_t index, const char* row, const char* hosts, const char* checks, double wall_s);

/** @brief Record point @p index as failed with @p reason (its results.csv line keeps the parameters, empty metrics,
 *  status "failed" and the reason). */
void rundir_set_failed(rundir_t rd, size_t index, const char* reason, double wall_s);

/** @brief Rewrite results.csv, hosts.csv and checks.csv (each through a temporary file and a rename). */
int rundir_write_tables(rundir_t rd);

/** @brief Write manifest.json the same way: the scenario expanded, versions, command line and every point's status
 *  and wall time. */
int rundir_write_manifest(rundir_t rd, double total_wall_s, int interrupted);

/** @brief Free; NULL is a no-op. */
void rundir_close(rundir_t rd);

#endif
