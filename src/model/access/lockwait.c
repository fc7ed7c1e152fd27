/* lockwait: spinning or yielding while a lock is held by another consumer (see lockwait.h). */
#include "model/access/lockwait.h"

lockwait_t lockwait(const_consumer_t c, const params_t* p, double t_want, double avail)
{
  lockwait_t w = {0};
  if (p->lock_wait == LOCK_WAIT_PV && consumer_in_vm(c)) {
    double t_yield = consumer_cpu_after(c, t_want, p->spin_limit_s);
    if (t_yield < avail) {
      /* Pause-loop exiting / a paravirtual spinlock: the waiter exits to the hypervisor and halts until the lock is
       * its; the kick that wakes it costs a VM entry (one trap) before it can go on. */
      w.yielded    = 1;
      w.halt_from  = consumer_cpu_after(c, t_yield, p->trap_s);
      w.halt_until = avail > w.halt_from ? avail : w.halt_from;
      w.grant      = consumer_cpu_after(c, w.halt_until, p->trap_s);
      return w;
    }
  }
  /* Spinning: the lock is taken when the waiter's core runs. */
  w.grant     = consumer_cpu_ready(c, avail);
  w.halt_from = w.halt_until = w.grant;
  return w;
}

void lockwait_record_hold(const_consumer_t c, wr_t* wr, double from, double release)
{
  double held = release - from;
  if (held <= 0)
    return;
  double away = held - consumer_cpu_time(c, from, release);
  if (away > 0) {
    wr->lock_held_descheduled_s += away;
    wr->holder_preempted = 1;
  }
}
