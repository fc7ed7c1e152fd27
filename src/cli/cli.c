/* cli: vnicsim's command line: subcommands, their options, and the SimGrid options passed through. */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xbt/sysdep.h>

#include "model/access/access.h"
#include "tools/bench.h"
#include "analysis/compare.h"
#include "analysis/compare_models.h"
#include "base/error.h"
#include "tools/platgen.h"
#include "analysis/plot.h"
#include "run/runner.h"

static const char usage_text[] =
    "usage: vnicsim COMMAND [ARGS]\n"
    "\n"
    "  run SCENARIO.xml [-o DIR] [--set element.attribute=value]... [-j N] [--trace]\n"
    "                   [--resume] [--point-timeout SECONDS]\n"
    "      Run every point of the scenario's sweeps x replications (N at a time, each in its own\n"
    "      process) and write DIR/results.csv, hosts.csv, checks.csv and manifest.json\n"
    "      (DIR defaults to results/<scenario name>).\n"
    "  check SCENARIO.xml [--set element.attribute=value]...\n"
    "      Validate the scenario, the overrides and the platforms without running.\n"
    "  plot DIR [-o OUTDIR] [--format png|svg]\n"
    "      Draw the scaling plots of DIR/results.csv with gnuplot (into DIR/plots).\n"
    "  compare DIR [--csv]\n"
    "      Print speculative against each baseline, point by point, with 95% confidence intervals.\n"
    "  compare-models SCENARIO.xml [--flow-model CM02|LV08|IB] [--ns3-platform FILE] [-o DIR] [run options]\n"
    "      Run the scenario under a flow-level model and under ns-3 on the same one-hop platform (its\n"
    "      -explicit twin when there is one) and print e2e latency and throughput side by side.\n"
    "  platform TOPOLOGY [PARAMETERS] [--explicit] [-o FILE]\n"
    "      Write a SimGrid platform: single, flat N, fattree STR, torus DIMS or dragonfly STR\n"
    "      (--explicit: routers and one-hop links, which the ns-3 network model accepts).\n"
    "  bench [SCENARIO.xml] [--point N]... [--set element.attribute=value]...\n"
    "      Measure simulation speed and memory against a bare SimGrid program, in one run\n"
    "      (default: the largest points of scenarios/default.xml).\n"
    "  modes\n"
    "      List the access modes.\n"
    "\n"
    "SimGrid options (--cfg=name:value, --log=category.thres:level, ...) are passed to every run.\n"
    "Exit status: 0 success, 1 internal failure or failed points, 2 bad input.\n";

static int usage_error(const char* fmt, const char* arg)
{
  fputs("vnicsim: error: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\n(run 'vnicsim help' for the commands)\n", stderr);
  return VN_EXIT_INPUT;
}

static int is_simgrid_option(const char* a)
{
  return strncmp(a, "--cfg=", 6) == 0 || strncmp(a, "--log=", 6) == 0;
}

/* An option's value: "--opt VALUE" or "--opt=VALUE". Returns NULL (and sets *bad) when missing. */
static const char* option_value(int argc, char** argv, int* i, const char* name, int* bad)
{
  size_t len = strlen(name);
  if (strncmp(argv[*i], name, len) == 0 && argv[*i][len] == '=')
    return argv[*i] + len + 1;
  if (*i + 1 >= argc) {
    *bad = 1;
    return NULL;
  }
  return argv[++*i];
}

static int matches(const char* arg, const char* name)
{
  size_t len = strlen(name);
  return strncmp(arg, name, len) == 0 && (arg[len] == '\0' || arg[len] == '=');
}

static void free_run_options(run_options_t* o);

