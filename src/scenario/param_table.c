/* param_table: the table of every scenario parameter (defaults, units, ranges, docs) and the code it drives. */
#include "scenario/param_table.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>

#include "base/units.h"
#include "model/access/access.h"

#define SEED_MAX 4294967295.0 /* GSL generators take 32 bits of seed */
#define COUNT_MAX PARAMS_COUNT_MAX
#define TIME_MAX PARAMS_TIME_MAX
#define SIZE_MAX_B 1e12
#define BANDWIDTH_MAX 1e15
#define RATE_MAX 1e12

#define F(field) offsetof(params_t, field), sizeof(((params_t*)0)->field)
#define TIME(el, at, field, def, lo, flags, doc)                                                                       \
  {                                                                                                                    \
    el "." at, el, at, PARAM_TIME, F(field), def, lo, TIME_MAX, flags, NULL, doc                                       \
  }
#define COUNT(el, at, field, def, lo, hi, flags, doc)                                                                  \
  {                                                                                                                    \
    el "." at, el, at, PARAM_COUNT, F(field), def, lo, hi, flags, NULL, doc                                            \
  }
#define ENUM(el, at, field, def, names, doc)                                                                           \
  {                                                                                                                    \
    el "." at, el, at, PARAM_ENUM, F(field), def, 0, 0, 0, names, doc                                                  \
  }

/* The core parameters, in document order. The access modes declare their own (model/access/): the table used
 * everywhere (params_get) is this one with each mode's parameters inserted after the last core parameter of the same
 * element. */
