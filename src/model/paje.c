/* paje: the Paje trace of one run, through SimGrid's own tracing (see paje.h).
 *
 * SimGrid 3.32 keeps every event of a trace in memory, sorted by time, and writes them when the simulation ends: a
 * variable's change can be given at the time it happens even when that is in the future (a WR leaving the NIC's
 * queue is known when its service starts), and the file is still in time order. That is also why a long run is best
 * traced through a window: nothing outside it is kept.
 *
 * The window. Variables: changes before the window's start are summed per variable, and the sums are written as each
 * variable's value at the start (SetVariable), once the simulation has reached the start (then no change before it
 * can still come: every change is given at or after the simulated time it is given at); changes after the end are
 * not recorded, so a variable keeps its value at the end until the trace ends. States: a consumer records nothing
 * before the start, sets the state it is in at the start (a state that began earlier is cut there), and ends its row
 * at the end (a state still going on is cut there; nothing is shown after).
 *
 * The consumers' rows. Paje lets a container have several state types, and the simple way to give each consumer a
 * row would be a state type per consumer on its host's container; but ViTE draws all the state types of a container
 * in one row, over each other. So each consumer gets a container of its own: a host made for the trace only, outside
 * the platform (paje_make_rows), whose one state type says what the consumer does. */
#include "model/paje.h"

#include <math.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <xbt/asserts.h>
#include <xbt/config.h>
#include <xbt/misc.h>
#include <xbt/sysdep.h>

#include "model/sgtrace.h"
#include "model/simtime.h"

/* Timestamps with 12 digits after the point: picoseconds. The model's instants are sums of nanosecond delays and
 * SimGrid's default (6 digits, microseconds) would merge most of them. */
#define PAJE_PRECISION 12

/* One word each (Paje's entity value names are not quoted), with a color "r g b". */
static const struct {
  const char* name;
  const char* color;
} states[PAJE_NSTATES] = {
    [PAJE_IDLE]        = {"idle", "0.88 0.88 0.88"},
    [PAJE_ISSUING]     = {"issuing", "0.20 0.65 0.20"},
    [PAJE_REPLAYING]   = {"replaying", "0.90 0.10 0.10"},
    [PAJE_BACKOFF]     = {"backoff", "1.00 0.60 0.00"},
    [PAJE_READING]     = {"register-read", "0.20 0.40 0.90"},
    [PAJE_STALLED]     = {"stalled", "0.55 0.25 0.75"},
    [PAJE_LOCK_WAIT]   = {"lock-wait", "1.00 0.85 0.00"},
    [PAJE_LOCK_HELD]   = {"lock-held", "0.00 0.50 0.50"},
    [PAJE_RING_WAIT]   = {"ring-wait", "0.60 0.40 0.20"},
    [PAJE_TRAP]        = {"trap", "0.95 0.45 0.75"},
    [PAJE_DESCHEDULED] = {"descheduled", "0.30 0.30 0.30"},
};

#define PAJE_NAME_MAX 32

/* The state type of the consumers' rows */
#define PAJE_ROW_STATE "consumer"

struct s_paje_host {
  paje_t pj;
  const char* name; /* the SimGrid host's (its container's) name */
  double* before;   /* per variable: the sum of the changes at or before the window's start, until it is written */
  char** rows;      /* its consumers' rows (container names) */
};

struct s_paje {
  size_t nhosts;
  s_paje_host_t* hosts;
  long nqueues;
  int nvars;                   /* nqueues queue occupancies, then the retry flags, then the drops */
  char (*vars)[PAJE_NAME_MAX]; /* variable names */
  long nrows;                  /* consumers per host */
  double start, end;           /* the window */
  int opened;                  /* the variables' values at the start are written */
};

#define VAR_RETRY(pj) ((int)(pj)->nqueues)
#define VAR_DROPS(pj) ((int)(pj)->nqueues + 1)

