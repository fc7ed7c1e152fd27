/* params: the fully resolved parameter set of one simulation point (one sweep point, one replication). */
#ifndef VNICSIM_PARAMS_H
#define VNICSIM_PARAMS_H

#include <stddef.h>

#define PARAMS_NAME_MAX 128
#define PARAMS_PATH_MAX 4096
#define PARAMS_HOSTS_MAX 4096

/* Enumerated parameter values. Each enum has a NULL-terminated name table (params.c) whose order matches. */
typedef enum { SERVICE_FIXED = 0, SERVICE_EXPONENTIAL } service_dist_t;
typedef enum { DETECT_NOTIFY = 0, DETECT_POLL } detect_t;
typedef enum { BACKOFF_FIXED = 0, BACKOFF_EXPONENTIAL } backoff_policy_t;
typedef enum { CREDIT_ON_EMPTY = 0, CREDIT_ALWAYS } credit_refresh_t;
typedef enum { ON_REJECT_REPLAY = 0, ON_REJECT_DROP } on_reject_t;
typedef enum { ARRIVAL_CLOSED = 0, ARRIVAL_POISSON, ARRIVAL_DETERMINISTIC } arrival_t;
typedef enum { SIZE_FIXED = 0, SIZE_EXPONENTIAL, SIZE_BIMODAL } size_dist_t;
typedef enum {
  PATTERN_LOCAL = 0,
  PATTERN_UNIFORM,
  PATTERN_NEIGHBOR,
  PATTERN_PERMUTATION,
  PATTERN_HOTSPOT,
  PATTERN_ALL_TO_ALL
} pattern_t;

extern const char* const params_service_dist_names[];
extern const char* const params_detect_names[];
extern const char* const params_backoff_policy_names[];
extern const char* const params_credit_refresh_names[];
extern const char* const params_on_reject_names[];
extern const char* const params_arrival_names[];
extern const char* const params_size_dist_names[];
extern const char* const params_pattern_names[];
extern const char* const params_network_model_names[];

/** All parameters of one run. Units are SI base units, written in the field names (_s seconds, _B bytes,
 *  _Bps bytes per second, _per_s events per second). */
typedef struct params {
  /* <scenario> */
  char name[PARAMS_NAME_MAX];
  unsigned long seed; /* base seed; replication r of a point uses seed + r */
  long replications;

  /* <platform> */
  char platform_file[PARAMS_PATH_MAX]; /* resolved against the scenario file's directory */
  char network_model[16];              /* one of params_network_model_names */
  char hosts[PARAMS_HOSTS_MAX];        /* host selection: "all", a count "N", or a comma-separated list of names */

  /* <nic>: host I/O timing, NIC engine and lock costs */
  double issue_cost_s;
  double pio_write_s;
  double pio_read_s;
  double notify_latency_s;
  double service_time_s;
  service_dist_t service_dist;
  double dma_bandwidth_Bps;
  double dma_latency_s;
  long queue_depth;
  long queues; /* hardware queues (partitioned mode); 1 otherwise */
  double lock_acquire_s;
  double lock_handoff_s;
  double trap_s;
  double header_B; /* bytes added to each payload on the wire */

  /* <access>: access-mode knobs */
  char mode[32]; /* name of an access mode in the registry (access.h) */
  long replay_window;
  detect_t detect;
  long check_every;
  double backoff_s;
  double backoff_max_s;
  backoff_policy_t backoff_policy;
  credit_refresh_t credit_refresh;
  on_reject_t on_reject;

  /* <consumers> */
  long cores_per_host;
  long vms_per_host;
  long vcpus_per_vm;

  /* <workload> */
  arrival_t arrival;
  double rate_per_s; /* open loop: WR creation rate per consumer */
  long window;       /* closed loop: outstanding WRs per consumer */
  double think_s;    /* closed loop: delay from a completion to the next creation */
  long requests;     /* WRs per consumer; 0 when the run is bounded by duration */
  double duration_s; /* simulated time during which WRs are created; 0 when bounded by requests */
  double size_B;     /* fixed size, or the mean (exponential), or the small size (bimodal) */
  size_dist_t size_dist;
  double size_large_B;   /* bimodal: large size */
  double large_fraction; /* bimodal: probability of a large WR */
  pattern_t pattern;
  char hot_host[PARAMS_NAME_MAX]; /* hotspot target; empty means the first selected host */
  double hot_fraction;            /* hotspot: fraction of WRs sent to the hot host */
  double warmup;                  /* fraction of each consumer's WRs left out of the statistics */
} params_t;

/** @brief Total consumers placed on one physical host (native cores plus every vCPU of its VMs). */
long params_consumers_per_host(const params_t* p);

#endif
