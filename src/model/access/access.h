/* access: the access-mode interface (how a consumer gets its WRs into the NIC) and the registry of modes.
 *
 * A mode is one file under src/model/access/ defining a `const struct access_ops access_<name>_ops`, plus one line
 * in the registry (access.c). Everything a mode needs to be used end to end goes through this table: its own
 * parameters (which reach the scenario files, --set, sweeps, the docs and the manifest through the parameter
 * table), a check of its parameters, the hardware queue each consumer uses, its per-host and per-consumer state, its
 * step, and the invariants it guarantees (which the tests check). */
#ifndef VNICSIM_ACCESS_H
#define VNICSIM_ACCESS_H

#include <simgrid/forward.h>
#include <stddef.h>

#include "model/nic.h"
#include "model/params.h"

typedef struct s_consumer s_consumer_t;
typedef s_consumer_t* consumer_t;
typedef const s_consumer_t* const_consumer_t;

/** Where a consumer sits, for a mode's queue assignment. */
typedef struct access_place {
  int host;        /* index of its physical host among the selected hosts */
  int local_index; /* its index among its host's consumers: native cores first, then VM by VM */
  int vm;          /* its VM on the host (0, 1, ...), or -1 for a native core */
  int index_in;    /* its index among the native cores (vm == -1) or among its VM's vCPUs */
} access_place_t;

/* What a mode guarantees; the invariant tests check exactly what the mode claims (tests/e2e_invariants.c). */
#define ACCESS_KEEPS_ORDER 0x1u    /* a context's WRs are accepted in creation order */
#define ACCESS_NEVER_REJECTED 0x2u /* the NIC never drops a write of this mode (no drop, no retry flag) */
#define ACCESS_RETRY_FLAG 0x4u     /* a drop sets the context's retry flag; each flag-clearing write follows a drop */

/** One access mode. Each mode is a `static const struct access_ops` in its own file, listed once in the registry
 *  (access.c). The consumer and the NIC only ever call through this table.
 *
 *  Atomicity: SimGrid runs one actor at a time and switches only at SimGrid calls, so a mode's step runs alone up to
 *  its first SimGrid call. nic_arrive() may make such calls (starting a transfer, waking a consumer): a mode must
 *  bring every piece of state that other consumers read (a shared lock, credits) up to date before it calls
 *  nic_arrive(), and not rely on it afterwards. */
struct access_ops {
  const char* name;        /* the value of <access mode="..."> */
  const char* description; /* one line, for `vnicsim modes` and error messages */
  /** Parameters of this mode alone (NULL when none): descriptors whose offsets are within the mode's own parameter
   *  struct of @p params_size bytes; the mode reads them with access_params(). Keys are "element.attribute" like any
   *  other parameter (usually "access.<name>"); they must not repeat a key of the core table or of another mode. */
  const param_desc_t* params;
  size_t nparams;
  size_t params_size;
  unsigned guarantees; /* ACCESS_* flags */
  int takes_lock;      /* consumers take a lock (access.lock-wait applies; lock-holder preemption is counted) */
  /** Check mode-specific constraints on the parameters (NULL: none). Return 0, or -1 with a reason in @p err and,
   *  in *@p bad_key, the "element.attribute" key of the parameter to blame (left as "access.mode" if none). */
  int (*check)(const params_t* p, char* err, size_t errlen, const char** bad_key);
  /** The NIC hardware queue (0 .. p->queues - 1) of the consumer at @p place, called once per consumer at set-up.
   *  NULL: every consumer uses queue 0. */
  int (*queue_of)(const params_t* p, const access_place_t* place);
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

/** @brief A `check` for the modes that use one hardware queue: more than one is refused, blaming nic.queues. */
int access_check_one_queue(const params_t* p, char* err, size_t len, const char** bad_key);

/** @brief The mode called @p name, or NULL. */
const struct access_ops* access_find(const char* name);

/** @brief Write the registered mode names, space-separated, into @p buf (for "valid modes are: ..."). */
void access_list_names(char* buf, size_t len);

/** @brief Number of registered modes, and the i-th one (for listings). */
size_t access_count(void);
const struct access_ops* access_get(size_t i);

/** @brief Offset in params_t of the parameter block of @p ops (inside params_t.mode_area). The blocks are laid out
 *  in registry order; asking fixes the layout, after which no mode may be registered. */
size_t access_params_offset(const struct access_ops* ops);

/** @brief The parameter block of mode @p ops in @p p (its struct of ops->params_size bytes). */
const void* access_params(const params_t* p, const struct access_ops* ops);

/** @brief Add @p ops to the registry after the built-in modes (tests use it for a fixture mode). Must be called
 *  before anything asks for the parameter layout or the parameter table; returns -1 if too late, if the name is
 *  taken or if there is no room left in params_t.mode_area. */
int access_register(const struct access_ops* ops);

#endif
