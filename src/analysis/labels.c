/* labels: how the analysis commands write parameter names and values, with units chosen for the values' size. */
#include "analysis/labels.h"

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

/* Parameters that are counts of WRs: their axes say so. */
static const char* const wr_counts[] = {"queue-depth", "window", "replay-window"};

/* Readable names of the columns a figure is most often drawn against. */
static const struct {
  const char* column;
  const char* title;
} column_titles[] = {
    {"consumers_per_host", "consumers per host"},
    {"consumers", "consumers"},
    {"hosts", "hosts"},
    {"consumers.cores-per-host", "cores per host"},
    {"consumers.vms-per-host", "VMs per host"},
    {"consumers.vcpus-per-vm", "vCPUs per VM"},
    {"nic.queue-depth", "NIC queue depth"},
    {"nic.service-time", "NIC service time"},
    {"nic.queues", "NIC hardware queues"},
    {"workload.rate", "WR rate per consumer"},
    {"workload.think", "think time"},
    {"workload.window", "window"},
    {"workload.size", "WR size"},
    {"access.mode", "access mode"},
    {"access.credit-refresh", "credit refresh"},
    {"access.replay-window", "replay window"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char* labels_attribute(const char* column)
{
  const char* dot = strrchr(column, '.');
  return dot ? dot + 1 : column;
}

static labels_kind_t kind_of(const char* column)
{
  const char* attr = labels_attribute(column);
  for (size_t i = 0; i < COUNT(param_kinds); i++)
    if (strcmp(attr, param_kinds[i].attribute) == 0)
      return param_kinds[i].kind;
  return LABELS_PLAIN;
}

/* "WRs" for a parameter that counts WRs, else NULL. */
static const char* count_unit(const char* column)
{
  const char* attr = labels_attribute(column);
  for (size_t i = 0; i < COUNT(wr_counts); i++)
    if (strcmp(attr, wr_counts[i]) == 0)
      return "WRs";
  return NULL;
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

void labels_column_title(const char* column, char* buf, size_t len)
{
  for (size_t i = 0; i < COUNT(column_titles); i++)
    if (strcmp(column, column_titles[i].column) == 0) {
      snprintf(buf, len, "%s", column_titles[i].title);
      return;
    }
  snprintf(buf, len, "%s", labels_attribute(column));
  for (char* p = buf; *p; p++)
    if (*p == '-' || *p == '_')
      *p = ' ';
}

void labels_format_value(const char* column, const char* text, char* buf, size_t len)
{
  double v;
  labels_kind_t kind = kind_of(column);
  if (kind == LABELS_PLAIN || csv_parse_double(text, &v) != 1) {
    snprintf(buf, len, "%s", text);
    return;
  }
  double scale;
  const char* unit = labels_unit(kind, v, &scale);
  snprintf(buf, len, "%.3g %s", v * scale, unit);
}

double labels_axis_title(const char* column, double max, char* buf, size_t len)
{
  char title[128];
  labels_column_title(column, title, sizeof title);
  labels_kind_t kind = kind_of(column);
  double scale;
  /* A swept rate is a rate of WRs per consumer: its axis says "M WR/s" where its legend value says "2 M/s". */
  const char* unit = labels_unit(kind == LABELS_RATE ? LABELS_WR_RATE : kind, max, &scale);
  if (unit[0] == '\0')
    unit = count_unit(column);
  if (unit != NULL)
    snprintf(buf, len, "%s (%s)", title, unit);
  else
    snprintf(buf, len, "%s", title);
  return scale;
}
