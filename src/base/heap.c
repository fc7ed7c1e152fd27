/* heap: a binary min-heap of (key, tie, item) entries. */
#include "base/heap.h"

#include <math.h>
#include <stdlib.h>
#include <xbt/asserts.h>
#include <xbt/sysdep.h>

static int entry_before(const heap_entry_t* a, const heap_entry_t* b)
{
  if (a->key != b->key)
    return a->key < b->key;
  return a->tie < b->tie;
}

void heap_push(heap_t* h, double key, long tie, void* item)
{
  if (h->n == h->alloc) {
    h->alloc = h->alloc ? 2 * h->alloc : 16;
    h->e     = xbt_realloc(h->e, h->alloc * sizeof(heap_entry_t));
  }
  heap_entry_t e = {.key = key, .tie = tie, .item = item};
  size_t i       = h->n++;
  while (i > 0 && entry_before(&e, &h->e[(i - 1) / 2])) {
    h->e[i] = h->e[(i - 1) / 2];
    i       = (i - 1) / 2;
  }
  h->e[i] = e;
}

heap_entry_t heap_pop(heap_t* h)
{
  xbt_assert(h->n > 0, "pop from an empty heap");
  heap_entry_t top  = h->e[0];
  heap_entry_t last = h->e[--h->n];
  size_t i          = 0;
  for (;;) {
    size_t l = 2 * i + 1;
    if (l >= h->n)
      break;
    size_t m = (l + 1 < h->n && entry_before(&h->e[l + 1], &h->e[l])) ? l + 1 : l;
    if (!entry_before(&h->e[m], &last))
      break;
    h->e[i] = h->e[m];
    i       = m;
  }
  if (h->n > 0)
    h->e[i] = last;
  return top;
}

double heap_top(const heap_t* h)
{
  return h->n > 0 ? h->e[0].key : INFINITY;
}

size_t heap_size(const heap_t* h)
{
  return h->n;
}

void heap_clear(heap_t* h)
{
  free(h->e);
  h->e     = NULL;
  h->n     = 0;
  h->alloc = 0;
}
