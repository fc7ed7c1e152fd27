/* sgopts: the SimGrid options given to `vnicsim run` and `check`, checked once in the parent before any point runs.
 *
 * Every point passes the user's --cfg and --log options to SimGrid after vnicsim's own settings, so an option could
 * silently override what the scenario says (the network model), what the model relies on (the timing precision), or
 * make every point write the same file (SimGrid's tracing, whose file is named once for all the points). Those are
 * refused here with what to use instead: for a trace, --paje, with which vnicsim sets SimGrid's tracing itself and
 * gives each point its own file (model/paje.c); SimGrid's other tracing options pass through to every point and add
 * what they record to each point's file. An option SimGrid itself refuses (an unknown key, a bad value or log
 * threshold) would otherwise abort the platform check and be blamed on the scenario's <platform> line: a child process
 * that only initialises SimGrid with the options finds it first, and the error names the option. */
#include "run/sgopts.h"

#include <errno.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/simtime.h"
#include "run/child.h"

/* ---- splitting a --cfg option as SimGrid does (xbt/config.cpp, set_parse) ---- */

#define CFG_SEPARATORS " \t\n,"

int sgopts_each_setting(const char* option, int (*fn)(const char* name, const char* value, void* data), void* data)
{
  const char* eq = strchr(option, '=');
  const char* p  = eq != NULL ? eq + 1 : option;
  char* buf      = malloc(strlen(p) + 1);
  if (buf == NULL)
    return -1;
  int rc = 0;
  while (rc == 0) {
    p += strspn(p, CFG_SEPARATORS);
    size_t n = strcspn(p, CFG_SEPARATORS);
    if (n == 0)
      break;
    memcpy(buf, p, n);
    buf[n]      = '\0';
    char* colon = strchr(buf, ':');
    if (colon != NULL)
      *colon = '\0';
    rc = fn(buf, colon != NULL ? colon + 1 : NULL, data);
    p += n;
  }
  free(buf);
  return rc;
}

/* ---- settings that contradict the scenario ---- */

/* SimGrid's reading of a boolean (xbt/config.cpp): 1 true, 0 false, -1 neither (SimGrid then refuses it itself). */
static int sg_boolean(const char* v)
{
  static const char* const yes[] = {"yes", "on", "true", "1"};
  static const char* const no[]  = {"no", "off", "false", "0"};
  for (size_t i = 0; i < 4; i++) {
    if (strcmp(v, yes[i]) == 0)
      return 1;
    if (strcmp(v, no[i]) == 0)
      return 0;
  }
  return -1;
}

typedef struct conflict_state {
  const char* option; /* the whole option, as given */
  int paje;           /* run --paje */
  vn_error_t* err;
} conflict_state_t;

/* The tracing settings vnicsim sets for every point of run --paje, each for a reason (model/paje.c says which). */
static const char* const paje_owned[] = {"tracing",           "tracing/filename",
                                         "tracing/platform",  "tracing/platform/topology",
                                         "tracing/precision", "tracing/smpi/format"};

/* SimGrid's tracing: with --paje, the settings vnicsim makes; without, turning it on or naming its file. */
static int refuse_tracing(const conflict_state_t* st, const char* name, const char* value)
{
  if (st->paje) {
    for (size_t i = 0; i < sizeof paje_owned / sizeof paje_owned[0]; i++)
      if (strcmp(name, paje_owned[i]) == 0) {
        vn_error_set(st->err, st->option, 0, NULL, NULL, NULL,
                     "with --paje vnicsim sets %s itself (each point writes DIR/trace/point-N.paje; docs/running.md "
                     "lists the tracing options it sets and those that pass through)",
                     name);
        return -1;
      }
    if (strcmp(name, "tracing/vm") == 0 && sg_boolean(value) == 1) {
      vn_error_set(st->err, st->option, 0, NULL, NULL, NULL,
                   "--paje cannot trace with tracing/vm: SimGrid 3.32 aborts with it and the platform's hierarchy, "
                   "which --paje traces (it makes every host's container twice)");
      return -1;
    }
    if (strcmp(name, "tracing/actor") == 0 && sg_boolean(value) == 1) {
      vn_error_set(st->err, st->option, 0, NULL, NULL, NULL,
                   "--paje cannot trace with tracing/actor: SimGrid 3.32 writes out every pending event when an "
                   "actor's row ends, and the NIC's queue changes, recorded ahead of their time, would come out of "
                   "time order (ViTE and pj_dump refuse such a file)");
      return -1;
    }
    return 0;
  }
  if ((strcmp(name, "tracing") == 0 && sg_boolean(value) == 1) || strcmp(name, "tracing/filename") == 0) {
    vn_error_set(st->err, st->option, 0, NULL, NULL, NULL,
                 "SimGrid's tracing cannot be turned on through --cfg: every point would write the same file (only "
                 "the last one's would survive); use --paje, which traces every point into DIR/trace/point-N.paje "
                 "(--trace writes every WR's times to DIR/trace/point-N.csv)");
    return -1;
  }
  return 0;
}

