/* lockwait: how a consumer waits for a lock that another consumer holds (access.lock-wait), shared by the modes that
 * take a lock. */
#ifndef VNICSIM_LOCKWAIT_H
#define VNICSIM_LOCKWAIT_H

#include "model/consumer.h"

/** How one wait for a lock went. */
typedef struct lockwait {
  double grant;     /* the consumer holds the lock (runs its critical section) from then on */
  double halt_from; /* pv: the span during which the waiter was halted (no CPU); equal when it never was */
  double halt_until;
  int yielded; /* pv: it trapped and yielded */
} lockwait_t;

/** @brief Consumer @p c wants the lock from @p t_want; the lock becomes its at @p avail (released by the previous
 *  holder and passed on: a fair queue lock hands it to the next waiter even when that waiter does not run).
 *  lock-wait="spin": it spins until then, and takes it when its core runs. lock-wait="pv" (a consumer in a VM):
 *  after spin-limit of spinning it traps and yields (a VM exit: one trap of CPU) and stays halted until the lock is
 *  its; being woken costs another trap before it holds the lock. A native core always spins. */
lockwait_t lockwait(const_consumer_t c, const params_t* p, double t_want, double avail);

/** @brief The lock was the consumer's from @p from to @p release: the part of that span its core did not run (0 on
 *  a dedicated core), i.e. the time the lock was held by a descheduled vCPU. Records it on @p wr. */
void lockwait_record_hold(const_consumer_t c, wr_t* wr, double from, double release);

#endif
