/* csv: an RFC 4180 CSV reader and field writer. */
#include "base/csv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct s_csv {
  char* name;
  char* text;      /* every decoded field, each NUL-terminated, one after the other */
  size_t text_len; /* bytes used in text */
  size_t text_cap;
  size_t* cells; /* offset in text of each field: the header's first, then the records' row by row */
  size_t ncells;
  size_t cells_cap;
  int* lines;      /* starting line of each record, the header's (1) first */
  size_t nrecords; /* the header included */
  size_t lines_cap;
  size_t ncols;
};

static int grow(void** buf, size_t* cap, size_t need, size_t elem)
{
  if (need <= *cap)
    return 0;
  size_t ncap = *cap ? *cap : 64;
  while (ncap < need)
    ncap *= 2;
  void* p = realloc(*buf, ncap * elem);
  if (p == NULL)
    return -1;
  *buf = p;
  *cap = ncap;
  return 0;
}

static int put_char(csv_t csv, char c)
{
  if (grow((void**)&csv->text, &csv->text_cap, csv->text_len + 1, 1) != 0)
    return -1;
  csv->text[csv->text_len++] = c;
  return 0;
}

static int start_field(csv_t csv)
{
  if (grow((void**)&csv->cells, &csv->cells_cap, csv->ncells + 1, sizeof *csv->cells) != 0)
    return -1;
  csv->cells[csv->ncells++] = csv->text_len;
  return 0;
}

static int start_record(csv_t csv, int line)
{
  if (grow((void**)&csv->lines, &csv->lines_cap, csv->nrecords + 1, sizeof *csv->lines) != 0)
    return -1;
  csv->lines[csv->nrecords++] = line;
  return 0;
}

static void no_memory(const csv_t csv, vn_error_t* err)
{
  vn_error_set(err, csv->name, 0, NULL, NULL, NULL, "out of memory while reading");
}

/* Ends the current record: the header fixes the column count, and every record must match it. */
static int end_record(csv_t csv, vn_error_t* err)
{
  size_t first   = csv->ncols * (csv->nrecords - 1);
  size_t nfields = csv->ncells - first;
  int line       = csv->lines[csv->nrecords - 1];
  if (csv->nrecords == 1) {
    csv->ncols = nfields;
    for (size_t i = 0; i < nfields; i++) {
      const char* h = csv->text + csv->cells[i];
      if (h[0] == '\0') {
        vn_error_set(err, csv->name, 1, NULL, NULL, NULL, "header field %zu is empty", i + 1);
        return -1;
      }
      for (size_t j = 0; j < i; j++)
        if (strcmp(h, csv->text + csv->cells[j]) == 0) {
          vn_error_set(err, csv->name, 1, NULL, NULL, h, "duplicate column name in the header");
          return -1;
        }
    }
    return 0;
  }
  if (nfields != csv->ncols) {
    vn_error_set(err, csv->name, line, NULL, NULL, NULL, "record has %zu field%s, the header has %zu", nfields,
                 nfields == 1 ? "" : "s", csv->ncols);
    return -1;
  }
  return 0;
}

/* A field-at-a-time state machine over the whole text. Fields are decoded (quotes removed, "" turned into ")
 * into csv->text. Line numbers count LF, CRLF and lone CR as one line end each, also inside quoted fields. */
