/* sysmem: how much memory this process may use: the machine's physical memory, and the limit of its control group
 * (a Slurm job's --mem, a container's limit) when it has one. */
#ifndef VNICSIM_SYSMEM_H
#define VNICSIM_SYSMEM_H

#include <stddef.h>

/** @brief The machine's physical memory in bytes (0 if unknown). */
double sysmem_physical_B(void);

/** @brief The memory limit of this process's control group in bytes (cgroup v2 memory.max, or v1
 *  memory.limit_in_bytes), or 0 when there is none or it cannot be read. */
double sysmem_cgroup_B(void);

/** @brief The smaller of the two that are known, in @p limit_B (0 if neither is), and where it comes from ("this
 *  machine's physical memory", "this process's control group (memory.max)") in @p from. */
void sysmem_limit(double* limit_B, char* from, size_t len);

#endif
