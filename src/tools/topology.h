/* topology: the interface between the platform generator and its topology kinds (struct topology_ops), the checked
 * spec they work on (platgen_plan_t), and the parsing and XML helpers they share. Private to src/tools. */
#ifndef VNICSIM_TOPOLOGY_H
#define VNICSIM_TOPOLOGY_H

#include <stdio.h>

#include "base/error.h"
#include "base/units.h"
#include "tools/platgen.h"

/** Room for any generated name: an id or a prefix (< PLATGEN_FIELD_MAX each) and a few numbers. */
#define TOPOLOGY_NAME_LEN (3 * PLATGEN_FIELD_MAX + 128)
/** Largest single count in a topology string (a dimension, a number of children, parallel cables...). */
#define TOPOLOGY_MAX_COUNT 65536UL

/** A spec, parsed and checked: everything the writers need. Made by platgen_plan_create (platgen.c). */
typedef struct platgen_plan {
  const platgen_spec_t* spec;
  const struct topology_ops* ops; /* the kind of spec->topology */
  unsigned long hosts;
  unsigned long routers;                                     /* of the explicit form */
  units_quantity_t speed, bw, lat, bb_bw, bb_lat, uplink_bw; /* as the user wrote them */
  void* shape;                                               /* the kind's own parameters, parsed by ops->parse */
} platgen_plan_t;

/** One topology kind. Each kind is a `const struct topology_ops` in its own topo_<name>.c, listed once in the
 *  registry (platgen.c), which maps platgen_topology_t and the command-line name to it. The generator only calls
 *  through this table. */
struct topology_ops {
  const char* name;  /* on the command line: "flat", "fattree"... */
  int has_backbone;  /* --bb-bw, --bb-lat and --no-backbone apply (a backbone on every route) */
  int has_uplink_bw; /* --uplink-bw applies to the explicit form (switch-to-switch cables) */
  /** `vnicsim platform NAME [PARAMETERS]`: check @p parameters (NULL when not given) and put them into @p spec,
   *  whose other fields hold the options already. Return 0, or -1 with @p err set. */
  int (*take_parameters)(platgen_spec_t* spec, const char* parameters, vn_error_t* err);
  /** Parse and check the kind's own parameters of p->spec: set p->hosts, p->routers and p->shape (allocated; the
   *  plan frees it with free()). Return 0, or -1 with @p err set. */
  int (*parse)(platgen_plan_t* p, vn_error_t* err);
  /** The first line of the header comment, after "vnicsim platform: ", with its newline. @p form is "compact" or
   *  "explicit". */
  void (*write_title)(FILE* out, const platgen_plan_t* p, const char* form);
  /** The header's lines on the parameters, after the host line (NULL: none). */
  void (*write_parameters)(FILE* out, const platgen_plan_t* p);
  /** The compact form: one SimGrid <cluster> (a kind without an explicit form writes its one zone here). */
  void (*write_compact)(FILE* out, const platgen_plan_t* p);
  /** The explicit form: hosts, routers, links and routes, inside the zone that platgen_write opens with the chosen
   *  routing (NULL: the kind has one form only, write_compact). */
  void (*write_explicit)(FILE* out, const platgen_plan_t* p);
};

/* ---- parameters ---- */

/** @brief Split @p text at @p sep into at most @p max counts in [1, TOPOLOGY_MAX_COUNT]. On error, @p err names
 *  @p what = "@p whole" and the bad field (@p field_name: "dimension", "child count"...).
 *  @return the number of fields, or -1. */
int topology_parse_counts(const char* text, char sep, unsigned long* out, int max, const char* what, const char* whole,
                          const char* field_name, vn_error_t* err);

/** @brief Parse the option @p what = "@p value" as a count from 1 to @p max ("expected a whole number from 1 to
 *  max"). @return 0, or -1 with @p err set. */
int topology_parse_count_option(const char* what, const char* value, unsigned long max, unsigned long* out,
                                vn_error_t* err);

/** @brief @p a x @p b, or 0 when either is 0 or the product is above PLATGEN_MAX_HOSTS (callers read 0 as "too
 *  many"). */
unsigned long topology_mul_capped(unsigned long a, unsigned long b);

/** @brief A take_parameters for the kinds described by SimGrid's topo_parameters string: it is required and copied
 *  into spec->topo_parameters. */
int topology_take_topo_parameters(platgen_spec_t* spec, const char* parameters, vn_error_t* err);

/** @brief For the kinds whose parameters give the host count: a --hosts that disagrees with p->hosts is an error.
 *  @return 0, or -1 with @p err set. */
int topology_check_host_option(const platgen_plan_t* p, vn_error_t* err);

/** @brief Write @p n counts joined by @p sep ("8x4x4", "128,128,64") into @p buf. */
void topology_join_counts(const unsigned long* v, unsigned n, char sep, char* buf, size_t len);

/* ---- XML ---- */

/** @brief The name of host @p rank: the prefix and the rank ("node-12"). */
void topology_host_name(const platgen_plan_t* p, unsigned long rank, char* buf, size_t len);

/** @brief Every host, one <host> line each, in rank order. */
void topology_write_hosts(FILE* out, const platgen_plan_t* p);

/** @brief One <router> line. */
void topology_write_router(FILE* out, const char* name);

/** @brief One split-duplex <link> of @p times x @p bw (a link of parallel cables) and latency @p lat. */
void topology_write_link(FILE* out, const char* id, const units_quantity_t* bw, double times,
                         const units_quantity_t* lat);

/** @brief One symmetric one-hop route: going src -> dst uses the UP half, SimGrid reverses it for dst -> src. */
void topology_write_route(FILE* out, const char* src, const char* dst, const char* link);

/** @brief The start of the compact form: `<cluster` with the hosts, their speed and cores, bw and lat, without the
 *  closing "/>" (the kind adds its own attributes, then "/>\n"). */
void topology_write_cluster_begin(FILE* out, const platgen_plan_t* p);

/** @brief The whole compact form of a SimGrid cluster topology ("FAT_TREE", "TORUS", "DRAGONFLY") built from
 *  spec->topo_parameters. */
void topology_write_cluster(FILE* out, const platgen_plan_t* p, const char* simgrid_topology);

/** @brief The header line "Parameters: topo_parameters=... bw=... lat=... (@p per)" of the kinds described by a
 *  topo_parameters string. */
void topology_write_parameters_line(FILE* out, const platgen_plan_t* p, const char* per);

#endif
