/* test_plot: choice of x and series, aggregation, and `vnicsim plot` end to end on fixtures. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/plot.h"
#include "analysis/plot_view.h"
#include "vn_analysis.h"
#include "vn_test.h"

static plot_view_t view_of(const_results_csv_t rs, const char* x, const char* factor)
{
  vn_error_t err;
  vn_error_clear(&err);
  plot_view_t v = plot_view_create(rs, x, factor, &err);
  cr_assert_not_null(v, "%s", err.message);
  return v;
}

static long column(const_results_csv_t rs, const char* name)
{
  long c = csv_column_index(results_csv_table(rs), name);
  cr_assert_geq(c, 0, "no column %s", name);
  return c;
}

/* ---- choice of x and of the series ---- */

Test(view, labelled_cases_against_consumers)
{
  results_csv_t rs = vn_load_fixture("spec-vs-lock");
  cr_assert_str_eq(plot_main_x(rs), "consumers_per_host");
  plot_view_t v = view_of(rs, "consumers_per_host", NULL);
  cr_assert_eq(plot_view_series_count(v), 3, "one line per case, not one per case and core count");
  cr_assert_str_eq(plot_view_series_label(v, 0), "speculative");
  cr_assert_str_eq(plot_view_series_label(v, 1), "lock-on-empty");
  cr_assert_str_eq(plot_view_series_label(v, 2), "lock-always");
  cr_assert_str_eq(plot_view_key_title(v), "");
  cr_assert_eq(plot_view_series_column_count(v), 1);
  cr_assert_str_eq(csv_column_name(results_csv_table(rs), plot_view_series_column(v, 0)), "config");
  const double xs[] = {1, 2, 4, 8, 16, 32};
  for (size_t s = 0; s < 3; s++) {
    cr_assert_eq(plot_view_point_count(v, s), 6);
    for (size_t p = 0; p < 6; p++)
      cr_assert_float_eq(plot_view_x(v, s, p), xs[p], 0);
  }
  cr_assert_eq(plot_view_rows(v, 0, 5), 3);
  cr_assert_eq(plot_view_rows(v, 2, 5), 2, "the failed replication is not aggregated");
  size_t lo;
  size_t hi;
  plot_view_rows_range(v, &lo, &hi);
  cr_assert_eq(lo, 2);
  cr_assert_eq(hi, 3);
  plot_view_free(v);
  results_csv_free(rs);
}

Test(view, several_series_columns)
{
  results_csv_t rs = vn_load_fixture("fast-nic");
  plot_view_t v    = view_of(rs, plot_main_x(rs), NULL);
  cr_assert_eq(plot_view_series_count(v), 4);
  cr_assert_str_eq(plot_view_series_label(v, 0), "speculative, service-time=200 ns");
  cr_assert_str_eq(plot_view_series_label(v, 1), "lock, service-time=200 ns");
  cr_assert_str_eq(plot_view_series_label(v, 2), "speculative, service-time=20 ns");
  cr_assert_str_eq(plot_view_series_label(v, 3), "lock, service-time=20 ns");
  cr_assert_eq(plot_view_point_count(v, 3), 6);
  plot_view_free(v);
  results_csv_free(rs);
}

Test(view, first_numeric_sweep_when_consumers_are_fixed)
{
  results_csv_t rs = vn_load_fixture("qdepth");
  cr_assert_str_eq(plot_main_x(rs), "nic.queue-depth");
  plot_view_t v = view_of(rs, "nic.queue-depth", NULL);
  cr_assert_eq(plot_view_series_count(v), 1);
  cr_assert_str_eq(plot_view_series_label(v, 0), "speculative", "a single series is named by its mode");
  cr_assert_eq(plot_view_point_count(v, 0), 6);
  cr_assert_eq(plot_view_rows(v, 0, 0), 4);
  plot_view_free(v);
  results_csv_free(rs);
}

