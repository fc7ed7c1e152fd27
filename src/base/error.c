/* error: formatting and filling the bad-input error record. */
#include "base/error.h"

#include <stdarg.h>
#include <string.h>
#include <xbt/log.h>

/* The root of every vnicsim log category: --log=vnicsim.thres:debug shows them all. */
XBT_LOG_NEW_CATEGORY(vnicsim, "vnicsim: virtualized NIC simulator");

static void copy_field(char* dst, size_t len, const char* src)
{
  if (src == NULL) {
    dst[0] = '\0';
    return;
  }
  snprintf(dst, len, "%s", src);
}

void vn_error_set(vn_error_t* err, const char* file, int line, const char* element, const char* attribute,
                  const char* value, const char* fmt, ...)
{
  if (err == NULL)
    return;
  copy_field(err->file, sizeof err->file, file);
  err->line = line;
  copy_field(err->element, sizeof err->element, element);
  copy_field(err->attribute, sizeof err->attribute, attribute);
  copy_field(err->value, sizeof err->value, value);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  if (err->message[0] == '\0') /* an error always says something */
    snprintf(err->message, sizeof err->message, "invalid input");
}

void vn_error_clear(vn_error_t* err)
{
  if (err != NULL)
    memset(err, 0, sizeof *err);
}

int vn_error_is_set(const vn_error_t* err)
{
  return err != NULL && err->message[0] != '\0';
}

void vn_error_format(const vn_error_t* err, char* buf, size_t len)
{
  size_t n = 0;
  buf[0]   = '\0';
#define APPEND(...)                                                                                                    \
  do {                                                                                                                 \
    if (n < len) {                                                                                                     \
      int w = snprintf(buf + n, len - n, __VA_ARGS__);                                                                 \
      n += (w > 0) ? (size_t)w : 0;                                                                                    \
    }                                                                                                                  \
  } while (0)
  if (err->file[0] != '\0') {
    APPEND("%s", err->file);
    if (err->line > 0)
      APPEND(":%d", err->line);
    APPEND(": ");
  }
  if (err->element[0] != '\0') {
    APPEND("<%s", err->element);
    if (err->attribute[0] != '\0')
      APPEND(" %s=\"%s\"", err->attribute, err->value);
    APPEND(">: ");
  } else if (err->attribute[0] != '\0') {
    APPEND("%s=\"%s\": ", err->attribute, err->value);
  } else if (err->value[0] != '\0') {
    APPEND("\"%s\": ", err->value);
  }
  APPEND("%s", err->message);
#undef APPEND
}

void vn_error_print(const vn_error_t* err, FILE* out)
{
  char buf[8192];
  vn_error_format(err, buf, sizeof buf);
  fprintf(out, "vnicsim: error: %s\n", buf);
}
