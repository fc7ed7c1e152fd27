/* param_docs: checks or rewrites the parts of the scenario schema and of the format reference that are generated from
 * the parameter table (src/scenario/param_docs.h). Used by ctest (check) and by scripts/regen-docs.sh (write).
 *
 *   param_docs check SCHEMA.xsd REFERENCE.md   exit 0 when both agree with the table, 1 with one line per difference
 *   param_docs write SCHEMA.xsd REFERENCE.md   rewrite the generated parts of both files (each whole or not at all)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/outfile.h"
#include "scenario/param_docs.h"

/* The whole file, NUL-terminated (caller frees), or NULL with a message on stderr. */
static char* slurp(const char* path)
{
  FILE* f = fopen(path, "rb");
  if (f == NULL) {
    perror(path);
    return NULL;
  }
  char* buf  = NULL;
  size_t len = 0;
  size_t cap = 0;
  for (;;) {
    if (len + 4096 + 1 > cap) {
      cap = 2 * cap + 4096 + 1;
      buf = realloc(buf, cap);
      if (buf == NULL) {
        fclose(f);
        fprintf(stderr, "%s: out of memory\n", path);
        return NULL;
      }
    }
    size_t n = fread(buf + len, 1, 4096, f);
    len += n;
    if (n < 4096)
      break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    fprintf(stderr, "%s: read error\n", path);
    free(buf);
    return NULL;
  }
  buf[len] = '\0';
  return buf;
}

/* Rewrites path with text when they differ; 0, or -1 with a message. */
static int rewrite(const char* path, const char* old, const char* text)
{
  if (strcmp(old, text) == 0) {
    printf("%s: up to date\n", path);
    return 0;
  }
  vn_error_t err;
  outfile_t f = outfile_open(path, &err);
  if (f != NULL) {
    fputs(text, outfile_stream(f));
    if (outfile_commit(f, &err) == 0) {
      printf("%s: rewritten from the parameter table\n", path);
      return 0;
    }
  }
  vn_error_print(&err, stderr);
  return -1;
}

int main(int argc, char** argv)
{
  if (argc != 4 || (strcmp(argv[1], "check") != 0 && strcmp(argv[1], "write") != 0)) {
    fprintf(stderr, "usage: %s check|write SCHEMA.xsd REFERENCE.md\n", argv[0]);
    return 2;
  }
  const char* xsd_path = argv[2];
  const char* md_path  = argv[3];
  char* xsd            = slurp(xsd_path);
  char* md             = slurp(md_path);
  if (xsd == NULL || md == NULL)
    return 2;
  int status = 0;
  if (strcmp(argv[1], "check") == 0) {
    size_t n = param_docs_check_xsd(xsd, xsd_path, stderr) + param_docs_check_markdown(md, md_path, stderr);
    if (n > 0) {
      fprintf(stderr, "param_docs: %zu difference(s) with the parameter table; scripts/regen-docs.sh rewrites them\n",
              n);
      status = 1;
    } else {
      printf("param_docs: %s and %s agree with the parameter table\n", xsd_path, md_path);
    }
  } else {
    char err[512];
    char* new_xsd = param_docs_update_xsd(xsd, err, sizeof err);
    if (new_xsd == NULL)
      fprintf(stderr, "%s: %s\n", xsd_path, err);
    char* new_md = new_xsd != NULL ? param_docs_update_markdown(md, err, sizeof err) : NULL;
    if (new_xsd != NULL && new_md == NULL)
      fprintf(stderr, "%s: %s\n", md_path, err);
    if (new_xsd == NULL || new_md == NULL || rewrite(xsd_path, xsd, new_xsd) != 0 || rewrite(md_path, md, new_md) != 0)
      status = 1;
    free(new_xsd);
    free(new_md);
  }
  free(xsd);
  free(md);
  return status;
}
