/* gnuplot: finding gnuplot and vnicsim's scripts for it, and drawing a figure file with one run of a script. */
#include "analysis/gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/outfile.h"

extern char** environ;

struct s_gnuplot {
  char exe[4200];         /* the gnuplot executable */
  const char* script_dir; /* the analysis directory (from the environment, or compiled in) */
  char script[4200];
};

struct s_gnuplot_vars {
  char* s;
  size_t len;
  size_t cap;
  int oom;
};

/* ---- Finding gnuplot and the scripts ---------------------------------------------------------------------------- */

/* Finds the gnuplot executable: env VNICSIM_GNUPLOT (a path, or a name looked up on PATH), else "gnuplot" on PATH. */
static int find_gnuplot(char* out, size_t len)
{
  const char* name = getenv("VNICSIM_GNUPLOT");
  if (name == NULL || name[0] == '\0')
    name = "gnuplot";
  if (strchr(name, '/') != NULL) {
    snprintf(out, len, "%s", name);
    return access(out, X_OK) == 0 ? 0 : -1;
  }
  const char* path = getenv("PATH");
  if (path == NULL)
    path = "/usr/local/bin:/usr/bin:/bin";
  while (*path) {
    const char* end = strchr(path, ':');
    size_t dlen     = end ? (size_t)(end - path) : strlen(path);
    snprintf(out, len, "%.*s/%s", (int)dlen, dlen ? path : ".", name);
    struct stat st;
    if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
      return 0;
    path += dlen + (end ? 1 : 0);
  }
  return -1;
}

gnuplot_t gnuplot_create(const char* script, vn_error_t* err)
{
  gnuplot_t g = calloc(1, sizeof *g);
  if (g == NULL) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
    return NULL;
  }
  if (find_gnuplot(g->exe, sizeof g->exe) != 0) {
    vn_error_set(err, NULL, 0, NULL, NULL, NULL,
                 "gnuplot not found (install gnuplot, or set VNICSIM_GNUPLOT to its path)");
    free(g);
    return NULL;
  }
  g->script_dir = getenv("VNICSIM_ANALYSIS_DIR");
  if (g->script_dir == NULL || g->script_dir[0] == '\0')
    g->script_dir = VNICSIM_SOURCE_DIR "/analysis";
  snprintf(g->script, sizeof g->script, "%s/%s", g->script_dir, script);
  if (access(g->script, R_OK) != 0) {
    vn_error_set(err, g->script, 0, NULL, NULL, NULL,
                 "cannot read the plotting script (set VNICSIM_ANALYSIS_DIR to the "
                 "directory holding vnicsim's analysis scripts)");
    free(g);
    return NULL;
  }
  return g;
}

void gnuplot_free(gnuplot_t g)
{
  free(g);
}

const char* gnuplot_scripts_dir(const_gnuplot_t g)
{
  return g->script_dir;
}

/* ---- Variables -------------------------------------------------------------------------------------------------- */

gnuplot_vars_t gnuplot_vars_create(void)
{
  return calloc(1, sizeof(s_gnuplot_vars_t));
}

void gnuplot_vars_free(gnuplot_vars_t v)
{
  if (v == NULL)
    return;
  free(v->s);
  free(v);
}

static void vars_vprintf(gnuplot_vars_t v, const char* fmt, va_list args)
{
  if (v == NULL || v->oom)
    return;
  for (;;) {
    va_list ap;
    va_copy(ap, args);
    size_t room = v->cap - v->len;
    int w       = vsnprintf(v->s ? v->s + v->len : NULL, v->s ? room : 0, fmt, ap);
    va_end(ap);
    if (w < 0) {
      v->oom = 1;
      return;
    }
    if (v->s != NULL && (size_t)w < room) {
      v->len += (size_t)w;
      return;
    }
    size_t ncap = (v->cap ? v->cap : 256) + (size_t)w + 256;
    char* p     = realloc(v->s, ncap);
    if (p == NULL) {
      v->oom = 1;
      return;
    }
    v->s   = p;
    v->cap = ncap;
  }
}

void gnuplot_vars_printf(gnuplot_vars_t v, const char* fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vars_vprintf(v, fmt, ap);
  va_end(ap);
}

void gnuplot_vars_quoted(gnuplot_vars_t v, const char* text)
{
  gnuplot_vars_printf(v, "'");
  for (const char* p = text; *p; p++) {
    if (*p == '\'')
      gnuplot_vars_printf(v, "''");
    else if ((unsigned char)*p < 0x20)
      gnuplot_vars_printf(v, " ");
    else
      gnuplot_vars_printf(v, "%c", *p);
  }
  gnuplot_vars_printf(v, "'");
}

void gnuplot_vars_string(gnuplot_vars_t v, const char* name, const char* text)
{
  gnuplot_vars_printf(v, "%s=", name);
  gnuplot_vars_quoted(v, text);
  gnuplot_vars_printf(v, "; ");
}

/* ---- Drawing ---------------------------------------------------------------------------------------------------- */

/* Copies the first lines of gnuplot's messages to stderr. */
static void show_log(const char* log_path)
{
  FILE* log = fopen(log_path, "r");
  if (log == NULL)
    return;
  char line[1024];
  for (int k = 0; k < 40 && fgets(line, sizeof line, log) != NULL; k++)
    fprintf(stderr, "gnuplot: %s", line);
  fclose(log);
}

/* Runs `gnuplot -e VARS SCRIPT`, its output going to @p log_path (removed afterwards). Returns 0, or -1 with @p err
 * filled (and the log copied to stderr) when it cannot start or fails. */
static int run_script(const_gnuplot_t g, const char* vars, const char* log_path, const char* what, vn_error_t* err)
{
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 2, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 2, 1);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  char* const argv[] = {(char*)g->exe, "-e", (char*)vars, (char*)g->script, NULL};
  pid_t pid;
  int rc = posix_spawn(&pid, g->exe, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    vn_error_set(err, g->exe, 0, NULL, NULL, NULL, "cannot run gnuplot: %s", strerror(rc));
    unlink(log_path);
    return -1;
  }
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      vn_error_set(err, g->exe, 0, NULL, NULL, NULL, "waiting for gnuplot: %s", strerror(errno));
      unlink(log_path);
      return -1;
    }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    unlink(log_path);
    return 0;
  }
  show_log(log_path);
  unlink(log_path);
  if (WIFEXITED(status))
    vn_error_set(err, g->script, 0, NULL, NULL, NULL, "gnuplot failed drawing %s (exit status %d)", what,
                 WEXITSTATUS(status));
  else
    vn_error_set(err, g->script, 0, NULL, NULL, NULL, "gnuplot failed drawing %s (killed by signal %d)", what,
                 WTERMSIG(status));
  return -1;
}

int gnuplot_draw(const_gnuplot_t g, gnuplot_vars_t vars, const char* path, vn_error_t* err)
{
  outfile_t image = outfile_open(path, err); /* gnuplot writes the temporary; renamed over @p path when complete */
  if (image == NULL)
    return -1;
  gnuplot_vars_string(vars, "outfile", outfile_temp_path(image));
  char log_path[4300];
  snprintf(log_path, sizeof log_path, "%s.log", outfile_temp_path(image));
  if (vars == NULL || vars->oom) {
    outfile_abandon(image);
    vn_error_set(err, NULL, 0, NULL, NULL, NULL, "out of memory");
    return -1;
  }
  if (run_script(g, vars->s, log_path, path, err) != 0) {
    outfile_abandon(image);
    return -1;
  }
  return outfile_commit(image, err);
}