static const param_desc_t core[] = {
    /* <scenario> */
    {"scenario.name", "scenario", "name", PARAM_IDENT, F(name), "unnamed", 0, 0, PARAM_NO_SWEEP, NULL,
     "name of the experiment (letters, digits, '.', '_', '+', '-'), used in output names"},
    {"scenario.seed", "scenario", "seed", PARAM_SEED, F(seed), "1", 0, SEED_MAX, 0, NULL,
     "base seed of the random streams; replication r uses seed + r"},
    COUNT("scenario", "replications", replications, "1", 1, PARAMS_MAX_ACTORS, PARAM_NO_SWEEP,
          "independent runs of every sweep point, with seeds seed, seed+1, ..."),
    {"scenario.stats-memory", "scenario", "stats-memory", PARAM_SIZE, F(stats_memory_B), "1GiB", 0, SIZE_MAX_B, 0,
     NULL, "memory for exact statistics: WR records beyond it switch a point to time bins and histograms"},

    /* <platform> */
    {"platform.file", "platform", "file", PARAM_PATH, F(platform_file), NULL, 0, 0, 0, NULL,
     "SimGrid platform file, relative to the scenario file's directory"},
    {"platform.network-model", "platform", "network-model", PARAM_CHOICE, F(network_model), "LV08", 0, 0, 0,
     params_network_model_names, "SimGrid network model (network/model) for NIC-to-NIC transfers"},
    {"platform.hosts", "platform", "hosts", PARAM_HOSTS, F(hosts), "all", 0, 0, 0, NULL,
     "hosts that carry a NIC and consumers: all, the first N in natural name order, or a comma-separated list"},

    /* <nic> */
    TIME("nic", "issue-cost", issue_cost_s, "50ns", 0, 0,
         "CPU time a consumer spends writing one WR (write-combined stores + fence)"),
    TIME("nic", "pio-write", pio_write_s, "200ns", 0, 0, "posted write from a core until the NIC sees it"),
    TIME("nic", "pio-read", pio_read_s, "1us", 0, 0, "non-posted read round trip from a core to a NIC register"),
    TIME("nic", "notify-latency", notify_latency_s, "300ns", 0, 0,
         "NIC writes a status or completion word into host memory, until the core sees it"),
    TIME("nic", "service-time", service_time_s, "200ns", 0, PARAM_MIN_EXCLUSIVE,
         "NIC engine time per WR, before the payload fetch (the mean when service-dist is exponential)"),
    ENUM("nic", "service-dist", service_dist, "fixed", params_service_dist_names,
         "distribution of the engine time per WR"),
    {"nic.dma-bandwidth", "nic", "dma-bandwidth", PARAM_BANDWIDTH, F(dma_bandwidth_Bps), "16GBps", 0, BANDWIDTH_MAX,
     PARAM_MIN_EXCLUSIVE, NULL, "payload fetch bandwidth from host memory (adds size / dma-bandwidth to service)"},
    TIME("nic", "dma-latency", dma_latency_s, "500ns", 0, 0,
         "DMA write of a delivered payload into destination memory"),
    COUNT("nic", "queue-depth", queue_depth, "64", 1, COUNT_MAX, 0,
          "NIC request FIFO capacity, the WR in service included"),
    COUNT("nic", "queues", queues, "1", 1, PARAMS_MAX_ACTORS, 0,
          "hardware queues (partitioned mode), each of queue-depth / queues entries"),
    COUNT("nic", "max-queues", max_queues, "64", 1, PARAMS_MAX_ACTORS, 0,
          "most hardware queues the NIC offers (virtual functions per port); queues above it are refused"),
    TIME("nic", "lock-acquire", lock_acquire_s, "20ns", 0, 0, "uncontended lock acquire + release"),
    TIME("nic", "lock-handoff", lock_handoff_s, "100ns", 0, 0, "passing a contended lock to the next core"),
    TIME("nic", "trap", trap_s, "1.5us", 0, 0, "one VM exit + re-entry"),
    {"nic.header", "nic", "header", PARAM_SIZE, F(header_B), "64B", 0, SIZE_MAX_B, 0, NULL,
     "bytes added to each payload on the wire"},

    /* <access> */
    {"access.mode", "access", "mode", PARAM_IDENT, F(mode), "speculative", 0, 0, 0, NULL,
     "access mode (how consumers get WRs into the NIC); one of the registered modes"},
    TIME("access", "backoff", backoff_s, "0s", 0, 0,
         "speculative, enqcmd: wait after a drop (a retry) before writing again"),
    TIME("access", "backoff-max", backoff_max_s, "10us", 0, 0, "speculative, enqcmd: cap of the exponential backoff"),
    ENUM("access", "backoff-policy", backoff_policy, "fixed", params_backoff_policy_names,
         "speculative, enqcmd: fixed backoff, or doubling per consecutive failure up to backoff-max"),
    ENUM("access", "lock-wait", lock_wait, "spin", params_lock_wait_names,
         "modes with a lock: waiters spin (burning their slice), or after spin-limit trap and yield (pv)"),
    TIME("access", "spin-limit", spin_limit_s, "10us", 0, 0, "lock-wait=pv: spinning before a waiter yields"),
    ENUM("access", "credit-refresh", credit_refresh, "on-empty", params_credit_refresh_names,
         "lock, hypervisor (its backend): read the NIC's free-slot count only when cached credits run out, or before "
         "every WR"),
    ENUM("access", "on-reject", on_reject, "replay", params_on_reject_names,
         "what a consumer does with a rejected WR: replay it, or drop it (lost)"),

    /* <consumers> */
    COUNT("consumers", "cores-per-host", cores_per_host, "1", 0, PARAMS_MAX_ACTORS, 0,
          "native consumers per physical host, one per core"),
    COUNT("consumers", "vms-per-host", vms_per_host, "0", 0, PARAMS_MAX_ACTORS, 0, "VMs per physical host"),
    COUNT("consumers", "vcpus-per-vm", vcpus_per_vm, "1", 1, PARAMS_MAX_ACTORS, 0, "consumers per VM, one per vCPU"),
    COUNT("consumers", "pcpus-per-host", pcpus_per_host, "0", 0, PARAMS_MAX_ACTORS, 0,
          "physical cores running the VMs' vCPUs (0: a core per vCPU); fewer than vCPUs time-slices them"),
    TIME("consumers", "slice", slice_s, "1ms", 0, PARAM_MIN_EXCLUSIVE,
         "time slice of the round-robin vCPU scheduler when vCPUs outnumber pcpus-per-host"),

    /* <workload> */
    ENUM("workload", "arrival", arrival, "closed", params_arrival_names,
         "closed loop (window, think), or open loop at rate (poisson or deterministic)"),
    {"workload.rate", "workload", "rate", PARAM_RATE, F(rate_per_s), "1M/s", 0, RATE_MAX, 0, NULL,
     "open loop: WR creation rate per consumer"},
    COUNT("workload", "window", window, "4", 1, COUNT_MAX, 0, "closed loop: outstanding WRs per consumer"),
    TIME("workload", "think", think_s, "0s", 0, 0,
         "closed loop: delay from a completion to the next creation (the mean if think-dist is exponential)"),
    ENUM("workload", "think-dist", think_dist, "fixed", params_think_dist_names,
         "closed loop: fixed think time, or exponentially distributed (an interactive user population)"),
    COUNT("workload", "requests", requests, "1000", 1, COUNT_MAX, PARAM_OPTIONAL,
          "WRs per consumer (default 1000 unless duration is given; not both)"),
    {"workload.duration", "workload", "duration", PARAM_TIME, F(duration_s), NULL, 0, TIME_MAX,
     PARAM_MIN_EXCLUSIVE | PARAM_OPTIONAL, NULL,
     "simulated time during which WRs are created (off by default; not with requests)"},
    {"workload.size", "workload", "size", PARAM_SIZE, F(size_B), "64B", 1, SIZE_MAX_B, 0, NULL,
     "payload bytes per WR (the mean if exponential, the small size if bimodal)"},
    ENUM("workload", "size-dist", size_dist, "fixed", params_size_dist_names, "distribution of WR sizes"),
    {"workload.size-large", "workload", "size-large", PARAM_SIZE, F(size_large_B), "4KiB", 1, SIZE_MAX_B, 0, NULL,
     "bimodal: the large size"},
    {"workload.large-fraction", "workload", "large-fraction", PARAM_FRACTION, F(large_fraction), "0.1", 0, 1, 0, NULL,
     "bimodal: probability that a WR is large"},
    ENUM("workload", "pattern", pattern, "local", params_pattern_names, "destination of each WR"),
    {"workload.skew", "workload", "skew", PARAM_FRACTION, F(skew), "0", 0, 100, 0, NULL,
     "Zipf exponent of the load over a host's consumers: consumer k gets a share proportional to 1/(k+1)^skew"},
    {"workload.hot-host", "workload", "hot-host", PARAM_STRING, F(hot_host), "", 0, 0, 0, NULL,
     "hotspot: the hot host's name (empty: the first selected host)"},
    {"workload.hot-fraction", "workload", "hot-fraction", PARAM_FRACTION, F(hot_fraction), "0.5", 0, 1, 0, NULL,
     "hotspot: fraction of WRs sent to the hot host"},
    {"workload.warmup", "workload", "warmup", PARAM_FRACTION, F(warmup), "0.1", 0, 1, PARAM_MAX_EXCLUSIVE, NULL,
     "fraction of each consumer's first WRs left out of the statistics"},
};

