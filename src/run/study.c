/* study: the record of what experiment a run directory holds (see study.h). */
#include "run/study.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xbt/sysdep.h>

#include "base/json.h"
#include "base/jsonread.h"
#include "base/outfile.h"

static void write_list(FILE* f, const char* const* items, int n)
{
  fputc('[', f);
  for (int i = 0; i < n; i++) {
    fputs(i ? ", " : "", f);
    json_write_string(f, items[i]);
  }
  fputc(']', f);
}

int study_write(const char* dir, const run_options_t* opts, int replace, vn_error_t* err)
{
  char path[PATH_MAX + 32], cwd[PATH_MAX];
  snprintf(path, sizeof path, "%s/" STUDY_NAME, dir);
  if (!replace && access(path, F_OK) == 0)
    return 0;
  if (getcwd(cwd, sizeof cwd) == NULL)
    snprintf(cwd, sizeof cwd, ".");
  outfile_t f = outfile_open(path, err);
  if (f == NULL)
    return -1;
  FILE* o = outfile_stream(f);
  fputs("{\n  \"vnicsim_version\": ", o);
  json_write_string(o, VNICSIM_VERSION);
  fputs(",\n  \"scenario_file\": ", o);
  json_write_string(o, opts->scenario_path);
  fputs(",\n  \"working_directory\": ", o);
  json_write_string(o, cwd);
  fputs(",\n  \"sets\": ", o);
  write_list(o, opts->sets, opts->nsets);
  fputs(",\n  \"simgrid_options\": ", o);
  write_list(o, (const char* const*)opts->sg_argv + 1, opts->sg_argc - 1);
  fputs("\n}\n", o);
  if (replace)
    return outfile_commit(f, err);
  /* Created once: of several runs starting at once, the first makes it; the others keep it (the same experiment, or
   * one whose points the checks of merge, status and --resume refuse). */
  return outfile_commit_new(f, err) < 0 ? -1 : 0;
}

static char** read_list(const_json_t v, int* n, int with_program)
{
  size_t k    = json_size(v);
  char** list = xbt_new0(char*, k + 2);
  int m       = 0;
  if (with_program)
    list[m++] = xbt_strdup("vnicsim");
  for (size_t i = 0; i < k; i++)
    if (json_string(json_at(v, i)) != NULL)
      list[m++] = xbt_strdup(json_string(json_at(v, i)));
  *n = m;
  return list;
}

int study_read(const char* dir, study_t* out, vn_error_t* err)
{
  memset(out, 0, sizeof *out);
  char path[PATH_MAX + 32];
  snprintf(path, sizeof path, "%s/" STUDY_NAME, dir);
  FILE* f = fopen(path, "rb");
  if (f == NULL) {
    vn_error_set(err, path, 0, NULL, NULL, NULL,
                 "cannot read it (%s): %s is not a run directory written by this version of vnicsim run or submit",
                 strerror(errno), dir);
    return -1;
  }
  char* text = NULL;
  size_t len = 0;
  FILE* m    = open_memstream(&text, &len);
  char buf[8192];
  for (size_t k; (k = fread(buf, 1, sizeof buf, f)) > 0;)
    fwrite(buf, 1, k, m);
  fclose(f);
  fclose(m);
  char why[256];
  json_t root = json_parse(text, why, sizeof why);
  free(text);
  const char* sc  = json_get_string(root, "scenario_file");
  const char* cwd = json_get_string(root, "working_directory");
  if (root == NULL || sc == NULL || cwd == NULL) {
    vn_error_set(err, path, 0, NULL, NULL, NULL, "not a study record vnicsim can read%s%s", root ? "" : ": ",
                 root ? "" : why);
    json_free(root);
    return -1;
  }
  out->scenario_file     = xbt_strdup(sc);
  out->working_directory = xbt_strdup(cwd);
  out->sets              = read_list(json_get(root, "sets"), &out->nsets, 0);
  out->sg_argv           = read_list(json_get(root, "simgrid_options"), &out->sg_argc, 1);
  json_free(root);
  return 0;
}

void study_free(study_t* s)
{
  free(s->scenario_file);
  free(s->working_directory);
  for (int i = 0; i < s->nsets; i++)
    free(s->sets[i]);
  free(s->sets);
  for (int i = 0; i < s->sg_argc; i++)
    free(s->sg_argv[i]);
  free(s->sg_argv);
  memset(s, 0, sizeof *s);
}
