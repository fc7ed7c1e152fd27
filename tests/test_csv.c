/* test_csv: the CSV reader (quoting, line ends, errors with file and line) and the checked view of results.csv. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/results_csv.h"
#include "base/csv.h"
#include "vn_analysis.h"

static csv_t parse_ok(const char* text)
{
  vn_error_t err;
  vn_error_clear(&err);
  csv_t csv = csv_read_string(text, "t.csv", &err);
  cr_assert_not_null(csv, "unexpected error: %s", err.message);
  cr_assert_not(vn_error_is_set(&err));
  return csv;
}

/* Parses @p text, which must fail, and returns the formatted error. */
static void parse_bad(const char* text, char* msg, size_t len)
{
  vn_error_t err;
  vn_error_clear(&err);
  csv_t csv = csv_read_string(text, "t.csv", &err);
  cr_assert_null(csv, "accepted bad CSV: %s", text);
  cr_assert(vn_error_is_set(&err));
  vn_error_format(&err, msg, len);
}

Test(csv, header_and_cells)
{
  csv_t csv = parse_ok("a,b,c\n1,2,3\n4,5,6\n");
  cr_assert_eq(csv_column_count(csv), 3);
  cr_assert_eq(csv_row_count(csv), 2);
  cr_assert_str_eq(csv_column_name(csv, 1), "b");
  cr_assert_eq(csv_column_index(csv, "c"), 2);
  cr_assert_eq(csv_column_index(csv, "C"), -1);
  cr_assert_eq(csv_column_index(csv, "missing"), -1);
  cr_assert_str_eq(csv_cell(csv, 0, 0), "1");
  cr_assert_str_eq(csv_cell(csv, 1, 2), "6");
  cr_assert_eq(csv_row_line(csv, 0), 2);
  cr_assert_eq(csv_row_line(csv, 1), 3);
  cr_assert_str_eq(csv_name(csv), "t.csv");
  csv_free(csv);
}

Test(csv, quoted_fields)
{
  csv_t csv = parse_ok("name,reason\n"
                       "x,\"a, b\"\n"
                       "y,\"say \"\"hi\"\"\"\n"
                       "z,\"\"\n"
                       "\"w\",\"line one\nline two\"\n"
                       "v,after\n");
  cr_assert_eq(csv_row_count(csv), 5);
  cr_assert_str_eq(csv_cell(csv, 0, 1), "a, b");
  cr_assert_str_eq(csv_cell(csv, 1, 1), "say \"hi\"");
  cr_assert_str_eq(csv_cell(csv, 2, 1), "");
  cr_assert_str_eq(csv_cell(csv, 3, 0), "w");
  cr_assert_str_eq(csv_cell(csv, 3, 1), "line one\nline two");
  cr_assert_eq(csv_row_line(csv, 3), 5);
  cr_assert_eq(csv_row_line(csv, 4), 7, "a record after a two-line field starts on line 7");
  csv_free(csv);
}

Test(csv, line_ends_and_blank_lines)
{
  csv_t crlf = parse_ok("a,b\r\n1,2\r\n3,4\r\n");
  cr_assert_eq(csv_row_count(crlf), 2);
  cr_assert_str_eq(csv_cell(crlf, 0, 1), "2", "CR must not stay in the last field");
  cr_assert_eq(csv_row_line(crlf, 1), 3);
  csv_free(crlf);

  csv_t cr = parse_ok("a,b\r1,2\r");
  cr_assert_eq(csv_row_count(cr), 1);
  cr_assert_str_eq(csv_cell(cr, 0, 1), "2");
  csv_free(cr);

  csv_t no_final_eol = parse_ok("a,b\n1,2");
  cr_assert_eq(csv_row_count(no_final_eol), 1);
  cr_assert_str_eq(csv_cell(no_final_eol, 0, 1), "2");
  csv_free(no_final_eol);

  csv_t blanks = parse_ok("\xEF\xBB\xBF"
                          "a,b\n\n1,2\n\r\n\n3,4\n\n");
  cr_assert_str_eq(csv_column_name(blanks, 0), "a", "the byte order mark is not part of the first name");
  cr_assert_eq(csv_row_count(blanks), 2);
  cr_assert_eq(csv_row_line(blanks, 1), 6);
  csv_free(blanks);

  csv_t header_only = parse_ok("a,b\n");
  cr_assert_eq(csv_row_count(header_only), 0);
  csv_free(header_only);
}

