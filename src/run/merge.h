/* merge: `vnicsim merge DIR` and `vnicsim status DIR`: a run directory's parts gathered into its tables, and what is
 * done, running, failed and missing, each point checked against the experiment the directory records. */
#ifndef VNICSIM_MERGE_H
#define VNICSIM_MERGE_H

/** @brief `vnicsim merge DIR`: load the scenario DIR/study.json names (from the directory it was given in, with its
 *  --set overrides and SimGrid options), read every point of DIR's tables and parts (a point of another experiment is
 *  refused: exit 2, naming the part, the point and the first value that differs), and write DIR/results.csv,
 *  hosts.csv, checks.csv and manifest.json as one run of every point would have. Returns 0 when every point is ok, 1
 *  when some are missing or failed (named on stderr, with the command that runs them), 2 for bad input. @p argc and
 *  @p argv are the command line, for the manifest. */
int merge_command(const char* dir, int argc, char** argv);

/** @brief `vnicsim status DIR`: the points done, running (in a part a run holds now), failed and missing, the wall
 *  time spent and an estimate of what is left; with @p missing_only, only the list of the missing and failed points
 *  (ranges, for --points). Returns 0 when every point is ok, 1 otherwise, 2 for bad input. */
int status_command(const char* dir, int missing_only);

#endif
