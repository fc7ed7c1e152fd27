/* netcomm: asynchronous host-to-host transfers that report their end through a callback, without an actor each.
 *
 * SimGrid 3.32's C binding only has the blocking sg_host_sendto(); its C++ API has Comm::sendto_async() and the
 * Activity::on_completion signal. This component is the one place that reaches them (netcomm.cpp, a thin C++ shim
 * with a C interface), so that the transport can start any number of transfers from kernel timers and be told, in
 * SimGrid's kernel context, when each ends. */
#ifndef VNICSIM_NETCOMM_H
#define VNICSIM_NETCOMM_H

#include <simgrid/forward.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A timer set by netcomm_at(), never 0. */
typedef unsigned long long netcomm_timer_t;

/** A transfer in flight (opaque). */
typedef struct netcomm netcomm_t;

/** Called in SimGrid's kernel context when a transfer ends, at its end time (simgrid_get_clock()): it may do model
 *  bookkeeping and release semaphores, but must not block, nor release @p c. */
typedef void (*netcomm_done_f)(void* owner, void* token, netcomm_t* c);

/** @brief Start sending @p bytes from @p from to @p to now, on the platform's network model; @p done(@p owner,
 *  @p token) is called when the transfer ends. Call from an actor or from a netcomm_at() callback. Returns the
 * transfer, to be released with netcomm_release() once it has ended (not from within @p done). */
netcomm_t* netcomm_start(sg_host_t from, sg_host_t to, double bytes, netcomm_done_f done, void* owner, void* token);

/** @brief Release a transfer that has ended (or will never be waited for, at the end of the simulation). */
void netcomm_release(netcomm_t* c);

/** @brief Call @p fn(@p data) in SimGrid's kernel context when the clock reaches @p date (a kernel timer: it runs
 *  once the models' events of that instant are handled, before the actors they wake run). @p fn may start transfers,
 *  resume actors and set further timers, but must not block. A timer costs no actor and no context switch. Returns the
 * timer, for netcomm_cancel(). Timers of the same date run in the order they were set, whatever other kernel timers
 * (such as a Paje trace's) are set. Not for consumers' wake-ups under ns-3 (see consumer.c). */
netcomm_timer_t netcomm_at(double date, void (*fn)(void* data), void* data);

/** @brief Withdraw a timer that has not fired yet (0: no-op); it never runs, and the clock is not brought to its date
 *  for it. Must not be called for a timer that has fired. */
void netcomm_cancel(netcomm_timer_t timer);

/** Withdrawn timers are dropped from the queue once there are this many and they are most of it. */
#define NETCOMM_COMPACT_MIN 4096

/** @brief The timers the queue holds: those due, and withdrawn ones not dropped yet (for tests). */
size_t netcomm_timers_held(void);

#ifdef __cplusplus
}
#endif

#endif
