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

#define MLONG(f)                                                                                                       \
  {                                                                                                                    \
#f, COL_LONG, offsetof(metrics_t, f)                                                                               \
  }
#define MDBL(f)                                                                                                        \
  {                                                                                                                    \
#f, COL_DOUBLE, offsetof(metrics_t, f)                                                                             \
  }
static const column_t metric_columns[] = {
    MLONG(wr_created),         MLONG(wr_delivered),        MLONG(wr_lost),
    MDBL(throughput_wr_s),     MDBL(issue_latency_mean_s), MDBL(issue_latency_p50_s),
    MDBL(issue_latency_p99_s), MDBL(e2e_latency_mean_s),   MDBL(e2e_latency_p50_s),
    MDBL(e2e_latency_p99_s),   MDBL(e2e_latency_p999_s),   MDBL(reject_rate),
    MDBL(replays_per_wr),      MDBL(lock_wait_mean_s),     MDBL(cpu_per_wr_s),
    MDBL(nic_utilization),     MDBL(nic_wait_mean_s),      MDBL(nic_occupancy_mean),
    MDBL(e2e_access_s),        MDBL(e2e_nic_queue_s),      MDBL(e2e_network_s),
    MDBL(e2e_delivery_s),      MDBL(sim_time_s),
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

static void write_cells(FILE* out, const column_t* cols, size_t n, const void* record)
{
  for (size_t i = 0; i < n; i++) {
    if (i)
      fputc(',', out);
    const char* field = (const char*)record + cols[i].offset;
    if (cols[i].kind == COL_LONG)
      fprintf(out, "%ld", *(const long*)field);
    else
      write_number(out, *(const double*)field);
  }
}

void results_metric_header(FILE* out)
{
  write_header(out, metric_columns, NCOLS(metric_columns));
}

size_t results_metric_count(void)
{
  return NCOLS(metric_columns);
}

void results_metric_cells(FILE* out, const sim_output_t* o)
{
  write_cells(out, metric_columns, NCOLS(metric_columns), &o->metrics);
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

void results_write_trace(FILE* out, const sim_output_t* o)
{
  fputs("wr,consumer,seq,src_host,dst_host,size_B,measured,attempts,accepted,lost,delivered,t_created,t_accepted,"
        "t_service_start,t_service_end,t_transfer_end,t_delivered,t_completed,lock_wait_s,cpu_s\n",
        out);
  size_t n = wrtable_count(o->wrs);
  for (size_t i = 0; i < n; i++) {
    const wr_t* w = wrtable_at(o->wrs, i);
    fprintf(out, "%ld,%d,%ld,%d,%d,%.0f,%d,%d,%d,%d,%d", w->id, w->consumer, w->seq, w->src_host, w->dst_host,
            w->size_B, w->measured, w->attempts, w->accepted, w->lost, w->delivered);
    const double times[] = {w->t_created,   w->t_accepted,  w->t_service_start, w->t_service_end, w->t_transfer_end,
                            w->t_delivered, w->t_completed, w->access_wait_s,     w->cpu_s};
    for (size_t k = 0; k < NCOLS(times); k++) {
      fputc(',', out);
      if (!isnan(times[k]))
        fprintf(out, "%.12g", times[k]);
    }
    fputc('\n', out);
  }
}
