/* e2e_bench: `vnicsim bench` through the binary: its table's columns, a network point (the bare program replays
 * vnicsim's messages), a looped-back point (it takes the same number of steps), and a bad --point. Times are not
 * checked: they belong to the benchmark, not to a test. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vn_test.h"

#define HEADER                                                                                                         \
  "point  sweep values                             WRs transfers   wall_s    run_s        WR/s  steps/WR   bare "      \
  "rate   bare unit   ratio    maxrss\n"

/* The figures of a table row that do not depend on the machine. */
typedef struct row {
  long point, wrs, transfers;
  double steps_per_wr;
  char unit[32];
} row_t;

/* Reads the only data row of @p out: the point, the sweep values (any number of words), then twelve figures. */
static row_t only_row(const char* out)
{
  const char* line = strstr(out, HEADER);
  cr_assert(line != NULL, "no column header in:\n%s", out);
  line += strlen(HEADER);
  const char* end = strchr(line, '\n');
  cr_assert(end != NULL);
  char buf[512];
  snprintf(buf, sizeof buf, "%.*s", (int)(end - line), line);
  char* words[64];
  int n = 0;
  for (char* w = strtok(buf, " "); w != NULL && n < 64; w = strtok(NULL, " "))
    words[n++] = w;
  cr_assert_geq(n, 13, "a short row: %.*s", (int)(end - line), line);
  row_t r;
  r.point        = atol(words[0]);
  r.wrs          = atol(words[n - 11]);
  r.transfers    = atol(words[n - 10]);
  r.steps_per_wr = atof(words[n - 6]);
  snprintf(r.unit, sizeof r.unit, "%s", words[n - 4]);
  cr_expect_str_eq(words[n - 1], "MB");
  cr_expect(strncmp(end + 1, "# WR/s and ratio use run_s", 26) == 0, "the footer follows the row");
  return r;
}

Test(bench, network_point_replays_the_messages)
{
  char *out, *err;
  int rc = vn_run(&out, &err,
                  "bench '" VNICSIM_SOURCE_DIR "/scenarios/cluster-uniform.xml' --point 0 "
                  "--set workload.requests=50");
  cr_assert_eq(rc, 0, "stderr: %s", err);
  cr_expect(strncmp(out, "# vnicsim bench: ", 17) == 0, "%s", out);
  row_t r = only_row(out);
  cr_expect_eq(r.point, 0);
  cr_expect_eq(r.wrs, 16 * 50, "16 hosts, one core each, 50 requests");
  cr_expect_gt(r.transfers, 0);
  cr_expect_leq(r.transfers, r.wrs);
  cr_expect_gt(r.steps_per_wr, 1);
  cr_expect_str_eq(r.unit, "messages/s");
  free(out);
  free(err);
}

Test(bench, looped_back_point_takes_the_same_steps)
{
  char *out, *err;
  int rc = vn_run(&out, &err,
                  "bench '" VNICSIM_SOURCE_DIR "/scenarios/default.xml' --point 0 "
                  "--set workload.requests=50");
  cr_assert_eq(rc, 0, "stderr: %s", err);
  row_t r = only_row(out);
  cr_expect_eq(r.wrs, 50, "one host, one core, 50 requests");
  cr_expect_eq(r.transfers, 0, "every WR is looped back in its NIC");
  cr_expect_str_eq(r.unit, "steps/s");
  free(out);
  free(err);
}

Test(bench, unknown_point_is_bad_input)
{
  char *out, *err;
  int rc = vn_run(&out, &err, "bench '" VNICSIM_SOURCE_DIR "/scenarios/default.xml' --point 999");
  cr_expect_eq(rc, 2);
  cr_expect(strstr(err, "--point 999: no such point") != NULL, "%s", err);
  cr_expect_str_empty(out, "no table for bad input");
  free(out);
  free(err);
}
