/* parts: what a run directory holds: its own tables (DIR/results.csv ...) and the parts that runs of a selection of
 * points wrote (DIR/parts/NAME/...), read back and checked point by point against the scenario's fingerprints. */
#ifndef VNICSIM_PARTS_H
#define VNICSIM_PARTS_H

#include <stdio.h>

#include "base/error.h"
#include "run/fingerprint.h"
#include "scenario/scenario.h"

/** Where the parts live below a run directory. */
#define PARTS_SUBDIR "parts"
/** The lock file of a run directory or of a part. */
#define PARTS_LOCK_NAME ".vnicsim-run.lock"

typedef enum { PARTS_NONE = 0, PARTS_OK, PARTS_FAILED } parts_state_t;

/** What the directory holds of one point. */
typedef struct parts_point {
  parts_state_t state;
  char* row;     /* results.csv line, whole (no line end) */
  char* hosts;   /* hosts.csv lines, each ending with a line end (ok points) */
  char* checks;  /* checks.csv line (ok points) */
  char* reason;  /* failed points */
  double wall_s; /* as its manifest recorded it; NAN when unknown */
  int source;    /* index of the source it was read from */
  int running;   /* not done, and among the points of a part that a run is writing now */
} parts_point_t;

/** A directory read: the run directory itself (name "") or one of its parts. */
typedef struct parts_source {
  char name[128];
  char path[4352];
  int live; /* a run holds its lock now */
  long pid; /* the PID and host that hold it */
  char host[128];
  size_t ok, failed, selected; /* rows read, and points its manifest says it was given */
  int interrupted;
} parts_source_t;

typedef struct s_parts s_parts_t;
typedef s_parts_t* parts_t;

/** Which sources parts_gather() reads. */
typedef enum {
  PARTS_ALL,     /* the directory's own tables and every part */
  PARTS_ONE_PART /* only the part called `part` */
} parts_scope_t;

/** @brief Read what directory @p dir holds of scenario @p sc: its own tables and its parts (@p scope), each point of
 *  each one checked against the fingerprint the scenario gives it now (through @p ctx): a point whose fingerprint
 *  differs, tables whose columns are another scenario's, or rows without the fingerprints of a manifest are refused
 *  (NULL, with @p err naming the source, the point and the first value that differs, both ways). Several sources may
 *  hold one point: an ok row wins over a failed one. Missing tables are no error (nothing to read). */
parts_t parts_gather(const char* dir, parts_scope_t scope, const char* part, const_scenario_t sc, fpctx_t ctx,
                     vn_error_t* err);

/** @brief Number of points of the scenario, and what the directory holds of point @p i. */
size_t parts_count(const s_parts_t* p);
const parts_point_t* parts_point(const s_parts_t* p, size_t i);

/** @brief Take the text of point @p i's record (the caller frees it; the record is left empty). */
void parts_take(parts_t p, size_t i, parts_point_t* out);

/** @brief The sources read (the directory's own first when it has tables, then the parts by name). */
size_t parts_source_count(const s_parts_t* p);
const parts_source_t* parts_source(const s_parts_t* p, size_t k);

/** @brief Points that two sources both hold as ok with rows that differ (a run is reproducible: this should be 0). */
size_t parts_conflicts(const s_parts_t* p);

/** @brief Free; NULL is a no-op. */
void parts_free(parts_t p);

/** @brief Whether the lock file @p lock_path is held by a running vnicsim now; if so, its PID and host (from the
 *  file) into @p pid and @p host. */
int parts_lock_held(const char* lock_path, long* pid, char* host, size_t hostlen);

/** @brief Whether @p dir has a parts/ folder holding at least one part (a directory). */
int parts_exist(const char* dir);

/** @brief Write the header of table @p table ("results.csv", "hosts.csv" or "checks.csv") of @p sc (no line end). */
void parts_write_header(FILE* out, const_scenario_t sc, const char* table);

/** @brief Write the columns every table's line starts with for point @p index: point, replication, seed, sweep
 *  values. */
void parts_write_prefix(FILE* out, const_scenario_t sc, size_t index);

#endif
