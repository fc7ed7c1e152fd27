/* test_sched: the fixed round-robin rotation of vCPUs over physical cores. */
#include <criterion/criterion.h>
#include <math.h>

#include "model/sched.h"

#define MS 1e-3

Test(sched, dedicated_is_the_identity)
{
  sched_slot_t d = sched_dedicated();
  cr_expect_eq(sched_after(&d, 1.25e-6, 3e-7), 1.25e-6 + 3e-7);
  cr_expect_eq(sched_ready(&d, 0.7), 0.7);
  cr_expect(sched_running(&d, 123.0));
  cr_expect_eq(sched_running_time(&d, 1.0, 3.5), 2.5);
  /* as many cores as vCPUs, or no core count: dedicated too */
  sched_slot_t s = sched_vcpu(3, 4, 4, MS);
  cr_expect_eq(s.sliced, 0);
  s = sched_vcpu(3, 4, 0, MS);
  cr_expect_eq(s.sliced, 0);
}

Test(sched, two_vcpus_on_one_core_alternate)
{
  sched_slot_t a = sched_vcpu(0, 2, 1, MS), b = sched_vcpu(1, 2, 1, MS);
  cr_expect(sched_running(&a, 0) && !sched_running(&b, 0));
  cr_expect(!sched_running(&a, 1 * MS) && sched_running(&b, 1 * MS));
  cr_expect(sched_running(&a, 2.5 * MS));
  cr_expect_eq(sched_ready(&b, 0.2 * MS), 1 * MS);
  cr_expect_eq(sched_ready(&a, 1.5 * MS), 2 * MS);
  /* 1.5 ms of work from 0.5 ms: 0.5 ms now, the 1 ms gap, 1 ms in the slice after: done at 3 ms */
  cr_expect(fabs(sched_after(&a, 0.5 * MS, 1.5 * MS) - 3 * MS) < 1e-15);
  /* started while descheduled: waits for its slice */
  cr_expect(fabs(sched_after(&b, 0, 0.25 * MS) - 1.25 * MS) < 1e-15);
  cr_expect(fabs(sched_running_time(&a, 0, 10 * MS) - 5 * MS) < 1e-15);
}

Test(sched, each_vcpu_runs_p_of_every_v_slices)
{
  for (long V = 2; V <= 9; V++)
    for (long P = 1; P < V; P++) {
      for (long v = 0; v < V; v++) {
        sched_slot_t s = sched_vcpu(v, V, P, MS);
        long runs      = 0;
        for (long k = 0; k < V; k++)
          runs += sched_running(&s, (k + 0.5) * MS);
        cr_expect_eq(runs, P, "vCPU %ld of %ld on %ld cores runs %ld slices of %ld", v, V, P, runs, V);
        cr_expect(fabs(sched_running_time(&s, 0, (double)V * MS) - (double)P * MS) < 1e-12);
      }
      /* at any instant exactly P vCPUs run */
      for (long k = 0; k < 2 * V; k++) {
        long running = 0;
        for (long v = 0; v < V; v++) {
          sched_slot_t s = sched_vcpu(v, V, P, MS);
          running += sched_running(&s, (k + 0.3) * MS);
        }
        cr_expect_eq(running, P, "slice %ld of %ld vCPUs on %ld cores", k, V, P);
      }
    }
}

Test(sched, cpu_bound_work_is_stretched_by_v_over_p)
{
  /* 4 vCPUs on 1 core: 10 ms of work takes about 40 ms */
  sched_slot_t s = sched_vcpu(0, 4, 1, MS);
  double end     = sched_after(&s, 0, 10 * MS);
  cr_expect(fabs(end - 37 * MS) < 1e-12, "ended at %g", end); /* slices 0, 4, ..., 36: the 10th ends at 37 ms */
  cr_expect(fabs(sched_running_time(&s, 0, end) - 10 * MS) < 1e-12);
}
