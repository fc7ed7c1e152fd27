/* params: the names of the enumerated parameter values, and what follows from a parameter set alone. */
#include "model/params.h"

const char* const params_service_dist_names[]   = {"fixed", "exponential", NULL};
const char* const params_backoff_policy_names[] = {"fixed", "exponential", NULL};
const char* const params_credit_refresh_names[] = {"on-empty", "always", NULL};
const char* const params_lock_wait_names[]      = {"spin", "pv", NULL};
const char* const params_on_reject_names[]      = {"replay", "drop", NULL};
const char* const params_arrival_names[]        = {"closed", "poisson", "deterministic", NULL};
const char* const params_size_dist_names[]      = {"fixed", "exponential", "bimodal", NULL};
const char* const params_think_dist_names[]     = {"fixed", "exponential", NULL};
const char* const params_pattern_names[]        = {"local",   "uniform",    "neighbor", "permutation",
                                                   "hotspot", "all-to-all", NULL};
/* The flow-level network models SimGrid 3.32 accepts as network/model and that load and run a platform with links
 * (checked by loading a two-host platform and sending one message with each). "Constant" is left out on purpose:
 * it refuses every platform that has links. */
const char* const params_network_model_names[] = {"LV08", "CM02", "ns-3", "IB", "SMPI", NULL};

long params_consumers_per_host(const params_t* p)
{
  return p->cores_per_host + p->vms_per_host * p->vcpus_per_vm;
}
