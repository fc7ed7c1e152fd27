/* cli: vnicsim's subcommands: the table of commands, and the option tables of run, check, modes and version. The
 * other subcommands' tables live beside them in src/cli/cmd_*.c; every one is parsed by options.c. */
#include "cli/cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "model/access/access.h"
#include "run/pajeopts.h"
#include "run/runner.h"

/* ---- run and check ---------------------------------------------------------------------------------------------- */

typedef struct run_cli {
  const char* output;
  cli_list_t sets;
  long jobs;
  int trace;
  int resume;
  double point_timeout_s;
  int paje;
  const char* paje_window;
  int quiet;
  const char* progress; /* NULL: lines */
  const char* shard;
  const char* points;
  const char* memory_limit;
} run_cli_t;

static const char* const progress_formats[] = {"lines", "json", NULL};

static void run_defaults(void* o)
{
  ((run_cli_t*)o)->jobs = 1;
}

#define MEMORY_LIMIT_OPTION                                                                                            \
  {                                                                                                                    \
    "memory-limit", 0, CLI_STRING, offsetof(run_cli_t, memory_limit), "SIZE",                                          \
        "refuse points estimated to need more memory than SIZE (e.g. 64GiB; default: this machine's)", 0, 0, NULL      \
  }

#define SET_OPTION                                                                                                     \
  {                                                                                                                    \
    "set", 0, CLI_LIST, offsetof(run_cli_t, sets), "element.attribute=value",                                          \
        "override a scenario parameter (may be repeated; later ones win)", 0, 0, NULL                                  \
  }

static const cli_option_t run_options[] = {
    {"output", 'o', CLI_STRING, offsetof(run_cli_t, output), "DIR",
     "write the results into DIR (default: results/<scenario name>)", 0, 0, NULL},
    SET_OPTION,
    {"jobs", 'j', CLI_LONG, offsetof(run_cli_t, jobs), "N", "run N points at once, each in its own process (default 1)",
     1, 1024, NULL},
    {"trace", 0, CLI_FLAG, offsetof(run_cli_t, trace), NULL, "also write every WR's times to DIR/trace/point-N.csv", 0,
     0, NULL},
    {"paje", 0, CLI_FLAG, offsetof(run_cli_t, paje), NULL,
     "also write a Paje trace of every point to DIR/trace/point-N.paje (SimGrid's tracing; ViTE shows it)", 0, 0, NULL},
    {"paje-window", 0, CLI_STRING, offsetof(run_cli_t, paje_window), "START:END",
     "trace only that span of simulated time (times with units, e.g. 1ms:2ms); implies --paje", 0, 0, NULL},
    {"resume", 0, CLI_FLAG, offsetof(run_cli_t, resume), NULL,
     "keep the finished points of an earlier run of the same scenario in DIR and run the rest", 0, 0, NULL},
    {"point-timeout", 0, CLI_NUMBER, offsetof(run_cli_t, point_timeout_s), "SECONDS",
     "kill a point that runs longer and record it as failed", 0, 1e9, NULL},
    {"quiet", 'q', CLI_FLAG, offsetof(run_cli_t, quiet), NULL,
     "no progress on stderr: only errors, failed points and interruptions", 0, 0, NULL},
    {"progress", 0, CLI_CHOICE, offsetof(run_cli_t, progress), "FORMAT",
     "progress on stderr as lines for people (default) or one JSON object per line for scripts", 0, 0,
     progress_formats},
    {"shard", 0, CLI_STRING, offsetof(run_cli_t, shard), "K/N",
     "run only the points i with i mod N = K, into DIR/parts/shard-K-of-N (vnicsim merge gathers the parts)", 0, 0,
     NULL},
    {"points", 0, CLI_STRING, offsetof(run_cli_t, points), "LIST",
     "run only the points LIST (indices and ranges: 0-99,150), into DIR/parts/points-...", 0, 0, NULL},
    MEMORY_LIMIT_OPTION,
    CLI_OPTIONS_END,
};

