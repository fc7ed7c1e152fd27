/* topo_flat: a flat cluster (crossbar): a private link from every host to one switch, and a backbone on every route
 * in the compact form. */
#include "tools/topology.h"

#include <string.h>

/* `flat N`: the host count, as a parameter or as --hosts (or both, if they agree). */
static int flat_take_parameters(platgen_spec_t* spec, const char* parameters, vn_error_t* err)
{
  if (parameters != NULL) {
    unsigned long n;
    if (topology_parse_count_option("flat host count", parameters, PLATGEN_MAX_HOSTS, &n, err))
      return -1;
    if (spec->hosts && spec->hosts != n) {
      vn_error_set(err, NULL, 0, NULL, "--hosts", NULL, "differs from the host count %lu given before", n);
      return -1;
    }
    spec->hosts = n;
  }
  if (!spec->hosts) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "flat needs a host count: vnicsim platform flat N");
    return -1;
  }
  return 0;
}

static int flat_parse(platgen_plan_t* p, vn_error_t* err)
{
  const platgen_spec_t* s = p->spec;
  if (s->hosts < 1 || s->hosts > PLATGEN_MAX_HOSTS) {
    char v[32];
    snprintf(v, sizeof v, "%lu", s->hosts);
    vn_error_set(err, NULL, 0, NULL, "--hosts", v, "a flat cluster needs from 1 to %lu hosts", PLATGEN_MAX_HOSTS);
    return -1;
  }
  p->hosts   = s->hosts;
  p->routers = 1; /* the switch */
  return 0;
}

static void flat_write_title(FILE* out, const platgen_plan_t* p, const char* form)
{
  fprintf(out, "flat cluster (crossbar) of %lu hosts, %s form.\n", p->hosts, form);
}

static void flat_write_parameters(FILE* out, const platgen_plan_t* p)
{
  const platgen_spec_t* s = p->spec;
  char bw[64], lat[64];
  units_quantity_format(&p->bw, 1, bw, sizeof bw);
  units_quantity_format(&p->lat, 1, lat, sizeof lat);
  fprintf(out, "       Parameters: hosts=%lu bw=%s lat=%s", p->hosts, bw, lat);
  if (s->backbone) {
    units_quantity_format(&p->bb_bw, 1, bw, sizeof bw);
    units_quantity_format(&p->bb_lat, 1, lat, sizeof lat);
    fprintf(out, " bb_bw=%s bb_lat=%s", bw, lat);
  }
  fprintf(out, "\n       Every host has a private split-duplex link to one switch");
  if (s->backbone && !s->explicit_form)
    fprintf(out, ";\n       a shared backbone link models the switch fabric");
  else if (s->backbone)
    fprintf(out, " router. The backbone of the compact form\n"
                 "       cannot be a symmetric one-hop link on every path: it is left out");
  fprintf(out, ".\n");
}

static void flat_write_compact(FILE* out, const platgen_plan_t* p)
{
  topology_write_cluster_begin(out, p);
  if (p->spec->backbone) {
    char bw[64], lat[64];
    units_quantity_format(&p->bb_bw, 1, bw, sizeof bw);
    units_quantity_format(&p->bb_lat, 1, lat, sizeof lat);
    fprintf(out, "\n           bb_bw=\"%s\" bb_lat=\"%s\"", bw, lat);
  }
  fprintf(out, "/>\n");
}

/* A star around the cluster's router (named as SimGrid names the compact cluster's router). A backbone on every
 * host-to-host path cannot be one symmetric one-hop link, so the explicit form has none. */
static void flat_write_explicit(FILE* out, const platgen_plan_t* p)
{
  const platgen_spec_t* s = p->spec;
  char router[TOPOLOGY_NAME_LEN], link[TOPOLOGY_NAME_LEN], host[TOPOLOGY_NAME_LEN];
  snprintf(router, sizeof router, "%s%s_router", s->prefix, s->id);
  topology_write_hosts(out, p);
  topology_write_router(out, router);
  for (unsigned long i = 0; i < p->hosts; i++) {
    snprintf(link, sizeof link, "%s_link_%lu", s->id, i);
    topology_write_link(out, link, &p->bw, 1, &p->lat);
  }
  for (unsigned long i = 0; i < p->hosts; i++) {
    snprintf(link, sizeof link, "%s_link_%lu", s->id, i);
    topology_host_name(p, i, host, sizeof host);
    topology_write_route(out, host, router, link);
  }
}

const struct topology_ops topology_flat_ops = {
    .name             = "flat",
    .has_backbone     = 1,
    .take_parameters  = flat_take_parameters,
    .parse            = flat_parse,
    .write_title      = flat_write_title,
    .write_parameters = flat_write_parameters,
    .write_compact    = flat_write_compact,
    .write_explicit   = flat_write_explicit,
};
