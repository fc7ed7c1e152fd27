/* estimate: a point's memory before it runs (see estimate.h).
 *
 * Calibration (SimGrid 3.32, Debian 12, x86-64; peak resident memory of `vnicsim run` on one point):
 *   a one-host point with a few WRs takes 25 MB (the process, SimGrid, the platform): ESTIMATE_BASE_B;
 *   1,024 hosts of a flat cluster with one consumer each take 36 MB more: ESTIMATE_HOST_B per host (its NIC, its
 *   transport actor, its consumer and its share of the platform);
 *   16 consumers per host on the same cluster (16,384 actors) take 377 MB more than 1 per host: ESTIMATE_ACTOR_B per
 *   consumer actor (the stack pages an actor touches, and SimGrid's objects);
 *   1,000,000 WRs on one host take 137 MB more than 1,000: one WR record (sizeof(wr_t), 152 bytes) each.
 * The same figures predict 148 MB for bench/saturated-128.xml (measured 109 MB) and 1,015 MB for scenarios/large.xml
 * (measured 950 MB): the estimate errs on the high side. Platforms with explicit routing tables (Floyd, Full zones)
 * take memory growing with the square of their hosts, which this does not count. */
#include "model/estimate.h"

#include <math.h>

#include "model/samples.h"
#include "model/wr.h"

#define ESTIMATE_BASE_B 25e6
#define ESTIMATE_HOST_B 35e3
#define ESTIMATE_ACTOR_B 25e3

/* WRs one consumer creates: `requests`, or its rate (open loop) or its best pace (closed loop) over `duration`. */
static double wrs_per_consumer(const params_t* p, double engine_s)
{
  if (p->duration_s <= 0)
    return (double)p->requests;
  if (p->arrival != ARRIVAL_CLOSED)
    return p->rate_per_s * p->duration_s;
  /* a closed loop creates at most `window` WRs per cycle; a cycle takes at least think + one service */
  double cycle = p->think_s + engine_s + p->issue_cost_s + p->pio_write_s + p->notify_latency_s;
  return (double)p->window * p->duration_s / (cycle > 0 ? cycle : engine_s);
}

estimate_t estimate_memory(const params_t* p, int nhosts)
{
  estimate_t e        = {0};
  long per_host       = params_consumers_per_host(p);
  double consumers    = (double)per_host * nhosts;
  double engine_s     = p->service_time_s + p->size_B / p->dma_bandwidth_Bps; /* one WR of mean size */
  double per_consumer = wrs_per_consumer(p, engine_s);
  e.wrs               = per_consumer * consumers;
  e.actors            = (long)consumers + 2L * nhosts; /* consumers, and a transport and a mode actor per host */
  e.base_B            = ESTIMATE_BASE_B + ESTIMATE_HOST_B * nhosts;
  e.actors_B          = ESTIMATE_ACTOR_B * consumers;
  double record       = (double)sizeof(wr_t);
  double kept         = fmin(e.wrs * record, p->stats_memory_B);
  e.records_B         = kept + (e.wrs * record > p->stats_memory_B ? samples_binned_bytes(nhosts) : 0);
  /* WRs alive at once: every consumer's window (or a few per open-loop consumer), plus, when an open loop offers a
   * host more than its engine serves, the excess, which waits in software queues until the end. */
  double live = consumers * (p->arrival == ARRIVAL_CLOSED ? (double)p->window : 4.0);
  if (p->arrival != ARRIVAL_CLOSED) {
    double offered = p->rate_per_s * (double)per_host, served = 1 / engine_s;
    if (offered > served)
      live += (offered - served) / offered * per_consumer * (double)per_host * nhosts;
  }
  e.live_B  = live * record;
  e.total_B = e.base_B + e.actors_B + e.records_B + (e.records_B < e.wrs * record ? e.live_B : 0);
  return e;
}

