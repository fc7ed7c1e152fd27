/* vn_analysis: helpers for the tests of the analysis side (see vn_analysis.h). */
#include "vn_analysis.h"

#include <criterion/criterion.h>
#include <stdio.h>

results_csv_t vn_load_fixture(const char* name)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/%s/results.csv", VN_FIXTURES, name);
  vn_error_t err;
  vn_error_clear(&err);
  results_csv_t rs = results_csv_load(path, &err);
  cr_assert_not_null(rs, "%s: %s", path, err.message);
  return rs;
}

results_csv_t vn_load_results_text(const char* text)
{
  vn_error_t err;
  vn_error_clear(&err);
  results_csv_t rs = results_csv_create(csv_read_string(text, "r.csv", &err), &err);
  cr_assert_not_null(rs, "%s", err.message);
  return rs;
}
