/* main: vnicsim's entry point; the command line is cli.c's. */
#include "cli/cli.h"

int main(int argc, char** argv)
{
  return cli_main(argc, argv);
}
