/* cli: vnicsim's command line: subcommands, their options, and the SimGrid options passed through. */
#ifndef VNICSIM_CLI_H
#define VNICSIM_CLI_H

/** @brief Run vnicsim with the process's arguments; returns the exit status (0 ok, 1 internal failure, 2 bad
 *  input). */
int cli_main(int argc, char** argv);

#endif
