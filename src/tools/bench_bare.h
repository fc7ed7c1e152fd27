/* bench_bare: the bare SimGrid program `vnicsim bench` measures vnicsim against: the same platform and actors, doing
 * the least a SimGrid program can do to produce vnicsim's network traffic (or its number of simulation steps). */
#ifndef VNICSIM_BENCH_BARE_H
#define VNICSIM_BENCH_BARE_H

#include "model/params.h"
#include "model/wrtable.h"

/** @brief Record the network messages of a finished vnicsim run in @p path, for bench_bare_run to replay: every
 *  delivered WR between two different hosts, as a message of its size plus @p header_B bytes from its source to its
 *  destination, starting when vnicsim started its transfer (the end of the NIC's service) and ending when it ended.
 *  @return the number of messages written, or -1 (errno says why). */
long bench_bare_record(const char* path, const_wrtable_t wrs, double header_B);

/** Which actors send the bare program's messages. */
typedef enum bench_senders {
  BENCH_SENDERS_PER_HOST,     /* per source host, as few as the messages' overlap needs (one or two, at most loads) */
  BENCH_SENDERS_PER_CONSUMER, /* per consumer that sent any, as many as its own messages' overlap needs: the actors
                                 vnicsim has, one per core */
} bench_senders_t;

/** @brief Run the bare program on the platform and hosts of @p p (loaded as vnicsim loads them, SimGrid options
 *  @p sg_argv) and return the wall-clock seconds of its simulation loop (simgrid_run), or -1 on failure.
 *   - @p messages > 0: replays the @p messages messages recorded in @p path. Those of each source host (or of each
 *     consumer, with BENCH_SENDERS_PER_CONSUMER) are spread over as many sender actors as the recorded transfer
 *     times need (none is ever busy when its next message is due); each sender sleeps until its message's start and
 *     sends it with sg_host_sendto;
 *   - otherwise (every WR was looped back in its NIC): @p actors actors, placed as vnicsim's consumers, sleep
 *     @p steps times in all, for pseudo-random durations of 1 ns to 1 us (so, as in the model, nearly every wake-up
 *     is an instant of its own).
 *  *nsenders is set to the number of actors it ran.
 *  SimGrid has one engine per process and aborts on what it cannot load: call this in a child process. */
double bench_bare_run(const params_t* p, int sg_argc, char** sg_argv, bench_senders_t senders, long messages,
                      const char* path, long actors, long steps, long* nsenders);

#endif
