/* wrtable: the run's table of work-request records, stored in fixed-size blocks so addresses stay valid. */
#include "model/wrtable.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/sysdep.h>

#define WRTABLE_BLOCK 4096 /* records per block: 4096 x ~170 B, about 0.7 MB */

struct s_wrtable {
  wr_t** blocks;
  size_t nblocks;
  size_t alloc_blocks;
  size_t count;   /* slots */
  long next_id;   /* ids handed out */
  wr_t** free;    /* released slots */
  size_t nfree, free_alloc;
};

wrtable_t wrtable_create(void)
{
  return xbt_new0(s_wrtable_t, 1);
}

void wrtable_free(wrtable_t t)
{
  if (t == NULL)
    return;
  for (size_t b = 0; b < t->nblocks; b++)
    free(t->blocks[b]);
  free(t->blocks);
  free(t->free);
  free(t);
}

/* A slot: a released one, or the next one of the last block (a new block when it is full). */
static wr_t* slot(wrtable_t t)
{
  if (t->nfree > 0)
    return t->free[--t->nfree];
  if (t->count == t->nblocks * WRTABLE_BLOCK) {
    if (t->nblocks == t->alloc_blocks) {
      t->alloc_blocks = t->alloc_blocks ? 2 * t->alloc_blocks : 16;
      t->blocks       = xbt_realloc(t->blocks, t->alloc_blocks * sizeof(wr_t*));
    }
    t->blocks[t->nblocks++] = xbt_malloc(WRTABLE_BLOCK * sizeof(wr_t));
  }
  wr_t* wr = &t->blocks[t->count / WRTABLE_BLOCK][t->count % WRTABLE_BLOCK];
  t->count++;
  return wr;
}

wr_t* wrtable_add(wrtable_t t)
{
  wr_t* wr = slot(t);
  memset(wr, 0, sizeof *wr);
  wr->id              = t->next_id++;
  wr->t_created       = NAN;
  wr->t_accepted      = NAN;
  wr->t_service_start = NAN;
  wr->t_service_end   = NAN;
  wr->t_transfer_end  = NAN;
  wr->t_delivered     = NAN;
  wr->t_completed     = NAN;
  wr->t_last_arrival  = NAN;
  return wr;
}

void wrtable_release(wrtable_t t, wr_t* wr)
{
  if (t->nfree == t->free_alloc) {
    t->free_alloc = t->free_alloc ? 2 * t->free_alloc : 1024;
    t->free       = xbt_realloc(t->free, t->free_alloc * sizeof(wr_t*));
  }
  wr->id               = -1; /* a released slot */
  t->free[t->nfree++] = wr;
}

size_t wrtable_count(const_wrtable_t t)
{
  return t->count;
}

wr_t* wrtable_at(const_wrtable_t t, size_t i)
{
  xbt_assert(i < t->count, "WR index %zu out of range", i);
  return &t->blocks[i / WRTABLE_BLOCK][i % WRTABLE_BLOCK];
}
