/* units: parsing and formatting values with units (scenario units and SimGrid's platform units), plain numbers and
 * counts; locale-independent and round-tripping. */
#include "base/units.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** One unit: a value written "x<name>" is x * mul / div in SI base units. Exactly one of mul and div differs from
 *  1 and both are exact doubles, so a value costs one correctly rounded operation: "200ns" is 200 / 1e9, the double
 *  nearest to 2e-7, the same double as "0.0000002s". */
typedef struct unit {
  const char* name;
  double mul;
  double div;
  const char* meaning;
} unit_t;

static const unit_t time_units[] = {
    {"s", 1, 1, "seconds"},         {"ms", 1, 1e3, "milliseconds"},
    {"us", 1, 1e6, "microseconds"}, {"ns", 1, 1e9, "nanoseconds"},
    {"ps", 1, 1e12, "picoseconds"}, {"min", 60, 1, "minutes"},
    {"h", 3600, 1, "hours"},        {NULL, 0, 0, NULL},
};

static const unit_t size_units[] = {
    {"B", 1, 1, "bytes"},
    {"kB", 1e3, 1, "kilobytes"},
    {"KB", 1e3, 1, "kilobytes"},
    {"MB", 1e6, 1, "megabytes"},
    {"GB", 1e9, 1, "gigabytes"},
    {"TB", 1e12, 1, "terabytes"},
    {"KiB", 1024.0, 1, "kibibytes"},
    {"MiB", 1048576.0, 1, "mebibytes"},
    {"GiB", 1073741824.0, 1, "gibibytes"},
    {"TiB", 1099511627776.0, 1, "tebibytes"},
    {"b", 1, 8, "bits"},
    {"kb", 125, 1, "kilobits"},
    {"Kb", 125, 1, "kilobits"},
    {"Mb", 125e3, 1, "megabits"},
    {"Gb", 125e6, 1, "gigabits"},
    {"Tb", 125e9, 1, "terabits"},
    {"Kib", 128.0, 1, "kibibits"},
    {"Mib", 131072.0, 1, "mebibits"},
    {"Gib", 134217728.0, 1, "gibibits"},
    {"Tib", 137438953472.0, 1, "tebibits"},
    {NULL, 0, 0, NULL},
};

static const unit_t bandwidth_units[] = {
    {"Bps", 1, 1, "bytes per second"},
    {"kBps", 1e3, 1, "kilobytes per second"},
    {"KBps", 1e3, 1, "kilobytes per second"},
    {"MBps", 1e6, 1, "megabytes per second"},
    {"GBps", 1e9, 1, "gigabytes per second"},
    {"TBps", 1e12, 1, "terabytes per second"},
    {"KiBps", 1024.0, 1, "kibibytes per second"},
    {"MiBps", 1048576.0, 1, "mebibytes per second"},
    {"GiBps", 1073741824.0, 1, "gibibytes per second"},
    {"TiBps", 1099511627776.0, 1, "tebibytes per second"},
    {"bps", 1, 8, "bits per second"},
    {"kbps", 125, 1, "kilobits per second"},
    {"Kbps", 125, 1, "kilobits per second"},
    {"Mbps", 125e3, 1, "megabits per second"},
    {"Gbps", 125e6, 1, "gigabits per second"},
    {"Tbps", 125e9, 1, "terabits per second"},
    {"Kibps", 128.0, 1, "kibibits per second"},
    {"Mibps", 131072.0, 1, "mebibits per second"},
    {"Gibps", 134217728.0, 1, "gibibits per second"},
    {"Tibps", 137438953472.0, 1, "tebibits per second"},
    {NULL, 0, 0, NULL},
};

static const unit_t rate_units[] = {
    {"/s", 1, 1, "per second"},
    {"k/s", 1e3, 1, "thousands per second"},
    {"K/s", 1e3, 1, "thousands per second"},
    {"M/s", 1e6, 1, "millions per second"},
    {"G/s", 1e9, 1, "billions per second"},
    {"/ms", 1e3, 1, "per millisecond"},
    {"/us", 1e6, 1, "per microsecond"},
    {NULL, 0, 0, NULL},
};

