/* json: writing JSON values (strings escaped per RFC 8259, numbers that round-trip). */
#include "json.h"

#include <math.h>
#include <stdlib.h>

void json_write_string(FILE* out, const char* s)
{
  if (s == NULL) {
    fputs("null", out);
    return;
  }
  fputc('"', out);
  for (const unsigned char* p = (const unsigned char*)s; *p; p++) {
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
        if (*p < 0x20)
          fprintf(out, "\\u%04x", *p);
        else
          fputc(*p, out);
    }
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
