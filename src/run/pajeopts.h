/* pajeopts: `vnicsim run --paje` and the user's SimGrid tracing options: which are vnicsim's, which pass through. */
#ifndef VNICSIM_PAJEOPTS_H
#define VNICSIM_PAJEOPTS_H

#include <stddef.h>

#include "base/error.h"
#include "scenario/scenario.h"

/** @brief Check the SimGrid options @p sg_argv[1 .. sg_argc-1] against Paje tracing. With @p paje (run --paje) vnicsim
 *  writes one trace per point and sets tracing, tracing/filename, tracing/platform, tracing/platform/topology,
 *  tracing/precision and tracing/smpi/format itself: a --cfg setting any of them is refused, and so is tracing/vm:yes
 *  (SimGrid 3.32 aborts with it). Without it, turning
 *  tracing on or naming its file is refused (every point would write, and clobber, the same file): --paje is the way.
 *  Every other tracing option passes through to every point (docs/analysis.md). Returns 0, or -1 with @p err naming
 *  the option (bad input). */
int pajeopts_check(int sg_argc, char** sg_argv, int paje, vn_error_t* err);

/** @brief With --paje, refuse a scenario with a point under ns-3: SimGrid 3.32's tracing follows every communication
 *  of the network model through a bandwidth-sharing variable that ns-3's communications do not have, and crashes on
 *  the first one. Returns 0, or -1 with @p err located where the scenario says ns-3 (bad input). */
int pajeopts_check_scenario(const_scenario_t sc, vn_error_t* err);

/** @brief Parse a --paje-window value "START:END" (times with units, e.g. "1ms:2ms"; START may be 0, END must be
 *  after START). Returns 0 with the times in seconds, or -1 with a one-line reason in @p why. */
int pajeopts_window(const char* text, double* start_s, double* end_s, char* why, size_t len);

#endif
