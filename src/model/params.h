/* params: the fully resolved parameter set of one simulation point (one sweep point, one replication), the enums of
 * its values with their names, and the descriptor type of the parameter table (scenario/param_table.h). */
#ifndef VNICSIM_MODEL_PARAMS_H
#define VNICSIM_MODEL_PARAMS_H

#include <stddef.h>

#define PARAMS_NAME_MAX 128
#define PARAMS_PATH_MAX 4096
#define PARAMS_HOSTS_MAX 4096
/** Room for the "given" marks of every parameter of the table, the access modes' own included (the table checks
 *  that it fits). */
#define PARAMS_MAX_KEYS 96
/** Bytes for the parameters the access modes declare themselves (model/access/access.h lays their blocks out). */
#define PARAMS_MODE_AREA 256
/** Largest accepted host count, consumer count per host, or replication count. */
#define PARAMS_MAX_ACTORS 1000000L
/** Sane caps of the parameter kinds, for the table and for the modes that declare parameters of their own. */
#define PARAMS_COUNT_MAX 1e9 /* WR counts, queue sizes, windows */
#define PARAMS_TIME_MAX 1e6  /* seconds (11.6 days): anything larger is a typo */

/* Enumerated parameter values. Each enum has a NULL-terminated name table (params.c) whose order matches. */
typedef enum { SERVICE_FIXED = 0, SERVICE_EXPONENTIAL } service_dist_t;
typedef enum { BACKOFF_FIXED = 0, BACKOFF_EXPONENTIAL } backoff_policy_t;
typedef enum { CREDIT_ON_EMPTY = 0, CREDIT_ALWAYS } credit_refresh_t;
typedef enum { LOCK_WAIT_SPIN = 0, LOCK_WAIT_PV } lock_wait_t;
typedef enum { ON_REJECT_REPLAY = 0, ON_REJECT_DROP } on_reject_t;
typedef enum { ARRIVAL_CLOSED = 0, ARRIVAL_POISSON, ARRIVAL_DETERMINISTIC } arrival_t;
typedef enum { SIZE_FIXED = 0, SIZE_EXPONENTIAL, SIZE_BIMODAL } size_dist_t;
typedef enum { THINK_FIXED = 0, THINK_EXPONENTIAL } think_dist_t;
typedef enum {
  PATTERN_LOCAL = 0,
  PATTERN_UNIFORM,
  PATTERN_NEIGHBOR,
  PATTERN_PERMUTATION,
  PATTERN_HOTSPOT,
  PATTERN_ALL_TO_ALL
} pattern_t;

extern const char* const params_service_dist_names[];
extern const char* const params_backoff_policy_names[];
extern const char* const params_credit_refresh_names[];
extern const char* const params_lock_wait_names[];
extern const char* const params_on_reject_names[];
extern const char* const params_arrival_names[];
extern const char* const params_size_dist_names[];
extern const char* const params_think_dist_names[];
extern const char* const params_pattern_names[];
extern const char* const params_network_model_names[];

/** All parameters of one run. Units are SI base units, written in the field names (_s seconds, _B bytes,
 *  _Bps bytes per second, _per_s events per second). */
