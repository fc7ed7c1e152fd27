/* vn_more: more helpers for the end-to-end tests: runs with a deadline, file comparison, the registered modes, a
 * platform's host count as SimGrid sees it. */
#ifndef VNICSIM_VN_MORE_H
#define VNICSIM_VN_MORE_H

#include <stddef.h>

#include "base/csv.h"

/** Exit status vn_run_deadline() returns when the run was killed at its deadline. */
#define VN_TIMED_OUT (-1)

/** @brief Run `vnicsim ARGS` (printf-formatted shell words) in its own process group, with stdout and stderr
 *  captured into malloc'ed strings (*out, *err may be NULL to discard). After @p timeout_s seconds the whole group
 *  (vnicsim and its per-point children) is killed. Returns the exit status, 128+signal if it was killed by a signal,
 *  or VN_TIMED_OUT; *wall_s (may be NULL) gets the wall-clock seconds it took. */
int vn_run_deadline(double timeout_s, double* wall_s, char** out, char** err, const char* fmt, ...)
    __attribute__((format(printf, 5, 6)));

/** @brief Path DIR/NAME, malloc'ed. */
char* vn_path(const char* dir, const char* name);

/** @brief 1 if DIR_A/NAME and DIR_B/NAME both exist and hold the same bytes, 0 otherwise. */
int vn_same_bytes(const char* dir_a, const char* dir_b, const char* name);

/** @brief The number of lines of @p text (a last line without '\n' counts). */
size_t vn_line_count(const char* text);

/** @brief The names of the registered access modes, from `vnicsim modes` (the first word of each line), in a
 *  malloc'ed NULL-terminated array of malloc'ed strings (free with vn_strings_free); none fails the test. */
char** vn_modes(void);

/** @brief Free a NULL-terminated array of strings and the array. */
void vn_strings_free(char** v);

/** @brief The number of hosts of SimGrid platform @p path, loaded by SimGrid itself in a child process (no vnicsim
 *  code involved) with @p timeout_s seconds to do it. Returns -1 if SimGrid cannot load it (or takes too long),
 *  with its last message in @p why (of @p why_size bytes). */
long vn_platform_host_count(const char* path, unsigned timeout_s, char* why, size_t why_size);

/** @brief Median of @p n values (reordered); NAN when n == 0. */
double vn_median(double* v, size_t n);

/** @brief The rows of table @p t whose column @p col has text @p value, in order: their indices go to @p rows (room
 *  for csv_row_count(t) entries), their number is returned. */
size_t vn_rows_where(const_csv_t t, const char* col, const char* value, size_t* rows);

/** @brief The row of table @p t (results.csv, checks.csv) whose column "point" is @p point; -1 if none (checks.csv
 *  only has the points that ran). */
long vn_row_of_point(const_csv_t t, const char* point);

/** @brief What went wrong in a run whose output directory is @p outdir and standard error @p err: the number of
 *  failed points and the reason of the first one (from results.csv), or else the last line of @p err. Malloc'ed. */
char* vn_failure_summary(const char* outdir, const char* err);

/** @brief Expect (without stopping the test) row @p r of results.csv @p res, and the row of checks.csv @p chk of the
 *  same point, to describe a complete run that kept every WR: status ok; @p created WRs created (any number if 0),
 *  all delivered, none lost; NIC arrivals = accepted + dropped; every WR accepted exactly once; the WRs' writes are
 *  the NIC's arrivals; one replay per drop (go-back-N); no queue above its capacity; a transfer per WR if @p remote,
 *  none otherwise; and, if @p ordered, no WR accepted out of its context's order. @p what names the point. */
void vn_expect_conserved(const_csv_t res, const_csv_t chk, size_t r, double created, int remote, int ordered,
                         const char* what);

#endif
