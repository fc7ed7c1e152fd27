/* wr: the work request record, the unit every component of the model passes around and the statistics read. */
#ifndef VNICSIM_WR_H
#define VNICSIM_WR_H

/** One work request (WR), from its creation by a consumer to its delivery at the destination NIC.
 *  Times are simulated seconds; a time not reached yet is NAN. This is a plain record (not an opaque handle):
 *  consumers, access modes, the NIC and the transport fill it in, the statistics read it. */
typedef struct wr {
  long id;                /* index in the run's WR table */
  int consumer;           /* global consumer index */
  int src_host;           /* index of the source host among the selected hosts */
  int dst_host;           /* index of the destination host */
  long seq;               /* per-consumer creation sequence number, from 0 */
  double size_B;          /* payload bytes */
  int attempts;           /* writes of this WR that reached the NIC (first post plus replays) */
  int queue;              /* NIC hardware queue the WR went to */
  unsigned char holds;    /* parts of the model that still refer to it (its consumer, a replay buffer): at 0 it is
                             settled and the statistics may take it (model/samples.h) */
  unsigned measured : 1;  /* counted in the statistics (not in the warm-up) */
  unsigned accepted : 1;  /* the NIC accepted one of its writes */
  unsigned lost : 1;      /* dropped for good (on-reject="drop" only) */
  unsigned delivered : 1; /* payload written at the destination */
  unsigned completed : 1; /* completion seen by the source consumer */
  unsigned external : 1;  /* its completion comes from another actor (a transfer, a multi-queue engine) */
  unsigned holder_preempted : 1; /* a lock taken for it was held while its (time-sliced) vCPU was descheduled */

  double t_created;       /* the consumer created it (workload) */
  double t_accepted;      /* the accepted write reached the NIC */
  double t_service_start; /* the NIC engine started serving it */
  double t_service_end;   /* the engine finished; its payload leaves the NIC */
  double t_transfer_end;  /* the payload reached the destination NIC (== t_service_end on loopback) */
  double t_delivered;     /* the payload is in destination memory (t_transfer_end + dma-latency) */
  double t_completed;     /* the source consumer can see the completion (t_transfer_end + notify-latency) */
  double access_wait_s;   /* waiting for the access path (a lock, a ring slot), summed; 0 where the mode never waits */
  double cpu_s;           /* consumer CPU time charged to this WR */
  double lock_held_descheduled_s; /* time a lock taken for it was held while its vCPU was descheduled */

  /* The latest write of this WR, as the NIC decided it (used by the access modes). */
  double t_last_arrival; /* when it reached the NIC */
  int last_accepted;     /* 1 if accepted, 0 if dropped */
} wr_t;

#endif
