/* transport: a NIC's outgoing side: payloads leave when the engine has served them and cross the SimGrid network. */
#ifndef VNICSIM_TRANSPORT_H
#define VNICSIM_TRANSPORT_H

#include <simgrid/forward.h>

#include "model/params.h"
#include "model/wr.h"

typedef struct s_transport s_transport_t;
typedef s_transport_t* transport_t;

/** Called when a WR's payload has reached its destination NIC (t_transfer_end, t_delivered, t_completed set). */
typedef void (*transport_done_f)(void* data, wr_t* wr);

/** @brief The outgoing side of the NIC on physical host @p pm. @p hosts maps host indices to SimGrid hosts.
 *  @p stack_KiB sizes the stack of its actor, under ns-3 only (0: SimGrid's default). */
transport_t transport_create(const params_t* p, sg_host_t pm, sg_host_t const* hosts, transport_done_f done, void* data,
                             unsigned stack_KiB);

/** @brief Hand over an accepted WR; its payload leaves at wr->t_service_end (which is never in the past). May be
 *  called from any actor. */
void transport_submit(transport_t t, wr_t* wr);

/** @brief The NIC's peak of WRs handed over for the network and not yet at their destination. */
int transport_senders(const s_transport_t* t);

/** @brief Actors the transport started (under ns-3, one once a WR left this NIC for the network; else none). */
int transport_actors(const s_transport_t* t);

/** @brief Blocking calls its actor made (under ns-3): simulation steps, for the benchmark. */
long transport_steps(const s_transport_t* t);

/** @brief Free; NULL is a no-op. Call after the simulation has ended. */
void transport_free(transport_t t);

#endif