Test(csv, empty_cells)
{
  csv_t csv = parse_ok("a,b,c\n,,\n1,,3\n,2,\n");
  cr_assert_eq(csv_row_count(csv), 3);
  for (size_t c = 0; c < 3; c++)
    cr_assert_str_eq(csv_cell(csv, 0, c), "");
  cr_assert_str_eq(csv_cell(csv, 1, 1), "");
  cr_assert_str_eq(csv_cell(csv, 1, 2), "3");
  cr_assert_str_eq(csv_cell(csv, 2, 2), "", "a trailing comma is one more, empty, field");
  csv_free(csv);
}

Test(csv, errors_name_file_and_line)
{
  char msg[1024];
  parse_bad("a,b\n1,2\n3\n", msg, sizeof msg);
  cr_assert_str_eq(msg, "t.csv:3: record has 1 field, the header has 2");
  parse_bad("a,b\n1,2,3\n", msg, sizeof msg);
  cr_assert_str_eq(msg, "t.csv:2: record has 3 fields, the header has 2");
  parse_bad("a,b\n1,\"open\n\n", msg, sizeof msg);
  cr_assert_str_eq(msg, "t.csv:2: quoted field is never closed");
  parse_bad("a,b\n1,ab\"c\n", msg, sizeof msg);
  cr_assert(strstr(msg, "t.csv:2: quote inside an unquoted field") == msg, "%s", msg);
  parse_bad("a,b\n1,\"x\"y\n", msg, sizeof msg);
  cr_assert(strstr(msg, "t.csv:2: unexpected character 'y' after a closing quote") == msg, "%s", msg);
  parse_bad("", msg, sizeof msg);
  cr_assert_str_eq(msg, "t.csv: file is empty (no header line)");
  parse_bad("\n\n", msg, sizeof msg);
  cr_assert_str_eq(msg, "t.csv: file is empty (no header line)");
  parse_bad("a,b,a\n", msg, sizeof msg);
  cr_assert_str_eq(msg, "t.csv:1: \"a\": duplicate column name in the header");
  parse_bad("a,,c\n", msg, sizeof msg);
  cr_assert_str_eq(msg, "t.csv:1: header field 2 is empty");
}

Test(csv, nul_byte_is_an_error)
{
  vn_error_t err;
  vn_error_clear(&err);
  char path[] = VNICSIM_TEST_TMP "/nul.csv";
  mkdir(VNICSIM_TEST_TMP, 0755);
  FILE* f = fopen(path, "wb");
  cr_assert_not_null(f, "cannot write %s", path);
  fwrite("a,b\n1,\0\n", 1, 8, f);
  fclose(f);
  csv_t csv = csv_read_file(path, &err);
  cr_assert_null(csv);
  cr_assert_eq(err.line, 2);
  cr_assert(strstr(err.message, "NUL") != NULL);
}

Test(csv, missing_file)
{
  vn_error_t err;
  vn_error_clear(&err);
  cr_assert_null(csv_read_file(VN_FIXTURES "/no-such-dir/results.csv", &err));
  cr_assert_str_eq(err.file, VN_FIXTURES "/no-such-dir/results.csv");
  cr_assert(strstr(err.message, "cannot open") != NULL);
}

Test(csv, free_null_is_a_no_op)
{
  csv_free(NULL);
  results_csv_free(NULL);
}

