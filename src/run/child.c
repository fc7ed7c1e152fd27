/* child: a forked child process whose result pipe and standard error the parent reads without blocking.
 * SimGrid has one engine per process and aborts on some bad input, so every simulation (and every platform check)
 * runs in a child; the parent keeps the tail of the child's error output to say why it failed. */
#include "run/child.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xbt/sysdep.h>

#define CHILD_TAIL 32768 /* bytes of standard error kept (SimGrid lists every config key after a bad one) */

struct s_child {
  pid_t pid;
  int out_fd; /* result pipe, -1 once at its end */
  int err_fd; /* standard error pipe, -1 once at its end */
  int forward;
  char* out;
  size_t out_len;
  size_t out_alloc;
  char tail[CHILD_TAIL + 1];
  size_t tail_len;
  char last[1024];
  int status;
  int reaped;
};

/* In the child: close every descriptor but the standard ones and @p keep. The parent's other descriptors (the pipes
 * of the other points, the run directory's lock) must not outlive it in a child: a lock held by a point would keep
 * the directory taken after the run that took it is gone. */
static void close_inherited(int keep)
{
  int ok = keep <= STDERR_FILENO + 1 || close_range(STDERR_FILENO + 1, (unsigned)keep - 1, 0) == 0;
  if (ok && close_range((unsigned)keep + 1, ~0U, 0) == 0)
    return;
  long max = sysconf(_SC_OPEN_MAX); /* a kernel without close_range (before Linux 5.9) */
  for (long fd = STDERR_FILENO + 1; fd < (max > 0 ? max : 1024); fd++)
    if (fd != keep)
      close((int)fd);
}

child_t child_spawn(void (*body)(void* data, int fd), void* data, int forward_stderr)
{
  int res[2], err[2];
  if (pipe(res) != 0)
    return NULL;
  if (pipe(err) != 0) {
    close(res[0]);
    close(res[1]);
    return NULL;
  }
  fflush(NULL);
  pid_t parent = getpid();
  pid_t pid    = fork();
  if (pid < 0) {
    int e = errno;
    close(res[0]);
    close(res[1]);
    close(err[0]);
    close(err[1]);
    errno = e;
    return NULL;
  }
  if (pid == 0) {
    /* Die with the parent, whatever kills it (kill -9 included): a point left running would keep computing for
     * nobody. The parent may have died before the request was made, in which case this process already belongs to
     * another one: then leave at once. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
      _exit(126);
    close(res[0]);
    close(err[0]);
    dup2(err[1], STDERR_FILENO);
    dup2(err[1], STDOUT_FILENO);
    close(err[1]);
    close_inherited(res[1]);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    body(data, res[1]);
    _exit(127); /* body must not return */
  }
  close(res[1]);
  close(err[1]);
  child_t c    = xbt_new0(s_child_t, 1);
  c->pid       = pid;
  c->out_fd    = res[0];
  c->err_fd    = err[0];
  c->forward   = forward_stderr;
  c->out       = xbt_malloc(4096);
  c->out[0]    = '\0';
  c->out_alloc = 4096;
  return c;
}

pid_t child_pid(const_child_t c)
{
  return c->pid;
}

size_t child_pollfds(const_child_t c, struct pollfd* fds)
{
  size_t n = 0;
  if (c->out_fd >= 0)
    fds[n++] = (struct pollfd){.fd = c->out_fd, .events = POLLIN};
  if (c->err_fd >= 0)
    fds[n++] = (struct pollfd){.fd = c->err_fd, .events = POLLIN};
  return n;
}

/* Keep the last CHILD_TAIL bytes (callers pass at most 4 KiB at a time). */
static void keep_tail(child_t c, const char* data, size_t n)
{
  if (c->tail_len + n > CHILD_TAIL) {
    size_t drop = c->tail_len + n - CHILD_TAIL;
    memmove(c->tail, c->tail + drop, c->tail_len - drop);
    c->tail_len -= drop;
  }
  memcpy(c->tail + c->tail_len, data, n);
  c->tail_len += n;
  c->tail[c->tail_len] = '\0';
}

void child_read(child_t c, int fd)
{
  if (fd == c->out_fd) {
    if (c->out_alloc - c->out_len < 4097) {
      c->out_alloc *= 2;
      c->out = xbt_realloc(c->out, c->out_alloc);
    }
    ssize_t r = read(fd, c->out + c->out_len, c->out_alloc - c->out_len - 1);
    if (r < 0 && errno == EINTR)
      return;
    if (r <= 0) {
      close(fd);
      c->out_fd = -1;
      return;
    }
    c->out_len += (size_t)r;
    c->out[c->out_len] = '\0';
  } else if (fd == c->err_fd) {
    char buf[4096];
    ssize_t r = read(fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR)
      return;
    if (r <= 0) {
      close(fd);
      c->err_fd = -1;
      return;
    }
    if (c->forward)
      fwrite(buf, 1, (size_t)r, stderr);
    keep_tail(c, buf, (size_t)r);
  }
}

