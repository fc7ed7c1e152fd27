/* test_gnuplot: finding gnuplot and a script, passing variables (quoted strings), and files written whole or not at
 * all, with a small script of the test's own run by the real gnuplot. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/gnuplot.h"
#include "vn_test.h"

static int have_gnuplot(void)
{
  return system("gnuplot --version >/dev/null 2>&1") == 0;
}

/* A scratch directory holding the script print.gp, which writes the variable msg and n to outfile, or fails when
 * n is negative. VNICSIM_ANALYSIS_DIR points at it. */
static char* script_dir(const char* name)
{
  char* dir = vn_scratch(name);
  char path[4200];
  snprintf(path, sizeof path, "%s/print.gp", dir);
  vn_write(path, "if (n < 0) { print 'refusing'; exit status 3 }\n"
                 "set print outfile\n"
                 "print msg\n"
                 "print n\n");
  setenv("VNICSIM_ANALYSIS_DIR", dir, 1);
  unsetenv("VNICSIM_GNUPLOT");
  return dir;
}

/* Number of entries of @p dir other than . and .., and whether one holds ".tmp". */
static int entries(const char* dir, int* temporaries)
{
  DIR* d = opendir(dir);
  cr_assert_not_null(d);
  int n        = 0;
  *temporaries = 0;
  for (struct dirent* e; (e = readdir(d)) != NULL;)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
      n++;
      *temporaries += strstr(e->d_name, ".tmp") != NULL;
    }
  closedir(d);
  return n;
}

Test(gnuplot, draws_a_file_with_quoted_variables)
{
  if (!have_gnuplot())
    cr_skip_test("gnuplot is not installed");
  char* dir = script_dir("gnuplot-draw");
  vn_error_t err;
  vn_error_clear(&err);
  gnuplot_t g = gnuplot_create("print.gp", &err);
  cr_assert_not_null(g, "%s", err.message);
  cr_assert_str_eq(gnuplot_scripts_dir(g), dir);

  gnuplot_vars_t v = gnuplot_vars_create();
  gnuplot_vars_string(v, "msg", "it's a\ttab");
  gnuplot_vars_printf(v, "n=%d; ", 42);
  char out[4200];
  snprintf(out, sizeof out, "%s/out/figure.txt", dir);
  char sub[4200];
  snprintf(sub, sizeof sub, "%s/out", dir);
  mkdir(sub, 0777);
  cr_assert_eq(gnuplot_draw(g, v, out, &err), 0, "%s", err.message);
  size_t len;
  char* text = vn_slurp(out, &len);
  cr_assert_not_null(text);
  cr_assert_str_eq(text, "it's a tab\n42\n", "a quote kept, a control character turned into a blank");
  free(text);
  int tmp;
  cr_assert_eq(entries(sub, &tmp), 1, "the figure only: no temporary, no log");
  cr_assert_eq(tmp, 0);
  gnuplot_vars_free(v);
  gnuplot_free(g);
  free(dir);
}

Test(gnuplot, failing_script_leaves_nothing, .init = cr_redirect_stderr)
{
  if (!have_gnuplot())
    cr_skip_test("gnuplot is not installed");
  char* dir = script_dir("gnuplot-fail");
  vn_error_t err;
  vn_error_clear(&err);
  gnuplot_t g = gnuplot_create("print.gp", &err);
  cr_assert_not_null(g, "%s", err.message);
  gnuplot_vars_t v = gnuplot_vars_create();
  gnuplot_vars_string(v, "msg", "x");
  gnuplot_vars_printf(v, "n=-1; ");
  char sub[4200];
  snprintf(sub, sizeof sub, "%s/out", dir);
  mkdir(sub, 0777);
  char out[4300];
  snprintf(out, sizeof out, "%s/figure.txt", sub);
  cr_assert_eq(gnuplot_draw(g, v, out, &err), -1);
  cr_assert(strstr(err.message, "gnuplot failed drawing") == err.message, "%s", err.message);
  cr_assert(strstr(err.message, "exit status 3") != NULL, "%s", err.message);
  int tmp;
  cr_assert_eq(entries(sub, &tmp), 0, "no figure, no temporary, no log");
  fflush(stderr);
  cr_assert_stderr_eq_str("gnuplot: refusing\n", "gnuplot's messages are shown when it fails");
  gnuplot_vars_free(v);
  gnuplot_free(g);
  free(dir);
}

Test(gnuplot, out_of_memory_is_reported_not_run)
{
  if (!have_gnuplot())
    cr_skip_test("gnuplot is not installed");
  char* dir = script_dir("gnuplot-novars");
  vn_error_t err;
  vn_error_clear(&err);
  gnuplot_t g = gnuplot_create("print.gp", &err);
  cr_assert_not_null(g, "%s", err.message);
  gnuplot_vars_string(NULL, "msg", "x"); /* a failed gnuplot_vars_create(): every call is a no-op */
  gnuplot_vars_free(NULL);
  char out[4200];
  snprintf(out, sizeof out, "%s/figure.txt", dir);
  cr_assert_eq(gnuplot_draw(g, NULL, out, &err), -1);
  cr_assert_str_eq(err.message, "out of memory");
  struct stat st;
  cr_assert_neq(stat(out, &st), 0);
  gnuplot_free(g);
  gnuplot_free(NULL);
  free(dir);
}

Test(gnuplot, missing_gnuplot_or_script)
{
  char* dir = script_dir("gnuplot-missing");
  vn_error_t err;
  vn_error_clear(&err);
  setenv("VNICSIM_GNUPLOT", "/nonexistent/gnuplot", 1);
  cr_assert_null(gnuplot_create("print.gp", &err));
  cr_assert(strstr(err.message, "gnuplot not found") == err.message, "%s", err.message);

  setenv("VNICSIM_GNUPLOT", "/bin/true", 1);
  vn_error_clear(&err);
  cr_assert_null(gnuplot_create("no-such-script.gp", &err));
  cr_assert(strstr(err.message, "cannot read the plotting script") == err.message, "%s", err.message);
  cr_assert(strstr(err.file, "/no-such-script.gp") != NULL, "%s", err.file);

  setenv("VNICSIM_GNUPLOT", "true", 1); /* a name is looked up on PATH */
  vn_error_clear(&err);
  gnuplot_t g = gnuplot_create("print.gp", &err);
  cr_assert_not_null(g, "%s", err.message);
  gnuplot_free(g);
  free(dir);
}
