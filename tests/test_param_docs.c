/* test_param_docs: the schema's attribute declarations and the reference tables of docs/scenario-format.md agree
 * with the parameter table, and the check names every kind of difference on deliberately wrong copies (an attribute
 * missing, extra, repeated, out of order or declared differently; a wrong default, kind, range or meaning); the
 * update turns each wrong copy back into the committed file. */
#include <criterion/criterion.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/param_docs.h"
#include "scenario/param_table.h"

#define XSD_PATH VNICSIM_SOURCE_DIR "/scenarios/scenario.xsd"
#define MD_PATH VNICSIM_SOURCE_DIR "/docs/scenario-format.md"

static char* slurp(const char* path)
{
  FILE* f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  static const size_t cap = 1 << 20;
  char* buf               = malloc(cap);
  cr_assert_not_null(buf);
  size_t n = fread(buf, 1, cap - 1, f);
  fclose(f);
  cr_assert_lt(n, cap - 1, "%s is larger than the test expects", path);
  buf[n] = '\0';
  return buf;
}

/* text with the first occurrence of old replaced by new (malloc'd); old must be there. */
static char* replaced(const char* text, const char* old, const char* new)
{
  const char* at = strstr(text, old);
  cr_assert_not_null(at, "the committed file no longer contains: %s", old);
  size_t n = strlen(text) - strlen(old) + strlen(new);
  char* s  = malloc(n + 1);
  cr_assert_not_null(s);
  size_t head = (size_t)(at - text);
  memcpy(s, text, head);
  strcpy(s + head, new);
  strcat(s, at + strlen(old));
  return s;
}

typedef size_t (*check_fn)(const char*, const char*, FILE*);
typedef char* (*update_fn)(const char*, char*, size_t);

/* Checks text; returns the report (malloc'd) and the number of differences in *count. */
static char* check(check_fn fn, const char* text, size_t* count)
{
  char* buf  = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&buf, &len);
  cr_assert_not_null(f);
  *count = fn(text, "copy", f);
  fclose(f);
  return buf;
}

/* A wrong copy: the check must report at least one difference, every line of it starting with the file name and
 * each of the wanted fragments in it; the update must give the committed text back. */
static void expect_caught(check_fn fn, update_fn update, const char* committed, char* wrong, const char* const* wanted)
{
  size_t count;
  char* report = check(fn, wrong, &count);
  cr_expect_gt(count, 0, "the check accepts a wrong copy");
  for (size_t i = 0; wanted[i] != NULL; i++)
    cr_expect(strstr(report, wanted[i]) != NULL, "the report should say \"%s\":\n%s", wanted[i], report);
  for (const char* line = report; *line != '\0'; line = strchr(line, '\n') + 1)
    cr_expect(strncmp(line, "copy: <", 7) == 0, "a report line names the file and the element: %s", line);
  char err[512] = "";
  char* fixed   = update(wrong, err, sizeof err);
  cr_assert_not_null(fixed, "update failed: %s", err);
  cr_expect_str_eq(fixed, committed, "the update does not give the committed file back");
  free(fixed);
  free(report);
  free(wrong);
}

Test(param_docs, committed_files_agree_with_the_table)
{
  char* xsd = slurp(XSD_PATH);
  char* md  = slurp(MD_PATH);
  size_t n;
  char* report = check(param_docs_check_xsd, xsd, &n);
  cr_expect_eq(n, 0, "scenario.xsd differs from the table (scripts/regen-docs.sh):\n%s", report);
  free(report);
  report = check(param_docs_check_markdown, md, &n);
  cr_expect_eq(n, 0, "scenario-format.md differs from the table (scripts/regen-docs.sh):\n%s", report);
  free(report);
  char err[512] = "";
  char* again   = param_docs_update_xsd(xsd, err, sizeof err);
  cr_assert_not_null(again, "%s", err);
  cr_expect_str_eq(again, xsd, "regenerating an up-to-date schema changes it");
  free(again);
  again = param_docs_update_markdown(md, err, sizeof err);
  cr_assert_not_null(again, "%s", err);
  cr_expect_str_eq(again, md, "regenerating up-to-date docs changes them");
  free(again);
  free(xsd);
  free(md);
}

