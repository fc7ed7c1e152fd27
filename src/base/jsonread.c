/* jsonread: a recursive-descent JSON reader building a small tree (see jsonread.h). */
#include "base/jsonread.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

struct s_json {
  json_type_t type;
  double number;
  char* text;    /* JSON_STRING */
  size_t n, cap; /* elements or members */
  char** keys;   /* JSON_OBJECT */
  json_t* items; /* JSON_ARRAY and JSON_OBJECT */
};

typedef struct parser {
  const char* start;
  const char* p;
  char* err;
  size_t errlen;
  int failed;
} parser_t;

static void fail(parser_t* ps, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(parser_t* ps, const char* fmt, ...)
{
  if (ps->failed)
    return;
  ps->failed = 1;
  int line   = 1;
  for (const char* c = ps->start; c < ps->p; c++)
    line += *c == '\n';
  char what[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  if (ps->err != NULL)
    snprintf(ps->err, ps->errlen, "line %d: %s", line, what);
}

static json_t node(json_type_t t)
{
  json_t v = calloc(1, sizeof *v);
  if (v == NULL)
    abort();
  v->type = t;
  return v;
}

static void append(json_t v, char* key, json_t item)
{
  if (v->n == v->cap) {
    v->cap   = v->cap ? 2 * v->cap : 8;
    v->items = realloc(v->items, v->cap * sizeof *v->items);
    if (v->type == JSON_OBJECT)
      v->keys = realloc(v->keys, v->cap * sizeof *v->keys);
    if (v->items == NULL || (v->type == JSON_OBJECT && v->keys == NULL))
      abort();
  }
  if (v->type == JSON_OBJECT)
    v->keys[v->n] = key;
  v->items[v->n++] = item;
}

static void skip_ws(parser_t* ps)
{
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
    ps->p++;
}

static int hex4(const char* s, unsigned* out)
{
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (unsigned)(c - 'A' + 10);
    else
      return -1;
  }
  *out = v;
  return 0;
}

static void put_utf8(char* out, size_t* n, unsigned cp)
{
  if (cp < 0x80) {
    out[(*n)++] = (char)cp;
  } else if (cp < 0x800) {
    out[(*n)++] = (char)(0xC0 | (cp >> 6));
    out[(*n)++] = (char)(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out[(*n)++] = (char)(0xE0 | (cp >> 12));
    out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[(*n)++] = (char)(0x80 | (cp & 0x3F));
  } else {
    out[(*n)++] = (char)(0xF0 | (cp >> 18));
    out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[(*n)++] = (char)(0x80 | (cp & 0x3F));
  }
}

/* A string literal at ps->p (on its opening quote); returns its decoded text (malloc'ed) or NULL. */
static char* parse_string(parser_t* ps)
{
  const char* q = ps->p + 1;
  size_t len    = 0;
  while (q[len] != '"' && q[len] != '\0')
    len += q[len] == '\\' && q[len + 1] != '\0' ? 2 : 1;
  if (q[len] != '"') {
    fail(ps, "unterminated string");
    return NULL;
  }
  char* out = malloc(len + 1); /* decoding never lengthens: \uXXXX (6) gives at most 3 bytes, a pair (12) 4 */
  if (out == NULL)
    abort();
  size_t n = 0;
  for (const char* c = q; c < q + len;) {
    if ((unsigned char)*c < 0x20) {
      ps->p = c;
      fail(ps, "control character in a string");
      free(out);
      return NULL;
    }
    if (*c != '\\') {
      out[n++] = *c++;
      continue;
    }
    c++;
    switch (*c) {
    case '"':
    case '\\':
    case '/':
      out[n++] = *c++;
      break;
    case 'b':
      out[n++] = '\b', c++;
      break;
    case 'f':
      out[n++] = '\f', c++;
      break;
    case 'n':
      out[n++] = '\n', c++;
      break;
    case 'r':
      out[n++] = '\r', c++;
      break;
    case 't':
      out[n++] = '\t', c++;
      break;
    case 'u': {
      unsigned cp, lo;
      if (c + 5 > q + len || hex4(c + 1, &cp) != 0) {
        ps->p = c;
        fail(ps, "bad \\u escape");
        free(out);
        return NULL;
      }
      c += 5;
      if (cp >= 0xD800 && cp < 0xDC00 && c + 6 <= q + len && c[0] == '\\' && c[1] == 'u' && hex4(c + 2, &lo) == 0 &&
          lo >= 0xDC00 && lo < 0xE000) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        c += 6;
      } else if (cp >= 0xD800 && cp < 0xE000) {
        cp = 0xFFFD; /* a lone surrogate */
      }
      if (cp == 0) {
        ps->p = c;
        fail(ps, "NUL in a string");
        free(out);
        return NULL;
      }
      put_utf8(out, &n, cp);
      break;
    }
    default:
      ps->p = c;
      fail(ps, "bad escape in a string");
      free(out);
      return NULL;
    }
  }
  out[n] = '\0';
  ps->p  = q + len + 1;
  return out;
}

static json_t parse_value(parser_t* ps, int depth);

static json_t parse_container(parser_t* ps, int depth, int object)
{
  json_t v   = node(object ? JSON_OBJECT : JSON_ARRAY);
  char close = object ? '}' : ']';
  ps->p++;
  skip_ws(ps);
  if (*ps->p == close) {
    ps->p++;
    return v;
  }
  for (;;) {
    char* key = NULL;
    skip_ws(ps);
    if (object) {
      if (*ps->p != '"') {
        fail(ps, "expected a member name");
        break;
      }
      if ((key = parse_string(ps)) == NULL)
        break;
      skip_ws(ps);
      if (*ps->p != ':') {
        fail(ps, "expected ':' after a member name");
        free(key);
        break;
      }
      ps->p++;
    }
    json_t item = parse_value(ps, depth + 1);
    if (item == NULL) {
      free(key);
      break;
    }
    append(v, key, item);
    skip_ws(ps);
    if (*ps->p == ',') {
      ps->p++;
      continue;
    }
    if (*ps->p == close) {
      ps->p++;
      return v;
    }
    fail(ps, "expected ',' or '%c'", close);
    break;
  }
  json_free(v);
  return NULL;
}

static json_t parse_value(parser_t* ps, int depth)
{
  skip_ws(ps);
  if (depth > MAX_DEPTH) {
    fail(ps, "nested deeper than %d levels", MAX_DEPTH);
    return NULL;
  }
  const char* c = ps->p;
  if (*c == '{' || *c == '[')
    return parse_container(ps, depth, *c == '{');
  if (*c == '"') {
    char* s = parse_string(ps);
    if (s == NULL)
      return NULL;
    json_t v = node(JSON_STRING);
    v->text  = s;
    return v;
  }
  static const struct {
    const char* word;
    json_type_t type;
    double value;
  } words[] = {{"true", JSON_BOOL, 1}, {"false", JSON_BOOL, 0}, {"null", JSON_NULL, 0}};
  for (size_t k = 0; k < 3; k++)
    if (strncmp(c, words[k].word, strlen(words[k].word)) == 0) {
      ps->p += strlen(words[k].word);
      json_t v  = node(words[k].type);
      v->number = words[k].value;
      return v;
    }
  /* a number, in JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  const char* d = c + (*c == '-');
  if (*d == '0')
    d++;
  else if (*d >= '1' && *d <= '9')
    d += strspn(d, "0123456789");
  else {
    fail(ps, "unexpected character '%c'", *c ? *c : '?');
    return NULL;
  }
  if (*d == '.') {
    size_t k = strspn(d + 1, "0123456789");
    if (k == 0) {
      fail(ps, "bad number");
      return NULL;
    }
    d += 1 + k;
  }
  if (*d == 'e' || *d == 'E') {
    d += 1 + (d[1] == '+' || d[1] == '-');
    size_t k = strspn(d, "0123456789");
    if (k == 0) {
      fail(ps, "bad number");
      return NULL;
    }
    d += k;
  }
  json_t v  = node(JSON_NUMBER);
  v->number = strtod(c, NULL);
  ps->p     = d;
  return v;
}

json_t json_parse(const char* text, char* err, size_t errlen)
{
  parser_t ps = {.start = text, .p = text, .err = err, .errlen = errlen};
  json_t v    = parse_value(&ps, 0);
  if (v != NULL) {
    skip_ws(&ps);
    if (*ps.p != '\0') {
      fail(&ps, "text after the value");
      json_free(v);
      v = NULL;
    }
  }
  return v;
}

void json_free(json_t v)
{
  if (v == NULL)
    return;
  for (size_t i = 0; i < v->n; i++) {
    json_free(v->items[i]);
    if (v->keys != NULL)
      free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->text);
  free(v);
}

json_type_t json_type(const_json_t v)
{
  return v != NULL ? v->type : JSON_NULL;
}

const_json_t json_get(const_json_t obj, const char* key)
{
  if (obj == NULL || obj->type != JSON_OBJECT)
    return NULL;
  for (size_t i = 0; i < obj->n; i++)
    if (strcmp(obj->keys[i], key) == 0)
      return obj->items[i];
  return NULL;
}

size_t json_size(const_json_t v)
{
  return v != NULL && (v->type == JSON_ARRAY || v->type == JSON_OBJECT) ? v->n : 0;
}

const_json_t json_at(const_json_t v, size_t i)
{
  return i < json_size(v) ? v->items[i] : NULL;
}

const char* json_key_at(const_json_t v, size_t i)
{
  return v != NULL && v->type == JSON_OBJECT && i < v->n ? v->keys[i] : NULL;
}

const char* json_string(const_json_t v)
{
  return v != NULL && v->type == JSON_STRING ? v->text : NULL;
}

double json_number(const_json_t v, double otherwise)
{
  return v != NULL && (v->type == JSON_NUMBER || v->type == JSON_BOOL) ? v->number : otherwise;
}

const char* json_get_string(const_json_t obj, const char* key)
{
  return json_string(json_get(obj, key));
}
