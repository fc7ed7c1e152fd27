/* test_units: every unit family parses to SI base units, formatting is readable and round-trips, bad text is refused.
 */
#include <criterion/criterion.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/units.h"

static double parse_ok(unit_kind_t kind, const char* text)
{
  double v = -12345;
  char err[512];
  int rc = units_parse(kind, text, &v, err, sizeof err);
  cr_assert_eq(rc, 0, "\"%s\" as a %s should parse, got: %s", text, units_kind_name(kind), err);
  return v;
}

static void parse_fails(unit_kind_t kind, const char* text, const char* reason)
{
  double v      = -12345;
  char err[512] = "";
  int rc        = units_parse(kind, text, &v, err, sizeof err);
  cr_assert_eq(rc, -1, "\"%s\" as a %s should be refused", text ? text : "(null)", units_kind_name(kind));
  cr_assert_eq(v, -12345, "a refused value must not be written");
  cr_assert(strstr(err, reason) != NULL, "reason for \"%s\" should mention \"%s\", got: %s", text ? text : "(null)",
            reason, err);
}

#define EXPECT_VALUE(kind, text, expected)                                                                             \
  cr_expect_eq(parse_ok(kind, text), (double)(expected), "\"%s\" gave %.17g, expected %.17g", text,                    \
               parse_ok(kind, text), (double)(expected))

Test(units, time_units)
{
  EXPECT_VALUE(UNIT_TIME, "3s", 3);
  EXPECT_VALUE(UNIT_TIME, "2ms", 2 / 1e3);
  EXPECT_VALUE(UNIT_TIME, "1.5us", 1.5 / 1e6);
  EXPECT_VALUE(UNIT_TIME, "200ns", 200 / 1e9);
  EXPECT_VALUE(UNIT_TIME, "5ps", 5 / 1e12);
  EXPECT_VALUE(UNIT_TIME, "2min", 120);
  EXPECT_VALUE(UNIT_TIME, "1h", 3600);
  /* a sub-unit is one correctly rounded division: the same double as the value written in seconds */
  cr_expect_eq(parse_ok(UNIT_TIME, "200ns"), parse_ok(UNIT_TIME, "0.0000002s"));
  cr_expect_eq(parse_ok(UNIT_TIME, "1.5us"), 1.5e-6);
}

Test(units, size_units)
{
  EXPECT_VALUE(UNIT_SIZE, "64B", 64);
  EXPECT_VALUE(UNIT_SIZE, "1kB", 1000);
  EXPECT_VALUE(UNIT_SIZE, "1KB", 1000);
  EXPECT_VALUE(UNIT_SIZE, "2MB", 2e6);
  EXPECT_VALUE(UNIT_SIZE, "1GB", 1e9);
  EXPECT_VALUE(UNIT_SIZE, "1TB", 1e12);
  EXPECT_VALUE(UNIT_SIZE, "4KiB", 4096);
  EXPECT_VALUE(UNIT_SIZE, "1MiB", 1048576);
  EXPECT_VALUE(UNIT_SIZE, "1GiB", 1073741824.0);
  EXPECT_VALUE(UNIT_SIZE, "1TiB", 1099511627776.0);
  EXPECT_VALUE(UNIT_SIZE, "8b", 1);
  EXPECT_VALUE(UNIT_SIZE, "1kb", 125);
  EXPECT_VALUE(UNIT_SIZE, "1Kb", 125);
  EXPECT_VALUE(UNIT_SIZE, "1Mb", 125000);
  EXPECT_VALUE(UNIT_SIZE, "1Gb", 125e6);
  EXPECT_VALUE(UNIT_SIZE, "1Tb", 125e9);
  EXPECT_VALUE(UNIT_SIZE, "1Kib", 128);
  EXPECT_VALUE(UNIT_SIZE, "1Mib", 131072);
  EXPECT_VALUE(UNIT_SIZE, "1Gib", 134217728);
}

