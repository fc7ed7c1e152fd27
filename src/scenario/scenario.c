/* scenario: loading a scenario file safely (no DTD, no entities, no network), --set overrides, and its run points. */
#include "scenario/scenario.h"
#include "base/json.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xbt/asserts.h>
#include <xbt/sysdep.h>

#include "scenario_xsd.h"
#include "scenario/sweep.h"

#define SCENARIO_FILE_MAX (16 * 1024 * 1024) /* a scenario is a few kB; refuse anything absurd before parsing */
#define SET_FILE "--set"                     /* the "file" of an error in a command-line override */
#define ORIGIN_TEXT_MAX 512

/* The five elements that carry parameters, each at most once, in any order. */
static const char* const param_elements[] = {"platform", "nic", "access", "consumers", "workload", NULL};

typedef enum { ORIGIN_DEFAULT = 0, ORIGIN_FILE, ORIGIN_SET } origin_kind_t;
typedef struct source source_t;

/** Where the base value of one parameter came from, to point at it when a cross-field rule fails. */
typedef struct origin {
  origin_kind_t kind;
  int line;                   /* ORIGIN_FILE: line where the attribute is written */
  char text[ORIGIN_TEXT_MAX]; /* the value as written */
} origin_t;

struct s_scenario {
  char* path;
  char* dir; /* directory of the scenario file ("" when the path has no '/'); paths are resolved against it */
  params_t base;
  origin_t origin[PARAMS_MAX_KEYS];
  const source_t* src; /* the file's text, while it is being read */
  sweep_t sweeps[SCENARIO_MAX_SWEEPS];
  size_t nsweeps;
};

/* ---------------------------------------------------------------------------------------------------------------- */
/* Small helpers */

static const_sweep_t* dims_of(const_scenario_t sc)
{
  return (const_sweep_t*)sc->sweeps;
}

