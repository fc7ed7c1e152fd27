/* access: the access-mode interface (how a consumer gets its WRs into the NIC) and the registry of modes. */
#ifndef VNICSIM_ACCESS_H
#define VNICSIM_ACCESS_H

#include <stddef.h>

#include "model/params.h"

#include <simgrid/forward.h>

#include "model/nic.h"

typedef struct s_consumer s_consumer_t;
typedef s_consumer_t* consumer_t;
typedef const s_consumer_t* const_consumer_t;

/** One access mode. Each mode is a `static const struct access_ops` in its own access_<name>.c, listed once in
 *  the registry (access.c). The consumer and the NIC only ever call through this table.
 *
 *  Atomicity: SimGrid runs one actor at a time and switches only at SimGrid calls, so a mode's step runs alone up to
 *  its first SimGrid call. nic_arrive() may make such calls (starting a transfer, waking a consumer): a mode must
 *  bring every piece of state that other consumers read (a shared lock, credits) up to date before it calls
 *  nic_arrive(), and not rely on it afterwards. */
struct access_ops {
  const char* name;        /* the value of <access mode="..."> */
  const char* description; /* one line, for `vnicsim modes` and error messages */
  /** Check mode-specific constraints on the parameters (NULL: none). Return 0, or -1 with a reason in @p err and,
   *  in *@p bad_key, the "element.attribute" key of the parameter to blame (left as "access.mode" if none). */
  int (*check)(const params_t* p, char* err, size_t errlen, const char** bad_key);
  /** Per physical host state shared by its consumers (a lock, a backend) for the host @p pm and its @p nic;
   *  NULL means the mode keeps none. */
  void* (*host_create)(nic_t nic, sg_host_t pm, const params_t* p);
  void (*host_destroy)(void* host_state);
  /** Per consumer state; may return NULL. */
  void* (*consumer_create)(consumer_t c, void* host_state, const params_t* p);
  void (*consumer_destroy)(void* consumer_state);
  /** Called by the consumer actor at simulated time @p now when the consumer's core is free and something may
   *  have changed (a CPU action ended, a WR was created, a completion or a NIC verdict became visible). The mode
   *  completes the effect of an action that just ended if it needs to (a register read that returned), then may start
   *  the next action: it takes WRs from the consumer's software queue (consumer_take_pending), moves them towards
   *  the NIC and occupies the core with consumer_busy_until(). It returns the time at which it wants to be called
   *  again if nothing else happens: the end of its action when it has more to do right after, the time a NIC verdict
   *  it must act on becomes visible, the end of a back-off, or INFINITY. The consumer never calls it before the core
   *  is free. */
  double (*step)(consumer_t c, void* consumer_state, double now);
  /** Whether every WR this consumer handed to the mode is settled (accepted, or lost under on-reject="drop")
   *  and no action is in progress. */
  int (*idle)(const_consumer_t c, const void* consumer_state);
};

/** @brief A `check` for the modes that use one hardware queue: the NIC's `queues` are for a partitioned mode (not
 *  implemented yet), so more than one is refused, blaming nic.queues. */
int access_check_one_queue(const params_t* p, char* err, size_t len, const char** bad_key);

/** @brief The mode called @p name, or NULL. */
const struct access_ops* access_find(const char* name);

/** @brief Write the registered mode names, space-separated, into @p buf (for "valid modes are: ..."). */
void access_list_names(char* buf, size_t len);

/** @brief Number of registered modes, and the i-th one (for listings). */
size_t access_count(void);
const struct access_ops* access_get(size_t i);

#endif
