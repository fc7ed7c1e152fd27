/* units: SimGrid-style values with units written in ("200ns", "16GBps", "4KiB", "2M/s"). */
#ifndef VNICSIM_UNITS_H
#define VNICSIM_UNITS_H

#include <stddef.h>

typedef enum {
  UNIT_TIME,      /* seconds: s, ms, us, ns, ps (also min, h) */
  UNIT_SIZE,      /* bytes: B, kB/KB, MB, GB, TB (powers of 1000), KiB, MiB, GiB, TiB; b/kb/Kib... bits */
  UNIT_BANDWIDTH, /* bytes per second: Bps, kBps, MBps, GBps, TBps, KiBps.., bps, kbps, Mbps, Gbps, Tbps, Kibps.. */
  UNIT_RATE       /* events per second: "/s", "k/s", "M/s", "G/s", "/ms", "/us" */
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

/** @brief Write @p value (SI base units) with the largest unit of @p kind that keeps it >= 1 ("200ns").
 *  Sizes and bandwidths use a binary unit when the value is a whole number of KiB, MiB.. below 1024 ("4KiB").
 *  The text always parses back, with units_parse, to exactly @p value. */
void units_format(unit_kind_t kind, double value, char* buf, size_t len);

/** @brief Write a plain number with the fewest significant digits that parse back to exactly @p value. */
void units_format_plain(double value, char* buf, size_t len);

/** @brief Write @p value as a CSV number: "%.9g" in the "C" locale ("2e-07", "16000000000"). */
void units_format_csv(double value, char* buf, size_t len);

/** @brief Human name of a kind ("time", "size", "bandwidth", "rate"), for messages. */
const char* units_kind_name(unit_kind_t kind);

/** @brief Every unit of a kind, comma-separated ("s, ms, us, ns, ps, min, h"), for messages and docs. */
const char* units_kind_examples(unit_kind_t kind);

#endif