/* path resolved against the scenario's directory (absolute paths are kept). Returns 0, or -1 if too long. */
static int resolve_path(const_scenario_t sc, const char* path, char* out, size_t len)
{
  int n;
  if (path[0] == '/' || sc->dir[0] == '\0')
    n = snprintf(out, len, "%s", path);
  else
    n = snprintf(out, len, "%s/%s", sc->dir, path);
  return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

/* Checks that a platform file exists, is a regular file and can be read. Returns 0, or -1 with a reason. */
static int check_readable_file(const char* resolved, char* err, size_t len)
{
  struct stat st;
  if (stat(resolved, &st) != 0) {
    snprintf(err, len, "platform file \"%s\" cannot be found: %s (paths are relative to the scenario file)", resolved,
             strerror(errno));
    return -1;
  }
  if (S_ISDIR(st.st_mode)) {
    snprintf(err, len, "\"%s\" is a directory, not a platform file", resolved);
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    snprintf(err, len, "\"%s\" is not a regular file", resolved);
    return -1;
  }
  int fd = open(resolved, O_RDONLY);
  if (fd < 0) {
    snprintf(err, len, "platform file \"%s\" cannot be read: %s", resolved, strerror(errno));
    return -1;
  }
  close(fd);
  return 0;
}

/* The text a parameter is set to: a path is resolved against the scenario's directory and must be a readable file;
 * anything else is the text itself. Returns 0, or -1 with a reason. */
static int effective_value(const_scenario_t sc, const param_desc_t* d, const char* written, char* out, size_t len,
                           char* err, size_t errlen)
{
  if (d->kind != PARAM_PATH) {
    if (strlen(written) >= len) {
      snprintf(err, errlen, "value too long");
      return -1;
    }
    snprintf(out, len, "%s", written);
    return 0;
  }
  if (written[0] == '\0') {
    snprintf(err, errlen, "empty path");
    return -1;
  }
  if (resolve_path(sc, written, out, len) != 0) {
    snprintf(err, errlen, "path too long (at most %zu characters once resolved)", len - 1);
    return -1;
  }
  return check_readable_file(out, err, errlen);
}

static void set_origin(scenario_t sc, const param_desc_t* d, origin_kind_t kind, int line, const char* text)
{
  origin_t* o = &sc->origin[params_index(d)];
  o->kind     = kind;
  o->line     = line;
  snprintf(o->text, sizeof o->text, "%s", text);
}

/* Sets d in the base parameters from a written value; on error fills err with the location given. */
static int set_base(scenario_t sc, const param_desc_t* d, const char* written, origin_kind_t kind, int line,
                    const char* file, const char* element, const char* attribute, vn_error_t* err)
{
  char reason[1024];
  char* effective = xbt_malloc(PARAMS_PATH_MAX);
  int rc          = effective_value(sc, d, written, effective, PARAMS_PATH_MAX, reason, sizeof reason);
  if (rc == 0)
    rc = params_set(&sc->base, d, effective, reason, sizeof reason);
  free(effective);
  if (rc != 0) {
    vn_error_set(err, file, line, element, attribute, written, "%s", reason);
    return -1;
  }
  set_origin(sc, d, kind, line, written);
  return 0;
}

/* Total run points, or 0 with err filled when they exceed SCENARIO_MAX_POINTS. */
static size_t count_points(const_scenario_t sc, vn_error_t* err)
{
  size_t combos = sweep_combinations(dims_of(sc), sc->nsweeps, SCENARIO_MAX_POINTS);
  size_t reps   = (size_t)sc->base.replications;
  if (combos == 0 || reps > SCENARIO_MAX_POINTS / combos) {
    double total = (double)sc->base.replications;
    for (size_t d = 0; d < sc->nsweeps; d++)
      total *= (double)sweep_size(sc->sweeps[d]);
    const origin_t* o = &sc->origin[params_index(params_find("scenario.replications"))];
    if (sc->nsweeps > 0)
      vn_error_set(err, sc->path, sweep_line(sc->sweeps[sc->nsweeps - 1]), "sweep", NULL, NULL,
                   "the sweeps and replications make %.0f run points, more than the limit of %d; sweep fewer values",
                   total, SCENARIO_MAX_POINTS);
    else
      vn_error_set(err, o->kind == ORIGIN_SET ? SET_FILE : sc->path, o->kind == ORIGIN_FILE ? o->line : 0,
                   o->kind == ORIGIN_SET ? NULL : "scenario",
                   o->kind == ORIGIN_SET ? "scenario.replications" : "replications", o->text,
                   "%.0f run points is more than the limit of %d", total, SCENARIO_MAX_POINTS);
    return 0;
  }
  return combos * reps;
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* Lines in the source text. libxml2 gives an element the line where its start tag ENDS; for a tag written over
 * several lines, errors should point at the line where the tag starts, or where the attribute is written. */

struct source {
  const char* text;
  size_t len;
  size_t* starts; /* starts[i]: offset of line i + 1 */
  size_t nlines;
};

static void source_init(source_t* src, const char* text, size_t len)
{
  src->text   = text;
  src->len    = len;
  src->nlines = 1;
  for (size_t i = 0; i < len; i++)
    src->nlines += text[i] == '\n';
  src->starts      = xbt_new(size_t, src->nlines + 1);
  size_t n         = 0;
  src->starts[n++] = 0;
  for (size_t i = 0; i < len; i++)
    if (text[i] == '\n')
      src->starts[n++] = i + 1;
  src->starts[n] = len;
}

static void source_free(source_t* src)
{
  free(src->starts);
  src->starts = NULL;
}

/* 1-based line of an offset. */
static int source_line_of(const source_t* src, size_t offset)
{
  size_t lo = 0;
  size_t hi = src->nlines; /* the line is in [lo, hi) */
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (src->starts[mid] <= offset)
      lo = mid;
    else
      hi = mid;
  }
  return (int)lo + 1;
}

static int is_name_end(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>';
}

/* Offset of the "<element" that starts the tag ending on line `line`, or -1. */
static long source_tag_offset(const source_t* src, int line, const char* element)
{
  if (src == NULL || src->starts == NULL || line <= 0 || (size_t)line > src->nlines || element == NULL)
    return -1;
  size_t end = src->starts[line]; /* end of that line */
  size_t n   = strlen(element);
  for (size_t i = end; i-- > 0;)
    if (src->text[i] == '<' && i + 1 + n < src->len && strncmp(src->text + i + 1, element, n) == 0 &&
        is_name_end(src->text[i + 1 + n]))
      return (long)i;
  return -1;
}

/* Line where the start tag of an element that libxml2 puts at `line` begins. */
static int source_start_line(const source_t* src, int line, const char* element)
{
  long tag = source_tag_offset(src, line, element);
  return tag < 0 ? line : source_line_of(src, (size_t)tag);
}

/* Line where `attribute` of that element is written. */
static int source_attribute_line(const source_t* src, int line, const char* element, const char* attribute)
{
  long tag = source_tag_offset(src, line, element);
  if (tag < 0 || attribute == NULL || attribute[0] == '\0')
    return source_start_line(src, line, element);
  size_t end = src->starts[line];
  size_t n   = strlen(attribute);
  for (size_t i = (size_t)tag + 1; i + n <= end; i++) {
    char before = src->text[i - 1];
    if ((before == ' ' || before == '\t' || before == '\n' || before == '\r') &&
        strncmp(src->text + i, attribute, n) == 0) {
      size_t j = i + n;
      while (j < end && (src->text[j] == ' ' || src->text[j] == '\t' || src->text[j] == '\n' || src->text[j] == '\r'))
        j++;
      if (j < end && src->text[j] == '=')
        return source_line_of(src, i);
    }
  }
  return source_line_of(src, (size_t)tag);
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* XML: parsing with every external access refused, errors captured with their line */

typedef struct xml_state {
  const char* path;
  const source_t* src;
  vn_error_t* err;
  int failed;
  int doctype_line; /* > 0 once a DOCTYPE was met */
} xml_state_t;

/* Entities are never expanded and no DTD is loaded; this loader makes sure nothing else can fetch a file or a URL. */
static xmlParserInputPtr refuse_external_entity(const char* url, const char* id, xmlParserCtxtPtr ctxt)
{
  return NULL;
}

/* SAX: a DOCTYPE starts. Stop at once, before any declaration of its internal subset is read. */
static void on_doctype(void* ctx, const xmlChar* name, const xmlChar* external_id, const xmlChar* system_id)
{
  xmlParserCtxtPtr ctxt = ctx;
  xml_state_t* st       = ctxt->_private;
  if (st->doctype_line == 0)
    st->doctype_line = (ctxt->input != NULL && ctxt->input->line > 0) ? ctxt->input->line : 1;
  xmlStopParser(ctxt);
}

/* Copies s into out as one line (line breaks and tabs become blanks), without trailing blanks. */
static void copy_trimmed(char* out, size_t len, const char* s)
{
  snprintf(out, len, "%s", s != NULL ? s : "");
  for (char* c = out; *c != '\0'; c++)
    if (*c == '\n' || *c == '\r' || *c == '\t')
      *c = ' ';
  size_t n = strlen(out);
  while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' ' || out[n - 1] == '\r'))
    out[--n] = '\0';
}

/* Schema messages start with "Element 'x'" and maybe ", attribute 'y'", which the error record says better: returns
 * the rest, and the attribute name in attr (empty if none). */
static const char* strip_location(const char* msg, char* attr, size_t len)
{
  attr[0] = '\0';
  if (strncmp(msg, "Element '", 9) != 0)
    return msg;
  const char* p = strstr(msg, "': ");
  const char* a = strstr(msg, "', attribute '");
  if (a != NULL && p != NULL && a < p) {
    const char* name = a + strlen("', attribute '");
    snprintf(attr, len, "%.*s", (int)(p - name), name);
  }
  return p != NULL ? p + 3 : msg;
}