/* SimGrid 3.32's units, as its platform parser reads them (src/xbt/xbt_parse_units.cpp): the values of a generated
 * platform file are written as the user gave them, so they are checked against these. (The yotta factors are the
 * only ones that are not exact doubles; such values only meet range checks.) */
static const unit_t simgrid_time_units[] = {
    {"w", 604800, 1, "weeks"},      {"d", 86400, 1, "days"},
    {"h", 3600, 1, "hours"},        {"m", 60, 1, "minutes"},
    {"s", 1, 1, "seconds"},         {"ms", 1, 1e3, "milliseconds"},
    {"us", 1, 1e6, "microseconds"}, {"ns", 1, 1e9, "nanoseconds"},
    {"ps", 1, 1e12, "picoseconds"}, {NULL, 0, 0, NULL},
};

static const unit_t simgrid_bandwidth_units[] = {
    {"Bps", 1, 1, "bytes per second"},
    {"kBps", 1e3, 1, "kilobytes per second"},
    {"MBps", 1e6, 1, "megabytes per second"},
    {"GBps", 1e9, 1, "gigabytes per second"},
    {"TBps", 1e12, 1, "terabytes per second"},
    {"PBps", 1e15, 1, "petabytes per second"},
    {"EBps", 1e18, 1, "exabytes per second"},
    {"ZBps", 1e21, 1, "zettabytes per second"},
    {"YBps", 1e24, 1, "yottabytes per second"},
    {"KiBps", 1024.0, 1, "kibibytes per second"},
    {"MiBps", 1048576.0, 1, "mebibytes per second"},
    {"GiBps", 1073741824.0, 1, "gibibytes per second"},
    {"TiBps", 1099511627776.0, 1, "tebibytes per second"},
    {"PiBps", 1125899906842624.0, 1, "pebibytes per second"},
    {"EiBps", 1152921504606846976.0, 1, "exbibytes per second"},
    {"ZiBps", 1180591620717411303424.0, 1, "zebibytes per second"},
    {"YiBps", 1208925819614629174706176.0, 1, "yobibytes per second"},
    {"bps", 1, 8, "bits per second"},
    {"kbps", 125, 1, "kilobits per second"},
    {"Mbps", 125e3, 1, "megabits per second"},
    {"Gbps", 125e6, 1, "gigabits per second"},
    {"Tbps", 125e9, 1, "terabits per second"},
    {"Pbps", 125e12, 1, "petabits per second"},
    {"Ebps", 125e15, 1, "exabits per second"},
    {"Zbps", 125e18, 1, "zettabits per second"},
    {"Ybps", 125e21, 1, "yottabits per second"},
    {"Kibps", 128.0, 1, "kibibits per second"},
    {"Mibps", 131072.0, 1, "mebibits per second"},
    {"Gibps", 134217728.0, 1, "gibibits per second"},
    {"Tibps", 137438953472.0, 1, "tebibits per second"},
    {"Pibps", 140737488355328.0, 1, "pebibits per second"},
    {"Eibps", 144115188075855872.0, 1, "exbibits per second"},
    {"Zibps", 147573952589676412928.0, 1, "zebibits per second"},
    {"Yibps", 151115727451828646838272.0, 1, "yobibits per second"},
    {NULL, 0, 0, NULL},
};

static const unit_t simgrid_speed_units[] = {
    {"f", 1, 1, "flops"},        {"kf", 1e3, 1, "kiloflops"},   {"Mf", 1e6, 1, "megaflops"},
    {"Gf", 1e9, 1, "gigaflops"}, {"Tf", 1e12, 1, "teraflops"},  {"Pf", 1e15, 1, "petaflops"},
    {"Ef", 1e18, 1, "exaflops"}, {"Zf", 1e21, 1, "zettaflops"}, {"Yf", 1e24, 1, "yottaflops"},
    {NULL, 0, 0, NULL},
};