Test(csv, parse_double)
{
  double v = 0;
  cr_assert_eq(csv_parse_double("2e-07", &v), 1);
  cr_assert_float_eq(v, 2e-07, 1e-20);
  cr_assert_eq(csv_parse_double(" 42 ", &v), 1);
  cr_assert_float_eq(v, 42, 1e-12);
  cr_assert_eq(csv_parse_double("-0.5", &v), 1);
  cr_assert_float_eq(v, -0.5, 1e-12);
  cr_assert_eq(csv_parse_double("", &v), 0);
  cr_assert_eq(csv_parse_double("   ", &v), 0);
  cr_assert_eq(csv_parse_double("200ns", &v), -1);
  cr_assert_eq(csv_parse_double("abc", &v), -1);
  cr_assert_eq(csv_parse_double("1,5", &v), -1);
  cr_assert_eq(csv_parse_double("1e999", &v), -1);
}

Test(csv, reads_a_fixture_file_with_crlf)
{
  vn_error_t err;
  vn_error_clear(&err);
  csv_t csv = csv_read_file(VN_FIXTURES "/compare-small/results.csv", &err);
  cr_assert_not_null(csv, "%s", err.message);
  cr_assert_eq(csv_row_count(csv), 12);
  cr_assert_eq(csv_column_count(csv), 34);
  long reason = csv_column_index(csv, "reason");
  cr_assert_eq(reason, 33);
  cr_assert_str_eq(csv_cell(csv, 11, (size_t)reason), "NIC watchdog: no progress for 1 s of simulated time");
  csv_free(csv);
}

/* ---- results.csv ---- */

Test(results_csv, sweep_columns_and_failed_rows)
{
  results_csv_t rs = vn_load_fixture("spec-vs-lock");
  const_csv_t csv  = results_csv_table(rs);
  cr_assert_eq(results_csv_sweep_count(rs), 2);
  cr_assert_str_eq(csv_column_name(csv, results_csv_sweep_column(rs, 0)), "consumers.cores-per-host");
  cr_assert_str_eq(csv_column_name(csv, results_csv_sweep_column(rs, 1)), "config");
  cr_assert_eq(results_csv_failed_count(rs), 1);
  cr_assert_eq(results_csv_ok_count(rs), 53);
  cr_assert(results_csv_sweep_varies(rs, 0));
  cr_assert(results_csv_sweep_varies(rs, 1));
  cr_assert(results_csv_column_is_numeric(rs, results_csv_sweep_column(rs, 0)));
  cr_assert_not(results_csv_column_is_numeric(rs, results_csv_sweep_column(rs, 1)));
  cr_assert_not(results_csv_sweep_is_mode(rs, 0));
  cr_assert(results_csv_sweep_is_mode(rs, 1), "config labels map to speculative and lock");
  cr_assert(results_csv_mode_varies(rs));
  cr_assert_str_eq(results_csv_mode(rs, 3), "lock");
  cr_assert_eq(results_csv_replication(rs, 4), 1);
  size_t thr = (size_t)csv_column_index(csv, "throughput_wr_s");
  cr_assert_float_eq(results_csv_value(rs, 0, thr), 497441, 1e-6);
  size_t lockw = (size_t)csv_column_index(csv, "access_wait_mean_s");
  cr_assert(isnan(results_csv_value(rs, 0, lockw)), "an empty metric cell is NaN");
  cr_assert(isnan(results_csv_value(rs, 0, results_csv_mode_column(rs))), "text columns have no value");
  results_csv_free(rs);
}

Test(results_csv, access_mode_is_mode_defining)
{
  results_csv_t rs = vn_load_fixture("fast-nic");
  cr_assert_eq(results_csv_sweep_count(rs), 3);
  cr_assert_not(results_csv_sweep_is_mode(rs, 0));
  cr_assert_not(results_csv_sweep_is_mode(rs, 1), "numeric sweeps never define the mode");
  cr_assert(results_csv_sweep_is_mode(rs, 2));
  results_csv_free(rs);

  rs = vn_load_fixture("qdepth");
  cr_assert_eq(results_csv_sweep_count(rs), 1);
  cr_assert_not(results_csv_mode_varies(rs));
  cr_assert_not(results_csv_sweep_is_mode(rs, 0));
  results_csv_free(rs);
}

