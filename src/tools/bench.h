/* bench: simulation speed and memory, each measured against a bare SimGrid program in the same run. */
#ifndef VNICSIM_BENCH_H
#define VNICSIM_BENCH_H

/** @brief `vnicsim bench [SCENARIO.xml] [--point N]... [--set k=v]... [--repeat N] [SimGrid options]`: for each
 *  chosen point (default: the points of the default scenario with the most consumers per host, first replication),
 *  run vnicsim and then a bare SimGrid program on the same platform doing the same work (bench.c), and print both
 *  rates, their ratio, the simulation steps per WR and vnicsim's peak memory; with @p repeat > 1 the two programs run
 *  alternately that many times and the pair with the median ratio is printed, with every pair's ratio. @p path NULL:
 *  the default scenario; @p sets are --set overrides; @p chosen the --point indices (none: the largest points);
 *  @p sg_argv the SimGrid options after the program name. Returns the exit status. */
int bench_command(const char* path, const char* const* sets, int nsets, const long* chosen, int nchosen, int repeat,
                  int sg_argc, char** sg_argv);

#endif
