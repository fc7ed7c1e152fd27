/* nic: one NIC's request FIFO(s), per-context retry state and engine timing; a passive model driven in time order. */
#ifndef VNICSIM_NIC_H
#define VNICSIM_NIC_H

#include <simgrid/forward.h>

#include "model/paje.h"
#include "model/params.h"
#include "model/wr.h"

typedef struct s_nic s_nic_t;
typedef s_nic_t* nic_t;
typedef const s_nic_t* const_nic_t;

/** Where an accepted WR goes once the NIC has computed its service. */
typedef struct nic_hooks {
  /** A looped-back WR (destination == this NIC): every time up to t_completed is filled in. */
  void (*completed)(void* data, wr_t* wr);
  /** A WR for another host: it leaves this NIC at wr->t_service_end; the transport takes it from there. */
  void (*transmit)(void* data, wr_t* wr);
  /** Several queues: an accepted WR whose service the engine decides later (its hooks above come from another actor,
   *  at a time not known yet). */
  void (*deferred)(void* data, wr_t* wr);
  void* data;
} nic_hooks_t;

/** @brief Create the NIC of selected host @p host_index. @p seed seeds its own random stream (exponential
 *  service). The NIC has p->queues hardware queues of p->queue_depth / p->queues entries each; with one queue the
 *  engine serves accepted WRs in FIFO order, with several it serves the non-empty queues round-robin. */
nic_t nic_create(const params_t* p, int host_index, unsigned long seed, nic_hooks_t hooks);

/** @brief Record the NIC's queue occupancy, retry flags and drops in the Paje trace of its host (@p ph; NULL, the
 *  default, records nothing). */
void nic_trace(nic_t nic, paje_host_t ph);

/** @brief Free the NIC; NULL is a no-op. */
void nic_free(nic_t nic);

/** @brief Open a new context (a consumer's requester page) bound to hardware queue @p queue; returns its id. With
 *  @p retry_flag a dropped write sets the context's retry flag (every later write of the context is dropped until a
 *  write clears it: speculative enqueue); without, a drop only answers that write (ENQCMD's "retry"). */
int nic_context_open(nic_t nic, int queue, int retry_flag);

/** @brief A posted write carrying @p wr reaches the NIC at time @p t through context @p ctx.
 *
 *  Accepted when the context's retry flag is clear and the context's queue holds fewer WRs than its capacity
 *  (accepted and not yet finished by the engine, the one in service included). Otherwise dropped: with
 *  on-reject="replay" the context's retry flag is set and its retry count incremented, so every later write of the
 *  context is dropped too until the flag is cleared (order within a context is kept); with on-reject="drop" the
 *  WR is marked lost and no flag is set (validation only). On acceptance the engine's FIFO schedule gives the
 *  service start and end, and the WR goes to the `completed` hook (loopback) or the `transmit` hook.
 *  Calls must come in non-decreasing @p t (the model guarantees it; float noise below 1 fs is clamped).
 *  @return 1 if accepted, 0 if dropped. */
int nic_arrive(nic_t nic, int ctx, wr_t* wr, double t);

/** @brief A posted write clearing context @p ctx's retry flag reaches the NIC at time @p t. */
void nic_clear_retry(nic_t nic, int ctx, double t);

/** @brief Number of WRs of queue @p queue the engine has finished by time @p t (a register a driver reads to
 *  compute its credits). A time before the NIC's latest event is answered at that event's time, which can only
 *  report more finished WRs, never fewer than were finished when the caller's next write arrives. */
long nic_retired(nic_t nic, int queue, double t);

/** @brief With several hardware queues, start the engine actor on @p where (stacks of @p stack_KiB, 0: SimGrid's
 *  default): it makes the round-robin decisions no other call reaches in time. A no-op with one queue. */
void nic_start_engine(nic_t nic, sg_host_t where, unsigned stack_KiB);

/** @brief Whether the NIC has an engine actor, and the simulation steps it made (for the benchmark). */
int nic_has_engine(const_nic_t nic);
long nic_engine_steps(const_nic_t nic);

/** @brief After the NIC's state at @p t: when the next WR of queue @p queue can leave it (the end of the oldest one
 *  started; with several queues, no earlier than the engine is free when only waiting WRs remain), or INFINITY when
 *  the queue is empty. For a driver reading the retired count again and again while the queue is full. */
double nic_next_retirement(nic_t nic, int queue, double t);

/** @brief Capacity of one hardware queue (queue-depth / queues). */
long nic_queue_capacity(const_nic_t nic);

/** @brief Whether context @p ctx's retry flag is set now (after the latest processed event). */
int nic_context_retry_flag(const_nic_t nic, int ctx);

/** @brief Counters for the invariants: writes that reached the NIC, accepted, dropped; flag clears; the highest
 *  occupancy any queue reached. */
long nic_arrivals(const_nic_t nic);
long nic_accepted(const_nic_t nic);
long nic_drops(const_nic_t nic);
long nic_clears(const_nic_t nic);
long nic_max_occupancy(const_nic_t nic);
/** @brief Accepted WRs that were not their context's next WR in creation order (0 unless the model is broken; not
 *  counted under on-reject="drop", whose losses leave gaps). */
long nic_order_violations(const_nic_t nic);

#endif
