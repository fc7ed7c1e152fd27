/* slurm: `vnicsim submit --slurm`: a scenario's points as a Slurm array job, one shard per task, and a job that
 * merges the parts when every task has ended. */
#ifndef VNICSIM_SLURM_H
#define VNICSIM_SLURM_H

#include "run/runner.h"

/** What `vnicsim submit` was asked besides the run options (scenario, -o, --set, -j, SimGrid options). */
typedef struct slurm_options {
  long tasks;               /* array tasks (0: the default) */
  const char* time;         /* --time for every task, as Slurm reads it (NULL: from the estimate) */
  const char* mem;          /* --mem for every task, as Slurm reads it (NULL: from the estimate) */
  const char* partition;    /* may be NULL */
  const char** sbatch_args; /* more #SBATCH options, as given */
  int nsbatch_args;
  int dry_run; /* write the scripts, submit nothing */
} slurm_options_t;

/** @brief `vnicsim submit SCENARIO -o DIR --slurm`: check the scenario as `run` does, then write
 * DIR/slurm/N-tasks.sbatch (an array of tasks, each one `vnicsim run ... --shard K/T --resume`, or with --resume a list
 * of the points still missing or failed), DIR/slurm/N-merge.sbatch (`vnicsim merge DIR`) and DIR/slurm/N-submit.sh (the
 * sbatch commands that submit them, the merge with --dependency=afterany on the array), then run that unless @p
 * s->dry_run. Returns the exit status: 0, 1 (sbatch failed), 2 (bad input, a directory holding another experiment, a
 * point above the memory limit, more tasks than the cluster's MaxArraySize). */
int slurm_submit(const run_options_t* opts, const slurm_options_t* s);

/** @brief Read a Slurm memory size ("4000", "4000M", "16G", "1T": MiB without a suffix, binary units) into bytes.
 *  Returns 0, or -1 when it is not one. */
int slurm_parse_mem(const char* text, double* bytes);

/** @brief Whether @p text is a Slurm time limit ("90", "1:30:00", "2-12", "2-00:00:00"): 0 if so, else -1. */
int slurm_check_time(const char* text);

#endif
