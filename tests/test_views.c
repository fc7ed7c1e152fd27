/* test_views: the pieces behind the new views, in this process: the manifest reader (scenario name for titles),
 * the layout of a figure's series (facets, coinciding lines, zero series) and compare-models' report on two fixture
 * runs, with intervals computed by hand. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare_models.h"
#include "analysis/manifest.h"
#include "analysis/plot_layout.h"
#include "analysis/plot_view.h"
#include "vn_analysis.h"
#include "vn_test.h"

/* ---- manifest ---- */

static int lookup(const char* json, char* buf, size_t len)
{
  static const char* const keys[] = {"scenario", "scenario", "name"};
  return manifest_json_string(json, keys, 3, buf, len);
}

Test(manifest, finds_the_scenario_name_past_other_values)
{
  char name[64];
  cr_assert_eq(lookup("{\"v\": [1, {\"scenario\": 2}, \"x\\\"y\"], \"n\": null, \"t\": true, \"f\": -1.5e3,\n"
                      " \"scenario\": {\"path\": \"a.xml\", \"scenario\": {\"seed\": 1, \"name\": \"d\\u00e9fault\"}}}",
                      name, sizeof name),
               0);
  cr_assert_str_eq(name,
                   "d\xc3\xa9"
                   "fault",
                   "\\u00e9 is decoded to UTF-8");
  cr_assert_eq(lookup("{\"scenario\": {\"scenario\": {\"name\": \"a\\ud83d\\ude00b\\n\"}}}", name, sizeof name), 0);
  cr_assert_str_eq(name,
                   "a\xf0\x9f\x98\x80"
                   "b\n",
                   "a surrogate pair is one code point");
}

Test(manifest, refuses_what_is_not_there_or_not_json)
{
  char name[64] = "x";
  cr_assert_eq(lookup("{\"scenario\": {\"scenario\": {\"seed\": 1}}}", name, sizeof name), -1);
  cr_assert_str_eq(name, "");
  cr_assert_eq(lookup("{\"scenario\": {\"scenario\": {\"name\": 3}}}", name, sizeof name), -1, "not a string");
  cr_assert_eq(lookup("{\"scenario\": [\"name\"]}", name, sizeof name), -1);
  cr_assert_eq(lookup("{\"scenario\": {\"scenario\": {\"name\": \"unterminated", name, sizeof name), -1);
  cr_assert_eq(
      lookup("{\"x\": \"bad \\q escape\", \"scenario\": {\"scenario\": {\"name\": \"a\"}}}", name, sizeof name), -1);
  cr_assert_eq(lookup("", name, sizeof name), -1);
  /* Nesting deeper than the reader follows is refused, not a stack overflow. */
  char deep[4096];
  size_t n = 0;
  n += (size_t)snprintf(deep, sizeof deep, "{\"a\": ");
  for (int i = 0; i < 1000; i++)
    deep[n++] = '[';
  deep[n] = '\0';
  cr_assert_eq(lookup(deep, name, sizeof name), -1);
}

Test(manifest, truncates_on_a_whole_character)
{
  char name[4];
  cr_assert_eq(lookup("{\"scenario\": {\"scenario\": {\"name\": \"ab\\u00e9\"}}}", name, sizeof name), 0);
  cr_assert_str_eq(name, "ab", "the two bytes of \\u00e9 do not fit in the one left");
}

Test(manifest, reads_a_run_directory)
{
  char name[64];
  cr_assert_eq(manifest_scenario_name(VN_FIXTURES "/views", name, sizeof name), 0);
  cr_assert_str_eq(name, "views-fixture");
  cr_assert_eq(manifest_scenario_name(VN_FIXTURES "/spec-vs-lock", name, sizeof name), -1, "no manifest");
}

/* ---- the layout of a figure ---- */

static size_t col(const_results_csv_t rs, const char* name)
{
  long c = csv_column_index(results_csv_table(rs), name);
  cr_assert_geq(c, 0);
  return (size_t)c;
}

static plot_view_t views_view(results_csv_t* rs)
{
  *rs = vn_load_fixture("views");
  vn_error_t err;
  vn_error_clear(&err);
  plot_view_t v = plot_view_create(*rs, "consumers_per_host", NULL, &err);
  cr_assert_not_null(v, "%s", err.message);
  cr_assert_eq(plot_view_series_count(v), 6);
  return v;
}

