/* shard: selections of points (--shard, --points), their parts' names, and lists of points as ranges. */
#include "run/shard.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

unsigned long long shard_fnv(unsigned long long h, const void* data, size_t len)
{
  const unsigned char* p = data;
  for (size_t i = 0; i < len; i++) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

/* A whole number of digits only at *p, advanced past it; -1 when there is none or it is too large. */
static long digits(const char** p)
{
  size_t n = strspn(*p, "0123456789");
  if (n == 0 || n > 9)
    return -1;
  long v = strtol(*p, NULL, 10);
  *p += n;
  return v;
}

/* Calls fn(a, b, data) for each item "a" or "a-b" of a --points list; returns -1 (with err) on bad syntax. */
static int each_range(const char* text, int (*fn)(long a, long b, void* data), void* data, char* err, size_t errlen)
{
  const char* p = text;
  if (*p == '\0') {
    snprintf(err, errlen, "--points needs a list of point indices and ranges (\"0-99,150\"), not an empty value");
    return -1;
  }
  for (;;) {
    const char* item = p;
    long a = digits(&p), b = a;
    if (a >= 0 && *p == '-') {
      p++;
      b = digits(&p);
    }
    if (a < 0 || b < 0 || (*p != ',' && *p != '\0')) {
      snprintf(err, errlen,
               "--points %s: \"%.*s\" is not a point index or a range a-b (whole numbers below 10^9, separated by "
               "commas, no blanks)",
               text, (int)strcspn(item, ","), item);
      return -1;
    }
    if (b < a) {
      snprintf(err, errlen, "--points %s: the range %ld-%ld runs backwards", text, a, b);
      return -1;
    }
    if (fn != NULL && fn(a, b, data) != 0)
      return -1;
    if (*p == '\0')
      return 0;
    p++;
  }
}

int shard_parse(const char* shard_text, const char* points_text, shard_t* out, char* err, size_t errlen)
{
  memset(out, 0, sizeof *out);
  if (shard_text != NULL && points_text != NULL) {
    snprintf(err, errlen, "--shard and --points both select points: give one of them");
    return -1;
  }
  if (shard_text != NULL) {
    const char* p = shard_text;
    long k        = digits(&p);
    long n        = *p == '/' ? (p++, digits(&p)) : -1;
    if (k < 0 || n < 0 || *p != '\0') {
      snprintf(err, errlen, "--shard needs K/N (this run takes the points i with i mod N = K), not '%s'", shard_text);
      return -1;
    }
    if (n < 1 || (unsigned long)n > SHARD_MAX || k >= n) {
      snprintf(err, errlen, "--shard %s: N must be from 1 to %lu and K from 0 to N-1", shard_text, SHARD_MAX);
      return -1;
    }
    out->kind = SHARD_MODULO;
    out->k    = (unsigned long)k;
    out->n    = (unsigned long)n;
    return 0;
  }
  if (points_text != NULL) {
    if (each_range(points_text, NULL, NULL, err, errlen) != 0)
      return -1;
    out->kind = SHARD_LIST;
    out->list = points_text;
    return 0;
  }
  out->kind = SHARD_ALL;
  return 0;
}

typedef struct mask_fill {
  unsigned char* mask;
  size_t n;
  const char* text;
  char* err;
  size_t errlen;
} mask_fill_t;

static int fill_range(long a, long b, void* data)
{
  mask_fill_t* m = data;
  if ((size_t)b >= m->n) {
    snprintf(m->err, m->errlen, "--points %s: point %ld is not a point of this scenario, which has %zu (0 to %zu)",
             m->text, (size_t)a >= m->n ? a : b, m->n, m->n - 1);
    return -1;
  }
  memset(m->mask + a, 1, (size_t)(b - a + 1));
  return 0;
}

unsigned char* shard_mask(const shard_t* s, size_t npoints, char* err, size_t errlen)
{
  unsigned char* mask = calloc(npoints + 1, 1);
  if (mask == NULL)
    abort();
  if (s->kind == SHARD_ALL) {
    memset(mask, 1, npoints);
  } else if (s->kind == SHARD_MODULO) {
    for (size_t i = s->k; i < npoints; i += s->n)
      mask[i] = 1;
  } else {
    mask_fill_t m = {mask, npoints, s->list, err, errlen};
    if (each_range(s->list, fill_range, &m, err, errlen) != 0) {
      free(mask);
      return NULL;
    }
  }
  return mask;
}

/* The list in canonical form: sorted, merged ranges, as shard_write_ranges writes them. */
static char* canonical_list(const char* text)
{
  /* the largest index bounds the mask; indices were checked to be below 10^9, so bound it by the list's own maximum */
  long max = 0;
  for (const char* p = text; *p;) {
    if (*p >= '0' && *p <= '9') {
      long v = strtol(p, (char**)&p, 10);
      if (v > max)
        max = v;
    } else {
      p++;
    }
  }
  char dummy[8];
  unsigned char* mask = shard_mask(&(shard_t){.kind = SHARD_LIST, .list = text}, (size_t)max + 1, dummy, sizeof dummy);
  char* out           = NULL;
  size_t len          = 0;
  FILE* f             = open_memstream(&out, &len);
  if (mask != NULL)
    shard_write_ranges(f, mask, (size_t)max + 1, 0);
  fclose(f);
  free(mask);
  return out;
}

const char* shard_part_name(const shard_t* s)
{
  shard_t* w = (shard_t*)s; /* the name is computed once, into the selection itself */
  if (s->kind == SHARD_ALL)
    return "";
  if (s->kind == SHARD_MODULO) {
    snprintf(w->canonical, sizeof w->canonical, "shard-%lu-of-%lu", s->k, s->n);
    return s->canonical;
  }
  if (s->canonical[0] == '\0') {
    char* c = canonical_list(s->list);
    for (char* p = c; *p; p++)
      if (*p == ',')
        *p = '+';
    if (strlen(c) <= 40) {
      snprintf(w->canonical, sizeof w->canonical, "points-%s", c);
    } else {
      unsigned long long h = shard_fnv(SHARD_FNV_START, c, strlen(c));
      long first = strtol(c, NULL, 10), last = 0;
      const char* tail = c + strlen(c);
      while (tail > c && tail[-1] >= '0' && tail[-1] <= '9')
        tail--;
      last = strtol(tail, NULL, 10);
      snprintf(w->canonical, sizeof w->canonical, "points-%ld-%ld-%016llx", first, last, h);
    }
    free(c);
  }
  return s->canonical;
}

void shard_describe(const shard_t* s, char* buf, size_t len)
{
  if (s->kind == SHARD_MODULO)
    snprintf(buf, len, "--shard %lu/%lu", s->k, s->n);
  else if (s->kind == SHARD_LIST)
    snprintf(buf, len, "--points %s", s->list);
  else
    snprintf(buf, len, "%s", "");
}

size_t shard_write_ranges(FILE* out, const unsigned char* mask, size_t n, size_t max)
{
  size_t ranges = 0, points = 0, left = 0;
  for (size_t i = 0; i < n;) {
    if (!mask[i]) {
      i++;
      continue;
    }
    size_t j = i;
    while (j + 1 < n && mask[j + 1])
      j++;
    if (max == 0 || ranges < max) {
      if (ranges)
        fputc(',', out);
      if (j == i)
        fprintf(out, "%zu", i);
      else
        fprintf(out, "%zu-%zu", i, j);
    } else {
      left += j - i + 1;
    }
    ranges++;
    points += j - i + 1;
    i = j + 1;
  }
  if (left > 0)
    fprintf(out, " ... (%zu more point%s)", left, left > 1 ? "s" : "");
  return points;
}
