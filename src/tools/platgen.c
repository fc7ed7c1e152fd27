/* platgen: writes SimGrid platform files of NIC clusters (flat, fat-tree, torus, dragonfly) in two forms. */
#include "tools/platgen.h"
#include "base/outfile.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Deepest fat-tree and most torus dimensions accepted: far beyond any machine, small enough for fixed arrays. */
#define MAX_LEVELS 16
#define MAX_DIMS 16
/* Largest single count in a topology string (a dimension, a number of children, parallel cables...). */
#define MAX_COUNT 65536UL
/* Room for any generated name: an id or a prefix (< PLATGEN_FIELD_MAX each) and a few numbers. */
#define NAME_LEN (3 * PLATGEN_FIELD_MAX + 128)

/* ------------------------------------------------------------------------------------------------------------ */
/* Quantities with units, checked against the units SimGrid 3.32 accepts (src/xbt/xbt_parse_units.cpp).          */

typedef enum { Q_BANDWIDTH, Q_TIME, Q_SPEED } quantity_kind_t;

/** A value as written ("100Gbps"), split into its number and unit so that it can be multiplied without rounding
 *  the unit away ("3 x 100Gbps" is written "300Gbps"). */
typedef struct quantity {
  double number;
  char unit[16];
  double si; /* in bytes per second, seconds or flops */
} quantity_t;

static const char* const decimal_prefixes[] = {"", "k", "M", "G", "T", "P", "E", "Z", "Y"};
static const char* const binary_prefixes[]  = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};

/* Factor of a prefixed unit: @p unit is one of the prefixes followed by @p base. Returns 0 if it is not. */
static double prefixed_factor(const char* unit, const char* base, double base_factor, int binary)
{
  size_t ulen = strlen(unit);
  size_t blen = strlen(base);
  if (ulen < blen || strcmp(unit + ulen - blen, base) != 0)
    return 0;
  const char* const* prefixes = binary ? binary_prefixes : decimal_prefixes;
  double step                 = binary ? 1024.0 : 1000.0;
  double factor               = base_factor;
  for (size_t i = 0; i < sizeof decimal_prefixes / sizeof decimal_prefixes[0]; i++, factor *= step) {
    size_t plen = strlen(prefixes[i]);
    if (plen == ulen - blen && strncmp(unit, prefixes[i], plen) == 0)
      return factor;
  }
  return 0;
}

static double unit_factor(quantity_kind_t kind, const char* unit)
{
  double f = 0;
  switch (kind) {
  case Q_BANDWIDTH:
    for (int binary = 0; binary <= 1 && f == 0; binary++) {
      f = prefixed_factor(unit, "Bps", 1.0, binary);
      if (f == 0)
        f = prefixed_factor(unit, "bps", 0.125, binary);
    }
    return f;
  case Q_SPEED:
    return prefixed_factor(unit, "f", 1.0, 0);
  case Q_TIME: {
    static const struct {
      const char* unit;
      double factor;
    } times[] = {{"w", 604800}, {"d", 86400}, {"h", 3600},  {"m", 60},    {"s", 1},
                 {"ms", 1e-3},  {"us", 1e-6}, {"ns", 1e-9}, {"ps", 1e-12}};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
      if (strcmp(unit, times[i].unit) == 0)
        return times[i].factor;
    return 0;
  }
  }
  return 0;
}

static const char* kind_examples(quantity_kind_t kind)
{
  switch (kind) {
  case Q_BANDWIDTH:
    return "a bandwidth with its unit, e.g. 100Gbps, 12.5GBps (SimGrid units: [k|M|G|T|Ki|Mi|Gi|Ti..]bps or Bps)";
  case Q_TIME:
    return "a time with its unit, e.g. 200ns, 1.5us (SimGrid units: ps, ns, us, ms, s, m, h, d, w)";
  case Q_SPEED:
    return "a speed with its unit, e.g. 2.5Gf (SimGrid units: f, kf, Mf, Gf, Tf, Pf..)";
  }
  return "";
}

/* Parse @p text as a SimGrid quantity of @p kind, for option @p what. Zero is allowed for times only. */
static int quantity_parse(quantity_kind_t kind, const char* text, const char* what, quantity_t* q, vn_error_t* err)
{
  memset(q, 0, sizeof *q);
  /* strtod alone would take "inf", "nan", hex and leading blanks: insist on a plain decimal number. */
  if (!(text[0] >= '0' && text[0] <= '9') && !(text[0] == '.' && text[1] >= '0' && text[1] <= '9')) {
    vn_error_set(err, NULL, 0, NULL, what, text, "expected %s", kind_examples(kind));
    return -1;
  }
  char* end;
  errno     = 0;
  q->number = strtod(text, &end);
  if (errno == ERANGE || !isfinite(q->number)) {
    vn_error_set(err, NULL, 0, NULL, what, text, "number out of range");
    return -1;
  }
  if (*end == '\0') {
    vn_error_set(err, NULL, 0, NULL, what, text, "missing unit: expected %s", kind_examples(kind));
    return -1;
  }
  double factor = unit_factor(kind, end);
  if (factor == 0 || strlen(end) >= sizeof q->unit) {
    vn_error_set(err, NULL, 0, NULL, what, text, "unknown unit \"%s\": expected %s", end, kind_examples(kind));
    return -1;
  }
  strcpy(q->unit, end);
  q->si = q->number * factor;
  /* Bounds far beyond any real NIC, switch or core: they only catch gross slips (a latency in hours). */
  static const double max_si[]       = {[Q_BANDWIDTH] = 1e15, [Q_TIME] = 3600, [Q_SPEED] = 1e18};
  static const char* const max_txt[] = {[Q_BANDWIDTH] = "1PBps", [Q_TIME] = "1h", [Q_SPEED] = "1Ef"};
  if (kind != Q_TIME && q->si <= 0) {
    vn_error_set(err, NULL, 0, NULL, what, text, "must be positive");
    return -1;
  }
  if (q->si > max_si[kind]) {
    vn_error_set(err, NULL, 0, NULL, what, text, "too large (at most %s)", max_txt[kind]);
    return -1;
  }
  return 0;
}

