/* access_speculative: speculative enqueue (placeholder while the skeleton is laid out). */
#include "access.h"

const struct access_ops access_speculative_ops = {
    .name        = "speculative",
    .description = "one posted write per WR, no lock; the NIC rejects what does not fit, the consumer replays",
};
