/* sched: the fixed round-robin rotation of a host's vCPUs over the physical cores given to them (see sched.h). */
#include "model/sched.h"

#include <math.h>
#include <xbt/asserts.h>

sched_slot_t sched_dedicated(void)
{
  return (sched_slot_t){.sliced = 0};
}

sched_slot_t sched_vcpu(long vcpu, long nvcpus, long npcpus, double slice_s)
{
  if (npcpus <= 0 || npcpus >= nvcpus)
    return sched_dedicated();
  xbt_assert(vcpu >= 0 && vcpu < nvcpus && slice_s > 0, "bad vCPU slot %ld of %ld", vcpu, nvcpus);
  return (sched_slot_t){.sliced = 1, .vcpu = vcpu, .nvcpus = nvcpus, .npcpus = npcpus, .slice_s = slice_s};
}

/* The slice holding t: k with k * slice <= t < (k + 1) * slice, robust to the rounding of t / slice. */
static long slice_of(const sched_slot_t* s, double t)
{
  long k = (long)floor(t / s->slice_s);
  if ((double)(k + 1) * s->slice_s <= t)
    k++;
  else if ((double)k * s->slice_s > t)
    k--;
  return k;
}

static int runs_in(const sched_slot_t* s, long k)
{
  long off = (s->vcpu - (k % s->nvcpus) * s->npcpus % s->nvcpus) % s->nvcpus;
  if (off < 0)
    off += s->nvcpus;
  return off < s->npcpus;
}

int sched_running(const sched_slot_t* s, double t)
{
  return !s->sliced || runs_in(s, slice_of(s, t));
}

/* The first slice >= k in which the vCPU runs (within V slices: it runs P times in every V). */
static long next_run_slice(const sched_slot_t* s, long k)
{
  for (long i = 0; i <= s->nvcpus; i++)
    if (runs_in(s, k + i))
      return k + i;
  xbt_die("vCPU %ld never runs in the rotation of %ld over %ld cores", s->vcpu, s->nvcpus, s->npcpus);
}

double sched_ready(const sched_slot_t* s, double t)
{
  if (!s->sliced)
    return t;
  long k = slice_of(s, t);
  if (runs_in(s, k))
    return t;
  return (double)next_run_slice(s, k) * s->slice_s;
}

double sched_after(const sched_slot_t* s, double t, double work)
{
  if (!s->sliced)
    return t + work;
  long k = slice_of(s, t);
  while (work > 0) {
    if (!runs_in(s, k)) {
      k = next_run_slice(s, k);
      t = (double)k * s->slice_s;
    }
    double end = (double)(k + 1) * s->slice_s;
    if (t + work <= end)
      return t + work;
    work -= end - t;
    t = end;
    k++;
  }
  return t;
}

double sched_running_time(const sched_slot_t* s, double a, double b)
{
  if (b <= a)
    return 0;
  if (!s->sliced)
    return b - a;
  double run = 0;
  long k     = slice_of(s, a);
  double t   = a;
  while (t < b) {
    double end = (double)(k + 1) * s->slice_s;
    if (end > b)
      end = b;
    if (runs_in(s, k))
      run += end - t;
    t = end;
    k++;
  }
  return run;
}

double sched_next_change(const sched_slot_t* s, double t)
{
  if (!s->sliced)
    return INFINITY;
  long k   = slice_of(s, t);
  int runs = runs_in(s, k);
  /* it runs P slices in every V (P < V), so it changes within V slices */
  for (long i = 1; i <= s->nvcpus; i++)
    if (runs_in(s, k + i) != runs)
      return (double)(k + i) * s->slice_s;
  return INFINITY;
}
