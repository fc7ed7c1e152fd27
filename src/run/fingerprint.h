/* fingerprint: what a point's results depend on (its fully resolved parameters, its seed, the versions of vnicsim and
 * SimGrid, the SimGrid settings that change results), as a list of named values and a 64-bit hash of them, so that a
 * run directory can tell its own points from another experiment's; and the same for a whole scenario, whose list
 * names what differs when two disagree. */
#ifndef VNICSIM_FINGERPRINT_H
#define VNICSIM_FINGERPRINT_H

#include <stdio.h>

#include "base/jsonread.h"
#include "scenario/scenario.h"

/** Named values, in a fixed order ("vnicsim" version first, then "simgrid", the seed, the parameters in table order,
 *  then "cfg:NAME" for each SimGrid setting that is fingerprinted). */
typedef struct fp_pairs {
  size_t n, cap;
  char** keys;
  char** values;
} fp_pairs_t;

typedef struct s_fpctx s_fpctx_t;
typedef s_fpctx_t* fpctx_t;

/** @brief What every fingerprint of a run shares: the versions, and the --cfg settings of @p sg_argv[1 ..] except
 *  contexts/... (stack sizes, context factories and threads change how fast a point runs, never its results). */
fpctx_t fp_context(int sg_argc, char** sg_argv);

/** @brief Free; NULL is a no-op. */
void fp_context_free(fpctx_t ctx);

/** @brief The named values point @p pt's results depend on. A platform file is named by its file name and a hash of
 *  its content ("one-host.xml#1f2e...": moving a directory does not change a point, editing the platform does). */
void fp_point_pairs(fpctx_t ctx, const point_t* pt, fp_pairs_t* out);

/** @brief The fingerprint of point @p pt: the hash of fp_point_pairs(). */
unsigned long long fp_point(fpctx_t ctx, const point_t* pt);

/** @brief The named values of a whole scenario: the versions, the SimGrid settings, every base parameter (defaults,
 *  the file, --set), each sweep ("sweep:NAME": each value and what it sets) and the number of points. */
void fp_study_pairs(fpctx_t ctx, const_scenario_t sc, fp_pairs_t* out);

/** @brief The hash of @p p (FNV-1a over "key=value\n" lines). */
unsigned long long fp_hash(const fp_pairs_t* p);

/** @brief Write @p h as 16 hexadecimal digits into @p buf (17 bytes). */
void fp_hex(unsigned long long h, char* buf);

/** @brief Write @p p as a JSON array of [key, value] pairs (in order). */
void fp_pairs_write_json(FILE* out, const fp_pairs_t* p);

/** @brief Read pairs written by fp_pairs_write_json(); returns -1 when @p v is not such an array. */
int fp_pairs_from_json(const_json_t v, fp_pairs_t* out);

/** @brief Describe the first difference between @p stored (what a run directory recorded) and @p now (what the
 *  scenario gives now): "consumers.cores-per-host is 2 there, 8 in the scenario"; a key missing on one side is
 *  named as such. Returns 0 (and "" in @p buf) when they are identical. */
int fp_pairs_difference(const fp_pairs_t* stored, const fp_pairs_t* now, char* buf, size_t len);

/** @brief Free the lists of @p p and empty it. */
void fp_pairs_clear(fp_pairs_t* p);

#endif