#undef F
#undef TIME
#undef COUNT
#undef ENUM

#define CORE_SIZE (sizeof core / sizeof core[0])
_Static_assert(sizeof(pattern_t) == sizeof(int) && sizeof(think_dist_t) == sizeof(int),
               "PARAM_ENUM fields are stored as int");

/* Parameters that other rules refer to. */
#define KEY_REQUESTS "workload.requests"
#define KEY_DURATION "workload.duration"

static param_desc_t table[PARAMS_MAX_KEYS]; /* core + modes, built on first use */
static size_t table_size;

/* Build the table: the core parameters, and each registered mode's own after the last parameter of its element, with
 * their offsets moved to the mode's block in params_t. A key given twice is a programmer error. */
static void build_table(void)
{
  if (table_size > 0)
    return;
  xbt_assert(CORE_SIZE <= PARAMS_MAX_KEYS, "PARAMS_MAX_KEYS is too small for the parameter table");
  memcpy(table, core, sizeof core);
  size_t n = CORE_SIZE;
  for (size_t m = 0; m < access_count(); m++) {
    const struct access_ops* ops = access_get(m);
    size_t base                  = access_params_offset(ops);
    for (size_t k = 0; k < ops->nparams; k++) {
      param_desc_t d = ops->params[k];
      xbt_assert(d.offset + d.size <= ops->params_size, "mode %s: parameter %s lies outside its block", ops->name,
                 d.key);
      d.offset += base;
      xbt_assert(n < PARAMS_MAX_KEYS, "PARAMS_MAX_KEYS is too small for the parameters of mode %s", ops->name);
      size_t at = n; /* after the last parameter of the same element, else at the end */
      for (size_t i = 0; i < n; i++) {
        xbt_assert(strcmp(table[i].key, d.key) != 0, "parameter %s is declared twice (mode %s)", d.key, ops->name);
        if (strcmp(table[i].element, d.element) == 0)
          at = i + 1;
      }
      memmove(&table[at + 1], &table[at], (n - at) * sizeof table[0]);
      table[at] = d;
      n++;
    }
  }
  table_size = n;
}

#define TABLE_SIZE (build_table(), table_size)

