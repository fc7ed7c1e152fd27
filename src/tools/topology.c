/* topology: what the topology kinds of the platform generator share: counts in parameter strings, names, and the
 * XML of hosts, routers, links, routes and clusters. */
#include "tools/topology.h"

#include <string.h>

/* ---- parameters ---- */

int topology_parse_counts(const char* text, char sep, unsigned long* out, int max, const char* what, const char* whole,
                          const char* field_name, vn_error_t* err)
{
  int n           = 0;
  const char* cur = text;
  for (;;) {
    const char* next = strchr(cur, sep);
    size_t len       = next ? (size_t)(next - cur) : strlen(cur);
    if (n == max) {
      vn_error_set(err, NULL, 0, NULL, what, whole, "too many %s (at most %d)", field_name, max);
      return -1;
    }
    units_count_status_t rc = units_parse_count(cur, len, 1, TOPOLOGY_MAX_COUNT, &out[n]);
    if (rc != UNITS_COUNT_OK) {
      vn_error_set(err, NULL, 0, NULL, what, whole, "%s \"%.*s\" %s", field_name, (int)len, cur,
                   rc == UNITS_COUNT_TOO_LARGE ? "is too large (at most 65536)"
                                               : "must be a whole number of at least 1");
      return -1;
    }
    n++;
    if (!next)
      return n;
    cur = next + 1;
  }
}

int topology_parse_count_option(const char* what, const char* value, unsigned long max, unsigned long* out,
                                vn_error_t* err)
{
  if (units_parse_count(value, strlen(value), 1, max, out) != UNITS_COUNT_OK) {
    vn_error_set(err, NULL, 0, NULL, what, value, "expected a whole number from 1 to %lu", max);
    return -1;
  }
  return 0;
}

unsigned long topology_mul_capped(unsigned long a, unsigned long b)
{
  if (a == 0 || b == 0 || a > PLATGEN_MAX_HOSTS || b > PLATGEN_MAX_HOSTS || a * b > PLATGEN_MAX_HOSTS)
    return 0;
  return a * b;
}

int topology_take_topo_parameters(platgen_spec_t* spec, const char* parameters, vn_error_t* err)
{
  if (parameters == NULL) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "%s needs its parameters (vnicsim platform --help)",
                 platgen_topology_name(spec->topology));
    return -1;
  }
  if (strlen(parameters) >= sizeof spec->topo_parameters) {
    vn_error_set(err, NULL, 0, NULL, NULL, parameters, "topology parameters too long");
    return -1;
  }
  strcpy(spec->topo_parameters, parameters);
  return 0;
}

int topology_check_host_option(const platgen_plan_t* p, vn_error_t* err)
{
  const platgen_spec_t* s = p->spec;
  if (s->hosts == 0 || s->hosts == p->hosts)
    return 0;
  char v[32];
  snprintf(v, sizeof v, "%lu", s->hosts);
  vn_error_set(err, NULL, 0, NULL, "--hosts", v, "inconsistent with the %s parameters \"%s\", which give %lu hosts",
               p->ops->name, s->topo_parameters, p->hosts);
  return -1;
}

void topology_join_counts(const unsigned long* v, unsigned n, char sep, char* buf, size_t len)
{
  size_t k = 0;
  buf[0]   = '\0';
  for (unsigned i = 0; i < n && k < len; i++) {
    int w = i ? snprintf(buf + k, len - k, "%c%lu", sep, v[i]) : snprintf(buf + k, len - k, "%lu", v[i]);
    k += w > 0 ? (size_t)w : 0;
  }
}

/* ---- XML ---- */

void topology_host_name(const platgen_plan_t* p, unsigned long rank, char* buf, size_t len)
{
  snprintf(buf, len, "%s%lu", p->spec->prefix, rank);
}

void topology_write_hosts(FILE* out, const platgen_plan_t* p)
{
  for (unsigned long rank = 0; rank < p->hosts; rank++)
    fprintf(out, "    <host id=\"%s%lu\" speed=\"%s\" core=\"%lu\"/>\n", p->spec->prefix, rank, p->spec->speed,
            p->spec->cores);
}

void topology_write_router(FILE* out, const char* name)
{
  fprintf(out, "    <router id=\"%s\"/>\n", name);
}

void topology_write_link(FILE* out, const char* id, const units_quantity_t* bw, double times,
                         const units_quantity_t* lat)
{
  char b[64], l[64];
  units_quantity_format(bw, times, b, sizeof b);
  units_quantity_format(lat, 1, l, sizeof l);
  fprintf(out, "    <link id=\"%s\" bandwidth=\"%s\" latency=\"%s\" sharing_policy=\"SPLITDUPLEX\"/>\n", id, b, l);
}

void topology_write_route(FILE* out, const char* src, const char* dst, const char* link)
{
  fprintf(out, "    <route src=\"%s\" dst=\"%s\"><link_ctn id=\"%s\" direction=\"UP\"/></route>\n", src, dst, link);
}

void topology_write_cluster_begin(FILE* out, const platgen_plan_t* p)
{
  const platgen_spec_t* s = p->spec;
  char bw[64], lat[64];
  units_quantity_format(&p->bw, 1, bw, sizeof bw);
  units_quantity_format(&p->lat, 1, lat, sizeof lat);
  fprintf(out, "  <cluster id=\"%s\" prefix=\"%s\" radical=\"0-%lu\" suffix=\"\"\n", s->id, s->prefix, p->hosts - 1);
  fprintf(out, "           speed=\"%s\" core=\"%lu\" bw=\"%s\" lat=\"%s\"", s->speed, s->cores, bw, lat);
}

void topology_write_cluster(FILE* out, const platgen_plan_t* p, const char* simgrid_topology)
{
  topology_write_cluster_begin(out, p);
  fprintf(out, "\n           topology=\"%s\" topo_parameters=\"%s\"/>\n", simgrid_topology, p->spec->topo_parameters);
}

void topology_write_parameters_line(FILE* out, const platgen_plan_t* p, const char* per)
{
  char bw[64], lat[64];
  units_quantity_format(&p->bw, 1, bw, sizeof bw);
  units_quantity_format(&p->lat, 1, lat, sizeof lat);
  fprintf(out, "       Parameters: topo_parameters=%s bw=%s lat=%s (%s)\n", p->spec->topo_parameters, bw, lat, per);
}
