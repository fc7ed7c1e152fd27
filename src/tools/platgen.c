/* platgen: writes SimGrid platform files of NIC clusters in two forms: the spec, its checks, the registry of topology
 * kinds (one topo_<kind>.c each), the document and its header comment, atomic files and `vnicsim platform`. */
#include "tools/platgen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/sysdep.h>

#include "base/outfile.h"
#include "tools/topology.h"

/* ------------------------------------------------------------------------------------------------------------ */
/* The registry of topology kinds: an entry per kind, indexed by platgen_topology_t.                            */

extern const struct topology_ops topology_single_ops;
extern const struct topology_ops topology_flat_ops;
extern const struct topology_ops topology_fattree_ops;
extern const struct topology_ops topology_torus_ops;
extern const struct topology_ops topology_dragonfly_ops;

static const struct topology_ops* const kinds[] = {
    [PLATGEN_SINGLE]    = &topology_single_ops,    /* topo_single.c */
    [PLATGEN_FLAT]      = &topology_flat_ops,      /* topo_flat.c */
    [PLATGEN_FATTREE]   = &topology_fattree_ops,   /* topo_fattree.c */
    [PLATGEN_TORUS]     = &topology_torus_ops,     /* topo_torus.c */
    [PLATGEN_DRAGONFLY] = &topology_dragonfly_ops, /* topo_dragonfly.c */
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static const struct topology_ops* kind_of(platgen_topology_t topology)
{
  return (unsigned)topology < NKINDS ? kinds[topology] : NULL;
}

const char* platgen_topology_name(platgen_topology_t topology)
{
  const struct topology_ops* ops = kind_of(topology);
  return ops ? ops->name : "unknown";
}

/* "single, flat, fattree, torus or dragonfly", for messages. */
static void list_kinds(char* buf, size_t len)
{
  size_t k = 0;
  buf[0]   = '\0';
  for (size_t i = 0; i < NKINDS && k < len; i++) {
    int w = snprintf(buf + k, len - k, "%s%s", i == 0 ? "" : i + 1 == NKINDS ? " or " : ", ", kinds[i]->name);
    k += w > 0 ? (size_t)w : 0;
  }
}

int platgen_topology_from_name(const char* name, platgen_topology_t* topology)
{
  for (size_t i = 0; i < NKINDS; i++)
    if (strcmp(name, kinds[i]->name) == 0) {
      *topology = (platgen_topology_t)i;
      return 0;
    }
  return -1;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* The spec and its checks.                                                                                      */

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

/* A name written into attributes unescaped (the zone id, the host prefix): letters, digits, '-', '_', '.'. */
static int check_name(const char* text, const char* what, vn_error_t* err)
{
  int is_prefix = strcmp(what, "--hosts-prefix") == 0;
  if (text[0] == '\0' && !is_prefix) {
    vn_error_set(err, NULL, 0, NULL, what, text, "must not be empty");
    return -1;
  }
  for (const char* c = text; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
          *c == '.')) {
      vn_error_set(err, NULL, 0, NULL, what, text, "may only hold letters, digits, '-', '_' and '.'");
      return -1;
    }
  size_t n = strlen(text);
  if (is_prefix && n > 0 && text[n - 1] >= '0' && text[n - 1] <= '9') {
    vn_error_set(err, NULL, 0, NULL, what, text, "must not end with a digit (host names are the prefix and a rank)");
    return -1;
  }
  return 0;
}

/* Text for the header comment: no "--" inside an XML comment, no "-" at its end, no control characters. */
static int check_comment(const char* text, const char* what, vn_error_t* err)
{
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

/* Parse option @p what's value as SimGrid reads it (base/units.c), within bounds far beyond any real NIC, switch or
 * core: they only catch gross slips (a latency in hours). Zero is allowed for times only. */
static int quantity_parse(unit_kind_t kind, const char* text, const char* what, units_quantity_t* q, vn_error_t* err)
{
  char reason[1024];
  if (units_parse_simgrid(kind, text, q, reason, sizeof reason) != 0) {
    vn_error_set(err, NULL, 0, NULL, what, text, "%s", reason);
    return -1;
  }
  double max       = kind == UNIT_TIME ? 3600 : kind == UNIT_BANDWIDTH ? 1e15 : 1e18;
  const char* most = kind == UNIT_TIME ? "1h" : kind == UNIT_BANDWIDTH ? "1PBps" : "1Ef";
  if (kind != UNIT_TIME && q->si <= 0) {
    vn_error_set(err, NULL, 0, NULL, what, text, "must be positive");
    return -1;
  }
  if (q->si > max) {
    vn_error_set(err, NULL, 0, NULL, what, text, "too large (at most %s)", most);
    return -1;
  }
  return 0;
}

/* The backbone options: a kind with a backbone parses them, the others refuse them. */
static int plan_backbone(platgen_plan_t* p, vn_error_t* err)
{
  const platgen_spec_t* s = p->spec;
  if (p->ops->has_backbone && s->backbone) {
    if (s->bb_bw[0] != '\0') {
      if (quantity_parse(UNIT_BANDWIDTH, s->bb_bw, "--bb-bw", &p->bb_bw, err))
        return -1;
    } else { /* non-blocking: every host can send and receive at full rate through the backbone at once */
      p->bb_bw = p->bw;
      p->bb_bw.number *= (double)p->hosts;
      p->bb_bw.si *= (double)p->hosts;
    }
    return quantity_parse(UNIT_TIME, s->bb_lat, "--bb-lat", &p->bb_lat, err);
  }
  if (!p->ops->has_backbone && (s->bb_bw[0] != '\0' || !s->backbone)) {
    vn_error_set(err, NULL, 0, NULL, s->bb_bw[0] ? "--bb-bw" : "--no-backbone", s->bb_bw,
                 "only a flat cluster has a backbone");
    return -1;
  }
  return 0;
}

/* The switch-to-switch bandwidth: its own in the explicit form of a kind that has one, bw otherwise. */
static int plan_uplink(platgen_plan_t* p, vn_error_t* err)
{
  const platgen_spec_t* s = p->spec;
  if (s->uplink_bw[0] == '\0') {
    p->uplink_bw = p->bw;
    return 0;
  }
  if (!p->ops->has_uplink_bw || !s->explicit_form) {
    vn_error_set(err, NULL, 0, NULL, "--uplink-bw", s->uplink_bw,
                 "only the explicit form of a fat-tree has its own switch-to-switch bandwidth (SimGrid's FAT_TREE "
                 "cluster gives every cable the same bandwidth; widen up-links with parallel cables instead)");
    return -1;
  }
  return quantity_parse(UNIT_BANDWIDTH, s->uplink_bw, "--uplink-bw", &p->uplink_bw, err);
}

/* The routing of the explicit form, and its size: Floyd's tables grow as n^2 and its set-up as n^3. */
static int plan_routing(const platgen_plan_t* p, vn_error_t* err)
{
  static const char* const routings[] = {"Floyd", "Dijkstra", "DijkstraCache"};
  const platgen_spec_t* s             = p->spec;
  if (!s->explicit_form) {
    if (s->routing[0] != '\0' && strcmp(s->routing, "Floyd") != 0) {
      vn_error_set(err, NULL, 0, NULL, "--routing", s->routing, "only the explicit form has a routing choice");
      return -1;
    }
    return 0;
  }
  size_t r = 0;
  while (r < 3 && strcmp(s->routing, routings[r]) != 0)
    r++;
  if (r == 3) {
    vn_error_set(err, NULL, 0, NULL, "--routing", s->routing, "expected Floyd, Dijkstra or DijkstraCache");
    return -1;
  }
  unsigned long netpoints = p->hosts + p->routers;
  const char* params      = s->topo_parameters[0] ? s->topo_parameters : NULL;
  if (netpoints > PLATGEN_MAX_EXPLICIT_NETPOINTS) {
    vn_error_set(err, NULL, 0, NULL, p->ops->name, params,
                 "the explicit form would have %lu hosts and routers, more than %lu", netpoints,
                 PLATGEN_MAX_EXPLICIT_NETPOINTS);
    return -1;
  }
  if (r == 0 && netpoints > PLATGEN_MAX_FLOYD_NETPOINTS) {
    vn_error_set(err, NULL, 0, NULL, p->ops->name, params,
                 "the explicit form would have %lu hosts and routers: Floyd routing needs memory in n^2 and "
                 "set-up time in n^3, so it is limited to %lu (use --routing DijkstraCache)",
                 netpoints, PLATGEN_MAX_FLOYD_NETPOINTS);
    return -1;
  }
  return 0;
}

/* The fields every kind has: names, description, speed, bandwidth, latency and cores. */
static int plan_common(platgen_plan_t* p, vn_error_t* err)
{
  const platgen_spec_t* s = p->spec;
  if (check_name(s->id, "--id", err) || check_name(s->prefix, "--hosts-prefix", err) ||
      check_comment(s->description, "--description", err) ||
      quantity_parse(UNIT_SPEED, s->speed, "--speed", &p->speed, err) ||
      quantity_parse(UNIT_BANDWIDTH, s->bw, "--bw", &p->bw, err) ||
      quantity_parse(UNIT_TIME, s->lat, "--lat", &p->lat, err))
    return -1;
  if (s->cores < 1 || s->cores > 65536) {
    char v[32];
    snprintf(v, sizeof v, "%lu", s->cores);
    vn_error_set(err, NULL, 0, NULL, "--cores", v, "must be a whole number from 1 to 65536");
    return -1;
  }
  return 0;
}

/* Frees a plan and its kind's shape. NULL is a no-op. */
static void platgen_plan_free(platgen_plan_t* p)
{
  if (p == NULL)
    return;
  free(p->shape);
  free(p);
}

/* Checks every field of @p spec, in a fixed order (the first error found is the one reported), and returns the
 * parsed plan, or NULL with @p err set (@p err may be NULL). */
static platgen_plan_t* platgen_plan_create(const platgen_spec_t* spec, vn_error_t* err)
{
  const struct topology_ops* ops = kind_of(spec->topology);
  if (ops == NULL) {
    vn_error_set(err, NULL, 0, NULL, "topology", NULL, "unknown topology");
    return NULL;
  }
  platgen_plan_t* p = xbt_new0(platgen_plan_t, 1);
  p->spec           = spec;
  p->ops            = ops;
  if (plan_common(p, err) || ops->parse(p, err) || plan_backbone(p, err) || plan_uplink(p, err) ||
      plan_routing(p, err)) {
    platgen_plan_free(p);
    return NULL;
  }
  return p;
}

int platgen_validate(const platgen_spec_t* spec, vn_error_t* err)
{
  platgen_plan_t* p = platgen_plan_create(spec, err);
  int valid         = p != NULL;
  platgen_plan_free(p);
  return valid ? 0 : -1;
}

unsigned long platgen_host_count(const platgen_spec_t* spec)
{
  platgen_plan_t* p   = platgen_plan_create(spec, NULL);
  unsigned long hosts = p ? p->hosts : 0;
  platgen_plan_free(p);
  return hosts;
}

unsigned long platgen_router_count(const platgen_spec_t* spec)
{
  platgen_plan_t* p     = platgen_plan_create(spec, NULL);
  unsigned long routers = p ? p->routers : 0;
  platgen_plan_free(p);
  return routers;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Writing.                                                                                                      */

/* The description, word-wrapped at 100 columns and indented under the comment's first line. */
static void write_description(FILE* out, const char* text)
{
  fprintf(out, "       ");
  int col          = 7;
  const char* word = text;
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

/* The comment at the top of every file: what the platform is, its parameters and host count. */
static void write_header(FILE* out, const platgen_plan_t* p)
{
  const platgen_spec_t* s = p->spec;
  fprintf(out, "  <!-- vnicsim platform: ");
  p->ops->write_title(out, p, s->explicit_form ? "explicit" : "compact");
  if (s->description[0] != '\0')
    write_description(out, s->description);
  if (p->hosts == 1)
    fprintf(out, "       Hosts: 1 (%s0)", s->prefix);
  else
    fprintf(out, "       Hosts: %lu (%s0 ... %s%lu)", p->hosts, s->prefix, s->prefix, p->hosts - 1);
  fprintf(out, ", each one NIC with %lu cores of %s.\n", s->cores, s->speed);
  if (p->ops->write_parameters)
    p->ops->write_parameters(out, p);
  if (s->explicit_form && p->ops->write_explicit) {
    char routers[64];
    if (p->routers)
      snprintf(routers, sizeof routers, "%lu router%s", p->routers, p->routers == 1 ? "" : "s");
    else
      snprintf(routers, sizeof routers, "no routers");
    fprintf(out,
            "       Explicit form: %s, one-hop split-duplex links, %s shortest-path routing\n"
            "       (loads under SimGrid's ns-3 network model).\n",
            routers, s->routing);
  }
  fprintf(out, "       Written by \"vnicsim platform\"; docs/platforms.md explains the parameters. -->\n");
}

int platgen_write(FILE* out, const platgen_spec_t* spec, vn_error_t* err)
{
  platgen_plan_t* p = platgen_plan_create(spec, err);
  if (p == NULL)
    return -1;
  fprintf(out, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
               "<platform version=\"4.1\">\n");
  write_header(out, p);
  if (spec->explicit_form && p->ops->write_explicit) {
    fprintf(out, "  <zone id=\"%s\" routing=\"%s\">\n", spec->id, spec->routing);
    p->ops->write_explicit(out, p);
    fprintf(out, "  </zone>\n");
  } else {
    p->ops->write_compact(out, p);
  }
  fprintf(out, "</platform>\n");
  platgen_plan_free(p);
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
/* The command: the options' values into a spec, then the file.                                                 */

static int cli_error(const vn_error_t* err)
{
  vn_error_print(err, stderr);
  fprintf(stderr, "(vnicsim platform --help lists the topologies and options)\n");
  return VN_EXIT_INPUT;
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

/* Fills @p spec from the command line. Returns 0, or -1 with @p err set. */
static int spec_from_options(platgen_spec_t* spec, const char* topology, const char* parameters, const platgen_cli_t* o,
                             vn_error_t* err)
{
  platgen_spec_init(spec, PLATGEN_SINGLE);
  spec->explicit_form = o->explicit_form;
  if (o->no_backbone)
    spec->backbone = 0;
  if (o->hosts != NULL && topology_parse_count_option("--hosts", o->hosts, PLATGEN_MAX_HOSTS, &spec->hosts, err))
    return -1;
  if (o->cores != NULL && topology_parse_count_option("--cores", o->cores, 65536, &spec->cores, err))
    return -1;
  if (copy_field(spec->prefix, PLATGEN_FIELD_MAX, "--hosts-prefix", o->hosts_prefix, err) ||
      copy_field(spec->id, PLATGEN_FIELD_MAX, "--id", o->id, err) ||
      copy_field(spec->speed, PLATGEN_FIELD_MAX, "--speed", o->speed, err) ||
      copy_field(spec->bw, PLATGEN_FIELD_MAX, "--bw", o->bw, err) ||
      copy_field(spec->lat, PLATGEN_FIELD_MAX, "--lat", o->lat, err) ||
      copy_field(spec->bb_bw, PLATGEN_FIELD_MAX, "--bb-bw", o->bb_bw, err) ||
      copy_field(spec->bb_lat, PLATGEN_FIELD_MAX, "--bb-lat", o->bb_lat, err) ||
      copy_field(spec->uplink_bw, PLATGEN_FIELD_MAX, "--uplink-bw", o->uplink_bw, err) ||
      copy_field(spec->routing, PLATGEN_FIELD_MAX, "--routing", o->routing, err) ||
      copy_field(spec->description, PLATGEN_DESCRIPTION_MAX, "--description", o->description, err))
    return -1;
  if (platgen_topology_from_name(topology, &spec->topology) != 0) {
    char names[256];
    list_kinds(names, sizeof names);
    vn_error_set(err, NULL, 0, NULL, NULL, topology, "unknown topology: expected %s", names);
    return -1;
  }
  return kind_of(spec->topology)->take_parameters(spec, parameters, err);
}

int platgen_command(const char* topology, const char* parameters, const platgen_cli_t* o)
{
  vn_error_t err;
  vn_error_clear(&err);
  platgen_spec_t spec;
  if (spec_from_options(&spec, topology, parameters, o, &err) != 0 || platgen_validate(&spec, &err) != 0)
    return cli_error(&err); /* before anything is created or written */
  if (o->output == NULL) {
    if (platgen_write(stdout, &spec, &err) != 0 || fflush(stdout) != 0) {
      fprintf(stderr, "vnicsim: error: writing the platform: %s\n", strerror(errno));
      return VN_EXIT_INTERNAL;
    }
    return 0;
  }
  int rc = platgen_write_file(o->output, &spec, &err);
  if (rc == VN_EXIT_INPUT)
    return cli_error(&err);
  if (rc != 0)
    vn_error_print(&err, stderr);
  return rc;
}
