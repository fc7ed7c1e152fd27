/* commands: the subcommands defined outside cli.c (each in src/cli/cmd_*.c), for cli.c's table of commands. */
#ifndef VNICSIM_CLI_COMMANDS_H
#define VNICSIM_CLI_COMMANDS_H

#include <stddef.h>

#include "cli/options.h"

extern const cli_command_t cli_cmd_plot;
extern const cli_command_t cli_cmd_compare;
extern const cli_command_t cli_cmd_compare_models;
extern const cli_command_t cli_cmd_platform;
extern const cli_command_t cli_cmd_bench;
extern const cli_command_t cli_cmd_submit;
extern const cli_command_t cli_cmd_merge;
extern const cli_command_t cli_cmd_status;

/** @brief Number of subcommands, and the i-th one in the order `vnicsim help` lists them (for tests and docs). */
size_t cli_command_count(void);
const cli_command_t* cli_command_at(size_t i);

#endif
