/* test_compare: paired speculative/baseline comparisons on fixtures, zero denominators and the compare command. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "vn_analysis.h"
#include "vn_test.h"

static comparison_t make(const_results_csv_t rs)
{
  vn_error_t err;
  vn_error_clear(&err);
  comparison_t c = comparison_create(rs, &err);
  cr_assert_not_null(c, "%s", err.message);
  return c;
}

/* Runs @p print into a string (caller frees). */
static char* capture(void (*print)(const_comparison_t, FILE*), const_comparison_t c)
{
  char* buf  = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&buf, &len);
  cr_assert_not_null(f);
  print(c, f);
  fclose(f);
  return buf;
}

/* ---- comparisons on fixtures ---- */

Test(compare, hand_computed_fixture)
{
  results_csv_t rs = vn_load_fixture("compare-small");
  comparison_t c   = make(rs);
  cr_assert_eq(comparison_count(c), 2);
  cr_assert_str_eq(comparison_combination(c, 0), "cores-per-host=1");
  cr_assert_str_eq(comparison_combination(c, 1), "cores-per-host=4");
  cr_assert_str_eq(comparison_speculative(c, 0), "speculative");
  cr_assert_str_eq(comparison_baseline(c, 0), "lock");
  cr_assert_str_eq(comparison_metric(0)->column, "throughput_wr_s");

  /* 1 core: throughput 1.0/1.0, 1.1/1.0, 0.9/1.0 */
  cr_assert_eq(comparison_pairs(c, 0), 3);
  replstats_ratio_t r = comparison_ratio(c, 0, 0);
  cr_assert_eq(r.state, REPLSTATS_RATIO_OK);
  cr_assert_float_eq(r.mean, 1.0, 1e-12);
  cr_assert_float_eq(r.ci95, 0.2484137711750332, 1e-9);
  /* p99 e2e: 2/4, 3/4, 4/4 */
  r = comparison_ratio(c, 0, 1);
  cr_assert_float_eq(r.mean, 0.75, 1e-12);
  cr_assert_float_eq(r.ci95, 0.6210344279375828, 1e-9);
  /* p99 issue: 1/2, 1/4, 1/5 */
  r = comparison_ratio(c, 0, 2);
  cr_assert_float_eq(r.mean, 0.31666666666666665, 1e-12);
  cr_assert_float_eq(r.ci95, 0.3992692755722063, 1e-9);
  /* CPU per WR: 0.5/1, 0.5/2, 0.5/2.5 */
  r = comparison_ratio(c, 0, 3);
  cr_assert_float_eq(r.mean, 0.31666666666666665, 1e-12);

  /* 4 cores: the lock's replication 2 failed, so only replications 0 and 1 pair: 4.0/2.0, 3.9/2.0 */
  cr_assert_eq(comparison_pairs(c, 1), 2);
  r = comparison_ratio(c, 1, 0);
  cr_assert_float_eq(r.mean, 1.975, 1e-12);
  cr_assert_float_eq(r.ci95, 0.3176551184043679, 1e-9);
  r = comparison_ratio(c, 1, 2);
  cr_assert_float_eq(r.mean, 0.375, 1e-12);
  cr_assert_float_eq(r.ci95, 1.588275592021838, 1e-9);
  r = comparison_ratio(c, 1, 1);
  cr_assert_float_eq(r.ci95, 0, 1e-12);
  comparison_free(c);
  results_csv_free(rs);
}

Test(compare, labelled_cases_are_the_baselines)
{
  results_csv_t rs = vn_load_fixture("spec-vs-lock");
  comparison_t c   = make(rs);
  cr_assert_eq(comparison_count(c), 12, "6 core counts x 2 baselines");
  cr_assert_str_eq(comparison_combination(c, 0), "cores-per-host=1");
  cr_assert_str_eq(comparison_baseline(c, 0), "lock-on-empty");
  cr_assert_str_eq(comparison_baseline(c, 1), "lock-always");
  cr_assert_str_eq(comparison_combination(c, 11), "cores-per-host=32");
  cr_assert_eq(comparison_pairs(c, 11), 2, "one lock-always replication failed");
  cr_assert_eq(comparison_pairs(c, 10), 3);
  replstats_ratio_t r = comparison_ratio(c, 11, 0);
  cr_assert_gt(r.mean, 5, "the fixture's speculative throughput is about 5.9x lock-always at 32 cores");
  comparison_free(c);
  results_csv_free(rs);
}

