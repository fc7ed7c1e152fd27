/* sgtrace: the calls of SimGrid's own tracing (Paje) that vnicsim's traces use, and the one hook of platform loading
 * they need; a thin C++ shim with a C interface (see sgtrace.cpp for why). */
#ifndef VNICSIM_SGTRACE_H
#define VNICSIM_SGTRACE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Declare a host variable (a row of values on every host container), with a Paje color "r g b". */
void sgtrace_declare_variable(const char* name, const char* color);

/** @brief Variable @p name of host @p host: set to @p value, or (@p add) changed by @p value, at time @p t, which may
 *  be in the future or the past: SimGrid keeps the events of a run and writes them sorted by time. */
void sgtrace_variable(const char* host, const char* name, double t, double value, int add);

/** @brief Have SimGrid write the trace's events as the simulation goes, each once the clock is @p lag_s past it,
 *  rather than keep them all in memory until the simulation ends. Only for a trace whose every event is given at most
 *  @p lag_s before the clock at the time it is given (sgtrace_variable checks it for the variables): SimGrid's own
 *  resource-utilization events (tracing/categorized, tracing/uncategorized) are given at the start of the action they
 *  account for, which may be far in the past. Written this way, the file is the same, byte for byte. */
void sgtrace_write_as_you_go(double lag_s);

/** @brief Declare a state type on every host container, and one of its values with a Paje color "r g b". */
void sgtrace_declare_state(const char* type);
void sgtrace_declare_state_value(const char* type, const char* value, const char* color);

/** @brief State @p type of host @p host is @p value from the current simulated time on (SetState). */
void sgtrace_set_state(const char* host, const char* type, const char* value);

/** @brief State @p type of host @p host ends at the current simulated time (PopState after a SetState: nothing is
 *  shown afterwards). */
void sgtrace_end_state(const char* host, const char* type);

/** A callback of SimGrid's kernel at a given simulated time (opaque). */
typedef struct sgtrace_timer sgtrace_timer_t;

/** @brief Have SimGrid's kernel call @p fn(@p data) when the simulated time reaches @p date (>= the current time),
 *  between two scheduling rounds, outside any actor: the callback may trace, nothing else. Unlike an actor's wait, it
 *  creates no activity, so it changes nothing in the order in which actors run. Returns the timer, which is freed
 *  once it has fired. */
sgtrace_timer_t* sgtrace_timer_set(double date, void (*fn)(void* data), void* data);

/** @brief Cancel a timer that has not fired yet (and free it). */
void sgtrace_timer_cancel(sgtrace_timer_t* timer);

/** @brief Make @p n hosts named @p names in a zone of their own named @p zone, outside the platform: no route reaches
 *  them and nothing runs on them, but SimGrid's tracing gives each one a container, i.e. a row in ViTE. Call from an
 *  sgtrace_on_platform_read callback (the tracing of the platform only gives containers to what is made then). */
void sgtrace_make_row_hosts(const char* zone, const char* const* names, size_t n);

/** @brief Call @p fn(@p data) once the platform file has been read, before SimGrid's tracing finishes its own set-up
 *  of the platform. Connect before simgrid_load_platform(). */
void sgtrace_on_platform_read(void (*fn)(void* data), void* data);

#ifdef __cplusplus
}
#endif

#endif
