/* labels: how the analysis commands write parameter names (the values' units are in run/value_labels.c). */
#include "analysis/labels.h"

#include <stdio.h>
#include <string.h>

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

/* "WRs" for a parameter that counts WRs, else NULL. */
static const char* count_unit(const char* column)
{
  const char* attr = labels_attribute(column);
  for (size_t i = 0; i < COUNT(wr_counts); i++)
    if (strcmp(attr, wr_counts[i]) == 0)
      return "WRs";
  return NULL;
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

double labels_axis_title(const char* column, double max, char* buf, size_t len)
{
  char title[128];
  labels_column_title(column, title, sizeof title);
  labels_kind_t kind = labels_kind_of(column);
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