/* How long after the clock has passed an event SimGrid may write it (sgtrace_write_as_you_go): every event of the trace
 * is given at or after the simulated time at which it is given (a variable's change at its time, a state at the
 * clock), within the resolution of instants; 1 ns is far more than that, and keeps only a few events more in memory. */
#define PAJE_WRITE_LAG_S 1e-9

void paje_configure(const char* file)
{
  sg_cfg_set_boolean("tracing", "yes");
  sg_cfg_set_boolean("tracing/platform", "yes");
  sg_cfg_set_boolean("tracing/platform/topology", "no");
  sg_cfg_set_string("tracing/filename", file);
  sg_cfg_set_string("tracing/smpi/format", "Paje");
  sg_cfg_set_int("tracing/precision", PAJE_PRECISION);
  /* Written as the run goes, unless the user asked for SimGrid's resource utilization, whose events are given late
   * (then the whole trace stays in memory until the end, as SimGrid 3.32 does it) */
  if (!sg_cfg_get_boolean("tracing/categorized") && !sg_cfg_get_boolean("tracing/uncategorized"))
    sgtrace_write_as_you_go(PAJE_WRITE_LAG_S);
}

const char* paje_state_name(paje_state_t state)
{
  xbt_assert(state >= 0 && state < PAJE_NSTATES, "bad state %d", (int)state);
  return states[state].name;
}

/* Write every variable's value at the window's start. */
static void open_window(paje_t pj)
{
  pj->opened = 1;
  for (size_t h = 0; h < pj->nhosts; h++)
    for (int v = 0; v < pj->nvars; v++) {
      sgtrace_variable(pj->hosts[h].name, pj->vars[v], pj->start, pj->hosts[h].before[v], 0);
      pj->hosts[h].before[v] = 0;
    }
}

/* The name of row k of host `host`'s consumers, zero-padded so that the rows sort in index order. */
static char* row_name(const char* host, long k, long per_host)
{
  int width = snprintf(NULL, 0, "%ld", per_host > 0 ? per_host - 1 : 0);
  return bprintf("%s/consumer-%0*ld", host, width, k);
}

void paje_make_rows(sg_host_t const* hosts, size_t n, long consumers_per_host)
{
  char** names = xbt_new0(char*, consumers_per_host > 0 ? consumers_per_host : 1);
  for (size_t h = 0; h < n; h++) {
    const char* host = sg_host_get_name(hosts[h]);
    for (long k = 0; k < consumers_per_host; k++)
      names[k] = row_name(host, k, consumers_per_host);
    char* zone = bprintf("%s/consumers", host);
    sgtrace_make_row_hosts(zone, (const char* const*)names, (size_t)consumers_per_host);
    free(zone);
    for (long k = 0; k < consumers_per_host; k++)
      free(names[k]);
  }
  free(names);
}

