/* topo_dragonfly: SimGrid's DRAGONFLY (groups,blue;chassis,black;routers,green;nodes), and the same routers and
 * links written out. */
#include "tools/topology.h"

#include <string.h>
#include <xbt/sysdep.h>

/** The parsed parameters: counts, and the cables of each link level. */
typedef struct dragonfly {
  unsigned long groups, blue;   /* groups; cables between two groups */
  unsigned long chassis, black; /* chassis per group; cables between same-rank routers of two chassis */
  unsigned long blades, green;  /* routers per chassis; cables between two routers of a chassis */
  unsigned long nodes;          /* hosts per router */
} dragonfly_t;

/* Reads "G,blue;C,black;R,green;N" (three pairs then one count) into v[7]. Returns the number of counts read (7 when
 * the shape is right), or -1 with @p err set for a bad count. */
static int read_counts(const char* text, unsigned long v[7], const char* what, vn_error_t* err)
{
  int k           = 0;
  const char* cur = text;
  for (int field = 0; field < 4; field++) {
    const char* next = strchr(cur, ';');
    if ((field < 3) != (next != NULL))
      return k;
    size_t len = next ? (size_t)(next - cur) : strlen(cur);
    char buf[PLATGEN_FIELD_MAX];
    if (len >= sizeof buf)
      return k;
    memcpy(buf, cur, len);
    buf[len]          = '\0';
    const char* comma = strchr(buf, ',');
    if ((field < 3) != (comma != NULL))
      return k;
    int n = topology_parse_counts(buf, ',', v + k, field < 3 ? 2 : 1, what, text, "count", err);
    if (n < 0)
      return -1;
    k += n;
    cur = next ? next + 1 : cur;
  }
  return k;
}

static int dragonfly_parse(platgen_plan_t* p, vn_error_t* err)
{
  const char* what = "dragonfly parameters";
  const char* text = p->spec->topo_parameters;
  dragonfly_t* d   = xbt_new0(dragonfly_t, 1);
  p->shape         = d;
  unsigned long v[7];
  int k = read_counts(text, v, what, err);
  if (k < 0)
    return -1;
  if (k != 7) {
    vn_error_set(err, NULL, 0, NULL, what, text,
                 "expected GROUPS,BLUE;CHASSIS,BLACK;ROUTERS,GREEN;NODES (e.g. 3,4;4,3;5,1;2: 3 groups with 4 cables "
                 "between two groups, 4 chassis per group with 3 cables between same-rank routers, 5 routers per "
                 "chassis with 1 cable between two of them, 2 hosts per router)");
    return -1;
  }
  *d = (dragonfly_t){
      .groups = v[0], .blue = v[1], .chassis = v[2], .black = v[3], .blades = v[4], .green = v[5], .nodes = v[6]};
  /* SimGrid 3.32 attaches the cable to group g to router g of chassis 0 in every group, and its minimal routing
   * reaches it through the green links of a chassis (DragonflyZone::get_local_route indexes green_links_ by the
   * destination group): with more groups than routers per chassis it reads past that array. */
  if (d->groups > d->blades) {
    vn_error_set(err, NULL, 0, NULL, what, text,
                 "%lu groups but %lu routers per chassis: SimGrid connects group g through router g of each "
                 "group's first chassis, so it needs at most as many groups as routers per chassis",
                 d->groups, d->blades);
    return -1;
  }
  unsigned long routers = topology_mul_capped(topology_mul_capped(d->groups, d->chassis), d->blades);
  p->hosts              = topology_mul_capped(routers, d->nodes);
  if (routers == 0 || p->hosts == 0) {
    vn_error_set(err, NULL, 0, NULL, what, text, "too many hosts (at most %lu)", PLATGEN_MAX_HOSTS);
    return -1;
  }
  p->routers = routers;
  return topology_check_host_option(p, err);
}

static void dragonfly_write_title(FILE* out, const platgen_plan_t* p, const char* form)
{
  fprintf(out, "dragonfly \"%s\", %s form.\n", p->spec->topo_parameters, form);
}

static void dragonfly_write_parameters(FILE* out, const platgen_plan_t* p)
{
  const dragonfly_t* d = p->shape;
  topology_write_parameters_line(out, p, "per cable, per hop");
  fprintf(out,
          "       %lu groups x %lu chassis x %lu routers x %lu hosts; cables per link: blue %lu, black %lu, "
          "green %lu.\n",
          d->groups, d->chassis, d->blades, d->nodes, d->blue, d->black, d->green);
}