typedef struct params {
  /* <scenario> */
  char name[PARAMS_NAME_MAX];
  unsigned long seed; /* base seed; replication r of a point uses seed + r */
  long replications;
  double stats_memory_B; /* WR records kept for exact statistics; beyond, time bins (model/samples.h) */

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
  long queues;     /* hardware queues (partitioned mode); 1 otherwise */
  long max_queues; /* most hardware queues the NIC offers */
  double lock_acquire_s;
  double lock_handoff_s;
  double trap_s;
  double header_B; /* bytes added to each payload on the wire */

  /* <access>: access-mode knobs */
  char mode[32]; /* name of an access mode in the registry (access.h) */
  double backoff_s;
  double backoff_max_s;
  backoff_policy_t backoff_policy;
  credit_refresh_t credit_refresh;
  lock_wait_t lock_wait; /* how waiters for a lock wait: spin, or trap and yield after spin_limit_s (pv) */
  double spin_limit_s;
  on_reject_t on_reject;

  /* <consumers> */
  long cores_per_host;
  long vms_per_host;
  long vcpus_per_vm;
  long pcpus_per_host; /* physical cores for the VMs' vCPUs; 0: one per vCPU */
  double slice_s;      /* round-robin time slice when vCPUs outnumber pcpus_per_host */

  /* <workload> */
  arrival_t arrival;
  double rate_per_s; /* open loop: WR creation rate per consumer */
  long window;       /* closed loop: outstanding WRs per consumer */
  double think_s;    /* closed loop: delay from a completion to the next creation (the mean if exponential) */
  think_dist_t think_dist;
  long requests;     /* WRs per consumer; 0 when the run is bounded by duration */
  double duration_s; /* simulated time during which WRs are created; 0 when bounded by requests */
  double size_B;     /* fixed size, or the mean (exponential), or the small size (bimodal) */
  size_dist_t size_dist;
  double size_large_B;   /* bimodal: large size */
  double large_fraction; /* bimodal: probability of a large WR */
  pattern_t pattern;
  double skew; /* Zipf exponent of the load over a host's consumers (0: even) */
  char hot_host[PARAMS_NAME_MAX]; /* hotspot target; empty means the first selected host */
  double hot_fraction;            /* hotspot: fraction of WRs sent to the hot host */
  double warmup;                  /* fraction of each consumer's WRs left out of the statistics */

  /* Bookkeeping: given[i] is 1 when parameter i of the table (params_get(i)) was set by the user (file, --set or a
   * sweep) rather than left at its default. It tells "requests" and "duration" apart, which are exclusive. */
  unsigned char given[PARAMS_MAX_KEYS];

  /* The access modes' own parameters: one block per mode (its own struct), read with access_params(). */
  _Alignas(max_align_t) unsigned char mode_area[PARAMS_MODE_AREA];
} params_t;

/** How a parameter's text is read and where its value is stored. */
typedef enum {
  PARAM_TIME,      /* double seconds, written with a time unit ("200ns") */
  PARAM_SIZE,      /* double bytes, written with a size unit ("4KiB") */
  PARAM_BANDWIDTH, /* double bytes per second, written with a bandwidth unit ("16GBps", "100Gbps") */
  PARAM_RATE,      /* double events per second, written with a rate unit ("2M/s") */
  PARAM_COUNT,     /* long, a whole number without unit */
  PARAM_FRACTION,  /* double, a plain number without unit */
  PARAM_ENUM,      /* an enum (int-sized), written as one of names[] (case-sensitive) */
  PARAM_CHOICE,    /* text, one of names[] (case-sensitive) */
  PARAM_IDENT,     /* text, a non-empty word of letters, digits, '.', '_', '+', '-' (not starting with '.' or '-') */
  PARAM_STRING,    /* text, anything printable, possibly empty */
  PARAM_HOSTS,     /* text, "all", a host count N >= 1, or a comma-separated list of distinct host names */
  PARAM_PATH,      /* text, a non-empty file path; resolving and checking it is the caller's job (scenario.c) */
  PARAM_SEED       /* unsigned long, a whole number in [0, 4294967295] */
} param_kind_t;

/* Flags of a parameter descriptor. */
#define PARAM_MIN_EXCLUSIVE 0x1u /* the value must be > min (else >= min) */
#define PARAM_MAX_EXCLUSIVE 0x2u /* the value must be < max (else <= max) */
#define PARAM_OPTIONAL 0x4u      /* a zero value means "off": written as empty text (manifest, CSV) */
#define PARAM_NO_SWEEP 0x8u      /* cannot be swept (it shapes the set of points itself) */

/** One parameter: where it is written in a scenario, how it is read, where it is stored, its default and range.
 *  The table of all parameters (params.c) drives defaults, the scenario reader, --set, sweeps, the manifest and the
 *  CSV columns, so none of them can disagree. */
typedef struct param_desc {
  const char* key;       /* "element.attribute", as in --set and <sweep param=...> */
  const char* element;   /* the scenario element ("nic") */
  const char* attribute; /* the attribute ("queue-depth") */
  param_kind_t kind;
  size_t offset;            /* of the field in params_t */
  size_t size;              /* of the field (text kinds: the buffer size, terminating NUL included) */
  const char* default_text; /* parsed by the same code as user values; NULL: zero, i.e. off or empty */
  double min;               /* numeric kinds: valid range */
  double max;
  unsigned flags;           /* PARAM_* flags */
  const char* const* names; /* PARAM_ENUM and PARAM_CHOICE: NULL-terminated valid names */
  const char* doc;          /* one line, for docs and listings */
} param_desc_t;

/** @brief Total consumers placed on one physical host (native cores plus every vCPU of its VMs). */
long params_consumers_per_host(const params_t* p);

#endif
