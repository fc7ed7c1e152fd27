/* shard: which points of a scenario one run takes: all of them, every N-th from K (--shard K/N), or a list of
 * indices and ranges (--points 0-99,150); the part of the run directory such a run writes; lists of points written
 * as ranges. */
#ifndef VNICSIM_SHARD_H
#define VNICSIM_SHARD_H

#include <stddef.h>
#include <stdio.h>

/** A selection of points, as given on the command line (checked against the scenario's points by shard_mask()). */
typedef struct shard {
  int kind;           /* SHARD_ALL, SHARD_MODULO or SHARD_LIST */
  unsigned long k, n; /* SHARD_MODULO: points i with i mod n == k */
  const char* list;   /* SHARD_LIST: the text of --points, syntax checked */
  char canonical[64]; /* SHARD_LIST: name of its part (shard_part_name) */
} shard_t;

#define SHARD_ALL 0
#define SHARD_MODULO 1
#define SHARD_LIST 2

/** Most shards a run can be split into (as many as a scenario can have points). */
#define SHARD_MAX 100000UL

/** @brief Read --shard @p shard_text ("K/N", 0 <= K < N <= SHARD_MAX) and --points @p points_text ("0-99,150":
 *  indices and ranges a-b with a <= b, separated by commas), either of which may be NULL (both NULL: every point;
 *  both given: an error). Returns 0, or -1 with a one-line reason in @p err. */
int shard_parse(const char* shard_text, const char* points_text, shard_t* out, char* err, size_t errlen);

/** @brief The points of a scenario of @p npoints points that @p s selects, as a malloc'ed array of @p npoints flags.
 *  An index of --points beyond the scenario's points is an error (NULL, with the reason in @p err); a shard K/N
 *  with K >= npoints selects nothing, which is not an error. */
unsigned char* shard_mask(const shard_t* s, size_t npoints, char* err, size_t errlen);

/** @brief The name of the part of the run directory that a run of @p s writes, below DIR/parts/: "shard-K-of-N", or
 *  for --points "points-" and the list itself when it is short ("points-0-99+150"), else its first and last index and
 *  a hash of the whole list. "" for every point (the run writes DIR itself). */
const char* shard_part_name(const shard_t* s);

/** @brief The option that gives @p s, as typed ("--shard 1/4", "--points 0-99,150"; "" for every point). */
void shard_describe(const shard_t* s, char* buf, size_t len);

/** @brief Write the indices i < @p n with @p mask[i] set as ranges, "0-99,150" (nothing when none). At most @p max
 *  ranges are written (0: all); when some are left out, " ... (N more points)" ends the text. Returns the number of
 *  points written or counted. */
size_t shard_write_ranges(FILE* out, const unsigned char* mask, size_t n, size_t max);

/** @brief 64-bit FNV-1a hash of @p len bytes at @p data, continuing from @p h (start with SHARD_FNV_START). */
unsigned long long shard_fnv(unsigned long long h, const void* data, size_t len);
#define SHARD_FNV_START 0xcbf29ce484222325ULL

#endif