#define KIND_COUNT (UNIT_SPEED + 1)

/** The units one kind of text may use, and how they are shown in messages. */
typedef struct unit_set {
  const unit_t* units[KIND_COUNT]; /* NULL: no value of that kind is read in this set */
  const char* example[KIND_COUNT]; /* one value, for messages ("200ns") */
  const char* listing[KIND_COUNT]; /* its units, for messages */
  const unit_kind_t* hint_kinds;   /* the kinds searched to say "a time unit, but a size is expected" */
  size_t nhint_kinds;
  int verbatim; /* the text is written into a file as it is: no blank around it, no sign */
} unit_set_t;

static const unit_kind_t scenario_kinds[] = {UNIT_TIME, UNIT_SIZE, UNIT_BANDWIDTH, UNIT_RATE};
static const unit_kind_t simgrid_kinds[]  = {UNIT_TIME, UNIT_BANDWIDTH, UNIT_SPEED};

/* Scenario values. Scenarios have no speed: SimGrid's speed units are there so that every kind parses and formats,
 * but they are not among the hints, so a scenario value is never pointed at them. */
static const unit_set_t scenario_set = {
    .units   = {[UNIT_TIME]      = time_units,
                [UNIT_SIZE]      = size_units,
                [UNIT_BANDWIDTH] = bandwidth_units,
                [UNIT_RATE]      = rate_units,
                [UNIT_SPEED]     = simgrid_speed_units},
    .example = {[UNIT_TIME]      = "200ns",
                [UNIT_SIZE]      = "4KiB",
                [UNIT_BANDWIDTH] = "16GBps",
                [UNIT_RATE]      = "2M/s",
                [UNIT_SPEED]     = "2.5Gf"},
    .listing =
        {
            [UNIT_TIME]      = "s, ms, us, ns, ps, min, h",
            [UNIT_SIZE]      = "B, kB, KB, MB, GB, TB, KiB, MiB, GiB, TiB, b, kb, Kb, Mb, Gb, Tb, Kib, Mib, Gib, Tib",
            [UNIT_BANDWIDTH] = "Bps, kBps, KBps, MBps, GBps, TBps, KiBps, MiBps, GiBps, TiBps, bps, kbps, Kbps, Mbps, "
                               "Gbps, Tbps, Kibps, Mibps, Gibps, Tibps",
            [UNIT_RATE]      = "/s, k/s, K/s, M/s, G/s, /ms, /us",
            [UNIT_SPEED]     = "f, kf, Mf, Gf, Tf, Pf, Ef, Zf, Yf",
        },
    .hint_kinds  = scenario_kinds,
    .nhint_kinds = sizeof scenario_kinds / sizeof scenario_kinds[0],
    .verbatim    = 0,
};

/* Values written verbatim into a SimGrid platform file. */
static const unit_set_t simgrid_set = {
    .units   = {[UNIT_TIME]      = simgrid_time_units,
                [UNIT_BANDWIDTH] = simgrid_bandwidth_units,
                [UNIT_SPEED]     = simgrid_speed_units},
    .example = {[UNIT_TIME] = "200ns", [UNIT_BANDWIDTH] = "100Gbps", [UNIT_SPEED] = "2.5Gf"},
    .listing =
        {
            [UNIT_TIME]      = "ps, ns, us, ms, s, m, h, d, w",
            [UNIT_BANDWIDTH] = "Bps or bps, after a prefix k, M, G, T, P, E, Z, Y, Ki, Mi, Gi, Ti, Pi, Ei, Zi or Yi",
            [UNIT_SPEED]     = "f, kf, Mf, Gf, Tf, Pf, Ef, Zf, Yf",
        },
    .hint_kinds  = simgrid_kinds,
    .nhint_kinds = sizeof simgrid_kinds / sizeof simgrid_kinds[0],
    .verbatim    = 1,
};

