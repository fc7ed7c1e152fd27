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
  int fd;     /* of the temporary; -1 once closed */
  int failed; /* errno of the first write that failed, 0 if none */
  FILE* stream;
};

/* The stream writes through these, so the reason of a failed write (a full disk) is kept until the commit reports it:
 * stdio only remembers that a write failed, and errno is long overwritten by then. */
static ssize_t stream_write(void* cookie, const char* buf, size_t size)
{
  outfile_t f = cookie;
  size_t done = 0;
  while (done < size) {
    ssize_t w = write(f->fd, buf + done, size - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      if (f->failed == 0)
        f->failed = w < 0 ? errno : EIO;
      return done > 0 ? (ssize_t)done : -1;
    }
    done += (size_t)w;
  }
  return (ssize_t)size;
}

static int stream_close(void* cookie)
{
  outfile_t f = cookie;
  int rc      = close(f->fd);
  if (rc != 0 && f->failed == 0)
    f->failed = errno;
  f->fd = -1;
  return rc;
}

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
  f->fd                         = fd;
  cookie_io_functions_t methods = {.write = stream_write, .close = stream_close};
  if (fchmod(fd, 0666 & ~mask) != 0 || (f->stream = fopencookie(f, "w", methods)) == NULL) {
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

static int outfile_commit_how(outfile_t f, int once, vn_error_t* err);

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
  return outfile_commit_how(f, 0, err);
}

int outfile_commit_new(outfile_t f, vn_error_t* err)
{
  return outfile_commit_how(f, 1, err);
}

static int outfile_commit_how(outfile_t f, int once, vn_error_t* err)
{
  int bad = ferror(f->stream) || fflush(f->stream) != 0;
  int e   = f->failed;
  if (!bad && fsync(f->fd) != 0) {
    bad = 1;
    e   = errno;
  }
  if (fclose(f->stream) != 0 && !bad) {
    bad = 1;
    e   = f->failed ? f->failed : errno;
  }
  int existed = 0;
  if (!bad && once) {
    /* link() makes the name only if it is not there: of several processes, exactly one creates the file */
    if (link(f->tmp, f->path) != 0) {
      if (errno == EEXIST) {
        existed = 1;
      } else {
        bad = 1;
        e   = errno;
      }
    }
    if (!bad) {
      unlink(f->tmp);
      release(f);
      return existed;
    }
  }
  if (!bad && !once && rename(f->tmp, f->path) != 0) {
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

/* Record @p path as created. */
static void made_add(outfile_made_t* made, const char* path)
{
  made->dirs            = xbt_realloc(made->dirs, (made->n + 1) * sizeof *made->dirs);
  made->dirs[made->n++] = xbt_strdup(path);
}

void outfile_made_undo(outfile_made_t* made)
{
  if (made == NULL)
    return;
  int e = errno;
  while (made->n > 0) {
    char* d = made->dirs[--made->n];
    rmdir(d); /* only when still empty: never anything but what was created */
    free(d);
  }
  outfile_made_free(made);
  errno = e;
}

void outfile_made_free(outfile_made_t* made)
{
  if (made == NULL)
    return;
  for (size_t i = 0; i < made->n; i++)
    free(made->dirs[i]);
  free(made->dirs);
  made->dirs = NULL;
  made->n    = 0;
}

/* mkdir, recording it when it was made. Returns 0 when @p path exists afterwards (made now or before). */
static int make_one(const char* path, outfile_made_t* made)
{
  if (mkdir(path, 0777) == 0) {
    made_add(made, path);
    return 0;
  }
  return errno == EEXIST ? 0 : -1;
}

int outfile_mkdirs_made(const char* dir, outfile_made_t* made)
{
  outfile_made_t local = {NULL, 0};
  char* buf            = xbt_strdup(dir);
  int rc               = 0;
  for (char* p = buf + 1; *p != '\0' && rc == 0; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    rc = make_one(buf, &local);
    *p = '/';
  }
  if (rc == 0)
    rc = make_one(buf, &local);
  struct stat st;
  if (rc == 0 && stat(buf, &st) != 0)
    rc = -1;
  if (rc == 0 && !S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    rc    = -1;
  }
  free(buf);
  if (rc != 0)
    outfile_made_undo(&local); /* keeps errno */
  else if (made != NULL)
    *made = local;
  else
    outfile_made_free(&local);
  return rc;
}

int outfile_mkdirs(const char* dir)
{
  return outfile_mkdirs_made(dir, NULL);
}