Test(compare, combinations_span_the_other_sweeps)
{
  results_csv_t rs = vn_load_fixture("fast-nic");
  comparison_t c   = make(rs);
  cr_assert_eq(comparison_count(c), 12);
  cr_assert_str_eq(comparison_combination(c, 1), "cores-per-host=1, service-time=20 ns");
  cr_assert_str_eq(comparison_baseline(c, 1), "lock");
  comparison_free(c);
  results_csv_free(rs);
}

Test(compare, combination_columns_values_and_where)
{
  results_csv_t rs = vn_load_fixture("fast-nic");
  comparison_t c   = make(rs);
  cr_assert_eq(comparison_results(c), rs);
  cr_assert_eq(comparison_column_count(c), 2);
  const_csv_t csv = results_csv_table(rs);
  cr_assert_str_eq(csv_column_name(csv, comparison_column(c, 0)), "consumers.cores-per-host");
  cr_assert_str_eq(csv_column_name(csv, comparison_column(c, 1)), "nic.service-time");
  cr_assert_eq(comparison_combination_count(c), 12);
  cr_assert_eq(comparison_speculative_count(c), 1);
  cr_assert_str_eq(comparison_value(c, 1, 0), "1");
  cr_assert_str_eq(comparison_value(c, 1, 1), "2e-08", "the raw value, for CSV");
  cr_assert_str_eq(comparison_where(c, 1), "at 1 consumer per host, service-time=20 ns");
  cr_assert_str_eq(comparison_where(c, 2), "at 2 consumers per host, service-time=200 ns");
  cr_assert_str_eq(comparison_baseline_mode(c, 1), "lock");
  cr_assert_str_eq(comparison_metric(1)->column, "e2e_latency_p99_s");
  cr_assert_str_eq(comparison_metric(3)->csv_name, "cpu_per_wr");
  comparison_free(c);
  comparison_free(NULL);
  results_csv_free(rs);
}

/* Two speculative variants (labelled cases) each meet both baselines; lines run combination, speculative variant,
 * baseline. */
Test(compare, two_speculative_variants)
{
  results_csv_t rs = vn_load_results_text(
      "point,replication,seed,config,mode,throughput_wr_s,issue_latency_p99_s,e2e_latency_p99_s,cpu_per_wr_s,status,"
      "reason\n"
      "0,0,1,spec-notify,speculative,4e6,1e-6,2e-6,5e-8,ok,\n"
      "1,0,1,spec-poll,speculative,3e6,1e-6,2e-6,5e-8,ok,\n"
      "2,0,1,lock,lock,1e6,1e-6,2e-6,1e-7,ok,\n"
      "3,0,1,lock-always,lock,5e5,1e-6,2e-6,2e-7,ok,\n");
  comparison_t c = make(rs);
  cr_assert_eq(comparison_speculative_count(c), 2);
  cr_assert_eq(comparison_count(c), 4);
  const char* expected[4][2] = {
      {"spec-notify", "lock"}, {"spec-notify", "lock-always"}, {"spec-poll", "lock"}, {"spec-poll", "lock-always"}};
  for (size_t i = 0; i < 4; i++) {
    cr_assert_str_eq(comparison_speculative(c, i), expected[i][0]);
    cr_assert_str_eq(comparison_baseline(c, i), expected[i][1]);
  }
  cr_assert_float_eq(comparison_ratio(c, 3, 0).mean, 6, 1e-12);
  char* table = capture(compare_print_table, c);
  cr_assert(strstr(table, "\nspeculative  baseline     pairs  throughput") != NULL, "%s", table);
  cr_assert(strstr(table, "\nspec-poll    lock-always      1        6.00") != NULL, "%s", table);
  free(table);
  char* summary = capture(compare_print_summary, c);
  cr_assert_str_eq(summary,
                   "Against lock, spec-notify reaches 4x the throughput, with 1x the p99 end-to-end latency, "
                   "1x the p99 issue latency and 0.5x the CPU time per WR there. Against lock-always, "
                   "spec-notify reaches 8x the throughput, with 1x the p99 end-to-end latency, 1x the p99 "
                   "issue latency and 0.25x the CPU time per WR there. Against lock, spec-poll reaches 3x the "
                   "throughput, with 1x the p99 end-to-end latency, 1x the p99 issue latency and 0.5x the CPU "
                   "time per WR there. Against lock-always, spec-poll reaches 6x the throughput, with 1x the "
                   "p99 end-to-end latency, 1x the p99 issue latency and 0.25x the CPU time per WR there. Some "
                   "points have a single replication: their ratios carry no confidence interval.\n");
  free(summary);
  comparison_free(c);
  results_csv_free(rs);
}

