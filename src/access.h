/* access: the access-mode interface (how a consumer gets its WRs into the NIC) and the registry of modes. */
#ifndef VNICSIM_ACCESS_H
#define VNICSIM_ACCESS_H

#include <stddef.h>

#include "params.h"

typedef struct s_consumer s_consumer_t;
typedef s_consumer_t* consumer_t;
typedef struct s_host_ctx s_host_ctx_t;
typedef s_host_ctx_t* host_ctx_t;

/** One access mode. Each mode is a `static const struct access_ops` in its own access_<name>.c, listed once in
 *  the registry (access.c). The consumer and the NIC only ever call through this table. */
struct access_ops {
  const char* name;        /* the value of <access mode="..."> */
  const char* description; /* one line, for `vnicsim modes` and error messages */
  /** Check mode-specific constraints on the parameters (NULL: none). Return 0, or -1 with a reason. */
  int (*check)(const params_t* p, char* err, size_t errlen);
  /** Per physical host state shared by its consumers (a lock, a backend); may return NULL. */
  void* (*host_create)(host_ctx_t host, const params_t* p);
  void (*host_destroy)(void* host_state);
  /** Per consumer state; may return NULL. */
  void* (*consumer_create)(consumer_t c, void* host_state, const params_t* p);
  void (*consumer_destroy)(void* consumer_state);
  /** Called by the consumer actor at simulated time @p now with the consumer's CPU free.
   *  The mode takes WRs from the consumer's software queue (consumer_peek_pending/consumer_take_pending) and moves
   *  them towards the NIC, charging CPU with consumer_busy_until(). It returns the earliest time at which it wants
   *  to be called again without any new event (INFINITY: only when something new happens: a WR created, a
   *  completion, or a NIC status the consumer can see). */
  double (*step)(consumer_t c, void* consumer_state, double now);
  /** Earliest future time at which the NIC's answer to this consumer's earlier writes becomes visible to it and
   *  the mode wants to act on it (INFINITY if none). The consumer sleeps no later than this. */
  double (*next_visible)(consumer_t c, void* consumer_state, double now);
  /** Whether every WR this consumer handed to the mode has been accepted (or, with on-reject="drop", lost). */
  int (*idle)(consumer_t c, void* consumer_state);
};

/** @brief The mode called @p name, or NULL. */
const struct access_ops* access_find(const char* name);

/** @brief Write the registered mode names, space-separated, into @p buf (for "valid modes are: ..."). */
void access_list_names(char* buf, size_t len);

/** @brief Number of registered modes, and the i-th one (for listings). */
size_t access_count(void);
const struct access_ops* access_get(size_t i);

#endif
