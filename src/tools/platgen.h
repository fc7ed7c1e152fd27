/* platgen: writes SimGrid platform files of NIC clusters (flat, fat-tree, torus, dragonfly) in two forms. */
#ifndef VNICSIM_PLATGEN_H
#define VNICSIM_PLATGEN_H

#include <stdio.h>

#include "base/error.h"

/** Network topologies the generator knows. Each is one topo_<kind>.c implementing struct topology_ops
 *  (tools/topology.h), registered under this value in platgen.c. */
typedef enum {
  PLATGEN_SINGLE = 0, /* one host, no network (every transfer is a loopback) */
  PLATGEN_FLAT,       /* crossbar: one private link per host to a switch, plus an optional backbone */
  PLATGEN_FATTREE,    /* SimGrid's FAT_TREE: levels;down;up;parallel */
  PLATGEN_TORUS,      /* SimGrid's TORUS: direct network, hosts linked to their +1 neighbour in each dimension */
  PLATGEN_DRAGONFLY   /* SimGrid's DRAGONFLY: groups,blue;chassis,black;routers,green;nodes */
} platgen_topology_t;

/** Longest text field of a spec (values with units, names, topology parameters). */
#define PLATGEN_FIELD_MAX 128
/** Longest free-text description of a spec. */
#define PLATGEN_DESCRIPTION_MAX 1024

/** Most hosts a generated platform may have (SimGrid's own example crossbar has 65,536). */
#define PLATGEN_MAX_HOSTS 1048576UL
/** Most netpoints (hosts and routers) of an explicit platform. */
#define PLATGEN_MAX_EXPLICIT_NETPOINTS 65536UL
/** Most netpoints of an explicit platform routed by Floyd (its tables grow as n^2 and its set-up as n^3). */
#define PLATGEN_MAX_FLOYD_NETPOINTS 2048UL

/** What to generate. A plain value record: fill it with platgen_spec_init, then change fields.
 *  Quantities are SimGrid values with their unit written in ("100Gbps", "200ns", "2.5Gf"). */
typedef struct platgen_spec {
  platgen_topology_t topology;
  int explicit_form;                         /* 0: compact <cluster>; 1: routers, one-hop links, shortest paths */
  unsigned long hosts;                       /* flat: number of hosts; other topologies: 0, or the count to check */
  char topo_parameters[PLATGEN_FIELD_MAX];   /* fattree, torus, dragonfly: SimGrid's topo_parameters string */
  char id[PLATGEN_FIELD_MAX];                /* zone id, also the stem of link and router names */
  char prefix[PLATGEN_FIELD_MAX];            /* host i is named prefix + i */
  char speed[PLATGEN_FIELD_MAX];             /* per core, e.g. "2.5Gf" */
  unsigned long cores;                       /* cores per host */
  char bw[PLATGEN_FIELD_MAX];                /* bandwidth of every link (per cable) */
  char lat[PLATGEN_FIELD_MAX];               /* latency of every link (per hop) */
  char bb_bw[PLATGEN_FIELD_MAX];             /* flat: backbone bandwidth; "" means hosts x bw (non-blocking) */
  char bb_lat[PLATGEN_FIELD_MAX];            /* flat: backbone latency */
  int backbone;                              /* flat: 1 (default) to have a backbone, 0 for a pure crossbar */
  char uplink_bw[PLATGEN_FIELD_MAX];         /* explicit fat-tree only: switch-to-switch cables; "" = bw */
  char routing[PLATGEN_FIELD_MAX];           /* explicit form: "Floyd" (default), "Dijkstra" or "DijkstraCache" */
  char description[PLATGEN_DESCRIPTION_MAX]; /* free text for the header comment (the machine it resembles) */
} platgen_spec_t;

/** @brief Fill @p spec with the defaults for @p topology (100Gbps, 200ns, 2.5Gf, 64 cores, hosts node-0, node-1...). */
void platgen_spec_init(platgen_spec_t* spec, platgen_topology_t topology);

/** @brief Name of a topology as written on the command line ("flat", "fattree", ...). */
const char* platgen_topology_name(platgen_topology_t topology);

/** @brief Look a topology up by its command-line name. @return 0 on success, -1 if unknown. */
int platgen_topology_from_name(const char* name, platgen_topology_t* topology);

/** @brief Check every field of @p spec, with SimGrid's own constraints (and those of its routing code).
 *  @return 0 if it can be generated, or -1 with the reason in @p err. */
int platgen_validate(const platgen_spec_t* spec, vn_error_t* err);

/** @brief Number of hosts @p spec describes, or 0 if it is invalid. */
unsigned long platgen_host_count(const platgen_spec_t* spec);

/** @brief Number of routers of the explicit form of @p spec (switches of the flat and fat-tree forms, dragonfly
 *  routers; a torus has none: its hosts are its routers), or 0 if @p spec is invalid. */
unsigned long platgen_router_count(const platgen_spec_t* spec);

/** @brief Write the platform XML of @p spec to @p out.
 *
 *  The compact form is one SimGrid `<cluster>` (flat with a backbone, FAT_TREE, TORUS or DRAGONFLY). The explicit
 *  form is the same topology as a zone of `<host>`s, `<router>`s and split-duplex `<link>`s, each `<route>` one
 *  link between two neighbours, routed by shortest paths (Floyd by default). It has the same host names, link
 *  bandwidths and latencies, and it is what SimGrid's ns-3 model accepts. docs/platforms.md lists where the two
 *  forms differ (flat: the backbone; fat-tree: parallel cables merged; dragonfly: SimGrid's minimal routing).
 *  @return 0, or -1 with @p err set (bad spec: nothing is written) or a write error (errno kept). */
int platgen_write(FILE* out, const platgen_spec_t* spec, vn_error_t* err);

/** @brief Write the platform of @p spec to @p path atomically (a temporary file in the same folder, then rename):
 *  a reader never sees a half-written file, and a bad spec leaves nothing behind.
 *  @return 0, VN_EXIT_INPUT for a bad spec or an output path that cannot be created, VN_EXIT_INTERNAL on a write
 *  error; @p err says why. */
int platgen_write_file(const char* path, const platgen_spec_t* spec, vn_error_t* err);

/** The options of `vnicsim platform`, as written on the command line (NULL: not given). */
typedef struct platgen_cli {
  const char* output;
  const char* hosts;
  const char* hosts_prefix;
  const char* id;
  const char* speed;
  const char* cores;
  const char* bw;
  const char* lat;
  const char* bb_bw;
  const char* bb_lat;
  const char* uplink_bw;
  const char* routing;
  const char* description;
  int explicit_form;
  int no_backbone;
} platgen_cli_t;

/** @brief `vnicsim platform TOPOLOGY [PARAMETERS] [options]`: check the options (values with units), then write the
 *  platform to stdout or atomically to o->output. @p parameters may be NULL. Returns the exit status: 0, 2 for bad
 *  parameters (nothing written), 1 for an I/O error. */
int platgen_command(const char* topology, const char* parameters, const platgen_cli_t* o);

#endif
