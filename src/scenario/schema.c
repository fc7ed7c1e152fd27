/* schema: validation of a scenario's structure, and libxml2's validity errors reworded by error code. */
#include "scenario/schema.h"

#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>

#include "scenario/param_table.h"
#include "scenario_xsd.h"

#define ROOT_ELEMENT "scenario"
#define XSI_NAMESPACE "http://www.w3.org/2001/XMLSchema-instance"
#define LIST_MAX 512

/** The elements that carry no parameter, as the schema writes them by hand: their attributes, and where they go. */
typedef struct structural {
  const char* element;
  const char* attributes; /* for "unknown attribute" messages */
  const char* placement;  /* for "not allowed here" messages */
} structural_t;

static const structural_t structural[] = {
    {"sweep", "param and values, or name", "<sweep> only appears in <scenario>, after its parameter elements"},
    {"case", "label", "<case> only appears inside <sweep name=\"...\">"},
    {"set", "param, value", "<set> only appears inside <case>"},
};

static const structural_t* find_structural(const char* element)
{
  for (size_t i = 0; i < sizeof structural / sizeof structural[0]; i++)
    if (strcmp(structural[i].element, element) == 0)
      return &structural[i];
  return NULL;
}

/* The elements the root holds parameters in, from the table: "platform, nic, access, consumers and workload". */
static void child_elements(char* buf, size_t len)
{
  const char* names[PARAMS_MAX_KEYS];
  size_t m = 0;
  for (size_t i = 0; i < params_element_count() && m < PARAMS_MAX_KEYS; i++)
    if (strcmp(params_element(i), ROOT_ELEMENT) != 0)
      names[m++] = params_element(i);
  size_t n = 0;
  buf[0]   = '\0';
  for (size_t i = 0; i < m && n < len; i++) {
    int w = snprintf(buf + n, len - n, "%s%s", i == 0 ? "" : (i + 1 == m ? " and " : ", "), names[i]);
    n += w > 0 ? (size_t)w : 0;
  }
}

/* Writes the attributes an element accepts: its parameters, or a structural element's attributes. */
static void accepted_attributes(const char* element, char* buf, size_t len)
{
  const structural_t* s = find_structural(element);
  if (s != NULL) {
    snprintf(buf, len, "%s", s->attributes);
    return;
  }
  size_t n = 0;
  buf[0]   = '\0';
  for (size_t i = 0; i < params_count() && n < len; i++) {
    const param_desc_t* d = params_get(i);
    if (strcmp(d->element, element) != 0)
      continue;
    int w = snprintf(buf + n, len - n, "%s%s", n ? ", " : "", d->attribute);
    n += w > 0 ? (size_t)w : 0;
  }
}

/* The first parameter that must be written on an element other than the root (platform.file), or NULL. */
static const param_desc_t* required_child_param(void)
{
  for (size_t i = 0; i < params_count(); i++) {
    const param_desc_t* d = params_get(i);
    if (params_is_required(d) && strcmp(d->element, ROOT_ELEMENT) != 0)
      return d;
  }
  return NULL;
}

