/* cmd_tools: the option tables of the tool subcommands: platform and bench. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/sysdep.h>

#include "cli/commands.h"
#include "tools/bench.h"
#include "tools/platgen.h"

/* ---- platform ---- */

#define PG(field, name, value, help)                                                                                   \
  {                                                                                                                    \
    name, 0, CLI_STRING, offsetof(platgen_cli_t, field), value, help, 0, 0, NULL                                       \
  }

static const cli_option_t platform_options[] = {
    {"explicit", 0, CLI_FLAG, offsetof(platgen_cli_t, explicit_form), NULL,
     "routers, one-hop links and shortest-path routing (for the ns-3 model)", 0, 0, NULL},
    {"output", 'o', CLI_STRING, offsetof(platgen_cli_t, output), "FILE", "write FILE atomically instead of stdout", 0,
     0, NULL},
    PG(hosts, "hosts", "N", "flat: number of hosts; others: checked against the parameters"),
    PG(hosts_prefix, "hosts-prefix", "P", "host names P0 ... P<N-1> (default node-)"),
    PG(id, "id", "ID", "zone id, stem of link and router names (default cluster)"),
    PG(speed, "speed", "S", "host speed (default 2.5Gf)"),
    PG(cores, "cores", "N", "cores per host (default 64)"),
    PG(bw, "bw", "B", "bandwidth of every link or cable (default 100Gbps)"),
    PG(lat, "lat", "T", "latency of every link, per hop (default 200ns)"),
    PG(bb_bw, "bb-bw", "B", "flat: backbone bandwidth (default hosts x bw, non-blocking)"),
    PG(bb_lat, "bb-lat", "T", "flat: backbone latency (default 100ns)"),
    {"no-backbone", 0, CLI_FLAG, offsetof(platgen_cli_t, no_backbone), NULL,
     "flat: a pure crossbar (SimGrid's ns-3 model needs a backbone)", 0, 0, NULL},
    PG(uplink_bw, "uplink-bw", "B", "explicit fattree: bandwidth of switch-to-switch cables (default bw)"),
    PG(routing, "routing", "R", "explicit form: Floyd (default), Dijkstra or DijkstraCache"),
    PG(description, "description", "TEXT", "free text for the header comment"),
    CLI_OPTIONS_END,
};

static int platform_run(void* opts, const cli_args_t* a)
{
  return platgen_command(a->positional[0], a->npositional > 1 ? a->positional[1] : NULL, opts);
}

const cli_command_t cli_cmd_platform = {
    .name     = "platform",
    .brief    = "write a SimGrid platform (flat, fat-tree, torus, dragonfly)",
    .synopsis = "TOPOLOGY [PARAMETERS] [options]",
    .summary =
        "Write a SimGrid platform of NIC hosts to stdout (or atomically to -o FILE). Topologies and their\n"
        "PARAMETERS (SimGrid's topo_parameters syntax; values with SimGrid units):\n"
        "  single                    one host, no network\n"
        "  flat N                    N hosts on one switch (crossbar) with a backbone\n"
        "  fattree L;D;U;P           L levels; D children per switch, U parents per node, P parallel cables,\n"
        "                            one value per level, leaves first (e.g. \"2;4,4;1,2;1,2\")\n"
        "  torus X,Y,Z               torus dimensions, any number of them (e.g. 4,4,4)\n"
        "  dragonfly G,b;C,k;R,g;N   G groups, C chassis per group, R routers per chassis, N hosts per\n"
        "                            router; b, k, g cables per blue, black, green link (e.g. \"3,4;4,3;5,1;2\")",
    .options   = platform_options,
    .min_args  = 1,
    .max_args  = 2,
    .args_name = "a TOPOLOGY (single, flat, fattree, torus or dragonfly)",
    .opts_size = sizeof(platgen_cli_t),
    .run       = platform_run,
};

/* ---- bench ---- */

typedef struct bench_cli {
  cli_list_t sets;
  cli_list_t points;
  long repeat;
  const char* senders;
} bench_cli_t;

static const char* const bench_senders[] = {"host", "consumer", NULL};

static const cli_option_t bench_options[] = {
    {"point", 0, CLI_LIST, offsetof(bench_cli_t, points), "N",
     "measure point N of the scenario (may be repeated; default: the points with the most consumers per host)", 0, 0,
     NULL},
    {"set", 0, CLI_LIST, offsetof(bench_cli_t, sets), "element.attribute=value", "override a scenario parameter", 0, 0,
     NULL},
    {"repeat", 0, CLI_LONG, offsetof(bench_cli_t, repeat), "N",
     "run both programs N times, alternately, and print the pair with the median ratio (default 1)", 1, 99, NULL},
    {"senders", 0, CLI_CHOICE, offsetof(bench_cli_t, senders), "WHO",
     "who sends the bare program's messages: as few actors per host as their overlap needs, or an actor per "
     "consumer as in vnicsim (default host)",
     0, 0, bench_senders},
    CLI_OPTIONS_END,
};

static int bench_run(void* opts, const cli_args_t* a)
{
  const bench_cli_t* b = opts;
  long* points         = xbt_new0(long, b->points.n + 1);
  for (int i = 0; i < b->points.n; i++) {
    const char* v = b->points.items[i];
    char* e;
    errno     = 0;
    points[i] = strtol(v, &e, 10);
    if (v[0] == '\0' || *e != '\0' || errno != 0 || points[i] < 0) {
      free(points);
      return cli_usage_error(&cli_cmd_bench, "--point needs a point index (0, 1, ...), not '%s'", v);
    }
  }
  bench_opts_t o = {.sets    = b->sets.items,
                    .nsets   = b->sets.n,
                    .chosen  = points,
                    .nchosen = b->points.n,
                    .repeat  = b->repeat > 0 ? (int)b->repeat : 1,
                    .senders = b->senders != NULL && strcmp(b->senders, "consumer") == 0 ? BENCH_SENDERS_PER_CONSUMER
                                                                                         : BENCH_SENDERS_PER_HOST};
  int rc         = bench_command(a->npositional ? a->positional[0] : NULL, &o, a->sg_argc, a->sg_argv);
  free(points);
  return rc;
}

const cli_command_t cli_cmd_bench = {
    .name      = "bench",
    .brief     = "measure speed and memory against a bare SimGrid program",
    .synopsis  = "[SCENARIO.xml] [options] [SimGrid options]",
    .summary   = "Measure simulation speed and memory against a bare SimGrid program, in one run (default scenario:\n"
                 "scenarios/default.xml).",
    .options   = bench_options,
    .min_args  = 0,
    .max_args  = 1,
    .args_name = "a scenario file",
    .simgrid   = 1,
    .opts_size = sizeof(bench_cli_t),
    .run       = bench_run,
};
