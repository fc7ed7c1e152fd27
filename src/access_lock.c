/* access_lock: locking baseline (placeholder while the skeleton is laid out). */
#include "access.h"

const struct access_ops access_lock_ops = {
    .name        = "lock",
    .description = "one host-wide lock around credit check and write (traps for consumers in VMs)",
};
