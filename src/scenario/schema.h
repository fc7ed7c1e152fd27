/* schema: the structure of a scenario document (which elements go where, which attributes each one carries), checked
 * against the schema compiled into the binary (scenarios/scenario.xsd) and the rules XSD 1.0 cannot say; libxml2's
 * validity errors are said in the scenario's terms, chosen by their error code. */
#ifndef VNICSIM_SCHEMA_H
#define VNICSIM_SCHEMA_H

#include "base/error.h"
#include "scenario/xmldoc.h"

/** @brief Check the structure of @p doc: the embedded schema first, then the rules it cannot express (each parameter
 *  element at most once; an element holding a required parameter, <platform>, present). Values are not looked at:
 *  the scenario reader parses and checks them. Returns 0, or -1 with @p err naming the file, the line (where the
 *  tag or the attribute is written), the element, the attribute and its value. */
int schema_validate(const_xmldoc_t doc, vn_error_t* err);

#endif
