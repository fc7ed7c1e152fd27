/* pajeopts: what `vnicsim run --paje` checks besides the SimGrid options (sgopts.c): its window, and that every
 * point can be traced (see pajeopts.h). */
#include "run/pajeopts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/units.h"

/* The shortest window: the resolution of the trace's times (1 ps), less what a sum of decimal times may lose. */
#define PAJE_WINDOW_MIN_S 0.999e-12

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
  /* The trace's times have 12 digits after the point (model/paje.c): a shorter window would show nothing. */
  if (*end_s - *start_s < PAJE_WINDOW_MIN_S) {
    snprintf(why, len, "END must be at least 1ps after START (the trace's times are in whole picoseconds)");
    return -1;
  }
  return 0;
}