/* Write @p q multiplied by @p times in its own unit. %.15g keeps "0.1 x 3" at "0.3". */
static void quantity_format(const quantity_t* q, double times, char* buf, size_t len)
{
  snprintf(buf, len, "%.15g%s", q->number * times, q->unit);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Counts and topology parameter strings.                                                                        */

/* Parse a whole decimal count in [min, max] from [text, text+len). */
static int count_parse(const char* text, size_t len, unsigned long min, unsigned long max, unsigned long* out)
{
  if (len == 0 || len > 9)
    return len > 9 && strspn(text, "0123456789") >= len ? 1 : -1; /* 1: a number, but too large */
  unsigned long v = 0;
  for (size_t i = 0; i < len; i++) {
    if (text[i] < '0' || text[i] > '9')
      return -1;
    v = v * 10 + (unsigned long)(text[i] - '0');
  }
  if (v < min)
    return -1;
  if (v > max)
    return 1;
  *out = v;
  return 0;
}

/* Split @p text at @p sep into at most @p max counts. Returns the number of fields, or -1 (error set). */
static int counts_parse(const char* text, char sep, unsigned long* out, int max, const char* what, const char* whole,
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
    int rc = count_parse(cur, len, 1, MAX_COUNT, &out[n]);
    if (rc != 0) {
      vn_error_set(err, NULL, 0, NULL, what, whole, "%s \"%.*s\" %s", field_name, (int)len, cur,
                   rc > 0 ? "is too large (at most 65536)" : "must be a whole number of at least 1");
      return -1;
    }
    n++;
    if (!next)
      return n;
    cur = next + 1;
  }
}

/* a * b, or 0 if the product leaves [1, PLATGEN_MAX_HOSTS] territory (callers treat 0 as "too many"). */
static unsigned long mul_capped(unsigned long a, unsigned long b)
{
  if (a == 0 || b == 0 || a > PLATGEN_MAX_HOSTS || b > PLATGEN_MAX_HOSTS || a * b > PLATGEN_MAX_HOSTS)
    return 0;
  return a * b;
}

/** Everything the writer needs, parsed and checked. */
typedef struct plan {
  const platgen_spec_t* spec;
  unsigned long hosts;
  unsigned long routers; /* of the explicit form */
  quantity_t bw, lat, speed, bb_bw, bb_lat, uplink_bw;
  /* fat-tree */
  unsigned levels;
  unsigned long down[MAX_LEVELS], up[MAX_LEVELS], parallel[MAX_LEVELS];
  unsigned long nodes_by_level[MAX_LEVELS + 1]; /* [0] hosts, [l] switches of level l */
  /* torus */
  unsigned ndims;
  unsigned long dims[MAX_DIMS];
  /* dragonfly */
  unsigned long groups, blue, chassis, black, blades, green, nodes;
} plan_t;

static const char* const topology_names[] = {"single", "flat", "fattree", "torus", "dragonfly"};
static const char* const routing_names[]  = {"Floyd", "Dijkstra", "DijkstraCache"};

static int fattree_parse(plan_t* p, const char* text, vn_error_t* err)
{
  const char* what = "fattree parameters";
  char fields[4][PLATGEN_FIELD_MAX];
  int nfields     = 0;
  const char* cur = text;
  for (;;) {
    const char* next = strchr(cur, ';');
    size_t len       = next ? (size_t)(next - cur) : strlen(cur);
    if (nfields == 4 || len >= PLATGEN_FIELD_MAX)
      break;
    memcpy(fields[nfields], cur, len);
    fields[nfields][len] = '\0';
    nfields++;
    if (!next) {
      cur = NULL;
      break;
    }
    cur = next + 1;
  }
  if (nfields != 4 || cur != NULL) {
    vn_error_set(err, NULL, 0, NULL, what, text,
                 "expected LEVELS;DOWN;UP;PARALLEL, four fields separated by ';' (e.g. 2;4,4;1,2;1,2: 2 levels, "
                 "4 hosts per leaf and 4 leaves per top switch, 1 leaf per host and 2 top switches per leaf, "
                 "1 cable host-leaf and 2 parallel cables leaf-top)");
    return -1;
  }
  unsigned long levels;
  int rc = count_parse(fields[0], strlen(fields[0]), 1, MAX_LEVELS, &levels);
  if (rc != 0) {
    vn_error_set(err, NULL, 0, NULL, what, text, "the number of levels \"%s\" must be a whole number from 1 to %d",
                 fields[0], MAX_LEVELS);
    return -1;
  }
  p->levels                     = (unsigned)levels;
  unsigned long* vectors[3]     = {p->down, p->up, p->parallel};
  static const char* names[3]   = {"DOWN (children per switch)", "UP (parents per node)", "PARALLEL (cables)"};
  static const char* singles[3] = {"child count", "parent count", "cable count"};
  for (int v = 0; v < 3; v++) {
    int n = counts_parse(fields[v + 1], ',', vectors[v], MAX_LEVELS, what, text, singles[v], err);
    if (n < 0)
      return -1;
    if ((unsigned)n != p->levels) {
      vn_error_set(err, NULL, 0, NULL, what, text, "%lu levels, but the %s vector \"%s\" has %d value%s", levels,
                   names[v], fields[v + 1], n, n == 1 ? "" : "s");
      return -1;
    }
  }
  /* Node counts per level, as SimGrid's FatTreeZone::generate_switches: hosts = prod(down); switches at level
   * l+1 = prod(up[0..l]) * prod(down[l+1..]). */
  for (unsigned l = 0; l <= p->levels; l++) {
    unsigned long n = 1;
    for (unsigned j = 0; j < p->levels; j++) {
      n = mul_capped(n, j < l ? p->up[j] : p->down[j]);
      if (n == 0) {
        vn_error_set(err, NULL, 0, NULL, what, text, "too many %s (at most %lu)", l == 0 ? "hosts" : "switches",
                     PLATGEN_MAX_HOSTS);
        return -1;
      }
    }
    p->nodes_by_level[l] = n;
  }
  p->hosts   = p->nodes_by_level[0];
  p->routers = 0;
  for (unsigned l = 1; l <= p->levels; l++)
    p->routers += p->nodes_by_level[l];
  return 0;
}

static int torus_parse(plan_t* p, const char* text, vn_error_t* err)
{
  int n = counts_parse(text, ',', p->dims, MAX_DIMS, "torus dimensions", text, "dimension", err);
  if (n < 0)
    return -1;
  p->ndims = (unsigned)n;
  p->hosts = 1;
  for (unsigned i = 0; i < p->ndims; i++)
    if ((p->hosts = mul_capped(p->hosts, p->dims[i])) == 0) {
      vn_error_set(err, NULL, 0, NULL, "torus dimensions", text, "too many hosts (at most %lu)", PLATGEN_MAX_HOSTS);
      return -1;
    }
  p->routers = 0;
  return 0;
}