static void required_child_message(char* out, size_t len)
{
  const param_desc_t* d = required_child_param();
  xbt_assert(d != NULL, "the schema requires a child element, but no parameter is required");
  snprintf(out, len, "<%s %s=\"...\"> is required", d->element, d->attribute);
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* libxml2's validity errors, by code */

/** One validity error, located. */
typedef struct finding {
  const xmlError* e;
  const xmlNode* element; /* the element the error is about (NULL when libxml2 gives none) */
  const xmlAttr* attr;    /* the attribute it is about, when there is one */
  char attribute[128];    /* its name as shown: "name", or "{namespace}name" for one in a namespace */
} finding_t;

/* The attribute of node that libxml2 names qname: "name", or "{namespace}name" for an attribute in a namespace. */
static const xmlAttr* attribute_named(const xmlNode* node, const char* qname)
{
  for (const xmlAttr* a = node->properties; a != NULL && qname != NULL; a = a->next) {
    if (a->ns == NULL || a->ns->href == NULL) {
      if (strcmp((const char*)a->name, qname) == 0)
        return a;
      continue;
    }
    size_t h = strlen((const char*)a->ns->href);
    if (qname[0] == '{' && strncmp(qname + 1, (const char*)a->ns->href, h) == 0 && qname[1 + h] == '}' &&
        strcmp(qname + 2 + h, (const char*)a->name) == 0)
      return a;
  }
  return NULL;
}

/* The attribute of node in the XML Schema instance namespace called local (xsi:type, xsi:nil), or NULL. */
static const xmlAttr* xsi_attribute(const xmlNode* node, const char* local)
{
  for (const xmlAttr* a = node->properties; a != NULL; a = a->next)
    if (a->ns != NULL && a->ns->href != NULL && strcmp((const char*)a->ns->href, XSI_NAMESPACE) == 0 &&
        strcmp((const char*)a->name, local) == 0)
      return a;
  return NULL;
}

static void set_attribute(finding_t* f, const xmlAttr* a, const char* shown)
{
  f->attr = a;
  if (shown != NULL)
    snprintf(f->attribute, sizeof f->attribute, "%s", shown);
  else if (a != NULL && a->ns != NULL && a->ns->href != NULL)
    snprintf(f->attribute, sizeof f->attribute, "{%s}%s", (const char*)a->ns->href, (const char*)a->name);
  else if (a != NULL)
    snprintf(f->attribute, sizeof f->attribute, "%s", (const char*)a->name);
}

/* Element content of an element declared empty: the first child in document order says whether it was text or an
 * element (comments and processing instructions are not content). */
static int first_content_is_element(const xmlNode* node)
{
  for (const xmlNode* c = node->children; c != NULL; c = c->next) {
    if (c->type == XML_ELEMENT_NODE)
      return 1;
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
      return 0;
  }
  return 0;
}

/* A child element libxml2 did not expect where it is: unknown, or known but misplaced. */
static void unexpected_element(const char* element, char* out, size_t len)
{
  char list[LIST_MAX];
  child_elements(list, sizeof list);
  if (strcmp(element, ROOT_ELEMENT) == 0) {
    snprintf(out, len, "<%s> is not allowed here; it is the root element only", element);
    return;
  }
  const structural_t* s = find_structural(element);
  if (s != NULL) {
    snprintf(out, len, "<%s> is not allowed here; %s", element, s->placement);
    return;
  }
  if (!params_is_element(element)) {
    snprintf(out, len, "unknown element <%s>; a <%s> holds %s, then sweeps", element, ROOT_ELEMENT, list);
    return;
  }
  snprintf(out, len, "<%s> is not allowed here; %s each appear at most once, before every <sweep>", element, list);
}

/* An error this schema is not expected to give (its attribute values are all plain strings): libxml2's own words,
 * on one line, after the code. */
static void libxml2_words(const xmlError* e, char* out, size_t len)
{
  char msg[1024];
  snprintf(msg, sizeof msg, "%s", e->message != NULL ? e->message : "");
  for (char* c = msg; *c != '\0'; c++)
    if (*c == '\n' || *c == '\r' || *c == '\t')
      *c = ' ';
  size_t n = strlen(msg);
  while (n > 0 && msg[n - 1] == ' ')
    msg[--n] = '\0';
  snprintf(out, len, "does not follow the scenario schema (libxml2 error %d): %s", e->code, msg);
}

/* The message of a validity error, in the scenario's terms. Fills f's attribute when the error is about one. */
static void validity_message(finding_t* f, char* out, size_t len)
{
  const xmlError* e   = f->e;
  const xmlNode* node = f->element;
  const char* element = node != NULL ? (const char*)node->name : "";
  char list[LIST_MAX];
  switch (e->code) {
  case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1: /* an attribute the element's type does not declare */
  case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2:
    set_attribute(f, node != NULL ? attribute_named(node, e->str1) : NULL, e->str1);
    accepted_attributes(element, list, sizeof list);
    snprintf(out, len, "unknown attribute \"%s\"; <%s> accepts: %s", f->attribute, element, list);
    return;
  case XML_SCHEMAV_CVC_ELT_3_1: /* xsi:nil on an element that is not nillable */
  case XML_SCHEMAV_CVC_ELT_3_2_1:
  case XML_SCHEMAV_CVC_ELT_3_2_2:
  case XML_SCHEMAV_CVC_ELT_4_1: /* xsi:type */
  case XML_SCHEMAV_CVC_ELT_4_2:
  case XML_SCHEMAV_CVC_ELT_4_3: {
    int nil = e->code <= XML_SCHEMAV_CVC_ELT_3_2_2;
    set_attribute(f, node != NULL ? xsi_attribute(node, nil ? "nil" : "type") : NULL,
                  nil ? "{" XSI_NAMESPACE "}nil" : "{" XSI_NAMESPACE "}type");
    accepted_attributes(element, list, sizeof list);
    snprintf(out, len, "unknown attribute \"%s\"; <%s> accepts: %s", f->attribute, element, list);
    return;
  }
  case XML_SCHEMAV_CVC_COMPLEX_TYPE_4: /* a required attribute is missing; str1 is its name */
    snprintf(out, len, "missing required attribute \"%s\"", e->str1 != NULL ? e->str1 : "?");
    return;
  case XML_SCHEMAV_CVC_ELT_1: /* the root is no global element of the schema */
    snprintf(out, len, "the root element must be <%s> (without namespace)", ROOT_ELEMENT);
    return;
  case XML_SCHEMAV_ELEMENT_CONTENT:
    /* Reported on a child that is not expected where it is, or, at its end, on an element whose content is
     * incomplete: the root, the only element with a required child. */
    if (node != NULL && node->parent != NULL && node->parent->type == XML_ELEMENT_NODE)
      unexpected_element(element, out, len);
    else
      required_child_message(out, len);
    return;
  case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_1: /* content in an element declared empty */
    if (node != NULL && first_content_is_element(node))
      snprintf(out, len, "<%s> has no child elements; parameters are attributes", element);
    else
      snprintf(out, len, "text is not allowed inside <%s>; parameters are attributes", element);
    return;
  case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3: /* text in an element that holds elements only */
    snprintf(out, len, "text is not allowed inside <%s>; it only holds elements", element);
    return;
  default:
    libxml2_words(e, out, len);
  }
}

/** What the validation's error handler reports to. */
typedef struct validation {
  const_xmldoc_t doc;
  vn_error_t* err;
  int failed;
} validation_t;

/* Structured error handler: the first error is reported, located at the tag or the attribute. */
static void on_validity_error(void* ctx, xmlErrorPtr e)
{
  validation_t* v = ctx;
  if (v->failed || e == NULL || e->level < XML_ERR_ERROR)
    return;
  v->failed        = 1;
  finding_t f      = {.e = e};
  const xmlNode* n = e->node;
  if (n != NULL && n->type == XML_ATTRIBUTE_NODE) {
    set_attribute(&f, (const xmlAttr*)n, NULL);
    n = n->parent;
  }
  f.element = (n != NULL && n->type == XML_ELEMENT_NODE) ? n : NULL;
  char text[1024];
  validity_message(&f, text, sizeof text);

  int line            = e->line;
  const char* element = NULL;
  if (f.element != NULL) {
    element = (const char*)f.element->name;
    if (line <= 0)
      line = (int)xmlGetLineNo(f.element);
    char written[256] = ""; /* the attribute as written in the file, to find its line */
    if (f.attr != NULL && f.attr->ns != NULL && f.attr->ns->prefix != NULL)
      snprintf(written, sizeof written, "%s:%s", (const char*)f.attr->ns->prefix, (const char*)f.attr->name);
    else if (f.attr != NULL)
      snprintf(written, sizeof written, "%s", (const char*)f.attr->name);
    const_srcloc_t loc = xmldoc_source(v->doc);
    line =
        written[0] != '\0' ? srcloc_attribute_line(loc, line, element, written) : srcloc_tag_line(loc, line, element);
  }
  xmlChar* value = f.attr != NULL ? xmlNodeListGetString(f.attr->doc, f.attr->children, 1) : NULL;
  vn_error_set(v->err, xmldoc_path(v->doc), line, element, f.attribute, value != NULL ? (const char*)value : "", "%s",
               text);
  xmlFree(value);
}

/* Validation against the embedded schema. */
static int validate_xsd(const_xmldoc_t doc, vn_error_t* err)
{
  validation_t v               = {.doc = doc, .err = err};
  xmldoc_hooks_t saved         = xmldoc_hooks_install();
  xmlSchemaParserCtxtPtr pctxt = xmlSchemaNewMemParserCtxt(vnicsim_scenario_xsd, (int)strlen(vnicsim_scenario_xsd));
  xmlSchemaPtr schema          = pctxt != NULL ? xmlSchemaParse(pctxt) : NULL;
  xmlSchemaFreeParserCtxt(pctxt);
  if (schema == NULL) {
    vn_error_set(err, xmldoc_path(doc), 0, NULL, NULL, NULL,
                 "internal error: the embedded scenario schema does not load");
    v.failed = 1;
  } else {
    xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(schema);
    xbt_assert(vctxt != NULL, "out of memory");
    xmlSchemaSetValidStructuredErrors(vctxt, on_validity_error, &v);
    int rc = xmlSchemaValidateDoc(vctxt, xmldoc_tree(doc));
    xmlSchemaFreeValidCtxt(vctxt);
    xmlSchemaFree(schema);
    if (rc != 0 && !v.failed) {
      vn_error_set(err, xmldoc_path(doc), 0, NULL, NULL, NULL, "the document does not follow the scenario schema");
      v.failed = 1;
    }
  }
  xmldoc_hooks_restore(saved);
  return v.failed ? -1 : 0;
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* What XSD 1.0 cannot say: the parameter elements come in any order, each at most once, the required one present. */

static int check_children(const_xmldoc_t doc, vn_error_t* err)
{
  xmlNodePtr root = xmldoc_root(doc);
  size_t count    = params_element_count();
  int* seen       = calloc(count, sizeof *seen);
  xbt_assert(seen != NULL, "out of memory");
  char list[LIST_MAX];
  child_elements(list, sizeof list);
  int rc = 0;
  for (xmlNodePtr n = root->children; rc == 0 && n != NULL; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || find_structural((const char*)n->name) != NULL)
      continue;
    const char* name = (const char*)n->name;
    int line         = xmldoc_element_line(doc, n);
    size_t k         = 0;
    while (k < count && strcmp(params_element(k), name) != 0)
      k++;
    if (k == count || strcmp(name, ROOT_ELEMENT) == 0) { /* the schema refuses these first */
      vn_error_set(err, xmldoc_path(doc), line, name, NULL, NULL, "unknown element");
      rc = -1;
    } else if (seen[k] > 0) {
      vn_error_set(err, xmldoc_path(doc), line, name, NULL, NULL,
                   "<%s> appears twice (first at line %d); each of %s appears at most once", name, seen[k], list);
      rc = -1;
    } else {
      seen[k] = line > 0 ? line : 1;
    }
  }
  const param_desc_t* required = required_child_param();
  if (rc == 0 && required != NULL) {
    size_t k = 0;
    while (k < count && strcmp(params_element(k), required->element) != 0)
      k++;
    if (k < count && seen[k] == 0) {
      char text[256];
      required_child_message(text, sizeof text);
      vn_error_set(err, xmldoc_path(doc), xmldoc_element_line(doc, root), ROOT_ELEMENT, NULL, NULL, "%s", text);
      rc = -1;
    }
  }
  free(seen);
  return rc;
}

int schema_validate(const_xmldoc_t doc, vn_error_t* err)
{
  if (validate_xsd(doc, err) != 0)
    return -1;
  return check_children(doc, err);
}