Test(units, bandwidth_units)
{
  EXPECT_VALUE(UNIT_BANDWIDTH, "16GBps", 16e9);
  EXPECT_VALUE(UNIT_BANDWIDTH, "100Gbps", 12.5e9);
  EXPECT_VALUE(UNIT_BANDWIDTH, "1Bps", 1);
  EXPECT_VALUE(UNIT_BANDWIDTH, "1kBps", 1e3);
  EXPECT_VALUE(UNIT_BANDWIDTH, "1KBps", 1e3);
  EXPECT_VALUE(UNIT_BANDWIDTH, "1MBps", 1e6);
  EXPECT_VALUE(UNIT_BANDWIDTH, "1TBps", 1e12);
  EXPECT_VALUE(UNIT_BANDWIDTH, "1KiBps", 1024);
  EXPECT_VALUE(UNIT_BANDWIDTH, "1MiBps", 1048576);
  EXPECT_VALUE(UNIT_BANDWIDTH, "1GiBps", 1073741824.0);
  EXPECT_VALUE(UNIT_BANDWIDTH, "8bps", 1);
  EXPECT_VALUE(UNIT_BANDWIDTH, "1kbps", 125);
  EXPECT_VALUE(UNIT_BANDWIDTH, "1Kbps", 125);
  EXPECT_VALUE(UNIT_BANDWIDTH, "10Mbps", 1.25e6);
  EXPECT_VALUE(UNIT_BANDWIDTH, "1Tbps", 125e9);
  EXPECT_VALUE(UNIT_BANDWIDTH, "1Kibps", 128);
}

Test(units, rate_units)
{
  EXPECT_VALUE(UNIT_RATE, "2M/s", 2e6);
  EXPECT_VALUE(UNIT_RATE, "40k/s", 40e3);
  EXPECT_VALUE(UNIT_RATE, "37500/s", 37500);
  EXPECT_VALUE(UNIT_RATE, "1K/s", 1e3);
  EXPECT_VALUE(UNIT_RATE, "1G/s", 1e9);
  EXPECT_VALUE(UNIT_RATE, "1/ms", 1e3);
  EXPECT_VALUE(UNIT_RATE, "4/us", 4e6);
}

Test(units, number_forms)
{
  EXPECT_VALUE(UNIT_TIME, "+1.5us", 1.5e-6);
  EXPECT_VALUE(UNIT_TIME, ".5s", 0.5);
  EXPECT_VALUE(UNIT_TIME, "5.s", 5);
  EXPECT_VALUE(UNIT_TIME, "1e3ns", 1e-6);
  EXPECT_VALUE(UNIT_TIME, "1E-3s", 1e-3);
  EXPECT_VALUE(UNIT_TIME, "  200ns\t", 200 / 1e9);
  EXPECT_VALUE(UNIT_TIME, "-1s", -1); /* sign is allowed here; ranges are the parameter table's business */
  EXPECT_VALUE(UNIT_TIME, "0s", 0);
  cr_expect_not(signbit(parse_ok(UNIT_TIME, "-0s")), "no negative zero");
}

Test(units, every_listed_unit_parses_and_belongs_to_one_kind)
{
  const unit_kind_t kinds[] = {UNIT_TIME, UNIT_SIZE, UNIT_BANDWIDTH, UNIT_RATE};
  for (size_t k = 0; k < 4; k++) {
    char list[512];
    snprintf(list, sizeof list, "%s", units_kind_examples(kinds[k]));
    int count = 0;
    for (char* tok = strtok(list, ", "); tok != NULL; tok = strtok(NULL, ", ")) {
      char text[64];
      snprintf(text, sizeof text, "3%s", tok);
      double v = parse_ok(kinds[k], text);
      cr_expect(v > 0, "%s", text);
      count++;
      for (size_t o = 0; o < 4; o++) {
        if (o == k)
          continue;
        char expected[64];
        snprintf(expected, sizeof expected, "is a %s unit", units_kind_name(kinds[k]));
        parse_fails(kinds[o], text, expected);
      }
    }
    cr_expect_geq(count, 7, "%s lists only %d units", units_kind_name(kinds[k]), count);
  }
}

Test(units, missing_unit)
{
  parse_fails(UNIT_TIME, "200", "missing unit");
  parse_fails(UNIT_TIME, "200", "s, ms, us, ns, ps"); /* the message lists the valid units */
  parse_fails(UNIT_RATE, "37500", "missing unit");
  parse_fails(UNIT_SIZE, "64", "KiB");
  parse_fails(UNIT_BANDWIDTH, "16", "GBps");
}

