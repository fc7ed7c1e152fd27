/* topo_fattree: SimGrid's FAT_TREE (levels;down;up;parallel), and the same wiring as routers and one-hop links. */
#include "tools/topology.h"

#include <string.h>
#include <xbt/sysdep.h>

/* Deepest fat-tree accepted: far beyond any machine, small enough for fixed arrays. */
#define MAX_LEVELS 16

/** The parsed parameters. */
typedef struct fattree {
  unsigned levels;
  unsigned long down[MAX_LEVELS];               /* children of a switch of level l+1 */
  unsigned long up[MAX_LEVELS];                 /* parents of a node of level l */
  unsigned long parallel[MAX_LEVELS];           /* cables between a node of level l and each parent */
  unsigned long nodes_by_level[MAX_LEVELS + 1]; /* [0] hosts, [l] switches of level l */
} fattree_t;

/* Splits "L;D;U;P" into its four fields. Returns 0, or -1 when there are not exactly four (or one is too long). */
static int split_fields(const char* text, char fields[4][PLATGEN_FIELD_MAX])
{
  int nfields     = 0;
  const char* cur = text;
  for (;;) {
    const char* next = strchr(cur, ';');
    size_t len       = next ? (size_t)(next - cur) : strlen(cur);
    if (nfields == 4 || len >= PLATGEN_FIELD_MAX)
      return -1;
    memcpy(fields[nfields], cur, len);
    fields[nfields][len] = '\0';
    nfields++;
    if (!next)
      return nfields == 4 ? 0 : -1;
    cur = next + 1;
  }
}

/* Node counts per level, as SimGrid's FatTreeZone::generate_switches: hosts = prod(down); switches at level l+1 =
 * prod(up[0..l]) * prod(down[l+1..]). */
static int count_nodes(platgen_plan_t* p, fattree_t* t, const char* what, vn_error_t* err)
{
  for (unsigned l = 0; l <= t->levels; l++) {
    unsigned long n = 1;
    for (unsigned j = 0; j < t->levels; j++) {
      n = topology_mul_capped(n, j < l ? t->up[j] : t->down[j]);
      if (n == 0) {
        vn_error_set(err, NULL, 0, NULL, what, p->spec->topo_parameters, "too many %s (at most %lu)",
                     l == 0 ? "hosts" : "switches", PLATGEN_MAX_HOSTS);
        return -1;
      }
    }
    t->nodes_by_level[l] = n;
  }
  p->hosts   = t->nodes_by_level[0];
  p->routers = 0;
  for (unsigned l = 1; l <= t->levels; l++)
    p->routers += t->nodes_by_level[l];
  return 0;
}

static int fattree_parse(platgen_plan_t* p, vn_error_t* err)
{
  const char* what = "fattree parameters";
  const char* text = p->spec->topo_parameters;
  fattree_t* t     = xbt_new0(fattree_t, 1);
  p->shape         = t;
  char fields[4][PLATGEN_FIELD_MAX];
  if (split_fields(text, fields) != 0) {
    vn_error_set(err, NULL, 0, NULL, what, text,
                 "expected LEVELS;DOWN;UP;PARALLEL, four fields separated by ';' (e.g. 2;4,4;1,2;1,2: 2 levels, "
                 "4 hosts per leaf and 4 leaves per top switch, 1 leaf per host and 2 top switches per leaf, "
                 "1 cable host-leaf and 2 parallel cables leaf-top)");
    return -1;
  }
  unsigned long levels;
  if (units_parse_count(fields[0], strlen(fields[0]), 1, MAX_LEVELS, &levels) != UNITS_COUNT_OK) {
    vn_error_set(err, NULL, 0, NULL, what, text, "the number of levels \"%s\" must be a whole number from 1 to %d",
                 fields[0], MAX_LEVELS);
    return -1;
  }
  t->levels                     = (unsigned)levels;
  unsigned long* vectors[3]     = {t->down, t->up, t->parallel};
  static const char* names[3]   = {"DOWN (children per switch)", "UP (parents per node)", "PARALLEL (cables)"};
  static const char* singles[3] = {"child count", "parent count", "cable count"};
  for (int v = 0; v < 3; v++) {
    int n = topology_parse_counts(fields[v + 1], ',', vectors[v], MAX_LEVELS, what, text, singles[v], err);
    if (n < 0)
      return -1;
    if ((unsigned)n != t->levels) {
      vn_error_set(err, NULL, 0, NULL, what, text, "%lu levels, but the %s vector \"%s\" has %d value%s", levels,
                   names[v], fields[v + 1], n, n == 1 ? "" : "s");
      return -1;
    }
  }
  if (count_nodes(p, t, what, err) != 0)
    return -1;
  return topology_check_host_option(p, err);
}

static void fattree_write_title(FILE* out, const platgen_plan_t* p, const char* form)
{
  const fattree_t* t = p->shape;
  fprintf(out, "%u-level fat-tree \"%s\", %s form.\n", t->levels, p->spec->topo_parameters, form);
}