static const cli_option_t check_options[] = {
    SET_OPTION,
    MEMORY_LIMIT_OPTION,
    CLI_OPTIONS_END,
};

static const cli_command_t cmd_run;
static const cli_command_t cmd_check;

/* The options of run and check into @p o; returns -1, or a usage error's exit status. */
static int to_run_options(const cli_command_t* cmd, const run_cli_t* c, const cli_args_t* a, run_options_t* o)
{
  memset(o, 0, sizeof *o);
  char err[512];
  if (shard_parse(c->shard, c->points, &o->shard, err, sizeof err) != 0)
    return cli_usage_error(cmd, "%s", err);
  if (c->memory_limit != NULL && cli_parse_size(cmd, "--memory-limit", c->memory_limit, &o->memory_limit_B) != 0)
    return CLI_EXIT_USAGE;
  o->scenario_path   = a->positional[0];
  o->out_dir         = c->output;
  o->sets            = c->sets.items;
  o->nsets           = c->sets.n;
  o->jobs            = (int)c->jobs;
  o->trace           = c->trace;
  o->resume          = c->resume;
  o->point_timeout_s = c->point_timeout_s;
  o->paje            = c->paje || c->paje_window != NULL;
  o->paje_start_s    = 0;
  o->paje_end_s      = INFINITY;
  if (c->paje_window != NULL && pajeopts_window(c->paje_window, &o->paje_start_s, &o->paje_end_s, err, sizeof err) != 0)
    return cli_usage_error(cmd, "--paje-window '%s': %s", c->paje_window, err);
  o->progress = c->quiet                                                  ? RUN_PROGRESS_QUIET
                : c->progress != NULL && strcmp(c->progress, "json") == 0 ? RUN_PROGRESS_JSON
                                                                          : RUN_PROGRESS_LINES;
  o->sg_argc  = a->sg_argc;
  o->sg_argv  = a->sg_argv;
  o->argc     = a->argc;
  o->argv     = a->argv;
  return -1;
}

static int run_command(void* opts, const cli_args_t* a)
{
  const run_cli_t* c = opts;
  if (c->quiet && c->progress != NULL)
    return cli_usage_error(&cmd_run, "-q/--quiet and --progress=%s say different things: give one of them",
                           c->progress);
  run_options_t o;
  int rc = to_run_options(&cmd_run, opts, a, &o);
  return rc >= 0 ? rc : runner_run(&o);
}

static int check_command(void* opts, const cli_args_t* a)
{
  run_options_t o;
  int rc = to_run_options(&cmd_check, opts, a, &o);
  return rc >= 0 ? rc : runner_check(&o);
}

static const cli_command_t cmd_run = {
    .name      = "run",
    .brief     = "run every point of a scenario and write its results",
    .synopsis  = "SCENARIO.xml [options] [SimGrid options]",
    .summary   = "Run every point of the scenario's sweeps x replications, each in its own process, and write\n"
                 "DIR/results.csv, hosts.csv, checks.csv and manifest.json. Bad input is refused before DIR is touched.",
    .options   = run_options,
    .min_args  = 1,
    .max_args  = 1,
    .args_name = "a scenario file",
    .simgrid   = 1,
    .opts_size = sizeof(run_cli_t),
    .defaults  = run_defaults,
    .run       = run_command,
};

static const cli_command_t cmd_check = {
    .name      = "check",
    .brief     = "validate a scenario, its overrides and platforms; run nothing",
    .synopsis  = "SCENARIO.xml [options] [SimGrid options]",
    .summary   = "Validate the scenario, the overrides and the platforms without running anything or writing a file.",
    .options   = check_options,
    .min_args  = 1,
    .max_args  = 1,
    .args_name = "a scenario file",
    .simgrid   = 1,
    .opts_size = sizeof(run_cli_t),
    .defaults  = run_defaults,
    .run       = check_command,
};

/* ---- modes, version, help -----------------------------------------------------------------------------------------
 */

static const cli_option_t no_options[] = {CLI_OPTIONS_END};