Test(view, offered_load_is_rate_times_consumers)
{
  results_csv_t rs = vn_load_fixture("load");
  plot_view_t v    = view_of(rs, "workload.rate", "consumers_per_host");
  cr_assert_eq(plot_view_series_count(v), 2);
  cr_assert_str_eq(plot_view_series_label(v, 0), "speculative");
  cr_assert_float_eq(plot_view_x(v, 0, 0), 250000.0 * 2, 1e-6);
  cr_assert_float_eq(plot_view_x(v, 1, 4), 4e6 * 2, 1e-6);
  plot_view_free(v);
  results_csv_free(rs);
}

/* The minimal columns a view needs, with consumers_per_host = cores + vms (one vCPU each). */
#define VIEW_HDR                                                                                                       \
  "point,replication,seed,consumers.cores-per-host,consumers.vms-per-host,access.mode,mode,consumers_per_host,"        \
  "throughput_wr_s,status,reason\n"

Test(view, drops_sweep_columns_that_x_accounts_for)
{
  /* cores x vms x mode; x = consumers per host. cores is implied by (vms, mode, x): dropped; vms is not. */
  char text[8192] = VIEW_HDR;
  int p           = 0;
  for (int cores = 1; cores <= 4; cores *= 2)
    for (int vms = 0; vms <= 2; vms += 2)
      for (int m = 0; m < 2; m++) {
        char line[256];
        const char* mode = m ? "lock" : "speculative";
        snprintf(line, sizeof line, "%d,0,1,%d,%d,%s,%s,%d,%d,ok,\n", p, cores, vms, mode, mode, cores + vms,
                 1000 * (p + 1));
        strcat(text, line);
        p++;
      }
  results_csv_t rs = vn_load_results_text(text);
  plot_view_t v    = view_of(rs, "consumers_per_host", NULL);
  cr_assert_eq(plot_view_series_count(v), 4);
  cr_assert_str_eq(plot_view_series_label(v, 0), "speculative, vms-per-host=0");
  cr_assert_str_eq(plot_view_series_label(v, 1), "lock, vms-per-host=0");
  cr_assert_str_eq(plot_view_series_label(v, 2), "speculative, vms-per-host=2");
  cr_assert_eq(plot_view_point_count(v, 0), 3);
  cr_assert_eq(plot_view_point_count(v, 2), 3);
  cr_assert_float_eq(plot_view_x(v, 2, 0), 3, 0);
  plot_view_free(v);
  results_csv_free(rs);
}

Test(view, single_column_series_gets_a_key_title)
{
  results_csv_t rs = vn_load_results_text("point,replication,seed,consumers.cores-per-host,nic.service-time,mode,"
                                          "consumers_per_host,throughput_wr_s,status,reason\n"
                                          "0,0,1,1,2e-07,speculative,1,1e6,ok,\n"
                                          "1,0,1,1,2e-08,speculative,1,1e6,ok,\n"
                                          "2,0,1,2,2e-07,speculative,2,2e6,ok,\n"
                                          "3,0,1,2,2e-08,speculative,2,2e6,ok,\n");
  plot_view_t v    = view_of(rs, "consumers_per_host", NULL);
  cr_assert_eq(plot_view_series_count(v), 2);
  cr_assert_str_eq(plot_view_series_label(v, 0), "200 ns", "one column: no column name in the label");
  cr_assert_str_eq(plot_view_series_label(v, 1), "20 ns");
  cr_assert_str_eq(plot_view_key_title(v), "NIC service time");
  plot_view_free(v);
  results_csv_free(rs);
}

Test(view, duplicate_rows_are_refused)
{
  vn_error_t err;
  vn_error_clear(&err);
  results_csv_t rs = vn_load_results_text(VIEW_HDR "0,0,1,1,0,lock,lock,1,1e6,ok,\n"
                                                   "1,0,1,2,0,lock,lock,2,2e6,ok,\n"
                                                   "0,0,1,1,0,lock,lock,1,1e6,ok,\n");
  cr_assert_null(plot_view_create(rs, "consumers_per_host", NULL, &err));
  cr_assert_eq(err.line, 4);
  cr_assert(strstr(err.message, "same series, x") != NULL, "%s", err.message);
  results_csv_free(rs);
}

