/* cmd_cluster: the option tables of the subcommands that spread a scenario over machines: submit (to Slurm), merge
 * (the parts gathered) and status (how far a run directory is). The selection of points itself is `run --shard`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "run/merge.h"
#include "run/slurm.h"

/* ---- submit ---- */

typedef struct submit_cli {
  const char* output;
  cli_list_t sets;
  long jobs;
  int slurm;
  long tasks;
  const char* time;
  const char* mem;
  const char* partition;
  cli_list_t sbatch_args;
  int dry_run;
  int resume;
  int trace;
  double point_timeout_s;
  const char* memory_limit;
} submit_cli_t;

static void submit_defaults(void* o)
{
  ((submit_cli_t*)o)->jobs = 1;
}

static const cli_option_t submit_options[] = {
    {"output", 'o', CLI_STRING, offsetof(submit_cli_t, output), "DIR",
     "the run directory, on a file system every node sees (default: results/<scenario name>)", 0, 0, NULL},
    {"slurm", 0, CLI_FLAG, offsetof(submit_cli_t, slurm), NULL,
     "submit to Slurm (sbatch): an array job and a merge job", 0, 0, NULL},
    {"tasks", 0, CLI_LONG, offsetof(submit_cli_t, tasks), "N",
     "array tasks, each a shard of the points (default: 100, or fewer when there are fewer points)", 1, 100000, NULL},
    {"time", 0, CLI_STRING, offsetof(submit_cli_t, time), "T",
     "time limit of a task, as sbatch reads it (default: 3 x the estimate + 5 min, at least 10 min)", 0, 0, NULL},
    {"mem", 0, CLI_STRING, offsetof(submit_cli_t, mem), "M",
     "memory of a task, as sbatch reads it (default: 1.25 x the estimate of the largest point + 64 MiB)", 0, 0, NULL},
    {"partition", 0, CLI_STRING, offsetof(submit_cli_t, partition), "P", "the Slurm partition", 0, 0, NULL},
    {"sbatch-arg", 0, CLI_LIST, offsetof(submit_cli_t, sbatch_args), "ARG",
     "one more sbatch option for both jobs, written as an #SBATCH line (may be repeated: --sbatch-arg=--account=x)", 0,
     0, NULL},
    {"dry-run", 0, CLI_FLAG, offsetof(submit_cli_t, dry_run), NULL,
     "write DIR/slurm/ (the batch scripts and the sbatch commands) and submit nothing", 0, 0, NULL},
    {"resume", 0, CLI_FLAG, offsetof(submit_cli_t, resume), NULL,
     "submit only the points DIR does not hold as ok (missing or failed)", 0, 0, NULL},
    {"set", 0, CLI_LIST, offsetof(submit_cli_t, sets), "element.attribute=value",
     "override a scenario parameter (may be repeated; later ones win)", 0, 0, NULL},
    {"jobs", 'j', CLI_LONG, offsetof(submit_cli_t, jobs), "N",
     "points each task runs at once (its --cpus-per-task; default 1)", 1, 1024, NULL},
    {"trace", 0, CLI_FLAG, offsetof(submit_cli_t, trace), NULL, "also write every WR's times (into each part)", 0, 0,
     NULL},
    {"point-timeout", 0, CLI_NUMBER, offsetof(submit_cli_t, point_timeout_s), "SECONDS",
     "kill a point that runs longer and record it as failed", 0, 1e9, NULL},
    {"memory-limit", 0, CLI_STRING, offsetof(submit_cli_t, memory_limit), "SIZE",
     "refuse points estimated to need more than SIZE (e.g. a node's memory; default: --mem)", 0, 0, NULL},
    CLI_OPTIONS_END,
};

