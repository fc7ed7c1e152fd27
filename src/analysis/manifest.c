/* manifest: the scenario name of a run directory, read from the manifest.json `vnicsim run` writes, with a small
 * JSON reader that walks object keys and skips every other value (no tree is built). */
#include "analysis/manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64           /* nesting beyond this is refused, so hostile input cannot exhaust the stack */
#define MAX_MANIFEST (1 << 24) /* 16 MiB: a manifest of a million points is about 150 MB; titles do not need it */

typedef struct {
  const char* p;
} cursor_t;

static void skip_ws(cursor_t* c)
{
  while (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')
    c->p++;
}

static int hex4(const char* s, unsigned* out)
{
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char ch = s[i];
    v <<= 4;
    if (ch >= '0' && ch <= '9')
      v |= (unsigned)(ch - '0');
    else if (ch >= 'a' && ch <= 'f')
      v |= (unsigned)(ch - 'a' + 10);
    else if (ch >= 'A' && ch <= 'F')
      v |= (unsigned)(ch - 'A' + 10);
    else
      return -1;
  }
  *out = v;
  return 0;
}

/* Appends code point @p cp as UTF-8 to @p buf (length *n, capacity len, always NUL-terminated). */
static void put_utf8(char* buf, size_t len, size_t* n, unsigned cp)
{
  char tmp[4];
  size_t k;
  if (cp < 0x80) {
    tmp[0] = (char)cp;
    k      = 1;
  } else if (cp < 0x800) {
    tmp[0] = (char)(0xC0 | (cp >> 6));
    tmp[1] = (char)(0x80 | (cp & 0x3F));
    k      = 2;
  } else if (cp < 0x10000) {
    tmp[0] = (char)(0xE0 | (cp >> 12));
    tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    tmp[2] = (char)(0x80 | (cp & 0x3F));
    k      = 3;
  } else {
    tmp[0] = (char)(0xF0 | (cp >> 18));
    tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    tmp[3] = (char)(0x80 | (cp & 0x3F));
    k      = 4;
  }
  if (buf == NULL || *n + k >= len) /* truncate on a whole character */
    return;
  memcpy(buf + *n, tmp, k);
  *n += k;
  buf[*n] = '\0';
}

/* A string at the cursor (which is on its opening quote), decoded into @p buf when not NULL. */
static int read_string(cursor_t* c, char* buf, size_t len)
{
  size_t n = 0;
  if (buf != NULL && len > 0)
    buf[0] = '\0';
  if (*c->p != '"')
    return -1;
  c->p++;
  for (;;) {
    unsigned char ch = (unsigned char)*c->p;
    if (ch == '\0' || ch < 0x20)
      return -1;
    c->p++;
    if (ch == '"')
      return 0;
    if (ch != '\\') {
      if (buf != NULL && n + 1 < len) {
        buf[n++] = (char)ch;
        buf[n]   = '\0';
      }
      continue;
    }
    char e = *c->p++;
    unsigned cp;
    switch (e) {
    case '"':
    case '\\':
    case '/':
      cp = (unsigned char)e;
      break;
    case 'b':
      cp = '\b';
      break;
    case 'f':
      cp = '\f';
      break;
    case 'n':
      cp = '\n';
      break;
    case 'r':
      cp = '\r';
      break;
    case 't':
      cp = '\t';
      break;
    case 'u':
      if (hex4(c->p, &cp) != 0)
        return -1;
      c->p += 4;
      if (cp >= 0xD800 && cp < 0xDC00) { /* a surrogate pair */
        unsigned lo;
        if (c->p[0] != '\\' || c->p[1] != 'u' || hex4(c->p + 2, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
          return -1;
        c->p += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      } else if (cp >= 0xDC00 && cp < 0xE000) {
        return -1;
      }
      break;
    default:
      return -1;
    }
    put_utf8(buf, len, &n, cp);
  }
}

static int skip_value(cursor_t* c, int depth);

/* Skips the members of an object or the elements of an array whose opening bracket is at the cursor. */
static int skip_container(cursor_t* c, int depth)
{
  char close = *c->p == '{' ? '}' : ']';
  int object = close == '}';
  c->p++;
  skip_ws(c);
  if (*c->p == close) {
    c->p++;
    return 0;
  }
  for (;;) {
    skip_ws(c);
    if (object) {
      if (read_string(c, NULL, 0) != 0)
        return -1;
      skip_ws(c);
      if (*c->p++ != ':')
        return -1;
    }
    if (skip_value(c, depth + 1) != 0)
      return -1;
    skip_ws(c);
    if (*c->p == ',') {
      c->p++;
      continue;
    }
    if (*c->p != close)
      return -1;
    c->p++;
    return 0;
  }
}

static int skip_value(cursor_t* c, int depth)
{
  if (depth > MAX_DEPTH)
    return -1;
  skip_ws(c);
  switch (*c->p) {
  case '"':
    return read_string(c, NULL, 0);
  case '{':
  case '[':
    return skip_container(c, depth);
  default: {
    /* a number or a literal: JSON's characters for them, at least one */
    const char* start = c->p;
    while (strchr("+-0123456789.eEtruefalsn", *c->p) != NULL && *c->p != '\0')
      c->p++;
    return c->p > start ? 0 : -1;
  }
  }
}

/* In the object at the cursor, the value of key @p keys[0]: recursively down the path; the string at its end into
 * @p buf. */
static int find(cursor_t* c, const char* const* keys, size_t nkeys, char* buf, size_t len, int depth)
{
  skip_ws(c);
  if (depth > MAX_DEPTH || *c->p != '{')
    return -1;
  c->p++;
  skip_ws(c);
  if (*c->p == '}')
    return -1;
  for (;;) {
    char key[256];
    skip_ws(c);
    if (read_string(c, key, sizeof key) != 0)
      return -1;
    skip_ws(c);
    if (*c->p++ != ':')
      return -1;
    skip_ws(c);
    if (strcmp(key, keys[0]) == 0) {
      if (nkeys > 1)
        return find(c, keys + 1, nkeys - 1, buf, len, depth + 1);
      return *c->p == '"' ? read_string(c, buf, len) : -1;
    }
    if (skip_value(c, depth + 1) != 0)
      return -1;
    skip_ws(c);
    if (*c->p == ',') {
      c->p++;
      continue;
    }
    return -1; /* the end of the object (or bad JSON): the key is not there */
  }
}

int manifest_json_string(const char* json, const char* const* keys, size_t nkeys, char* buf, size_t len)
{
  if (len > 0)
    buf[0] = '\0';
  if (nkeys == 0 || len == 0)
    return -1;
  cursor_t c = {json};
  int rc     = find(&c, keys, nkeys, buf, len, 0);
  if (rc != 0)
    buf[0] = '\0';
  return rc;
}

int manifest_scenario_name(const char* dir, char* buf, size_t len)
{
  if (len > 0)
    buf[0] = '\0';
  char path[4200];
  snprintf(path, sizeof path, "%s/manifest.json", dir);
  FILE* f = fopen(path, "rb");
  if (f == NULL)
    return -1;
  char* text = malloc(MAX_MANIFEST + 1);
  size_t n   = text != NULL ? fread(text, 1, MAX_MANIFEST, f) : 0;
  fclose(f);
  if (text == NULL)
    return -1;
  text[n] = '\0'; /* the scenario comes before the list of points: a cut tail does not matter */
  static const char* const path_keys[] = {"scenario", "scenario", "name"};
  int rc                               = manifest_json_string(text, path_keys, 3, buf, len);
  free(text);
  return rc;
}