size_t params_count(void)
{
  return TABLE_SIZE;
}

const param_desc_t* params_get(size_t i)
{
  return i < TABLE_SIZE ? &table[i] : NULL;
}

size_t params_index(const param_desc_t* d)
{
  xbt_assert(d >= table && d < table + TABLE_SIZE, "not a descriptor of the parameter table");
  return (size_t)(d - table);
}

const param_desc_t* params_find(const char* key)
{
  if (key == NULL)
    return NULL;
  for (size_t i = 0; i < TABLE_SIZE; i++)
    if (strcmp(table[i].key, key) == 0)
      return &table[i];
  return NULL;
}

const param_desc_t* params_find_attr(const char* element, const char* attribute)
{
  if (element == NULL || attribute == NULL)
    return NULL;
  for (size_t i = 0; i < TABLE_SIZE; i++)
    if (strcmp(table[i].element, element) == 0 && strcmp(table[i].attribute, attribute) == 0)
      return &table[i];
  return NULL;
}

int params_is_element(const char* element)
{
  for (size_t i = 0; element != NULL && i < TABLE_SIZE; i++)
    if (strcmp(table[i].element, element) == 0)
      return 1;
  return 0;
}

size_t params_element_count(void)
{
  size_t n = 0;
  while (params_element(n) != NULL)
    n++;
  return n;
}

const char* params_element(size_t i)
{
  size_t n = 0;
  for (size_t k = 0; k < params_count(); k++) {
    const char* e = params_get(k)->element;
    int first     = 1; /* the first parameter of its element */
    for (size_t j = 0; j < k && first; j++)
      first = strcmp(params_get(j)->element, e) != 0;
    if (first && n++ == i)
      return e;
  }
  return NULL;
}

int params_is_required(const param_desc_t* d)
{
  /* The descriptor type (model/params.h) has no flag for this; the two keys are kept here, beside the table. */
  static const char* const required[] = {"scenario.name", "platform.file", NULL};
  for (size_t i = 0; required[i] != NULL; i++)
    if (strcmp(d->key, required[i]) == 0)
      return 1;
  return 0;
}

int params_is_given(const params_t* p, const param_desc_t* d)
{
  return p->given[params_index(d)] != 0;
}

const char* params_kind_name(param_kind_t kind)
{
  switch (kind) {
  case PARAM_TIME:
    return "time";
  case PARAM_SIZE:
    return "size";
  case PARAM_BANDWIDTH:
    return "bandwidth";
  case PARAM_RATE:
    return "rate";
  case PARAM_COUNT:
    return "count";
  case PARAM_FRACTION:
    return "number";
  case PARAM_ENUM:
  case PARAM_CHOICE:
    return "name";
  case PARAM_IDENT:
    return "word";
  case PARAM_STRING:
    return "text";
  case PARAM_HOSTS:
    return "hosts";
  case PARAM_PATH:
    return "path";
  case PARAM_SEED:
    return "seed";
  }
  return "value";
}

static int unit_kind_of(param_kind_t kind, unit_kind_t* out)
{
  switch (kind) {
  case PARAM_TIME:
    *out = UNIT_TIME;
    return 1;
  case PARAM_SIZE:
    *out = UNIT_SIZE;
    return 1;
  case PARAM_BANDWIDTH:
    *out = UNIT_BANDWIDTH;
    return 1;
  case PARAM_RATE:
    *out = UNIT_RATE;
    return 1;
  default:
    return 0;
  }
}

/* A bound of d written the way a user would write a value of d. */
static void format_bound(const param_desc_t* d, double v, char* buf, size_t len)
{
  unit_kind_t uk;
  if (unit_kind_of(d->kind, &uk))
    units_format(uk, v, buf, len);
  else if (d->kind == PARAM_COUNT || d->kind == PARAM_SEED)
    snprintf(buf, len, "%.0f", v);
  else
    units_format_plain(v, buf, len);
}

static void join_names(const char* const* names, const char* sep, char* buf, size_t len)
{
  size_t n = 0;
  buf[0]   = '\0';
  for (size_t i = 0; names[i] != NULL && n < len; i++) {
    int w = snprintf(buf + n, len - n, "%s%s", i ? sep : "", names[i]);
    n += w > 0 ? (size_t)w : 0;
  }
}

