/* pajeopts: the SimGrid tracing options of `vnicsim run` and `check` (see pajeopts.h).
 *
 * SimGrid's tracing writes one file per process, named by tracing/filename, and every point of a run is its own
 * process: given to every point, the user's tracing options would make them all write, and clobber, one file. With
 * --paje vnicsim names each point's file and sets what its traces need (model/paje.c); the user's other tracing
 * options (tracing/uncategorized, tracing/actor, tracing/comment, tracing/disable_link ...) reach every point and add
 * to each point's own file what SimGrid records with them. */
#include "run/pajeopts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/units.h"

/* Set by vnicsim for every point of run --paje, each for a reason (model/paje.c says which). */
static const char* const owned[] = {"tracing",           "tracing/filename",
                                    "tracing/platform",  "tracing/platform/topology",
                                    "tracing/precision", "tracing/smpi/format"};

/* SimGrid's reading of a boolean (xbt/config.cpp): 1 true, 0 false, -1 neither (SimGrid refuses it itself). */
static int sg_boolean(const char* v)
{
  static const char* const yes[] = {"yes", "on", "true", "1"};
  static const char* const no[]  = {"no", "off", "false", "0"};
  for (size_t i = 0; i < 4; i++) {
    if (strcmp(v, yes[i]) == 0)
      return 1;
    if (strcmp(v, no[i]) == 0)
      return 0;
  }
  return -1;
}

/* One setting "name:value" of a --cfg option. */
static int check_setting(const char* option, const char* name, const char* value, int paje, vn_error_t* err)
{
  if (paje) {
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
      if (strcmp(name, owned[i]) == 0) {
        vn_error_set(err, option, 0, NULL, NULL, NULL,
                     "with --paje vnicsim sets %s itself (each point writes DIR/trace/point-N.paje; "
                     "see docs/analysis.md for the tracing options it sets and those that pass through)",
                     name);
        return -1;
      }
    if (strcmp(name, "tracing/vm") == 0 && value != NULL && sg_boolean(value) == 1) {
      vn_error_set(err, option, 0, NULL, NULL, NULL,
                   "SimGrid 3.32 aborts with tracing/vm and the platform's hierarchy, which --paje traces (it makes "
                   "every host's container twice)");
      return -1;
    }
    return 0;
  }
  if ((strcmp(name, "tracing") == 0 && value != NULL && sg_boolean(value) == 1) ||
      strcmp(name, "tracing/filename") == 0) {
    vn_error_set(err, option, 0, NULL, NULL, NULL,
                 "SimGrid's tracing would make every point write the same file: use --paje, which writes one trace "
                 "per point (DIR/trace/point-N.paje)");
    return -1;
  }
  return 0;
}

int pajeopts_check(int sg_argc, char** sg_argv, int paje, vn_error_t* err)
{
  for (int i = 1; i < sg_argc; i++) {
    if (strncmp(sg_argv[i], "--cfg=", 6) != 0)
      continue;
    /* settings separated by blanks or commas, name and value by the first ':', as SimGrid splits them */
    char* copy = strdup(sg_argv[i] + 6);
    char* save = NULL;
    int rc     = 0;
    for (char* tok = strtok_r(copy, " \t\n,", &save); tok != NULL && rc == 0; tok = strtok_r(NULL, " \t\n,", &save)) {
      char* colon = strchr(tok, ':');
      if (colon != NULL)
        *colon = '\0';
      rc = check_setting(sg_argv[i], tok, colon != NULL ? colon + 1 : NULL, paje, err);
    }
    free(copy);
    if (rc != 0)
      return -1;
  }
  return 0;
}

int pajeopts_check_scenario(const_scenario_t sc, vn_error_t* err)
{
  size_t n = scenario_point_count(sc);
  for (size_t i = 0; i < n; i++) {
    point_t pt;
    if (scenario_point(sc, i, &pt, err) != 0)
      return -1;
    if (strcmp(pt.params.network_model, "ns-3") != 0)
      continue;
    const char* why = "--paje cannot trace a point under ns-3: SimGrid 3.32's tracing crashes on ns-3's "
                      "communications (it reads a bandwidth-sharing variable they do not have)";
    if (scenario_locate(sc, i, "platform.network-model", why, err) != 0)
      vn_error_set(err, scenario_path(sc), 0, NULL, NULL, NULL, "%s", why);
    return -1;
  }
  return 0;
}

int pajeopts_window(const char* text, double* start_s, double* end_s, char* why, size_t len)
{
  const char* colon = strchr(text, ':');
  if (colon == NULL || strchr(colon + 1, ':') != NULL) {
    snprintf(why, len, "expected START:END, two times with units (e.g. 1ms:2ms)");
    return -1;
  }
  char start[128], reason[256];
  snprintf(start, sizeof start, "%.*s", (int)(colon - text), text);
  if (units_parse(UNIT_TIME, start, start_s, reason, sizeof reason) != 0) {
    snprintf(why, len, "START '%s': %s", start, reason);
    return -1;
  }
  if (units_parse(UNIT_TIME, colon + 1, end_s, reason, sizeof reason) != 0) {
    snprintf(why, len, "END '%s': %s", colon + 1, reason);
    return -1;
  }
  if (*start_s < 0) {
    snprintf(why, len, "START must not be negative");
    return -1;
  }
  if (!(*end_s > *start_s)) {
    snprintf(why, len, "END must be after START");
    return -1;
  }
  return 0;
}