/* Writes the attributes an element accepts, for "unknown attribute" messages. */
static void accepted_attributes(const char* element, char* buf, size_t len)
{
  size_t n = 0;
  buf[0]   = '\0';
  if (strcmp(element, "sweep") == 0) {
    snprintf(buf, len, "param and values, or name");
    return;
  }
  if (strcmp(element, "case") == 0) {
    snprintf(buf, len, "label");
    return;
  }
  if (strcmp(element, "set") == 0) {
    snprintf(buf, len, "param, value");
    return;
  }
  for (size_t i = 0; i < params_count() && n < len; i++) {
    const param_desc_t* d = params_get(i);
    if (strcmp(d->element, element) != 0)
      continue;
    int w = snprintf(buf + n, len - n, "%s%s", n ? ", " : "", d->attribute);
    n += w > 0 ? (size_t)w : 0;
  }
}

static int is_known_element(const char* name)
{
  static const char* const known[] = {"scenario", "platform", "nic",  "access", "consumers",
                                      "workload", "sweep",    "case", "set",    NULL};
  for (size_t i = 0; known[i] != NULL; i++)
    if (strcmp(known[i], name) == 0)
      return 1;
  return 0;
}

/* libxml2's schema messages, said in the scenario's terms. */
static void schema_message(const char* element, const char* attribute, const char* msg, char* out, size_t len)
{
  char list[512];
  if (attribute[0] != '\0' && strstr(msg, "is not allowed") != NULL) {
    accepted_attributes(element, list, sizeof list);
    snprintf(out, len, "unknown attribute \"%s\"; <%s> accepts: %s", attribute, element, list);
  } else if (strstr(msg, "No matching global declaration") != NULL) {
    snprintf(out, len, "the root element must be <scenario> (without namespace)");
  } else if (strstr(msg, "not expected") != NULL && !is_known_element(element)) {
    snprintf(out, len,
             "unknown element <%s>; a <scenario> holds platform, nic, access, consumers and workload, then sweeps",
             element);
  } else if (strstr(msg, "not expected") != NULL) {
    const char* why = "platform, nic, access, consumers and workload each appear at most once, before every <sweep>";
    if (strcmp(element, "case") == 0)
      why = "<case> only appears inside <sweep name=\"...\">";
    else if (strcmp(element, "set") == 0)
      why = "<set> only appears inside <case>";
    else if (strcmp(element, "sweep") == 0 || strcmp(element, "scenario") == 0)
      why = "<sweep> only appears in <scenario>, after its parameter elements";
    snprintf(out, len, "<%s> is not allowed here; %s", element, why);
  } else if (strstr(msg, "is required but missing") != NULL) {
    const char* q = strchr(msg, '\'');
    const char* e = q != NULL ? strchr(q + 1, '\'') : NULL;
    if (e != NULL)
      snprintf(out, len, "missing required attribute \"%.*s\"", (int)(e - q - 1), q + 1);
    else
      snprintf(out, len, "%s", msg);
  } else if (strcmp(element, "scenario") == 0 && strstr(msg, "Missing child element") != NULL) {
    snprintf(out, len, "<platform file=\"...\"> is required");
  } else if (strstr(msg, "Character content is not allowed") != NULL) {
    snprintf(out, len, "text is not allowed inside <%s>; parameters are attributes", element);
  } else if (strstr(msg, "Element content is not allowed") != NULL) {
    snprintf(out, len, "<%s> has no child elements; parameters are attributes", element);
  } else {
    snprintf(out, len, "%s", msg);
  }
}

static void record_xml_error(xml_state_t* st, const xmlError* e, int from_schema)
{
  if (st->failed || e == NULL || e->level < XML_ERR_ERROR)
    return;
  st->failed = 1;
  char msg[1024];
  copy_trimmed(msg, sizeof msg, e->message);
  if (!from_schema) {
    vn_error_set(st->err, st->path, e->line, NULL, NULL, NULL, "malformed XML: %s", msg);
    return;
  }
  char attribute[128];
  const char* rest    = strip_location(msg, attribute, sizeof attribute);
  const char* element = NULL;
  xmlChar* value      = NULL;
  xmlNodePtr node     = e->node;
  int line            = e->line;
  if (node != NULL && node->type == XML_ATTRIBUTE_NODE) {
    snprintf(attribute, sizeof attribute, "%s", (const char*)node->name);
    node = node->parent;
  }
  if (node != NULL && node->type == XML_ELEMENT_NODE) {
    element = (const char*)node->name;
    if (line <= 0)
      line = (int)xmlGetLineNo(node);
    if (attribute[0] != '\0')
      value = xmlGetNoNsProp(node, (const xmlChar*)attribute);
  }
  if (element != NULL)
    line = attribute[0] != '\0' ? source_attribute_line(st->src, line, element, attribute)
                                : source_start_line(st->src, line, element);
  char text[1024];
  schema_message(element != NULL ? element : "", attribute, rest, text, sizeof text);
  vn_error_set(st->err, st->path, line, element, attribute, value != NULL ? (const char*)value : "", "%s", text);
  xmlFree(value);
}

/* Drops text nodes made only of blanks: the format has no text content, and "<nic ...>\n</nic>" is harmless. */
static void drop_blank_text(xmlNodePtr node)
{
  for (xmlNodePtr c = node->children; c != NULL;) {
    xmlNodePtr next = c->next;
    if (c->type == XML_ELEMENT_NODE)
      drop_blank_text(c);
    else if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c)) {
      xmlUnlinkNode(c);
      xmlFreeNode(c);
    }
    c = next;
  }
}

static void on_parse_error(void* ctx, xmlErrorPtr e)
{
  xmlParserCtxtPtr ctxt = ctx;
  record_xml_error(ctxt->_private, e, 0);
}

static void on_schema_error(void* ctx, xmlErrorPtr e)
{
  record_xml_error(ctx, e, 1);
}