/* Wall-time calibration (see estimate_wall and docs/model.md, section 7.5). */
#define ESTIMATE_SETUP_S 0.05        /* process, SimGrid and a small platform */
#define ESTIMATE_SETUP_HOST_S 0.2e-3 /* per selected host */
#define ESTIMATE_SETUP_ACTOR_S 30e-6 /* per actor */
#define ESTIMATE_LOCAL_STEPS_PER_S 600e3
/* A WR that crosses the network costs its consumer's wake-up and about 0.1 more (the last wake-ups of each consumer)
 * in steps: the transfer itself takes none (a kernel timer starts it, see transport.c), but it adds scheduling rounds
 * (its start, its end) and the flow solver's work. So a remote WR is timed as a whole: ESTIMATE_REMOTE_WR_S plus
 * ESTIMATE_REMOTE_WR_HOST_S per selected host on a lightly loaded network, plus the flow solver's share, which grows
 * faster than the transfers in flight (each start and end re-solves the flows it shares links with). Measured
 * (`/usr/bin/time vnicsim run`, one point, idle 2-core machine): scenarios/cluster-uniform.xml point 4, 16 hosts,
 * 76,800 WRs: 1.02 s; bench/light.xml, 128 hosts, 126,976 WRs: 2.98 s; scenarios/large.xml, 1,024 hosts, 1,015,808
 * WRs: 126 s; bench/saturated-128.xml, 8,192 transfers in flight, 122,880 WRs: 55 s; bench/saturated-1024.xml,
 * 65,536 in flight, 131,072 WRs: 36 min. The first three fix the light-network terms, the two saturated ones the
 * flow term (ESTIMATE_FLOW_WR_S at ESTIMATE_FLOW_REF transfers in flight, growing with their number to the power
 * ESTIMATE_FLOW_EXP). These constants give 0.72 s, 2.85 s, 136 s, 55 s and 36 min. The links' bandwidth is not
 * read, so a load that congests them (docs/cluster.md) is estimated as if it did not. */
#define ESTIMATE_REMOTE_STEPS_PER_WR 1.1
#define ESTIMATE_REMOTE_WR_S 6e-6
#define ESTIMATE_REMOTE_WR_HOST_S 0.115e-6
#define ESTIMATE_FLOW_WR_S 427e-6
#define ESTIMATE_FLOW_REF 8192.0
#define ESTIMATE_FLOW_EXP 1.753
/* An open loop's transfers in flight are its rate times a transfer's time, which needs the platform; estimates do
 * not read it, so a transfer is taken as ESTIMATE_TRANSFER_S of latency plus its payload at ESTIMATE_LINK_BPS. */
#define ESTIMATE_TRANSFER_S 1e-6
#define ESTIMATE_LINK_BPS 12.5e9

/* Transfers in flight at once: a closed loop's windows, of which the share a WR's cycle spends in transfer when its
 * consumer thinks between WRs (without think time the network, when it is the bottleneck, holds nearly all of them:
 * the saturated benchmarks), or an open loop's arrivals during one transfer; never more than the point's WRs, nor
 * a window larger than a consumer's WRs. */
static double flows_in_flight(const params_t* p, double consumers, double wrs)
{
  double transfer_s   = ESTIMATE_TRANSFER_S + p->size_B / ESTIMATE_LINK_BPS;
  double per_consumer = consumers > 0 ? wrs / consumers : 0;
  double flows;
  if (p->arrival == ARRIVAL_CLOSED)
    flows = consumers * fmin((double)p->window, per_consumer) * transfer_s / (transfer_s + p->think_s);
  else
    flows = consumers * p->rate_per_s * transfer_s;
  return fmin(flows, wrs);
}

estimate_time_t estimate_wall(const params_t* p, int nhosts)
{
  estimate_time_t t = {0};
  estimate_t m      = estimate_memory(p, nhosts);
  int remote        = p->pattern != PATTERN_LOCAL && nhosts > 1;
  t.steps_per_wr    = remote ? ESTIMATE_REMOTE_STEPS_PER_WR : 1.0;
  t.flows           = remote ? flows_in_flight(p, (double)params_consumers_per_host(p) * nhosts, m.wrs) : 0;
  double wr_s       = ESTIMATE_REMOTE_WR_S + ESTIMATE_REMOTE_WR_HOST_S * nhosts +
                ESTIMATE_FLOW_WR_S * pow(t.flows / ESTIMATE_FLOW_REF, ESTIMATE_FLOW_EXP);
  t.steps_per_s = remote ? ESTIMATE_REMOTE_STEPS_PER_WR / wr_s : ESTIMATE_LOCAL_STEPS_PER_S;
  t.steps       = m.wrs * t.steps_per_wr;
  t.loop_s      = t.steps / t.steps_per_s;
  t.setup_s     = ESTIMATE_SETUP_S + ESTIMATE_SETUP_HOST_S * nhosts + ESTIMATE_SETUP_ACTOR_S * (double)m.actors;
  t.total_s     = t.setup_s + t.loop_s;
  return t;
}