static int submit_run(void* opts, const cli_args_t* a)
{
  const submit_cli_t* c = opts;
  if (!c->slurm)
    return cli_usage_error(&cli_cmd_submit, "say which scheduler to submit to: --slurm (the one vnicsim knows; other "
                                            "runners take `vnicsim run --shard K/N` directly)");
  run_options_t o   = {0};
  o.scenario_path   = a->positional[0];
  o.out_dir         = c->output;
  o.sets            = c->sets.items;
  o.nsets           = c->sets.n;
  o.jobs            = (int)c->jobs;
  o.trace           = c->trace;
  o.resume          = c->resume;
  o.point_timeout_s = c->point_timeout_s;
  o.sg_argc         = a->sg_argc;
  o.sg_argv         = a->sg_argv;
  o.argc            = a->argc;
  o.argv            = a->argv;
  if (c->memory_limit != NULL &&
      cli_parse_size(&cli_cmd_submit, "--memory-limit", c->memory_limit, &o.memory_limit_B) != 0)
    return CLI_EXIT_USAGE;
  slurm_options_t s = {.tasks        = c->tasks,
                       .time         = c->time,
                       .mem          = c->mem,
                       .partition    = c->partition,
                       .sbatch_args  = c->sbatch_args.items,
                       .nsbatch_args = c->sbatch_args.n,
                       .dry_run      = c->dry_run};
  return slurm_submit(&o, &s);
}

const cli_command_t cli_cmd_submit = {
    .name      = "submit",
    .brief     = "run a scenario's points on a Slurm cluster (an array job of shards, then a merge)",
    .synopsis  = "SCENARIO.xml -o DIR --slurm [options] [SimGrid options]",
    .summary   = "Check the scenario as run does, write DIR/slurm/N-tasks.sbatch (an array job: task K runs\n"
                 "`vnicsim run SCENARIO -o DIR --shard K/T --resume`), DIR/slurm/N-merge.sbatch (`vnicsim merge DIR`,\n"
                 "after every task has ended) and DIR/slurm/N-submit.sh (the sbatch commands), and submit them.\n"
                 "DIR must be on a file system every node sees. docs/cluster.md says more.",
    .options   = submit_options,
    .min_args  = 1,
    .max_args  = 1,
    .args_name = "a scenario file",
    .simgrid   = 1,
    .opts_size = sizeof(submit_cli_t),
    .defaults  = submit_defaults,
    .run       = submit_run,
};

/* ---- merge and status ---- */

static const cli_option_t merge_options[] = {CLI_OPTIONS_END};

static int merge_run(void* opts, const cli_args_t* a)
{
  return merge_command(a->positional[0], a->argc, a->argv);
}

const cli_command_t cli_cmd_merge = {
    .name      = "merge",
    .brief     = "gather the parts of a run split into shards into DIR's results",
    .synopsis  = "DIR",
    .summary   = "Gather DIR/parts/*/ (and DIR's own tables) into DIR/results.csv, hosts.csv, checks.csv and\n"
                 "manifest.json, as one run of every point would have written them; every point is checked against\n"
                 "the experiment DIR/study.json records. Exit status 1 names the points missing or failed.",
    .options   = merge_options,
    .min_args  = 1,
    .max_args  = 1,
    .args_name = "a run directory",
    .run       = merge_run,
};

typedef struct status_cli {
  int missing;
} status_cli_t;

static const cli_option_t status_options[] = {
    {"missing", 0, CLI_FLAG, offsetof(status_cli_t, missing), NULL,
     "print only the points to run (missing or failed) as a list for --points", 0, 0, NULL},
    CLI_OPTIONS_END,
};

static int status_run(void* opts, const cli_args_t* a)
{
  return status_command(a->positional[0], ((status_cli_t*)opts)->missing);
}

const cli_command_t cli_cmd_status = {
    .name      = "status",
    .brief     = "points done, running, failed and missing in a run directory, and the time left",
    .synopsis  = "DIR [--missing]",
    .summary   = "Say how far the experiment in DIR is: points ok, failed, running (in a part a run is writing now)\n"
                 "and missing, the wall time spent and an estimate of what is left. Exit status 0 when every point\n"
                 "is ok, 1 otherwise.",
    .options   = status_options,
    .min_args  = 1,
    .max_args  = 1,
    .args_name = "a run directory",
    .opts_size = sizeof(status_cli_t),
    .run       = status_run,
};