static int dragonfly_parse(plan_t* p, const char* text, vn_error_t* err)
{
  const char* what = "dragonfly parameters";
  unsigned long v[7];
  int k           = 0;
  const char* cur = text;
  /* G,blue;C,black;R,green;N: three pairs then one count */
  for (int field = 0; field < 4; field++) {
    const char* next = strchr(cur, ';');
    if ((field < 3) != (next != NULL)) {
      k = -1;
      break;
    }
    size_t len = next ? (size_t)(next - cur) : strlen(cur);
    char buf[PLATGEN_FIELD_MAX];
    if (len >= sizeof buf) {
      k = -1;
      break;
    }
    memcpy(buf, cur, len);
    buf[len]          = '\0';
    const char* comma = strchr(buf, ',');
    if ((field < 3) != (comma != NULL)) {
      k = -1;
      break;
    }
    int n = counts_parse(buf, ',', v + k, field < 3 ? 2 : 1, what, text, "count", err);
    if (n < 0)
      return -1;
    k += n;
    cur = next ? next + 1 : cur;
  }
  if (k != 7) {
    vn_error_set(err, NULL, 0, NULL, what, text,
                 "expected GROUPS,BLUE;CHASSIS,BLACK;ROUTERS,GREEN;NODES (e.g. 3,4;4,3;5,1;2: 3 groups with 4 cables "
                 "between two groups, 4 chassis per group with 3 cables between same-rank routers, 5 routers per "
                 "chassis with 1 cable between two of them, 2 hosts per router)");
    return -1;
  }
  p->groups  = v[0];
  p->blue    = v[1];
  p->chassis = v[2];
  p->black   = v[3];
  p->blades  = v[4];
  p->green   = v[5];
  p->nodes   = v[6];
  /* SimGrid 3.32 attaches the cable to group g to router g of chassis 0 in every group, and its minimal routing
   * reaches it through the green links of a chassis (DragonflyZone::get_local_route indexes green_links_ by the
   * destination group): with more groups than routers per chassis it reads past that array. */
  if (p->groups > p->blades) {
    vn_error_set(err, NULL, 0, NULL, what, text,
                 "%lu groups but %lu routers per chassis: SimGrid connects group g through router g of each "
                 "group's first chassis, so it needs at most as many groups as routers per chassis",
                 p->groups, p->blades);
    return -1;
  }
  unsigned long r = mul_capped(mul_capped(p->groups, p->chassis), p->blades);
  p->hosts        = mul_capped(r, p->nodes);
  if (r == 0 || p->hosts == 0) {
    vn_error_set(err, NULL, 0, NULL, what, text, "too many hosts (at most %lu)", PLATGEN_MAX_HOSTS);
    return -1;
  }
  p->routers = r;
  return 0;
}

/* No "--" inside an XML comment, and no "-" at its end. Names are written into attributes unescaped. */
static int check_text(const char* text, const char* what, int is_name, vn_error_t* err)
{
  if (is_name) {
    if (text[0] == '\0' && strcmp(what, "--hosts-prefix") != 0) {
      vn_error_set(err, NULL, 0, NULL, what, text, "must not be empty");
      return -1;
    }
    for (const char* c = text; *c; c++)
      if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
            *c == '_' || *c == '.')) {
        vn_error_set(err, NULL, 0, NULL, what, text, "may only hold letters, digits, '-', '_' and '.'");
        return -1;
      }
    size_t n = strlen(text);
    if (strcmp(what, "--hosts-prefix") == 0 && n > 0 && text[n - 1] >= '0' && text[n - 1] <= '9') {
      vn_error_set(err, NULL, 0, NULL, what, text, "must not end with a digit (host names are the prefix and a rank)");
      return -1;
    }
    return 0;
  }
  size_t len = strlen(text);
  if (strstr(text, "--") != NULL || (len > 0 && text[len - 1] == '-')) {
    vn_error_set(err, NULL, 0, NULL, what, text, "an XML comment cannot hold \"--\" nor end with '-'");
    return -1;
  }
  for (const char* c = text; *c; c++)
    if ((unsigned char)*c < 0x20 && *c != '\n') {
      vn_error_set(err, NULL, 0, NULL, what, text, "control characters are not allowed");
      return -1;
    }
  return 0;
}