static void ignore_generic_error(void* ctx, const char* msg, ...) {}

/* Reads the whole file (at most SCENARIO_FILE_MAX bytes). Returns the bytes (caller frees) or NULL with err. */
static char* read_file(const char* path, size_t* size, vn_error_t* err)
{
  struct stat st;
  if (stat(path, &st) != 0) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot read the scenario file: %s", strerror(errno));
    return NULL;
  }
  if (S_ISDIR(st.st_mode)) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "is a directory, not a scenario file");
    return NULL;
  }
  if (st.st_size > SCENARIO_FILE_MAX) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "scenario file larger than %d bytes", SCENARIO_FILE_MAX);
    return NULL;
  }
  FILE* f = fopen(path, "rb");
  if (f == NULL) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot read the scenario file: %s", strerror(errno));
    return NULL;
  }
  size_t cap = (size_t)st.st_size + 1; /* one byte more, to notice a file that grew meanwhile */
  char* buf  = xbt_malloc(cap);
  size_t n   = fread(buf, 1, cap, f);
  int bad    = ferror(f);
  fclose(f);
  if (bad || n == cap) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot read the scenario file: %s",
                 bad ? "read error" : "it changed while being read");
    free(buf);
    return NULL;
  }
  *size = n;
  return buf;
}

/* Parses and validates the document held in src. Returns it, or NULL with err filled. */
static xmlDocPtr parse_document(const char* path, const source_t* src, vn_error_t* err)
{
  xml_state_t st = {.path = path, .src = src, .err = err};
  xmlInitParser();
  /* Process-wide libxml2 hooks are set for the time of this load only, and put back afterwards. */
  xmlExternalEntityLoader old_loader = xmlGetExternalEntityLoader();
  xmlGenericErrorFunc old_generic    = xmlGenericError;
  void* old_generic_ctx              = xmlGenericErrorContext;
  xmlSetExternalEntityLoader(refuse_external_entity);
  xmlSetGenericErrorFunc(NULL, ignore_generic_error);

  xmlDocPtr doc         = NULL;
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  xbt_assert(ctxt != NULL, "out of memory");
  ctxt->_private            = &st;
  ctxt->sax->internalSubset = on_doctype;
  ctxt->sax->externalSubset = NULL;
  ctxt->sax->serror         = on_parse_error;
  /* NONET: no network; no NOENT (entities are not substituted), no DTDLOAD/DTDATTR/DTDVALID (no DTD is read), no
   * XINCLUDE. A DOCTYPE of any kind stops the parser (on_doctype), so no entity can even be declared. */
  int options = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
  doc         = xmlCtxtReadMemory(ctxt, src->text, (int)src->len, path, NULL, options);
  xmlFreeParserCtxt(ctxt);

  if (st.doctype_line > 0) {
    vn_error_clear(err);
    vn_error_set(err, path, st.doctype_line, NULL, NULL, NULL,
                 "DOCTYPE not allowed: a scenario has no DTD, and entities are never expanded");
    st.failed = 1;
  } else if (!st.failed && doc == NULL) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "malformed XML: the document cannot be parsed");
    st.failed = 1;
  }

  if (!st.failed) {
    xmlSchemaParserCtxtPtr pctxt = xmlSchemaNewMemParserCtxt(vnicsim_scenario_xsd, (int)strlen(vnicsim_scenario_xsd));
    xmlSchemaPtr schema          = pctxt != NULL ? xmlSchemaParse(pctxt) : NULL;
    xmlSchemaFreeParserCtxt(pctxt);
    if (schema == NULL) {
      vn_error_set(err, path, 0, NULL, NULL, NULL, "internal error: the embedded scenario schema does not load");
      st.failed = 1;
    } else {
      xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(schema);
      xbt_assert(vctxt != NULL, "out of memory");
      xmlSchemaSetValidStructuredErrors(vctxt, on_schema_error, &st);
      drop_blank_text((xmlNodePtr)doc);
      int rc = xmlSchemaValidateDoc(vctxt, doc);
      xmlSchemaFreeValidCtxt(vctxt);
      xmlSchemaFree(schema);
      if (rc != 0 && !st.failed) {
        vn_error_set(err, path, 0, NULL, NULL, NULL, "the document does not follow the scenario schema");
        st.failed = 1;
      }
    }
  }

  xmlSetExternalEntityLoader(old_loader);
  xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
  if (st.failed) {
    xmlFreeDoc(doc);
    return NULL;
  }
  return doc;
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* Reading the document */

static char* get_attr(xmlNodePtr node, const char* name)
{
  xmlChar* v = xmlGetNoNsProp(node, (const xmlChar*)name);
  return (char*)v;
}

/* Line where the element's start tag begins. */
static int node_line(const_scenario_t sc, xmlNodePtr node)
{
  long line = xmlGetLineNo(node);
  return line > 0 ? source_start_line(sc->src, (int)line, (const char*)node->name) : 0;
}

/* Line where attribute `name` of the element is written. */
static int attr_line(const_scenario_t sc, xmlNodePtr node, const char* name)
{
  long line = xmlGetLineNo(node);
  return line > 0 ? source_attribute_line(sc->src, (int)line, (const char*)node->name, name) : 0;
}

/* Reads every attribute of a parameter element into the base parameters. */
static int read_param_element(scenario_t sc, xmlNodePtr node, vn_error_t* err)
{
  const char* element = (const char*)node->name;
  for (xmlAttrPtr a = node->properties; a != NULL; a = a->next) {
    const char* attribute = (const char*)a->name;
    int line              = attr_line(sc, node, attribute);
    xmlChar* value        = xmlNodeListGetString(node->doc, a->children, 1);
    const char* text      = value != NULL ? (const char*)value : "";
    const param_desc_t* d = a->ns == NULL ? params_find_attr(element, attribute) : NULL;
    int rc;
    if (d == NULL) { /* the schema refuses these first; kept so that no attribute is ever silently ignored */
      vn_error_set(err, sc->path, line, element, attribute, text, "unknown attribute");
      rc = -1;
    } else {
      rc = set_base(sc, d, text, ORIGIN_FILE, line, sc->path, element, attribute, err);
    }
    xmlFree(value);
    if (rc != 0)
      return -1;
  }
  return 0;
}

