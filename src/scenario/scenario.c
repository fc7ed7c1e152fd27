/* scenario: a scenario file read into base parameters and sweeps, --set overrides, the cross-field checks of every
 * run point, and the run points themselves. */
#include "scenario/scenario.h"
#include "base/json.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xbt/asserts.h>
#include <xbt/sysdep.h>

#include "scenario/schema.h"
#include "scenario/sweep.h"
#include "scenario/xmldoc.h"

#define SET_FILE "--set" /* the "file" of an error in a command-line override */
#define ORIGIN_TEXT_MAX 512

typedef enum { ORIGIN_DEFAULT = 0, ORIGIN_FILE, ORIGIN_SET } origin_kind_t;

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
  const_xmldoc_t doc; /* the document, while it is being read */
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
/* Reading the document */

static char* get_attr(xmlNodePtr node, const char* name)
{
  xmlChar* v = xmlGetNoNsProp(node, (const xmlChar*)name);
  return (char*)v;
}

/* Line where the element's start tag begins. */
static int node_line(const_scenario_t sc, xmlNodePtr node)
{
  return xmldoc_element_line(sc->doc, node);
}

/* Line where attribute `name` of the element is written. */
static int attr_line(const_scenario_t sc, xmlNodePtr node, const char* name)
{
  return xmldoc_attribute_line(sc->doc, node, name);
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
    if (d == NULL) { /* attributes in a namespace that the schema lets through (xsi:schemaLocation): none is ignored */
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
  if (params_is_element(element)) {
    snprintf(buf, len, "unknown parameter: <%s> has no attribute \"%s\"", element, dot + 1);
    return;
  }
  char list[512] = "";
  size_t n       = 0;
  for (size_t i = 0; i < params_element_count() && n < sizeof list; i++) {
    int w = snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", params_element(i));
    n += w > 0 ? (size_t)w : 0;
  }
  snprintf(buf, len, "unknown parameter: no element <%s> carries parameters (%s)", element, list);
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
  sweep_t s                 = sweep_create_values(d, line);
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
  sweep_t s                 = sweep_create_cases(name, node_line(sc, node));
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

/* Reads the document, whose structure the schema has checked: the root's parameters, then each child's. */
static int read_document(scenario_t sc, vn_error_t* err)
{
  xmlNodePtr root = xmldoc_root(sc->doc);
  if (read_param_element(sc, root, err) != 0)
    return -1;
  for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    int rc = strcmp((const char*)n->name, "sweep") == 0 ? read_sweep(sc, n, err) : read_param_element(sc, n, err);
    if (rc != 0)
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
  xmldoc_t doc = xmldoc_load(path, err);
  if (doc == NULL || schema_validate(doc, err) != 0) {
    xmldoc_free(doc);
    return NULL;
  }
  scenario_t sc = xbt_new0(s_scenario_t, 1);
  sc->doc       = doc;
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
  int rc  = read_document(sc, err);
  sc->doc = NULL;
  xmldoc_free(doc);
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

const_sweep_t scenario_sweep(const_scenario_t sc, size_t d)
{
  return d < sc->nsweeps ? sc->sweeps[d] : NULL;
}

size_t scenario_sweep_size(const_scenario_t sc, size_t d)
{
  return d < sc->nsweeps ? sweep_size(sc->sweeps[d]) : 0;
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