/* Every parameter of the table has its declaration and its row (whatever the table holds, access-mode parameters
 * included), and the committed schema still loads as a schema. */
Test(param_docs, every_parameter_is_declared_and_documented)
{
  char* xsd = slurp(XSD_PATH);
  char* md  = slurp(MD_PATH);
  for (size_t i = 0; i < params_count(); i++) {
    const param_desc_t* d = params_get(i);
    char decl[256];
    snprintf(decl, sizeof decl, "<xs:attribute name=\"%s\" type=\"xs:string\"%s/>", d->attribute,
             params_is_required(d) ? " use=\"required\"" : "");
    cr_expect(strstr(xsd, decl) != NULL, "%s: no %s in the schema", d->key, decl);
    char row[256];
    snprintf(row, sizeof row, "\n| `%s` | ", d->attribute);
    cr_expect(strstr(md, row) != NULL, "%s: no row in the docs", d->key);
  }
  xmlSchemaParserCtxtPtr pctxt = xmlSchemaNewMemParserCtxt(xsd, (int)strlen(xsd));
  xmlSchemaPtr schema          = xmlSchemaParse(pctxt);
  cr_expect_not_null(schema, "the committed schema does not load");
  xmlSchemaFree(schema);
  xmlSchemaFreeParserCtxt(pctxt);
  free(xsd);
  free(md);
}

Test(param_docs, schema_differences_are_named)
{
  char* xsd           = slurp(XSD_PATH);
  const char* trap    = "    <xs:attribute name=\"trap\" type=\"xs:string\"/>\n";
  const char* header  = "    <xs:attribute name=\"header\" type=\"xs:string\"/>\n";
  const char* file    = "<xs:attribute name=\"file\" type=\"xs:string\" use=\"required\"/>";
  const char* hosts   = "    <xs:attribute name=\"hosts\" type=\"xs:string\"/>\n";
  const char* arrival = "    <xs:attribute name=\"arrival\" type=\"xs:string\"/>\n";
  char swapped[256];
  snprintf(swapped, sizeof swapped, "%s%s", header, trap);
  char doubled[256];
  snprintf(doubled, sizeof doubled, "%s%s", arrival, arrival);
  char extra[256];
  snprintf(extra, sizeof extra, "%s    <xs:attribute name=\"gpu\" type=\"xs:string\"/>\n", hosts);

  expect_caught(param_docs_check_xsd, param_docs_update_xsd, xsd, replaced(xsd, trap, ""),
                (const char* const[]){"<nic>: attribute \"trap\" is missing (parameter nic.trap", NULL});
  expect_caught(param_docs_check_xsd, param_docs_update_xsd, xsd, replaced(xsd, hosts, extra),
                (const char* const[]){"<platform>: attribute \"gpu\" is not a parameter of the table", NULL});
  expect_caught(param_docs_check_xsd, param_docs_update_xsd, xsd,
                replaced(xsd, file, "<xs:attribute name=\"file\" type=\"xs:string\"/>"),
                (const char* const[]){"<platform>: attribute \"file\": the declaration is", "use=\"required\"", NULL});
  expect_caught(param_docs_check_xsd, param_docs_update_xsd, xsd, replaced(xsd, arrival, doubled),
                (const char* const[]){"<workload>: attribute \"arrival\" is listed twice", NULL});
  char* reordered = replaced(xsd, trap, "");
  char* tmp       = replaced(reordered, header, swapped);
  free(reordered);
  expect_caught(param_docs_check_xsd, param_docs_update_xsd, xsd, tmp,
                (const char* const[]){"<nic>: attributes are not in the table's order: \"header\"", NULL});

  /* an element whose type is gone cannot be regenerated: the reason names it */
  char* no_type = replaced(xsd, "<xs:complexType name=\"consumersType\">", "<xs:complexType name=\"cpuType\">");
  size_t n;
  char* report = check(param_docs_check_xsd, no_type, &n);
  cr_expect(strstr(report, "<consumers>: no <xs:complexType name=\"consumersType\">") != NULL, "%s", report);
  char err[512] = "";
  cr_expect_null(param_docs_update_xsd(no_type, err, sizeof err));
  cr_expect(strstr(err, "<consumers>") != NULL, "%s", err);
  free(report);
  free(no_type);
  free(xsd);
}