/* Why key names no parameter, pointing at the part that is wrong. */
static void unknown_key_reason(const char* key, char* buf, size_t len)
{
  const char* dot = strchr(key, '.');
  if (dot == NULL) {
    snprintf(buf, len, "unknown parameter; a parameter is written element.attribute, e.g. nic.queue-depth");
    return;
  }
  char element[64];
  snprintf(element, sizeof element, "%.*s", (int)(dot - key) < 63 ? (int)(dot - key) : 63, key);
  if (params_is_element(element))
    snprintf(buf, len, "unknown parameter: <%s> has no attribute \"%s\"", element, dot + 1);
  else
    snprintf(buf, len,
             "unknown parameter: no element <%s> carries parameters (scenario, platform, nic, access, consumers, "
             "workload)",
             element);
}

/* Which dimension already sets d, or -1. */
static int swept_by(const_scenario_t sc, const param_desc_t* d)
{
  for (size_t k = 0; k < sc->nsweeps; k++)
    if (sweep_touches(sc->sweeps[k], d))
      return (int)k;
  return -1;
}

/* The parameter a sweep or a <set> names, checked to be sweepable and not swept elsewhere; NULL with err. */
static const param_desc_t* sweepable_param(const_scenario_t sc, const char* key, int line, const char* element,
                                           const char* attribute, const_sweep_t current, vn_error_t* err)
{
  const param_desc_t* d = params_find(key);
  if (d == NULL) {
    char reason[256];
    unknown_key_reason(key, reason, sizeof reason);
    vn_error_set(err, sc->path, line, element, attribute, key, "%s", reason);
    return NULL;
  }
  if (d->flags & PARAM_NO_SWEEP) {
    vn_error_set(err, sc->path, line, element, attribute, key, "%s cannot be swept; set it on <%s>", key, d->element);
    return NULL;
  }
  int k = swept_by(sc, d);
  if (k >= 0 && sc->sweeps[k] != current) {
    vn_error_set(err, sc->path, line, element, attribute, key,
                 "%s is already swept by the sweep at line %d; a parameter belongs to one sweep", key,
                 sweep_line(sc->sweeps[k]));
    return NULL;
  }
  return d;
}

static int is_xml_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int read_value_sweep(scenario_t sc, xmlNodePtr node, const char* param, const char* values, vn_error_t* err)
{
  int line              = attr_line(sc, node, "values"); /* where the values are, to point at a bad one */
  const param_desc_t* d = sweepable_param(sc, param, attr_line(sc, node, "param"), "sweep", "param", NULL, err);
  if (d == NULL)
    return -1;
  sweep_t s                 = sweep_new_values(d, line);
  sc->sweeps[sc->nsweeps++] = s; /* owned by the scenario from now on, even if a value is bad */
  char* effective           = xbt_malloc(PARAMS_PATH_MAX);
  char reason[1024];
  int rc = 0;
  for (const char* p = values; rc == 0 && *p != '\0';) {
    while (is_xml_space(*p))
      p++;
    if (*p == '\0')
      break;
    size_t n = 0;
    while (p[n] != '\0' && !is_xml_space(p[n]))
      n++;
    char* one = xbt_strdup(p);
    one[n]    = '\0';
    p += n;
    if (effective_value(sc, d, one, effective, PARAMS_PATH_MAX, reason, sizeof reason) != 0 ||
        sweep_add_value(s, one, effective, reason, sizeof reason) != 0) {
      vn_error_set(err, sc->path, line, "sweep", "values", one, "value for %s: %s", d->key, reason);
      rc = -1;
    }
    free(one);
  }
  free(effective);
  if (rc == 0 && sweep_size(s) == 0) {
    vn_error_set(err, sc->path, line, "sweep", "values", values, "empty list of values for %s", d->key);
    rc = -1;
  }
  return rc;
}

static int is_word(const char* s)
{
  if (s[0] == '\0' || s[0] == '.' || s[0] == '-')
    return 0;
  for (; *s != '\0'; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
          *s == '+' || *s == '-'))
      return 0;
  return 1;
}

static int read_case(scenario_t sc, sweep_t s, xmlNodePtr c, vn_error_t* err)
{
  char reason[1024];
  char* label = get_attr(c, "label");
  int rc      = sweep_add_case(s, label != NULL ? label : "", node_line(sc, c), reason, sizeof reason);
  if (rc != 0)
    vn_error_set(err, sc->path, attr_line(sc, c, "label"), "case", "label", label != NULL ? label : "", "%s", reason);
  xmlFree(label);
  char* effective = xbt_malloc(PARAMS_PATH_MAX);
  for (xmlNodePtr set = c->children; rc == 0 && set != NULL; set = set->next) {
    if (set->type != XML_ELEMENT_NODE)
      continue;
    int sline     = attr_line(sc, set, "value");
    char* param   = get_attr(set, "param");
    char* value   = get_attr(set, "value");
    const char* v = value != NULL ? value : "";
    const param_desc_t* d =
        sweepable_param(sc, param != NULL ? param : "", attr_line(sc, set, "param"), "set", "param", s, err);
    if (d == NULL)
      rc = -1;
    else if (effective_value(sc, d, v, effective, PARAMS_PATH_MAX, reason, sizeof reason) != 0 ||
             sweep_add_set(s, d, v, effective, sline, reason, sizeof reason) != 0) {
      vn_error_set(err, sc->path, sline, "set", "value", v, "value for %s: %s", d->key, reason);
      rc = -1;
    }
    xmlFree(param);
    xmlFree(value);
  }
  free(effective);
  return rc;
}