Test(layout, facets_and_coinciding_lines)
{
  results_csv_t rs;
  plot_view_t v   = views_view(&rs);
  size_t c        = col(rs, "throughput_wr_s");
  plot_layout_t l = plot_layout_create(v, &c, 1, 0);
  cr_assert_not_null(l);
  cr_assert_eq(plot_layout_panel_count(l), 2);
  cr_assert_str_eq(plot_layout_panel_title(l, 0), "NIC service time = 200 ns");
  cr_assert_str_eq(plot_layout_panel_title(l, 1), "NIC service time = 20 ns");
  /* series: spec/lock/lock-always at 200 ns, then at 20 ns */
  const size_t panel[6] = {0, 0, 0, 1, 1, 1};
  const size_t style[6] = {0, 1, 2, 0, 1, 2};
  const char* label[6]  = {"speculative", "lock", "lock-always", "speculative", "lock", "lock-always"};
  /* 200 ns: lock equals speculative everywhere (rank 1); lock-always is 0.8 M against 1 M at one consumer, 2.1% of
   * the 9.5 M axis: apart. 20 ns: lock meets speculative at one consumer (rank 1). */
  const int rank[6] = {0, 1, 0, 0, 1, 0};
  for (size_t s = 0; s < 6; s++) {
    cr_expect(plot_layout_drawn(l, s));
    cr_expect_eq(plot_layout_panel(l, s), panel[s], "series %zu", s);
    cr_expect_eq(plot_layout_style(l, s), style[s], "series %zu", s);
    cr_expect_str_eq(plot_layout_label(l, s), label[s]);
    cr_expect_eq(plot_layout_rank(l, s), rank[s], "series %zu: rank %d", s, plot_layout_rank(l, s));
  }
  cr_expect_eq(plot_layout_shift(l, 1), 1);
  cr_expect(plot_layout_any_shifted(l));
  cr_expect_str_eq(plot_layout_note(l), "");
  plot_layout_free(l);
  plot_view_free(v);
  results_csv_free(rs);
}

Test(layout, ranks_grow_with_each_coinciding_line)
{
  /* Three modes with the same throughput: ranks 0, 1, 2, shifts 0, +1, -1. */
  results_csv_t rs = vn_load_results_text("point,replication,seed,access.mode,consumers.cores-per-host,mode,"
                                          "consumers_per_host,throughput_wr_s,status,reason\n"
                                          "0,0,1,speculative,1,speculative,1,1e6,ok,\n"
                                          "1,0,1,speculative,2,speculative,2,2e6,ok,\n"
                                          "2,0,1,lock,1,lock,1,1e6,ok,\n"
                                          "3,0,1,lock,2,lock,2,2e6,ok,\n"
                                          "4,0,1,enqcmd,1,enqcmd,1,1e6,ok,\n"
                                          "5,0,1,enqcmd,2,enqcmd,2,1e6,ok,\n");
  vn_error_t err;
  vn_error_clear(&err);
  plot_view_t v = plot_view_create(rs, "consumers_per_host", NULL, &err);
  cr_assert_not_null(v, "%s", err.message);
  size_t c        = col(rs, "throughput_wr_s");
  plot_layout_t l = plot_layout_create(v, &c, 1, 0);
  cr_assert_eq(plot_layout_panel_count(l), 1);
  cr_expect_str_eq(plot_layout_panel_title(l, 0), "");
  cr_expect_eq(plot_layout_rank(l, 0), 0);
  cr_expect_eq(plot_layout_rank(l, 1), 1);
  cr_expect_eq(plot_layout_rank(l, 2), 2, "enqcmd meets both at one consumer");
  cr_expect_eq(plot_layout_shift(l, 2), -1);
  plot_layout_free(l);
  plot_view_free(v);
  results_csv_free(rs);
}

Test(layout, zero_series_are_left_out_and_named)
{
  results_csv_t rs;
  plot_view_t v   = views_view(&rs);
  size_t c        = col(rs, "reject_rate");
  plot_layout_t l = plot_layout_create(v, &c, 1, 0);
  cr_assert_not_null(l);
  cr_expect_eq(plot_layout_panel_count(l), 1, "the 20 ns panel has nothing left");
  cr_expect_str_eq(plot_layout_panel_title(l, 0), "NIC service time = 200 ns");
  cr_expect(plot_layout_drawn(l, 0));
  for (size_t s = 1; s < 6; s++)
    cr_expect_not(plot_layout_drawn(l, s), "series %zu", s);
  cr_expect_not(plot_layout_all_zero(l));
  cr_expect_str_eq(plot_layout_note(l), "0 at every point (not drawn): lock, lock-always at NIC service time = "
                                        "200 ns, all at NIC service time = 20 ns");
  plot_layout_free(l);
  c = col(rs, "replays_per_wr");
  l = plot_layout_create(v, &c, 1, 0);
  cr_expect(plot_layout_all_zero(l));
  cr_expect_eq(plot_layout_panel_count(l), 0);
  plot_layout_free(l);
  c = col(rs, "access_wait_mean_s"); /* empty for speculative: no value, which is not 0 */
  l = plot_layout_create(v, &c, 1, 0);
  cr_expect_not(plot_layout_drawn(l, 0));
  cr_expect(plot_layout_drawn(l, 1));
  cr_expect_str_eq(plot_layout_note(l), "no value (not drawn): speculative at NIC service time = 200 ns, "
                                        "speculative at NIC service time = 20 ns");
  plot_layout_free(l);
  plot_view_free(v);
  results_csv_free(rs);
}

