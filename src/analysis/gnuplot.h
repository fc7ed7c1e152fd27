/* gnuplot: finding gnuplot and vnicsim's scripts for it, and drawing a figure file with one run of a script whose
 * variables are set on the command line (`gnuplot -e "name='value'; ..." SCRIPT`). */
#ifndef VNICSIM_GNUPLOT_H
#define VNICSIM_GNUPLOT_H

#include "base/error.h"

/** gnuplot's executable and one script of vnicsim's analysis directory. */
typedef struct s_gnuplot s_gnuplot_t;
typedef s_gnuplot_t* gnuplot_t;
typedef const s_gnuplot_t* const_gnuplot_t;

/** @brief Find the gnuplot executable (env VNICSIM_GNUPLOT, a path or a name looked up on PATH; else "gnuplot" on
 *  PATH) and the script @p script (e.g. "metric.gp") in the analysis directory (env VNICSIM_ANALYSIS_DIR, else the
 *  source tree's analysis/). Returns NULL with @p err filled when either cannot be found; nothing is run. */
gnuplot_t gnuplot_create(const char* script, vn_error_t* err);

/** @brief Free @p g; NULL is a no-op. */
void gnuplot_free(gnuplot_t g);

/** @brief The analysis directory the script is in (the scripts load their common style from it). */
const char* gnuplot_scripts_dir(const_gnuplot_t g);

/** The variables of one run of the script: gnuplot statements ("xlabel='cores'; logx=1; ") given with -e. A failed
 *  allocation is remembered and reported by gnuplot_draw(); every function accepts NULL (a failed create). */
typedef struct s_gnuplot_vars s_gnuplot_vars_t;
typedef s_gnuplot_vars_t* gnuplot_vars_t;

/** @brief An empty set of variables; NULL when out of memory. */
gnuplot_vars_t gnuplot_vars_create(void);

/** @brief Free @p v; NULL is a no-op. */
void gnuplot_vars_free(gnuplot_vars_t v);

/** @brief Append printf-formatted gnuplot text as it is ("logx=1; "). */
void gnuplot_vars_printf(gnuplot_vars_t v, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

/** @brief Append @p text as a gnuplot single-quoted string ('' for a quote; control characters become blanks). */
void gnuplot_vars_quoted(gnuplot_vars_t v, const char* text);

/** @brief Append the string variable assignment `name='text'; `. */
void gnuplot_vars_string(gnuplot_vars_t v, const char* name, const char* text);

/** @brief Draw the file @p path: run the script with @p vars and the variable `outfile` naming a temporary file
 *  beside @p path (base/outfile), renamed over @p path when gnuplot succeeds, so that a figure is whole or absent.
 *  gnuplot's messages are kept aside and copied to stderr (40 lines at most) only when it fails. Returns 0, or -1
 *  with @p err filled when gnuplot cannot run or fails, the file cannot be written, or @p vars ran out of memory;
 *  @p path is then left as it was. */
int gnuplot_draw(const_gnuplot_t g, gnuplot_vars_t vars, const char* path, vn_error_t* err);

#endif
