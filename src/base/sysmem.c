/* sysmem: physical memory and the control group's memory limit (see sysmem.h). */
#include "base/sysmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

double sysmem_physical_B(void)
{
  long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
  return pages > 0 && size > 0 ? (double)pages * (double)size : 0;
}

/* The number in file @p path (0 for "max", a missing file or anything else). */
static double read_number(const char* path)
{
  FILE* f = fopen(path, "r");
  if (f == NULL)
    return 0;
  char buf[64] = "";
  if (fgets(buf, sizeof buf, f) == NULL)
    buf[0] = '\0';
  fclose(f);
  char* end;
  double v = strtod(buf, &end);
  return end != buf && (*end == '\n' || *end == '\0') && v > 0 ? v : 0;
}

double sysmem_cgroup_B(void)
{
  FILE* f = fopen("/proc/self/cgroup", "r");
  if (f == NULL)
    return 0;
  char line[4096];
  double limit = 0;
  while (limit == 0 && fgets(line, sizeof line, f) != NULL) {
    line[strcspn(line, "\n")] = '\0';
    /* "0::/path" (v2), or "N:memory:/path" (v1) */
    char* a = strchr(line, ':');
    char* b = a ? strchr(a + 1, ':') : NULL;
    if (b == NULL)
      continue;
    char path[4200];
    if (b == a + 1) {
      snprintf(path, sizeof path, "/sys/fs/cgroup%s/memory.max", b + 1);
      limit = read_number(path);
    } else if (strncmp(a + 1, "memory", 6) == 0 && (a[7] == ':' || a[7] == ',')) {
      snprintf(path, sizeof path, "/sys/fs/cgroup/memory%s/memory.limit_in_bytes", b + 1);
      limit = read_number(path);
      if (limit >= 9e18) /* v1 writes "no limit" as a huge number */
        limit = 0;
    }
  }
  fclose(f);
  return limit;
}

void sysmem_limit(double* limit_B, char* from, size_t len)
{
  double phys = sysmem_physical_B(), cg = sysmem_cgroup_B();
  if (cg > 0 && (phys == 0 || cg < phys)) {
    *limit_B = cg;
    snprintf(from, len, "the memory limit of this process's control group (a job's or container's limit)");
  } else {
    *limit_B = phys;
    snprintf(from, len, "%s", "this machine's physical memory");
  }
}
