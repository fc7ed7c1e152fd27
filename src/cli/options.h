/* options: the one command-line layer. Each subcommand is a table (cli_command_t) of its options; options are parsed
 * with getopt_long, errors have one style and one exit status, and every subcommand answers -h/--help. */
#ifndef VNICSIM_CLI_OPTIONS_H
#define VNICSIM_CLI_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

/* Exit statuses, the same for every subcommand. */
#define CLI_EXIT_OK 0
#define CLI_EXIT_FAILED 1 /* a point or a run failed, or an internal error */
#define CLI_EXIT_USAGE 2  /* bad input or bad usage (equal to VN_EXIT_INPUT) */

/** How an option's value is read. */
typedef enum {
  CLI_FLAG,   /* no value: the int at offset becomes 1 */
  CLI_STRING, /* one value (given again, the last one wins): a const char* at offset; never empty */
  CLI_LIST,   /* may be given many times: each value is appended to the cli_list_t at offset */
  CLI_LONG,   /* a whole number within [min, max]: a long at offset */
  CLI_NUMBER, /* a finite number > min and <= max: a double at offset */
  CLI_CHOICE  /* one of choices[]: a const char* at offset */
} cli_kind_t;

/** The values of a CLI_LIST option, in the order given. */
typedef struct cli_list {
  const char** items;
  int n;
} cli_list_t;

/** One option of a subcommand. */
typedef struct cli_option {
  const char* name; /* long name, without "--" */
  char letter;      /* short name, or 0 */
  cli_kind_t kind;
  size_t offset;              /* of the value in the subcommand's option struct */
  const char* value;          /* what the value is, for --help and messages ("DIR", "N"); NULL for a flag */
  const char* help;           /* one line */
  double min, max;            /* CLI_LONG and CLI_NUMBER */
  const char* const* choices; /* CLI_CHOICE: NULL-terminated */
} cli_option_t;

/** The entry that ends an option table. */
#define CLI_OPTIONS_END                                                                                                \
  {                                                                                                                    \
    NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL                                                                              \
  }

/** What a subcommand gets besides its option struct. */
typedef struct cli_args {
  const char** positional; /* the arguments that are not options, in order */
  int npositional;
  char** sg_argv; /* program name, then the SimGrid options (--cfg=..., --log=...) in order; NULL-terminated */
  int sg_argc;
  int argc; /* the whole command line, as given (for the manifest) */
  char** argv;
} cli_args_t;

/** One subcommand. */
typedef struct cli_command {
  const char* name;             /* "run" */
  const char* synopsis;         /* after the name in the usage line: "SCENARIO.xml [options]" */
  const char* brief;            /* one line, for the list of `vnicsim help` */
  const char* summary;          /* what it does, a few lines for --help */
  const cli_option_t* options;  /* terminated by an entry with name NULL; -h/--help is added to every command */
  int min_args, max_args;       /* number of positional arguments accepted */
  const char* args_name;        /* what the positional arguments are, for messages ("a scenario file") */
  int simgrid;                  /* accepts SimGrid's --cfg=name:value and --log=category.thres:level */
  size_t opts_size;             /* size of its option struct (zeroed, then filled from the table) */
  void (*defaults)(void* opts); /* may be NULL: fills defaults before parsing */
  int (*run)(void* opts, const cli_args_t* args); /* returns the exit status */
} cli_command_t;

/** @brief Parse @p argv (argv[0] is the command's name) for @p cmd, then run it. Prints --help on stdout and returns
 *  0; prints a usage error (`vnicsim: error: CMD: ...`, with where to find the options) and returns CLI_EXIT_USAGE on
 *  an unknown option, a missing or malformed value, or a wrong number of arguments. @p whole_argc and @p whole_argv
 *  are the process's command line (recorded by commands that write a manifest). */
int cli_dispatch(const cli_command_t* cmd, int argc, char** argv, int whole_argc, char** whole_argv);

/** @brief Print @p cmd's help: usage line, summary, one line per option. */
void cli_print_help(const cli_command_t* cmd, FILE* out);

/** @brief Read @p text, the value of option @p name, as a size with its unit ("64GiB", "500MB") into @p out (bytes,
 *  above 0). Returns 0, or prints a usage error and returns CLI_EXIT_USAGE. */
int cli_parse_size(const cli_command_t* cmd, const char* name, const char* text, double* out);

/** @brief Print a usage error for @p cmd (NULL: vnicsim itself) and return CLI_EXIT_USAGE. */
int cli_usage_error(const cli_command_t* cmd, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