static int plan_build(plan_t* p, const platgen_spec_t* spec, vn_error_t* err)
{
  memset(p, 0, sizeof *p);
  p->spec = spec;
  if ((unsigned)spec->topology > PLATGEN_DRAGONFLY) {
    vn_error_set(err, NULL, 0, NULL, "topology", NULL, "unknown topology");
    return -1;
  }
  const char* topo = topology_names[spec->topology];
  if (check_text(spec->id, "--id", 1, err) || check_text(spec->prefix, "--hosts-prefix", 1, err) ||
      check_text(spec->description, "--description", 0, err))
    return -1;
  if (quantity_parse(Q_SPEED, spec->speed, "--speed", &p->speed, err) ||
      quantity_parse(Q_BANDWIDTH, spec->bw, "--bw", &p->bw, err) ||
      quantity_parse(Q_TIME, spec->lat, "--lat", &p->lat, err))
    return -1;
  if (spec->cores < 1 || spec->cores > 65536) {
    char v[32];
    snprintf(v, sizeof v, "%lu", spec->cores);
    vn_error_set(err, NULL, 0, NULL, "--cores", v, "must be a whole number from 1 to 65536");
    return -1;
  }

  switch (spec->topology) {
  case PLATGEN_SINGLE:
    p->hosts = 1;
    break;
  case PLATGEN_FLAT:
    if (spec->hosts < 1 || spec->hosts > PLATGEN_MAX_HOSTS) {
      char v[32];
      snprintf(v, sizeof v, "%lu", spec->hosts);
      vn_error_set(err, NULL, 0, NULL, "--hosts", v, "a flat cluster needs from 1 to %lu hosts", PLATGEN_MAX_HOSTS);
      return -1;
    }
    p->hosts   = spec->hosts;
    p->routers = 1;
    break;
  case PLATGEN_FATTREE:
    if (fattree_parse(p, spec->topo_parameters, err))
      return -1;
    break;
  case PLATGEN_TORUS:
    if (torus_parse(p, spec->topo_parameters, err))
      return -1;
    break;
  case PLATGEN_DRAGONFLY:
    if (dragonfly_parse(p, spec->topo_parameters, err))
      return -1;
    break;
  }
  if (spec->topology != PLATGEN_FLAT && spec->topology != PLATGEN_SINGLE && spec->hosts != 0 &&
      spec->hosts != p->hosts) {
    char v[32];
    snprintf(v, sizeof v, "%lu", spec->hosts);
    vn_error_set(err, NULL, 0, NULL, "--hosts", v, "inconsistent with the %s parameters \"%s\", which give %lu hosts",
                 topo, spec->topo_parameters, p->hosts);
    return -1;
  }
  if (spec->topology == PLATGEN_SINGLE && spec->hosts > 1) {
    char v[32];
    snprintf(v, sizeof v, "%lu", spec->hosts);
    vn_error_set(err, NULL, 0, NULL, "--hosts", v, "a single-host platform has one host");
    return -1;
  }

  if (spec->topology == PLATGEN_FLAT && spec->backbone) {
    if (spec->bb_bw[0] != '\0') {
      if (quantity_parse(Q_BANDWIDTH, spec->bb_bw, "--bb-bw", &p->bb_bw, err))
        return -1;
    } else { /* non-blocking: every host can send and receive at full rate through the backbone at once */
      p->bb_bw = p->bw;
      p->bb_bw.number *= (double)p->hosts;
      p->bb_bw.si *= (double)p->hosts;
    }
    if (quantity_parse(Q_TIME, spec->bb_lat, "--bb-lat", &p->bb_lat, err))
      return -1;
  } else if (spec->topology != PLATGEN_FLAT && (spec->bb_bw[0] != '\0' || !spec->backbone)) {
    vn_error_set(err, NULL, 0, NULL, spec->bb_bw[0] ? "--bb-bw" : "--no-backbone", spec->bb_bw,
                 "only a flat cluster has a backbone");
    return -1;
  }

  if (spec->uplink_bw[0] != '\0') {
    if (spec->topology != PLATGEN_FATTREE || !spec->explicit_form) {
      vn_error_set(err, NULL, 0, NULL, "--uplink-bw", spec->uplink_bw,
                   "only the explicit form of a fat-tree has its own switch-to-switch bandwidth (SimGrid's FAT_TREE "
                   "cluster gives every cable the same bandwidth; widen up-links with parallel cables instead)");
      return -1;
    }
    if (quantity_parse(Q_BANDWIDTH, spec->uplink_bw, "--uplink-bw", &p->uplink_bw, err))
      return -1;
  } else {
    p->uplink_bw = p->bw;
  }

  if (spec->explicit_form) {
    size_t r = 0;
    while (r < 3 && strcmp(spec->routing, routing_names[r]) != 0)
      r++;
    if (r == 3) {
      vn_error_set(err, NULL, 0, NULL, "--routing", spec->routing, "expected Floyd, Dijkstra or DijkstraCache");
      return -1;
    }
    unsigned long netpoints = p->hosts + p->routers;
    if (netpoints > PLATGEN_MAX_EXPLICIT_NETPOINTS) {
      vn_error_set(err, NULL, 0, NULL, topo, spec->topo_parameters[0] ? spec->topo_parameters : NULL,
                   "the explicit form would have %lu hosts and routers, more than %lu", netpoints,
                   PLATGEN_MAX_EXPLICIT_NETPOINTS);
      return -1;
    }
    if (r == 0 && netpoints > PLATGEN_MAX_FLOYD_NETPOINTS) {
      vn_error_set(err, NULL, 0, NULL, topo, spec->topo_parameters[0] ? spec->topo_parameters : NULL,
                   "the explicit form would have %lu hosts and routers: Floyd routing needs memory in n^2 and "
                   "set-up time in n^3, so it is limited to %lu (use --routing DijkstraCache)",
                   netpoints, PLATGEN_MAX_FLOYD_NETPOINTS);
      return -1;
    }
  } else if (spec->routing[0] != '\0' && strcmp(spec->routing, "Floyd") != 0) {
    vn_error_set(err, NULL, 0, NULL, "--routing", spec->routing, "only the explicit form has a routing choice");
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Public spec helpers.                                                                                          */

static void copy(char* dst, const char* src)
{
  snprintf(dst, PLATGEN_FIELD_MAX, "%s", src);
}

void platgen_spec_init(platgen_spec_t* spec, platgen_topology_t topology)
{
  memset(spec, 0, sizeof *spec);
  spec->topology = topology;
  copy(spec->id, "cluster");
  copy(spec->prefix, "node-");
  /* A current server core; consumers of a host run on dedicated cores, hence many of them. */
  copy(spec->speed, "2.5Gf");
  spec->cores = 64;
  /* 100 Gbps class NICs and cables (EDR InfiniBand, 100GbE); 200 ns per hop is a cut-through switch plus cable. */
  copy(spec->bw, "100Gbps");
  copy(spec->lat, "200ns");
  copy(spec->bb_lat, "100ns");
  spec->backbone = 1;
  copy(spec->routing, "Floyd");
}

const char* platgen_topology_name(platgen_topology_t topology)
{
  return (unsigned)topology <= PLATGEN_DRAGONFLY ? topology_names[topology] : "unknown";
}

int platgen_topology_from_name(const char* name, platgen_topology_t* topology)
{
  for (size_t i = 0; i < sizeof topology_names / sizeof topology_names[0]; i++)
    if (strcmp(name, topology_names[i]) == 0) {
      *topology = (platgen_topology_t)i;
      return 0;
    }
  return -1;
}

int platgen_validate(const platgen_spec_t* spec, vn_error_t* err)
{
  plan_t p;
  return plan_build(&p, spec, err);
}

unsigned long platgen_host_count(const platgen_spec_t* spec)
{
  plan_t p;
  return plan_build(&p, spec, NULL) == 0 ? p.hosts : 0;
}

unsigned long platgen_router_count(const platgen_spec_t* spec)
{
  plan_t p;
  return plan_build(&p, spec, NULL) == 0 ? p.routers : 0;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Writing.                                                                                                      */

static void join_counts(const unsigned long* v, unsigned n, char sep, char* buf, size_t len)
{
  size_t k = 0;
  buf[0]   = '\0';
  for (unsigned i = 0; i < n && k < len; i++) {
    int w = i ? snprintf(buf + k, len - k, "%c%lu", sep, v[i]) : snprintf(buf + k, len - k, "%lu", v[i]);
    k += w > 0 ? (size_t)w : 0;
  }
}

/* The comment at the top of every file: what the platform is, its parameters and host count. */
static void write_header(FILE* out, const plan_t* p)
{
  const platgen_spec_t* s = p->spec;
  const char* form        = s->explicit_form ? "explicit" : "compact";
  fprintf(out, "  <!-- vnicsim platform: ");
  char a[256], b[256], c[256];
  switch (s->topology) {
  case PLATGEN_SINGLE:
    fprintf(out, "a single host, no network (every transfer is a loopback inside the NIC).\n");
    break;
  case PLATGEN_FLAT:
    fprintf(out, "flat cluster (crossbar) of %lu hosts, %s form.\n", p->hosts, form);
    break;
  case PLATGEN_FATTREE:
    fprintf(out, "%u-level fat-tree \"%s\", %s form.\n", p->levels, s->topo_parameters, form);
    break;
  case PLATGEN_TORUS:
    join_counts(p->dims, p->ndims, 'x', a, sizeof a);
    fprintf(out, "%u-D torus %s, %s form.\n", p->ndims, a, form);
    break;
  case PLATGEN_DRAGONFLY:
    fprintf(out, "dragonfly \"%s\", %s form.\n", s->topo_parameters, form);
    break;
  }
  if (s->description[0] != '\0') { /* word-wrapped at 100 columns */
    fprintf(out, "       ");
    int col          = 7;
    const char* word = s->description;
    while (*word) {
      while (*word == ' ' || *word == '\n')
        word++;
      size_t wl = strcspn(word, " \n");
      if (wl == 0)
        break;
      if (col > 7 && col + 1 + (int)wl > 100) {
        fprintf(out, "\n       ");
        col = 7;
      } else if (col > 7) {
        fputc(' ', out);
        col++;
      }
      fprintf(out, "%.*s", (int)wl, word);
      col += (int)wl;
      word += wl;
    }
    fputc('\n', out);
  }
  if (p->hosts == 1)
    fprintf(out, "       Hosts: 1 (%s0)", s->prefix);
  else
    fprintf(out, "       Hosts: %lu (%s0 ... %s%lu)", p->hosts, s->prefix, s->prefix, p->hosts - 1);
  fprintf(out, ", each one NIC with %lu cores of %s.\n", s->cores, s->speed);
  quantity_format(&p->bw, 1, a, sizeof a);
  quantity_format(&p->lat, 1, b, sizeof b);
  switch (s->topology) {
  case PLATGEN_SINGLE:
    break;
  case PLATGEN_FLAT:
    fprintf(out, "       Parameters: hosts=%lu bw=%s lat=%s", p->hosts, a, b);
    if (s->backbone) {
      quantity_format(&p->bb_bw, 1, a, sizeof a);
      quantity_format(&p->bb_lat, 1, b, sizeof b);
      fprintf(out, " bb_bw=%s bb_lat=%s", a, b);
    }
    fprintf(out, "\n       Every host has a private split-duplex link to one switch");
    if (s->backbone && !s->explicit_form)
      fprintf(out, ";\n       a shared backbone link models the switch fabric");
    else if (s->backbone)
      fprintf(out, " router. The backbone of the compact form\n"
                   "       cannot be a symmetric one-hop link on every path: it is left out");
    fprintf(out, ".\n");
    break;
  case PLATGEN_FATTREE:
    fprintf(out, "       Parameters: topo_parameters=%s bw=%s lat=%s (per cable, per hop)\n", s->topo_parameters, a, b);
    join_counts(p->nodes_by_level + 1, p->levels, ',', c, sizeof c);
    fprintf(out, "       Switches per level (leaves first): %s.\n", c);
    if (s->explicit_form && s->uplink_bw[0] != '\0') {
      quantity_format(&p->uplink_bw, 1, c, sizeof c);
      fprintf(out, "       Switch-to-switch cables: %s.\n", c);
    }
    break;
  case PLATGEN_TORUS:
    fprintf(out, "       Parameters: topo_parameters=%s bw=%s lat=%s (per link, per hop)\n", s->topo_parameters, a, b);
    fprintf(out, "       Hosts are the torus routers: each links to its +1 neighbour in every dimension.\n");
    break;
  case PLATGEN_DRAGONFLY:
    fprintf(out, "       Parameters: topo_parameters=%s bw=%s lat=%s (per cable, per hop)\n", s->topo_parameters, a, b);
    fprintf(out,
            "       %lu groups x %lu chassis x %lu routers x %lu hosts; cables per link: blue %lu, black %lu, "
            "green %lu.\n",
            p->groups, p->chassis, p->blades, p->nodes, p->blue, p->black, p->green);
    break;
  }
  if (s->explicit_form && s->topology != PLATGEN_SINGLE) {
    if (p->routers)
      snprintf(c, sizeof c, "%lu router%s", p->routers, p->routers == 1 ? "" : "s");
    else
      snprintf(c, sizeof c, "no routers");
    fprintf(out,
            "       Explicit form: %s, one-hop split-duplex links, %s shortest-path routing\n"
            "       (loads under SimGrid's ns-3 network model).\n",
            c, s->routing);
  }
  fprintf(out, "       Written by \"vnicsim platform\"; docs/platforms.md explains the parameters. -->\n");
}

static void write_host(FILE* out, const plan_t* p, unsigned long rank)
{
  fprintf(out, "    <host id=\"%s%lu\" speed=\"%s\" core=\"%lu\"/>\n", p->spec->prefix, rank, p->spec->speed,
          p->spec->cores);
}

static void write_link(FILE* out, const char* id, const quantity_t* bw, double times, const quantity_t* lat)
{
  char b[64], l[64];
  quantity_format(bw, times, b, sizeof b);
  quantity_format(lat, 1, l, sizeof l);
  fprintf(out, "    <link id=\"%s\" bandwidth=\"%s\" latency=\"%s\" sharing_policy=\"SPLITDUPLEX\"/>\n", id, b, l);
}

/* One symmetric one-hop route; going src -> dst uses the UP half, SimGrid reverses it for dst -> src. */
static void write_route(FILE* out, const char* src, const char* dst, const char* link)
{
  fprintf(out, "    <route src=\"%s\" dst=\"%s\"><link_ctn id=\"%s\" direction=\"UP\"/></route>\n", src, dst, link);
}

static void host_name(const plan_t* p, unsigned long rank, char* buf, size_t len)
{
  snprintf(buf, len, "%s%lu", p->spec->prefix, rank);
}

static void write_compact(FILE* out, const plan_t* p)
{
  const platgen_spec_t* s = p->spec;
  char bw[64], lat[64];
  quantity_format(&p->bw, 1, bw, sizeof bw);
  quantity_format(&p->lat, 1, lat, sizeof lat);
  fprintf(out, "  <cluster id=\"%s\" prefix=\"%s\" radical=\"0-%lu\" suffix=\"\"\n", s->id, s->prefix, p->hosts - 1);
  fprintf(out, "           speed=\"%s\" core=\"%lu\" bw=\"%s\" lat=\"%s\"", s->speed, s->cores, bw, lat);
  switch (s->topology) {
  case PLATGEN_FLAT:
    if (s->backbone) {
      quantity_format(&p->bb_bw, 1, bw, sizeof bw);
      quantity_format(&p->bb_lat, 1, lat, sizeof lat);
      fprintf(out, "\n           bb_bw=\"%s\" bb_lat=\"%s\"", bw, lat);
    }
    break;
  case PLATGEN_FATTREE:
    fprintf(out, "\n           topology=\"FAT_TREE\" topo_parameters=\"%s\"", s->topo_parameters);
    break;
  case PLATGEN_TORUS:
    fprintf(out, "\n           topology=\"TORUS\" topo_parameters=\"%s\"", s->topo_parameters);
    break;
  case PLATGEN_DRAGONFLY:
    fprintf(out, "\n           topology=\"DRAGONFLY\" topo_parameters=\"%s\"", s->topo_parameters);
    break;
  case PLATGEN_SINGLE:
    break;
  }
  fprintf(out, "/>\n");
}

/* Flat: a star around the cluster's router (named as SimGrid names the compact cluster's router). A backbone on
 * every host-to-host path cannot be one symmetric one-hop link, so the explicit form has none. */
static void write_explicit_flat(FILE* out, const plan_t* p)
{
  const platgen_spec_t* s = p->spec;
  char router[NAME_LEN], link[NAME_LEN], host[NAME_LEN];
  snprintf(router, sizeof router, "%s%s_router", s->prefix, s->id);
  for (unsigned long i = 0; i < p->hosts; i++)
    write_host(out, p, i);
  fprintf(out, "    <router id=\"%s\"/>\n", router);
  for (unsigned long i = 0; i < p->hosts; i++) {
    snprintf(link, sizeof link, "%s_link_%lu", s->id, i);
    write_link(out, link, &p->bw, 1, &p->lat);
  }
  for (unsigned long i = 0; i < p->hosts; i++) {
    snprintf(link, sizeof link, "%s_link_%lu", s->id, i);
    host_name(p, i, host, sizeof host);
    write_route(out, host, router, link);
  }
}

/* Fat-tree, wired as SimGrid's FatTreeZone: node j of level l has the label of j in the mixed radix whose digit d
 * (least significant first) counts up[d] for d < l and down[d] otherwise; a node of level l and a node of level
 * l+1 are linked when their labels agree everywhere but at digit l, with parallel[l] cables. The parallel cables
 * of a pair become one link of parallel[l] times the bandwidth: a route can name one link per pair. */
static void fattree_node_name(const plan_t* p, unsigned level, unsigned long pos, char* buf, size_t len)
{
  if (level == 0)
    host_name(p, pos, buf, len);
  else
    snprintf(buf, len, "%s_sw_%u_%lu", p->spec->id, level, pos);
}

static void fattree_label(const plan_t* p, unsigned level, unsigned long pos, unsigned long* label)
{
  for (unsigned d = 0; d < p->levels; d++) {
    unsigned long radix = d < level ? p->up[d] : p->down[d];
    label[d]            = pos % radix;
    pos /= radix;
  }
}

static unsigned long fattree_position(const plan_t* p, unsigned level, const unsigned long* label)
{
  unsigned long pos = 0;
  for (unsigned d = p->levels; d-- > 0;)
    pos = pos * (d < level ? p->up[d] : p->down[d]) + label[d];
  return pos;
}

/* Calls @p fn for every (child, parent) pair of linked nodes, children level by level. */
static void fattree_foreach_link(FILE* out, const plan_t* p,
                                 void (*fn)(FILE*, const plan_t*, unsigned, unsigned long, unsigned long))
{
  unsigned long label[MAX_LEVELS];
  for (unsigned l = 0; l < p->levels; l++)
    for (unsigned long pos = 0; pos < p->nodes_by_level[l]; pos++) {
      fattree_label(p, l, pos, label);
      unsigned long own = label[l];
      for (unsigned long k = 0; k < p->up[l]; k++) {
        label[l] = k;
        fn(out, p, l, pos, fattree_position(p, l + 1, label));
      }
      label[l] = own;
    }
}

static void fattree_link_name(const plan_t* p, unsigned level, unsigned long child, unsigned long parent, char* buf,
                              size_t len)
{
  snprintf(buf, len, "%s_link_%u_%lu_%lu", p->spec->id, level, child, parent);
}

static void fattree_emit_link(FILE* out, const plan_t* p, unsigned level, unsigned long child, unsigned long parent)
{
  char link[NAME_LEN];
  fattree_link_name(p, level, child, parent, link, sizeof link);
  write_link(out, link, level == 0 ? &p->bw : &p->uplink_bw, (double)p->parallel[level], &p->lat);
}

static void fattree_emit_route(FILE* out, const plan_t* p, unsigned level, unsigned long child, unsigned long parent)
{
  char link[NAME_LEN], src[NAME_LEN], dst[NAME_LEN];
  fattree_link_name(p, level, child, parent, link, sizeof link);
  fattree_node_name(p, level, child, src, sizeof src);
  fattree_node_name(p, level + 1, parent, dst, sizeof dst);
  write_route(out, src, dst, link);
}

static void write_explicit_fattree(FILE* out, const plan_t* p)
{
  char name[NAME_LEN];
  for (unsigned long i = 0; i < p->hosts; i++)
    write_host(out, p, i);
  for (unsigned l = 1; l <= p->levels; l++)
    for (unsigned long pos = 0; pos < p->nodes_by_level[l]; pos++) {
      fattree_node_name(p, l, pos, name, sizeof name);
      fprintf(out, "    <router id=\"%s\"/>\n", name);
    }
  fattree_foreach_link(out, p, fattree_emit_link);
  fattree_foreach_link(out, p, fattree_emit_route);
}

/* Torus, wired as SimGrid's TorusZone: host r links to its +1 neighbour (with wraparound) in every dimension, the
 * first dimension varying fastest. In a dimension of size 2 the wraparound link duplicates the other one and
 * SimGrid's routing never uses it; in a dimension of size 1 it is a self-loop: neither is written. The links keep
 * the compact form's names. */
static void torus_foreach_link(FILE* out, const plan_t* p, int routes)
{
  const platgen_spec_t* s = p->spec;
  char link[NAME_LEN], src[NAME_LEN], dst[NAME_LEN];
  for (unsigned long r = 0; r < p->hosts; r++) {
    unsigned long stride = 1;
    for (unsigned j = 0; j < p->ndims; j++) {
      unsigned long dim   = p->dims[j];
      unsigned long coord = (r / stride) % dim;
      unsigned long nb    = coord == dim - 1 ? r - (dim - 1) * stride : r + stride;
      if (dim > 2 || (dim == 2 && coord == 0)) {
        snprintf(link, sizeof link, "%s_link_from_%lu_to_%lu", s->id, r, nb);
        if (routes) {
          host_name(p, r, src, sizeof src);
          host_name(p, nb, dst, sizeof dst);
          write_route(out, src, dst, link);
        } else {
          write_link(out, link, &p->bw, 1, &p->lat);
        }
      }
      stride *= dim;
    }
  }
}

static void write_explicit_torus(FILE* out, const plan_t* p)
{
  for (unsigned long i = 0; i < p->hosts; i++)
    write_host(out, p, i);
  torus_foreach_link(out, p, 0);
  torus_foreach_link(out, p, 1);
}

/* Dragonfly, wired as SimGrid's DragonflyZone: host r is node r % N of router (group, chassis, blade) in
 * row-major order; green links join all routers of a chassis, black links the routers of the same blade rank in
 * all chassis of a group, and the blue link between groups i < j joins router j of group i to router i of group j
 * (routers numbered chassis-major within a group). A link of k cables is one link of k times the bandwidth, as
 * SimGrid builds it. */
static void dragonfly_router_name(const plan_t* p, unsigned long g, unsigned long c, unsigned long b, char* buf,
                                  size_t len)
{
  snprintf(buf, len, "%s_router_%lu_%lu_%lu", p->spec->id, g, c, b);
}

static void dragonfly_links(FILE* out, const plan_t* p, int routes)
{
  const platgen_spec_t* s = p->spec;
  char link[NAME_LEN], a[NAME_LEN], b[NAME_LEN];
#define EMIT(times)                                                                                                    \
  do {                                                                                                                 \
    if (routes)                                                                                                        \
      write_route(out, a, b, link);                                                                                    \
    else                                                                                                               \
      write_link(out, link, &p->bw, (double)(times), &p->lat);                                                         \
  } while (0)
  for (unsigned long r = 0; r < p->hosts; r++) { /* host to its router */
    unsigned long router = r / p->nodes;
    snprintf(link, sizeof link, "%s_local_%lu", s->id, r);
    host_name(p, r, a, sizeof a);
    dragonfly_router_name(p, router / (p->chassis * p->blades), router / p->blades % p->chassis, router % p->blades, b,
                          sizeof b);
    EMIT(1);
  }
  for (unsigned long g = 0; g < p->groups; g++)
    for (unsigned long c = 0; c < p->chassis; c++)
      for (unsigned long x = 0; x < p->blades; x++)
        for (unsigned long y = x + 1; y < p->blades; y++) { /* green: within a chassis */
          snprintf(link, sizeof link, "%s_green_%lu_%lu_%lu_%lu", s->id, g, c, x, y);
          dragonfly_router_name(p, g, c, x, a, sizeof a);
          dragonfly_router_name(p, g, c, y, b, sizeof b);
          EMIT(p->green);
        }
  for (unsigned long g = 0; g < p->groups; g++)
    for (unsigned long x = 0; x < p->chassis; x++)
      for (unsigned long y = x + 1; y < p->chassis; y++)
        for (unsigned long k = 0; k < p->blades; k++) { /* black: same blade rank, across chassis */
          snprintf(link, sizeof link, "%s_black_%lu_%lu_%lu_%lu", s->id, g, k, x, y);
          dragonfly_router_name(p, g, x, k, a, sizeof a);
          dragonfly_router_name(p, g, y, k, b, sizeof b);
          EMIT(p->black);
        }
  for (unsigned long i = 0; i < p->groups; i++)
    for (unsigned long j = i + 1; j < p->groups; j++) { /* blue: between groups */
      snprintf(link, sizeof link, "%s_blue_%lu_%lu", s->id, i, j);
      dragonfly_router_name(p, i, j / p->blades, j % p->blades, a, sizeof a);
      dragonfly_router_name(p, j, i / p->blades, i % p->blades, b, sizeof b);
      EMIT(p->blue);
    }
#undef EMIT
}

static void write_explicit_dragonfly(FILE* out, const plan_t* p)
{
  char name[NAME_LEN];
  for (unsigned long i = 0; i < p->hosts; i++)
    write_host(out, p, i);
  for (unsigned long g = 0; g < p->groups; g++)
    for (unsigned long c = 0; c < p->chassis; c++)
      for (unsigned long b = 0; b < p->blades; b++) {
        dragonfly_router_name(p, g, c, b, name, sizeof name);
        fprintf(out, "    <router id=\"%s\"/>\n", name);
      }
  dragonfly_links(out, p, 0);
  dragonfly_links(out, p, 1);
}

int platgen_write(FILE* out, const platgen_spec_t* spec, vn_error_t* err)
{
  plan_t p;
  if (plan_build(&p, spec, err))
    return -1;
  fprintf(out, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
               "<platform version=\"4.1\">\n");
  write_header(out, &p);
  if (spec->topology == PLATGEN_SINGLE) {
    fprintf(out, "  <zone id=\"%s\" routing=\"Full\">\n", spec->id);
    write_host(out, &p, 0);
    fprintf(out, "  </zone>\n");
  } else if (!spec->explicit_form) {
    write_compact(out, &p);
  } else {
    fprintf(out, "  <zone id=\"%s\" routing=\"%s\">\n", spec->id, spec->routing);
    switch (spec->topology) {
    case PLATGEN_FLAT:
      write_explicit_flat(out, &p);
      break;
    case PLATGEN_FATTREE:
      write_explicit_fattree(out, &p);
      break;
    case PLATGEN_TORUS:
      write_explicit_torus(out, &p);
      break;
    case PLATGEN_DRAGONFLY:
      write_explicit_dragonfly(out, &p);
      break;
    case PLATGEN_SINGLE:
      break;
    }
    fprintf(out, "  </zone>\n");
  }
  fprintf(out, "</platform>\n");
  if (ferror(out)) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "write error: %s", strerror(errno));
    return -1;
  }
  return 0;
}

int platgen_write_file(const char* path, const platgen_spec_t* spec, vn_error_t* err)
{
  if (platgen_validate(spec, err))
    return VN_EXIT_INPUT;
  outfile_t out = outfile_open(path, err);
  if (out == NULL)
    return VN_EXIT_INPUT;
  if (platgen_write(outfile_stream(out), spec, err) != 0) {
    outfile_abandon(out);
    return VN_EXIT_INTERNAL;
  }
  return outfile_commit(out, err) == 0 ? 0 : VN_EXIT_INTERNAL;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Command line.                                                                                                 */

static int cli_error(const vn_error_t* err)
{
  vn_error_print(err, stderr);
  fprintf(stderr, "(vnicsim platform --help lists the topologies and options)\n");
  return VN_EXIT_INPUT;
}

static int parse_count_option(const char* opt, const char* value, unsigned long max, unsigned long* out,
                              vn_error_t* err)
{
  if (count_parse(value, strlen(value), 1, max, out) != 0) {
    vn_error_set(err, NULL, 0, NULL, opt, value, "expected a whole number from 1 to %lu", max);
    return -1;
  }
  return 0;
}

/* Copy an option's text into a spec field of @p cap bytes. */
static int copy_field(char* field, size_t cap, const char* name, const char* value, vn_error_t* err)
{
  if (value == NULL)
    return 0;
  if (strlen(value) >= cap) {
    vn_error_set(err, NULL, 0, NULL, name, value, "too long (at most %zu characters)", cap - 1);
    return -1;
  }
  strcpy(field, value);
  return 0;
}

int platgen_command(const char* topology, const char* parameters, const platgen_cli_t* o)
{
  vn_error_t err;
  vn_error_clear(&err);
  platgen_spec_t spec;
  platgen_spec_init(&spec, PLATGEN_SINGLE);
  const char* output        = o->output;
  const char* positional[1] = {parameters};
  int npositional           = parameters != NULL;
  unsigned long hosts       = 0;
  spec.explicit_form        = o->explicit_form;
  if (o->no_backbone)
    spec.backbone = 0;
  if (o->hosts != NULL && parse_count_option("--hosts", o->hosts, PLATGEN_MAX_HOSTS, &hosts, &err))
    return cli_error(&err);
  if (o->cores != NULL && parse_count_option("--cores", o->cores, 65536, &spec.cores, &err))
    return cli_error(&err);
  if (copy_field(spec.prefix, PLATGEN_FIELD_MAX, "--hosts-prefix", o->hosts_prefix, &err) ||
      copy_field(spec.id, PLATGEN_FIELD_MAX, "--id", o->id, &err) ||
      copy_field(spec.speed, PLATGEN_FIELD_MAX, "--speed", o->speed, &err) ||
      copy_field(spec.bw, PLATGEN_FIELD_MAX, "--bw", o->bw, &err) ||
      copy_field(spec.lat, PLATGEN_FIELD_MAX, "--lat", o->lat, &err) ||
      copy_field(spec.bb_bw, PLATGEN_FIELD_MAX, "--bb-bw", o->bb_bw, &err) ||
      copy_field(spec.bb_lat, PLATGEN_FIELD_MAX, "--bb-lat", o->bb_lat, &err) ||
      copy_field(spec.uplink_bw, PLATGEN_FIELD_MAX, "--uplink-bw", o->uplink_bw, &err) ||
      copy_field(spec.routing, PLATGEN_FIELD_MAX, "--routing", o->routing, &err) ||
      copy_field(spec.description, PLATGEN_DESCRIPTION_MAX, "--description", o->description, &err))
    return cli_error(&err);
  platgen_topology_t topo;
  if (platgen_topology_from_name(topology, &topo) != 0) {
    vn_error_set(&err, NULL, 0, NULL, NULL, topology,
                 "unknown topology: expected single, flat, fattree, torus or dragonfly");
    return cli_error(&err);
  }
  spec.topology = topo;

  switch (spec.topology) {
  case PLATGEN_SINGLE:
    if (npositional) {
      vn_error_set(&err, NULL, 0, NULL, NULL, positional[0], "a single-host platform takes no parameters");
      return cli_error(&err);
    }
    break;
  case PLATGEN_FLAT:
    if (npositional) {
      unsigned long n;
      if (parse_count_option("flat host count", positional[0], PLATGEN_MAX_HOSTS, &n, &err))
        return cli_error(&err);
      if (hosts && hosts != n) {
        vn_error_set(&err, NULL, 0, NULL, "--hosts", NULL, "differs from the host count %lu given before", n);
        return cli_error(&err);
      }
      hosts = n;
    }
    if (!hosts) {
      vn_error_set(&err, NULL, 0, NULL, NULL, NULL, "flat needs a host count: vnicsim platform flat N");
      return cli_error(&err);
    }
    break;
  default:
    if (!npositional) {
      vn_error_set(&err, NULL, 0, NULL, NULL, NULL, "%s needs its parameters (vnicsim platform --help)",
                   platgen_topology_name(spec.topology));
      return cli_error(&err);
    }
    if (strlen(positional[0]) >= sizeof spec.topo_parameters) {
      vn_error_set(&err, NULL, 0, NULL, NULL, positional[0], "topology parameters too long");
      return cli_error(&err);
    }
    strcpy(spec.topo_parameters, positional[0]);
    break;
  }
  spec.hosts = hosts;

  if (platgen_validate(&spec, &err) != 0)
    return cli_error(&err); /* before anything is created or written */
  if (output == NULL) {
    if (platgen_write(stdout, &spec, &err) != 0 || fflush(stdout) != 0) {
      fprintf(stderr, "vnicsim: error: writing the platform: %s\n", strerror(errno));
      return VN_EXIT_INTERNAL;
    }
    return 0;
  }
  int rc = platgen_write_file(output, &spec, &err);
  if (rc == VN_EXIT_INPUT)
    return cli_error(&err);
  if (rc != 0)
    vn_error_print(&err, stderr);
  return rc;
}