Test(view, empty_x_cell_is_bad_input)
{
  vn_error_t err;
  vn_error_clear(&err);
  results_csv_t rs = vn_load_results_text(VIEW_HDR "0,0,1,1,0,lock,lock,1,1e6,ok,\n"
                                                   "1,0,1,2,0,lock,lock,,2e6,ok,\n");
  cr_assert_null(plot_view_create(rs, "consumers_per_host", NULL, &err));
  char msg[1024];
  vn_error_format(&err, msg, sizeof msg);
  cr_assert_str_eq(msg, "r.csv:3: consumers_per_host=\"\": empty cell, but the figures need a number here");
  cr_assert_null(plot_view_create(rs, "no_such_column", NULL, &err));
  results_csv_free(rs);
}

/* ---- aggregation ---- */

Test(aggregate, means_and_intervals_by_hand)
{
  /* compare-small: x = consumers per host (1, 4), series = access.mode; lock at 4 lost one replication. */
  results_csv_t rs = vn_load_fixture("compare-small");
  plot_view_t v    = view_of(rs, plot_main_x(rs), NULL);
  cr_assert_eq(plot_view_series_count(v), 2);
  cr_assert_str_eq(plot_view_series_label(v, 0), "speculative");
  cr_assert_str_eq(plot_view_series_label(v, 1), "lock");
  size_t thr = (size_t)column(rs, "throughput_wr_s");
  size_t e2e = (size_t)column(rs, "e2e_latency_p99_s");
  size_t lw  = (size_t)column(rs, "access_wait_mean_s");
  double mean;
  double ci;
  /* speculative, 1 consumer: 1.0e6, 1.1e6, 0.9e6 -> sd 1e5 */
  cr_assert_eq(plot_view_stat(v, 0, 0, thr, &mean, &ci), 3);
  cr_assert_float_eq(mean, 1e6, 1e-6);
  cr_assert_float_eq(ci, 248413.7711750332, 1e-6);
  /* p99 e2e: 2, 3, 4 us -> sd 1 us */
  plot_view_stat(v, 0, 0, e2e, &mean, &ci);
  cr_assert_float_eq(mean, 3e-6, 1e-18);
  cr_assert_float_eq(ci, 2.484137711750332e-06, 1e-18);
  /* lock, 4 consumers: two replications of 2e6 */
  cr_assert_eq(plot_view_rows(v, 1, 1), 2);
  cr_assert_eq(plot_view_stat(v, 1, 1, thr, &mean, &ci), 2);
  cr_assert_float_eq(mean, 2e6, 1e-6);
  cr_assert_float_eq(ci, 0, 1e-9);
  /* lock wait, 1 consumer: 5e-8, 1e-7, 1.25e-7 */
  plot_view_stat(v, 1, 0, lw, &mean, &ci);
  cr_assert_float_eq(mean, 2.75e-7 / 3, 1e-20);
  cr_assert_float_eq(ci, T975_2 * 3.818813079129866e-08 / sqrt(3), 1e-18);
  /* speculative has no lock wait: no value, not zero */
  cr_assert_eq(plot_view_stat(v, 0, 0, lw, &mean, &ci), 0);
  cr_assert(isnan(mean));
  plot_view_free(v);
  results_csv_free(rs);
}

