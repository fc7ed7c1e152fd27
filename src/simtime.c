/* simtime: how the model compares simulated times (one tolerance, SimGrid's own timing precision).
 * The tolerance mirrors a setting of SimGrid's engine, which is one per process: it is kept here once per process. */
#include "simtime.h"

#include <xbt/config.h>

static double epsilon = SIMTIME_PRECISION_FLOW;

void simtime_init(void)
{
  epsilon = sg_cfg_get_double("surf/precision");
}

double simtime_epsilon(void)
{
  return epsilon;
}

int simtime_due(double t, double now)
{
  return t <= now + epsilon;
}
