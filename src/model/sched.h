/* sched: when a vCPU runs, on a host whose VMs' vCPUs outnumber the physical cores given to them.
 *
 * consumers.pcpus-per-host = P physical cores run the V vCPUs of a host's VMs (native cores stay dedicated). With
 * P = 0 (the default) or P >= V every vCPU has a core of its own and nothing here changes any time. With V > P the
 * vCPUs are time-sliced round-robin: time is cut into slices of consumers.slice; in slice k the P cores run vCPUs
 * (kP + j) mod V, j = 0..P-1, so each vCPU runs P slices out of every V. The rotation is fixed: it does not depend on
 * what the vCPUs do (an idle or yielding vCPU keeps its turn; its slice is not given to another vCPU). It is the
 * schedule a round-robin scheduler produces when every vCPU is runnable, which is the case the model studies (cores
 * that issue, spin, or stall on reads), and it lets every instant be computed when an action starts. */
#ifndef VNICSIM_SCHED_H
#define VNICSIM_SCHED_H

/** The schedule of one vCPU (or of a dedicated core, for which every function is the identity). A small value. */
typedef struct sched_slot {
  int sliced;     /* 0: a dedicated core */
  long vcpu;      /* its place in the rotation, 0 .. nvcpus-1 */
  long nvcpus;    /* V */
  long npcpus;    /* P */
  double slice_s; /* length of a slice */
} sched_slot_t;

/** @brief The slot of a dedicated core. */
sched_slot_t sched_dedicated(void);

/** @brief The slot of vCPU @p vcpu among @p nvcpus sharing @p npcpus cores with slices of @p slice_s; dedicated
 *  when @p npcpus is 0 or at least @p nvcpus. */
sched_slot_t sched_vcpu(long vcpu, long nvcpus, long npcpus, double slice_s);

/** @brief Whether the vCPU runs at @p t (a slice boundary belongs to the slice it starts). */
int sched_running(const sched_slot_t* s, double t);

/** @brief The first instant >= @p t at which the vCPU runs (@p t itself if it runs then). */
double sched_ready(const sched_slot_t* s, double t);

/** @brief When @p work seconds of CPU work started at @p t are done: the work only progresses while the vCPU runs.
 *  A dedicated core gives exactly t + work. */
double sched_after(const sched_slot_t* s, double t, double work);

/** @brief Running time of the vCPU within [@p a, @p b] (b - a for a dedicated core; 0 when b <= a). */
double sched_running_time(const sched_slot_t* s, double a, double b);

/** @brief The first slice boundary after @p t at which the vCPU starts or stops running (INFINITY for a dedicated
 *  core). For traces: when a vCPU's row must switch between its own state and "descheduled". */
double sched_next_change(const sched_slot_t* s, double t);

#endif
