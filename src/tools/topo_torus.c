/* topo_torus: SimGrid's TORUS (X,Y,Z,...), a direct network whose hosts are its routers, and the same wiring as
 * one-hop links between neighbours. */
#include "tools/topology.h"

#include <xbt/sysdep.h>

/* Most torus dimensions accepted: far beyond any machine, small enough for a fixed array. */
#define MAX_DIMS 16

/** The parsed parameters. */
typedef struct torus {
  unsigned ndims;
  unsigned long dims[MAX_DIMS]; /* the first varies fastest */
} torus_t;

static int torus_parse(platgen_plan_t* p, vn_error_t* err)
{
  const char* text = p->spec->topo_parameters;
  torus_t* t       = xbt_new0(torus_t, 1);
  p->shape         = t;
  int n            = topology_parse_counts(text, ',', t->dims, MAX_DIMS, "torus dimensions", text, "dimension", err);
  if (n < 0)
    return -1;
  t->ndims = (unsigned)n;
  p->hosts = 1;
  for (unsigned i = 0; i < t->ndims; i++)
    if ((p->hosts = topology_mul_capped(p->hosts, t->dims[i])) == 0) {
      vn_error_set(err, NULL, 0, NULL, "torus dimensions", text, "too many hosts (at most %lu)", PLATGEN_MAX_HOSTS);
      return -1;
    }
  p->routers = 0; /* the hosts route */
  return topology_check_host_option(p, err);
}

static void torus_write_title(FILE* out, const platgen_plan_t* p, const char* form)
{
  const torus_t* t = p->shape;
  char dims[256];
  topology_join_counts(t->dims, t->ndims, 'x', dims, sizeof dims);
  fprintf(out, "%u-D torus %s, %s form.\n", t->ndims, dims, form);
}

static void torus_write_parameters(FILE* out, const platgen_plan_t* p)
{
  topology_write_parameters_line(out, p, "per link, per hop");
  fprintf(out, "       Hosts are the torus routers: each links to its +1 neighbour in every dimension.\n");
}

static void torus_write_compact(FILE* out, const platgen_plan_t* p)
{
  topology_write_cluster(out, p, "TORUS");
}

/* The explicit form, wired as SimGrid's TorusZone: host r links to its +1 neighbour (with wraparound) in every
 * dimension, the first dimension varying fastest. In a dimension of size 2 the wraparound link duplicates the other
 * one and SimGrid's routing never uses it; in a dimension of size 1 it is a self-loop: neither is written. The links
 * keep the compact form's names. Writes the links, or with @p routes their routes. */
static void foreach_link(FILE* out, const platgen_plan_t* p, int routes)
{
  const torus_t* t = p->shape;
  char link[TOPOLOGY_NAME_LEN], src[TOPOLOGY_NAME_LEN], dst[TOPOLOGY_NAME_LEN];
  for (unsigned long r = 0; r < p->hosts; r++) {
    unsigned long stride = 1;
    for (unsigned j = 0; j < t->ndims; j++) {
      unsigned long dim   = t->dims[j];
      unsigned long coord = (r / stride) % dim;
      unsigned long nb    = coord == dim - 1 ? r - (dim - 1) * stride : r + stride;
      if (dim > 2 || (dim == 2 && coord == 0)) {
        snprintf(link, sizeof link, "%s_link_from_%lu_to_%lu", p->spec->id, r, nb);
        if (routes) {
          topology_host_name(p, r, src, sizeof src);
          topology_host_name(p, nb, dst, sizeof dst);
          topology_write_route(out, src, dst, link);
        } else {
          topology_write_link(out, link, &p->bw, 1, &p->lat);
        }
      }
      stride *= dim;
    }
  }
}

static void torus_write_explicit(FILE* out, const platgen_plan_t* p)
{
  topology_write_hosts(out, p);
  foreach_link(out, p, 0);
  foreach_link(out, p, 1);
}

const struct topology_ops topology_torus_ops = {
    .name             = "torus",
    .take_parameters  = topology_take_topo_parameters,
    .parse            = torus_parse,
    .write_title      = torus_write_title,
    .write_parameters = torus_write_parameters,
    .write_compact    = torus_write_compact,
    .write_explicit   = torus_write_explicit,
};
