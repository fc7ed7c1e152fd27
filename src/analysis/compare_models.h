/* compare_models: the same scenario under a flow-level network model and under ns-3's packet-level model. */
#ifndef VNICSIM_COMPARE_MODELS_H
#define VNICSIM_COMPARE_MODELS_H

#include "run/runner.h"

/** @brief `vnicsim compare-models`: run every point of the scenario of @p opts twice on the same one-hop platform
 *  (@p ns3_platform if not NULL, else the scenario's platform's "-explicit" twin next to it when there is one, else
 *  the platform itself), once with the flow model @p flow_model and once with ns-3, into DIR/flow and DIR/ns-3
 *  (DIR: opts->out_dir, default results/<name>-models), then print e2e latency, network time and throughput side by
 *  side with their ratio. Returns the exit status. */
int compare_models_run(const run_options_t* opts, const char* flow_model, const char* ns3_platform);

#endif
