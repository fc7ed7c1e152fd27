/* e2e_cli_commands: every subcommand of the table, through the binary: --help and -h print its usage and options,
 * an unknown option and a missing value are usage errors (exit 2, one line naming the command), and the version. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "vn_test.h"

Test(cli_commands, every_command_answers_help)
{
  cr_assert_geq(cli_command_count(), 10);
  for (size_t i = 0; i < cli_command_count(); i++) {
    const cli_command_t* c = cli_command_at(i);
    char usage[128];
    snprintf(usage, sizeof usage, "usage: vnicsim %s ", c->name);
    const char* forms[] = {"--help", "-h"};
    for (int f = 0; f < 2; f++) {
      char *out, *err;
      int rc = vn_run(&out, &err, "%s %s", c->name, forms[f]);
      cr_expect_eq(rc, 0, "vnicsim %s %s: exit %d, stderr: %s", c->name, forms[f], rc, err);
      cr_expect(strstr(out, usage) == out, "vnicsim %s %s does not start with its usage line:\n%s", c->name, forms[f],
                out);
      cr_expect(strstr(out, "-h, --help") != NULL, "vnicsim %s %s does not list -h, --help", c->name, forms[f]);
      cr_expect(strstr(out, "exit status: 0 success, 1") != NULL, "vnicsim %s %s: no exit status rule", c->name,
                forms[f]);
      cr_expect_str_empty(err, "vnicsim %s %s wrote to stderr: %s", c->name, forms[f], err);
      /* every option of the table is listed */
      for (size_t k = 0; c->options[k].name != NULL; k++) {
        char opt[96];
        snprintf(opt, sizeof opt, "--%s", c->options[k].name);
        cr_expect(strstr(out, opt) != NULL, "vnicsim %s --help does not list %s", c->name, opt);
      }
      free(out);
      free(err);
    }
    /* vnicsim help NAME says the same */
    char *out, *err;
    cr_expect_eq(vn_run(&out, &err, "help %s", c->name), 0);
    cr_expect(strstr(out, usage) == out, "vnicsim help %s:\n%s", c->name, out);
    free(out);
    free(err);
  }
}

Test(cli_commands, help_lists_every_command)
{
  char *out, *err;
  cr_assert_eq(vn_run(&out, &err, "help"), 0);
  for (size_t i = 0; i < cli_command_count(); i++) {
    char line[64];
    snprintf(line, sizeof line, "\n  %s ", cli_command_at(i)->name);
    cr_expect(strstr(out, line) != NULL, "vnicsim help does not list %s:\n%s", cli_command_at(i)->name, out);
  }
  free(out);
  free(err);
  cr_assert_eq(vn_run(&out, &err, "--help"), 0);
  cr_expect(strstr(out, "usage: vnicsim COMMAND") == out);
  free(out);
  free(err);
}

Test(cli_commands, unknown_option_is_a_usage_error_everywhere)
{
  for (size_t i = 0; i < cli_command_count(); i++) {
    const cli_command_t* c = cli_command_at(i);
    char *out, *err;
    int rc = vn_run(&out, &err, "%s --no-such-option", c->name);
    cr_expect_eq(rc, 2, "vnicsim %s --no-such-option: exit %d", c->name, rc);
    char expect[160];
    snprintf(expect, sizeof expect, "vnicsim: error: %s: unknown option '--no-such-option' ('vnicsim %s --help'",
             c->name, c->name);
    cr_expect(strstr(err, expect) == err, "vnicsim %s: stderr is\n%s", c->name, err);
    cr_expect_str_empty(out);
    free(out);
    free(err);
  }
}

Test(cli_commands, missing_value_and_bad_number)
{
  char *out, *err;
  int rc = vn_run(&out, &err, "run x.xml -j");
  cr_expect_eq(rc, 2);
  cr_expect(strstr(err, "vnicsim: error: run: option '-j' needs a value") == err, "%s", err);
  free(out);
  free(err);
  rc = vn_run(&out, &err, "run x.xml --jobs=abc");
  cr_expect_eq(rc, 2);
  cr_expect(strstr(err, "-j/--jobs needs a whole number from 1 to 1024, not 'abc'") != NULL, "%s", err);
  free(out);
  free(err);
  rc = vn_run(&out, &err, "plot d --format=jpg");
  cr_expect_eq(rc, 2);
  cr_expect(strstr(err, "--format must be one of png, svg, not 'jpg'") != NULL, "%s", err);
  free(out);
  free(err);
  rc = vn_run(&out, &err, "compare");
  cr_expect_eq(rc, 2);
  cr_expect(strstr(err, "compare: a run directory is needed") != NULL, "%s", err);
  free(out);
  free(err);
  rc = vn_run(&out, &err, "modes extra");
  cr_expect_eq(rc, 2);
  cr_expect(strstr(err, "modes: takes no argument, not 'extra'") != NULL, "%s", err);
  free(out);
  free(err);
  rc = vn_run(&out, &err, "frobnicate");
  cr_expect_eq(rc, 2);
  cr_expect(strstr(err, "vnicsim: error: unknown command 'frobnicate' ('vnicsim help' lists the commands)") == err,
            "%s", err);
  free(out);
  free(err);
  rc = vn_run(&out, &err, " ");
  cr_expect_eq(rc, 2);
  free(out);
  free(err);
}

Test(cli_commands, version)
{
  char *out, *err;
  cr_assert_eq(vn_run(&out, &err, "--version"), 0);
  char expect[64];
  snprintf(expect, sizeof expect, "vnicsim %s\n", VNICSIM_VERSION);
  cr_expect_str_eq(out, expect);
  free(out);
  free(err);
  cr_assert_eq(vn_run(&out, &err, "version"), 0);
  cr_expect_str_eq(out, expect);
  free(out);
  free(err);
}