static int parse(csv_t csv, const char* s, size_t len, vn_error_t* err)
{
  size_t i = 0;
  int line = 1;
  if (len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
    i = 3; /* UTF-8 byte order mark, as spreadsheets write it */

  while (i < len) {
    /* Start of a record: skip empty lines. */
    if (s[i] == '\n' || s[i] == '\r') {
      i += (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
      line++;
      continue;
    }
    int record_line = line;
    if (start_record(csv, record_line) != 0)
      goto oom;
    for (;;) { /* one field per iteration */
      if (start_field(csv) != 0)
        goto oom;
      if (i < len && s[i] == '"') {
        int quote_line = line;
        i++;
        for (;;) {
          if (i >= len) {
            vn_error_set(err, csv->name, quote_line, NULL, NULL, NULL, "quoted field is never closed");
            return -1;
          }
          if (s[i] == '"') {
            if (i + 1 < len && s[i + 1] == '"') { /* escaped quote */
              if (put_char(csv, '"') != 0)
                goto oom;
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (s[i] == '\0') {
            vn_error_set(err, csv->name, line, NULL, NULL, NULL, "NUL byte in the file");
            return -1;
          }
          if (s[i] == '\n' || (s[i] == '\r' && !(i + 1 < len && s[i + 1] == '\n')))
            line++;
          if (put_char(csv, s[i]) != 0)
            goto oom;
          i++;
        }
        if (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r') {
          vn_error_set(err, csv->name, line, NULL, NULL, NULL,
                       "unexpected character '%c' after a closing quote (a quote inside a quoted field is written "
                       "\"\")",
                       s[i]);
          return -1;
        }
      } else {
        while (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r') {
          if (s[i] == '"') {
            vn_error_set(err, csv->name, line, NULL, NULL, NULL,
                         "quote inside an unquoted field (quote the whole field and write the quote as \"\")");
            return -1;
          }
          if (s[i] == '\0') {
            vn_error_set(err, csv->name, line, NULL, NULL, NULL, "NUL byte in the file");
            return -1;
          }
          if (put_char(csv, s[i]) != 0)
            goto oom;
          i++;
        }
      }
      if (put_char(csv, '\0') != 0)
        goto oom;
      if (i < len && s[i] == ',') {
        i++;
        continue; /* a comma at the end of a line opens one more, empty, field */
      }
      break;
    }
    if (end_record(csv, err) != 0)
      return -1;
    if (i < len) { /* the line end of this record */
      i += (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
      line++;
    }
  }
  if (csv->nrecords == 0) {
    vn_error_set(err, csv->name, 0, NULL, NULL, NULL, "file is empty (no header line)");
    return -1;
  }
  return 0;
oom:
  no_memory(csv, err);
  return -1;
}

static csv_t csv_parse(const char* text, size_t len, const char* name, vn_error_t* err)
{
  csv_t csv = calloc(1, sizeof *csv);
  if (csv == NULL || (csv->name = strdup(name ? name : "(csv)")) == NULL) {
    free(csv);
    vn_error_set(err, name, 0, NULL, NULL, NULL, "out of memory while reading");
    return NULL;
  }
  if (parse(csv, text, len, err) != 0) {
    csv_free(csv);
    return NULL;
  }
  return csv;
}

csv_t csv_read_string(const char* text, const char* name, vn_error_t* err)
{
  return csv_parse(text, strlen(text), name, err);
}

csv_t csv_read_file(const char* path, vn_error_t* err)
{
  FILE* f = fopen(path, "rb");
  if (f == NULL) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot open: %s", strerror(errno));
    return NULL;
  }
  char* buf  = NULL;
  size_t len = 0;
  size_t cap = 0;
  for (;;) {
    if (grow((void**)&buf, &cap, len + 65536, 1) != 0) {
      fclose(f);
      free(buf);
      vn_error_set(err, path, 0, NULL, NULL, NULL, "out of memory while reading");
      return NULL;
    }
    size_t got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (got == 0)
      break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    vn_error_set(err, path, 0, NULL, NULL, NULL, "read error");
    return NULL;
  }
  csv_t csv = csv_parse(buf, len, path, err);
  free(buf);
  return csv;
}

void csv_free(csv_t csv)
{
  if (csv == NULL)
    return;
  free(csv->name);
  free(csv->text);
  free(csv->cells);
  free(csv->lines);
  free(csv);
}

const char* csv_name(const_csv_t csv)
{
  return csv->name;
}

size_t csv_column_count(const_csv_t csv)
{
  return csv->ncols;
}

const char* csv_column_name(const_csv_t csv, size_t col)
{
  return csv->text + csv->cells[col];
}

long csv_column_index(const_csv_t csv, const char* name)
{
  for (size_t c = 0; c < csv->ncols; c++)
    if (strcmp(csv_column_name(csv, c), name) == 0)
      return (long)c;
  return -1;
}

size_t csv_row_count(const_csv_t csv)
{
  return csv->nrecords - 1;
}

const char* csv_cell(const_csv_t csv, size_t row, size_t col)
{
  return csv->text + csv->cells[(row + 1) * csv->ncols + col];
}

int csv_row_line(const_csv_t csv, size_t row)
{
  return csv->lines[row + 1];
}

int csv_parse_double(const char* text, double* out)
{
  const char* p = text;
  while (isspace((unsigned char)*p))
    p++;
  if (*p == '\0')
    return 0;
  char* end;
  errno    = 0;
  double v = strtod(p, &end);
  if (end == p)
    return -1;
  while (isspace((unsigned char)*end))
    end++;
  if (*end != '\0')
    return -1;
  if (errno == ERANGE && fabs(v) > 1.0) /* overflow; underflow to a denormal or 0 is fine */
    return -1;
  *out = v;
  return 1;
}

void csv_write_field(FILE* out, const char* text)
{
  if (strpbrk(text, ",\"\r\n") == NULL) {
    fputs(text, out);
    return;
  }
  fputc('"', out);
  for (const char* p = text; *p; p++) {
    if (*p == '"')
      fputc('"', out);
    fputc(*p, out);
  }
  fputc('"', out);
}