/* A minimal results header: two sweeps, then the fixed columns the view checks (and one metric). */
#define HDR "point,replication,seed,consumers.cores-per-host,access.credit-refresh,mode,throughput_wr_s,status,reason\n"

static void results_bad(const char* text, char* msg, size_t len)
{
  vn_error_t err;
  vn_error_clear(&err);
  results_csv_t rs = results_csv_create(csv_read_string(text, "r.csv", &err), &err);
  cr_assert_null(rs, "accepted: %s", text);
  vn_error_format(&err, msg, len);
}

Test(results_csv, text_sweep_that_does_not_define_the_mode)
{
  vn_error_t err;
  vn_error_clear(&err);
  results_csv_t rs = results_csv_create(csv_read_string(HDR "0,0,1,1,always,speculative,1e6,ok,\n"
                                                            "1,0,1,1,always,lock,1e6,ok,\n"
                                                            "2,0,1,1,on-empty,speculative,1e6,ok,\n"
                                                            "3,0,1,1,on-empty,lock,1e6,ok,\n",
                                                        "r.csv", &err),
                                        &err);
  cr_assert_not_null(rs, "%s", err.message);
  cr_assert(results_csv_sweep_varies(rs, 1));
  cr_assert_not(results_csv_sweep_is_mode(rs, 1), "credit-refresh values occur with both modes");
  cr_assert_not(results_csv_sweep_varies(rs, 0));
  results_csv_free(rs);
}

Test(results_csv, bad_input)
{
  char msg[1024];
  results_bad(HDR "0,0,1,1,always,lock,fast,ok,\n", msg, sizeof msg);
  cr_assert_str_eq(msg, "r.csv:2: throughput_wr_s=\"fast\": not a number");
  results_bad(HDR "0,0,1,1,always,lock,1e6,ok,\n1,0.5,1,1,always,lock,1e6,ok,\n", msg, sizeof msg);
  cr_assert_str_eq(msg, "r.csv:3: replication=\"0.5\": replication must be an integer >= 0");
  results_bad(HDR "0,0,1,1,always,lock,1e6,done,\n", msg, sizeof msg);
  cr_assert_str_eq(msg, "r.csv:2: status=\"done\": status must be ok or failed");
  results_bad("point,replication,seed,x,status\n0,0,1,1,ok\n", msg, sizeof msg);
  cr_assert(strstr(msg, "r.csv:1: header has no column \"mode\"") == msg, "%s", msg);
  results_bad("point,replication,mode,seed,status\n0,0,lock,1,ok\n", msg, sizeof msg);
  cr_assert(strstr(msg, "comes before \"seed\"") != NULL, "%s", msg);
}

Test(results_csv, failed_rows_may_hold_anything)
{
  vn_error_t err;
  vn_error_clear(&err);
  results_csv_t rs = results_csv_create(
      csv_read_string(HDR "0,0,1,1,always,lock,1e6,ok,\n1,x,1,1,always,lock,garbage,failed,\"killed, by signal 9\"\n",
                      "r.csv", &err),
      &err);
  cr_assert_not_null(rs, "%s", err.message);
  cr_assert_eq(results_csv_ok_count(rs), 1);
  cr_assert_eq(results_csv_failed_count(rs), 1);
  const char* needs[] = {"throughput_wr_s", "cpu_per_wr_s", NULL};
  cr_assert_eq(results_csv_require(rs, needs, "needed here", &err), -1);
  cr_assert_str_eq(err.message, "header has no column \"cpu_per_wr_s\" (needed here)");
  results_csv_free(rs);
}