int child_drained(const_child_t c)
{
  return c->out_fd < 0 && c->err_fd < 0;
}

void child_drain(child_t c)
{
  while (!child_drained(c)) {
    struct pollfd fds[2];
    size_t n = child_pollfds(c, fds);
    if (poll(fds, n, -1) < 0 && errno != EINTR)
      break;
    for (size_t i = 0; i < n; i++)
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
        child_read(c, fds[i].fd);
  }
}

int child_wait(child_t c)
{
  if (!c->reaped) {
    while (waitpid(c->pid, &c->status, 0) < 0 && errno == EINTR)
      ;
    c->reaped = 1;
  }
  return c->status;
}

char* child_output(child_t c)
{
  return c->out;
}

/* SimGrid prints its error as a log line ("[host:actor:(pid) time] file.cpp:NN: [category/CRITICAL] message", or
 * /ERROR), followed by backtraces; an uncaught exception ends with "[xbt_exception/ERROR] Exiting now." after the line
 * that says what happened ("Parse error at FILE:1: ... Unexpected character ..."). The message is the last CRITICAL
 * line that is not a backtrace header, else the last ERROR line that is not that closing one, else the last line
 * that is not a backtrace frame; a "Did you mean ...?" line right after the chosen one is kept with it. */
static int is_frame(const char* l)
{
  return l[0] == '\0' || l[0] == ' ' || strstr(l, "acktrace") != NULL;
}

/* The text after a log line's "[category/LEVEL] " tag, if @p l is a log line of that level; else NULL. */
static const char* after_tag(const char* l, const char* level)
{
  char tag[32];
  snprintf(tag, sizeof tag, "/%s] ", level);
  const char* t = strstr(l, tag);
  return t != NULL ? t + strlen(tag) : NULL;
}

const char* child_last_message(child_t c)
{
  char copy[CHILD_TAIL + 1];
  memcpy(copy, c->tail, c->tail_len + 1);
  char found[3][1024] = {"", "", ""}; /* CRITICAL, ERROR, plain */
  int last            = -1;           /* which of them the previous line set */
  char* save          = NULL;
  for (char* l = strtok_r(copy, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
    if (is_frame(l)) {
      last = -1;
      continue;
    }
    if (last >= 0 && strncmp(l, "Did you mean", 12) == 0) {
      size_t n = strlen(found[last]);
      snprintf(found[last] + n, sizeof found[last] - n, " (%s)", l);
      last = -1;
      continue;
    }
    const char* crit = after_tag(l, "CRITICAL");
    const char* err  = after_tag(l, "ERROR");
    if (crit != NULL)
      last = 0;
    else if (err != NULL && strcmp(err, "Exiting now.") != 0)
      last = 1;
    else if (err == NULL)
      last = 2;
    else {
      last = -1;
      continue;
    }
    snprintf(found[last], sizeof found[last], "%s", crit ? crit : err ? err : l);
  }
  snprintf(c->last, sizeof c->last, "%s", found[0][0] ? found[0] : found[1][0] ? found[1] : found[2]);
  return c->last;
}

void child_describe_status(int status, char* buf, size_t len)
{
  if (WIFSIGNALED(status))
    snprintf(buf, len, "was killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
  else if (WIFEXITED(status))
    snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
  else
    snprintf(buf, len, "ended abnormally (status 0x%x)", (unsigned)status);
}

void child_kill(child_t c)
{
  if (!c->reaped)
    kill(c->pid, SIGKILL);
  child_drain(c);
  child_wait(c);
}

void child_put_escaped(FILE* out, const char* text)
{
  for (const char* p = text; *p != '\0'; p++) {
    if (*p == '\\')
      fputs("\\\\", out);
    else if (*p == '\n')
      fputs("\\n", out);
    else if (*p == '\r')
      fputs("\\r", out);
    else
      fputc(*p, out);
  }
}

char* child_unescape(char* line)
{
  char* w = line;
  for (const char* r = line; *r != '\0'; r++) {
    if (*r == '\\' && r[1] != '\0') {
      r++;
      *w++ = *r == 'n' ? '\n' : *r == 'r' ? '\r' : *r;
    } else {
      *w++ = *r;
    }
  }
  *w = '\0';
  return line;
}

void child_free(child_t c)
{
  if (c == NULL)
    return;
  if (c->out_fd >= 0)
    close(c->out_fd);
  if (c->err_fd >= 0)
    close(c->err_fd);
  free(c->out);
  free(c);
}