static void dragonfly_write_compact(FILE* out, const platgen_plan_t* p)
{
  topology_write_cluster(out, p, "DRAGONFLY");
}

/* The explicit form, wired as SimGrid's DragonflyZone: host r is node r % N of router (group, chassis, blade) in
 * row-major order; green links join all routers of a chassis, black links the routers of the same blade rank in
 * all chassis of a group, and the blue link between groups i < j joins router j of group i to router i of group j
 * (routers numbered chassis-major within a group). A link of k cables is one link of k times the bandwidth, as
 * SimGrid builds it. */
static void router_name(const platgen_plan_t* p, unsigned long g, unsigned long c, unsigned long b, char* buf,
                        size_t len)
{
  snprintf(buf, len, "%s_router_%lu_%lu_%lu", p->spec->id, g, c, b);
}

/* One link of @p cables cables between @p a and @p b, or with @p routes its route. */
static void emit(FILE* out, const platgen_plan_t* p, int routes, const char* link, const char* a, const char* b,
                 unsigned long cables)
{
  if (routes)
    topology_write_route(out, a, b, link);
  else
    topology_write_link(out, link, &p->bw, (double)cables, &p->lat);
}

/* Writes every link (host, green, black, then blue ones), or with @p routes their routes. */
static void foreach_link(FILE* out, const platgen_plan_t* p, int routes)
{
  const dragonfly_t* d = p->shape;
  const char* id       = p->spec->id;
  char link[TOPOLOGY_NAME_LEN], a[TOPOLOGY_NAME_LEN], b[TOPOLOGY_NAME_LEN];
  for (unsigned long r = 0; r < p->hosts; r++) { /* host to its router */
    unsigned long router = r / d->nodes;
    snprintf(link, sizeof link, "%s_local_%lu", id, r);
    topology_host_name(p, r, a, sizeof a);
    router_name(p, router / (d->chassis * d->blades), router / d->blades % d->chassis, router % d->blades, b, sizeof b);
    emit(out, p, routes, link, a, b, 1);
  }
  for (unsigned long g = 0; g < d->groups; g++)
    for (unsigned long c = 0; c < d->chassis; c++)
      for (unsigned long x = 0; x < d->blades; x++)
        for (unsigned long y = x + 1; y < d->blades; y++) { /* green: within a chassis */
          snprintf(link, sizeof link, "%s_green_%lu_%lu_%lu_%lu", id, g, c, x, y);
          router_name(p, g, c, x, a, sizeof a);
          router_name(p, g, c, y, b, sizeof b);
          emit(out, p, routes, link, a, b, d->green);
        }
  for (unsigned long g = 0; g < d->groups; g++)
    for (unsigned long x = 0; x < d->chassis; x++)
      for (unsigned long y = x + 1; y < d->chassis; y++)
        for (unsigned long k = 0; k < d->blades; k++) { /* black: same blade rank, across chassis */
          snprintf(link, sizeof link, "%s_black_%lu_%lu_%lu_%lu", id, g, k, x, y);
          router_name(p, g, x, k, a, sizeof a);
          router_name(p, g, y, k, b, sizeof b);
          emit(out, p, routes, link, a, b, d->black);
        }
  for (unsigned long i = 0; i < d->groups; i++)
    for (unsigned long j = i + 1; j < d->groups; j++) { /* blue: between groups */
      snprintf(link, sizeof link, "%s_blue_%lu_%lu", id, i, j);
      router_name(p, i, j / d->blades, j % d->blades, a, sizeof a);
      router_name(p, j, i / d->blades, i % d->blades, b, sizeof b);
      emit(out, p, routes, link, a, b, d->blue);
    }
}

static void dragonfly_write_explicit(FILE* out, const platgen_plan_t* p)
{
  const dragonfly_t* d = p->shape;
  char name[TOPOLOGY_NAME_LEN];
  topology_write_hosts(out, p);
  for (unsigned long g = 0; g < d->groups; g++)
    for (unsigned long c = 0; c < d->chassis; c++)
      for (unsigned long b = 0; b < d->blades; b++) {
        router_name(p, g, c, b, name, sizeof name);
        topology_write_router(out, name);
      }
  foreach_link(out, p, 0);
  foreach_link(out, p, 1);
}

const struct topology_ops topology_dragonfly_ops = {
    .name             = "dragonfly",
    .take_parameters  = topology_take_topo_parameters,
    .parse            = dragonfly_parse,
    .write_title      = dragonfly_write_title,
    .write_parameters = dragonfly_write_parameters,
    .write_compact    = dragonfly_write_compact,
    .write_explicit   = dragonfly_write_explicit,
};
