/* test_results_columns: the one list of results.csv's fixed columns against what the run directory writes, the
 * metric writer and the analysis loader. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/results_csv.h"
#include "run/results.h"
#include "run/rundir.h"
#include "scenario/scenario.h"
#include "vn_test.h"

/* The fixed column names joined by commas, from index @p first up to (not including) @p end. Caller frees. */
static char* joined_names(size_t first, size_t end)
{
  char* text = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&text, &len);
  for (size_t k = first; k < end; k++)
    fprintf(f, "%s%s", k > first ? "," : "", results_column(k)->name);
  fclose(f);
  return text;
}

static long index_of(const char* name)
{
  for (size_t k = 0; k < results_column_count(); k++)
    if (strcmp(results_column(k)->name, name) == 0)
      return (long)k;
  return -1;
}

/* The file format is a contract with every script reading results.csv: changing it must be deliberate. */
Test(results_columns, the_documented_columns_in_order)
{
  char* names = joined_names(0, results_column_count());
  cr_assert_str_eq(names, "point,replication,seed,mode,hosts,consumers_per_host,consumers,wr_created,wr_delivered,"
                          "wr_lost,throughput_wr_s,issue_latency_mean_s,issue_latency_p50_s,issue_latency_p99_s,"
                          "e2e_latency_mean_s,e2e_latency_p50_s,e2e_latency_p99_s,e2e_latency_p999_s,reject_rate,"
                          "replays_per_wr,access_wait_mean_s,cpu_per_wr_s,nic_utilization,nic_wait_mean_s,"
                          "nic_occupancy_mean,e2e_access_s,e2e_nic_queue_s,e2e_network_s,e2e_delivery_s,"
                          "vcpu_descheduled_fraction,lock_holder_preemptions,lock_held_descheduled_s,sim_time_s,exact_stats,"
                          "status,reason");
  free(names);
}

Test(results_columns, every_column_is_described_once)
{
  for (size_t k = 0; k < results_column_count(); k++) {
    const results_column_t* c = results_column(k);
    cr_assert(c->name[0] != '\0');
    cr_assert(strlen(c->meaning) > 5, "%s has no meaning", c->name);
    cr_assert(strchr(c->meaning, '\n') == NULL, "%s: one line", c->name);
    cr_assert_eq(results_column_find(c->name), c, "%s is listed twice", c->name);
  }
  cr_assert(results_column_find("throughput_wr_s")->numeric);
  cr_assert(results_column_find("replication")->numeric);
  cr_assert_not(results_column_find("mode")->numeric);
  cr_assert_not(results_column_find("reason")->numeric);
  cr_assert_null(results_column_find("config"), "a sweep column is not a fixed one");
  cr_assert_null(results_column_find("Throughput_wr_s"));
}

Test(results_columns, metric_writer_follows_the_list)
{
  char* header = NULL;
  size_t len   = 0;
  FILE* f      = open_memstream(&header, &len);
  results_metric_header(f);
  fclose(f);
  char* expected = joined_names((size_t)index_of("wr_created"), (size_t)index_of("exact_stats") + 1);
  cr_assert_str_eq(header, expected);
  cr_assert_eq(results_metric_count(), 27);
  free(expected);
  free(header);
}

/* The header of a results.csv written by the run directory for a scenario with two sweeps, and its failed row. */
Test(results_columns, run_directory_writes_the_listed_columns)
{
  char* dir = vn_scratch("results-columns");
  char* xml = vn_scenario(dir, "s.xml", "name=\"cols\" replications=\"1\"",
                          "<platform file=\"@PLATFORMS@/one-host.xml\"/>\n"
                          "<sweep param=\"nic.queue-depth\" values=\"4 8\"/>\n"
                          "<sweep name=\"config\"><case label=\"a\"/><case label=\"b\"><set param=\"access.mode\" "
                          "value=\"lock\"/></case></sweep>\n");
  vn_error_t err;
  vn_error_clear(&err);
  scenario_t sc = scenario_load(xml, &err);
  cr_assert_not_null(sc, "%s", err.message);
  char out[4200];
  snprintf(out, sizeof out, "%s/run", dir);
  run_options_t opts;
  memset(&opts, 0, sizeof opts);
  rundir_t rd = rundir_open(out, sc, &opts, &err);
  cr_assert_not_null(rd, "%s", err.message);
  rundir_set_failed(rd, 0, "not run", 0);
  cr_assert_eq(rundir_write_tables(rd, &err), 0, "%s", err.message);
  rundir_close(rd);

  csv_t t = vn_results(out);
  cr_assert_eq(csv_column_count(t), results_column_count() + 2, "the fixed columns and two sweep columns");
  cr_assert_str_eq(csv_column_name(t, 3), "nic.queue-depth");
  cr_assert_str_eq(csv_column_name(t, 4), "config");
  for (size_t k = 0; k < results_column_count(); k++)
    cr_assert_str_eq(csv_column_name(t, k < 3 ? k : k + 2), results_column(k)->name);
  csv_free(t);

  /* ... and the analysis side reads it with the same list. */
  char path[4300];
  snprintf(path, sizeof path, "%s/results.csv", out);
  results_csv_t rs = results_csv_load(path, &err);
  cr_assert_not_null(rs, "%s", err.message);
  cr_assert_eq(results_csv_failed_count(rs), 1);
  results_csv_free(rs);
  scenario_free(sc);
  free(xml);
  free(dir);
}

/* A cell that loads in column @p c of an ok row. */
static const char* good_cell(const results_column_t* c)
{
  if (strcmp(c->name, "status") == 0)
    return "ok";
  if (strcmp(c->name, "mode") == 0)
    return "lock";
  return c->numeric ? "1" : "";
}

/* Every numeric fixed column refuses a non-number in an ok row, and no text column does (status, which must be ok
 * or failed, aside). */
Test(results_columns, loader_checks_every_numeric_column)
{
  size_t n     = results_column_count();
  char* header = joined_names(0, n);
  for (size_t bad = 0; bad < n; bad++) {
    const results_column_t* c = results_column(bad);
    if (strcmp(c->name, "status") == 0)
      continue;
    char* text = NULL;
    size_t len = 0;
    FILE* f    = open_memstream(&text, &len);
    fprintf(f, "%s\n", header);
    for (size_t k = 0; k < n; k++)
      fprintf(f, "%s%s", k ? "," : "", k == bad ? "x" : good_cell(results_column(k)));
    fputc('\n', f);
    fclose(f);
    vn_error_t err;
    vn_error_clear(&err);
    results_csv_t rs = results_csv_create(csv_read_string(text, "r.csv", &err), &err);
    if (c->numeric) {
      cr_assert_null(rs, "%s=x was accepted", c->name);
      char expected[256];
      snprintf(expected, sizeof expected, "r.csv:2: %s=\"x\": not a number", c->name);
      char msg[1024];
      vn_error_format(&err, msg, sizeof msg);
      cr_assert_str_eq(msg, expected);
    } else {
      cr_assert_not_null(rs, "text column %s refused x: %s", c->name, err.message);
    }
    results_csv_free(rs);
    free(text);
  }
  free(header);
}
