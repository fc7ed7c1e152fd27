/* heap: a binary min-heap of (key, tie, item) entries, ordered by key, then tie. */
#ifndef VNICSIM_HEAP_H
#define VNICSIM_HEAP_H

#include <stddef.h>

typedef struct heap_entry {
  double key;
  long tie;   /* among equal keys, the smaller tie comes first; equal (key, tie) come in no particular order */
  void* item; /* the caller's, may be NULL */
} heap_entry_t;

/** A heap the caller owns (zero-initialised is empty); heap_clear() releases its storage. Small enough to embed. */
typedef struct heap {
  heap_entry_t* e;
  size_t n;
  size_t alloc;
} heap_t;

/** @brief Add (@p key, @p tie, @p item). */
void heap_push(heap_t* h, double key, long tie, void* item);

/** @brief Remove and return the smallest entry; the heap must not be empty. */
heap_entry_t heap_pop(heap_t* h);

/** @brief The smallest key, INFINITY when empty. */
double heap_top(const heap_t* h);

/** @brief Number of entries. */
size_t heap_size(const heap_t* h);

/** @brief Release the storage; the heap is empty again. */
void heap_clear(heap_t* h);

#endif