/* Units used for writing values, largest first. */
static const char* const time_out[]          = {"s", "ms", "us", "ns", "ps", NULL};
static const char* const size_out[]          = {"TB", "GB", "MB", "kB", "B", NULL};
static const char* const size_out_bin[]      = {"TiB", "GiB", "MiB", "KiB", NULL};
static const char* const bandwidth_out[]     = {"TBps", "GBps", "MBps", "kBps", "Bps", NULL};
static const char* const bandwidth_out_bin[] = {"TiBps", "GiBps", "MiBps", "KiBps", NULL};
static const char* const rate_out[]          = {"G/s", "M/s", "k/s", "/s", NULL};
static const char* const speed_out[]         = {"Tf", "Gf", "Mf", "kf", "f", NULL};
#define NUMBER_MAX 64 /* longest number text accepted; more is never a sensible scenario value */

static int kind_is_valid(unit_kind_t kind)
{
  return (unsigned)kind < KIND_COUNT;
}

const char* units_kind_name(unit_kind_t kind)
{
  static const char* const names[KIND_COUNT] = {[UNIT_TIME]      = "time",
                                                [UNIT_SIZE]      = "size",
                                                [UNIT_BANDWIDTH] = "bandwidth",
                                                [UNIT_RATE]      = "rate",
                                                [UNIT_SPEED]     = "speed"};
  return kind_is_valid(kind) ? names[kind] : "value";
}

const char* units_kind_examples(unit_kind_t kind)
{
  return kind_is_valid(kind) ? scenario_set.listing[kind] : "";
}

/* The unit @p name of @p kind in @p set, or NULL. */
static const unit_t* find_unit(const unit_set_t* set, unit_kind_t kind, const char* name)
{
  const unit_t* u = kind_is_valid(kind) ? set->units[kind] : NULL;
  for (; u != NULL && u->name != NULL; u++)
    if (strcmp(u->name, name) == 0)
      return u;
  return NULL;
}

/* The "C" locale, so that "1.5" parses the same whatever LC_NUMERIC the embedding program chose. Created once and
 * kept for the life of the process (it is immutable once created). */
static locale_t c_locale(void)
{
  static locale_t loc = (locale_t)0;
  if (loc == (locale_t)0)
    loc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
  return loc;
}

/* snprintf in the "C" locale (a decimal point, never a comma). */
static void c_snprintf(char* buf, size_t len, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
static void c_snprintf(char* buf, size_t len, const char* fmt, ...)
{
  locale_t old = uselocale(c_locale());
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, len, fmt, ap);
  va_end(ap);
  uselocale(old);
}

static int is_digit(char c)
{
  return c >= '0' && c <= '9';
}

