/* test_labels: titles of columns, values with units chosen for their size, axis titles. */
#include <criterion/criterion.h>

#include "analysis/labels.h"

Test(labels, values_with_units)
{
  char buf[64];
  labels_format_value("nic.service-time", "2e-08", buf, sizeof buf);
  cr_assert_str_eq(buf, "20 ns");
  labels_format_value("nic.pio-read", "1.5e-06", buf, sizeof buf);
  cr_assert_str_eq(buf, "1.5 µs");
  labels_format_value("workload.think", "0.004", buf, sizeof buf);
  cr_assert_str_eq(buf, "4 ms");
  labels_format_value("workload.duration", "2", buf, sizeof buf);
  cr_assert_str_eq(buf, "2 s");
  labels_format_value("workload.size", "65536", buf, sizeof buf);
  cr_assert_str_eq(buf, "64 KiB");
  labels_format_value("workload.size", "64", buf, sizeof buf);
  cr_assert_str_eq(buf, "64 B");
  labels_format_value("workload.size-large", "3145728", buf, sizeof buf);
  cr_assert_str_eq(buf, "3 MiB");
  labels_format_value("workload.rate", "2000000", buf, sizeof buf);
  cr_assert_str_eq(buf, "2 M/s");
  labels_format_value("workload.rate", "2500", buf, sizeof buf);
  cr_assert_str_eq(buf, "2.5 k/s");
  labels_format_value("nic.dma-bandwidth", "1.6e10", buf, sizeof buf);
  cr_assert_str_eq(buf, "16 GB/s");
  labels_format_value("nic.queue-depth", "64", buf, sizeof buf);
  cr_assert_str_eq(buf, "64", "a count has no unit");
  labels_format_value("config", "lock-always", buf, sizeof buf);
  cr_assert_str_eq(buf, "lock-always");
  labels_format_value("nic.service-time", "fast", buf, sizeof buf);
  cr_assert_str_eq(buf, "fast", "text is copied");
}

Test(labels, column_titles)
{
  char buf[64];
  labels_column_title("consumers_per_host", buf, sizeof buf);
  cr_assert_str_eq(buf, "consumers per host");
  labels_column_title("nic.service-time", buf, sizeof buf);
  cr_assert_str_eq(buf, "NIC service time");
  labels_column_title("access.backoff-max", buf, sizeof buf);
  cr_assert_str_eq(buf, "backoff max");
  labels_column_title("config", buf, sizeof buf);
  cr_assert_str_eq(buf, "config");
  cr_assert_str_eq(labels_attribute("nic.service-time"), "service-time");
  cr_assert_str_eq(labels_attribute("consumers_per_host"), "consumers_per_host");
}

Test(labels, units_for_the_largest_value)
{
  double scale;
  cr_assert_str_eq(labels_unit(LABELS_TIME, 9.9e-7, &scale), "ns");
  cr_assert_float_eq(scale, 1e9, 0);
  cr_assert_str_eq(labels_unit(LABELS_TIME, -2e-5, &scale), "µs", "the magnitude decides");
  cr_assert_float_eq(scale, 1e6, 0);
  cr_assert_str_eq(labels_unit(LABELS_TIME, 1e-3, &scale), "ms");
  cr_assert_str_eq(labels_unit(LABELS_TIME, 1, &scale), "s");
  cr_assert_float_eq(scale, 1, 0);
  cr_assert_str_eq(labels_unit(LABELS_BYTES, 1 << 30, &scale), "GiB");
  cr_assert_float_eq(scale, 1.0 / (1 << 30), 0);
  cr_assert_str_eq(labels_unit(LABELS_BYTES, 1023, &scale), "B");
  cr_assert_str_eq(labels_unit(LABELS_BPS, 2e6, &scale), "MB/s");
  cr_assert_float_eq(scale, 1e-6, 0);
  cr_assert_str_eq(labels_unit(LABELS_RATE, 999, &scale), "/s");
  cr_assert_str_eq(labels_unit(LABELS_WR_RATE, 1.5e6, &scale), "M WR/s");
  cr_assert_float_eq(scale, 1e-6, 0);
  cr_assert_str_eq(labels_unit(LABELS_WR_RATE, 5e3, &scale), "k WR/s");
  cr_assert_str_eq(labels_unit(LABELS_PLAIN, 5e3, &scale), "");
  cr_assert_float_eq(scale, 1, 0);
}

Test(labels, axis_titles)
{
  char buf[128];
  cr_assert_float_eq(labels_axis_title("nic.service-time", 2e-7, buf, sizeof buf), 1e9, 0);
  cr_assert_str_eq(buf, "NIC service time (ns)");
  cr_assert_float_eq(labels_axis_title("workload.rate", 4e6, buf, sizeof buf), 1e-6, 0);
  cr_assert_str_eq(buf, "WR rate per consumer (M WR/s)", "a swept rate is in WRs per second");
  cr_assert_float_eq(labels_axis_title("nic.queue-depth", 256, buf, sizeof buf), 1, 0);
  cr_assert_str_eq(buf, "NIC queue depth (WRs)");
  cr_assert_float_eq(labels_axis_title("consumers_per_host", 32, buf, sizeof buf), 1, 0);
  cr_assert_str_eq(buf, "consumers per host");
  labels_axis_title("workload.size", 4096, buf, sizeof buf);
  cr_assert_str_eq(buf, "WR size (KiB)");
}
