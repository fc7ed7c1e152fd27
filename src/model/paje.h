/* paje: the Paje trace of one run, written through SimGrid's own tracing (docs/analysis.md, "Paje traces").
 *
 * On every selected host: variables for the NIC's queue occupancy (one per hardware queue), the number of contexts
 * whose retry flag is set and the cumulative count of drops; and for each consumer of the host a row of its own,
 * "<host>/consumer-<its index on the host>", whose state (type "consumer") says what it is doing. A window [start,
 * end] of simulated time limits what is recorded. Only made when the run is traced: every caller holds a NULL handle
 * otherwise. */
#ifndef VNICSIM_PAJE_H
#define VNICSIM_PAJE_H

#include <simgrid/forward.h>
#include <stddef.h>

/** What a consumer is doing, as its row of the trace shows it. */
typedef enum paje_state {
  PAJE_IDLE = 0,    /* nothing to do: waiting for a WR, a completion or a verdict it can do nothing about */
  PAJE_ISSUING,     /* writing a WR (a posted write, a descriptor, a command): issue-cost */
  PAJE_REPLAYING,   /* writing a WR again after a drop or a "retry" (and speculative's flag-clearing write) */
  PAJE_BACKOFF,     /* backing off before a replay or a retry */
  PAJE_READING,     /* polling: a register read of the NIC stalls the core (credits, the state register) */
  PAJE_STALLED,     /* stalled on an answer: a non-posted command's, or verdicts to free a full replay buffer */
  PAJE_LOCK_WAIT,   /* asking for a lock held by another consumer (spinning or halted), or acquiring a free one */
  PAJE_LOCK_HELD,   /* holding the lock: its critical section (credit reads and the write included) */
  PAJE_RING_WAIT,   /* waiting for a free slot of its ring (hypervisor) */
  PAJE_TRAP,        /* a VM exit or entry (trap) outside the lock */
  PAJE_DESCHEDULED, /* a time-sliced vCPU that does not run (shown over whatever it was doing) */
  PAJE_NSTATES
} paje_state_t;

typedef struct s_paje s_paje_t;
typedef s_paje_t* paje_t;
typedef struct s_paje_host s_paje_host_t;
typedef s_paje_host_t* paje_host_t;

/** @brief Turn SimGrid's tracing on, into @p file (call after simgrid_init, before the platform is loaded): tracing,
 *  the platform's hierarchy (which gives every host a container), no topology graph (SimGrid 3.32 aborts building it
 *  on split-duplex clusters and on platforms whose routes are written out), picosecond timestamps, and, unless the
 *  user's options said otherwise, no link and host speed variables. */
void paje_configure(const char* file);

/** @brief Make the consumers' rows: for each of the @p n hosts, a zone "<host>/consumers" holding one host per
 *  consumer, "<host>/consumer-<k>" (k zero-padded to the width of @p consumers_per_host - 1), outside the platform
 *  (sgtrace_make_row_hosts). ViTE draws one row of states per container and all the state types of a container in
 *  that one row: only a container of its own gives each consumer a row. Call while the platform is read
 *  (sgtrace_on_platform_read), with the hosts the run selects. */
void paje_make_rows(sg_host_t const* hosts, size_t n, long consumers_per_host);

/** @brief Declare the trace's variables and states and make a handle per host (after the platform is loaded and
 *  paje_make_rows). @p
 *  queues hardware queues per NIC, @p consumers_per_host state rows per host; only [@p start_s, @p end_s] of
 *  simulated time is recorded (0 and INFINITY for the whole run). */
paje_t paje_create(sg_host_t const* hosts, size_t n, long consumers_per_host, long queues, double start_s,
                   double end_s);

/** @brief Free; NULL is a no-op. */
void paje_free(paje_t pj);

/** @brief The handle of host @p h (its index among the hosts given to paje_create). */
paje_host_t paje_host(paje_t pj, size_t h);

/* ---- Variables of a host's NIC. Events may be given at any time, earlier or later than the current simulated time
 * (SimGrid sorts them): the NIC knows when a WR leaves its queue when it starts serving it. ---- */

/** @brief Hardware queue @p queue holds @p delta more WRs from @p t on. */
void paje_queue_add(paje_host_t ph, int queue, double t, int delta);
/** @brief @p delta more (or fewer) contexts have their retry flag set from @p t on. */
void paje_retry_add(paje_host_t ph, double t, int delta);
/** @brief A write was dropped at @p t. */
void paje_drop(paje_host_t ph, double t);

/* ---- Consumer states, at the current simulated time only (SimGrid's state calls take no time): the consumer wakes
 * at each change (model/consumer.c). ---- */

/** @brief The window, for the consumers: they record nothing before start and close their rows at end. */
double paje_window_start(const s_paje_host_t* ph);
double paje_window_end(const s_paje_host_t* ph);

/** @brief Called by every consumer that records at time @p now: the first call at or after the window's start sets
 *  every variable of every host to its value at the start. */
void paje_window_check(paje_host_t ph, double now);

/** @brief Consumer @p local's row (its index on the host) shows @p state from now on. */
void paje_state_show(paje_host_t ph, int local, paje_state_t state);
/** @brief Consumer @p local's row ends now (the window's end). */
void paje_state_close(paje_host_t ph, int local);

/** @brief The name of @p state in the trace (one word, as Paje wants). */
const char* paje_state_name(paje_state_t state);

#endif
