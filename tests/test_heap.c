/* test_heap: the min-heap pops by key, then tie; equal keys with distinct ties come out in tie order. */
#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "base/heap.h"

Test(heap, empty_top_is_infinity)
{
  heap_t h = {0};
  cr_expect(isinf(heap_top(&h)) && heap_top(&h) > 0);
  cr_expect_eq(heap_size(&h), 0);
  heap_clear(&h);
}

Test(heap, pops_in_key_then_tie_order)
{
  heap_t h = {0};
  int items[6];
  heap_push(&h, 3.0, 0, &items[0]);
  heap_push(&h, 1.0, 5, &items[1]);
  heap_push(&h, 1.0, 2, &items[2]);
  heap_push(&h, 2.0, 0, &items[3]);
  heap_push(&h, 1.0, 9, &items[4]);
  heap_push(&h, 0.5, 7, &items[5]);
  int order[] = {5, 2, 1, 4, 3, 0};
  for (int i = 0; i < 6; i++) {
    heap_entry_t e = heap_pop(&h);
    cr_expect_eq(e.item, &items[order[i]], "pop %d", i);
  }
  cr_expect_eq(heap_size(&h), 0);
  heap_clear(&h);
}

Test(heap, random_keys_come_out_sorted)
{
  gsl_rng* r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 42);
  heap_t h = {0};
  for (long i = 0; i < 10000; i++)
    heap_push(&h, floor(gsl_rng_uniform(r) * 100), i, NULL);
  double last_key = -1;
  long last_tie   = -1;
  for (long i = 0; i < 10000; i++) {
    heap_entry_t e = heap_pop(&h);
    cr_assert(e.key > last_key || (e.key == last_key && e.tie > last_tie), "entry %ld out of order", i);
    last_key = e.key;
    last_tie = e.tie;
  }
  heap_clear(&h);
  gsl_rng_free(r);
}