Test(compare, table_summary_and_csv)
{
  results_csv_t rs = vn_load_fixture("spec-vs-lock");
  comparison_t c   = make(rs);
  char* table      = capture(compare_print_table, c);
  cr_assert(strstr(table, "# vnicsim compare: ") == table, "%s", table);
  cr_assert(strstr(table, "cores-per-host  baseline       pairs") != NULL, "%s", table);
  cr_assert(strstr(table, "            32  lock-always        2    5.85 ± 0.85") != NULL, "%s", table);
  free(table);

  char* summary = capture(compare_print_summary, c);
  cr_assert(strstr(summary, "Against lock-always, speculative reaches 5.85x the throughput at 32 consumers per host") !=
                NULL,
            "%s", summary);
  cr_assert(strstr(summary, "Against lock-on-empty, speculative's throughput ratio stays at 0.967x to 1.02x") != NULL,
            "%s", summary);
  free(summary);

  char* text = capture(compare_print_csv, c);
  vn_error_t err;
  vn_error_clear(&err);
  csv_t out = csv_read_string(text, "out.csv", &err);
  cr_assert_not_null(out, "%s", err.message);
  cr_assert_eq(csv_row_count(out), 12);
  cr_assert_str_eq(csv_column_name(out, 0), "consumers.cores-per-host");
  cr_assert_str_eq(csv_column_name(out, 5), "throughput_ratio_mean");
  cr_assert_str_eq(csv_cell(out, 11, 0), "32");
  cr_assert_str_eq(csv_cell(out, 11, 2), "lock-always");
  cr_assert_str_eq(csv_cell(out, 11, 3), "lock");
  cr_assert_str_eq(csv_cell(out, 11, 4), "2");
  double v;
  cr_assert_eq(csv_parse_double(csv_cell(out, 11, 5), &v), 1);
  cr_assert_float_eq(v, comparison_ratio(c, 11, 0).mean, 1e-5);
  csv_free(out);
  free(text);
  comparison_free(c);
  results_csv_free(rs);
}

#define HDR                                                                                                            \
  "point,replication,seed,access.mode,mode,throughput_wr_s,issue_latency_p99_s,e2e_latency_p99_s,cpu_per_wr_s,status," \
  "reason\n"

Test(compare, zero_baseline_prints_inf_and_na)
{
  results_csv_t rs = vn_load_results_text(HDR "0,0,1,speculative,speculative,1e6,1e-6,2e-6,0,ok,\n"
                                              "1,0,1,lock,lock,0,1e-6,2e-6,0,ok,\n");
  comparison_t c   = make(rs);
  cr_assert_eq(comparison_ratio(c, 0, 0).state, REPLSTATS_RATIO_INF);
  cr_assert_eq(comparison_ratio(c, 0, 3).state, REPLSTATS_RATIO_NA);
  cr_assert_eq(comparison_ratio(c, 0, 1).state, REPLSTATS_RATIO_OK);
  cr_assert_str_eq(comparison_combination(c, 0), "all");
  char* table = capture(compare_print_table, c);
  cr_assert(strstr(table, "lock          1         inf     1.00       1.00     n/a") != NULL, "%s", table);
  free(table);
  char* text = capture(compare_print_csv, c);
  cr_assert(strstr(text, "\nspeculative,lock,lock,1,inf,,1,,1,,,\n") != NULL, "%s", text);
  free(text);
  char* summary = capture(compare_print_summary, c);
  cr_assert(strstr(summary, "no throughput ratio of speculative can be computed") != NULL, "%s", summary);
  free(summary);
  comparison_free(c);
  results_csv_free(rs);
}