void params_describe_range(const param_desc_t* d, char* buf, size_t len)
{
  char lo[64];
  char hi[64];
  switch (d->kind) {
  case PARAM_ENUM:
  case PARAM_CHOICE:
    join_names(d->names, ", ", buf, len);
    return;
  case PARAM_IDENT:
    snprintf(buf, len, "a word of letters, digits, '.', '_', '+', '-'");
    return;
  case PARAM_STRING:
    snprintf(buf, len, "any text");
    return;
  case PARAM_HOSTS:
    snprintf(buf, len, "all, a count N from 1 to %ld, or name,name,...", PARAMS_MAX_ACTORS);
    return;
  case PARAM_PATH:
    snprintf(buf, len, "a readable file");
    return;
  default:
    format_bound(d, d->min, lo, sizeof lo);
    format_bound(d, d->max, hi, sizeof hi);
    snprintf(buf, len, "%c%s, %s%c", (d->flags & PARAM_MIN_EXCLUSIVE) ? '(' : '[', lo, hi,
             (d->flags & PARAM_MAX_EXCLUSIVE) ? ')' : ']');
  }
}

/* Range check of a number already parsed; 0 or -1 with a reason. */
static int check_range(const param_desc_t* d, double v, char* err, size_t errlen)
{
  char bound[64];
  if ((d->flags & PARAM_MIN_EXCLUSIVE) ? !(v > d->min) : !(v >= d->min)) {
    format_bound(d, d->min, bound, sizeof bound);
    snprintf(err, errlen, "must be %s %s", (d->flags & PARAM_MIN_EXCLUSIVE) ? "greater than" : "at least", bound);
    return -1;
  }
  if ((d->flags & PARAM_MAX_EXCLUSIVE) ? !(v < d->max) : !(v <= d->max)) {
    format_bound(d, d->max, bound, sizeof bound);
    snprintf(err, errlen, "must be %s %s", (d->flags & PARAM_MAX_EXCLUSIVE) ? "less than" : "at most", bound);
    return -1;
  }
  return 0;
}

static int is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Whole decimal number without sign, unit or exponent; 0 or -1 with a reason. */
static int parse_whole(const char* text, const char* what, double* out, char* err, size_t errlen)
{
  while (is_space(*text))
    text++;
  size_t n = strlen(text);
  while (n > 0 && is_space(text[n - 1]))
    n--;
  if (n == 0) {
    snprintf(err, errlen, "empty value; expected %s", what);
    return -1;
  }
  size_t i      = (text[0] == '+' || text[0] == '-') ? 1 : 0;
  size_t digits = 0;
  while (i < n && text[i] >= '0' && text[i] <= '9') {
    i++;
    digits++;
  }
  if (digits == 0 || i < n) {
    double x;
    char ignored[8];
    if (units_parse_plain(text, &x, ignored, sizeof ignored) == 0)
      snprintf(err, errlen, "not a whole number; expected %s", what);
    else if (digits > 0)
      snprintf(err, errlen, "unexpected \"%.*s\" after the number; expected %s (no unit)",
               (int)(n - i > 32 ? 32 : n - i), text + i, what);
    else
      snprintf(err, errlen, "not a number; expected %s", what);
    return -1;
  }
  if (digits > 15) { /* beyond every range of the table, and beyond exact doubles */
    snprintf(err, errlen, "number out of range (too large)");
    return -1;
  }
  char buf[32];
  memcpy(buf, text, n);
  buf[n] = '\0';
  *out   = (double)strtoll(buf, NULL, 10);
  return 0;
}

/* Whether s (n bytes) holds a control character. */
static int has_control(const char* s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
      return 1;
  return 0;
}

static int is_ident_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '+' || c == '-';
}

/* Text kinds: checks text and writes the text to store into out (out has d->size bytes). */
static int parse_text(const param_desc_t* d, const char* text, char* out, char* err, size_t errlen)
{
  size_t n = strlen(text);
  if (n >= d->size) {
    snprintf(err, errlen, "too long (at most %zu characters)", d->size - 1);
    return -1;
  }
  if (has_control(text, n)) {
    snprintf(err, errlen, "control characters are not allowed");
    return -1;
  }
  switch (d->kind) {
  case PARAM_CHOICE: {
    for (size_t i = 0; d->names[i] != NULL; i++)
      if (strcmp(d->names[i], text) == 0) {
        snprintf(out, d->size, "%s", text);
        return 0;
      }
    char names[256];
    join_names(d->names, ", ", names, sizeof names);
    snprintf(err, errlen, "unknown value (names are case-sensitive); valid values: %s", names);
    return -1;
  }
  case PARAM_IDENT:
    if (n == 0) {
      snprintf(err, errlen, "empty value; expected a name");
      return -1;
    }
    for (size_t i = 0; i < n; i++)
      if (!is_ident_char(text[i])) {
        snprintf(err, errlen, "character '%c' not allowed; use letters, digits, '.', '_', '+', '-'", text[i]);
        return -1;
      }
    if (text[0] == '.' || text[0] == '-') {
      snprintf(err, errlen, "must not start with '%c'", text[0]);
      return -1;
    }
    break;
  case PARAM_PATH:
    if (n == 0) {
      snprintf(err, errlen, "empty path");
      return -1;
    }
    break;
  default:
    break;
  }
  snprintf(out, d->size, "%s", text);
  return 0;
}