static int is_blank(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int lower(char c)
{
  return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* Length of the decimal number at the start of s ([+-]digits[.digits][e[+-]digits]), 0 if there is none. */
static size_t scan_number(const char* s)
{
  size_t i      = 0;
  size_t digits = 0;
  if (s[i] == '+' || s[i] == '-')
    i++;
  for (; is_digit(s[i]); i++)
    digits++;
  if (s[i] == '.')
    for (i++; is_digit(s[i]); i++)
      digits++;
  if (digits == 0)
    return 0;
  if (s[i] == 'e' || s[i] == 'E') {
    size_t j = i + 1;
    if (s[j] == '+' || s[j] == '-')
      j++;
    if (is_digit(s[j])) {
      while (is_digit(s[j]))
        j++;
      i = j;
    }
  }
  return i;
}

/* Skips leading blanks, then splits text into a number (parsed in the "C" locale) and the text after it (*unit).
 * Returns 0, or -1 with a reason that ends with @p expected. */
static int parse_number_prefix(const char* text, const char** unit, double* number, const char* expected, char* err,
                               size_t errlen)
{
  if (text == NULL)
    text = "";
  while (is_blank(*text))
    text++;
  if (*text == '\0') {
    snprintf(err, errlen, "empty value; expected %s", expected);
    return -1;
  }
  const char* s = text;
  if (*s == '+' || *s == '-')
    s++;
  if ((lower(s[0]) == 'n' && lower(s[1]) == 'a' && lower(s[2]) == 'n') ||
      (lower(s[0]) == 'i' && lower(s[1]) == 'n' && lower(s[2]) == 'f')) {
    snprintf(err, errlen, "NaN and infinity are not accepted; expected %s", expected);
    return -1;
  }
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    snprintf(err, errlen, "hexadecimal numbers are not accepted; expected %s", expected);
    return -1;
  }
  size_t n = scan_number(text);
  if (n == 0) {
    snprintf(err, errlen, "not a number; expected %s", expected);
    return -1;
  }
  if (n >= NUMBER_MAX) {
    snprintf(err, errlen, "number too long (more than %d characters)", NUMBER_MAX - 1);
    return -1;
  }
  char buf[NUMBER_MAX];
  memcpy(buf, text, n);
  buf[n] = '\0';
  errno  = 0;
  char* end;
  double x = strtod_l(buf, &end, c_locale());
  if (end != buf + n) { /* cannot happen: scan_number accepted exactly what strtod reads */
    snprintf(err, errlen, "not a number; expected %s", expected);
    return -1;
  }
  if (errno == ERANGE || !isfinite(x)) {
    snprintf(err, errlen, "number out of range (%s)", fabs(x) > 1.0 ? "too large" : "too small, it underflows");
    return -1;
  }
  *number = x;
  *unit   = text + n;
  return 0;
}

/* Length of s without its trailing blanks. */
static size_t trimmed_length(const char* s)
{
  size_t n = strlen(s);
  while (n > 0 && is_blank(s[n - 1]))
    n--;
  return n;
}

int units_parse_plain(const char* text, double* value, char* err, size_t errlen)
{
  const char* rest;
  double x;
  if (parse_number_prefix(text, &rest, &x, "a plain number such as 0.5", err, errlen) != 0)
    return -1;
  size_t n = trimmed_length(rest);
  if (n > 0) {
    snprintf(err, errlen, "unexpected \"%.*s\" after the number; expected a plain number without unit, e.g. 0.5",
             (int)(n > 32 ? 32 : n), rest);
    return -1;
  }
  *value = x == 0 ? 0.0 : x; /* no negative zero */
  return 0;
}

/* A text written into a file as it is must be exactly a number and its unit. Returns 0, or -1 with the reason. */
static int check_verbatim(const char* text, const char* expected, char* err, size_t errlen)
{
  if (text == NULL || text[0] == '\0')
    return 0; /* "empty value", as everywhere */
  if (is_blank(text[0]) || is_blank(text[strlen(text) - 1])) {
    snprintf(err, errlen, "no blank allowed around the value; expected %s", expected);
    return -1;
  }
  if (text[0] == '+' || text[0] == '-') {
    snprintf(err, errlen, "no sign allowed; expected %s", expected);
    return -1;
  }
  return 0;
}

/* The unit @p name of @p kind in @p set, or NULL with the reason in @p err: a unit of another kind, or none. */
static const unit_t* find_unit_or_explain(const unit_set_t* set, unit_kind_t kind, const char* name, char* err,
                                          size_t errlen)
{
  const unit_t* u = find_unit(set, kind, name);
  if (u != NULL)
    return u;
  const char* kname = units_kind_name(kind);
  for (size_t k = 0; k < set->nhint_kinds; k++) {
    const unit_t* other = find_unit(set, set->hint_kinds[k], name);
    if (other != NULL) {
      snprintf(err, errlen, "\"%s\" is a %s unit (%s), but a %s is expected here; valid %s units: %s", name,
               units_kind_name(set->hint_kinds[k]), other->meaning, kname, kname, set->listing[kind]);
      return NULL;
    }
  }
  snprintf(err, errlen, "unknown unit \"%s\" (units are case-sensitive); valid %s units: %s", name, kname,
           set->listing[kind]);
  return NULL;
}

/* The one parser of values with units: a number in the "C" locale, then a unit of @p kind from @p set. */
static int parse_in(const unit_set_t* set, unit_kind_t kind, const char* text, units_quantity_t* q, char* err,
                    size_t errlen)
{
  const char* kname = units_kind_name(kind);
  if (!kind_is_valid(kind) || set->units[kind] == NULL) {
    snprintf(err, errlen, "no %s can be given here", kname);
    return -1;
  }
  char expected[256];
  snprintf(expected, sizeof expected, "a %s with a unit, e.g. %s (%s units: %s)", kname, set->example[kind], kname,
           set->listing[kind]);
  const char* rest;
  double x;
  if ((set->verbatim && check_verbatim(text, expected, err, errlen) != 0) ||
      parse_number_prefix(text, &rest, &x, expected, err, errlen) != 0)
    return -1;

  size_t n = trimmed_length(rest);
  if (n == 0) {
    snprintf(err, errlen, "missing unit; expected %s", expected);
    return -1;
  }
  if (is_blank(rest[0])) {
    snprintf(err, errlen, "no blank allowed between the number and its unit; expected %s", expected);
    return -1;
  }
  char name[sizeof q->unit];
  if (n >= sizeof name) {
    snprintf(err, errlen, "unknown unit \"%.*s...\"; valid %s units: %s", 12, rest, kname, set->listing[kind]);
    return -1;
  }
  memcpy(name, rest, n);
  name[n]         = '\0';
  const unit_t* u = find_unit_or_explain(set, kind, name, err, errlen);
  if (u == NULL)
    return -1;
  double v = (u->div != 1) ? x / u->div : x * u->mul;
  if (!isfinite(v)) {
    snprintf(err, errlen, "value out of range (too large)");
    return -1;
  }
  if (v == 0 && x != 0) {
    snprintf(err, errlen, "value out of range (too small, it underflows)");
    return -1;
  }
  q->number = x == 0 ? 0.0 : x; /* no negative zero */
  memcpy(q->unit, name, n + 1);
  q->si = v == 0 ? 0.0 : v;
  return 0;
}

int units_parse(unit_kind_t kind, const char* text, double* value, char* err, size_t errlen)
{
  units_quantity_t q;
  if (parse_in(&scenario_set, kind, text, &q, err, errlen) != 0)
    return -1;
  *value = q.si;
  return 0;
}

int units_parse_simgrid(unit_kind_t kind, const char* text, units_quantity_t* q, char* err, size_t errlen)
{
  return parse_in(&simgrid_set, kind, text, q, err, errlen);
}

void units_quantity_format(const units_quantity_t* q, double times, char* buf, size_t len)
{
  c_snprintf(buf, len, "%.15g%s", q->number * times, q->unit);
}

units_count_status_t units_parse_count(const char* text, size_t len, unsigned long min, unsigned long max,
                                       unsigned long* out)
{
  if (len == 0)
    return UNITS_COUNT_INVALID;
  if (len > 9) /* more digits than any count we take, and than an unsigned long of 32 bits holds */
    return strspn(text, "0123456789") >= len ? UNITS_COUNT_TOO_LARGE : UNITS_COUNT_INVALID;
  unsigned long v = 0;
  for (size_t i = 0; i < len; i++) {
    if (!is_digit(text[i]))
      return UNITS_COUNT_INVALID;
    v = v * 10 + (unsigned long)(text[i] - '0');
  }
  if (v < min)
    return UNITS_COUNT_INVALID;
  if (v > max)
    return UNITS_COUNT_TOO_LARGE;
  *out = v;
  return UNITS_COUNT_OK;
}

/* Writes x with p significant digits, in plain decimal notation when its exponent is moderate ("50", "0.0015"),
 * in exponent notation otherwise ("1e+20"). */
static void render_digits(double x, int p, const char* suffix, char* buf, size_t len)
{
  char num[NUMBER_MAX];
  c_snprintf(num, sizeof num, "%.*g", p, x);
  const char* e = strchr(num, 'e');
  if (e != NULL) {
    int exponent = atoi(e + 1);
    if (exponent >= -5 && exponent <= 15) {
      int decimals = p - 1 - exponent;
      c_snprintf(num, sizeof num, "%.*f", decimals > 0 ? decimals : 0, x);
    }
  }
  snprintf(buf, len, "%s%s", num, suffix);
}

void units_format_plain(double value, char* buf, size_t len)
{
  if (value == 0)
    value = 0.0;
  if (!isfinite(value)) {
    snprintf(buf, len, "%g", value);
    return;
  }
  for (int p = 1; p <= 17; p++) {
    render_digits(value, p, "", buf, len);
    if (strtod_l(buf, NULL, c_locale()) == value)
      return;
  }
  c_snprintf(buf, len, "%.17g", value);
}

void units_format_csv(double value, char* buf, size_t len)
{
  c_snprintf(buf, len, "%.9g", value == 0 ? 0.0 : value);
}

/* Writes value in unit u with the fewest digits that parse back to exactly value. Returns 0, or -1 if none does. */
static int format_with(unit_kind_t kind, double value, const unit_t* u, char* buf, size_t len)
{
  double x = (u->div != 1) ? value * u->div : value / u->mul;
  if (!isfinite(x))
    return -1;
  for (int p = 1; p <= 17; p++) {
    render_digits(x, p, u->name, buf, len);
    double back;
    char err[8];
    if (units_parse(kind, buf, &back, err, sizeof err) == 0 && back == value)
      return 0;
  }
  return -1;
}

/* The largest binary unit of which value is a whole multiple below 1024, or NULL. */
static const unit_t* binary_unit(unit_kind_t kind, double value, const char* const* names)
{
  double a = fabs(value);
  for (size_t i = 0; names != NULL && names[i] != NULL; i++) {
    const unit_t* u = find_unit(&scenario_set, kind, names[i]);
    double c        = a / u->mul;
    if (c >= 1 && c < 1024 && c == floor(c))
      return u;
  }
  return NULL;
}

void units_format(unit_kind_t kind, double value, char* buf, size_t len)
{
  static const char* const* const decimal_names[KIND_COUNT] = {[UNIT_TIME]      = time_out,
                                                               [UNIT_SIZE]      = size_out,
                                                               [UNIT_BANDWIDTH] = bandwidth_out,
                                                               [UNIT_RATE]      = rate_out,
                                                               [UNIT_SPEED]     = speed_out};
  static const char* const* const binary_names[KIND_COUNT]  = {
       [UNIT_SIZE] = size_out_bin, [UNIT_BANDWIDTH] = bandwidth_out_bin};
  if (!isfinite(value) || !kind_is_valid(kind)) {
    snprintf(buf, len, "%g", value);
    return;
  }
  if (value == 0)
    value = 0.0;
  const unit_t* base   = scenario_set.units[kind]; /* the first unit of each table is the base unit, factor 1 */
  const unit_t* chosen = binary_unit(kind, value, binary_names[kind]);
  if (chosen == NULL) {
    const char* const* names = decimal_names[kind];
    double a                 = fabs(value);
    for (size_t i = 0; names[i] != NULL; i++) {
      const unit_t* u = find_unit(&scenario_set, kind, names[i]);
      chosen          = u;
      double factor   = (u->div != 1) ? 1.0 / u->div : u->mul;
      if (a >= factor)
        break; /* the largest unit keeping the number >= 1; the smallest one otherwise (and for zero) */
    }
    if (value == 0)
      chosen = base; /* "0s", "0B": the base unit */
  }
  if (format_with(kind, value, chosen, buf, len) == 0)
    return;
  /* The scaled number did not round-trip at any precision: the base unit always does (factor 1). */
  format_with(kind, value, base, buf, len);
}
