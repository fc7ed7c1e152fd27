/* test_sweep: sweep dimensions check their values when built, apply them, and expand in the documented order. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/sweep.h"

static void add_ok(sweep_t s, const char* v)
{
  char err[512];
  cr_assert_eq(sweep_add_value(s, v, v, err, sizeof err), 0, "\"%s\": %s", v, err);
}

Test(sweep, values_are_checked_and_kept)
{
  sweep_t s = sweep_create_values(params_find("nic.pio-read"), 12);
  add_ok(s, "500ns");
  add_ok(s, "1us");
  cr_expect_eq(sweep_kind(s), SWEEP_VALUES);
  cr_expect_str_eq(sweep_name(s), "nic.pio-read");
  cr_expect_eq(sweep_line(s), 12);
  cr_expect_eq(sweep_size(s), 2);
  cr_expect_str_eq(sweep_value_text(s, 0), "500ns");
  cr_expect_str_eq(sweep_value_csv(s, 0), "5e-07");
  cr_expect_str_eq(sweep_value_canonical(s, 1), "1us");
  cr_expect_null(sweep_value_text(s, 2));
  cr_expect_eq(sweep_case_set_count(s, 0), 0);

  char err[512] = "";
  cr_expect_eq(sweep_add_value(s, "1000ns", "1000ns", err, sizeof err), -1, "1000ns is 1us again");
  cr_expect(strstr(err, "the same value as \"1us\"") != NULL, "%s", err);
  cr_expect_eq(sweep_add_value(s, "5", "5", err, sizeof err), -1);
  cr_expect(strstr(err, "missing unit") != NULL, "%s", err);
  cr_expect_eq(sweep_add_value(s, "-1us", "-1us", err, sizeof err), -1);
  cr_expect(strstr(err, "at least 0s") != NULL, "%s", err);
  cr_expect_eq(sweep_size(s), 2, "refused values are not added");

  params_t p;
  params_init(&p);
  cr_assert_eq(sweep_apply(s, 0, &p, err, sizeof err), 0, "%s", err);
  cr_expect_eq(p.pio_read_s, 500 / 1e9);
  cr_expect(params_is_given(&p, params_find("nic.pio-read")));
  int line            = 0;
  const char* written = NULL;
  cr_expect(sweep_sets(s, 1, params_find("nic.pio-read"), &line, &written));
  cr_expect_eq(line, 12);
  cr_expect_str_eq(written, "1us");
  cr_expect_not(sweep_sets(s, 1, params_find("nic.pio-write"), NULL, NULL));
  cr_expect(sweep_touches(s, params_find("nic.pio-read")));
  cr_expect_not(sweep_touches(s, params_find("nic.trap")));
  sweep_free(s);
  sweep_free(NULL);
}

Test(sweep, enum_values_are_not_numeric)
{
  sweep_t s = sweep_create_values(params_find("workload.pattern"), 3);
  add_ok(s, "local");
  add_ok(s, "uniform");
  char err[512];
  cr_expect_eq(sweep_add_value(s, "ring", "ring", err, sizeof err), -1);
  cr_expect(strstr(err, "valid values") != NULL, "%s", err);
  cr_expect_str_eq(sweep_value_csv(s, 1), "uniform");
  sweep_free(s);
}

Test(sweep, cases)
{
  sweep_t s = sweep_create_cases("config", 20);
  char err[512];
  cr_assert_eq(sweep_add_case(s, "baseline", 21, err, sizeof err), 0, "%s", err);
  cr_assert_eq(sweep_add_case(s, "lock-always", 22, err, sizeof err), 0, "%s", err);
  cr_assert_eq(sweep_add_set(s, params_find("access.mode"), "lock", "lock", 23, err, sizeof err), 0, "%s", err);
  cr_assert_eq(sweep_add_set(s, params_find("access.credit-refresh"), "always", "always", 24, err, sizeof err), 0);
  cr_expect_eq(sweep_add_set(s, params_find("access.mode"), "lock", "lock", 25, err, sizeof err), -1);
  cr_expect(strstr(err, "already set at line 23") != NULL, "%s", err);
  cr_expect_eq(sweep_add_set(s, params_find("access.detect"), "Poll", "Poll", 25, err, sizeof err), -1);
  cr_expect(strstr(err, "valid values: notify, poll") != NULL, "%s", err);
  cr_expect_eq(sweep_add_case(s, "baseline", 26, err, sizeof err), -1);
  cr_expect(strstr(err, "already used at line 21") != NULL, "%s", err);
  cr_expect_eq(sweep_add_case(s, "a b", 26, err, sizeof err), -1);
  cr_expect(strstr(err, "not allowed") != NULL, "%s", err);
  cr_expect_eq(sweep_add_case(s, "", 26, err, sizeof err), -1);

  cr_expect_eq(sweep_kind(s), SWEEP_CASES);
  cr_expect_str_eq(sweep_name(s), "config");
  cr_expect_eq(sweep_size(s), 2);
  cr_expect_str_eq(sweep_value_csv(s, 1), "lock-always");
  cr_expect_eq(sweep_case_set_count(s, 0), 0);
  cr_expect_eq(sweep_case_set_count(s, 1), 2);
  const char* written;
  cr_expect_eq(sweep_case_set(s, 1, 1, &written), params_find("access.credit-refresh"));
  cr_expect_str_eq(written, "always");
  cr_expect_null(sweep_case_set(s, 1, 2, NULL));

  params_t p;
  params_init(&p);
  cr_assert_eq(sweep_apply(s, 0, &p, err, sizeof err), 0);
  cr_expect_str_eq(p.mode, "speculative", "the baseline case sets nothing");
  cr_assert_eq(sweep_apply(s, 1, &p, err, sizeof err), 0);
  cr_expect_str_eq(p.mode, "lock");
  cr_expect_eq(p.credit_refresh, CREDIT_ALWAYS);
  int line;
  cr_expect(sweep_sets(s, 1, params_find("access.credit-refresh"), &line, &written));
  cr_expect_eq(line, 24, "a case's value is located at its <set>");
  cr_expect_not(sweep_sets(s, 0, params_find("access.mode"), NULL, NULL));
  cr_expect(sweep_touches(s, params_find("access.mode")));
  sweep_free(s);
}

Test(sweep, product_order_first_outermost)
{
  sweep_t a = sweep_create_values(params_find("nic.queue-depth"), 1);
  add_ok(a, "8");
  add_ok(a, "16");
  sweep_t b = sweep_create_values(params_find("consumers.cores-per-host"), 2);
  add_ok(b, "1");
  add_ok(b, "2");
  add_ok(b, "4");
  const_sweep_t dims[2] = {a, b};
  cr_expect_eq(sweep_combinations(dims, 2, 1000), 6);
  cr_expect_eq(sweep_combinations(dims, 0, 1000), 1);
  cr_expect_eq(sweep_combinations(dims, 2, 5), 0, "over the cap");
  size_t digits[2];
  const size_t expected[6][2] = {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}};
  for (size_t c = 0; c < 6; c++) {
    sweep_decompose(dims, 2, c, digits);
    cr_expect_eq(digits[0], expected[c][0], "combination %zu, first sweep", c);
    cr_expect_eq(digits[1], expected[c][1], "combination %zu, last sweep", c);
  }
  sweep_free(a);
  sweep_free(b);
}
