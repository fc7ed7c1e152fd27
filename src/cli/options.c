/* options: the one command-line layer: getopt_long driven by each subcommand's option table. */
#include "cli/options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/sysdep.h>

#include "base/units.h"

/* getopt_long's codes for the options without a letter, and for the pass-through SimGrid options. */
#define CODE_HELP 'h'
#define CODE_CFG 1000
#define CODE_LOG 1001
#define CODE_LONG_ONLY 2000 /* + index in the table */

int cli_usage_error(const cli_command_t* cmd, const char* fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("vnicsim: error: ", stderr);
  if (cmd != NULL)
    fprintf(stderr, "%s: ", cmd->name);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  if (cmd != NULL)
    fprintf(stderr, " ('vnicsim %s --help' lists its options)\n", cmd->name);
  else
    fputs(" ('vnicsim help' lists the commands)\n", stderr);
  return CLI_EXIT_USAGE;
}

int cli_parse_size(const cli_command_t* cmd, const char* name, const char* text, double* out)
{
  char why[256];
  if (units_parse(UNIT_SIZE, text, out, why, sizeof why) != 0)
    return cli_usage_error(cmd, "%s %s: %s (a size with its unit: 64GiB, 500MB)", name, text, why);
  if (!(*out > 0))
    return cli_usage_error(cmd, "%s %s: must be above 0", name, text);
  return 0;
}

static size_t option_count(const cli_command_t* cmd)
{
  size_t n = 0;
  while (cmd->options != NULL && cmd->options[n].name != NULL)
    n++;
  return n;
}

static void option_label(const cli_option_t* o, char* buf, size_t len)
{
  if (o->letter)
    snprintf(buf, len, "-%c, --%s%s%s", o->letter, o->name, o->value ? " " : "", o->value ? o->value : "");
  else
    snprintf(buf, len, "    --%s%s%s", o->name, o->value ? " " : "", o->value ? o->value : "");
}

void cli_print_help(const cli_command_t* cmd, FILE* out)
{
  fprintf(out, "usage: vnicsim %s %s\n\n%s\n", cmd->name, cmd->synopsis, cmd->summary);
  fputs("\noptions:\n", out);
  size_t n = option_count(cmd);
  char label[128];
  for (size_t i = 0; i < n; i++) {
    const cli_option_t* o = &cmd->options[i];
    option_label(o, label, sizeof label);
    if (strlen(label) > 28)
      fprintf(out, "  %s\n  %-28s %s", label, "", o->help);
    else
      fprintf(out, "  %-28s %s", label, o->help);
    if (o->kind == CLI_CHOICE) {
      fputs(" (", out);
      for (size_t k = 0; o->choices[k] != NULL; k++)
        fprintf(out, "%s%s", k ? ", " : "", o->choices[k]);
      fputs(")", out);
    }
    fputc('\n', out);
  }
  fprintf(out, "  %-28s %s\n", "-h, --help", "print this help and exit");
  if (cmd->simgrid)
    fputs("\nSimGrid options (--cfg=name:value, --log=category.thres:level) are passed to every simulation.\n", out);
  fputs("\nexit status: 0 success, 1 a point or the run failed, 2 bad input or usage, 130/143 interrupted.\n", out);
}

