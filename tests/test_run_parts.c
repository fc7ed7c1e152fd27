/* test_run_parts: the small pieces of the run layer: the result pipe's escaping, SimGrid's splitting of a --cfg
 * option, the output path's limits, and durations for people. */
#include <criterion/criterion.h>
#include <limits.h>
#include <string.h>

#include "run/child.h"
#include "run/progress.h"
#include "run/rundir.h"
#include "run/sgopts.h"

Test(run_parts, escaped_text_is_one_line_and_reads_back)
{
  const char* texts[] = {"", "plain", "a\nb", "tab\there", "back\\slash\\n", "cr\r\nlf\n", "\\", "\n\n"};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    char* line = NULL;
    size_t len = 0;
    FILE* f    = open_memstream(&line, &len);
    child_put_escaped(f, texts[i]);
    fclose(f);
    cr_expect(strchr(line, '\n') == NULL && strchr(line, '\r') == NULL, "escaped \"%s\" holds a line break", line);
    cr_expect_str_eq(child_unescape(line), texts[i], "text %zu does not read back", i);
    free(line);
  }
}

typedef struct seen {
  char names[8][64], values[8][64];
  int n;
} seen_t;

static int collect(const char* name, const char* value, void* data)
{
  seen_t* s = data;
  snprintf(s->names[s->n], 64, "%s", name);
  snprintf(s->values[s->n], 64, "%s", value != NULL ? value : "(none)");
  s->n++;
  return 0;
}

Test(run_parts, cfg_options_split_as_simgrid_splits_them)
{
  seen_t s = {.n = 0};
  sgopts_each_setting("--cfg=tracing:no network/model:CM02,a:b:c\t,, bad", collect, &s);
  cr_assert_eq(s.n, 4);
  cr_expect_str_eq(s.names[0], "tracing");
  cr_expect_str_eq(s.values[0], "no");
  cr_expect_str_eq(s.names[1], "network/model");
  cr_expect_str_eq(s.values[1], "CM02");
  cr_expect_str_eq(s.names[2], "a");
  cr_expect_str_eq(s.values[2], "b:c", "the value runs from the first ':'");
  cr_expect_str_eq(s.names[3], "bad");
  cr_expect_str_eq(s.values[3], "(none)");
}

Test(run_parts, output_paths_are_checked_whole)
{
  vn_error_t err;
  vn_error_clear(&err);
  cr_expect_eq(rundir_check_path("results/default", "-o", &err), 0);
  char name[NAME_MAX + 2];
  memset(name, 'x', NAME_MAX);
  name[NAME_MAX] = '\0';
  cr_expect_eq(rundir_check_path(name, "-o", &err), 0, "a component of NAME_MAX characters is fine");
  name[NAME_MAX]     = 'x';
  name[NAME_MAX + 1] = '\0';
  cr_expect_eq(rundir_check_path(name, "-o", &err), -1);
  cr_expect(strstr(err.message, "NAME_MAX") != NULL, "%s", err.message);
  char* path = malloc(PATH_MAX);
  for (size_t i = 0; i + 1 < PATH_MAX; i++)
    path[i] = i % 10 == 9 ? '/' : 'a';
  path[PATH_MAX - 1] = '\0';
  cr_expect_eq(rundir_check_path(path, "-o", &err), -1);
  cr_expect(strstr(err.message, "characters long") != NULL, "%s", err.message);
  cr_expect(strlen(err.value) < 80, "the path is shortened in the message: %s", err.value);
  free(path);
  cr_expect_eq(rundir_check_path("", "-o", &err), -1);
}

Test(run_parts, durations_for_people)
{
  char buf[32];
  progress_format_duration(4.214, buf, sizeof buf);
  cr_expect_str_eq(buf, "4.21 s");
  progress_format_duration(42.14, buf, sizeof buf);
  cr_expect_str_eq(buf, "42.1 s");
  progress_format_duration(185, buf, sizeof buf);
  cr_expect_str_eq(buf, "3 min 05 s");
  progress_format_duration(7620, buf, sizeof buf);
  cr_expect_str_eq(buf, "2 h 07 min");
  progress_format_duration(-1, buf, sizeof buf);
  cr_expect_str_eq(buf, "0.00 s");
}
