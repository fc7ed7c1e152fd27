/* sim: one simulation point, from SimGrid initialisation to its metrics (one per process: SimGrid has one engine). */
#ifndef VNICSIM_SIM_H
#define VNICSIM_SIM_H

#include <simgrid/forward.h>
#include <stddef.h>

#include "base/error.h"
#include "model/params.h"
#include "model/stats.h"
#include "model/wrtable.h"

/** Counts the invariants are checked against (checks.csv). */
typedef struct sim_checks {
  long nic_arrivals;     /* writes that reached a NIC */
  long nic_accepted;     /* accepted writes */
  long nic_drops;        /* dropped writes */
  long flag_clears;      /* retry-flag clearing writes */
  long max_occupancy;    /* highest occupancy of any queue */
  long queue_capacity;   /* capacity of one queue */
  long wr_attempts;      /* sum over WRs of writes that reached the NIC */
  long wr_replays;       /* sum over WRs of writes beyond the first */
  long wr_accepted;      /* WRs accepted (each exactly once) */
  long order_violations; /* accepted WRs that were not their context's next one in creation order */
  long peak_senders;     /* most WRs one NIC had handed to the network and not yet at their destination */
  long actors;           /* SimGrid actors created */
  long actor_steps;      /* blocking calls (simulation steps) all actors made */
  long transfers;        /* payloads sent through the network */
} sim_checks_t;

/** What one run produces. */
typedef struct sim_output {
  metrics_t metrics;
  sim_checks_t checks;
  int nhosts;
  long consumers;
  long consumers_per_host;
  char** host_names;     /* nhosts names */
  host_metrics_t* hosts; /* nhosts per-host figures */
  wrtable_t wrs;         /* the WR records: every WR when exact_stats (the benchmark replays them), else a reused few */
  double run_wall_s;     /* wall-clock seconds spent in simgrid_run (for the benchmark; never in a results file) */
} sim_output_t;

/** What is traced of a run: every WR, for a per-WR trace (see samples_trace_f, model/samples.h, for when each
 *  comes), and a Paje trace written by SimGrid's own tracing (model/paje.h). */
typedef struct sim_trace {
  void (*wr)(void* data, const wr_t* wr); /* NULL: no per-WR trace */
  void* data;
  const char* paje_file; /* NULL: no Paje trace; else the file SimGrid writes it to (whole when sim_run returns 0) */
  double paje_start_s;   /* the window of simulated time the Paje trace records (0 and INFINITY: all of it) */
  double paje_end_s;
} sim_trace_t;

/** @brief Run one point with parameters @p p and seed @p seed. @p trace (may be NULL) says what to trace. @p sg_argv
 * (NULL-terminated, @p sg_argc entries, argv[0] the program name) carries SimGrid options (--cfg=..., --log=...); it is
 * consumed by simgrid_init. The network model is set from p->network_model. With more than 10,000 actors and no
 * contexts/stack-size or contexts/guard-size given, actors get 128 KiB stacks and no guard page (so vm.max_map_count is
 * not exhausted). Returns 0, or -1 with @p err for input SimGrid accepted but vnicsim cannot run (host selection,
 * cores). SimGrid itself aborts on a platform it cannot load: call this in a child process. */
int sim_run(const params_t* p, unsigned long seed, int sg_argc, char** sg_argv, const sim_trace_t* trace,
            sim_output_t* out, vn_error_t* err);

/** @brief Initialise SimGrid with @p sg_argv and vnicsim's defaults (network model, timing precision, quiet
 *  configuration log), load the platform of @p p and select its hosts (platform_select). Returns the hosts, or NULL
 *  with @p err. Used by sim_run and by the benchmark's bare SimGrid baselines, so both run on the same set-up. */
sg_host_t* sim_load(const params_t* p, int sg_argc, char** sg_argv, size_t* n, vn_error_t* err);

/** @brief Load the platform of @p p and check its host selection; with NIC-to-NIC traffic, also ask for the routes
 *  a run uses (each host to the next, the first to every host), and with ns-3 make one transfer between the first
 *  and the last selected host, because some platforms and ns-3 fail only then. SimGrid aborts on what it cannot use:
 * call in a child process, which must then leave with _exit(). Sets *nhosts. Returns 0 or -1 with @p err. */
int sim_check_platform(const params_t* p, int sg_argc, char** sg_argv, int* nhosts, vn_error_t* err);

/** @brief Free what sim_run allocated in @p out. */
void sim_output_free(sim_output_t* out);

#endif
