/* compare_models: the same scenario under a flow-level network model and under ns-3's packet-level model. */
#ifndef VNICSIM_COMPARE_MODELS_H
#define VNICSIM_COMPARE_MODELS_H

#include <stdio.h>

#include "run/runner.h"

/** @brief `vnicsim compare-models`: run every point of the scenario of @p opts twice on the same one-hop platform
 *  (@p ns3_platform if not NULL, else the scenario's platform's "-explicit" twin next to it when there is one, else
 *  the platform itself), once with the flow model @p flow_model and once with ns-3, into DIR/flow and DIR/ns-3
 *  (DIR: opts->out_dir, default results/<name>-models), then print the report (compare_models_report()), as CSV when
 *  @p as_csv. A scenario whose WRs never cross the network (pattern local at every point, after the --set
 *  overrides) is refused before anything runs: there the two models cannot differ. Returns the exit status: 0, 1
 *  when a run fails, 2 for bad input (such a scenario included). */
int compare_models_run(const run_options_t* opts, const char* flow_model, const char* ns3_platform, int as_csv);

/** @brief The report of two runs of one scenario, @p flow_dir under the flow model @p flow_model and @p ns3_dir under
 *  ns-3: per point (sweep combination), the mean of the replications and its 95% CI half-width under each model,
 *  and the ratio ns-3 / flow paired by replication (same seed) with its CI, for the mean and p99 end-to-end latency,
 *  the network part of the mean and the throughput. A point where no WR crossed the network under either model
 *  (e2e_network_s 0) gets no ratio and says so. As text (a block per point) or, with @p as_csv, one CSV line per
 *  point. Returns 0, or 2 with one line on stderr when a results file cannot be read or the runs' points differ. */
int compare_models_report(const char* flow_dir, const char* ns3_dir, const char* flow_model, int as_csv, FILE* out);

#endif
