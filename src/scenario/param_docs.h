/* param_docs: the parameter table written as the two references that must agree with it, the attribute declarations of
 * the schema (scenarios/scenario.xsd) and the reference tables of docs/scenario-format.md; the comparison of committed
 * copies with it (a test fails on any difference) and the rewriting of those parts (scripts/regen-docs.sh). Only
 * these parts are generated; the rest of both files (element structure, prose) is written by hand. */
#ifndef VNICSIM_PARAM_DOCS_H
#define VNICSIM_PARAM_DOCS_H

#include <stddef.h>
#include <stdio.h>

/** @brief Compare the schema text @p xsd with the table: for every element that carries parameters, the
 *  <xs:attribute> lines of its type (<xs:complexType name="nicType">, or the complexType of the global element for the
 *  root) must be one per parameter, in table order, `<xs:attribute name="ATTR" type="xs:string"/>` with
 *  ` use="required"` for a required parameter. Writes one line per difference to @p report (NULL: none), starting
 *  with @p name, naming the element and the missing, extra, repeated or different attribute. Returns the number of
 *  differences (0: in sync). */
size_t param_docs_check_xsd(const char* xsd, const char* name, FILE* report);

/** @brief Compare the Markdown text @p md with the table: for every element that carries parameters, the section
 *  "## `<element>`" holds a table headed `| attribute | default | kind | valid | meaning |` with one row per
 *  parameter, in table order; default, kind, valid range and meaning are those of the table. A parameter table in the
 *  section of an element without parameters is a difference too. Reports and returns as param_docs_check_xsd(). */
size_t param_docs_check_markdown(const char* md, const char* name, FILE* report);

/** @brief @p xsd with the attribute declarations of every element that carries parameters replaced by the table's
 *  (the rest of the text unchanged). Returns a new string to free(), or NULL with a reason in @p err when an element
 *  has no type in the text to put them in. */
char* param_docs_update_xsd(const char* xsd, char* err, size_t len);

/** @brief @p md with the rows of every parameter table replaced by the table's. Returns a new string to free(), or
 *  NULL with a reason in @p err when an element has no section or its section no parameter table. */
char* param_docs_update_markdown(const char* md, char* err, size_t len);

#endif