/* ---- compare-models' report ---- */

Test(models_report, means_intervals_and_paired_ratios, .init = cr_redirect_stdout)
{
  FILE* out = tmpfile();
  cr_assert_not_null(out);
  cr_assert_eq(compare_models_report(VN_FIXTURES "/models/flow", VN_FIXTURES "/models/ns-3", "CM02", 1, out), 0);
  rewind(out);
  char text[8192];
  size_t n = fread(text, 1, sizeof text - 1, out);
  text[n]  = '\0';
  fclose(out);
  vn_error_t err;
  vn_error_clear(&err);
  csv_t t = csv_read_string(text, "report", &err);
  cr_assert_not_null(t, "%s", err.message);
  cr_assert_eq(csv_row_count(t), 2);
  /* speculative: e2e mean 1, 2, 3 us under CM02 (mean 2 us, s = 1 us, CI t(0.975, 2) / sqrt(3) us) and 2, 4, 6 us
   * under ns-3: the ratio is 2 in every pair, so its CI is 0. */
  cr_expect_float_eq(vn_num(t, 0, "e2e_latency_mean_flow_mean"), 2e-6, 1e-12);
  cr_expect_float_eq(vn_num(t, 0, "e2e_latency_mean_flow_ci95"), T975_2 * 1e-6 / sqrt(3), 1e-11);
  cr_expect_float_eq(vn_num(t, 0, "e2e_latency_mean_ns3_mean"), 4e-6, 1e-12);
  cr_expect_float_eq(vn_num(t, 0, "e2e_latency_mean_ratio_mean"), 2, 1e-5);
  cr_expect_float_eq(vn_num(t, 0, "e2e_latency_mean_ratio_ci95"), 0, 1e-9);
  cr_expect_float_eq(vn_num(t, 0, "throughput_ratio_mean"), 0.75, 1e-5);
  cr_expect_float_eq(vn_num(t, 0, "network"), 1, 0);
  /* lock: no WR crossed the network: no ratio at all */
  cr_expect_float_eq(vn_num(t, 1, "network"), 0, 0);
  cr_expect_str_eq(vn_text(t, 1, "e2e_latency_mean_ratio_mean"), "");
  cr_expect_str_eq(vn_text(t, 1, "throughput_ratio_mean"), "");
  csv_free(t);
}

Test(models_report, text_blocks_per_point)
{
  FILE* out = tmpfile();
  cr_assert_not_null(out);
  cr_assert_eq(compare_models_report(VN_FIXTURES "/models/flow", VN_FIXTURES "/models/ns-3", "CM02", 0, out), 0);
  rewind(out);
  char text[8192];
  size_t n = fread(text, 1, sizeof text - 1, out);
  text[n]  = '\0';
  fclose(out);
  cr_expect(strstr(text, "mode=speculative (speculative), 3 replications\n") != NULL, "%s", text);
  /* 2.00 ± 2.48 us (t = 4.303, s = 1 us, n = 3), 4.00 ± 4.97 us, ratio 2.00 ± 0.00 */
  cr_expect(strstr(text, "  e2e latency, mean (µs)                 2.00 ± 2.48       4.00 ± 4.97     2.00 ± 0.00\n"),
            "%s", text);
  cr_expect(strstr(text, "  no WR crossed the network at this point: the two models cannot differ, no ratio is "
                         "given\n") != NULL,
            "%s", text);
}

Test(models_report, runs_that_do_not_match)
{
  FILE* out = tmpfile();
  cr_assert_not_null(out);
  cr_expect_eq(compare_models_report(VN_FIXTURES "/models/flow", VN_FIXTURES "/views", "CM02", 0, out), 2);
  cr_expect_eq(compare_models_report(VN_FIXTURES "/models/flow", VN_FIXTURES "/no-such-run", "CM02", 0, out), 2);
  fclose(out);
}