/* The value of option o as the user wrote it, for messages. */
static int store(const cli_command_t* cmd, const cli_option_t* o, void* opts, const char* value)
{
  char* at = (char*)opts + o->offset;
  char name[80]; /* as messages name it: "-j/--jobs" or "--trace" */
  if (o->letter)
    snprintf(name, sizeof name, "-%c/--%s", o->letter, o->name);
  else
    snprintf(name, sizeof name, "--%s", o->name);
  switch (o->kind) {
  case CLI_FLAG:
    *(int*)at = 1;
    return 0;
  case CLI_STRING:
    if (value[0] == '\0')
      return cli_usage_error(cmd, "%s needs %s, not an empty value", name, o->value);
    *(const char**)at = value;
    return 0;
  case CLI_LIST: {
    cli_list_t* l    = (cli_list_t*)at;
    l->items         = xbt_realloc(l->items, (size_t)(l->n + 1) * sizeof(const char*));
    l->items[l->n++] = value;
    return 0;
  }
  case CLI_LONG: {
    char* end;
    errno  = 0;
    long v = strtol(value, &end, 10);
    if (value[0] == '\0' || *end != '\0' || errno != 0 || v < o->min || v > o->max)
      return cli_usage_error(cmd, "%s needs a whole number from %.0f to %.0f, not '%s'", name, o->min, o->max, value);
    *(long*)at = v;
    return 0;
  }
  case CLI_NUMBER: {
    char* end;
    errno    = 0;
    double v = strtod(value, &end);
    if (value[0] == '\0' || *end != '\0' || errno != 0 || !isfinite(v) || v <= o->min || v > o->max)
      return cli_usage_error(cmd, "%s needs a number above %g and at most %g, not '%s'", name, o->min, o->max, value);
    *(double*)at = v;
    return 0;
  }
  case CLI_CHOICE:
    for (size_t k = 0; o->choices[k] != NULL; k++)
      if (strcmp(o->choices[k], value) == 0) {
        *(const char**)at = o->choices[k];
        return 0;
      }
    {
      char list[256] = "";
      size_t used    = 0;
      for (size_t k = 0; o->choices[k] != NULL && used < sizeof list; k++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", o->choices[k]);
      return cli_usage_error(cmd, "%s must be one of %s, not '%s'", name, list, value);
    }
  }
  return cli_usage_error(cmd, "%s: unhandled option kind", o->name);
}

static void free_lists(const cli_command_t* cmd, void* opts)
{
  size_t n = option_count(cmd);
  for (size_t i = 0; i < n; i++)
    if (cmd->options[i].kind == CLI_LIST)
      free(((cli_list_t*)((char*)opts + cmd->options[i].offset))->items);
}

/* getopt_long's tables for cmd: long options (with --help, and --cfg/--log for SimGrid) and the short ones. */
typedef struct getopt_tables {
  struct option* lopt;
  char* shorts;
} getopt_tables_t;

static getopt_tables_t tables_of(const cli_command_t* cmd)
{
  size_t n          = option_count(cmd);
  getopt_tables_t t = {xbt_new0(struct option, n + 4), xbt_new0(char, 2 * n + 4)};
  size_t ns = 0, nl = 0;
  t.shorts[ns++] = ':'; /* a missing value is reported as ':' (not '?'), and getopt itself prints nothing */
  t.shorts[ns++] = 'h';
  for (size_t i = 0; i < n; i++) {
    const cli_option_t* o = &cmd->options[i];
    int has_arg           = o->kind == CLI_FLAG ? no_argument : required_argument;
    t.lopt[nl++]          = (struct option){o->name, has_arg, NULL, o->letter ? o->letter : CODE_LONG_ONLY + (int)i};
    if (o->letter) {
      t.shorts[ns++] = o->letter;
      if (has_arg == required_argument)
        t.shorts[ns++] = ':';
    }
  }
  t.lopt[nl++] = (struct option){"help", no_argument, NULL, CODE_HELP};
  if (cmd->simgrid) {
    t.lopt[nl++] = (struct option){"cfg", required_argument, NULL, CODE_CFG};
    t.lopt[nl++] = (struct option){"log", required_argument, NULL, CODE_LOG};
  }
  return t;
}

/* The table entry of getopt's code c, or NULL. */
static const cli_option_t* option_of_code(const cli_command_t* cmd, int c)
{
  size_t n = option_count(cmd);
  for (size_t i = 0; i < n; i++)
    if (cmd->options[i].letter ? cmd->options[i].letter == c : CODE_LONG_ONLY + (int)i == c)
      return &cmd->options[i];
  return NULL;
}

/* Parse the options of argv into opts and args (SimGrid options into args->sg_argv, their text owned by `owned`).
 * Returns -1 to go on to the command, or the exit status when parsing ends it (--help, a usage error). */
static int parse_options(const cli_command_t* cmd, int argc, char** argv, void* opts, cli_args_t* args, char** owned)
{
  getopt_tables_t t = tables_of(cmd);
  int nowned        = 0;
  int rc            = -1;
  opterr            = 0;
  optind            = 0; /* GNU getopt: 0 starts a fresh scan */
  while (rc < 0) {
    int c = getopt_long(argc, argv, t.shorts, t.lopt, NULL);
    if (c == -1)
      break;
    const char* seen = argv[optind - 1];
    if (c == CODE_HELP) {
      cli_print_help(cmd, stdout);
      rc = CLI_EXIT_OK;
    } else if (c == CODE_CFG || c == CODE_LOG) {
      /* SimGrid only reads the --cfg=VALUE form: rebuild it whichever form was given. */
      size_t len = strlen(optarg) + 8;
      char* opt  = xbt_malloc(len);
      snprintf(opt, len, "--%s=%s", c == CODE_CFG ? "cfg" : "log", optarg);
      owned[nowned++]                = opt;
      args->sg_argv[args->sg_argc++] = opt;
    } else if (c == '?') {
      rc = optopt && optopt < CODE_CFG ? cli_usage_error(cmd, "unknown option '-%c'", optopt)
                                       : cli_usage_error(cmd, "unknown option '%s'", seen);
    } else if (c == ':') {
      rc = cli_usage_error(cmd, "option '%s' needs a value", seen);
    } else {
      const cli_option_t* o = option_of_code(cmd, c);
      if (o == NULL)
        rc = cli_usage_error(cmd, "unknown option '%s'", seen);
      else if (store(cmd, o, opts, o->kind == CLI_FLAG ? "" : optarg) != 0)
        rc = CLI_EXIT_USAGE;
    }
  }
  for (int i = optind; rc < 0 && i < argc; i++)
    args->positional[args->npositional++] = argv[i];
  args->sg_argv[args->sg_argc] = NULL;
  free(t.lopt);
  free(t.shorts);
  return rc;
}

/* The number of positional arguments against what cmd takes: -1 if fine, else the usage error's status. */
static int check_arguments(const cli_command_t* cmd, const cli_args_t* a)
{
  if (a->npositional < cmd->min_args)
    return cli_usage_error(cmd, "%s is needed", cmd->args_name);
  if (a->npositional > cmd->max_args)
    return cmd->max_args == 0 ? cli_usage_error(cmd, "takes no argument, not '%s'", a->positional[0])
                              : cli_usage_error(cmd, "unexpected argument '%s' (at most %d: %s)",
                                                a->positional[cmd->max_args], cmd->max_args, cmd->args_name);
  return -1;
}

int cli_dispatch(const cli_command_t* cmd, int argc, char** argv, int whole_argc, char** whole_argv)
{
  void* opts = xbt_malloc0(cmd->opts_size ? cmd->opts_size : 1);
  if (cmd->defaults)
    cmd->defaults(opts);
  cli_args_t args              = {0};
  args.sg_argv                 = xbt_new0(char*, (size_t)argc + 2);
  args.sg_argv[args.sg_argc++] = whole_argc > 0 ? whole_argv[0] : "vnicsim";
  args.positional              = xbt_new0(const char*, (size_t)argc + 1);
  args.argc                    = whole_argc;
  args.argv                    = whole_argv;
  char** owned                 = xbt_new0(char*, (size_t)argc + 1);

  int rc = parse_options(cmd, argc, argv, opts, &args, owned);
  if (rc < 0)
    rc = check_arguments(cmd, &args);
  if (rc < 0)
    rc = cmd->run(opts, &args);

  free_lists(cmd, opts);
  free(opts);
  for (int i = 0; owned[i] != NULL; i++)
    free(owned[i]);
  free(owned);
  free(args.sg_argv);
  free(args.positional);
  return rc;
}