static int read_case_sweep(scenario_t sc, xmlNodePtr node, const char* name, vn_error_t* err)
{
  int line = attr_line(sc, node, "name");
  if (!is_word(name)) {
    vn_error_set(err, sc->path, line, "sweep", "name", name,
                 "a sweep name is one word of letters, digits, '.', '_', '+', '-' (it names a CSV column)");
    return -1;
  }
  if (params_find(name) != NULL || strcmp(name, "seed") == 0 || strcmp(name, "replication") == 0) {
    vn_error_set(err, sc->path, line, "sweep", "name", name,
                 "this name is taken (a parameter or a results column); choose another sweep name");
    return -1;
  }
  for (size_t k = 0; k < sc->nsweeps; k++)
    if (strcmp(sweep_name(sc->sweeps[k]), name) == 0) {
      vn_error_set(err, sc->path, line, "sweep", "name", name, "another sweep at line %d has the same name",
                   sweep_line(sc->sweeps[k]));
      return -1;
    }
  sweep_t s                 = sweep_new_cases(name, node_line(sc, node));
  sc->sweeps[sc->nsweeps++] = s;
  for (xmlNodePtr c = node->children; c != NULL; c = c->next)
    if (c->type == XML_ELEMENT_NODE && read_case(sc, s, c, err) != 0)
      return -1;
  if (sweep_size(s) == 0) {
    vn_error_set(err, sc->path, line, "sweep", "name", name, "a sweep of cases needs at least one <case>");
    return -1;
  }
  return 0;
}

static int read_sweep(scenario_t sc, xmlNodePtr node, vn_error_t* err)
{
  int line     = node_line(sc, node);
  char* param  = get_attr(node, "param");
  char* values = get_attr(node, "values");
  char* name   = get_attr(node, "name");
  int has_case = 0;
  for (xmlNodePtr c = node->children; c != NULL; c = c->next)
    has_case |= c->type == XML_ELEMENT_NODE;
  int rc = -1;
  if (sc->nsweeps >= SCENARIO_MAX_SWEEPS)
    vn_error_set(err, sc->path, line, "sweep", NULL, NULL, "too many sweeps (at most %d dimensions)",
                 SCENARIO_MAX_SWEEPS);
  else if (name != NULL && (param != NULL || values != NULL))
    vn_error_set(err, sc->path, attr_line(sc, node, param != NULL ? "param" : "values"), "sweep",
                 param != NULL ? "param" : "values", param != NULL ? param : values,
                 "a sweep has either param and values, or a name and cases, not both");
  else if (name != NULL)
    rc = read_case_sweep(sc, node, name, err);
  else if (has_case)
    vn_error_set(err, sc->path, line, "sweep", NULL, NULL, "a sweep of cases needs a name attribute");
  else if (param == NULL)
    vn_error_set(err, sc->path, line, "sweep", NULL, NULL,
                 "a sweep needs param and values (or a name and cases); param is missing");
  else if (values == NULL)
    vn_error_set(err, sc->path, line, "sweep", NULL, NULL, "a sweep needs param and values; values is missing");
  else
    rc = read_value_sweep(sc, node, param, values, err);
  xmlFree(param);
  xmlFree(values);
  xmlFree(name);
  return rc;
}

static int read_document(scenario_t sc, xmlDocPtr doc, vn_error_t* err)
{
  xmlNodePtr root = xmlDocGetRootElement(doc);
  int root_line   = node_line(sc, root);
  if (read_param_element(sc, root, err) != 0)
    return -1;
  int seen[sizeof param_elements / sizeof param_elements[0]] = {0};
  for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    const char* name = (const char*)n->name;
    int line         = node_line(sc, n);
    if (strcmp(name, "sweep") == 0) {
      if (read_sweep(sc, n, err) != 0)
        return -1;
      continue;
    }
    size_t k = 0;
    while (param_elements[k] != NULL && strcmp(param_elements[k], name) != 0)
      k++;
    if (param_elements[k] == NULL) {
      vn_error_set(err, sc->path, line, name, NULL, NULL, "unknown element");
      return -1;
    }
    if (seen[k] > 0) {
      vn_error_set(err, sc->path, line, name, NULL, NULL,
                   "<%s> appears twice (first at line %d); each of platform, nic, access, consumers and workload "
                   "appears at most once",
                   name, seen[k]);
      return -1;
    }
    seen[k] = line > 0 ? line : 1;
    if (read_param_element(sc, n, err) != 0)
      return -1;
  }
  if (seen[0] == 0) {
    vn_error_set(err, sc->path, root_line, "scenario", NULL, NULL, "<platform file=\"...\"> is required");
    return -1;
  }
  return count_points(sc, err) > 0 ? 0 : -1;
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* Public interface */

scenario_t scenario_load(const char* path, vn_error_t* err)
{
  vn_error_clear(err);
  if (path == NULL || path[0] == '\0') {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "no scenario file given");
    return NULL;
  }
  size_t size;
  char* bytes = read_file(path, &size, err);
  if (bytes == NULL)
    return NULL;
  source_t src;
  source_init(&src, bytes, size);
  xmlDocPtr doc = parse_document(path, &src, err);
  if (doc == NULL) {
    source_free(&src);
    free(bytes);
    return NULL;
  }
  scenario_t sc = xbt_new0(s_scenario_t, 1);
  sc->src       = &src;
  sc->path      = xbt_strdup(path);
  sc->dir       = xbt_strdup(path);
  char* slash   = strrchr(sc->dir, '/');
  if (slash == NULL)
    sc->dir[0] = '\0';
  else if (slash == sc->dir)
    slash[1] = '\0'; /* "/s.xml": the root directory */
  else
    *slash = '\0';
  params_init(&sc->base);
  int rc = read_document(sc, doc, err);
  xmlFreeDoc(doc);
  sc->src = NULL;
  source_free(&src);
  free(bytes);
  if (rc != 0) {
    scenario_free(sc);
    return NULL;
  }
  return sc;
}