static int parse_run_options(int argc, char** argv, int allow_run_options, run_options_t* o)
{
  memset(o, 0, sizeof *o);
  o->jobs                  = 1;
  o->sets                  = xbt_new0(const char*, argc);
  o->sg_argv               = xbt_new0(char*, argc + 1);
  o->sg_argv[o->sg_argc++] = argv[0];
  for (int i = 2; i < argc; i++) {
    const char* a = argv[i];
    int bad       = 0;
    if (is_simgrid_option(a)) {
      o->sg_argv[o->sg_argc++] = argv[i];
    } else if (matches(a, "--set")) {
      const char* v = option_value(argc, argv, &i, "--set", &bad);
      if (bad)
        return usage_error("%s needs element.attribute=value", a);
      o->sets[o->nsets++] = v;
    } else if (allow_run_options && (strcmp(a, "-o") == 0 || matches(a, "--output"))) {
      o->out_dir = option_value(argc, argv, &i, strcmp(a, "-o") == 0 ? "-o" : "--output", &bad);
      if (bad || o->out_dir[0] == '\0')
        return usage_error("%s needs a directory", a);
    } else if (allow_run_options && (strcmp(a, "-j") == 0 || matches(a, "--jobs") || strncmp(a, "-j", 2) == 0)) {
      const char* v = (strncmp(a, "-j", 2) == 0 && a[2] != '\0')
                          ? a + 2
                          : option_value(argc, argv, &i, strcmp(a, "-j") == 0 ? "-j" : "--jobs", &bad);
      char* end;
      errno  = 0;
      long j = bad ? 0 : strtol(v, &end, 10);
      if (bad || errno || *end != '\0' || j < 1 || j > 1024)
        return usage_error("-j needs a number of jobs between 1 and 1024, not '%s'", bad ? "" : v);
      o->jobs = (int)j;
    } else if (allow_run_options && strcmp(a, "--trace") == 0) {
      o->trace = 1;
    } else if (allow_run_options && strcmp(a, "--resume") == 0) {
      o->resume = 1;
    } else if (allow_run_options && matches(a, "--point-timeout")) {
      const char* v = option_value(argc, argv, &i, "--point-timeout", &bad);
      char* end;
      double t = bad ? 0 : strtod(v, &end);
      if (bad || *end != '\0' || !isfinite(t) || t <= 0)
        return usage_error("--point-timeout needs a positive number of seconds, not '%s'", bad ? "" : v);
      o->point_timeout_s = t;
    } else if (a[0] == '-' && a[1] != '\0') {
      return usage_error("unknown option '%s'", a);
    } else if (o->scenario_path == NULL) {
      o->scenario_path = a;
    } else {
      return usage_error("unexpected argument '%s' (one scenario at a time)", a);
    }
  }
  if (o->scenario_path == NULL)
    return usage_error("%s needs a scenario file", argv[1]);
  o->sg_argv[o->sg_argc] = NULL;
  o->argc                = argc;
  o->argv                = argv;
  return 0;
}

/* compare-models: its own options (--flow-model, --ns3-platform), then the run options. */
static int cmd_compare_models(int argc, char** argv)
{
  const char* flow_model = "CM02";
  const char* platform   = NULL;
  char** rest            = xbt_new0(char*, argc + 1);
  int n                  = 0;
  int bad                = 0;
  for (int i = 0; i < argc; i++) {
    if (i >= 2 && matches(argv[i], "--flow-model"))
      flow_model = option_value(argc, argv, &i, "--flow-model", &bad);
    else if (i >= 2 && matches(argv[i], "--ns3-platform"))
      platform = option_value(argc, argv, &i, "--ns3-platform", &bad);
    else
      rest[n++] = argv[i];
    if (bad) {
      free(rest);
      return usage_error("%s needs a value", argv[i]);
    }
  }
  if (strcmp(flow_model, "ns-3") == 0) {
    free(rest);
    return usage_error("--flow-model must be a flow-level model (LV08, CM02, IB, SMPI), not '%s'", flow_model);
  }
  run_options_t o;
  int rc = parse_run_options(n, rest, 1, &o);
  if (rc == 0) {
    o.argc = argc;
    o.argv = argv;
    rc     = compare_models_run(&o, flow_model, platform);
  }
  free_run_options(&o);
  free(rest);
  return rc;
}

static void free_run_options(run_options_t* o)
{
  free(o->sets);
  free(o->sg_argv);
}

static int cmd_run(int argc, char** argv, int check_only)
{
  run_options_t o;
  int rc = parse_run_options(argc, argv, !check_only, &o);
  if (rc == 0)
    rc = check_only ? runner_check(&o) : runner_run(&o);
  free_run_options(&o);
  return rc;
}

static int cmd_modes(void)
{
  for (size_t i = 0; i < access_count(); i++)
    printf("%-12s %s\n", access_get(i)->name, access_get(i)->description);
  return 0;
}

int cli_main(int argc, char** argv)
{
  if (argc < 2)
    return usage_error("%s", "a command is needed");
  const char* cmd = argv[1];
  if (strcmp(cmd, "run") == 0)
    return cmd_run(argc, argv, 0);
  if (strcmp(cmd, "check") == 0)
    return cmd_run(argc, argv, 1);
  if (strcmp(cmd, "modes") == 0)
    return cmd_modes();
  if (strcmp(cmd, "plot") == 0)
    return plot_command(argc - 1, argv + 1);
  if (strcmp(cmd, "compare") == 0)
    return compare_command(argc - 1, argv + 1);
  if (strcmp(cmd, "compare-models") == 0)
    return cmd_compare_models(argc, argv);
  if (strcmp(cmd, "platform") == 0)
    return platgen_command(argc - 1, argv + 1);
  if (strcmp(cmd, "bench") == 0)
    return bench_command(argc - 1, argv + 1);
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    fputs(usage_text, stdout);
    return 0;
  }
  if (strcmp(cmd, "--version") == 0) {
    printf("vnicsim %s\n", VNICSIM_VERSION);
    return 0;
  }
  return usage_error("unknown command '%s'", cmd);
}
