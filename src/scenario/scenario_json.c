/* scenario_json: the expanded scenario as one JSON object (the manifest's "scenario"): every parameter with its
 * default filled in and written with units, the sweeps with their values, and the number of run points. Declared in
 * scenario.h (scenario_write_json), written only through the scenario's public accessors. */
#include <string.h>

#include "base/json.h"
#include "scenario/scenario.h"
#include "scenario/sweep.h"

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

/* One object per element ("nic": {...}), each parameter of the table in it, in table order; each member is preceded
 * by ",": the "path" member comes first. */
static void write_parameters(FILE* out, const params_t* p, int indent)
{
  const char* element = NULL;
  for (size_t i = 0; i < params_count(); i++) {
    const param_desc_t* d = params_get(i);
    if (element == NULL || strcmp(element, d->element) != 0) {
      if (element != NULL) {
        json_indent(out, indent);
        fputc('}', out);
      }
      fputc(',', out);
      json_indent(out, indent);
      json_write_string(out, d->element);
      fputs(": {", out);
      element = d->element;
    } else {
      fputc(',', out);
    }
    json_indent(out, indent + 2);
    json_write_string(out, d->attribute);
    fputs(": ", out);
    json_param(out, p, d);
  }
  json_indent(out, indent);
  fputs("},", out);
}

/* The settings of each case of a sweep of cases: {"label": {"element.attribute": "value", ...}, ...}. */
static void write_cases(FILE* out, const_sweep_t s, int indent)
{
  fputs(", \"cases\": {", out);
  for (size_t v = 0; v < sweep_size(s); v++) {
    fputs(v ? "," : "", out);
    json_indent(out, indent + 2);
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
  json_indent(out, indent);
  fputc('}', out);
}

static void write_sweeps(FILE* out, const_scenario_t sc, int indent)
{
  size_t n = scenario_sweep_count(sc);
  fputs("\"sweeps\": [", out);
  for (size_t k = 0; k < n; k++) {
    const_sweep_t s = scenario_sweep(sc, k);
    int cases       = sweep_kind(s) == SWEEP_CASES;
    json_indent(out, indent + 2);
    fputs("{\"name\": ", out);
    json_write_string(out, sweep_name(s));
    fprintf(out, ", \"kind\": \"%s\", \"values\": [", cases ? "cases" : "values");
    for (size_t v = 0; v < sweep_size(s); v++) {
      fputs(v ? ", " : "", out);
      json_write_string(out, sweep_value_canonical(s, v));
    }
    fputc(']', out);
    if (cases)
      write_cases(out, s, indent + 2);
    fputs(k + 1 < n ? "}," : "}", out);
  }
  if (n > 0)
    json_indent(out, indent);
  fputs("],", out);
}

void scenario_write_json(const_scenario_t sc, FILE* out, int indent)
{
  fputc('{', out);
  json_indent(out, indent + 2);
  fputs("\"path\": ", out);
  json_write_string(out, scenario_path(sc));
  write_parameters(out, scenario_base(sc), indent + 2);
  json_indent(out, indent + 2);
  write_sweeps(out, sc, indent + 2);
  json_indent(out, indent + 2);
  fprintf(out, "\"points\": %zu", scenario_point_count(sc));
  json_indent(out, indent);
  fputc('}', out);
}
