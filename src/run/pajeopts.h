/* pajeopts: `vnicsim run --paje`: its window, and the points SimGrid cannot trace (the tracing options: sgopts.h). */
#ifndef VNICSIM_PAJEOPTS_H
#define VNICSIM_PAJEOPTS_H

#include <stddef.h>

#include "base/error.h"
#include "scenario/scenario.h"

/** @brief With --paje, refuse a scenario with a point under ns-3: SimGrid 3.32's tracing follows every communication
 *  of the network model through a bandwidth-sharing variable that ns-3's communications do not have, and crashes on
 *  the first one. Returns 0, or -1 with @p err located where the scenario says ns-3 (bad input). */
int pajeopts_check_scenario(const_scenario_t sc, vn_error_t* err);

/** @brief Parse a --paje-window value "START:END": two times with units, as the scenario's times are written
 *  (base/units.h: "1ms:2ms", "0s:250us", "1.5e-3s:2ms"; no NaN, infinity or hexadecimal), START not negative, END at
 *  least 1 ps (the trace's resolution) after START. Returns 0 with the times in seconds, or -1 with a one-line reason
 *  in @p why. */
int pajeopts_window(const char* text, double* start_s, double* end_s, char* why, size_t len);

#endif
