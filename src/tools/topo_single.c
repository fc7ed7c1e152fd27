/* topo_single: one host and no network; every transfer is a loopback inside its NIC. */
#include "tools/topology.h"

static int single_take_parameters(platgen_spec_t* spec, const char* parameters, vn_error_t* err)
{
  if (parameters != NULL) {
    vn_error_set(err, NULL, 0, NULL, NULL, parameters, "a single-host platform takes no parameters");
    return -1;
  }
  return 0;
}

static int single_parse(platgen_plan_t* p, vn_error_t* err)
{
  p->hosts = 1;
  if (p->spec->hosts > 1) {
    char v[32];
    snprintf(v, sizeof v, "%lu", p->spec->hosts);
    vn_error_set(err, NULL, 0, NULL, "--hosts", v, "a single-host platform has one host");
    return -1;
  }
  return 0;
}

static void single_write_title(FILE* out, const platgen_plan_t* p, const char* form)
{
  fprintf(out, "a single host, no network (every transfer is a loopback inside the NIC).\n");
}

/* Both forms are this one zone: there is nothing to route. */
static void single_write_compact(FILE* out, const platgen_plan_t* p)
{
  fprintf(out, "  <zone id=\"%s\" routing=\"Full\">\n", p->spec->id);
  topology_write_hosts(out, p);
  fprintf(out, "  </zone>\n");
}

const struct topology_ops topology_single_ops = {
    .name             = "single",
    .take_parameters  = single_take_parameters,
    .parse            = single_parse,
    .write_title      = single_write_title,
    .write_parameters = NULL,
    .write_compact    = single_write_compact,
    .write_explicit   = NULL,
};