/* Whether the comma-separated names of list[0, w) include name (len bytes). */
static int list_holds(const char* list, size_t w, const char* name, size_t len)
{
  for (size_t k = 0; k < w;) {
    size_t end = k;
    while (end < w && list[end] != ',')
      end++;
    if (end - k == len && strncmp(list + k, name, len) == 0)
      return 1;
    k = end + 1;
  }
  return 0;
}

/* A list of distinct host names separated by commas (b, n bytes, trimmed): refuses an empty or repeated name and
 * writes the list with the blanks around each name removed. */
static int parse_host_list(const param_desc_t* d, const char* b, size_t n, char* out, char* err, size_t errlen)
{
  char* buf = malloc(d->size);
  xbt_assert(buf != NULL, "out of memory");
  size_t w   = 0;
  int status = 0;
  for (size_t i = 0; status == 0;) {
    size_t s = i;
    while (i < n && b[i] != ',')
      i++;
    size_t e = i;
    while (s < e && is_space(b[s]))
      s++;
    while (e > s && is_space(b[e - 1]))
      e--;
    if (s == e) {
      snprintf(err, errlen, "empty host name in the list (check the commas)");
      status = -1;
    } else if (has_control(b + s, e - s)) {
      snprintf(err, errlen, "control characters are not allowed");
      status = -1;
    } else if (list_holds(buf, w, b + s, e - s)) {
      snprintf(err, errlen, "host \"%.*s\" is listed twice", (int)(e - s > 64 ? 64 : e - s), b + s);
      status = -1;
    } else {
      if (w > 0)
        buf[w++] = ',';
      memcpy(buf + w, b + s, e - s);
      w += e - s;
      if (i >= n)
        break;
      i++; /* skip the comma */
    }
  }
  if (status == 0) {
    buf[w] = '\0';
    snprintf(out, d->size, "%s", buf);
  }
  free(buf);
  return status;
}

/* Hosts: "all", a count, or a list of distinct names; writes the normalised text (blanks around names removed). */
static int parse_hosts(const param_desc_t* d, const char* text, char* out, char* err, size_t errlen)
{
  const char* b = text;
  while (is_space(*b))
    b++;
  size_t n = strlen(b);
  while (n > 0 && is_space(b[n - 1]))
    n--;
  if (n == 0) {
    snprintf(err, errlen, "empty host selection; expected all, a host count, or a comma-separated list of hosts");
    return -1;
  }
  if (n >= d->size) {
    snprintf(err, errlen, "too long (at most %zu characters)", d->size - 1);
    return -1;
  }
  if (n == 3 && strncmp(b, "all", 3) == 0) {
    snprintf(out, d->size, "all");
    return 0;
  }
  size_t digits = 0;
  while (digits < n && b[digits] >= '0' && b[digits] <= '9')
    digits++;
  if (digits == n) {
    double count = (n > 9) ? 1e10 : (double)strtol(b, NULL, 10);
    if (count < 1 || count > PARAMS_MAX_ACTORS) {
      snprintf(err, errlen, "a host count must be between 1 and %ld", PARAMS_MAX_ACTORS);
      return -1;
    }
    snprintf(out, d->size, "%ld", (long)count);
    return 0;
  }
  return parse_host_list(d, b, n, out, err, errlen);
}

static int enum_index(const char* const* names, const char* text)
{
  for (int i = 0; names[i] != NULL; i++)
    if (strcmp(names[i], text) == 0)
      return i;
  return -1;
}