Test(units, unknown_unit)
{
  parse_fails(UNIT_TIME, "200xs", "unknown unit \"xs\"");
  parse_fails(UNIT_TIME, "200NS", "case-sensitive");
  parse_fails(UNIT_SIZE, "4kib", "unknown unit");
  parse_fails(UNIT_RATE, "2Hz", "unknown unit");
  parse_fails(UNIT_TIME, "1e", "unknown unit \"e\"");
  parse_fails(UNIT_TIME, "1.2.3s", "unknown unit");
  parse_fails(UNIT_TIME, "1sssssssssssssssssssssssssss", "unknown unit");
}

Test(units, unit_of_another_kind)
{
  parse_fails(UNIT_RATE, "5ps", "\"ps\" is a time unit (picoseconds), but a rate is expected");
  parse_fails(UNIT_TIME, "64B", "is a size unit");
  parse_fails(UNIT_SIZE, "1Gbps", "is a bandwidth unit");
  parse_fails(UNIT_BANDWIDTH, "2M/s", "is a rate unit");
  parse_fails(UNIT_BANDWIDTH, "16GB", "is a size unit");
}

Test(units, not_numbers)
{
  parse_fails(UNIT_TIME, "nan", "NaN");
  parse_fails(UNIT_TIME, "NaNs", "NaN");
  parse_fails(UNIT_TIME, "-nan", "NaN");
  parse_fails(UNIT_TIME, "inf", "infinity");
  parse_fails(UNIT_TIME, "infinitys", "infinity");
  parse_fails(UNIT_TIME, "-Infs", "infinity");
  parse_fails(UNIT_RATE, "nan/s", "NaN");
  parse_fails(UNIT_TIME, "0x10ns", "hexadecimal");
  parse_fails(UNIT_TIME, "0X1p3s", "hexadecimal");
  parse_fails(UNIT_TIME, "abc", "not a number");
  parse_fails(UNIT_TIME, "-", "not a number");
  parse_fails(UNIT_TIME, "ns", "not a number");
  parse_fails(UNIT_TIME, ".s", "not a number");
}

Test(units, empty)
{
  parse_fails(UNIT_TIME, "", "empty value");
  parse_fails(UNIT_TIME, "   ", "empty value");
  parse_fails(UNIT_TIME, NULL, "empty value");
}

Test(units, trailing_garbage)
{
  parse_fails(UNIT_TIME, "200ns x", "unknown unit");
  parse_fails(UNIT_TIME, "200ns5", "unknown unit");
  parse_fails(UNIT_TIME, "200 ns", "no blank allowed");
  parse_fails(UNIT_SIZE, "64B;", "unknown unit");
}

Test(units, overflow_and_underflow)
{
  parse_fails(UNIT_TIME, "1e400s", "out of range");
  parse_fails(UNIT_TIME, "-1e400s", "out of range");
  parse_fails(UNIT_SIZE, "1e308TB", "out of range"); /* finite number, infinite once scaled */
  parse_fails(UNIT_TIME, "1e-400s", "out of range");
  parse_fails(UNIT_TIME, "1e-310ps", "out of range");
  char longnum[128];
  memset(longnum, '1', 100);
  strcpy(longnum + 100, "s");
  parse_fails(UNIT_TIME, longnum, "too long");
}

Test(units, plain_numbers)
{
  double v;
  char err[256];
  cr_assert_eq(units_parse_plain("0.25", &v, err, sizeof err), 0);
  cr_expect_eq(v, 0.25);
  cr_assert_eq(units_parse_plain(" 1e-3 ", &v, err, sizeof err), 0);
  cr_expect_eq(v, 1e-3);
  cr_expect_eq(units_parse_plain("50%", &v, err, sizeof err), -1);
  cr_expect(strstr(err, "unexpected \"%\"") != NULL, "%s", err);
  cr_expect_eq(units_parse_plain("NaN", &v, err, sizeof err), -1);
  cr_expect_eq(units_parse_plain("", &v, err, sizeof err), -1);
  cr_expect_eq(units_parse_plain("0.5s", &v, err, sizeof err), -1);
}

static void expect_format(unit_kind_t kind, double value, const char* expected)
{
  char buf[64];
  units_format(kind, value, buf, sizeof buf);
  cr_expect_str_eq(buf, expected, "%.17g as a %s: got \"%s\", expected \"%s\"", value, units_kind_name(kind), buf,
                   expected);
}

