/* labels: how the analysis commands write parameter names and values: readable titles, and units chosen for the
 * size of the values (results.csv holds SI base units), as plot legends and axes and the compare table show them.
 * The values themselves are formatted by run/value_labels.h, which `vnicsim run`'s progress lines share. */
#ifndef VNICSIM_LABELS_H
#define VNICSIM_LABELS_H

#include <stddef.h>

#include "run/value_labels.h" /* labels_kind_t, labels_attribute, labels_unit, labels_format_value */

/** @brief Human-readable name of a results column or swept parameter, without unit: "consumers per host" for
 *  `consumers_per_host`, "cores per host" for `consumers.cores-per-host`, "NIC service time" for
 *  `nic.service-time`; otherwise the attribute part with dashes and underscores turned into blanks. */
void labels_column_title(const char* column, char* buf, size_t len);

/** @brief The title of an axis carrying the values of column @p column, whose largest magnitude is @p max: the
 *  column title and the unit chosen for @p max ("NIC service time (ns)", "WR rate per consumer (M WR/s)", "NIC
 *  queue depth (WRs)", "consumers per host"). Returns the factor that turns the SI values into that unit. */
double labels_axis_title(const char* column, double max, char* buf, size_t len);

#endif
