/* sgopts: the SimGrid options (--cfg, --log) given to `vnicsim run`, `check` and `bench`, checked before any point
 * runs. */
#ifndef VNICSIM_SGOPTS_H
#define VNICSIM_SGOPTS_H

#include "base/error.h"

/** @brief Check the SimGrid options @p sg_argv[1 .. sg_argc-1] ("--cfg=name:value ...", "--log=..."), in two steps.
 *  First the settings that would contradict what the scenario and the results files say, or what vnicsim sets
 *  itself, each refused with what to use instead: network/model (the scenario's <platform network-model>),
 *  surf/precision (fixed by vnicsim), and SimGrid's tracing. Without @p paje (run --paje), tracing turned on and
 *  tracing/filename are refused (one file for every point): --paje is the way to a trace. With it, vnicsim sets
 *  tracing, tracing/filename, tracing/platform, tracing/platform/topology, tracing/precision and tracing/smpi/format
 *  itself, and refuses them, and tracing/vm and tracing/actor turned on (SimGrid 3.32 aborts with the first, and
 *  writes the trace out of time order with the second). Every other tracing option
 *  passes through. Then, in a child process that only initialises SimGrid with them, whether SimGrid accepts them at
 *  all (a bad key, value or log threshold). Every error names the option as given. Returns 0, or -1 with @p err (bad
 *  input). */
int sgopts_check(int sg_argc, char** sg_argv, int paje, vn_error_t* err);

/** @brief Call @p fn(name, value, data) for each setting of the --cfg option @p option ("--cfg=a:1 b:2,c:3"), split
 *  as SimGrid 3.32 splits it (settings separated by blanks or commas, name and value by the first ':'); a setting
 *  without ':' gives value NULL. Stops at, and returns, the first non-zero result of @p fn; 0 otherwise. */
int sgopts_each_setting(const char* option, int (*fn)(const char* name, const char* value, void* data), void* data);

#endif
