/* sweep: the values of one sweep dimension, checked when added, and the cartesian product of dimensions. */
#include "scenario/sweep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/sysdep.h>

#define SWEEP_TEXT_MAX 512 /* longest case label */

/** One parameter setting of a case. */
typedef struct sweep_set {
  const param_desc_t* desc;
  char* written;
  char* effective;
  int line;
} sweep_set_t;

/** One value of a sweep of values, or one case of a sweep of cases. */
typedef struct sweep_value {
  char* written;   /* as the user wrote it, or the case label */
  char* effective; /* what the parameter is set to (values only) */
  char* csv;
  char* canonical;
  int line;
  sweep_set_t* sets; /* cases only */
  size_t nsets;
} sweep_value_t;

struct s_sweep {
  sweep_kind_t kind;
  char* name;
  const param_desc_t* desc; /* SWEEP_VALUES only */
  int line;
  sweep_value_t* values;
  size_t count;
  size_t capacity;
};

static sweep_t create(sweep_kind_t kind, const char* name, const param_desc_t* d, int line)
{
  sweep_t s = xbt_new0(s_sweep_t, 1);
  s->kind   = kind;
  s->name   = xbt_strdup(name);
  s->desc   = d;
  s->line   = line;
  return s;
}

sweep_t sweep_create_values(const param_desc_t* d, int line)
{
  xbt_assert(d != NULL, "a sweep of values needs a parameter");
  return create(SWEEP_VALUES, d->key, d, line);
}

sweep_t sweep_create_cases(const char* name, int line)
{
  return create(SWEEP_CASES, name, NULL, line);
}

void sweep_free(sweep_t s)
{
  if (s == NULL)
    return;
  for (size_t i = 0; i < s->count; i++) {
    sweep_value_t* v = &s->values[i];
    for (size_t k = 0; k < v->nsets; k++) {
      free(v->sets[k].written);
      free(v->sets[k].effective);
    }
    free(v->sets);
    free(v->written);
    free(v->effective);
    free(v->csv);
    free(v->canonical);
  }
  free(s->values);
  free(s->name);
  free(s);
}

/* What @p format writes for parameter @p d of @p p, whole whatever its length (a host list can be long). */
static char* format_whole(void (*format)(const params_t*, const param_desc_t*, char*, size_t), const params_t* p,
                          const param_desc_t* d)
{
  for (size_t len = 256;; len *= 2) {
    char* buf = xbt_malloc(len);
    format(p, d, buf, len);
    if (strlen(buf) + 1 < len)
      return buf;
    free(buf);
  }
}

static sweep_value_t* append(sweep_t s)
{
  if (s->count == s->capacity) {
    s->capacity = s->capacity ? 2 * s->capacity : 8;
    s->values   = xbt_realloc(s->values, s->capacity * sizeof *s->values);
  }
  sweep_value_t* v = &s->values[s->count++];
  memset(v, 0, sizeof *v);
  return v;
}

int sweep_add_value(sweep_t s, const char* written, const char* effective, char* err, size_t len)
{
  xbt_assert(s->kind == SWEEP_VALUES, "sweep_add_value on a sweep of cases");
  /* Check the value alone, against the defaults: ranges do not depend on other parameters. */
  params_t* scratch = xbt_new(params_t, 1);
  params_init(scratch);
  if (params_set(scratch, s->desc, effective, err, len) != 0) {
    free(scratch);
    return -1;
  }
  /* whole texts: two values are the same only if all of them is (two long host lists may share their start) */
  char* canonical = format_whole(params_format, scratch, s->desc);
  char* csv       = format_whole(params_format_csv, scratch, s->desc);
  free(scratch);
  for (size_t i = 0; i < s->count; i++)
    if (strcmp(s->values[i].canonical, canonical) == 0) {
      snprintf(err, len, "the same value as \"%.200s%s\" earlier in this sweep", s->values[i].written,
               strlen(s->values[i].written) > 200 ? "..." : "");
      if (strlen(canonical) < 200) {
        size_t n = strlen(err);
        snprintf(err + n, len - n, " (both are %s)", canonical);
      }
      free(canonical);
      free(csv);
      return -1;
    }
  sweep_value_t* v = append(s);
  v->written       = xbt_strdup(written);
  v->effective     = xbt_strdup(effective);
  v->canonical     = canonical;
  v->csv           = csv;
  v->line          = s->line;
  return 0;
}