Test(units, format_is_readable)
{
  expect_format(UNIT_TIME, 200e-9, "200ns");
  expect_format(UNIT_TIME, 1.5e-6, "1.5us");
  expect_format(UNIT_TIME, 50e-9, "50ns");
  expect_format(UNIT_TIME, 0, "0s");
  expect_format(UNIT_TIME, 1, "1s");
  expect_format(UNIT_TIME, 3600, "3600s");
  expect_format(UNIT_TIME, 2e-3, "2ms");
  expect_format(UNIT_TIME, 1e-13, "0.1ps");
  expect_format(UNIT_TIME, -1e-6, "-1us");
  expect_format(UNIT_BANDWIDTH, 16e9, "16GBps");
  expect_format(UNIT_BANDWIDTH, 12.5e9, "12.5GBps");
  expect_format(UNIT_BANDWIDTH, 1073741824.0, "1GiBps");
  expect_format(UNIT_SIZE, 4096, "4KiB");
  expect_format(UNIT_SIZE, 64, "64B");
  expect_format(UNIT_SIZE, 1e6, "1MB");
  expect_format(UNIT_SIZE, 1500, "1.5kB");
  expect_format(UNIT_SIZE, 1048576, "1MiB");
  expect_format(UNIT_SIZE, 0.5, "0.5B");
  expect_format(UNIT_RATE, 2e6, "2M/s");
  expect_format(UNIT_RATE, 37500, "37.5k/s");
  expect_format(UNIT_RATE, 0.5, "0.5/s");
  expect_format(UNIT_RATE, 1e9, "1G/s");
}

Test(units, csv_numbers)
{
  char buf[64];
  units_format_csv(2e-7, buf, sizeof buf);
  cr_expect_str_eq(buf, "2e-07");
  units_format_csv(16e9, buf, sizeof buf);
  cr_expect_str_eq(buf, "1.6e+10");
  units_format_csv(4096, buf, sizeof buf);
  cr_expect_str_eq(buf, "4096");
  units_format_csv(-0.0, buf, sizeof buf);
  cr_expect_str_eq(buf, "0");
}

/* A deterministic spread of doubles over many magnitudes, including awkward ones (1/3, 0.1, many digits). */
static double sample(unsigned* state, int i)
{
  *state    = *state * 1103515245u + 12345u;
  double m  = (double)(*state % 1000000u) / 1000.0 + 0.001;
  int exp10 = (i % 30) - 18;
  double v  = m * pow(10, exp10);
  if (i % 7 == 0)
    v = 1.0 / 3.0 * pow(10, exp10);
  if (i % 11 == 0)
    v = floor(m) * pow(1024, i % 5); /* binary multiples */
  return v;
}

Test(units, format_round_trips)
{
  const unit_kind_t kinds[] = {UNIT_TIME, UNIT_SIZE, UNIT_BANDWIDTH, UNIT_RATE};
  unsigned state            = 42;
  for (int i = 0; i < 4000; i++) {
    double v = sample(&state, i);
    for (size_t k = 0; k < 4; k++) {
      char buf[64];
      char err[256];
      double back;
      units_format(kinds[k], v, buf, sizeof buf);
      cr_assert_eq(units_parse(kinds[k], buf, &back, err, sizeof err), 0, "\"%s\" does not parse: %s", buf, err);
      cr_assert_eq(back, v, "%.17g as a %s was written \"%s\", which reads back as %.17g", v, units_kind_name(kinds[k]),
                   buf, back);
    }
    char plain[64];
    double back;
    char err[256];
    units_format_plain(v, plain, sizeof plain);
    cr_assert_eq(units_parse_plain(plain, &back, err, sizeof err), 0, "%s: %s", plain, err);
    cr_assert_eq(back, v, "plain %.17g written \"%s\"", v, plain);
  }
}

/* A locale whose decimal separator is a comma must not change how "1.5us" reads. The C library only has such a
 * locale if it is installed; the test builds one with localedef when it can, and says so when it cannot. */
