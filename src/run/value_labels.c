/* value_labels: parameter values written for people, with a unit chosen for their size. */
#include "run/value_labels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/csv.h"

/* Units of the swept parameters, by attribute name (the part after the element). Results carry SI base units. */
static const struct {
  const char* attribute;
  labels_kind_t kind;
} param_kinds[] = {
    {"issue-cost", LABELS_TIME},     {"pio-write", LABELS_TIME},    {"pio-read", LABELS_TIME},
    {"notify-latency", LABELS_TIME}, {"service-time", LABELS_TIME}, {"dma-latency", LABELS_TIME},
    {"lock-acquire", LABELS_TIME},   {"lock-handoff", LABELS_TIME}, {"trap", LABELS_TIME},
    {"backoff", LABELS_TIME},        {"backoff-max", LABELS_TIME},  {"think", LABELS_TIME},
    {"duration", LABELS_TIME},       {"size", LABELS_BYTES},        {"size-large", LABELS_BYTES},
    {"header", LABELS_BYTES},        {"dma-bandwidth", LABELS_BPS}, {"rate", LABELS_RATE},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char* labels_attribute(const char* column)
{
  const char* dot = strrchr(column, '.');
  return dot ? dot + 1 : column;
}

labels_kind_t labels_kind_of(const char* column)
{
  const char* attr = labels_attribute(column);
  for (size_t i = 0; i < COUNT(param_kinds); i++)
    if (strcmp(attr, param_kinds[i].attribute) == 0)
      return param_kinds[i].kind;
  return LABELS_PLAIN;
}

const char* labels_unit(labels_kind_t kind, double max, double* scale)
{
  max = fabs(max);
  switch (kind) {
  case LABELS_TIME:
    *scale = max < 1e-6 ? 1e9 : max < 1e-3 ? 1e6 : max < 1 ? 1e3 : 1;
    return max < 1e-6 ? "ns" : max < 1e-3 ? "µs" : max < 1 ? "ms" : "s";
  case LABELS_BYTES:
    *scale = max >= 1 << 30 ? 1.0 / (1 << 30) : max >= 1 << 20 ? 1.0 / (1 << 20) : max >= 1 << 10 ? 1.0 / (1 << 10) : 1;
    return max >= 1 << 30 ? "GiB" : max >= 1 << 20 ? "MiB" : max >= 1 << 10 ? "KiB" : "B";
  case LABELS_BPS:
    *scale = max >= 1e9 ? 1e-9 : max >= 1e6 ? 1e-6 : max >= 1e3 ? 1e-3 : 1;
    return max >= 1e9 ? "GB/s" : max >= 1e6 ? "MB/s" : max >= 1e3 ? "kB/s" : "B/s";
  case LABELS_RATE:
    *scale = max >= 1e6 ? 1e-6 : max >= 1e3 ? 1e-3 : 1;
    return max >= 1e6 ? "M/s" : max >= 1e3 ? "k/s" : "/s";
  case LABELS_WR_RATE:
    *scale = max >= 1e6 ? 1e-6 : max >= 1e3 ? 1e-3 : 1;
    return max >= 1e6 ? "M WR/s" : max >= 1e3 ? "k WR/s" : "WR/s";
  default:
    *scale = 1;
    return "";
  }
}

void labels_format_value(const char* column, const char* text, char* buf, size_t len)
{
  double v;
  labels_kind_t kind = labels_kind_of(column);
  if (kind == LABELS_PLAIN || csv_parse_double(text, &v) != 1) {
    snprintf(buf, len, "%s", text);
    return;
  }
  double scale;
  const char* unit = labels_unit(kind, v, &scale);
  snprintf(buf, len, "%.3g %s", v * scale, unit);
}
