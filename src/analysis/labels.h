/* labels: how the analysis commands write parameter names and values: readable titles, and units chosen for the
 * size of the values (results.csv holds SI base units), as plot legends and axes and the compare table show them. */
#ifndef VNICSIM_LABELS_H
#define VNICSIM_LABELS_H

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

/** @brief A display unit for values of @p kind whose largest magnitude is @p max: its name (e.g. "µs"; "" for
 *  LABELS_PLAIN), with @p scale set to the factor that turns the SI value into it. */
const char* labels_unit(labels_kind_t kind, double max, double* scale);

/** @brief Human-readable name of a results column or swept parameter, without unit: "consumers per host" for
 *  `consumers_per_host`, "cores per host" for `consumers.cores-per-host`, "NIC service time" for
 *  `nic.service-time`; otherwise the attribute part with dashes and underscores turned into blanks. */
void labels_column_title(const char* column, char* buf, size_t len);

/** @brief Format the value @p text of column @p column for a legend or a table, with a unit chosen for its size
 *  when the parameter has one ("2e-08" of `nic.service-time` gives "20 ns", "65536" of `workload.size` gives
 *  "64 KiB"). Text that is not a number, and values of parameters without a unit, are copied. */
void labels_format_value(const char* column, const char* text, char* buf, size_t len);

/** @brief The title of an axis carrying the values of column @p column, whose largest magnitude is @p max: the
 *  column title and the unit chosen for @p max ("NIC service time (ns)", "WR rate per consumer (M WR/s)", "NIC
 *  queue depth (WRs)", "consumers per host"). Returns the factor that turns the SI values into that unit. */
double labels_axis_title(const char* column, double max, char* buf, size_t len);

#endif