static void tmp_dir(char* buf, size_t len, const char* name)
{
  snprintf(buf, len, "%s/%s-%ld", VNICSIM_TEST_TMP, name, (long)getpid());
  char cmd[4300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", buf, buf);
  cr_assert_eq(system(cmd), 0);
}

Test(aggregate, writes_the_data_file)
{
  results_csv_t rs = vn_load_fixture("compare-small");
  plot_view_t v    = view_of(rs, "consumers_per_host", NULL);
  char dir[4096];
  tmp_dir(dir, sizeof dir, "agg");
  char path[4200];
  snprintf(path, sizeof path, "%s/by_consumers_per_host.csv", dir);
  vn_error_t err;
  vn_error_clear(&err);
  cr_assert_eq(plot_view_write_csv(v, "consumers_per_host", path, &err), 0, "%s", err.message);

  csv_t out = csv_read_file(path, &err);
  cr_assert_not_null(out, "%s", err.message);
  cr_assert_eq(csv_row_count(out), 4);
  cr_assert_str_eq(csv_column_name(out, 0), "series_id");
  cr_assert_str_eq(csv_column_name(out, 1), "series");
  cr_assert_str_eq(csv_column_name(out, 2), "access.mode");
  cr_assert_str_eq(csv_column_name(out, 3), "consumers_per_host");
  cr_assert_str_eq(csv_column_name(out, 4), "n");
  long m = csv_column_index(out, "throughput_wr_s_mean");
  long c = csv_column_index(out, "throughput_wr_s_ci95");
  cr_assert_geq(m, 0);
  cr_assert_eq(c, m + 1);
  cr_assert_geq(csv_column_index(out, "sim_time_s_ci95"), 0);
  cr_assert_eq(csv_column_index(out, "replication_mean"), -1, "bookkeeping columns are not aggregated");
  cr_assert_str_eq(csv_cell(out, 0, 1), "speculative");
  cr_assert_str_eq(csv_cell(out, 0, 3), "1");
  cr_assert_str_eq(csv_cell(out, 0, 4), "3");
  cr_assert_str_eq(csv_cell(out, 0, (size_t)m), "1000000");
  cr_assert_str_eq(csv_cell(out, 0, (size_t)c), "248413.7712");
  cr_assert_str_eq(csv_cell(out, 3, 1), "lock");
  cr_assert_str_eq(csv_cell(out, 3, 4), "2");
  long lw = csv_column_index(out, "access_wait_mean_s_mean");
  cr_assert_str_eq(csv_cell(out, 0, (size_t)lw), "", "no value is an empty cell");
  csv_free(out);

  DIR* d = opendir(dir);
  cr_assert_not_null(d);
  int files = 0;
  for (struct dirent* e; (e = readdir(d)) != NULL;)
    if (e->d_name[0] != '.') {
      files++;
      cr_assert_str_eq(e->d_name, "by_consumers_per_host.csv", "the temporary file is renamed, nothing else is left");
    }
  closedir(d);
  cr_assert_eq(files, 1);
  plot_view_free(v);
  results_csv_free(rs);
}

/* ---- vnicsim plot ---- */

static int have_gnuplot(void)
{
  return system("gnuplot --version >/dev/null 2>&1") == 0;
}

static int run_plot(const char* dir, const char* out, const char* extra)
{
  char* argv[8];
  int argc     = 0;
  argv[argc++] = "plot";
  argv[argc++] = (char*)dir;
  if (out != NULL) {
    argv[argc++] = "-o";
    argv[argc++] = (char*)out;
  }
  if (extra != NULL) {
    argv[argc++] = "--format";
    argv[argc++] = (char*)extra;
  }
  argv[argc] = NULL;
  return vn_cli_argv(argc, argv);
}

static int file_starts_with(const char* path, const unsigned char* magic, size_t n)
{
  unsigned char buf[16] = {0};
  FILE* f               = fopen(path, "rb");
  if (f == NULL)
    return 0;
  size_t got = fread(buf, 1, n, f);
  fclose(f);
  return got == n && memcmp(buf, magic, n) == 0;
}

static int exists(const char* dir, const char* name)
{
  char path[4300];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  struct stat st;
  return stat(path, &st) == 0;
}

/* Number of files in @p dir whose name contains ".tmp". */
static int leftovers(const char* dir)
{
  DIR* d = opendir(dir);
  if (d == NULL)
    return 0;
  int n = 0;
  for (struct dirent* e; (e = readdir(d)) != NULL;)
    if (strstr(e->d_name, ".tmp") != NULL)
      n++;
  closedir(d);
  return n;
}

static const unsigned char png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

Test(plot_command, draws_the_figures)
{
  if (!have_gnuplot())
    cr_skip_test("gnuplot is not installed");
  char out[4096];
  tmp_dir(out, sizeof out, "plot-main");
  strcat(out, "/figures");
  cr_assert_eq(run_plot(VN_FIXTURES "/spec-vs-lock", out, NULL), 0);
  const char* pngs[] = {"throughput.png", "issue_latency_p99.png", "e2e_latency_p99.png",
                        "cpu_per_wr.png", "reject_rate.png",       "replays_per_wr.png"};
  for (size_t i = 0; i < sizeof pngs / sizeof pngs[0]; i++) {
    char path[4300];
    snprintf(path, sizeof path, "%s/%s", out, pngs[i]);
    cr_assert(file_starts_with(path, png_magic, 8), "%s is missing or not a PNG", path);
  }
  cr_assert_not(exists(out, "e2e_latency_vs_load.png"), "no load parameter is swept");
  cr_assert(exists(out, "by_consumers_per_host.csv"));
  cr_assert_eq(leftovers(out), 0, "temporary files left in %s", out);
}

Test(plot_command, latency_against_offered_load)
{
  if (!have_gnuplot())
    cr_skip_test("gnuplot is not installed");
  char out[4096];
  tmp_dir(out, sizeof out, "plot-load");
  cr_assert_eq(run_plot(VN_FIXTURES "/load", out, NULL), 0);
  char path[4300];
  snprintf(path, sizeof path, "%s/e2e_latency_vs_load.png", out);
  cr_assert(file_starts_with(path, png_magic, 8));
  cr_assert(exists(out, "by_offered_load_wr_s.csv"));
  cr_assert(exists(out, "by_workload.rate.csv"));
}

Test(plot_command, svg_format)
{
  if (!have_gnuplot())
    cr_skip_test("gnuplot is not installed");
  char out[4096];
  tmp_dir(out, sizeof out, "plot-svg");
  cr_assert_eq(run_plot(VN_FIXTURES "/qdepth", out, "svg"), 0);
  char path[4300];
  snprintf(path, sizeof path, "%s/reject_rate.svg", out);
  cr_assert(file_starts_with(path, (const unsigned char*)"<?xml", 5), "%s is missing or not SVG", path);
  cr_assert_not(exists(out, "reject_rate.png"));
}

Test(plot_command, default_output_is_dir_plots)
{
  if (!have_gnuplot())
    cr_skip_test("gnuplot is not installed");
  char dir[4096];
  tmp_dir(dir, sizeof dir, "plot-default");
  char cmd[8400];
  snprintf(cmd, sizeof cmd, "cp '%s/compare-small/results.csv' '%s/'", VN_FIXTURES, dir);
  cr_assert_eq(system(cmd), 0);
  cr_assert_eq(run_plot(dir, NULL, NULL), 0);
  char plots[4200];
  snprintf(plots, sizeof plots, "%s/plots", dir);
  cr_assert(exists(plots, "throughput.png"));
}

Test(plot_command, bad_directory)
{
  cr_assert_eq(run_plot(VN_FIXTURES "/no-such-run", NULL, NULL), VN_EXIT_INPUT);
  cr_assert_eq(run_plot(VN_FIXTURES, "/nonexistent/out", NULL), VN_EXIT_INPUT, "no results.csv in the directory");
  cr_assert_eq(run_plot(VN_FIXTURES "/spec-vs-lock/results.csv", NULL, NULL), VN_EXIT_INPUT, "a file, not a dir");
}

Test(plot_command, bad_command_line)
{
  char* none[] = {"plot", NULL};
  cr_assert_eq(vn_cli_argv(1, none), VN_EXIT_INPUT);
  char* unknown[] = {"plot", VN_FIXTURES "/load", "--colour", NULL};
  cr_assert_eq(vn_cli_argv(3, unknown), VN_EXIT_INPUT);
  char* format[] = {"plot", VN_FIXTURES "/load", "--format", "jpeg", NULL};
  cr_assert_eq(vn_cli_argv(4, format), VN_EXIT_INPUT);
  char* dangling[] = {"plot", VN_FIXTURES "/load", "-o", NULL};
  cr_assert_eq(vn_cli_argv(3, dangling), VN_EXIT_INPUT);
  char* two[] = {"plot", VN_FIXTURES "/load", VN_FIXTURES "/qdepth", NULL};
  cr_assert_eq(vn_cli_argv(3, two), VN_EXIT_INPUT);
}

/* Writes @p text as DIR/results.csv in a fresh directory and returns the directory. */
static void run_dir_with(char* dir, size_t len, const char* name, const char* text)
{
  tmp_dir(dir, len, name);
  char path[4300];
  snprintf(path, sizeof path, "%s/results.csv", dir);
  FILE* f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
}

Test(plot_command, bad_results_write_nothing)
{
  char dir[4096];
  char out[4200];
  /* a column plot needs is missing */
  run_dir_with(dir, sizeof dir, "plot-missing-col", VIEW_HDR "0,0,1,1,0,lock,lock,1,1e6,ok,\n");
  snprintf(out, sizeof out, "%s/plots", dir);
  cr_assert_eq(run_plot(dir, NULL, NULL), VN_EXIT_INPUT);
  struct stat st;
  cr_assert_neq(stat(out, &st), 0, "nothing may be written on bad input");

  /* a non-numeric metric */
  char text[8192];
  FILE* f = fopen(VN_FIXTURES "/compare-small/results.csv", "r");
  cr_assert_not_null(f);
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n]   = '\0';
  char* hit = strstr(text, ",1.1e+06,");
  cr_assert_not_null(hit);
  memcpy(hit, ",1.1e+0x,", 9);
  run_dir_with(dir, sizeof dir, "plot-not-a-number", text);
  snprintf(out, sizeof out, "%s/plots", dir);
  cr_assert_eq(run_plot(dir, NULL, NULL), VN_EXIT_INPUT);
  cr_assert_neq(stat(out, &st), 0, "nothing may be written on bad input");

  /* no ok row at all */
  run_dir_with(dir, sizeof dir, "plot-all-failed",
               "point,replication,seed,mode,consumers_per_host,throughput_wr_s,issue_latency_p99_s,"
               "e2e_latency_mean_s,e2e_latency_p99_s,cpu_per_wr_s,reject_rate,replays_per_wr,status,reason\n"
               "0,0,1,lock,,,,,,,,,failed,\"crashed\"\n");
  cr_assert_eq(run_plot(dir, NULL, NULL), VN_EXIT_INPUT);
}