/* Parse text for d into the field of p; p is only written on success. */
static int parse_into(params_t* p, const param_desc_t* d, const char* text, char* err, size_t errlen)
{
  void* field = (char*)p + d->offset;
  double v    = 0;
  unit_kind_t uk;
  if (text == NULL)
    text = "";
  if (unit_kind_of(d->kind, &uk)) {
    if (units_parse(uk, text, &v, err, errlen) != 0 || check_range(d, v, err, errlen) != 0)
      return -1;
    *(double*)field = v;
    return 0;
  }
  switch (d->kind) {
  case PARAM_FRACTION:
    if (units_parse_plain(text, &v, err, errlen) != 0 || check_range(d, v, err, errlen) != 0)
      return -1;
    *(double*)field = v;
    return 0;
  case PARAM_COUNT:
    if (parse_whole(text, "a whole number such as 64", &v, err, errlen) != 0 || check_range(d, v, err, errlen) != 0)
      return -1;
    *(long*)field = (long)v;
    return 0;
  case PARAM_SEED:
    if (parse_whole(text, "a whole number such as 1", &v, err, errlen) != 0 || check_range(d, v, err, errlen) != 0)
      return -1;
    *(unsigned long*)field = (unsigned long)v;
    return 0;
  case PARAM_ENUM: {
    int i = enum_index(d->names, text);
    if (i < 0) {
      char names[256];
      join_names(d->names, ", ", names, sizeof names);
      snprintf(err, errlen, "%s; valid values: %s",
               text[0] == '\0' ? "empty value" : "unknown value (names are case-sensitive)", names);
      return -1;
    }
    *(int*)field = i;
    return 0;
  }
  case PARAM_HOSTS:
    return parse_hosts(d, text, field, err, errlen);
  default:
    return parse_text(d, text, field, err, errlen);
  }
}

int params_set(params_t* p, const param_desc_t* d, const char* text, char* err, size_t errlen)
{
  if (parse_into(p, d, text, err, errlen) != 0)
    return -1;
  p->given[params_index(d)] = 1;
  if (strcmp(d->key, KEY_DURATION) == 0) {
    /* A run bounded by duration has no request count, unless one was given too (params_validate refuses that). */
    const param_desc_t* req = params_find(KEY_REQUESTS);
    if (!params_is_given(p, req))
      p->requests = 0;
  }
  return 0;
}

void params_init(params_t* p)
{
  memset(p, 0, sizeof *p);
  for (size_t i = 0; i < TABLE_SIZE; i++) {
    if (table[i].default_text == NULL)
      continue;
    char err[512];
    int rc = parse_into(p, &table[i], table[i].default_text, err, sizeof err);
    xbt_assert(rc == 0, "default of %s (\"%s\") is invalid: %s", table[i].key, table[i].default_text, err);
  }
}

static int is_off(const params_t* p, const param_desc_t* d)
{
  if (!(d->flags & PARAM_OPTIONAL))
    return 0;
  const void* field = (const char*)p + d->offset;
  return d->kind == PARAM_COUNT ? *(const long*)field == 0 : *(const double*)field == 0;
}

void params_format(const params_t* p, const param_desc_t* d, char* buf, size_t len)
{
  const void* field = (const char*)p + d->offset;
  unit_kind_t uk;
  if (is_off(p, d)) {
    snprintf(buf, len, "%s", "");
    return;
  }
  if (unit_kind_of(d->kind, &uk)) {
    units_format(uk, *(const double*)field, buf, len);
    return;
  }
  switch (d->kind) {
  case PARAM_FRACTION:
    units_format_plain(*(const double*)field, buf, len);
    break;
  case PARAM_COUNT:
    snprintf(buf, len, "%ld", *(const long*)field);
    break;
  case PARAM_SEED:
    snprintf(buf, len, "%lu", *(const unsigned long*)field);
    break;
  case PARAM_ENUM:
    snprintf(buf, len, "%s", d->names[*(const int*)field]);
    break;
  default:
    snprintf(buf, len, "%s", (const char*)field);
  }
}

void params_format_csv(const params_t* p, const param_desc_t* d, char* buf, size_t len)
{
  const void* field = (const char*)p + d->offset;
  if (is_off(p, d)) {
    snprintf(buf, len, "%s", "");
    return;
  }
  switch (d->kind) {
  case PARAM_TIME:
  case PARAM_SIZE:
  case PARAM_BANDWIDTH:
  case PARAM_RATE:
  case PARAM_FRACTION:
    units_format_csv(*(const double*)field, buf, len);
    return;
  default:
    /* counts, seeds and names as params_format writes them; text as it is: the CSV writer quotes it where needed */
    params_format(p, d, buf, len);
    return;
  }
}

