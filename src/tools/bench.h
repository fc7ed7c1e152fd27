/* bench: simulation speed and memory, each measured against a bare SimGrid program in the same run. */
#ifndef VNICSIM_BENCH_H
#define VNICSIM_BENCH_H

#include "tools/bench_bare.h"

/** What `vnicsim bench` measures, besides the scenario. */
typedef struct bench_opts {
  const char* const* sets; /* --set overrides */
  int nsets;
  const long* chosen; /* --point indices (none: the points with the most consumers per host) */
  int nchosen;
  int repeat;              /* pairs of runs per point (1: one) */
  bench_senders_t senders; /* the bare program's sender actors */
} bench_opts_t;

/** @brief `vnicsim bench [SCENARIO.xml] [--point N]... [--set k=v]... [--repeat N] [--senders host|consumer]
 *  [SimGrid options]`: for each chosen point (default: the points with the most consumers per host, first
 *  replication), run vnicsim and then a bare SimGrid program on the same platform doing the same work (bench.c), and
 *  print both rates, their ratio, the simulation steps per WR, both programs' actors and vnicsim's peak memory; with
 *  o->repeat > 1 the two programs run alternately that many times and the pair with the median ratio is printed, with
 *  every pair's ratio. @p path NULL: the default scenario; @p sg_argv the SimGrid options after the program name.
 *  Returns the exit status. */
int bench_command(const char* path, const bench_opts_t* o, int sg_argc, char** sg_argv);

#endif