Test(plot_command, gnuplot_missing)
{
  setenv("VNICSIM_GNUPLOT", "/nonexistent/gnuplot", 1);
  char out[4096];
  tmp_dir(out, sizeof out, "plot-nognuplot");
  strcat(out, "/figures");
  cr_assert_eq(run_plot(VN_FIXTURES "/spec-vs-lock", out, NULL), VN_EXIT_INPUT);
  struct stat st;
  cr_assert_neq(stat(out, &st), 0, "nothing may be written without gnuplot");
}

Test(plot_command, gnuplot_failing)
{
  setenv("VNICSIM_GNUPLOT", "/bin/false", 1);
  char out[4096];
  tmp_dir(out, sizeof out, "plot-gnuplotfails");
  cr_assert_eq(run_plot(VN_FIXTURES "/spec-vs-lock", out, NULL), VN_EXIT_INTERNAL);
  cr_assert_not(exists(out, "throughput.png"));
  cr_assert_eq(leftovers(out), 0, "temporary files left in %s", out);
}

Test(plot_command, analysis_scripts_missing)
{
  setenv("VNICSIM_ANALYSIS_DIR", "/nonexistent", 1);
  char out[4096];
  tmp_dir(out, sizeof out, "plot-noscripts");
  if (!have_gnuplot())
    cr_skip_test("gnuplot is not installed");
  cr_assert_eq(run_plot(VN_FIXTURES "/spec-vs-lock", out, NULL), VN_EXIT_INPUT);
  cr_assert_not(exists(out, "throughput.png"));
}
