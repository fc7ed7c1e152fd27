/* workload: what each consumer asks of the NIC: when WRs are created, where they go, how large they are. */
#ifndef VNICSIM_WORKLOAD_H
#define VNICSIM_WORKLOAD_H

#include "model/params.h"

typedef struct s_workload s_workload_t;
typedef s_workload_t* workload_t;

/** Independent random streams of one run, all derived from the scenario seed and replication. */
typedef enum { STREAM_CONSUMER = 1, STREAM_NIC = 2, STREAM_PERMUTATION = 3 } stream_kind_t;

/** @brief Seed of random stream (@p kind, @p index) of a run seeded with @p seed (a SplitMix64 mix, so nearby seeds
 *  and indices give unrelated streams). */
unsigned long workload_stream_seed(unsigned long seed, stream_kind_t kind, unsigned long index);

/** @brief Fill @p perm (length @p nhosts) with the run's fixed random permutation for pattern="permutation":
 *  a derangement (no host sends to itself) when nhosts >= 2. */
void workload_permutation(int nhosts, unsigned long seed, int* perm);

/** @brief The generator of consumer @p consumer (global index) placed on host @p src_host of @p nhosts, using the
 *  run's permutation @p perm (may be NULL unless pattern="permutation") and hotspot target @p hot_host.
 *  @p local_index is the consumer's index on its host (spreads all-to-all rounds). */
workload_t workload_create(const params_t* p, unsigned long seed, int consumer, int local_index, int src_host,
                           int nhosts, const int* perm, int hot_host);

/** @brief Free; NULL is a no-op. */
void workload_free(workload_t w);

/** @brief The share of its host's offered load that the consumer of local index @p local_index gets:
 *  (1/(k+1)^skew) / sum over the host's consumers (1/n without skew). */
double workload_share(const params_t* p, int local_index);

/** @brief Open loop: the creation time of the next WR after one created at @p prev (the first one when @p prev is
 *  negative: Poisson starts with an exponential gap, deterministic with a random phase in [0, 1/rate) so
 *  consumers are not synchronised). */
double workload_next_arrival(workload_t w, double prev);

/** @brief Closed loop: the think time before the WR that follows a completion (think="..." with
 *  think-dist="fixed", or an exponential draw of that mean with think-dist="exponential"). */
double workload_next_think(workload_t w);

/** @brief Destination host of the next WR. */
int workload_next_destination(workload_t w);

/** @brief Payload size in bytes of the next WR. */
double workload_next_size(workload_t w);

#endif
