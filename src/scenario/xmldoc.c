/* xmldoc: reading a scenario file with libxml2, every external access refused, malformed XML reported with its line. */
#include "scenario/xmldoc.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xbt/asserts.h>
#include <xbt/sysdep.h>

#define SCENARIO_FILE_MAX (16 * 1024 * 1024) /* a scenario is a few kB; refuse anything absurd before parsing */

struct s_xmldoc {
  char* path;
  char* bytes; /* the file's text, which loc indexes */
  srcloc_t loc;
  xmlDocPtr tree;
};

struct s_xmldoc_hooks {
  xmlExternalEntityLoader loader;
  xmlGenericErrorFunc generic;
  void* generic_ctx;
};

/* Entities are never expanded and no DTD is loaded; this loader makes sure nothing else can fetch a file or a URL. */
static xmlParserInputPtr refuse_external_entity(const char* url, const char* id, xmlParserCtxtPtr ctxt)
{
  return NULL;
}

static void ignore_generic_error(void* ctx, const char* msg, ...) {}

xmldoc_hooks_t xmldoc_hooks_install(void)
{
  xmlInitParser();
  xmldoc_hooks_t saved = xbt_new(s_xmldoc_hooks_t, 1);
  saved->loader        = xmlGetExternalEntityLoader();
  saved->generic       = xmlGenericError;
  saved->generic_ctx   = xmlGenericErrorContext;
  xmlSetExternalEntityLoader(refuse_external_entity);
  xmlSetGenericErrorFunc(NULL, ignore_generic_error);
  return saved;
}

void xmldoc_hooks_restore(xmldoc_hooks_t saved)
{
  if (saved == NULL)
    return;
  xmlSetExternalEntityLoader(saved->loader);
  xmlSetGenericErrorFunc(saved->generic_ctx, saved->generic);
  free(saved);
}

/* What the parser's callbacks report to. */
typedef struct parse_state {
  const char* path;
  vn_error_t* err;
  int failed;
  int doctype_line; /* > 0 once a DOCTYPE was met */
} parse_state_t;

/* SAX: a DOCTYPE starts. Stop at once, before any declaration of its internal subset is read. */
static void on_doctype(void* ctx, const xmlChar* name, const xmlChar* external_id, const xmlChar* system_id)
{
  xmlParserCtxtPtr ctxt = ctx;
  parse_state_t* st     = ctxt->_private;
  if (st->doctype_line == 0)
    st->doctype_line = (ctxt->input != NULL && ctxt->input->line > 0) ? ctxt->input->line : 1;
  xmlStopParser(ctxt);
}

/* Copies s into out as one line (line breaks and tabs become blanks), without trailing blanks. */
static void copy_one_line(char* out, size_t len, const char* s)
{
  snprintf(out, len, "%s", s != NULL ? s : "");
  for (char* c = out; *c != '\0'; c++)
    if (*c == '\n' || *c == '\r' || *c == '\t')
      *c = ' ';
  size_t n = strlen(out);
  while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' ' || out[n - 1] == '\r'))
    out[--n] = '\0';
}

/* The first error of the parse is the one reported (with the parser's own line and words); warnings are ignored. */
static void on_parse_error(void* ctx, xmlErrorPtr e)
{
  xmlParserCtxtPtr ctxt = ctx;
  parse_state_t* st     = ctxt->_private;
  if (st->failed || e == NULL || e->level < XML_ERR_ERROR)
    return;
  st->failed = 1;
  char msg[1024];
  copy_one_line(msg, sizeof msg, e->message);
  vn_error_set(st->err, st->path, e->line, NULL, NULL, NULL, "malformed XML: %s", msg);
}

/* What a file that is not a regular file is, for messages. */
static const char* file_kind(mode_t mode)
{
  return S_ISDIR(mode)    ? "a directory"
         : S_ISFIFO(mode) ? "a FIFO (named pipe)"
         : S_ISSOCK(mode) ? "a socket"
         : S_ISCHR(mode)  ? "a character device"
         : S_ISBLK(mode)  ? "a block device"
                          : "not a regular file";
}

/* Reads the whole file (at most SCENARIO_FILE_MAX bytes). Returns the bytes (caller frees) or NULL with err. Anything
 * but a regular file is refused before it is opened: opening a FIFO would wait for a writer forever, and a device
 * never ends. The file is then opened without blocking and checked again, in case it was replaced meanwhile. */