/* Whether name is one of the comma-separated names of list. */
static int in_list(const char* list, const char* name)
{
  size_t len = strlen(name);
  for (const char* s = list; *s != '\0';) {
    const char* e = strchr(s, ',');
    size_t n      = e ? (size_t)(e - s) : strlen(s);
    if (n == len && strncmp(s, name, n) == 0)
      return 1;
    s += n + (e ? 1 : 0);
  }
  return 0;
}

static int fail(char* err, size_t len, const char** bad_key, const char* key, const char* fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Fills the reason and the key the error is attributed to; always returns -1. */
static int fail(char* err, size_t len, const char** bad_key, const char* key, const char* fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, len, fmt, ap);
  va_end(ap);
  if (bad_key != NULL)
    *bad_key = key;
  return -1;
}

static int is_host_count(const char* hosts)
{
  return hosts[0] != '\0' && strspn(hosts, "0123456789") == strlen(hosts);
}

int params_validate(const params_t* p, char* err, size_t len, const char** bad_key)
{
  if (params_is_given(p, params_find(KEY_REQUESTS)) && params_is_given(p, params_find(KEY_DURATION)))
    return fail(err, len, bad_key, KEY_DURATION,
                "requests and duration are both given; a run is bounded by one of them, remove the other");
  if (p->arrival != ARRIVAL_CLOSED && !(p->rate_per_s > 0))
    return fail(err, len, bad_key, "workload.rate", "open-loop arrival \"%s\" needs a rate greater than 0/s",
                params_arrival_names[p->arrival]);
  if (p->backoff_max_s < p->backoff_s) {
    char a[64];
    char b[64];
    units_format(UNIT_TIME, p->backoff_max_s, a, sizeof a);
    units_format(UNIT_TIME, p->backoff_s, b, sizeof b);
    return fail(err, len, bad_key, "access.backoff-max", "backoff-max (%s) is smaller than backoff (%s)", a, b);
  }
  if (p->queues > p->max_queues)
    return fail(err, len, bad_key, "nic.queues",
                "queues (%ld) is more than max-queues (%ld), the hardware queues the NIC offers; share queues between "
                "tenants (access.queue-map) or raise nic.max-queues",
                p->queues, p->max_queues);
  if (p->queues < 1 || p->queue_depth % p->queues != 0)
    return fail(
        err, len, bad_key, "nic.queues",
        "queue-depth (%ld) is not divisible by queues (%ld); each hardware queue holds queue-depth / queues WRs",
        p->queue_depth, p->queues);
  long consumers = params_consumers_per_host(p);
  if (consumers < 1)
    return fail(err, len, bad_key, "consumers.cores-per-host",
                "no consumer on a host (cores-per-host and vms-per-host are both 0); at least one is needed");
  if (consumers > PARAMS_MAX_ACTORS)
    return fail(err, len, bad_key, p->vms_per_host > 0 ? "consumers.vms-per-host" : "consumers.cores-per-host",
                "%ld consumers per host (cores-per-host + vms-per-host * vcpus-per-vm) is more than %ld", consumers,
                PARAMS_MAX_ACTORS);
  if ((double)p->seed + (double)p->replications - 1 > SEED_MAX)
    return fail(err, len, bad_key, "scenario.seed",
                "seed + replications - 1 exceeds the largest seed (%.0f); replications would reuse seeds", SEED_MAX);
  if (p->pattern == PATTERN_HOTSPOT && p->hot_host[0] != '\0' && strcmp(p->hosts, "all") != 0 &&
      !is_host_count(p->hosts) && !in_list(p->hosts, p->hot_host))
    return fail(err, len, bad_key, "workload.hot-host", "hot host \"%s\" is not among the selected hosts (%s)",
                p->hot_host, p->hosts);

  const struct access_ops* ops = access_find(p->mode);
  if (ops == NULL) {
    char names[512];
    access_list_names(names, sizeof names);
    return fail(err, len, bad_key, "access.mode",
                "unknown access mode \"%s\" (names are case-sensitive); valid modes: %s", p->mode, names);
  }
  if (ops->check != NULL) {
    char reason[512]    = "";
    const char* culprit = "access.mode";
    if (ops->check(p, reason, sizeof reason, &culprit) != 0)
      return fail(err, len, bad_key, culprit, "access mode \"%s\": %s", ops->name,
                  reason[0] != '\0' ? reason : "invalid parameters for this mode");
  }
  return 0;
}
