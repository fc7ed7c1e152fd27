/* test_outfile: output files appear whole or not at all, keep the old file on failure, and mkdir -p. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/outfile.h"

static void scratch(char* buf, size_t len, const char* name)
{
  snprintf(buf, len, "%s/outfile-%s-%ld", VNICSIM_TEST_TMP, name, (long)getpid());
  char cmd[4300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", buf, buf);
  cr_assert_eq(system(cmd), 0);
}

/* Number of entries of @p dir other than . and .. */
static int entries(const char* dir)
{
  DIR* d = opendir(dir);
  cr_assert_not_null(d, "%s", dir);
  int n = 0;
  for (struct dirent* e; (e = readdir(d)) != NULL;)
    n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
  closedir(d);
  return n;
}

static void slurp(const char* path, char* buf, size_t len)
{
  FILE* f = fopen(path, "r");
  cr_assert_not_null(f, "%s", path);
  size_t n = fread(buf, 1, len - 1, f);
  buf[n]   = '\0';
  fclose(f);
}

static void put(const char* path, const char* text)
{
  vn_error_t err;
  vn_error_clear(&err);
  outfile_t f = outfile_open(path, &err);
  cr_assert_not_null(f, "%s", err.message);
  fputs(text, outfile_stream(f));
  cr_assert_eq(outfile_commit(f, &err), 0, "%s", err.message);
}

Test(outfile, target_appears_only_on_commit)
{
  char dir[4096], path[4200], text[256];
  scratch(dir, sizeof dir, "commit");
  snprintf(path, sizeof path, "%s/a.csv", dir);
  vn_error_t err;
  vn_error_clear(&err);
  outfile_t f = outfile_open(path, &err);
  cr_assert_not_null(f, "%s", err.message);
  fputs("x,y\n1,2\n", outfile_stream(f));
  struct stat st;
  cr_expect_neq(stat(path, &st), 0, "the target does not exist before the commit");
  cr_expect_eq(strncmp(outfile_temp_path(f), path, strlen(path)), 0, "the temporary sits beside the target");
  cr_assert_eq(outfile_commit(f, &err), 0, "%s", err.message);
  slurp(path, text, sizeof text);
  cr_expect_str_eq(text, "x,y\n1,2\n");
  cr_expect_eq(entries(dir), 1, "no temporary left");
  /* the mode a plain fopen would give, not mkstemp's 0600 */
  mode_t mask = umask(0);
  umask(mask);
  cr_assert_eq(stat(path, &st), 0);
  cr_expect_eq(st.st_mode & 0777, 0666 & ~mask);
}

Test(outfile, replaces_the_old_file_or_keeps_it)
{
  char dir[4096], path[4200], text[256];
  scratch(dir, sizeof dir, "replace");
  snprintf(path, sizeof path, "%s/m.json", dir);
  put(path, "old\n");
  put(path, "new\n");
  slurp(path, text, sizeof text);
  cr_expect_str_eq(text, "new\n");

  outfile_t f = outfile_open(path, NULL);
  cr_assert_not_null(f);
  fputs("half", outfile_stream(f));
  outfile_abandon(f);
  slurp(path, text, sizeof text);
  cr_expect_str_eq(text, "new\n", "an abandoned file leaves the old one");
  cr_expect_eq(entries(dir), 1);
  outfile_abandon(NULL);
}

Test(outfile, failures_name_the_file_and_leave_nothing)
{
  char dir[4096], path[4200];
  scratch(dir, sizeof dir, "fail");
  vn_error_t err;
  /* a missing directory */
  snprintf(path, sizeof path, "%s/no/such/x.csv", dir);
  vn_error_clear(&err);
  cr_expect_null(outfile_open(path, &err));
  cr_expect(vn_error_is_set(&err));
  cr_expect_str_eq(err.file, path);
  cr_expect(strstr(err.message, "No such file") != NULL, "%s", err.message);

  /* a target that is a directory: the rename fails, the temporary is removed */
  snprintf(path, sizeof path, "%s/d", dir);
  cr_assert_eq(mkdir(path, 0755), 0);
  vn_error_clear(&err);
  outfile_t f = outfile_open(path, &err);
  cr_assert_not_null(f, "%s", err.message);
  fputs("data", outfile_stream(f));
  cr_expect_eq(outfile_commit(f, &err), -1);
  cr_expect(vn_error_is_set(&err));
  cr_expect_str_eq(err.file, path);
  cr_expect_eq(entries(dir), 1, "only the directory is left");
}

Test(outfile, mkdirs_makes_parents_and_refuses_files)
{
  char dir[4096], path[4300];
  scratch(dir, sizeof dir, "mkdirs");
  snprintf(path, sizeof path, "%s/a/b/c", dir);
  cr_expect_eq(outfile_mkdirs(path), 0);
  struct stat st;
  cr_assert_eq(stat(path, &st), 0);
  cr_expect(S_ISDIR(st.st_mode));
  cr_expect_eq(outfile_mkdirs(path), 0, "already there is fine");
  snprintf(path, sizeof path, "%s/a/b/c/", dir);
  cr_expect_eq(outfile_mkdirs(path), 0, "a trailing slash is fine");

  snprintf(path, sizeof path, "%s/file", dir);
  put(path, "x");
  errno = 0;
  cr_expect_eq(outfile_mkdirs(path), -1);
  cr_expect_eq(errno, ENOTDIR);
  snprintf(path, sizeof path, "%s/file/sub", dir);
  cr_expect_eq(outfile_mkdirs(path), -1, "a file in the way of a parent");
}

/* A failure half-way takes back the directories made before it, and outfile_mkdirs_made lists what it made. */
Test(outfile, mkdirs_leaves_nothing_when_it_fails)
{
  char dir[4096], path[4300];
  scratch(dir, sizeof dir, "mkdirs-undo");
  snprintf(path, sizeof path, "%s/file", dir);
  put(path, "x");
  snprintf(path, sizeof path, "%s/new1/new2/../../file/x", dir);
  errno = 0;
  cr_expect_eq(outfile_mkdirs(path), -1);
  cr_expect_eq(errno, ENOTDIR, "errno is the failure's, not the clean-up's: %s", strerror(errno));
  cr_expect_eq(entries(dir), 1, "new1 and new2 were taken back");

  outfile_made_t made;
  snprintf(path, sizeof path, "%s/m/n", dir);
  cr_assert_eq(outfile_mkdirs_made(path, &made), 0);
  cr_expect_eq(made.n, 2);
  outfile_made_undo(&made);
  cr_expect_eq(entries(dir), 1, "undo removes what was made");
  cr_expect_eq(made.n, 0);
}