paje_t paje_create(sg_host_t const* hosts, size_t n, long consumers_per_host, long queues, double start_s, double end_s)
{
  paje_t pj   = xbt_new0(s_paje_t, 1);
  pj->nhosts  = n;
  pj->nqueues = queues;
  pj->nvars   = (int)queues + 2;
  pj->vars    = xbt_malloc0(sizeof(*pj->vars) * (size_t)pj->nvars);
  pj->nrows   = consumers_per_host;
  pj->start   = start_s;
  pj->end     = end_s;

  static const char* const queue_colors[] = {"0.00 0.45 0.85", "0.85 0.35 0.00", "0.10 0.60 0.10", "0.60 0.10 0.60"};
  for (long q = 0; q < queues; q++) {
    if (queues == 1)
      snprintf(pj->vars[q], PAJE_NAME_MAX, "nic-queue");
    else
      snprintf(pj->vars[q], PAJE_NAME_MAX, "nic-queue-%ld", q);
    sgtrace_declare_variable(pj->vars[q], queue_colors[q % 4]);
  }
  snprintf(pj->vars[VAR_RETRY(pj)], PAJE_NAME_MAX, "retry-flags");
  sgtrace_declare_variable(pj->vars[VAR_RETRY(pj)], "0.90 0.10 0.10");
  snprintf(pj->vars[VAR_DROPS(pj)], PAJE_NAME_MAX, "drops");
  sgtrace_declare_variable(pj->vars[VAR_DROPS(pj)], "0.40 0.40 0.40");

  /* The consumers' state, on every host container (SimGrid declares a host state on all of them): the rows use it */
  sgtrace_declare_state(PAJE_ROW_STATE);
  for (int s = 0; s < PAJE_NSTATES; s++)
    sgtrace_declare_state_value(PAJE_ROW_STATE, states[s].name, states[s].color);

  pj->hosts = xbt_new0(s_paje_host_t, n);
  for (size_t h = 0; h < n; h++) {
    pj->hosts[h].pj     = pj;
    pj->hosts[h].name   = sg_host_get_name(hosts[h]);
    pj->hosts[h].before = xbt_new0(double, pj->nvars);
    pj->hosts[h].rows   = xbt_new0(char*, consumers_per_host > 0 ? consumers_per_host : 1);
    for (long k = 0; k < consumers_per_host; k++)
      pj->hosts[h].rows[k] = row_name(pj->hosts[h].name, k, consumers_per_host);
  }
  if (start_s <= 0)
    open_window(pj); /* every variable starts at 0 when the run starts */
  return pj;
}

void paje_free(paje_t pj)
{
  if (pj == NULL)
    return;
  for (size_t h = 0; h < pj->nhosts; h++) {
    free(pj->hosts[h].before);
    for (long k = 0; k < pj->nrows; k++)
      free(pj->hosts[h].rows[k]);
    free(pj->hosts[h].rows);
  }
  free(pj->hosts);
  free(pj->vars);
  free(pj);
}

paje_host_t paje_host(paje_t pj, size_t h)
{
  xbt_assert(h < pj->nhosts, "host %zu out of range", h);
  return &pj->hosts[h];
}

/* A change of variable v at time t, filtered by the window. */
static void change(paje_host_t ph, int v, double t, double delta)
{
  paje_t pj = ph->pj;
  if (t > pj->end + simtime_epsilon())
    return;
  if (t <= pj->start + simtime_epsilon()) {
    if (!pj->opened) {
      ph->before[v] += delta; /* part of the value at the start */
      return;
    }
    t = pj->start; /* given after the start was written: added to it, at it */
  }
  sgtrace_variable(ph->name, pj->vars[v], t, delta, 1);
}

void paje_queue_add(paje_host_t ph, int queue, double t, int delta)
{
  xbt_assert(queue >= 0 && queue < ph->pj->nqueues, "queue %d out of range", queue);
  change(ph, queue, t, delta);
}

void paje_retry_add(paje_host_t ph, double t, int delta)
{
  change(ph, VAR_RETRY(ph->pj), t, delta);
}

void paje_drop(paje_host_t ph, double t)
{
  change(ph, VAR_DROPS(ph->pj), t, 1);
}

double paje_window_start(const s_paje_host_t* ph)
{
  return ph->pj->start;
}

double paje_window_end(const s_paje_host_t* ph)
{
  return ph->pj->end;
}

void paje_window_check(paje_host_t ph, double now)
{
  paje_t pj = ph->pj;
  if (!pj->opened && now >= pj->start - simtime_epsilon())
    open_window(pj);
}

void paje_state_show(paje_host_t ph, int local, paje_state_t state)
{
  xbt_assert(local >= 0 && local < ph->pj->nrows, "consumer %d out of range", local);
  sgtrace_set_state(ph->rows[local], PAJE_ROW_STATE, paje_state_name(state));
}

void paje_state_close(paje_host_t ph, int local)
{
  xbt_assert(local >= 0 && local < ph->pj->nrows, "consumer %d out of range", local);
  sgtrace_end_state(ph->rows[local], PAJE_ROW_STATE);
}
