/* results: the text of vnicsim's output tables (results.csv, hosts.csv, checks.csv, per-WR traces).
 * Everything written here depends only on the simulation, never on wall-clock time, so the same scenario and seed
 * give the same bytes. */
#include "run/results.h"
#include "base/csv.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

typedef enum { COL_LONG, COL_DOUBLE } col_kind_t;

typedef struct column {
  const char* name;
  col_kind_t kind;
  size_t offset;
} column_t;

/* The fixed columns of results.csv, in file order (see results_column()). The run directory writes the cells of the
 * point, run and status columns; the metric cells are fields of metrics_t, written by results_metric_cells(): their
 * names are the field names, so a column cannot drift from the value written under it. */
typedef struct fixed_column {
  results_column_t col;
  int metric;      /* a field of metrics_t */
  col_kind_t kind; /* of that field */
  size_t offset;
} fixed_column_t;

#define NUMBER(n, meaning)                                                                                             \
  {                                                                                                                    \
    {#n, 1, meaning}, 0, COL_LONG, 0                                                                                   \
  }
#define TEXT(n, meaning)                                                                                               \
  {                                                                                                                    \
    {#n, 0, meaning}, 0, COL_LONG, 0                                                                                   \
  }
#define MLONG(f, meaning)                                                                                              \
  {                                                                                                                    \
    {#f, 1, meaning}, 1, COL_LONG, offsetof(metrics_t, f)                                                              \
  }
#define MDBL(f, meaning)                                                                                               \
  {                                                                                                                    \
    {#f, 1, meaning}, 1, COL_DOUBLE, offsetof(metrics_t, f)                                                            \
  }
static const fixed_column_t fixed_columns[] = {
    NUMBER(point, "index of the run point in the scenario's sweep order"),
    NUMBER(replication, "replication of the point, 0 to replications - 1"),
    NUMBER(seed, "random seed of this replication (the scenario's seed + replication)"),
    TEXT(mode, "access mode of the point"),
    NUMBER(hosts, "hosts carrying a NIC"),
    NUMBER(consumers_per_host, "consumers (native cores + vCPUs) per host"),
    NUMBER(consumers, "consumers in all"),
    MLONG(wr_created, "WRs created over the whole run"),
    MLONG(wr_delivered, "WRs delivered into destination memory over the whole run"),
    MLONG(wr_lost, "WRs given up after a rejection (on-reject=\"drop\"); created = delivered + lost"),
    MDBL(throughput_wr_s, "WRs delivered per simulated second, all hosts together, over the steady window"),
    MDBL(issue_latency_mean_s, "mean time from creation to acceptance by the NIC"),
    MDBL(issue_latency_p50_s, "median time from creation to acceptance by the NIC"),
    MDBL(issue_latency_p99_s, "99th percentile of the time from creation to acceptance by the NIC"),
    MDBL(e2e_latency_mean_s, "mean time from creation to delivery in destination memory"),
    MDBL(e2e_latency_p50_s, "median time from creation to delivery in destination memory"),
    MDBL(e2e_latency_p99_s, "99th percentile of the time from creation to delivery in destination memory"),
    MDBL(e2e_latency_p999_s, "99.9th percentile of the time from creation to delivery in destination memory"),
    MDBL(reject_rate, "writes the NIC dropped / writes that reached it"),
    MDBL(replays_per_wr, "writes beyond the first, per delivered WR"),
    MDBL(access_wait_mean_s,
         "mean time a WR waited for the access path (a lock, a ring slot); 0 where the mode never waits"),
    MDBL(cpu_per_wr_s, "consumer CPU time per WR (writes, flag clears, back-off, reads, lock, traps)"),
    MDBL(nic_utilization, "fraction of the steady window the NIC engine is busy, mean over hosts"),
    MDBL(nic_wait_mean_s, "mean time an accepted WR waits in the NIC FIFO before its service starts"),
    MDBL(nic_occupancy_mean, "time-averaged WRs in the NIC (waiting + in service), mean over hosts"),
    MDBL(e2e_access_s, "part of the mean e2e latency from creation to acceptance by the NIC"),
    MDBL(e2e_nic_queue_s, "part of the mean e2e latency from acceptance to the end of the NIC's service"),
    MDBL(e2e_network_s, "part of the mean e2e latency in the network transfer"),
    MDBL(e2e_delivery_s, "part of the mean e2e latency in the DMA into destination memory"),
    MDBL(vcpu_descheduled_fraction, "fraction of the steady window the time-sliced vCPUs spent descheduled, mean over "
                                    "them; empty when no vCPU is time-sliced"),
    MDBL(lock_holder_preemptions, "measured WRs whose lock was held while the holder's vCPU was descheduled; empty "
                                  "without a lock or without time-sliced vCPUs"),
    MDBL(lock_held_descheduled_s, "total time, over the measured WRs, a lock was held by a descheduled vCPU; empty "
                                  "like lock_holder_preemptions"),
    MDBL(sim_time_s, "simulated time of the run, to the last delivery"),
    MLONG(exact_stats, "1: every statistic over every WR record (percentiles exact); 0: the point outgrew "
                       "scenario.stats-memory and its statistics come from time bins and histograms"),
    TEXT(status, "ok, or failed (the metrics are then empty)"),
    TEXT(reason, "why the point failed; empty when ok"),
};

#define HLONG(f)                                                                                                       \
  {                                                                                                                    \
#f, COL_LONG, offsetof(host_metrics_t, f)                                                                          \
  }
#define HDBL(f)                                                                                                        \
  {                                                                                                                    \
#f, COL_DOUBLE, offsetof(host_metrics_t, f)                                                                        \
  }
static const column_t host_columns[] = {
    HLONG(wr_sent),    HLONG(wr_received),   HDBL(nic_utilization),
    HDBL(reject_rate), HDBL(e2e_p99_sent_s), HDBL(e2e_p99_received_s),
};

#define CLONG(f)                                                                                                       \
  {                                                                                                                    \
#f, COL_LONG, offsetof(sim_checks_t, f)                                                                            \
  }
static const column_t check_columns[] = {
    CLONG(nic_arrivals),   CLONG(nic_accepted), CLONG(nic_drops),   CLONG(flag_clears), CLONG(max_occupancy),
    CLONG(queue_capacity), CLONG(wr_attempts),  CLONG(wr_replays),  CLONG(wr_accepted), CLONG(order_violations),
    CLONG(peak_senders),   CLONG(actors),       CLONG(actor_steps), CLONG(transfers),
};

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

static void write_header(FILE* out, const column_t* cols, size_t n)
{
  for (size_t i = 0; i < n; i++)
    fprintf(out, "%s%s", i ? "," : "", cols[i].name);
}

static void write_number(FILE* out, double v)
{
  if (isnan(v))
    return; /* no sample: an empty cell */
  fprintf(out, "%.9g", v);
}

/* The cell of a field of kind @p kind at @p field. */
static void write_cell(FILE* out, col_kind_t kind, const char* field)
{
  if (kind == COL_LONG)
    fprintf(out, "%ld", *(const long*)field);
  else
    write_number(out, *(const double*)field);
}

static void write_cells(FILE* out, const column_t* cols, size_t n, const void* record)
{
  for (size_t i = 0; i < n; i++) {
    if (i)
      fputc(',', out);
    write_cell(out, cols[i].kind, (const char*)record + cols[i].offset);
  }
}

size_t results_column_count(void)
{
  return NCOLS(fixed_columns);
}

const results_column_t* results_column(size_t k)
{
  return &fixed_columns[k].col;
}

const results_column_t* results_column_find(const char* name)
{
  for (size_t k = 0; k < NCOLS(fixed_columns); k++)
    if (strcmp(fixed_columns[k].col.name, name) == 0)
      return &fixed_columns[k].col;
  return NULL;
}

void results_metric_header(FILE* out)
{
  int first = 1;
  for (size_t k = 0; k < NCOLS(fixed_columns); k++)
    if (fixed_columns[k].metric) {
      fprintf(out, "%s%s", first ? "" : ",", fixed_columns[k].col.name);
      first = 0;
    }
}

size_t results_metric_count(void)
{
  size_t n = 0;
  for (size_t k = 0; k < NCOLS(fixed_columns); k++)
    n += (size_t)fixed_columns[k].metric;
  return n;
}

void results_metric_cells(FILE* out, const sim_output_t* o)
{
  int first = 1;
  for (size_t k = 0; k < NCOLS(fixed_columns); k++)
    if (fixed_columns[k].metric) {
      if (!first)
        fputc(',', out);
      write_cell(out, fixed_columns[k].kind, (const char*)&o->metrics + fixed_columns[k].offset);
      first = 0;
    }
}

void results_host_header(FILE* out)
{
  fputs("host_index,host,", out);
  write_header(out, host_columns, NCOLS(host_columns));
}

void results_host_cells(FILE* out, const sim_output_t* o, int h)
{
  fprintf(out, "%d,", h);
  csv_write_field(out, o->host_names[h]);
  fputc(',', out);
  write_cells(out, host_columns, NCOLS(host_columns), &o->hosts[h]);
}

void results_check_header(FILE* out)
{
  write_header(out, check_columns, NCOLS(check_columns));
}

void results_check_cells(FILE* out, const sim_output_t* o)
{
  write_cells(out, check_columns, NCOLS(check_columns), &o->checks);
}

void results_trace_header(FILE* out)
{
  fputs("wr,consumer,seq,src_host,dst_host,size_B,measured,attempts,accepted,lost,delivered,t_created,t_accepted,"
        "t_service_start,t_service_end,t_transfer_end,t_delivered,t_completed,access_wait_s,cpu_s\n",
        out);
}

void results_trace_row(FILE* out, const wr_t* w)
{
  fprintf(out, "%ld,%d,%ld,%d,%d,%.0f,%d,%d,%d,%d,%d", w->id, w->consumer, w->seq, w->src_host, w->dst_host, w->size_B,
          w->measured, w->attempts, w->accepted, w->lost, w->delivered);
  const double times[] = {w->t_created,   w->t_accepted,  w->t_service_start, w->t_service_end, w->t_transfer_end,
                          w->t_delivered, w->t_completed, w->access_wait_s,   w->cpu_s};
  for (size_t k = 0; k < NCOLS(times); k++) {
    fputc(',', out);
    if (!isnan(times[k]))
      fprintf(out, "%.12g", times[k]);
  }
  fputc('\n', out);
}