int sweep_add_case(sweep_t s, const char* label, int line, char* err, size_t len)
{
  xbt_assert(s->kind == SWEEP_CASES, "sweep_add_case on a sweep of values");
  /* Labels become CSV fields and are compared by text: keep them one plain word. */
  if (label == NULL || label[0] == '\0') {
    snprintf(err, len, "empty case label");
    return -1;
  }
  for (const char* c = label; *c != '\0'; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' ||
          *c == '+' || *c == '-')) {
      snprintf(err, len, "character '%c' not allowed in a case label; use letters, digits, '.', '_', '+', '-'", *c);
      return -1;
    }
  if (strlen(label) >= SWEEP_TEXT_MAX) {
    snprintf(err, len, "case label too long");
    return -1;
  }
  for (size_t i = 0; i < s->count; i++)
    if (strcmp(s->values[i].written, label) == 0) {
      snprintf(err, len, "case label already used at line %d of this sweep; labels must be unique", s->values[i].line);
      return -1;
    }
  sweep_value_t* v = append(s);
  v->written       = xbt_strdup(label);
  v->csv           = xbt_strdup(label);
  v->canonical     = xbt_strdup(label);
  v->line          = line;
  return 0;
}

int sweep_add_set(sweep_t s, const param_desc_t* d, const char* written, const char* effective, int line, char* err,
                  size_t len)
{
  xbt_assert(s->kind == SWEEP_CASES && s->count > 0, "sweep_add_set needs a case to add to");
  sweep_value_t* v = &s->values[s->count - 1];
  for (size_t k = 0; k < v->nsets; k++)
    if (v->sets[k].desc == d) {
      snprintf(err, len, "%s is already set at line %d of this case", d->key, v->sets[k].line);
      return -1;
    }
  params_t* scratch = xbt_new(params_t, 1);
  params_init(scratch);
  int rc = params_set(scratch, d, effective, err, len);
  free(scratch);
  if (rc != 0)
    return -1;
  v->sets                     = xbt_realloc(v->sets, (v->nsets + 1) * sizeof *v->sets);
  v->sets[v->nsets].desc      = d;
  v->sets[v->nsets].written   = xbt_strdup(written);
  v->sets[v->nsets].effective = xbt_strdup(effective);
  v->sets[v->nsets].line      = line;
  v->nsets++;
  return 0;
}

sweep_kind_t sweep_kind(const_sweep_t s)
{
  return s->kind;
}

const char* sweep_name(const_sweep_t s)
{
  return s->name;
}

int sweep_line(const_sweep_t s)
{
  return s->line;
}

size_t sweep_size(const_sweep_t s)
{
  return s->count;
}

const char* sweep_value_text(const_sweep_t s, size_t i)
{
  return i < s->count ? s->values[i].written : NULL;
}

const char* sweep_value_csv(const_sweep_t s, size_t i)
{
  return i < s->count ? s->values[i].csv : NULL;
}

const char* sweep_value_canonical(const_sweep_t s, size_t i)
{
  return i < s->count ? s->values[i].canonical : NULL;
}

size_t sweep_case_set_count(const_sweep_t s, size_t i)
{
  return i < s->count ? s->values[i].nsets : 0;
}

const param_desc_t* sweep_case_set(const_sweep_t s, size_t i, size_t k, const char** written)
{
  if (i >= s->count || k >= s->values[i].nsets)
    return NULL;
  if (written != NULL)
    *written = s->values[i].sets[k].written;
  return s->values[i].sets[k].desc;
}

int sweep_apply(const_sweep_t s, size_t i, params_t* p, char* err, size_t len)
{
  xbt_assert(i < s->count, "sweep value %zu out of range (%zu values)", i, s->count);
  const sweep_value_t* v = &s->values[i];
  if (s->kind == SWEEP_VALUES)
    return params_set(p, s->desc, v->effective, err, len);
  for (size_t k = 0; k < v->nsets; k++)
    if (params_set(p, v->sets[k].desc, v->sets[k].effective, err, len) != 0)
      return -1;
  return 0;
}

int sweep_sets(const_sweep_t s, size_t i, const param_desc_t* d, int* line, const char** written)
{
  if (i >= s->count)
    return 0;
  const sweep_value_t* v = &s->values[i];
  if (s->kind == SWEEP_VALUES) {
    if (s->desc != d)
      return 0;
    if (line != NULL)
      *line = s->line;
    if (written != NULL)
      *written = v->written;
    return 1;
  }
  for (size_t k = 0; k < v->nsets; k++)
    if (v->sets[k].desc == d) {
      if (line != NULL)
        *line = v->sets[k].line;
      if (written != NULL)
        *written = v->sets[k].written;
      return 1;
    }
  return 0;
}

int sweep_touches(const_sweep_t s, const param_desc_t* d)
{
  for (size_t i = 0; i < s->count; i++)
    if (sweep_sets(s, i, d, NULL, NULL))
      return 1;
  return s->kind == SWEEP_VALUES && s->desc == d;
}

size_t sweep_combinations(const const_sweep_t* dims, size_t n, size_t cap)
{
  size_t total = 1;
  for (size_t d = 0; d < n; d++) {
    size_t k = dims[d]->count;
    if (k == 0)
      return 0;
    if (total > cap / k)
      return 0;
    total *= k;
  }
  return total <= cap ? total : 0;
}

void sweep_decompose(const const_sweep_t* dims, size_t n, size_t c, size_t* digits)
{
  for (size_t d = n; d-- > 0;) {
    digits[d] = c % dims[d]->count;
    c /= dims[d]->count;
  }
}
