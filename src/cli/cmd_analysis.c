/* cmd_analysis: the option tables of the analysis subcommands: plot, compare and compare-models. */
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "analysis/compare_models.h"
#include "analysis/plot.h"
#include "cli/commands.h"

/* ---- plot ---- */

typedef struct plot_cli {
  const char* output;
  const char* format;
} plot_cli_t;

static const char* const plot_formats[] = {"png", "svg", NULL};

static void plot_defaults(void* o)
{
  ((plot_cli_t*)o)->format = "png";
}

static const cli_option_t plot_options[] = {
    {"output", 'o', CLI_STRING, offsetof(plot_cli_t, output), "OUTDIR",
     "write the figures into OUTDIR (default DIR/plots)", 0, 0, NULL},
    {"format", 0, CLI_CHOICE, offsetof(plot_cli_t, format), "FORMAT", "image format (default png)", 0, 0, plot_formats},
    CLI_OPTIONS_END,
};

static int plot_run(void* opts, const cli_args_t* a)
{
  const plot_cli_t* o = opts;
  return plot_command(a->positional[0], o->output, o->format);
}

const cli_command_t cli_cmd_plot = {
    .name      = "plot",
    .brief     = "draw the figures of a run directory",
    .synopsis  = "DIR [options]",
    .summary   = "Draw the figures of a run directory (DIR/results.csv) with gnuplot, one line per configuration with\n"
                 "95% confidence intervals over the replications, and write the aggregated data beside them.",
    .options   = plot_options,
    .min_args  = 1,
    .max_args  = 1,
    .args_name = "a run directory",
    .opts_size = sizeof(plot_cli_t),
    .defaults  = plot_defaults,
    .run       = plot_run,
};

/* ---- compare ---- */

typedef struct compare_cli {
  int csv;
} compare_cli_t;

static const cli_option_t compare_options[] = {
    {"csv", 0, CLI_FLAG, offsetof(compare_cli_t, csv), NULL, "print the comparison table as CSV, without the summary",
     0, 0, NULL},
    CLI_OPTIONS_END,
};

static int compare_run(void* opts, const cli_args_t* a)
{
  return compare_command(a->positional[0], ((compare_cli_t*)opts)->csv);
}

const cli_command_t cli_cmd_compare = {
    .name      = "compare",
    .brief     = "compare speculative enqueue with every baseline of a run",
    .synopsis  = "DIR [options]",
    .summary   = "Compare speculative enqueue with every baseline of a run directory (DIR/results.csv): ratios of\n"
                 "throughput, p99 latencies and CPU per WR, paired by replication, with 95% confidence intervals.",
    .options   = compare_options,
    .min_args  = 1,
    .max_args  = 1,
    .args_name = "a run directory",
    .opts_size = sizeof(compare_cli_t),
    .run       = compare_run,
};

/* ---- compare-models ---- */

typedef struct models_cli {
  const char* flow_model;
  const char* ns3_platform;
  const char* output;
  cli_list_t sets;
  long jobs;
  double point_timeout_s;
  int csv;
} models_cli_t;

static const char* const flow_models[] = {"CM02", "LV08", "IB", "SMPI", NULL};

static void models_defaults(void* o)
{
  models_cli_t* m = o;
  m->flow_model   = "CM02";
  m->jobs         = 1;
}

static const cli_option_t models_options[] = {
    {"flow-model", 0, CLI_CHOICE, offsetof(models_cli_t, flow_model), "MODEL",
     "the flow-level model to compare with ns-3 (default CM02)", 0, 0, flow_models},
    {"ns3-platform", 0, CLI_STRING, offsetof(models_cli_t, ns3_platform), "FILE",
     "the one-hop platform both runs use (default: the scenario's platform's -explicit twin)", 0, 0, NULL},
    {"output", 'o', CLI_STRING, offsetof(models_cli_t, output), "DIR",
     "write both runs into DIR/flow and DIR/ns-3 (default results/<scenario name>-models)", 0, 0, NULL},
    {"set", 0, CLI_LIST, offsetof(models_cli_t, sets), "element.attribute=value", "override a scenario parameter", 0, 0,
     NULL},
    {"jobs", 'j', CLI_LONG, offsetof(models_cli_t, jobs), "N", "run N points at once (default 1)", 1, 1024, NULL},
    {"point-timeout", 0, CLI_NUMBER, offsetof(models_cli_t, point_timeout_s), "SECONDS",
     "kill a point that runs longer and record it as failed", 0, 1e9, NULL},
    {"csv", 0, CLI_FLAG, offsetof(models_cli_t, csv), NULL,
     "print the report as CSV: a line per point, means, 95% CIs and ratios", 0, 0, NULL},
    CLI_OPTIONS_END,
};

static int models_run(void* opts, const cli_args_t* a)
{
  const models_cli_t* m = opts;
  run_options_t o;
  memset(&o, 0, sizeof o);
  o.scenario_path   = a->positional[0];
  o.out_dir         = m->output;
  o.sets            = m->sets.items;
  o.nsets           = m->sets.n;
  o.jobs            = (int)m->jobs;
  o.point_timeout_s = m->point_timeout_s;
  o.sg_argc         = a->sg_argc;
  o.sg_argv         = a->sg_argv;
  o.argc            = a->argc;
  o.argv            = a->argv;
  return compare_models_run(&o, m->flow_model, m->ns3_platform, m->csv);
}

const cli_command_t cli_cmd_compare_models = {
    .name      = "compare-models",
    .brief     = "run a scenario under a flow model and under ns-3, side by side",
    .synopsis  = "SCENARIO.xml [options] [SimGrid options]",
    .summary   = "Run the scenario under a flow-level network model and under ns-3 on the same one-hop platform, and\n"
                 "print, per point, e2e latency, network time and throughput under both (means and 95% confidence\n"
                 "intervals over the replications) with their ratio. A scenario whose WRs never cross the network\n"
                 "(pattern local) is refused.",
    .options   = models_options,
    .min_args  = 1,
    .max_args  = 1,
    .args_name = "a scenario file",
    .simgrid   = 1,
    .opts_size = sizeof(models_cli_t),
    .defaults  = models_defaults,
    .run       = models_run,
};
