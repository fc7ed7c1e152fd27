/* units: values with units written in ("200ns", "16GBps", "4KiB", "2M/s"; "100Gbps", "2.5Gf" in platform files),
 * plain numbers and whole counts: the one parser of the numbers a user types. */
#ifndef VNICSIM_UNITS_H
#define VNICSIM_UNITS_H

#include <stddef.h>

typedef enum {
  UNIT_TIME,      /* seconds: s, ms, us, ns, ps (also min, h) */
  UNIT_SIZE,      /* bytes: B, kB/KB, MB, GB, TB (powers of 1000), KiB, MiB, GiB, TiB; b/kb/Kib... bits */
  UNIT_BANDWIDTH, /* bytes per second: Bps, kBps, MBps, GBps, TBps, KiBps.., bps, kbps, Mbps, Gbps, Tbps, Kibps.. */
  UNIT_RATE,      /* events per second: "/s", "k/s", "M/s", "G/s", "/ms", "/us" */
  UNIT_SPEED      /* flops per second: f, kf, Mf, Gf, Tf.. (SimGrid's units: scenarios have no speed) */
} unit_kind_t;

/** @brief Parse @p text as a finite, non-negative-or-negative number followed by a unit of @p kind.
 *  A missing unit, an unknown unit, a unit of another kind, NaN, infinity or trailing garbage is an error.
 *  Leading and trailing blanks are ignored; there is no blank between the number and its unit ("200ns").
 *  The number is read in the "C" locale whatever the process locale is; hexadecimal numbers are refused.
 *  @return 0 and *value in SI base units, or -1 with a one-line reason in @p err (not naming the value). */
int units_parse(unit_kind_t kind, const char* text, double* value, char* err, size_t errlen);

/** @brief Parse @p text as a plain decimal number without unit ("0.25", "1e-3"), with the rules of units_parse.
 *  @return 0 and *value, or -1 with a one-line reason in @p err. */
int units_parse_plain(const char* text, double* value, char* err, size_t errlen);

/** A value as the user wrote it, its number and unit kept apart: it can be scaled and written back in the user's
 *  own unit ("100Gbps" x 3 is "300Gbps"), which is what a generated platform file shows. */
typedef struct units_quantity {
  double number; /* the number as written (1000 for "1e3Mbps") */
  char unit[16]; /* the unit as written ("Mbps") */
  double si;     /* the value in SI base units: seconds, bytes per second, flops per second */
} units_quantity_t;

/** @brief Parse @p text as SimGrid 3.32 reads a value in a platform file (src/xbt/xbt_parse_units.cpp): a time
 *  (w, d, h, m, s, ms, us, ns, ps), a bandwidth (Bps or bps after a prefix k, M, G.. Y or Ki, Mi, Gi.. Yi) or a
 *  speed (f after a prefix k, M, G.. Y). The text is meant to be written into the file as it is, so it must be
 *  exactly a number and its unit: no blank, no sign. Otherwise the rules and messages are those of units_parse.
 *  @return 0 and @p q, or -1 with a one-line reason in @p err (not naming the value). */
int units_parse_simgrid(unit_kind_t kind, const char* text, units_quantity_t* q, char* err, size_t errlen);

/** @brief Write @p q's number times @p times in @p q's own unit, with 15 significant digits (so that 0.1 x 3 is
 *  "0.3"), in the "C" locale: "12.5GBps", "300Gbps". */
void units_quantity_format(const units_quantity_t* q, double times, char* buf, size_t len);

/** Outcome of units_parse_count. */
typedef enum {
  UNITS_COUNT_OK        = 0,  /* a whole number in range */
  UNITS_COUNT_INVALID   = -1, /* empty, not only digits, or below the minimum */
  UNITS_COUNT_TOO_LARGE = 1   /* digits only, but above the maximum */
} units_count_status_t;

/** @brief Parse the @p len characters at @p text (a field of a longer string, or all of it) as a whole decimal
 *  count in [@p min, @p max], @p max below 10^9: digits only, no sign, no blank, no unit. *out is set on success
 *  only; callers word the message, which depends on what the count is. */
units_count_status_t units_parse_count(const char* text, size_t len, unsigned long min, unsigned long max,
                                       unsigned long* out);

/** @brief Write @p value (SI base units) with the largest unit of @p kind that keeps it >= 1 ("200ns").
 *  Sizes and bandwidths use a binary unit when the value is a whole number of KiB, MiB.. below 1024 ("4KiB").
 *  The text always parses back, with units_parse, to exactly @p value. */
void units_format(unit_kind_t kind, double value, char* buf, size_t len);

/** @brief Write a plain number with the fewest significant digits that parse back to exactly @p value. */
void units_format_plain(double value, char* buf, size_t len);

/** @brief Write @p value as a CSV number: "%.9g" in the "C" locale ("2e-07", "16000000000"). */
void units_format_csv(double value, char* buf, size_t len);

/** @brief Human name of a kind ("time", "size", "bandwidth", "rate", "speed"), for messages. */
const char* units_kind_name(unit_kind_t kind);

/** @brief Every unit of a kind that units_parse accepts, comma-separated ("s, ms, us, ns, ps, min, h"), for
 *  messages and docs. */
const char* units_kind_examples(unit_kind_t kind);

#endif
