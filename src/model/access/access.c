/* access: the registry of access modes. Adding a mode is one access_<name>.c file and one line here. */
#include "model/access/access.h"

#include <stdio.h>
#include <string.h>

extern const struct access_ops access_speculative_ops;
extern const struct access_ops access_lock_ops;

static const struct access_ops* const registry[] = {
    &access_speculative_ops,
    &access_lock_ops,
};

int access_check_one_queue(const params_t* p, char* err, size_t len, const char** bad_key)
{
  if (p->queues == 1)
    return 0;
  *bad_key = "nic.queues";
  snprintf(err, len, "this mode uses one hardware queue: queues must be 1 (more are for a partitioned mode)");
  return -1;
}

size_t access_count(void)
{
  return sizeof registry / sizeof registry[0];
}

const struct access_ops* access_get(size_t i)
{
  return i < access_count() ? registry[i] : NULL;
}

const struct access_ops* access_find(const char* name)
{
  for (size_t i = 0; i < access_count(); i++)
    if (strcmp(registry[i]->name, name) == 0)
      return registry[i];
  return NULL;
}

void access_list_names(char* buf, size_t len)
{
  size_t n = 0;
  buf[0]   = '\0';
  for (size_t i = 0; i < access_count() && n < len; i++) {
    int w = snprintf(buf + n, len - n, "%s%s", i ? " " : "", registry[i]->name);
    n += w > 0 ? (size_t)w : 0;
  }
}