Test(compare, mode_column_when_no_sweep_names_it)
{
  /* Only the mode column tells the rows apart (no sweep column varies). */
  results_csv_t rs =
      vn_load_results_text("point,replication,seed,mode,throughput_wr_s,issue_latency_p99_s,e2e_latency_p99_s,"
                           "cpu_per_wr_s,status,reason\n"
                           "0,0,1,speculative,2e6,1e-6,2e-6,5e-8,ok,\n"
                           "1,1,2,speculative,2e6,1e-6,2e-6,5e-8,ok,\n"
                           "2,0,1,lock,1e6,1e-6,2e-6,1e-7,ok,\n"
                           "3,1,2,lock,1e6,1e-6,2e-6,1e-7,ok,\n");
  comparison_t c = make(rs);
  cr_assert_eq(comparison_count(c), 1);
  cr_assert_eq(comparison_pairs(c, 0), 2);
  cr_assert_float_eq(comparison_ratio(c, 0, 0).mean, 2, 1e-12);
  cr_assert_float_eq(comparison_ratio(c, 0, 3).mean, 0.5, 1e-12);
  comparison_free(c);
  results_csv_free(rs);
}

Test(compare, nothing_to_compare)
{
  vn_error_t err;
  vn_error_clear(&err);
  results_csv_t rs = vn_load_fixture("qdepth");
  cr_assert_null(comparison_create(rs, &err));
  cr_assert(strstr(err.message, "no baseline") == err.message, "%s", err.message);
  results_csv_free(rs);

  vn_error_clear(&err);
  rs = vn_load_results_text(HDR "0,0,1,lock,lock,1e6,1e-6,2e-6,1e-7,ok,\n");
  cr_assert_null(comparison_create(rs, &err));
  cr_assert(strstr(err.message, "no ok row with mode speculative") == err.message, "%s", err.message);
  results_csv_free(rs);

  vn_error_clear(&err);
  rs = vn_load_results_text("point,replication,seed,mode,throughput_wr_s,status,reason\n0,0,1,lock,1e6,ok,\n");
  cr_assert_null(comparison_create(rs, &err));
  cr_assert(strstr(err.message, "header has no column \"e2e_latency_p99_s\"") == err.message, "%s", err.message);
  results_csv_free(rs);

  vn_error_clear(&err);
  rs = vn_load_results_text(HDR "0,0,1,speculative,speculative,1e6,1e-6,2e-6,1e-7,ok,\n"
                                "1,0,1,lock,lock,1e6,1e-6,2e-6,1e-7,ok,\n"
                                "2,0,1,lock,lock,1e6,1e-6,2e-6,1e-7,ok,\n");
  cr_assert_null(comparison_create(rs, &err), "two rows of one replication cannot be paired");
  cr_assert_eq(err.line, 4);
  results_csv_free(rs);
}

/* ---- vnicsim compare ---- */

Test(compare_command, prints_table_and_summary, .init = cr_redirect_stdout)
{
  char* argv[] = {"compare", VN_FIXTURES "/compare-small", NULL};
  cr_assert_eq(vn_cli_argv(2, argv), 0);
  fflush(stdout);
  cr_assert_stdout_neq_str("");
}

Test(compare_command, csv_option, .init = cr_redirect_stdout)
{
  char* argv[] = {"compare", VN_FIXTURES "/compare-small", "--csv", NULL};
  cr_assert_eq(vn_cli_argv(3, argv), 0);
  fflush(stdout);
  FILE* out = cr_get_redirected_stdout();
  char line[1024];
  cr_assert_not_null(fgets(line, sizeof line, out));
  const char* header = "consumers.cores-per-host,speculative,baseline,baseline_mode,pairs,throughput_ratio_mean,";
  cr_assert(strncmp(line, header, strlen(header)) == 0, "%s", line);
  cr_assert_not_null(fgets(line, sizeof line, out));
  const char* first = "1,speculative,lock,lock,3,1,0.248414,0.75,0.621034,0.316667,0.399269,0.316667,0.399269\n";
  cr_assert_str_eq(line, first);
}

Test(compare_command, bad_input_exits_2)
{
  char* missing[] = {"compare", VN_FIXTURES "/no-such-run", NULL};
  cr_assert_eq(vn_cli_argv(2, missing), VN_EXIT_INPUT);
  char* no_results[] = {"compare", VN_FIXTURES, NULL};
  cr_assert_eq(vn_cli_argv(2, no_results), VN_EXIT_INPUT);
  char* no_baseline[] = {"compare", VN_FIXTURES "/qdepth", NULL};
  cr_assert_eq(vn_cli_argv(2, no_baseline), VN_EXIT_INPUT);
  char* none[] = {"compare", NULL};
  cr_assert_eq(vn_cli_argv(1, none), VN_EXIT_INPUT);
  char* unknown[] = {"compare", VN_FIXTURES "/compare-small", "--json", NULL};
  cr_assert_eq(vn_cli_argv(3, unknown), VN_EXIT_INPUT);
}
