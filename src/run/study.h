/* study: DIR/study.json, what a run directory is an experiment of: the scenario file as it was given, the directory it
 * was given from, the --set overrides and the SimGrid options. `merge` and `status`, which take only the directory,
 * load the scenario again from it. Written once by the first run or submission into the directory (a run of every
 * point, or a submission, writes it afresh), never by two processes. */
#ifndef VNICSIM_STUDY_H
#define VNICSIM_STUDY_H

#include "base/error.h"
#include "run/runner.h"

#define STUDY_NAME "study.json"

typedef struct study {
  char* scenario_file;     /* as given */
  char* working_directory; /* where it was given */
  char** sets;
  int nsets;
  char** sg_argv; /* program name, then the SimGrid options; NULL-terminated */
  int sg_argc;
} study_t;

/** @brief Record @p opts in @p dir/study.json. With @p replace, the file is written whole and renamed over any older
 *  one; without, it is only created when there is none (a link made once: of several runs starting at once, one
 *  writes it). Returns 0, or -1 with @p err. */
int study_write(const char* dir, const run_options_t* opts, int replace, vn_error_t* err);

/** @brief Read @p dir/study.json into @p out. Returns 0, or -1 with @p err (missing: not a run directory of this
 *  vnicsim). */
int study_read(const char* dir, study_t* out, vn_error_t* err);

/** @brief Free what study_read() filled. */
void study_free(study_t* s);

#endif