/* The one policy for the settings vnicsim decides itself: refused, with what to use instead. Each one's reason is in
 * docs/running.md. */
static int refuse_conflict(const char* name, const char* value, void* data)
{
  conflict_state_t* st = data;
  if (value == NULL)
    return 0; /* malformed: SimGrid's own check reports it */
  if (strcmp(name, "network/model") == 0) {
    vn_error_set(st->err, st->option, 0, NULL, NULL, NULL,
                 "the network model is the scenario's: use <platform network-model=\"%s\"> or --set "
                 "platform.network-model=%s (through --cfg the points would run another model than the one "
                 "results.csv's rows and manifest.json record)",
                 value, value);
    return -1;
  }
  if (strcmp(name, "surf/precision") == 0) {
    vn_error_set(st->err, st->option, 0, NULL, NULL, NULL,
                 "vnicsim sets SimGrid's timing precision itself (surf/precision:%g, which the model's instants rely "
                 "on: a coarser one gives wrong results, such as negative latencies); no scenario attribute or option "
                 "changes it",
                 SIMTIME_PRECISION);
    return -1;
  }
  if (strcmp(name, "contexts/nthreads") == 0) {
    char* end;
    errno  = 0;
    long n = strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || n != 1) {
      vn_error_set(st->err, st->option, 0, NULL, NULL, NULL,
                   "vnicsim runs a point's actors one at a time: the consumers of a host share its NIC, lock and the "
                   "model's timer queue without locks, and SimGrid's parallel threads (contexts/nthreads:%s) would "
                   "corrupt them; run points in parallel with -j instead",
                   value);
      return -1;
    }
    return 0;
  }
  if (strncmp(name, "tracing", 7) == 0 && (name[7] == '\0' || name[7] == '/'))
    return refuse_tracing(st, name, value);
  return 0;
}

/* ---- whether SimGrid accepts them ---- */

typedef struct init_args {
  int argc;
  char** argv;
} init_args_t;

/* In a child: initialise SimGrid with the options and say so; SimGrid aborts on one it refuses. */
static void init_body(void* data, int fd)
{
  const init_args_t* a = data;
  int argc             = a->argc;
  simgrid_init(&argc, a->argv);
  if (write(fd, "OK\n", 3) != 3)
    _exit(1);
  _exit(0); /* without SimGrid's teardown, like every child */
}

/* Whether SimGrid accepts @p n options from @p opts; if not, its reason goes to @p why. */
static int simgrid_accepts(char** opts, int n, char* why, size_t len)
{
  char** argv  = calloc((size_t)n + 3, sizeof *argv);
  int argc     = 0;
  argv[argc++] = "vnicsim";
  argv[argc++] = "--log=xbt_cfg.thres:warning"; /* no "Configuration change" chatter, as for the points */
  for (int i = 0; i < n; i++)
    argv[argc++] = opts[i];
  init_args_t a = {.argc = argc, .argv = argv};
  child_t c     = child_spawn(init_body, &a, 0);
  free(argv);
  if (c == NULL) {
    snprintf(why, len, "cannot start a process: %s", strerror(errno));
    return 0;
  }
  child_drain(c);
  int status = child_wait(c);
  int ok     = strcmp(child_output(c), "OK\n") == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!ok) {
    char how[128];
    child_describe_status(status, how, sizeof how);
    const char* msg = child_last_message(c);
    snprintf(why, len, "%s", msg[0] ? msg : how);
  }
  child_free(c);
  return ok;
}

int sgopts_check(int sg_argc, char** sg_argv, int paje, vn_error_t* err)
{
  for (int i = 1; i < sg_argc; i++) {
    if (strncmp(sg_argv[i], "--cfg=", 6) != 0)
      continue;
    conflict_state_t st = {.option = sg_argv[i], .paje = paje, .err = err};
    if (sgopts_each_setting(sg_argv[i], refuse_conflict, &st) != 0)
      return -1;
  }
  if (sg_argc <= 1)
    return 0;
  char why[1024];
  if (simgrid_accepts(sg_argv + 1, sg_argc - 1, why, sizeof why))
    return 0;
  /* Name the option SimGrid refuses: the first one it refuses alone. */
  for (int i = 1; i < sg_argc; i++) {
    char alone[1024];
    if (!simgrid_accepts(sg_argv + i, 1, alone, sizeof alone)) {
      vn_error_set(err, sg_argv[i], 0, NULL, NULL, NULL, "SimGrid refuses this option: %s", alone);
      return -1;
    }
  }
  vn_error_set(err, "SimGrid options", 0, NULL, NULL, NULL, "SimGrid refuses them together: %s", why);
  return -1;
}
