/* access_fixture: a test-only access mode that exercises every hook of struct access_ops. */
#ifndef VNICSIM_TEST_ACCESS_FIXTURE_H
#define VNICSIM_TEST_ACCESS_FIXTURE_H

#include "model/access/access.h"

#define FIXTURE_MAX_CONSUMERS 64

/** How often each hook was called in this process, and the queue given to each consumer in set-up order. */
typedef struct fixture_calls {
  long check, queue_of, host_create, host_destroy, consumer_create, consumer_destroy, step, idle;
  int queues[FIXTURE_MAX_CONSUMERS];
} fixture_calls_t;

extern fixture_calls_t fixture_calls;
extern const struct access_ops access_fixture_ops;

#endif