int scenario_set(scenario_t sc, const char* assignment, vn_error_t* err)
{
  vn_error_clear(err);
  if (assignment == NULL)
    assignment = "";
  if (!json_utf8_valid(assignment)) {
    /* the file's text is UTF-8 (libxml2 checks it); so must an override be, or the manifest could not record it */
    vn_error_set(err, SET_FILE, 0, NULL, NULL, NULL, "this --set is not valid UTF-8 text");
    return -1;
  }
  const char* eq = strchr(assignment, '=');
  if (eq == NULL) {
    vn_error_set(err, SET_FILE, 0, NULL, assignment, "", "expected element.attribute=value, e.g. nic.queue-depth=32");
    return -1;
  }
  char key[128];
  size_t n = (size_t)(eq - assignment);
  if (n == 0 || n >= sizeof key) {
    vn_error_set(err, SET_FILE, 0, NULL, n == 0 ? "" : "(too long)", eq + 1,
                 "expected element.attribute=value, e.g. nic.queue-depth=32");
    return -1;
  }
  memcpy(key, assignment, n);
  key[n]                = '\0';
  const char* value     = eq + 1;
  const param_desc_t* d = params_find(key);
  if (d == NULL) {
    char reason[256];
    unknown_key_reason(key, reason, sizeof reason);
    vn_error_set(err, SET_FILE, 0, NULL, key, value, "%s", reason);
    return -1;
  }
  if (set_base(sc, d, value, ORIGIN_SET, 0, SET_FILE, NULL, key, err) != 0)
    return -1;
  return count_points(sc, err) > 0 ? 0 : -1;
}

/* Fills err with the location where the value of d that point digits uses was written. */
static void locate(const_scenario_t sc, const param_desc_t* d, const size_t* digits, const char* reason,
                   vn_error_t* err)
{
  /* The point, spelled out, when there are sweeps: the rule may involve a value of another dimension. */
  char where[1024] = "";
  size_t n         = 0;
  for (size_t k = 0; k < sc->nsweeps && n < sizeof where; k++) {
    int w = snprintf(where + n, sizeof where - n, "%s%s=%s", k == 0 ? " (at the sweep point " : ", ",
                     sweep_name(sc->sweeps[k]), sweep_value_text(sc->sweeps[k], digits[k]));
    n += w > 0 ? (size_t)w : 0;
  }
  if (sc->nsweeps > 0 && n < sizeof where)
    snprintf(where + n, sizeof where - n, ")");

  for (size_t k = 0; k < sc->nsweeps; k++) {
    int line;
    const char* written;
    if (sweep_sets(sc->sweeps[k], digits[k], d, &line, &written)) {
      int in_case = sweep_kind(sc->sweeps[k]) == SWEEP_CASES;
      vn_error_set(err, sc->path, line, in_case ? "set" : "sweep", in_case ? "value" : "values", written, "%s: %s%s",
                   d->key, reason, where);
      return;
    }
  }
  const origin_t* o = &sc->origin[params_index(d)];
  switch (o->kind) {
  case ORIGIN_SET:
    vn_error_set(err, SET_FILE, 0, NULL, d->key, o->text, "%s%s", reason, where);
    break;
  case ORIGIN_FILE:
    vn_error_set(err, sc->path, o->line, d->element, d->attribute, o->text, "%s%s", reason, where);
    break;
  default: {
    char text[ORIGIN_TEXT_MAX];
    params_format(&sc->base, d, text, sizeof text);
    vn_error_set(err, sc->path, 0, d->element, d->attribute, text, "%s (this is the default)%s", reason, where);
  }
  }
}

int scenario_locate(const_scenario_t sc, size_t index, const char* key, const char* reason, vn_error_t* err)
{
  const param_desc_t* d = params_find(key);
  size_t points         = scenario_point_count(sc);
  if (d == NULL || index >= points)
    return -1;
  size_t digits[SCENARIO_MAX_SWEEPS];
  sweep_decompose(dims_of(sc), sc->nsweeps, index / (size_t)sc->base.replications, digits);
  locate(sc, d, digits, reason, err);
  return 0;
}

int scenario_check(const_scenario_t sc, vn_error_t* err)
{
  vn_error_clear(err);
  size_t points = count_points(sc, err);
  if (points == 0)
    return -1;
  size_t combos = points / (size_t)sc->base.replications;
  params_t* p   = xbt_new(params_t, 1);
  size_t digits[SCENARIO_MAX_SWEEPS];
  int rc = 0;
  for (size_t c = 0; rc == 0 && c < combos; c++) {
    memcpy(p, &sc->base, sizeof *p);
    sweep_decompose(dims_of(sc), sc->nsweeps, c, digits);
    char reason[1024];
    for (size_t k = 0; rc == 0 && k < sc->nsweeps; k++)
      if (sweep_apply(sc->sweeps[k], digits[k], p, reason, sizeof reason) != 0) {
        vn_error_set(err, sc->path, sweep_line(sc->sweeps[k]), "sweep", NULL, NULL, "%s", reason);
        rc = -1;
      }
    const char* bad_key = NULL;
    if (rc == 0 && params_validate(p, reason, sizeof reason, &bad_key) != 0) {
      const param_desc_t* d = params_find(bad_key);
      xbt_assert(d != NULL, "params_validate blamed an unknown key '%s'", bad_key ? bad_key : "(null)");
      locate(sc, d, digits, reason, err);
      rc = -1;
    }
  }
  free(p);
  return rc;
}

const char* scenario_path(const_scenario_t sc)
{
  return sc->path;
}

const params_t* scenario_base(const_scenario_t sc)
{
  return &sc->base;
}

size_t scenario_sweep_count(const_scenario_t sc)
{
  return sc->nsweeps;
}

