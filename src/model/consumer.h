/* consumer: a SimGrid actor standing for one core or vCPU that creates WRs and issues them through an access mode. */
#ifndef VNICSIM_CONSUMER_H
#define VNICSIM_CONSUMER_H

#include <simgrid/forward.h>

#include "model/access/access.h"
#include "model/nic.h"
#include "model/paje.h"
#include "model/params.h"
#include "model/samples.h"
#include "model/sched.h"
#include "model/workload.h"
#include "model/wr.h"
#include "model/wrtable.h"

/** What the simulation set-up tells a consumer about its place. */
typedef struct consumer_spec {
  const params_t* p;
  int index;       /* global consumer index */
  int local_index; /* index among the consumers of its physical host */
  int host;        /* index of its physical host among the selected hosts */
  sg_host_t where; /* the SimGrid host it runs on: the physical host, or a VM on it */
  int in_vm;       /* 1 if it runs inside a VM */
  nic_t nic;       /* its host's NIC */
  int nic_ctx;     /* its own NIC context */
  const struct access_ops* ops;
  void* host_state; /* the mode's state for this physical host */
  wrtable_t wrs;    /* the run's WR table */
  workload_t workload;
  access_place_t place; /* where it sits (host, VM, index), as the mode's queue assignment saw it */
  sched_slot_t cpu;     /* when its core runs: dedicated, or a vCPU time-sliced with others */
  int host_sliced;      /* some consumer of its host is time-sliced: writes are handed to the NIC when posted */
  samples_t samples;    /* the run's statistics samples */
  paje_host_t paje;     /* its host in the run's Paje trace; NULL when the run is not traced */
} consumer_spec_t;

/** @brief A consumer (the actor is not started yet). Takes ownership of spec->workload. */
consumer_t consumer_create(const consumer_spec_t* spec);

/** @brief Start the consumer's actor on spec->where with a stack of @p stack_KiB (0: SimGrid's default). */
void consumer_start(consumer_t c, unsigned stack_KiB);

/** @brief Free; NULL is a no-op. */
void consumer_free(consumer_t c);

/* ---- For access modes ---- */

/** @brief The run's parameters. */
const params_t* consumer_params(const_consumer_t c);
/** @brief The consumer's NIC and its context on it. */
nic_t consumer_nic(const_consumer_t c);
int consumer_context(const_consumer_t c);
/** @brief Whether the consumer runs inside a VM. */
int consumer_in_vm(const_consumer_t c);
/** @brief The mode's per-host state given at creation. */
void* consumer_host_state(const_consumer_t c);
/** @brief Global index of the consumer. */
int consumer_index(const_consumer_t c);

/** @brief Number of created WRs waiting in the consumer's software queue. */
long consumer_pending_count(const_consumer_t c);
/** @brief Take the oldest created WR from the software queue (NULL when empty). From then on the mode owns its
 *  way to the NIC. */
wr_t* consumer_take_pending(consumer_t c);

/** @brief Occupy the consumer's core until @p t (the mode is called again then). */
void consumer_busy_until(consumer_t c, double t);

/** @brief Where the consumer sits (host, VM, index). */
const access_place_t* consumer_place(const_consumer_t c);

/* When the consumer's core runs (model/sched.h). On a dedicated core: t + work, t, and b - a. */
/** @brief When @p work seconds of CPU work started at @p t are done (it only progresses while the core runs). */
double consumer_cpu_after(const_consumer_t c, double t, double work);
/** @brief The first instant >= @p t at which the consumer's core runs. */
double consumer_cpu_ready(const_consumer_t c, double t);
/** @brief The consumer's running time within [@p a, @p b]: its CPU time when it spins or stalls over that span. */
double consumer_cpu_time(const_consumer_t c, double a, double b);
/** @brief When a stall of @p wall seconds (a register read, waiting for hardware) that the core starts as soon as it
 *  runs after @p t is over and the core runs again to see its result. */
double consumer_cpu_stall(const_consumer_t c, double t, double wall);
/** @brief Whether the consumer's host time-slices vCPUs. Then writes no longer reach the NIC a fixed delay after
 *  their start, so every mode on that host hands a write to the NIC at the instant it is posted (arrival = post +
 *  pio-write), which keeps the NIC's arrivals in time order. */
int consumer_host_sliced(const_consumer_t c);

/** @brief The mode waits for another actor (a lock's release, a backend): until that actor calls consumer_wake(),
 *  the consumer waits in a way that can be interrupted. */
void consumer_expect_wake(consumer_t c);
/** @brief From another actor: call the mode's step at @p t (not before the consumer's core is free). */
void consumer_wake(consumer_t c, double t);

/** @brief A mode that still refers to @p wr after handing it to the NIC (a replay buffer, an answer awaited) holds
 *  it, and releases it when done: a WR is settled for the statistics when its consumer and every holder released it
 *  (model/samples.h). Handing over to the NIC alone needs no hold. */
void consumer_hold_wr(wr_t* wr);
void consumer_release_wr(consumer_t c, wr_t* wr);

/** @brief Under on-reject="drop": the consumer learns at @p t_known that @p wr was dropped for good. */
void consumer_wr_lost(consumer_t c, wr_t* wr, double t_known);

/** @brief For the Paje trace: from @p t on (@p t >= now) the consumer is in @p state, as far as the mode knows now.
 *  A mode reports each action when it starts it (and, if it knows, what follows when it ends); a later report
 *  replaces whatever was reported for its time and after. Only when the run is traced does the consumer record it
 *  and wake up at @p t to show it (SimGrid's states take the current time only); otherwise it returns at once. */
void consumer_trace_state(consumer_t c, double t, paje_state_t state);

/** @brief Whether the run is traced: a mode that must compute what it reports checks this first. */
int consumer_traced(const_consumer_t c);

/* ---- For the NIC and transport ---- */

/** @brief Announce that the completion of @p wr will come from another actor at a time not known yet (a network
 *  transfer, a multi-queue engine's decision), so the consumer must wait in a way that can be interrupted. */
void consumer_expect_completion(consumer_t c, wr_t* wr);

/** @brief @p wr's completion (wr->t_completed, wr->t_delivered set) is known. Called by the NIC for loopback WRs
 *  and by the transport when a transfer ends; wakes the consumer if it waits for it. */
void consumer_complete(consumer_t c, wr_t* wr);

/* ---- For the statistics ---- */

/** @brief WRs created by the consumer. */
long consumer_created(const_consumer_t c);

/** @brief Whether the consumer's actor ran to its end (every WR created, completed and delivered). */
int consumer_finished(const_consumer_t c);

/** @brief Simulation steps (blocking waits) the consumer's actor made. */
long consumer_steps(const_consumer_t c);

#endif
