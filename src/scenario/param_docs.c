/* param_docs: the schema's attribute declarations and the documentation's reference tables, generated from the
 * parameter table, compared with committed copies and rewritten in them. Everything goes through params_count() and
 * params_get(), so parameters added to the table (by an access mode, say) are covered without a list here. */
#include "scenario/param_docs.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/sysdep.h>

#include "scenario/param_table.h"

#define XSD_END "</xs:complexType>"
#define XSD_ATTRIBUTE "<xs:attribute "
#define MD_HEADER "| attribute | default | kind | valid | meaning |"
#define MD_CELLS 5
#define CELL_MAX 1024

/* ---------------------------------------------------------------------------------------------------------------- */
/* Text as lines */

typedef struct lines {
  char** v; /* each line without its '\n' */
  size_t n;
  int final_newline; /* the text ended with '\n' */
} lines_t;

static void lines_split(lines_t* l, const char* text)
{
  memset(l, 0, sizeof *l);
  size_t cap = 64;
  l->v       = xbt_new(char*, cap);
  for (const char* p = text; *p != '\0';) {
    const char* e = strchr(p, '\n');
    size_t n      = e != NULL ? (size_t)(e - p) : strlen(p);
    if (l->n == cap) {
      cap *= 2;
      l->v = xbt_realloc(l->v, cap * sizeof *l->v);
    }
    l->v[l->n] = xbt_malloc(n + 1);
    memcpy(l->v[l->n], p, n);
    l->v[l->n][n] = '\0';
    l->n++;
    l->final_newline = e != NULL;
    p += n + (e != NULL ? 1 : 0);
  }
}

static void lines_free(lines_t* l)
{
  for (size_t i = 0; i < l->n; i++)
    free(l->v[i]);
  free(l->v);
  memset(l, 0, sizeof *l);
}

/* Replaces lines [from, to) by the k lines of add (copied). */
static void lines_splice(lines_t* l, size_t from, size_t to, char* const* add, size_t k)
{
  for (size_t i = from; i < to; i++)
    free(l->v[i]);
  size_t n = l->n - (to - from) + k;
  char** v = xbt_new(char*, n > 0 ? n : 1);
  memcpy(v, l->v, from * sizeof *v);
  for (size_t i = 0; i < k; i++)
    v[from + i] = xbt_strdup(add[i]);
  memcpy(v + from + k, l->v + to, (l->n - to) * sizeof *v);
  free(l->v);
  l->v = v;
  l->n = n;
}

static char* lines_join(const lines_t* l)
{
  char* buf  = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&buf, &len);
  xbt_assert(f != NULL, "out of memory");
  for (size_t i = 0; i < l->n; i++)
    fprintf(f, "%s%s", l->v[i], (i + 1 < l->n || l->final_newline) ? "\n" : "");
  fclose(f);
  return buf;
}