static void fattree_write_parameters(FILE* out, const platgen_plan_t* p)
{
  const fattree_t* t = p->shape;
  char buf[256];
  topology_write_parameters_line(out, p, "per cable, per hop");
  topology_join_counts(t->nodes_by_level + 1, t->levels, ',', buf, sizeof buf);
  fprintf(out, "       Switches per level (leaves first): %s.\n", buf);
  if (p->spec->explicit_form && p->spec->uplink_bw[0] != '\0') {
    units_quantity_format(&p->uplink_bw, 1, buf, sizeof buf);
    fprintf(out, "       Switch-to-switch cables: %s.\n", buf);
  }
}

static void fattree_write_compact(FILE* out, const platgen_plan_t* p)
{
  topology_write_cluster(out, p, "FAT_TREE");
}

/* The explicit form, wired as SimGrid's FatTreeZone: node j of level l has the label of j in the mixed radix whose
 * digit d (least significant first) counts up[d] for d < l and down[d] otherwise; a node of level l and a node of
 * level l+1 are linked when their labels agree everywhere but at digit l, with parallel[l] cables. The parallel
 * cables of a pair become one link of parallel[l] times the bandwidth: a route can name one link per pair. */
static void node_name(const platgen_plan_t* p, unsigned level, unsigned long pos, char* buf, size_t len)
{
  if (level == 0)
    topology_host_name(p, pos, buf, len);
  else
    snprintf(buf, len, "%s_sw_%u_%lu", p->spec->id, level, pos);
}

static void node_label(const fattree_t* t, unsigned level, unsigned long pos, unsigned long* label)
{
  for (unsigned d = 0; d < t->levels; d++) {
    unsigned long radix = d < level ? t->up[d] : t->down[d];
    label[d]            = pos % radix;
    pos /= radix;
  }
}

static unsigned long node_position(const fattree_t* t, unsigned level, const unsigned long* label)
{
  unsigned long pos = 0;
  for (unsigned d = t->levels; d-- > 0;)
    pos = pos * (d < level ? t->up[d] : t->down[d]) + label[d];
  return pos;
}

static void link_name(const platgen_plan_t* p, unsigned level, unsigned long child, unsigned long parent, char* buf,
                      size_t len)
{
  snprintf(buf, len, "%s_link_%u_%lu_%lu", p->spec->id, level, child, parent);
}

/* Calls @p fn for every (child, parent) pair of linked nodes, children level by level. */
static void foreach_link(FILE* out, const platgen_plan_t* p,
                         void (*fn)(FILE*, const platgen_plan_t*, unsigned, unsigned long, unsigned long))
{
  const fattree_t* t = p->shape;
  unsigned long label[MAX_LEVELS];
  for (unsigned l = 0; l < t->levels; l++)
    for (unsigned long pos = 0; pos < t->nodes_by_level[l]; pos++) {
      node_label(t, l, pos, label);
      unsigned long own = label[l];
      for (unsigned long k = 0; k < t->up[l]; k++) {
        label[l] = k;
        fn(out, p, l, pos, node_position(t, l + 1, label));
      }
      label[l] = own;
    }
}

static void emit_link(FILE* out, const platgen_plan_t* p, unsigned level, unsigned long child, unsigned long parent)
{
  const fattree_t* t = p->shape;
  char link[TOPOLOGY_NAME_LEN];
  link_name(p, level, child, parent, link, sizeof link);
  topology_write_link(out, link, level == 0 ? &p->bw : &p->uplink_bw, (double)t->parallel[level], &p->lat);
}

static void emit_route(FILE* out, const platgen_plan_t* p, unsigned level, unsigned long child, unsigned long parent)
{
  char link[TOPOLOGY_NAME_LEN], src[TOPOLOGY_NAME_LEN], dst[TOPOLOGY_NAME_LEN];
  link_name(p, level, child, parent, link, sizeof link);
  node_name(p, level, child, src, sizeof src);
  node_name(p, level + 1, parent, dst, sizeof dst);
  topology_write_route(out, src, dst, link);
}

static void fattree_write_explicit(FILE* out, const platgen_plan_t* p)
{
  const fattree_t* t = p->shape;
  char name[TOPOLOGY_NAME_LEN];
  topology_write_hosts(out, p);
  for (unsigned l = 1; l <= t->levels; l++)
    for (unsigned long pos = 0; pos < t->nodes_by_level[l]; pos++) {
      node_name(p, l, pos, name, sizeof name);
      topology_write_router(out, name);
    }
  foreach_link(out, p, emit_link);
  foreach_link(out, p, emit_route);
}

const struct topology_ops topology_fattree_ops = {
    .name             = "fattree",
    .has_uplink_bw    = 1,
    .take_parameters  = topology_take_topo_parameters,
    .parse            = fattree_parse,
    .write_title      = fattree_write_title,
    .write_parameters = fattree_write_parameters,
    .write_compact    = fattree_write_compact,
    .write_explicit   = fattree_write_explicit,
};
