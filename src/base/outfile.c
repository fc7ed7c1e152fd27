/* outfile: output files written whole or not at all, and mkdir -p; the one implementation for results, plots,
 * traces and generated platforms. */
#include "base/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xbt/misc.h>
#include <xbt/sysdep.h>

struct s_outfile {
  char* path; /* the target */
  char* tmp;  /* the temporary, "<path>.tmpXXXXXX" */
  FILE* stream;
};

outfile_t outfile_open(const char* path, vn_error_t* err)
{
  outfile_t f = xbt_new0(s_outfile_t, 1);
  f->path     = xbt_strdup(path);
  f->tmp      = bprintf("%s.tmpXXXXXX", path);
  int fd      = mkstemp(f->tmp);
  if (fd < 0) {
    int e = errno;
    vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot create the output file: %s", strerror(e));
    free(f->tmp);
    free(f->path);
    free(f);
    errno = e;
    return NULL;
  }
  /* mkstemp makes the file private (0600); give it the mode a plain fopen would */
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0 || (f->stream = fdopen(fd, "w")) == NULL) {
    int e = errno;
    vn_error_set(err, path, 0, NULL, NULL, NULL, "cannot write: %s", strerror(e));
    close(fd);
    unlink(f->tmp);
    free(f->tmp);
    free(f->path);
    free(f);
    errno = e;
    return NULL;
  }
  return f;
}

FILE* outfile_stream(outfile_t f)
{
  return f->stream;
}

const char* outfile_temp_path(outfile_t f)
{
  return f->tmp;
}

static void release(outfile_t f)
{
  free(f->tmp);
  free(f->path);
  free(f);
}

int outfile_commit(outfile_t f, vn_error_t* err)
{
  errno   = 0;
  int bad = ferror(f->stream) || fflush(f->stream) != 0 || fsync(fileno(f->stream)) != 0;
  int e   = errno;
  if (fclose(f->stream) != 0 && !bad) {
    bad = 1;
    e   = errno;
  }
  if (!bad && rename(f->tmp, f->path) != 0) {
    bad = 1;
    e   = errno;
  }
  if (bad) {
    vn_error_set(err, f->path, 0, NULL, NULL, NULL, "cannot write: %s", strerror(e ? e : EIO));
    unlink(f->tmp);
    release(f);
    errno = e ? e : EIO;
    return -1;
  }
  release(f);
  return 0;
}

void outfile_abandon(outfile_t f)
{
  if (f == NULL)
    return;
  fclose(f->stream);
  unlink(f->tmp);
  release(f);
}

int outfile_mkdirs(const char* dir)
{
  char* buf = xbt_strdup(dir);
  int rc    = 0;
  for (char* p = buf + 1; *p != '\0' && rc == 0; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
      rc = -1;
    *p = '/';
  }
  if (rc == 0 && mkdir(buf, 0777) != 0 && errno != EEXIST)
    rc = -1;
  struct stat st;
  if (rc == 0 && stat(buf, &st) != 0)
    rc = -1;
  if (rc == 0 && !S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    rc    = -1;
  }
  int e = errno;
  free(buf);
  errno = e;
  return rc;
}