static int is_blank(char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

/* The line without leading and trailing blanks, into out. */
static void trimmed(const char* line, char* out, size_t len)
{
  while (is_blank(*line))
    line++;
  size_t n = strlen(line);
  while (n > 0 && is_blank(line[n - 1]))
    n--;
  snprintf(out, len, "%.*s", (int)n, line);
}

static int trimmed_is(const char* line, const char* s)
{
  char t[CELL_MAX];
  trimmed(line, t, sizeof t);
  return strcmp(t, s) == 0;
}

static int trimmed_starts(const char* line, const char* prefix)
{
  while (is_blank(*line))
    line++;
  return strncmp(line, prefix, strlen(prefix)) == 0;
}

/* The leading blanks of line. */
static void indentation(const char* line, char* out, size_t len)
{
  size_t n = 0;
  while (is_blank(line[n]))
    n++;
  snprintf(out, len, "%.*s", (int)n, line);
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* What the table says */

/** One attribute of a reference, with the fields compared (one for the schema, four for the documentation). */
typedef struct entry {
  char key[128];
  char field[MD_CELLS - 1][CELL_MAX];
} entry_t;

/* The parameters of element el, in table order, into out (at most max); returns how many. */
static size_t params_of(const char* el, const param_desc_t** out, size_t max)
{
  size_t n = 0;
  for (size_t i = 0; i < params_count() && n < max; i++)
    if (strcmp(params_get(i)->element, el) == 0)
      out[n++] = params_get(i);
  return n;
}

static void xsd_declaration(const param_desc_t* d, char* out, size_t len)
{
  snprintf(out, len, "<xs:attribute name=\"%s\" type=\"xs:string\"%s/>", d->attribute,
           params_is_required(d) ? " use=\"required\"" : "");
}

/* s with '|' escaped for a Markdown table cell. */
static void md_cell(const char* s, char* out, size_t len)
{
  size_t n = 0;
  for (; *s != '\0' && n + 3 < len; s++) {
    if (*s == '|')
      out[n++] = '\\';
    out[n++] = *s;
  }
  out[n] = '\0';
}

static void md_entry(const param_desc_t* d, entry_t* e)
{
  char text[CELL_MAX];
  snprintf(e->key, sizeof e->key, "%s", d->attribute);
  if (d->default_text == NULL || d->default_text[0] == '\0')
    snprintf(text, sizeof text, "(none)");
  else
    snprintf(text, sizeof text, "`%s`", d->default_text);
  md_cell(text, e->field[0], sizeof e->field[0]);
  md_cell(params_kind_name(d->kind), e->field[1], sizeof e->field[1]);
  params_describe_range(d, text, sizeof text);
  md_cell(text, e->field[2], sizeof e->field[2]);
  md_cell(d->doc, e->field[3], sizeof e->field[3]);
}

static void md_row(const entry_t* e, char* out, size_t len)
{
  snprintf(out, len, "| `%s` | %s | %s | %s | %s |", e->key, e->field[0], e->field[1], e->field[2], e->field[3]);
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* Comparing what a file lists with what the table gives */

/** Where differences are reported. */
typedef struct report {
  FILE* out;
  const char* name;
  const char* el;
  size_t count;
} report_t;

static void report(report_t* r, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

static void report(report_t* r, const char* fmt, ...)
{
  r->count++;
  if (r->out == NULL)
    return;
  fprintf(r->out, "%s: <%s>: ", r->name, r->el);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(r->out, fmt, ap);
  va_end(ap);
  fputc('\n', r->out);
}

static long find_entry(const entry_t* v, size_t n, const char* key)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(v[i].key, key) == 0)
      return (long)i;
  return -1;
}

/* Reports every attribute missing from have, extra or repeated in it, and every field that differs; when both list
 * the same attributes, an order that is not the table's. */
static void compare(report_t* r, const entry_t* want, size_t nw, const entry_t* have, size_t nh,
                    const char* const* fields, size_t nf)
{
  size_t before = r->count;
  for (size_t i = 0; i < nw; i++)
    if (find_entry(have, nh, want[i].key) < 0)
      report(r, "attribute \"%s\" is missing (parameter %s.%s of the table)", want[i].key, r->el, want[i].key);
  for (size_t i = 0; i < nh; i++) {
    long first = find_entry(have, nh, have[i].key);
    long w     = find_entry(want, nw, have[i].key);
    if (first != (long)i)
      report(r, "attribute \"%s\" is listed twice", have[i].key);
    else if (w < 0)
      report(r, "attribute \"%s\" is not a parameter of the table (no %s.%s)", have[i].key, r->el, have[i].key);
    else
      for (size_t f = 0; f < nf; f++)
        if (strcmp(have[i].field[f], want[w].field[f]) != 0)
          report(r, "attribute \"%s\": %s is \"%s\", the table gives \"%s\"", have[i].key, fields[f], have[i].field[f],
                 want[w].field[f]);
  }
  if (r->count == before && nh == nw)
    for (size_t i = 0; i < nw; i++)
      if (strcmp(have[i].key, want[i].key) != 0) {
        report(r, "attributes are not in the table's order: \"%s\" where the table has \"%s\"", have[i].key,
               want[i].key);
        break;
      }
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* The schema */

/* The lines [*open, *close] of element el's type: <xs:complexType name="elType"> ... </xs:complexType>, or, for a
 * global element with its type inside (the root), <xs:element name="el"> down to the first </xs:complexType>.
 * Returns 0, or -1 when there is none. */
static int xsd_block(const lines_t* l, const char* el, size_t* open, size_t* close)
{
  char type[160];
  char element[160];
  snprintf(type, sizeof type, "<xs:complexType name=\"%sType\">", el);
  snprintf(element, sizeof element, "<xs:element name=\"%s\">", el);
  size_t i = 0;
  while (i < l->n && !trimmed_is(l->v[i], type))
    i++;
  if (i == l->n) {
    i = 0;
    while (i < l->n && !trimmed_is(l->v[i], element))
      i++;
  }
  size_t j = i;
  while (j < l->n && !trimmed_is(l->v[j], XSD_END))
    j++;
  if (j >= l->n)
    return -1;
  *open  = i;
  *close = j;
  return 0;
}

/* The name="..." of a declaration line. */
static void xsd_name(const char* line, char* out, size_t len)
{
  const char* p = strstr(line, "name=\"");
  const char* e = p != NULL ? strchr(p + 6, '"') : NULL;
  if (e == NULL)
    snprintf(out, len, "(no name)");
  else
    snprintf(out, len, "%.*s", (int)(e - p - 6), p + 6);
}

size_t param_docs_check_xsd(const char* xsd, const char* name, FILE* out)
{
  static const char* const fields[] = {"the declaration"};
  report_t r                        = {.out = out, .name = name};
  lines_t l;
  lines_split(&l, xsd);
  entry_t* want = xbt_new0(entry_t, params_count());
  entry_t* have = NULL;
  for (size_t e = 0; e < params_element_count(); e++) {
    r.el = params_element(e);
    size_t open;
    size_t close;
    if (xsd_block(&l, r.el, &open, &close) != 0) {
      report(&r, "no <xs:complexType name=\"%sType\"> holds its attributes", r.el);
      continue;
    }
    const param_desc_t* ds[PARAMS_MAX_KEYS];
    size_t nw = params_of(r.el, ds, PARAMS_MAX_KEYS);
    for (size_t i = 0; i < nw; i++) {
      snprintf(want[i].key, sizeof want[i].key, "%s", ds[i]->attribute);
      xsd_declaration(ds[i], want[i].field[0], sizeof want[i].field[0]);
    }
    size_t nh = 0;
    have      = xbt_realloc(have, (close - open + 1) * sizeof *have);
    for (size_t i = open + 1; i < close; i++)
      if (trimmed_starts(l.v[i], XSD_ATTRIBUTE)) {
        xsd_name(l.v[i], have[nh].key, sizeof have[nh].key);
        trimmed(l.v[i], have[nh].field[0], sizeof have[nh].field[0]);
        nh++;
      }
    compare(&r, want, nw, have, nh, fields, 1);
  }
  free(have);
  free(want);
  lines_free(&l);
  return r.count;
}

char* param_docs_update_xsd(const char* xsd, char* err, size_t len)
{
  lines_t l;
  lines_split(&l, xsd);
  for (size_t e = 0; e < params_element_count(); e++) {
    const char* el = params_element(e);
    size_t open;
    size_t close;
    if (xsd_block(&l, el, &open, &close) != 0) {
      snprintf(err, len, "<%s>: no <xs:complexType name=\"%sType\"> to hold its attributes", el, el);
      lines_free(&l);
      return NULL;
    }
    /* the declarations replace the first to the last <xs:attribute> line, or go before </xs:complexType> */
    size_t first = close;
    size_t last  = close;
    for (size_t i = open + 1; i < close; i++)
      if (trimmed_starts(l.v[i], XSD_ATTRIBUTE)) {
        first = first == close ? i : first;
        last  = i + 1;
      }
    char indent[64];
    if (first < close)
      indentation(l.v[first], indent, sizeof indent);
    else {
      indentation(l.v[close], indent, sizeof indent - 2);
      strcat(indent, "  ");
    }
    const param_desc_t* ds[PARAMS_MAX_KEYS];
    size_t n     = params_of(el, ds, PARAMS_MAX_KEYS);
    char** lines = xbt_new(char*, n > 0 ? n : 1);
    for (size_t i = 0; i < n; i++) {
      char decl[CELL_MAX];
      char line[CELL_MAX + 64];
      xsd_declaration(ds[i], decl, sizeof decl);
      snprintf(line, sizeof line, "%s%s", indent, decl);
      lines[i] = xbt_strdup(line);
    }
    lines_splice(&l, first, last, lines, n);
    for (size_t i = 0; i < n; i++)
      free(lines[i]);
    free(lines);
  }
  char* text = lines_join(&l);
  lines_free(&l);
  return text;
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* The documentation */

/* The heading of element el's section. */
static void md_heading(const char* el, char* out, size_t len)
{
  snprintf(out, len, "## `<%s>`", el);
}

/* The element of a heading "## `<el>`", into out; 0, or -1 for another line. */
static int md_heading_element(const char* line, char* out, size_t len)
{
  size_t n = strlen(line);
  if (strncmp(line, "## `<", 5) != 0 || n < 8 || strcmp(line + n - 2, ">`") != 0)
    return -1;
  snprintf(out, len, "%.*s", (int)(n - 7), line + 5);
  return 0;
}

/* The rows [*first, *end) of the parameter table in the section that starts at line heading (the rows may be none).
 * Returns 0, or -1 when the section has no parameter table. */
static int md_rows(const lines_t* l, size_t heading, size_t* first, size_t* end)
{
  size_t i = heading + 1;
  while (i < l->n && strncmp(l->v[i], "## ", 3) != 0 && !trimmed_is(l->v[i], MD_HEADER))
    i++;
  if (i + 1 >= l->n || !trimmed_is(l->v[i], MD_HEADER) || !trimmed_starts(l->v[i + 1], "|-"))
    return -1;
  *first = i + 2;
  *end   = *first;
  while (*end < l->n && trimmed_starts(l->v[*end], "|"))
    (*end)++;
  return 0;
}

/* The section of element el: the line of its heading, or -1. */
static long md_section(const lines_t* l, const char* el)
{
  char heading[160];
  md_heading(el, heading, sizeof heading);
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->v[i], heading) == 0)
      return (long)i;
  return -1;
}

/* Splits a table row into its cells (blanks around them removed; "\|" does not split). Returns the cell count. */
static size_t md_split(const char* row, char cells[][CELL_MAX], size_t max)
{
  char t[4 * CELL_MAX];
  trimmed(row, t, sizeof t);
  size_t n = strlen(t);
  if (n < 2 || t[0] != '|' || t[n - 1] != '|')
    return 0;
  t[n - 1]      = '\0';
  size_t k      = 0;
  const char* s = t + 1;
  while (k < max) {
    const char* e = s;
    while (*e != '\0' && !(*e == '|' && e[-1] != '\\'))
      e++;
    char cell[CELL_MAX];
    snprintf(cell, sizeof cell, "%.*s", (int)(e - s), s);
    trimmed(cell, cells[k], CELL_MAX);
    k++;
    if (*e == '\0')
      break;
    s = e + 1;
  }
  return k;
}

/* The attribute of a first cell "`name`". */
static void md_key(const char* cell, char* out, size_t len)
{
  size_t n = strlen(cell);
  if (n >= 2 && cell[0] == '`' && cell[n - 1] == '`')
    snprintf(out, len, "%.*s", (int)(n - 2), cell + 1);
  else
    snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), cell);
}

