/* outfile: output files written whole or not at all (a temporary beside the target, renamed over it), and mkdir -p. */
#ifndef VNICSIM_OUTFILE_H
#define VNICSIM_OUTFILE_H

#include <stdio.h>

#include "base/error.h"

/** A file being written: a temporary file next to its target (same directory, so rename() is atomic), with the
 *  mode a plain fopen() would give. A reader, a crash or an interrupted run sees either the old file or the
 *  complete new one, never half of one. */
typedef struct s_outfile s_outfile_t;
typedef s_outfile_t* outfile_t;

/** @brief Start writing @p path. Returns NULL with @p err filled (naming @p path) when the temporary cannot be
 *  created; @p err may be NULL (errno then says why). */
outfile_t outfile_open(const char* path, vn_error_t* err);

/** @brief The stream to write the content to. */
FILE* outfile_stream(outfile_t f);

/** @brief The temporary's path, for content written by another program (gnuplot) rather than through the stream. */
const char* outfile_temp_path(outfile_t f);

/** @brief Flush the content to disk and rename it over the target. Returns 0, or -1 with @p err filled (@p err may
 *  be NULL) when any write, the flush or the rename failed; the temporary is then removed and the target left as
 *  it was. Frees @p f either way. */
int outfile_commit(outfile_t f, vn_error_t* err);

/** @brief Like outfile_commit(), but the target is only created, never replaced: when it exists already (another
 *  process made it first), it is left as it is and the temporary removed. Returns 0 (created), 1 (it existed), or -1
 *  with @p err. Frees @p f either way. */
int outfile_commit_new(outfile_t f, vn_error_t* err);

/** @brief Give up: remove the temporary, leave the target as it was, free @p f. NULL is a no-op. */
void outfile_abandon(outfile_t f);

/** @brief Create the directory @p dir and its missing parents (mode 0777 less the umask). Returns 0, or -1 with
 *  errno set (ENOTDIR when @p dir or a parent exists and is not a directory); on failure the directories it had
 *  created are removed again, so a failure leaves nothing behind. */
int outfile_mkdirs(const char* dir);

/** The directories one outfile_mkdirs_made() call created, parents first. */
typedef struct outfile_made {
  char** dirs;
  size_t n;
} outfile_made_t;

/** @brief outfile_mkdirs(), telling in @p made (filled only on success) which directories it created, so that a
 *  caller that fails later can take them away with outfile_made_undo(). */
int outfile_mkdirs_made(const char* dir, outfile_made_t* made);

/** @brief Remove the directories of @p made that are still empty, deepest first, and free the record (errno is kept).
 *  NULL is a no-op. */
void outfile_made_undo(outfile_made_t* made);

/** @brief Free the record, leaving the directories in place. NULL is a no-op. */
void outfile_made_free(outfile_made_t* made);

#endif