Test(units, independent_of_the_process_locale)
{
  const char* name = "de_DE.UTF-8";
  if (setlocale(LC_NUMERIC, name) == NULL) { /* maybe built by an earlier run */
    setenv("LOCPATH", VNICSIM_TEST_TMP, 1);
    setlocale(LC_NUMERIC, name);
  }
  if (setlocale(LC_NUMERIC, name) == NULL) {
    mkdir(VNICSIM_TEST_TMP, 0755);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 %s/%s >/dev/null 2>&1", VNICSIM_TEST_TMP, name);
    if (system(cmd) == 0) {
      setenv("LOCPATH", VNICSIM_TEST_TMP, 1);
      setlocale(LC_NUMERIC, name);
    }
  }
  if (setlocale(LC_NUMERIC, name) == NULL)
    cr_skip_test("no comma-decimal locale available (de_DE.UTF-8 missing and localedef failed)");
  cr_assert_eq(strtod("1.5", NULL), 1.0, "the locale in force should read \"1.5\" as 1 (comma decimal)");
  EXPECT_VALUE(UNIT_TIME, "1.5us", 1.5e-6);
  char buf[64];
  units_format(UNIT_TIME, 1.5e-6, buf, sizeof buf);
  cr_expect_str_eq(buf, "1.5us");
  units_format_csv(1.5e-6, buf, sizeof buf);
  cr_expect_str_eq(buf, "1.5e-06");
  units_format_plain(0.25, buf, sizeof buf);
  cr_expect_str_eq(buf, "0.25");
  double v;
  char err[256];
  cr_assert_eq(units_parse_plain("0.25", &v, err, sizeof err), 0);
  cr_expect_eq(v, 0.25);
  units_quantity_t q;
  cr_assert_eq(units_parse_simgrid(UNIT_BANDWIDTH, "12.5GBps", &q, err, sizeof err), 0, "%s", err);
  cr_expect_eq(q.si, 12.5e9);
  units_quantity_format(&q, 1, buf, sizeof buf);
  cr_expect_str_eq(buf, "12.5GBps");
  setlocale(LC_NUMERIC, "C");
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Speeds, SimGrid's platform units, values kept as written, counts.                                            */

Test(units, speeds)
{
  EXPECT_VALUE(UNIT_SPEED, "2.5Gf", 2.5e9);
  EXPECT_VALUE(UNIT_SPEED, "1f", 1);
  EXPECT_VALUE(UNIT_SPEED, "3kf", 3e3);
  EXPECT_VALUE(UNIT_SPEED, "1Ef", 1e18);
  parse_fails(UNIT_SPEED, "2.5GHz", "unknown unit \"GHz\"");
  parse_fails(UNIT_SPEED, "1ns", "\"ns\" is a time unit");
  expect_format(UNIT_SPEED, 2.5e9, "2.5Gf");
  expect_format(UNIT_SPEED, 1, "1f");
  expect_format(UNIT_SPEED, 0, "0f");
  cr_expect_str_eq(units_kind_name(UNIT_SPEED), "speed");
  /* scenarios have no speeds: a scenario value is never pointed at a speed unit */
  parse_fails(UNIT_TIME, "3Gf", "unknown unit \"Gf\" (units are case-sensitive)");
}

static units_quantity_t simgrid_ok(unit_kind_t kind, const char* text)
{
  units_quantity_t q;
  char err[512];
  int rc = units_parse_simgrid(kind, text, &q, err, sizeof err);
  cr_assert_eq(rc, 0, "\"%s\" as a SimGrid %s should parse, got: %s", text, units_kind_name(kind), err);
  return q;
}

static void simgrid_fails(unit_kind_t kind, const char* text, const char* reason)
{
  units_quantity_t q = {.number = -1, .unit = "untouched", .si = -1};
  char err[512]      = "";
  cr_assert_eq(units_parse_simgrid(kind, text, &q, err, sizeof err), -1, "\"%s\" as a SimGrid %s should be refused",
               text, units_kind_name(kind));
  cr_assert_str_eq(q.unit, "untouched", "a refused value must not be written");
  cr_assert(strstr(err, reason) != NULL, "reason for \"%s\" should mention \"%s\", got: %s", text, reason, err);
}

#define EXPECT_SIMGRID(kind, text, num, unit_text, si_value)                                                           \
  do {                                                                                                                 \
    units_quantity_t q_ = simgrid_ok(kind, text);                                                                      \
    cr_expect_eq(q_.number, (double)(num), "\"%s\": number %.17g", text, q_.number);                                   \
    cr_expect_str_eq(q_.unit, unit_text, "\"%s\": unit", text);                                                        \
    cr_expect_eq(q_.si, (double)(si_value), "\"%s\": %.17g, expected %.17g", text, q_.si, (double)(si_value));         \
  } while (0)

Test(units, simgrid_units_as_simgrid_reads_them)
{
  /* times: SimGrid's w, d, h, m (minutes), s, ms, us, ns, ps */
  EXPECT_SIMGRID(UNIT_TIME, "200ns", 200, "ns", 200 / 1e9);
  EXPECT_SIMGRID(UNIT_TIME, "1.5us", 1.5, "us", 1.5 / 1e6);
  EXPECT_SIMGRID(UNIT_TIME, "2m", 2, "m", 120);
  EXPECT_SIMGRID(UNIT_TIME, "1h", 1, "h", 3600);
  EXPECT_SIMGRID(UNIT_TIME, "1d", 1, "d", 86400);
  EXPECT_SIMGRID(UNIT_TIME, "1w", 1, "w", 604800);
  EXPECT_SIMGRID(UNIT_TIME, "0s", 0, "s", 0);
  simgrid_fails(UNIT_TIME, "1min", "unknown unit \"min\"");
  /* bandwidths: Bps and bps after decimal and binary prefixes, up to Y and Yi */
  EXPECT_SIMGRID(UNIT_BANDWIDTH, "100Gbps", 100, "Gbps", 12.5e9);
  EXPECT_SIMGRID(UNIT_BANDWIDTH, "12.5GBps", 12.5, "GBps", 12.5e9);
  EXPECT_SIMGRID(UNIT_BANDWIDTH, "1e3Mbps", 1000, "Mbps", 1.25e8);
  EXPECT_SIMGRID(UNIT_BANDWIDTH, "8bps", 8, "bps", 1);
  EXPECT_SIMGRID(UNIT_BANDWIDTH, "1kbps", 1, "kbps", 125);
  EXPECT_SIMGRID(UNIT_BANDWIDTH, "1KiBps", 1, "KiBps", 1024);
  EXPECT_SIMGRID(UNIT_BANDWIDTH, "1Kibps", 1, "Kibps", 128);
  EXPECT_SIMGRID(UNIT_BANDWIDTH, "1PBps", 1, "PBps", 1e15);
  EXPECT_SIMGRID(UNIT_BANDWIDTH, "1YiBps", 1, "YiBps", 1208925819614629174706176.0);
  EXPECT_SIMGRID(UNIT_BANDWIDTH, ".5Gbps", 0.5, "Gbps", 62.5e6);
  simgrid_fails(UNIT_BANDWIDTH, "1KBps", "unknown unit \"KBps\""); /* SimGrid's decimal kilo is k only */
  simgrid_fails(UNIT_BANDWIDTH, "1Kbps", "unknown unit \"Kbps\"");
  simgrid_fails(UNIT_BANDWIDTH, "100Gb", "unknown unit \"Gb\""); /* no sizes among platform values */
  simgrid_fails(UNIT_BANDWIDTH, "100GBPS", "case-sensitive");
  /* speeds */
  EXPECT_SIMGRID(UNIT_SPEED, "2.5Gf", 2.5, "Gf", 2.5e9);
  EXPECT_SIMGRID(UNIT_SPEED, "1Yf", 1, "Yf", 1e24);
  simgrid_fails(UNIT_SPEED, "2.5Kf", "unknown unit \"Kf\"");
  simgrid_fails(UNIT_SPEED, "2.5Gflops", "unknown unit \"Gflops\"");
}

Test(units, simgrid_values_are_written_verbatim)
{
  simgrid_fails(UNIT_BANDWIDTH, "100", "missing unit");
  simgrid_fails(UNIT_BANDWIDTH, "100 Gbps", "no blank allowed between the number and its unit");
  simgrid_fails(UNIT_BANDWIDTH, " 5Gbps", "no blank allowed around the value");
  simgrid_fails(UNIT_BANDWIDTH, "5Gbps ", "no blank allowed around the value");
  simgrid_fails(UNIT_BANDWIDTH, "-5Gbps", "no sign allowed");
  simgrid_fails(UNIT_BANDWIDTH, "+5Gbps", "no sign allowed");
  simgrid_fails(UNIT_TIME, "-0s", "no sign allowed");
  simgrid_fails(UNIT_BANDWIDTH, "0x10Gbps", "hexadecimal");
  simgrid_fails(UNIT_BANDWIDTH, "inf", "NaN and infinity");
  simgrid_fails(UNIT_SPEED, "nan", "expected a speed with a unit, e.g. 2.5Gf");
  simgrid_fails(UNIT_BANDWIDTH, "", "empty value");
  simgrid_fails(UNIT_BANDWIDTH, "1e400Gbps", "out of range");
  simgrid_fails(UNIT_BANDWIDTH, "1.5.5Gbps", "unknown unit \".5Gbps\"");
  /* a unit of another kind of platform value */
  simgrid_fails(UNIT_BANDWIDTH, "200ns", "\"ns\" is a time unit (nanoseconds), but a bandwidth is expected here");
  simgrid_fails(UNIT_TIME, "100Gbps", "\"Gbps\" is a bandwidth unit (gigabits per second), but a time is expected");
  simgrid_fails(UNIT_TIME, "2Gf", "is a speed unit");
  /* kinds a platform value never has */
  simgrid_fails(UNIT_SIZE, "4KiB", "no size can be given here");
  simgrid_fails(UNIT_RATE, "2M/s", "no rate can be given here");
}

Test(units, quantities_are_written_back_in_their_own_unit)
{
  char buf[64];
  units_quantity_t q = simgrid_ok(UNIT_BANDWIDTH, "100Gbps");
  units_quantity_format(&q, 1, buf, sizeof buf);
  cr_expect_str_eq(buf, "100Gbps");
  units_quantity_format(&q, 16, buf, sizeof buf);
  cr_expect_str_eq(buf, "1600Gbps", "scaled in the user's unit, not converted");
  q = simgrid_ok(UNIT_BANDWIDTH, "0.1Gbps");
  units_quantity_format(&q, 3, buf, sizeof buf);
  cr_expect_str_eq(buf, "0.3Gbps", "15 digits hide the rounding of 0.1 x 3");
  q = simgrid_ok(UNIT_BANDWIDTH, "1e3Mbps");
  units_quantity_format(&q, 1, buf, sizeof buf);
  cr_expect_str_eq(buf, "1000Mbps", "the number is written plainly");
  q = simgrid_ok(UNIT_TIME, "1.5us");
  units_quantity_format(&q, 1, buf, sizeof buf);
  cr_expect_str_eq(buf, "1.5us");
}

static units_count_status_t count_of(const char* text, unsigned long min, unsigned long max, unsigned long* out)
{
  return units_parse_count(text, strlen(text), min, max, out);
}

Test(units, counts)
{
  unsigned long n = 0;
  cr_expect_eq(count_of("16", 1, 65536, &n), UNITS_COUNT_OK);
  cr_expect_eq(n, 16);
  cr_expect_eq(count_of("007", 1, 65536, &n), UNITS_COUNT_OK);
  cr_expect_eq(n, 7);
  cr_expect_eq(count_of("65536", 1, 65536, &n), UNITS_COUNT_OK);
  n = 99;
  cr_expect_eq(count_of("65537", 1, 65536, &n), UNITS_COUNT_TOO_LARGE);
  cr_expect_eq(count_of("99999999999999999999", 1, 65536, &n), UNITS_COUNT_TOO_LARGE, "digits beyond any count");
  cr_expect_eq(count_of("0", 1, 65536, &n), UNITS_COUNT_INVALID, "below the minimum");
  cr_expect_eq(count_of("", 1, 65536, &n), UNITS_COUNT_INVALID);
  cr_expect_eq(count_of("+1", 1, 65536, &n), UNITS_COUNT_INVALID);
  cr_expect_eq(count_of("-2", 1, 65536, &n), UNITS_COUNT_INVALID);
  cr_expect_eq(count_of(" 4", 1, 65536, &n), UNITS_COUNT_INVALID);
  cr_expect_eq(count_of("4 ", 1, 65536, &n), UNITS_COUNT_INVALID);
  cr_expect_eq(count_of("1e3", 1, 65536, &n), UNITS_COUNT_INVALID);
  cr_expect_eq(count_of("12345678901x", 1, 65536, &n), UNITS_COUNT_INVALID, "long, but not a number");
  cr_expect_eq(n, 99, "a refused count must not be written");
  /* a field of a longer string: only its own characters count */
  const char* dims = "4,16,8";
  cr_expect_eq(units_parse_count(dims + 2, 2, 1, 65536, &n), UNITS_COUNT_OK);
  cr_expect_eq(n, 16);
}
