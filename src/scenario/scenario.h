/* scenario: loading a scenario XML file (schema-validated), --set overrides, and resolving its sweep points. */
#ifndef VNICSIM_SCENARIO_H
#define VNICSIM_SCENARIO_H

#include <stdio.h>

#include "base/error.h"
#include "scenario/param_table.h"
#include "scenario/sweep.h"

#define SCENARIO_MAX_SWEEPS 16
/** Most run points (sweep combinations times replications) a scenario may have. */
#define SCENARIO_MAX_POINTS 100000

typedef struct s_scenario s_scenario_t;
typedef s_scenario_t* scenario_t;
typedef const s_scenario_t* const_scenario_t;

/** One run point: a combination of sweep values and one replication. */
typedef struct point {
  size_t index;       /* 0 .. scenario_point_count()-1; replications vary fastest, then the last sweep */
  size_t combination; /* index of the sweep combination (index / replications) */
  long replication;   /* 0-based */
  unsigned long seed; /* the scenario's seed + replication */
  params_t params;    /* everything resolved: defaults, file, --set, then this point's sweep values */
  const char* values[SCENARIO_MAX_SWEEPS]; /* per sweep dimension, the CSV text of this point's value
                                              (numbers in SI base units, enum names, or a case label);
                                              owned by the scenario */
} point_t;

/** @brief Load @p path: parse (no network, no entities, no DTD), validate against the embedded schema, read every
 *  attribute through params, resolve the platform path against the scenario's directory and check it is a
 *  readable regular file, and record the sweeps. Returns NULL with @p err filled on bad input. */
scenario_t scenario_load(const char* path, vn_error_t* err);

/** @brief Apply one command-line override "element.attribute=value" to the base parameters (before sweeps).
 *  An unknown element or attribute, or a bad value, is an error naming the --set. Returns 0 or -1. */
int scenario_set(scenario_t sc, const char* assignment, vn_error_t* err);

/** @brief Cross-field checks on every point (e.g. requests and duration both given, rate missing for an open
 *  loop, an unknown access mode). Call after all scenario_set(). Returns 0 or -1 with @p err. */
int scenario_check(const_scenario_t sc, vn_error_t* err);

/** @brief Fill @p err with @p reason, located where the value of parameter @p key ("element.attribute") used by point
 *  @p index was written: the attribute's line in the file, the sweep or <set> that gave it, or the --set; the
 *  point's sweep values are named when there are sweeps. For problems found outside the parser (for instance when
 *  SimGrid loads the platform). Returns 0, or -1 for an unknown key or index. */
int scenario_locate(const_scenario_t sc, size_t index, const char* key, const char* reason, vn_error_t* err);

/** @brief The scenario file path as given by the user. */
const char* scenario_path(const_scenario_t sc);

/** @brief Base parameters: defaults, then the file's attributes, then --set overrides. */
const params_t* scenario_base(const_scenario_t sc);

/** @brief Number of sweep dimensions (at most SCENARIO_MAX_SWEEPS), in the order they are written. */
size_t scenario_sweep_count(const_scenario_t sc);
/** @brief The CSV column name of dimension @p d: the parameter's "element.attribute" for a value sweep, or the
 *  sweep's name for a sweep of labelled cases; NULL when @p d is out of range. */
const char* scenario_sweep_name(const_scenario_t sc, size_t d);
/** @brief Sweep dimension @p d (owned by the scenario), or NULL when @p d is out of range. */
const_sweep_t scenario_sweep(const_scenario_t sc, size_t d);
/** @brief Number of values of sweep dimension @p d. */
size_t scenario_sweep_size(const_scenario_t sc, size_t d);

/** @brief Number of run points: the product of the sweep sizes times the replications. */
size_t scenario_point_count(const_scenario_t sc);

/** @brief Resolve run point @p index into @p out. Returns 0, or -1 with @p err (a sweep value invalid for the
 *  parameter it sets is already rejected by scenario_load, so this fails only for an index out of range). */
int scenario_point(const_scenario_t sc, size_t index, point_t* out, vn_error_t* err);

/** @brief Write the expanded scenario as one JSON object (every parameter with its default filled in, written with
 *  units, the sweeps with their values, the seed and replications), indented by @p indent spaces (scenario_json.c). */
void scenario_write_json(const_scenario_t sc, FILE* out, int indent);

/** @brief Free everything; NULL is a no-op. */
void scenario_free(scenario_t sc);

#endif