const char* scenario_sweep_name(const_scenario_t sc, size_t d)
{
  return d < sc->nsweeps ? sweep_name(sc->sweeps[d]) : NULL;
}

size_t scenario_sweep_size(const_scenario_t sc, size_t d)
{
  return d < sc->nsweeps ? sweep_size(sc->sweeps[d]) : 0;
}

int scenario_sweep_is_numeric(const_scenario_t sc, size_t d)
{
  return d < sc->nsweeps && sweep_is_numeric(sc->sweeps[d]);
}

size_t scenario_point_count(const_scenario_t sc)
{
  size_t combos = sweep_combinations(dims_of(sc), sc->nsweeps, SCENARIO_MAX_POINTS);
  size_t reps   = sc->base.replications > 0 ? (size_t)sc->base.replications : 1;
  if (combos == 0 || reps > SCENARIO_MAX_POINTS / combos)
    return 0;
  return combos * reps;
}

int scenario_point(const_scenario_t sc, size_t index, point_t* out, vn_error_t* err)
{
  size_t count = scenario_point_count(sc);
  if (index >= count) {
    vn_error_set(err, sc->path, 0, NULL, NULL, NULL, "run point %zu does not exist (the scenario has %zu)", index,
                 count);
    return -1;
  }
  size_t reps = (size_t)sc->base.replications;
  size_t digits[SCENARIO_MAX_SWEEPS];
  memset(out, 0, sizeof *out);
  out->index       = index;
  out->combination = index / reps;
  out->replication = (long)(index % reps);
  memcpy(&out->params, &sc->base, sizeof out->params);
  sweep_decompose(dims_of(sc), sc->nsweeps, out->combination, digits);
  for (size_t k = 0; k < sc->nsweeps; k++) {
    char reason[1024];
    if (sweep_apply(sc->sweeps[k], digits[k], &out->params, reason, sizeof reason) != 0) {
      vn_error_set(err, sc->path, sweep_line(sc->sweeps[k]), "sweep", NULL, sweep_value_text(sc->sweeps[k], digits[k]),
                   "%s", reason);
      return -1;
    }
    out->values[k] = sweep_value_csv(sc->sweeps[k], digits[k]);
  }
  out->seed = out->params.seed + (unsigned long)out->replication;
  return 0;
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* JSON */

static void json_indent(FILE* out, int n)
{
  fprintf(out, "\n%*s", n, "");
}

static void json_param(FILE* out, const params_t* p, const param_desc_t* d)
{
  char text[PARAMS_PATH_MAX];
  params_format(p, d, text, sizeof text);
  if (text[0] == '\0' && (d->flags & PARAM_OPTIONAL))
    fputs("null", out); /* off */
  else if (d->kind == PARAM_COUNT || d->kind == PARAM_SEED || d->kind == PARAM_FRACTION)
    fputs(text, out); /* a JSON number: "%ld", "%lu", or "%.17g"-style shortest digits */
  else
    json_write_string(out, text);
}

void scenario_write_json(const_scenario_t sc, FILE* out, int indent)
{
  int i1 = indent + 2;
  int i2 = indent + 4;
  int i3 = indent + 6;
  fputc('{', out);
  json_indent(out, i1);
  fputs("\"path\": ", out);
  json_write_string(out, sc->path);
  const char* element = NULL;
  for (size_t i = 0; i < params_count(); i++) {
    const param_desc_t* d = params_get(i);
    if (element == NULL || strcmp(element, d->element) != 0) {
      if (element != NULL) {
        json_indent(out, i1);
        fputc('}', out);
      }
      fputc(',', out);
      json_indent(out, i1);
      json_write_string(out, d->element);
      fputs(": {", out);
      element = d->element;
    } else {
      fputc(',', out);
    }
    json_indent(out, i2);
    json_write_string(out, d->attribute);
    fputs(": ", out);
    json_param(out, &sc->base, d);
  }
  json_indent(out, i1);
  fputs("},", out);
  json_indent(out, i1);
  fputs("\"sweeps\": [", out);
  for (size_t k = 0; k < sc->nsweeps; k++) {
    const_sweep_t s = sc->sweeps[k];
    int cases       = sweep_kind(s) == SWEEP_CASES;
    json_indent(out, i2);
    fputs("{\"name\": ", out);
    json_write_string(out, sweep_name(s));
    fprintf(out, ", \"kind\": \"%s\", \"values\": [", cases ? "cases" : "values");
    for (size_t v = 0; v < sweep_size(s); v++) {
      fputs(v ? ", " : "", out);
      json_write_string(out, sweep_value_canonical(s, v));
    }
    fputc(']', out);
    if (cases) {
      fputs(", \"cases\": {", out);
      for (size_t v = 0; v < sweep_size(s); v++) {
        fputs(v ? "," : "", out);
        json_indent(out, i3);
        json_write_string(out, sweep_value_text(s, v));
        fputs(": {", out);
        for (size_t j = 0; j < sweep_case_set_count(s, v); j++) {
          const char* written;
          const param_desc_t* d = sweep_case_set(s, v, j, &written);
          fputs(j ? ", " : "", out);
          json_write_string(out, d->key);
          fputs(": ", out);
          json_write_string(out, written);
        }
        fputc('}', out);
      }
      json_indent(out, i2);
      fputc('}', out);
    }
    fputs(k + 1 < sc->nsweeps ? "}," : "}", out);
  }
  if (sc->nsweeps > 0)
    json_indent(out, i1);
  fputs("],", out);
  json_indent(out, i1);
  fprintf(out, "\"points\": %zu", scenario_point_count(sc));
  json_indent(out, indent);
  fputc('}', out);
}

void scenario_free(scenario_t sc)
{
  if (sc == NULL)
    return;
  for (size_t k = 0; k < sc->nsweeps; k++)
    sweep_free(sc->sweeps[k]);
  free(sc->path);
  free(sc->dir);
  free(sc);
}