static int modes_command(void* opts, const cli_args_t* a)
{
  for (size_t i = 0; i < access_count(); i++)
    printf("%-12s %s\n", access_get(i)->name, access_get(i)->description);
  return CLI_EXIT_OK;
}

static const cli_command_t cmd_modes = {
    .name      = "modes",
    .brief     = "list the access modes",
    .synopsis  = "",
    .summary   = "List the access modes, one per line with what it models.",
    .options   = no_options,
    .args_name = "nothing",
    .run       = modes_command,
};

static int version_command(void* opts, const cli_args_t* a)
{
  printf("vnicsim %s\n", VNICSIM_VERSION);
  return CLI_EXIT_OK;
}

static const cli_command_t cmd_version = {
    .name      = "version",
    .brief     = "print vnicsim's version",
    .synopsis  = "",
    .summary   = "Print vnicsim's version (also: vnicsim --version).",
    .options   = no_options,
    .args_name = "nothing",
    .run       = version_command,
};

static int help_command(void* opts, const cli_args_t* a);

static const cli_command_t cmd_help = {
    .name      = "help",
    .brief     = "list the commands, or print the help of one",
    .synopsis  = "[COMMAND]",
    .summary   = "List the commands, or print the help of COMMAND (the same as vnicsim COMMAND --help).",
    .options   = no_options,
    .max_args  = 1,
    .args_name = "a command name",
    .run       = help_command,
};

/* Every subcommand, in the order `vnicsim help` lists them. */
static const cli_command_t* const commands[] = {
    &cmd_run,          &cmd_check,     &cli_cmd_submit,  &cli_cmd_merge,
    &cli_cmd_status,   &cli_cmd_plot,  &cli_cmd_compare, &cli_cmd_compare_models,
    &cli_cmd_platform, &cli_cmd_bench, &cmd_modes,       &cmd_version,
    &cmd_help,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const cli_command_t* find_command(const char* name)
{
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (strcmp(commands[i]->name, name) == 0)
      return commands[i];
  return NULL;
}

static void print_commands(FILE* out)
{
  fputs("usage: vnicsim COMMAND [ARGS]\n\ncommands:\n", out);
  for (size_t i = 0; i < NCOMMANDS; i++) {
    fprintf(out, "  %-15s %s\n", commands[i]->name, commands[i]->brief);
  }
  fputs("\n'vnicsim COMMAND --help' gives a command's arguments and options.\n"
        "exit status: 0 success, 1 a point or the run failed, 2 bad input or usage, 130/143 interrupted.\n",
        out);
}

static int help_command(void* opts, const cli_args_t* a)
{
  if (a->npositional == 0) {
    print_commands(stdout);
    return CLI_EXIT_OK;
  }
  const cli_command_t* c = find_command(a->positional[0]);
  if (c == NULL)
    return cli_usage_error(NULL, "unknown command '%s'", a->positional[0]);
  cli_print_help(c, stdout);
  return CLI_EXIT_OK;
}

size_t cli_command_count(void)
{
  return NCOMMANDS;
}

const cli_command_t* cli_command_at(size_t i)
{
  return i < NCOMMANDS ? commands[i] : NULL;
}

int cli_main(int argc, char** argv)
{
  if (argc < 2)
    return cli_usage_error(NULL, "a command is needed");
  const char* name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
    print_commands(stdout);
    return CLI_EXIT_OK;
  }
  if (strcmp(name, "--version") == 0)
    name = "version";
  const cli_command_t* c = find_command(name);
  if (c == NULL)
    return cli_usage_error(NULL, "unknown command '%s'", name);
  /* getopt_long reorders what it scans: give it a copy, so the command line recorded in a manifest stays as typed. */
  char** copy = malloc(sizeof(char*) * (size_t)argc);
  if (copy == NULL)
    return CLI_EXIT_FAILED;
  for (int i = 1; i < argc; i++)
    copy[i - 1] = argv[i];
  copy[argc - 1] = NULL;
  int rc         = cli_dispatch(c, argc - 1, copy, argc, argv);
  free(copy);
  return rc;
}
