/* srcloc: line lookups in a document's text, for tags and attributes written over several lines. */
#include "scenario/srcloc.h"

#include <stdlib.h>
#include <string.h>
#include <xbt/sysdep.h>

struct s_srcloc {
  const char* text;
  size_t len;
  size_t* starts; /* starts[i]: offset of line i + 1; starts[nlines] = len */
  size_t nlines;
};

srcloc_t srcloc_create(const char* text, size_t len)
{
  srcloc_t loc = xbt_new0(s_srcloc_t, 1);
  loc->text    = text;
  loc->len     = len;
  loc->nlines  = 1;
  for (size_t i = 0; i < len; i++)
    loc->nlines += text[i] == '\n';
  loc->starts      = xbt_new(size_t, loc->nlines + 1);
  size_t n         = 0;
  loc->starts[n++] = 0;
  for (size_t i = 0; i < len; i++)
    if (text[i] == '\n')
      loc->starts[n++] = i + 1;
  loc->starts[n] = len;
  return loc;
}

void srcloc_free(srcloc_t loc)
{
  if (loc == NULL)
    return;
  free(loc->starts);
  free(loc);
}

/* 1-based line of an offset. */
static int line_of(const_srcloc_t loc, size_t offset)
{
  size_t lo = 0;
  size_t hi = loc->nlines; /* the line is in [lo, hi) */
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (loc->starts[mid] <= offset)
      lo = mid;
    else
      hi = mid;
  }
  return (int)lo + 1;
}

static int is_blank(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_name_end(char c)
{
  return is_blank(c) || c == '/' || c == '>';
}

/* Offset of the "<element" that starts the tag ending on line end_line, or -1. */
static long tag_offset(const_srcloc_t loc, int end_line, const char* element)
{
  if (loc == NULL || end_line <= 0 || (size_t)end_line > loc->nlines || element == NULL)
    return -1;
  size_t end = loc->starts[end_line]; /* end of that line */
  size_t n   = strlen(element);
  for (size_t i = end; i-- > 0;)
    if (loc->text[i] == '<' && i + 1 + n < loc->len && strncmp(loc->text + i + 1, element, n) == 0 &&
        is_name_end(loc->text[i + 1 + n]))
      return (long)i;
  return -1;
}

int srcloc_tag_line(const_srcloc_t loc, int end_line, const char* element)
{
  long tag = tag_offset(loc, end_line, element);
  return tag < 0 ? end_line : line_of(loc, (size_t)tag);
}

int srcloc_attribute_line(const_srcloc_t loc, int end_line, const char* element, const char* attribute)
{
  long tag = tag_offset(loc, end_line, element);
  if (tag < 0 || attribute == NULL || attribute[0] == '\0')
    return srcloc_tag_line(loc, end_line, element);
  size_t end = loc->starts[end_line];
  size_t n   = strlen(attribute);
  for (size_t i = (size_t)tag + 1; i + n <= end; i++) {
    if (is_blank(loc->text[i - 1]) && strncmp(loc->text + i, attribute, n) == 0) {
      size_t j = i + n;
      while (j < end && is_blank(loc->text[j]))
        j++;
      if (j < end && loc->text[j] == '=')
        return line_of(loc, i);
    }
  }
  return line_of(loc, (size_t)tag);
}
