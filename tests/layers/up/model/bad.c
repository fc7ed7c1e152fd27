/* a model file that includes the run layer: must be refused */
#include "run/runner.h"
