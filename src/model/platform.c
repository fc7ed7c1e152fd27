/* platform: which hosts of a loaded SimGrid platform carry a NIC, in natural name order, and whether they can. */
#include "model/platform.h"

#include <simgrid/host.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/sysdep.h>

static int natural_order(const void* a, const void* b)
{
  return strverscmp(sg_host_get_name(*(sg_host_t const*)a), sg_host_get_name(*(sg_host_t const*)b));
}

static int is_count(const char* s, long* out)
{
  char* end;
  if (*s < '0' || *s > '9')
    return 0;
  long v = strtol(s, &end, 10);
  if (*end != '\0')
    return 0;
  *out = v;
  return 1;
}

int platform_hot_index(const params_t* p, sg_host_t const* hosts, size_t n)
{
  if (p->hot_host[0] == '\0')
    return 0;
  for (size_t i = 0; i < n; i++)
    if (strcmp(sg_host_get_name(hosts[i]), p->hot_host) == 0)
      return (int)i;
  return -1;
}

static sg_host_t* select_hosts(const params_t* p, size_t* n, vn_error_t* err)
{
  size_t total   = sg_host_count();
  sg_host_t* all = sg_host_list();
  qsort(all, total, sizeof(sg_host_t), natural_order);
  if (total == 0) {
    vn_error_set(err, NULL, 0, "platform", "file", p->platform_file, "the platform has no host");
    free(all);
    return NULL;
  }
  long count;
  if (strcmp(p->hosts, "all") == 0) {
    *n = total;
    return all;
  }
  if (is_count(p->hosts, &count)) {
    if (count < 1 || (size_t)count > total) {
      vn_error_set(err, NULL, 0, "platform", "hosts", p->hosts, "asks for %ld hosts but %s has %zu", count,
                   p->platform_file, total);
      free(all);
      return NULL;
    }
    *n = (size_t)count;
    return all;
  }
  /* A comma-separated list of names, in the given order. */
  char* list     = xbt_strdup(p->hosts);
  sg_host_t* out = xbt_new(sg_host_t, total);
  size_t k       = 0;
  char* save     = NULL;
  for (char* name = strtok_r(list, ",", &save); name != NULL; name = strtok_r(NULL, ",", &save)) {
    while (*name == ' ')
      name++;
    size_t len = strlen(name);
    while (len > 0 && name[len - 1] == ' ')
      name[--len] = '\0';
    sg_host_t h = sg_host_by_name(name);
    if (h == NULL) {
      /* sweep values are separated by blanks, host lists by commas: say so to whoever mixed them up */
      vn_error_set(err, NULL, 0, "platform", "hosts", p->hosts, "host '%s' is not in %s%s", name, p->platform_file,
                   strpbrk(name, " \t\n") != NULL ? " (host names are separated by commas)" : "");
      goto fail;
    }
    for (size_t j = 0; j < k; j++)
      if (out[j] == h) {
        vn_error_set(err, NULL, 0, "platform", "hosts", p->hosts, "host '%s' is listed twice", name);
        goto fail;
      }
    if (k == total) {
      vn_error_set(err, NULL, 0, "platform", "hosts", p->hosts, "more hosts listed than the platform has");
      goto fail;
    }
    out[k++] = h;
  }
  free(list);
  free(all);
  if (k == 0) {
    vn_error_set(err, NULL, 0, "platform", "hosts", p->hosts, "no host selected");
    free(out);
    return NULL;
  }
  *n = k;
  return out;
fail:
  free(list);
  free(all);
  free(out);
  return NULL;
}

sg_host_t* platform_select(const params_t* p, size_t* n, vn_error_t* err)
{
  sg_host_t* hosts = select_hosts(p, n, err);
  if (hosts == NULL)
    return NULL;
  if (p->pattern != PATTERN_LOCAL && *n < 2) {
    vn_error_set(err, NULL, 0, "workload", "pattern", params_pattern_names[p->pattern],
                 "needs at least two hosts, but the platform selection has one (use pattern=\"local\")");
    goto fail;
  }
  if (p->pattern == PATTERN_HOTSPOT && platform_hot_index(p, hosts, *n) < 0) {
    vn_error_set(err, NULL, 0, "workload", "hot-host", p->hot_host, "is not one of the selected hosts of %s",
                 p->platform_file);
    goto fail;
  }
  /* Cores a host needs: one per native consumer, and one per vCPU, or pcpus-per-host when fewer cores than vCPUs run
   * the VMs (model/sched.h). */
  long vcpus  = p->vms_per_host * p->vcpus_per_vm;
  long needed = p->cores_per_host + (p->pcpus_per_host > 0 && p->pcpus_per_host < vcpus ? p->pcpus_per_host : vcpus);
  for (size_t i = 0; i < *n; i++) {
    int cores = sg_host_core_count(hosts[i]);
    if (cores < needed) {
      /* Consumers are modelled on cores of their own (their costs are timings, not shared CPU; vCPUs share only the
       * pcpus-per-host cores given to them), so more than the host has would silently overlap work one core cannot
       * do. */
      char value[64];
      snprintf(value, sizeof value, "%ld", p->cores_per_host);
      if (p->pcpus_per_host > 0 && p->pcpus_per_host < vcpus)
        vn_error_set(err, NULL, 0, "consumers", "pcpus-per-host", NULL,
                     "host %s of %s has %d core%s but %ld are needed (%ld native cores + %ld physical cores for the "
                     "VMs' %ld vCPUs)",
                     sg_host_get_name(hosts[i]), p->platform_file, cores, cores == 1 ? "" : "s", needed,
                     p->cores_per_host, p->pcpus_per_host, vcpus);
      else
        vn_error_set(err, NULL, 0, "consumers", "cores-per-host", value,
                     "host %s of %s has %d core%s but %ld consumers would run on it (%ld native + %ld VMs x %ld "
                     "vCPUs); each consumer needs a core of its own, or set consumers.pcpus-per-host to time-slice "
                     "the vCPUs on fewer cores",
                     sg_host_get_name(hosts[i]), p->platform_file, cores, cores == 1 ? "" : "s", needed,
                     p->cores_per_host, p->vms_per_host, p->vcpus_per_vm);
      goto fail;
    }
  }
  return hosts;
fail:
  free(hosts);
  return NULL;
}