static char* read_whole_file(const char* path, size_t* size, vn_error_t* err)
{
  struct stat st;
  if (stat(path, &st) != 0) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot read the scenario file: %s", strerror(errno));
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "is %s, not a scenario file", file_kind(st.st_mode));
    return NULL;
  }
  if (st.st_size > SCENARIO_FILE_MAX) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "scenario file larger than %d bytes", SCENARIO_FILE_MAX);
    return NULL;
  }
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot read the scenario file: %s", strerror(errno));
    return NULL;
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > SCENARIO_FILE_MAX) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot read the scenario file: it changed while being opened");
    close(fd);
    return NULL;
  }
  FILE* f = fdopen(fd, "rb");
  if (f == NULL) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot read the scenario file: %s", strerror(errno));
    close(fd);
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

/* Parses text. Returns the tree, or NULL with err filled. */
static xmlDocPtr parse(const char* path, const char* text, size_t len, vn_error_t* err)
{
  parse_state_t st      = {.path = path, .err = err};
  xmldoc_hooks_t saved  = xmldoc_hooks_install();
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  xbt_assert(ctxt != NULL, "out of memory");
  ctxt->_private            = &st;
  ctxt->sax->internalSubset = on_doctype;
  ctxt->sax->externalSubset = NULL;
  ctxt->sax->serror         = on_parse_error;
  /* NONET: no network; no NOENT (entities are not substituted), no DTDLOAD/DTDATTR/DTDVALID (no DTD is read), no
   * XINCLUDE. A DOCTYPE of any kind stops the parser (on_doctype), so no entity can even be declared. */
  int options   = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
  xmlDocPtr doc = xmlCtxtReadMemory(ctxt, text, (int)len, path, NULL, options);
  xmlFreeParserCtxt(ctxt);
  xmldoc_hooks_restore(saved);

  if (st.doctype_line > 0) {
    vn_error_clear(err);
    vn_error_set(err, path, st.doctype_line, NULL, NULL, NULL,
                 "DOCTYPE not allowed: a scenario has no DTD, and entities are never expanded");
    st.failed = 1;
  } else if (!st.failed && doc == NULL) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "malformed XML: the document cannot be parsed");
    st.failed = 1;
  }
  if (st.failed) {
    xmlFreeDoc(doc);
    return NULL;
  }
  return doc;
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

xmldoc_t xmldoc_load(const char* path, vn_error_t* err)
{
  size_t size;
  char* bytes = read_whole_file(path, &size, err);
  if (bytes == NULL)
    return NULL;
  xmlDocPtr tree = parse(path, bytes, size, err);
  if (tree == NULL) {
    free(bytes);
    return NULL;
  }
  drop_blank_text((xmlNodePtr)tree);
  xmldoc_t doc = xbt_new0(s_xmldoc_t, 1);
  doc->path    = xbt_strdup(path);
  doc->bytes   = bytes;
  doc->loc     = srcloc_create(bytes, size);
  doc->tree    = tree;
  return doc;
}

void xmldoc_free(xmldoc_t doc)
{
  if (doc == NULL)
    return;
  xmlFreeDoc(doc->tree);
  srcloc_free(doc->loc);
  free(doc->bytes);
  free(doc->path);
  free(doc);
}

const char* xmldoc_path(const_xmldoc_t doc)
{
  return doc->path;
}

xmlDocPtr xmldoc_tree(const_xmldoc_t doc)
{
  return doc->tree;
}

xmlNodePtr xmldoc_root(const_xmldoc_t doc)
{
  return xmlDocGetRootElement(doc->tree);
}

const_srcloc_t xmldoc_source(const_xmldoc_t doc)
{
  return doc->loc;
}

int xmldoc_element_line(const_xmldoc_t doc, const xmlNode* node)
{
  long line = xmlGetLineNo(node);
  return line > 0 ? srcloc_tag_line(doc->loc, (int)line, (const char*)node->name) : 0;
}

int xmldoc_attribute_line(const_xmldoc_t doc, const xmlNode* node, const char* name)
{
  long line = xmlGetLineNo(node);
  return line > 0 ? srcloc_attribute_line(doc->loc, (int)line, (const char*)node->name, name) : 0;
}
