/* simtime: how the model compares and schedules simulated times (one tolerance, and ns-3's 1 ns grid).
 * Both mirror settings of SimGrid's engine, which is one per process: they are kept here once per process. */
#include "model/simtime.h"

#include <math.h>
#include <xbt/config.h>

static double epsilon = SIMTIME_PRECISION;
static double grid    = 0;

void simtime_init(double wait_grid)
{
  epsilon = sg_cfg_get_double("surf/precision");
  grid    = wait_grid;
}

double simtime_epsilon(void)
{
  return epsilon;
}

int simtime_due(double t, double now)
{
  return t <= now + epsilon;
}

double simtime_align(double t)
{
  if (grid <= 0 || isinf(t))
    return t;
  /* a time already on the grid (up to float noise) stays there */
  double k = ceil(t / grid - 1e-6);
  return k * grid;
}
