/* value_labels: parameter values written for people, with a unit chosen for their size ("2e-08" of nic.service-time
 * is "20 ns"), as the progress lines of `vnicsim run` and the tables and legends of the analysis commands show them.
 * (It lives in the run layer so that both can use it: analysis/labels.h adds the titles of columns and axes.) */
#ifndef VNICSIM_VALUE_LABELS_H
#define VNICSIM_VALUE_LABELS_H

#include <stddef.h>

/** The kind of quantity a value is, which decides its display units. */
typedef enum {
  LABELS_PLAIN = 0, /* a count or a name: no unit */
  LABELS_TIME,      /* seconds: ns, µs, ms, s */
  LABELS_BYTES,     /* bytes: B, KiB, MiB, GiB */
  LABELS_BPS,       /* bytes per second: B/s, kB/s, MB/s, GB/s */
  LABELS_RATE,      /* events per second: /s, k/s, M/s */
  LABELS_WR_RATE    /* WRs per second: WR/s, k WR/s, M WR/s */
} labels_kind_t;

/** @brief The parameter part of a column name, after the element: "service-time" for `nic.service-time`; a name
 *  without a dot (`config`, `consumers_per_host`) is returned whole. */
const char* labels_attribute(const char* column);

/** @brief The kind of the values of column (or parameter) @p column: LABELS_TIME for `nic.service-time`,
 *  LABELS_PLAIN for a count, a name or a column it does not know. */
labels_kind_t labels_kind_of(const char* column);

/** @brief A display unit for values of @p kind whose largest magnitude is @p max: its name (e.g. "µs"; "" for
 *  LABELS_PLAIN), with @p scale set to the factor that turns the SI value into it. */
const char* labels_unit(labels_kind_t kind, double max, double* scale);

/** @brief Format the value @p text of column @p column for a legend or a table, with a unit chosen for its size
 *  when the parameter has one ("2e-08" of `nic.service-time` gives "20 ns", "65536" of `workload.size` gives
 *  "64 KiB"). Text that is not a number, and values of parameters without a unit, are copied. */
void labels_format_value(const char* column, const char* text, char* buf, size_t len);

#endif
