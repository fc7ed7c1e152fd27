/* access: the registry of access modes. Adding a mode is one file in this folder and one line in ACCESS_MODES. */
#include "model/access/access.h"

#include <stdalign.h>
#include <stdio.h>
#include <string.h>
#include <xbt/asserts.h>

/* The built-in modes, in the order `vnicsim modes` lists them: one line per mode, X(name) for access_<name>_ops. */
#define ACCESS_MODES(X)                                                                                                \
  X(speculative)                                                                                                       \
  X(lock)                                                                                                              \
  X(partitioned)                                                                                                       \
  X(hypervisor)                                                                                                        \
  X(enqcmd)

#define DECLARE(name) extern const struct access_ops access_##name##_ops;
ACCESS_MODES(DECLARE)
#undef DECLARE

#define ENTRY(name) &access_##name##_ops,
static const struct access_ops* const builtin[] = {ACCESS_MODES(ENTRY)};
#undef ENTRY
#define NBUILTIN (sizeof builtin / sizeof builtin[0])

#define EXTRA_MAX 4
static const struct access_ops* extra[EXTRA_MAX]; /* access_register()ed modes (tests) */
static size_t nextra;
static int layout_fixed; /* the parameter layout was asked for: no more registrations */

int access_check_one_queue(const params_t* p, char* err, size_t len, const char** bad_key)
{
  if (p->queues == 1)
    return 0;
  *bad_key = "nic.queues";
  snprintf(err, len, "this mode uses one hardware queue: queues must be 1 (several are for mode \"partitioned\")");
  return -1;
}

size_t access_count(void)
{
  return NBUILTIN + nextra;
}

const struct access_ops* access_get(size_t i)
{
  if (i < NBUILTIN)
    return builtin[i];
  return i < access_count() ? extra[i - NBUILTIN] : NULL;
}

const struct access_ops* access_find(const char* name)
{
  for (size_t i = 0; i < access_count(); i++)
    if (strcmp(access_get(i)->name, name) == 0)
      return access_get(i);
  return NULL;
}

void access_list_names(char* buf, size_t len)
{
  size_t n = 0;
  buf[0]   = '\0';
  for (size_t i = 0; i < access_count() && n < len; i++) {
    int w = snprintf(buf + n, len - n, "%s%s", i ? " " : "", access_get(i)->name);
    n += w > 0 ? (size_t)w : 0;
  }
}

/* Bytes a mode's block takes in the mode area: its size rounded up to the strictest alignment of a field. */
static size_t block_size(const struct access_ops* ops)
{
  size_t a = alignof(max_align_t);
  return (ops->params_size + a - 1) / a * a;
}

static size_t layout_end(void)
{
  size_t end = 0;
  for (size_t i = 0; i < access_count(); i++)
    end += block_size(access_get(i));
  return end;
}

size_t access_params_offset(const struct access_ops* ops)
{
  xbt_assert(layout_end() <= PARAMS_MODE_AREA, "the access modes' parameters need %zu bytes: raise PARAMS_MODE_AREA",
             layout_end());
  layout_fixed = 1;
  size_t off   = offsetof(params_t, mode_area);
  for (size_t i = 0; i < access_count(); i++) {
    if (access_get(i) == ops)
      return off;
    off += block_size(access_get(i));
  }
  xbt_die("access mode %s is not registered", ops->name);
}

const void* access_params(const params_t* p, const struct access_ops* ops)
{
  return (const char*)p + access_params_offset(ops);
}

int access_register(const struct access_ops* ops)
{
  if (layout_fixed || nextra == EXTRA_MAX || access_find(ops->name) != NULL ||
      layout_end() + block_size(ops) > PARAMS_MODE_AREA)
    return -1;
  extra[nextra++] = ops;
  return 0;
}
