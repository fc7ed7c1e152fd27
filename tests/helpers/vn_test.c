/* vn_test: helpers shared by the end-to-end tests: a scratch directory, running the vnicsim binary, reading its
 * results. */
#include "vn_test.h"

#include "cli/cli.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char* vn_scratch(const char* name)
{
  char* dir = NULL;
  cr_assert(asprintf(&dir, "%s/%s-%d", VNICSIM_TEST_TMP, name, (int)getpid()) > 0);
  char* cmd = NULL;
  cr_assert(asprintf(&cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir) > 0);
  cr_assert_eq(system(cmd), 0, "cannot create %s", dir);
  free(cmd);
  return dir;
}

void vn_write(const char* path, const char* text)
{
  FILE* f = fopen(path, "w");
  cr_assert_not_null(f, "cannot write %s", path);
  fputs(text, f);
  cr_assert_eq(fclose(f), 0);
}

char* vn_slurp(const char* path, size_t* len)
{
  FILE* f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  size_t alloc = 4096, n = 0;
  char* buf = malloc(alloc);
  size_t got;
  while ((got = fread(buf + n, 1, alloc - n - 1, f)) > 0) {
    n += got;
    if (alloc - n < 2) {
      alloc *= 2;
      buf = realloc(buf, alloc);
    }
  }
  fclose(f);
  buf[n] = '\0';
  if (len)
    *len = n;
  return buf;
}

static char* replace_all(const char* text, const char* token, const char* value)
{
  size_t tl = strlen(token), vl = strlen(value), n = 0;
  for (const char* p = strstr(text, token); p; p = strstr(p + tl, token))
    n++;
  char* out = malloc(strlen(text) + n * (vl > tl ? vl - tl : 0) + 1);
  char* w   = out;
  for (const char* p = text;;) {
    const char* q = strstr(p, token);
    if (q == NULL) {
      strcpy(w, p);
      break;
    }
    memcpy(w, p, (size_t)(q - p));
    w += q - p;
    memcpy(w, value, vl);
    w += vl;
    p = q + tl;
  }
  return out;
}

char* vn_scenario(const char* dir, const char* file, const char* attrs, const char* body)
{
  char* path = NULL;
  cr_assert(asprintf(&path, "%s/%s", dir, file) > 0);
  char* b1   = replace_all(body, "@PLATFORMS@", VNICSIM_SOURCE_DIR "/platforms");
  char* b2   = replace_all(b1, "@FIXTURES@", VNICSIM_TESTS_DIR "/fixtures");
  char* text = NULL;
  cr_assert(asprintf(&text, "<?xml version=\"1.0\"?>\n<scenario %s>\n%s\n</scenario>\n", attrs, b2) > 0);
  vn_write(path, text);
  free(b1);
  free(b2);
  free(text);
  return path;
}

int vn_run(char** out, char** err, const char* fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char* args = NULL;
  cr_assert(vasprintf(&args, fmt, ap) >= 0);
  va_end(ap);
  char outf[] = "/tmp/vn-out-XXXXXX", errf[] = "/tmp/vn-err-XXXXXX";
  int fo = mkstemp(outf), fe = mkstemp(errf);
  cr_assert(fo >= 0 && fe >= 0);
  close(fo);
  close(fe);
  char* cmd = NULL;
  cr_assert(asprintf(&cmd, "'%s' %s >'%s' 2>'%s'", VNICSIM_BIN, args, outf, errf) > 0);
  int status = system(cmd);
  int rc     = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (out)
    *out = vn_slurp(outf, NULL);
  if (err)
    *err = vn_slurp(errf, NULL);
  unlink(outf);
  unlink(errf);
  free(cmd);
  free(args);
  return rc;
}

csv_t vn_table(const char* dir, const char* name)
{
  char* path = NULL;
  cr_assert(asprintf(&path, "%s/%s", dir, name) > 0);
  vn_error_t e;
  vn_error_clear(&e);
  csv_t t = csv_read_file(path, &e);
  cr_assert_not_null(t, "cannot read %s: %s", path, e.message);
  free(path);
  return t;
}

csv_t vn_results(const char* dir)
{
  return vn_table(dir, "results.csv");
}

const char* vn_text(const_csv_t t, size_t row, const char* col)
{
  long c = csv_column_index(t, col);
  cr_assert(c >= 0, "no column %s in %s", col, csv_name(t));
  return csv_cell(t, row, (size_t)c);
}

double vn_num(const_csv_t t, size_t row, const char* col)
{
  const char* text = vn_text(t, row, col);
  double v;
  cr_assert_eq(csv_parse_double(text, &v), 1, "column %s row %zu of %s is not a number: '%s'", col, row, csv_name(t),
               text);
  return v;
}

long vn_find_row(const_csv_t t, ...)
{
  for (size_t r = 0; r < csv_row_count(t); r++) {
    va_list ap;
    va_start(ap, t);
    int all = 1;
    for (const char* kv = va_arg(ap, const char*); kv != NULL && all; kv = va_arg(ap, const char*)) {
      const char* eq = strchr(kv, '=');
      char col[256];
      snprintf(col, sizeof col, "%.*s", (int)(eq - kv), kv);
      all = strcmp(vn_text(t, r, col), eq + 1) == 0;
    }
    va_end(ap);
    if (all)
      return (long)r;
  }
  return -1;
}

int vn_cli_argv(int argc, char** argv)
{
  char* whole[64];
  cr_assert(argc + 2 < 64, "too many arguments for vn_cli_argv");
  whole[0] = (char*)"vnicsim";
  for (int i = 0; i < argc; i++)
    whole[i + 1] = argv[i];
  whole[argc + 1] = NULL;
  return cli_main(argc + 1, whole);
}