/* The rows [first, end) of a parameter table read into have; a line that is not a row of five cells is reported.
 * Returns the number of rows read. */
static size_t md_entries(report_t* r, const lines_t* l, size_t first, size_t end, entry_t* have)
{
  size_t nh = 0;
  for (size_t i = first; i < end; i++) {
    char cells[MD_CELLS + 1][CELL_MAX];
    if (md_split(l->v[i], cells, MD_CELLS + 1) != MD_CELLS) {
      report(r, "line %zu is not a row of %d cells: %s", i + 1, MD_CELLS, l->v[i]);
      continue;
    }
    md_key(cells[0], have[nh].key, sizeof have[nh].key);
    for (size_t f = 1; f < MD_CELLS; f++)
      snprintf(have[nh].field[f - 1], CELL_MAX, "%s", cells[f]);
    nh++;
  }
  return nh;
}

size_t param_docs_check_markdown(const char* md, const char* name, FILE* out)
{
  static const char* const fields[] = {"the default", "the kind", "the valid range", "the meaning"};
  report_t r                        = {.out = out, .name = name};
  lines_t l;
  lines_split(&l, md);
  entry_t* want = xbt_new0(entry_t, params_count());
  entry_t* have = NULL;
  for (size_t e = 0; e < params_element_count(); e++) {
    r.el         = params_element(e);
    long heading = md_section(&l, r.el);
    size_t first;
    size_t end;
    if (heading < 0) {
      report(&r, "no section \"## `<%s>`\"", r.el);
      continue;
    }
    if (md_rows(&l, (size_t)heading, &first, &end) != 0) {
      report(&r, "its section has no table headed \"%s\"", MD_HEADER);
      continue;
    }
    const param_desc_t* ds[PARAMS_MAX_KEYS];
    size_t nw = params_of(r.el, ds, PARAMS_MAX_KEYS);
    for (size_t i = 0; i < nw; i++)
      md_entry(ds[i], &want[i]);
    have      = xbt_realloc(have, (end - first + 1) * sizeof *have);
    size_t nh = md_entries(&r, &l, first, end, have);
    compare(&r, want, nw, have, nh, fields, MD_CELLS - 1);
  }
  /* a parameter table under an element that has no parameter (any more) */
  for (size_t i = 0; i < l.n; i++) {
    char el[128];
    size_t first;
    size_t end;
    if (md_heading_element(l.v[i], el, sizeof el) == 0 && !params_is_element(el) && md_rows(&l, i, &first, &end) == 0) {
      r.el = el;
      report(&r, "its section lists parameters, but the table has none for <%s>", el);
    }
  }
  free(have);
  free(want);
  lines_free(&l);
  return r.count;
}

