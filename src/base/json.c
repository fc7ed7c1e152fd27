/* json: writing JSON values (strings escaped per RFC 8259, numbers that round-trip). */
#include "base/json.h"

#include <math.h>
#include <stdlib.h>

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 if it is not one (overlong forms, surrogates and code
 * points above U+10FFFF are not valid). */
static size_t utf8_sequence(const unsigned char* p)
{
  if (p[0] < 0x80)
    return 1;
  size_t n;
  unsigned cp;
  if ((p[0] & 0xE0) == 0xC0) {
    n  = 2;
    cp = p[0] & 0x1F;
  } else if ((p[0] & 0xF0) == 0xE0) {
    n  = 3;
    cp = p[0] & 0x0F;
  } else if ((p[0] & 0xF8) == 0xF0) {
    n  = 4;
    cp = p[0] & 0x07;
  } else {
    return 0;
  }
  for (size_t i = 1; i < n; i++) {
    if ((p[i] & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  static const unsigned min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_cp[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

int json_utf8_valid(const char* s)
{
  for (const unsigned char* p = (const unsigned char*)s; *p;) {
    size_t n = utf8_sequence(p);
    if (n == 0)
      return 0;
    p += n;
  }
  return 1;
}

void json_write_string(FILE* out, const char* s)
{
  if (s == NULL) {
    fputs("null", out);
    return;
  }
  fputc('"', out);
  for (const unsigned char* p = (const unsigned char*)s; *p;) {
    size_t n = utf8_sequence(p);
    if (n == 0) { /* not UTF-8: JSON cannot carry the byte, say so with the replacement character */
      fputs("\\ufffd", out);
      p++;
      continue;
    }
    if (n > 1) {
      fwrite(p, 1, n, out);
      p += n;
      continue;
    }
    switch (*p) {
    case '"':
      fputs("\\\"", out);
      break;
    case '\\':
      fputs("\\\\", out);
      break;
    case '\n':
      fputs("\\n", out);
      break;
    case '\r':
      fputs("\\r", out);
      break;
    case '\t':
      fputs("\\t", out);
      break;
    default:
      if (*p < 0x20 || *p == 0x7f)
        fprintf(out, "\\u%04x", *p);
      else
        fputc(*p, out);
    }
    p++;
  }
  fputc('"', out);
}

void json_write_number(FILE* out, double v)
{
  if (!isfinite(v)) {
    fputs("null", out);
    return;
  }
  /* The shortest of %.15g..%.17g that reads back to the same double. */
  char buf[32];
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (strtod(buf, NULL) == v)
      break;
  }
  fputs(buf, out);
}