Test(param_docs, documentation_differences_are_named)
{
  char* md          = slurp(MD_PATH);
  const char* depth = "| `queue-depth` | `64` | count | [1, 1000000000] | NIC request FIFO capacity, the WR in service "
                      "included |\n";
  const char* trap  = "| `trap` | `1.5us` | time | [0s, 1000000s] | one VM exit + re-entry |\n";
  const char* lock =
      "| `lock-handoff` | `100ns` | time | [0s, 1000000s] | passing a contended lock to the next core |\n";
  char swapped[512];
  snprintf(swapped, sizeof swapped, "%s%s", trap, lock);
  char both[512];
  snprintf(both, sizeof both, "%s%s", lock, trap);

  expect_caught(param_docs_check_markdown, param_docs_update_markdown, md,
                replaced(md, "| `queue-depth` | `64` |", "| `queue-depth` | `32` |"),
                (const char* const[]){"<nic>: attribute \"queue-depth\": the default is \"`32`\", the table gives "
                                      "\"`64`\"",
                                      NULL});
  expect_caught(
      param_docs_check_markdown, param_docs_update_markdown, md,
      replaced(md, "| `trap` | `1.5us` | time |", "| `trap` | `1.5us` | count |"),
      (const char* const[]){"<nic>: attribute \"trap\": the kind is \"count\", the table gives \"time\"", NULL});
  expect_caught(param_docs_check_markdown, param_docs_update_markdown, md,
                replaced(md, "[1, 1000000000] | NIC request", "[0, 1000000000] | NIC request"),
                (const char* const[]){"attribute \"queue-depth\": the valid range is \"[0, 1000000000]\"", NULL});
  expect_caught(param_docs_check_markdown, param_docs_update_markdown, md,
                replaced(md, "| one VM exit + re-entry |", "| one exit |"),
                (const char* const[]){"attribute \"trap\": the meaning is", NULL});
  expect_caught(param_docs_check_markdown, param_docs_update_markdown, md, replaced(md, depth, ""),
                (const char* const[]){"<nic>: attribute \"queue-depth\" is missing (parameter nic.queue-depth", NULL});
  expect_caught(param_docs_check_markdown, param_docs_update_markdown, md,
                replaced(md, trap,
                         "| `trap` | `1.5us` | time | [0s, 1000000s] | one VM exit + re-entry |\n"
                         "| `gpu` | (none) | count | [0, 8] | GPUs per host |\n"),
                (const char* const[]){"<nic>: attribute \"gpu\" is not a parameter of the table (no nic.gpu)", NULL});
  expect_caught(param_docs_check_markdown, param_docs_update_markdown, md, replaced(md, both, swapped),
                (const char* const[]){"<nic>: attributes are not in the table's order: \"trap\"", NULL});

  /* parameters documented under an element that has none */
  char* stray = replaced(md, "## `<sweep>`",
                         "## `<gpu>`\n\n| attribute | default | kind | valid | meaning |\n"
                         "|---|---|---|---|---|\n| `count` | `0` | count | [0, 8] | GPUs |\n\n"
                         "## `<sweep>`");
  size_t n;
  char* report = check(param_docs_check_markdown, stray, &n);
  cr_expect_eq(n, 1, "%s", report);
  cr_expect(strstr(report, "<gpu>: its section lists parameters, but the table has none") != NULL, "%s", report);
  free(report);
  free(stray);

  /* a section without its table cannot be regenerated: the reason names the element */
  char* no_section = replaced(md, "## `<consumers>`", "## Consumers");
  report           = check(param_docs_check_markdown, no_section, &n);
  cr_expect(strstr(report, "<consumers>: no section") != NULL, "%s", report);
  char err[512] = "";
  cr_expect_null(param_docs_update_markdown(no_section, err, sizeof err));
  cr_expect(strstr(err, "<consumers>") != NULL, "%s", err);
  free(report);
  free(no_section);
  free(md);
}