char* param_docs_update_markdown(const char* md, char* err, size_t len)
{
  lines_t l;
  lines_split(&l, md);
  for (size_t e = 0; e < params_element_count(); e++) {
    const char* el = params_element(e);
    long heading   = md_section(&l, el);
    size_t first;
    size_t end;
    if (heading < 0 || md_rows(&l, (size_t)heading, &first, &end) != 0) {
      snprintf(err, len, "<%s>: %s", el,
               heading < 0 ? "no section \"## `<element>`\" to hold its table; write one (heading, a line, the table "
                             "header and separator)"
                           : "its section has no table header \"" MD_HEADER "\" and separator");
      lines_free(&l);
      return NULL;
    }
    const param_desc_t* ds[PARAMS_MAX_KEYS];
    size_t n    = params_of(el, ds, PARAMS_MAX_KEYS);
    char** rows = xbt_new(char*, n > 0 ? n : 1);
    for (size_t i = 0; i < n; i++) {
      entry_t entry;
      char row[MD_CELLS * CELL_MAX];
      md_entry(ds[i], &entry);
      md_row(&entry, row, sizeof row);
      rows[i] = xbt_strdup(row);
    }
    lines_splice(&l, first, end, rows, n);
    for (size_t i = 0; i < n; i++)
      free(rows[i]);
    free(rows);
  }
  char* text = lines_join(&l);
  lines_free(&l);
  return text;
}
