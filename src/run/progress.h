/* progress: what `vnicsim run` says on stderr while it runs: lines for people, JSON objects for scripts, or nothing. */
#ifndef VNICSIM_PROGRESS_H
#define VNICSIM_PROGRESS_H

#include <stdio.h>

#include "run/runner.h"
#include "scenario/scenario.h"

typedef struct s_progress s_progress_t;
typedef s_progress_t* progress_t;

/** How a run ended, for progress_end(). */
typedef enum {
  PROGRESS_OK,          /* every point succeeded */
  PROGRESS_FAILED,      /* some point failed */
  PROGRESS_INTERRUPTED, /* SIGINT or SIGTERM */
  PROGRESS_ERROR        /* an I/O or internal error stopped the run (already reported) */
} progress_outcome_t;

/** @brief Start reporting a run of @p sc (@p points in all, @p kept of them kept from an earlier run, @p jobs at once,
 *  results in @p dir) on @p out in @p mode, and report its start. The elapsed time counts from now. */
progress_t progress_start(run_progress_t mode, FILE* out, const_scenario_t sc, const char* scenario_path, size_t points,
                          size_t kept, int jobs, const char* dir);

/** @brief Report that point @p index finished after @p wall_s seconds: ok, or failed with @p reason. Counts it. */
void progress_point(progress_t p, size_t index, int ok, double wall_s, const char* reason);

/** @brief Report the end of the run, which exits with @p exit_status. In quiet mode only a failure or an interruption
 *  is reported (what explains a non-zero exit status). */
void progress_end(progress_t p, progress_outcome_t outcome, int exit_status);

/** @brief Points finished so far (ok or failed), and failed ones. */
size_t progress_done(const s_progress_t* p);
size_t progress_failed(const s_progress_t* p);

/** @brief Seconds since progress_start(). */
double progress_elapsed(const s_progress_t* p);

/** @brief Free; NULL is a no-op. */
void progress_free(progress_t p);

/** @brief Write @p seconds for people: "4.21 s", "42.1 s", "3 min 05 s", "2 h 07 min". */
void progress_format_duration(double seconds, char* buf, size_t len);

#endif
