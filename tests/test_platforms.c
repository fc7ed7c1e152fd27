/* test_platforms: the shipped platforms load with their documented host counts, equal the generator's output, route
 * alike in compact and explicit form, run under ns-3 (explicit forms); SimGrid's example corpus loads. */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/link.h>
#include <simgrid/mailbox.h>
#include <xbt/dynar.h>

#include "vn_test.h"
#include "tools/platgen.h"

#define PLATFORMS_DIR VNICSIM_SOURCE_DIR "/platforms"
#ifndef CORPUS_DIR /* overridable to check the skip path */
#define CORPUS_DIR VNICSIM_SOURCE_DIR "/../shared/platforms-corpus"
#endif

/* ------------------------------------------------------------------------------------------------------------ */
/* The shipped platforms, and the generator arguments that make each of them.                                    */

#define ARGS_MAX 16
typedef struct shipped {
  const char* file;
  unsigned long hosts;
  const char* args[ARGS_MAX]; /* after "platform", NULL-terminated; "-o FILE" is added */
} shipped_t;

static const shipped_t shipped[] = {
    {"one-host.xml",
     1,
     {"single", "--description",
      "One many-core server with a single NIC, the setting of the NIC virtualization study: every core and VM "
      "of the host shares one network interface, and every transfer is looped back inside that NIC.",
      NULL}},
    {"one-host-1088.xml",
     1,
     {"single", "--cores", "1088", "--description",
      "one host with 1,088 cores, for scenarios/tenants.xml: 1,024 single-vCPU tenants with a core each (vnicsim "
      "models every consumer on a core of its own unless consumers.pcpus-per-host time-slices them)",
      NULL}},
    {"flat-16.xml",
     16,
     {"flat", "16", "--description",
      "A rack of 16 servers on one non-blocking 100 Gbps switch (a 16-port EDR InfiniBand or 100GbE top-of-rack "
      "switch). The backbone carries 16 x 100 Gbps, so it never limits a permutation.",
      NULL}},
    {"flat-128.xml",
     128,
     {"flat", "128", "--description",
      "128 servers on one 128-port 100 Gbps switch (a 12.8 Tbps single-chip switch of the Tomahawk-3 class) with a "
      "non-blocking backbone.",
      NULL}},
    {"flat-1024.xml",
     1024,
     {"flat", "1024", "--description",
      "1,024 servers on one idealised non-blocking switch. No single switch has that radix: this is the "
      "contention-free reference for the fat-tree, torus and dragonfly of the same size.",
      NULL}},
    {"fattree-16.xml",
     16,
     {"fattree", "2;4,4;1,4;1,1", "--description",
      "Two-level folded Clos (leaf-spine): 4 leaf switches with 4 hosts each and 4 spine switches, one cable from "
      "every leaf to every spine. Full bisection bandwidth, like a small EDR InfiniBand cluster.",
      NULL}},
    {"fattree-128.xml",
     128,
     {"fattree", "2;8,16;1,8;1,1", "--description",
      "Two-level leaf-spine fat-tree: 16 radix-16 leaf switches (8 hosts and 8 up-links each) and 8 spine switches "
      "of 16 ports. Full bisection bandwidth, the shape of a 128-node InfiniBand or RoCE cluster.",
      NULL}},
    {"fattree-1024.xml",
     1024,
     {"fattree", "3;8,8,16;1,8,8;1,1,1", "--description",
      "Three-level k=16 fat-tree (Al-Fares et al., SIGCOMM 2008): 128 edge, 128 aggregation and 64 core switches of "
      "radix 16. Full bisection bandwidth for 1,024 hosts, as in a data-centre or HPC InfiniBand fabric.",
      NULL}},
    {"torus-16.xml",
     16,
     {"torus", "4,2,2", "--lat", "100ns", "--description",
      "3-D torus 4x2x2 in which the NICs are the routers: a direct network like those of Blue Gene/L or the Cray XT "
      "(SeaStar) and XE (Gemini), 100 ns per hop.",
      NULL}},
    {"torus-128.xml",
     128,
     {"torus", "8,4,4", "--lat", "100ns", "--description",
      "3-D torus 8x4x4, a partition of a Blue Gene/L or Cray XE class machine, 100 ns per hop.", NULL}},
    {"torus-1024.xml",
     1024,
     {"torus", "16,8,8", "--lat", "100ns", "--description",
      "3-D torus 16x8x8: the 1,024 nodes of one Blue Gene/L rack (8x8x16), 100 ns per hop.", NULL}},
    {"dragonfly-16.xml",
     16,
     {"dragonfly", "2,1;2,1;2,1;2", "--description",
      "The smallest dragonfly with all three link levels: 2 groups of 2 chassis of 2 routers with 2 hosts each, "
      "one cable per link (green within a chassis, black between chassis, blue between groups).",
      NULL}},
    {"dragonfly-128.xml",
     128,
     {"dragonfly", "4,2;2,2;4,1;4", "--description",
      "4 groups of 2 chassis of 4 routers with 4 hosts each; 2 cables between two groups and between two chassis. "
      "A small Cray XC or Slingshot class system.",
      NULL}},
    {"dragonfly-1024.xml",
     1024,
     {"dragonfly", "8,4;4,3;8,1;4", "--description",
      "Cray XC (Aries) like dragonfly, scaled to 1,024 hosts: 8 groups of 4 chassis of 8 routers with 4 hosts each; "
      "3 cables between same-rank routers of two chassis (black), 1 within a chassis (green), 4 between two groups "
      "(blue).",
      NULL}},
    {"flat-16-explicit.xml",
     16,
     {"flat", "16", "--explicit", "--description",
      "Explicit form of flat-16.xml for the ns-3 network model: the same hosts and private links around one "
      "switch router.",
      NULL}},
    {"fattree-16-explicit.xml",
     16,
     {"fattree", "2;4,4;1,4;1,1", "--explicit", "--description",
      "Explicit form of fattree-16.xml for the ns-3 network model: the same leaves, spines and cables, as routers "
      "and one-hop links.",
      NULL}},
    {"torus-16-explicit.xml",
     16,
     {"torus", "4,2,2", "--lat", "100ns", "--explicit", "--description",
      "Explicit form of torus-16.xml for the ns-3 network model: the same neighbour links between hosts.", NULL}},
    {"dragonfly-16-explicit.xml",
     16,
     {"dragonfly", "2,1;2,1;2,1;2", "--explicit", "--description",
      "Explicit form of dragonfly-16.xml for the ns-3 network model: the same routers and green, black and blue "
      "links, routed by shortest paths.",
      NULL}},
};
#define N_SHIPPED (sizeof shipped / sizeof shipped[0])

/* ------------------------------------------------------------------------------------------------------------ */
/* Forked children: SimGrid aborts on a broken platform and ns-3 crashes in its teardown, so every SimGrid run   */
/* happens in a child that reports through a pipe before anything can go wrong.                                 */

typedef void (*child_fn_t)(int fd, const void* arg);

typedef struct child_result {
  int exited;     /* 1 if the child exited (see code), 0 if a signal killed it (see code) */
  int code;       /* exit status or signal number */
  char* out;      /* what the child wrote to its pipe (NUL-terminated), to free */
  size_t out_len; /* its length */
  char err[4096]; /* the most telling line of its stderr: a SimGrid error, or the last line */
  double wall_s;
} child_result_t;

static void tmp_dir(char* buf, size_t len)
{
  snprintf(buf, len, "%s", VNICSIM_TEST_TMP);
  mkdir(buf, 0777); /* its parent is the build tree; already there is fine */
}

/* The line of @p text most likely to say what went wrong. */
static void telling_line(const char* text, char* out, size_t len)
{
  static const char* const marks[] = {"CRITICAL", "rror", "nvalid", "bort", NULL};
  out[0]                           = '\0';
  const char* best                 = NULL;
  size_t best_len                  = 0;
  for (int m = 0; marks[m] && !best; m++) {
    const char* hit = strstr(text, marks[m]);
    if (hit) {
      while (hit > text && hit[-1] != '\n')
        hit--;
      best     = hit;
      best_len = strcspn(hit, "\n");
    }
  }
  if (!best) { /* the last non-empty line */
    const char* line = text;
    for (const char* c = text; *c; c++)
      if (*c == '\n' && c[1] != '\0' && c[1] != '\n')
        line = c + 1;
    best     = line;
    best_len = strcspn(line, "\n");
  }
  snprintf(out, len, "%.*s", (int)best_len, best);
}

static child_result_t run_child(child_fn_t fn, const void* arg, unsigned timeout_s)
{
  child_result_t r;
  memset(&r, 0, sizeof r);
  char dir[4096], errpath[4200];
  tmp_dir(dir, sizeof dir);
  snprintf(errpath, sizeof errpath, "%s/child-stderr-XXXXXX", dir);
  int errfd = mkstemp(errpath);
  cr_assert(errfd >= 0, "cannot create %s: %s", errpath, strerror(errno));
  unlink(errpath);
  int fds[2];
  cr_assert(pipe(fds) == 0);
  fflush(stdout);
  fflush(stderr);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t pid = fork();
  cr_assert(pid >= 0, "fork: %s", strerror(errno));
  if (pid == 0) {
    close(fds[0]);
    dup2(errfd, STDERR_FILENO);
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0)
      dup2(devnull, STDOUT_FILENO);
    alarm(timeout_s); /* a hung load ends as SIGALRM */
    fn(fds[1], arg);
    _exit(0);
  }
  close(fds[1]);
  size_t cap = 4096;
  r.out      = malloc(cap);
  cr_assert(r.out != NULL);
  for (;;) {
    if (cap - r.out_len < 4096) {
      cap *= 2;
      r.out = realloc(r.out, cap);
      cr_assert(r.out != NULL);
    }
    ssize_t n = read(fds[0], r.out + r.out_len, cap - r.out_len - 1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    r.out_len += (size_t)n;
  }
  r.out[r.out_len] = '\0';
  close(fds[0]);
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  r.wall_s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  r.exited = WIFEXITED(status);
  r.code   = r.exited ? WEXITSTATUS(status) : WTERMSIG(status);
  /* the tail of stderr (SimGrid prints a backtrace after its error) */
  char text[65536];
  off_t size          = lseek(errfd, 0, SEEK_END);
  off_t start         = size > (off_t)sizeof text - 1 ? size - (off_t)sizeof text + 1 : 0;
  ssize_t n           = pread(errfd, text, sizeof text - 1, start);
  text[n > 0 ? n : 0] = '\0';
  close(errfd);
  telling_line(text, r.err, sizeof r.err);
  return r;
}

static void child_result_free(child_result_t* r)
{
  free(r->out);
  r->out = NULL;
}

static void write_all(int fd, const void* buf, size_t len)
{
  const char* p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      _exit(3);
    p += n;
    len -= (size_t)n;
  }
}

static void simgrid_start(int ns3)
{
  static char prog[] = "test_platforms";
  static char log[]  = "--log=root.thres:error";
  static char cfg[]  = "--cfg=network/model:ns-3";
  char* argv[]       = {prog, log, ns3 ? cfg : NULL, NULL};
  int argc           = ns3 ? 3 : 2;
  simgrid_init(&argc, argv);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Children.                                                                                                     */

typedef struct load_request {
  const char* path;
  int ns3;
} load_request_t;

/* Writes "HOSTS\n". */
static void child_load(int fd, const void* arg)
{
  const load_request_t* req = arg;
  simgrid_start(req->ns3);
  simgrid_load_platform(req->path);
  dprintf(fd, "%zu\n", sg_host_count());
  _exit(0);
}

/* One route between two hosts, as SimGrid computes it. */
typedef struct route_record {
  unsigned src, dst;
  unsigned hops;
  double latency_s;
  double min_bw_Bps;
} route_record_t;

static const char* route_prefix;
static int route_fd;

/* Routes exist once the platform is sealed, which happens when the simulation starts: ask from an actor. */
static void route_actor(int argc, char** argv)
{
  size_t n = sg_host_count();
  char a[256], b[256];
  xbt_dynar_t links = xbt_dynar_new(sizeof(sg_link_t), NULL);
  for (unsigned i = 0; i < n; i++)
    for (unsigned j = 0; j < n; j++) {
      if (i == j) /* vnicsim loops local transfers back inside the NIC, never through the network */
        continue;
      snprintf(a, sizeof a, "%s%u", route_prefix, i);
      snprintf(b, sizeof b, "%s%u", route_prefix, j);
      sg_host_t src = sg_host_by_name(a);
      sg_host_t dst = sg_host_by_name(b);
      if (!src || !dst)
        _exit(4);
      xbt_dynar_reset(links);
      sg_host_get_route(src, dst, links);
      route_record_t rec = {i, j, (unsigned)xbt_dynar_length(links), sg_host_get_route_latency(src, dst), INFINITY};
      unsigned k;
      sg_link_t link;
      xbt_dynar_foreach(links, k, link)
      {
        if (sg_link_get_bandwidth(link) < rec.min_bw_Bps)
          rec.min_bw_Bps = sg_link_get_bandwidth(link);
      }
      write_all(route_fd, &rec, sizeof rec);
    }
  xbt_dynar_free(&links);
  _exit(0);
}

static void child_routes(int fd, const void* arg)
{
  simgrid_start(0);
  simgrid_load_platform(arg);
  route_prefix = "node-";
  route_fd     = fd;
  sg_actor_create("routes", sg_host_by_name("node-0"), route_actor, 0, NULL);
  simgrid_run();
  _exit(5); /* the actor exits the process */
}

typedef struct transfer_request {
  const char* path;
  const char* src;
  const char* dst;
  long bytes;
} transfer_request_t;

static int transfer_fd;

static void sender_actor(int argc, char** argv)
{
  static int payload;
  sg_mailbox_put(sg_mailbox_by_name("platform-test"), &payload, atol(argv[1]));
}

/* Reports "OK clock route-latency" before simgrid_run returns: ns-3 may crash in its teardown after that. */
static void receiver_actor(int argc, char** argv)
{
  sg_mailbox_get(sg_mailbox_by_name("platform-test"));
  double latency = sg_host_get_route_latency(sg_host_by_name(argv[1]), sg_host_self());
  dprintf(transfer_fd, "OK %.12g %.12g\n", simgrid_get_clock(), latency);
  _exit(0);
}

static void child_transfer(int fd, const void* arg)
{
  const transfer_request_t* req = arg;
  transfer_fd                   = fd;
  simgrid_start(1);
  simgrid_load_platform(req->path);
  sg_host_t src = sg_host_by_name(req->src);
  sg_host_t dst = sg_host_by_name(req->dst);
  if (!src || !dst)
    _exit(4);
  char bytes[32];
  snprintf(bytes, sizeof bytes, "%ld", req->bytes);
  const char* sargs[] = {"sender", bytes, NULL};
  const char* rargs[] = {"receiver", req->src, NULL};
  sg_actor_create("sender", src, sender_actor, 2, (char**)sargs);
  sg_actor_create("receiver", dst, receiver_actor, 2, (char**)rargs);
  simgrid_run();
  _exit(6); /* the receiver exits the process; reaching this means the transfer never completed */
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Helpers.                                                                                                      */

static void shipped_path(const char* file, char* buf, size_t len)
{
  snprintf(buf, len, "%s/%s", PLATFORMS_DIR, file);
}

static char* slurp(const char* path, size_t* len)
{
  FILE* f = fopen(path, "rb");
  if (!f)
    return NULL;
  char* buf   = NULL;
  size_t size = 0;
  FILE* mem   = open_memstream(&buf, &size);
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    fwrite(chunk, 1, n, mem);
  fclose(f);
  fclose(mem);
  if (len)
    *len = size;
  return buf;
}

/* The host count that the header comment of a platform states ("Hosts: N"). */
static unsigned long header_hosts(const char* text)
{
  const char* hit = strstr(text, "Hosts: ");
  return hit ? strtoul(hit + 7, NULL, 10) : 0;
}

static unsigned long loaded_hosts(const char* path, int ns3)
{
  load_request_t req = {path, ns3};
  child_result_t r   = run_child(child_load, &req, 120);
  cr_assert(r.exited && r.code == 0 && r.out_len > 0, "%s did not load%s: %s (status %d%s)", path,
            ns3 ? " under ns-3" : "", r.err, r.code, r.exited ? "" : ", signal");
  unsigned long n = strtoul(r.out, NULL, 10);
  child_result_free(&r);
  return n;
}

/* All routes between distinct hosts of a platform, indexed src * hosts + dst (the diagonal stays zero). */
static route_record_t* all_routes(const char* path, unsigned hosts)
{
  child_result_t r = run_child(child_routes, path, 120);
  size_t expected  = (size_t)hosts * (hosts - 1) * sizeof(route_record_t);
  cr_assert(r.exited && r.code == 0, "routing %s failed: %s (status %d)", path, r.err, r.code);
  cr_assert_eq(r.out_len, expected, "%s: got %zu bytes of routes, expected %zu", path, r.out_len, expected);
  route_record_t* table = calloc((size_t)hosts * hosts, sizeof *table);
  cr_assert(table != NULL);
  for (size_t k = 0; k < r.out_len / sizeof(route_record_t); k++) {
    route_record_t rec;
    memcpy(&rec, r.out + k * sizeof rec, sizeof rec);
    cr_assert(rec.src < hosts && rec.dst < hosts);
    table[rec.src * hosts + rec.dst] = rec;
  }
  child_result_free(&r);
  return table;
}

/* Write the platform of generator arguments @p args to @p path through the command-line entry point. */
static int generate(const char* const* args, const char* path)
{
  char* argv[ARGS_MAX + 4];
  int argc     = 0;
  argv[argc++] = (char*)"platform";
  for (int i = 0; args[i]; i++)
    argv[argc++] = (char*)args[i];
  argv[argc++] = (char*)"-o";
  argv[argc++] = (char*)path;
  argv[argc]   = NULL;
  return vn_cli_argv(argc, argv);
}

static void temp_platform(const char* name, char* buf, size_t len)
{
  char dir[2048];
  tmp_dir(dir, sizeof dir);
  snprintf(buf, len, "%s/%d-%s", dir, (int)getpid(), name);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Shipped platforms.                                                                                            */

Test(platforms, shipped_equal_the_generator_output)
{
  /* VNICSIM_REGENERATE_PLATFORMS=1 rewrites platforms/ from the table above instead of comparing. */
  const char* regenerate = getenv("VNICSIM_REGENERATE_PLATFORMS");
  for (size_t i = 0; i < N_SHIPPED; i++) {
    char path[4300], fresh[4300];
    shipped_path(shipped[i].file, path, sizeof path);
    if (regenerate && strcmp(regenerate, "1") == 0) {
      cr_assert_eq(generate(shipped[i].args, path), 0, "cannot write %s", path);
      continue;
    }
    temp_platform(shipped[i].file, fresh, sizeof fresh);
    cr_assert_eq(generate(shipped[i].args, fresh), 0, "the generator refused the arguments of %s", shipped[i].file);
    size_t a_len, b_len;
    char* a = slurp(path, &a_len);
    char* b = slurp(fresh, &b_len);
    cr_assert(a != NULL, "%s is missing", path);
    cr_assert(b != NULL);
    cr_expect(a_len == b_len && memcmp(a, b, a_len) == 0,
              "%s differs from what the generator writes now (%s); regenerate it", path, fresh);
    unlink(fresh);
    free(a);
    free(b);
  }
}

Test(platforms, shipped_load_with_their_documented_host_counts)
{
  for (size_t i = 0; i < N_SHIPPED; i++) {
    char path[4300];
    shipped_path(shipped[i].file, path, sizeof path);
    char* text = slurp(path, NULL);
    cr_assert(text != NULL, "%s is missing", path);
    cr_expect_eq(header_hosts(text), shipped[i].hosts, "%s: its header says %lu hosts, expected %lu", shipped[i].file,
                 header_hosts(text), shipped[i].hosts);
    const char* cores = strcmp(shipped[i].file, "one-host-1088.xml") == 0 ? "core=\"1088\"" : "core=\"64\"";
    cr_expect(strstr(text, cores) != NULL, "%s: hosts should have %s", shipped[i].file, cores);
    free(text);
    cr_expect_eq(loaded_hosts(path, 0), shipped[i].hosts, "%s: SimGrid does not count %lu hosts", shipped[i].file,
                 shipped[i].hosts);
  }
}

Test(platforms, every_shipped_file_is_in_the_table)
{
  DIR* dir = opendir(PLATFORMS_DIR);
  cr_assert(dir != NULL);
  struct dirent* e;
  while ((e = readdir(dir)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0)
      continue;
    int found = 0;
    for (size_t i = 0; i < N_SHIPPED && !found; i++)
      found = strcmp(shipped[i].file, e->d_name) == 0;
    cr_expect(found, "platforms/%s is not generated by the table of test_platforms.c", e->d_name);
  }
  closedir(dir);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Compact and explicit forms route alike.                                                                       */

typedef enum { SAME, FLAT_BACKBONE, DRAGONFLY_MINIMAL } expectation_t;

typedef struct comparison {
  const char* name;
  const char* args[ARGS_MAX];
  expectation_t expect;
  unsigned long chassis, blades, nodes; /* dragonfly: per group, per chassis, per router */
} comparison_t;

static const comparison_t comparisons[] = {
    {"flat-16", {"flat", "16", NULL}, FLAT_BACKBONE, 0, 0, 0},
    {"fattree-16", {"fattree", "2;4,4;1,4;1,1", NULL}, SAME, 0, 0, 0},
    {"fattree-16-parallel", {"fattree", "2;4,4;1,2;1,2", NULL}, SAME, 0, 0, 0},
    {"fattree-128", {"fattree", "2;8,16;1,8;1,1", NULL}, SAME, 0, 0, 0},
    {"fattree-3-levels", {"fattree", "3;2,2,3;1,2,2;1,2,1", NULL}, SAME, 0, 0, 0},
    {"fattree-multirail", {"fattree", "2;4,4;2,2;1,1", NULL}, SAME, 0, 0, 0},
    {"torus-16", {"torus", "4,2,2", "--lat", "100ns", NULL}, SAME, 0, 0, 0},
    {"torus-128", {"torus", "8,4,4", NULL}, SAME, 0, 0, 0},
    {"torus-odd", {"torus", "5,3,1,2", NULL}, SAME, 0, 0, 0},
    {"dragonfly-16", {"dragonfly", "2,1;2,1;2,1;2", NULL}, DRAGONFLY_MINIMAL, 2, 2, 2},
    {"dragonfly-120", {"dragonfly", "3,4;4,3;5,1;2", NULL}, DRAGONFLY_MINIMAL, 4, 5, 2},
    {"dragonfly-128", {"dragonfly", "4,2;2,2;4,1;4", NULL}, DRAGONFLY_MINIMAL, 2, 4, 4},
};
#define N_COMPARISONS (sizeof comparisons / sizeof comparisons[0])

/* Hops of SimGrid's compact route minus hops of the shortest path, for a dragonfly.
 * SimGrid 3.32's DragonflyZone::get_local_route, within one group, takes its green hop in the source chassis but then
 * carries on as if it stood in chassis 0. So when the source chassis is not 0 and the blades differ, its route is one
 * hop short if the destination is in chassis 0 (the black hop to chassis 0 is missing: the route is not a path), and
 * one hop long if source and destination share their chassis (a needless black hop). Everywhere else it is minimal. */
static int dragonfly_hop_offset(const comparison_t* c, unsigned src, unsigned dst)
{
  unsigned long rs = src / c->nodes, rd = dst / c->nodes;
  unsigned long per_group = c->chassis * c->blades;
  if (rs / per_group != rd / per_group || rs == rd)
    return 0;
  unsigned long cs = rs / c->blades % c->chassis, cd = rd / c->blades % c->chassis;
  unsigned long bs = rs % c->blades, bd = rd % c->blades;
  if (cs == 0 || bs == bd)
    return 0;
  if (cd == 0)
    return -1;
  return cd == cs ? 1 : 0;
}

Test(platforms, compact_and_explicit_forms_agree)
{
  char* summary      = NULL;
  size_t summary_len = 0;
  FILE* out          = open_memstream(&summary, &summary_len);
  cr_assert(out != NULL);
  for (size_t i = 0; i < N_COMPARISONS; i++) {
    const comparison_t* c = &comparisons[i];
    char compact[4300], explicit[4300], name[256];
    snprintf(name, sizeof name, "%s.xml", c->name);
    temp_platform(name, compact, sizeof compact);
    snprintf(name, sizeof name, "%s-explicit.xml", c->name);
    temp_platform(name, explicit, sizeof explicit);
    const char* eargs[ARGS_MAX + 1];
    int n = 0;
    for (; c->args[n]; n++)
      eargs[n] = c->args[n];
    eargs[n++] = "--explicit";
    eargs[n]   = NULL;
    cr_assert_eq(generate(c->args, compact), 0);
    cr_assert_eq(generate(eargs, explicit), 0);

    unsigned hosts = (unsigned)loaded_hosts(compact, 0);
    cr_assert_eq(loaded_hosts(explicit, 0), hosts, "%s: the two forms have different host counts", c->name);
    route_record_t* rc = all_routes(compact, hosts);
    route_record_t* re = all_routes(explicit, hosts);
    double lat_s       = strcmp(c->name, "torus-16") == 0 ? 100e-9 : 200e-9; /* per hop, as generated */
    unsigned differing = 0;
    for (unsigned s = 0; s < hosts; s++)
      for (unsigned d = 0; d < hosts; d++) {
        if (s == d)
          continue;
        const route_record_t* a = &rc[s * hosts + d];
        const route_record_t* b = &re[s * hosts + d];
        int hop_offset          = 0;
        double lat_offset       = 0;
        if (c->expect == FLAT_BACKBONE) { /* the compact form crosses the backbone (100ns) in addition */
          hop_offset = 1;
          lat_offset = 100e-9;
        } else if (c->expect == DRAGONFLY_MINIMAL) {
          hop_offset = dragonfly_hop_offset(c, s, d);
          lat_offset = hop_offset * lat_s;
        }
        differing += hop_offset != 0;
        cr_expect_eq((int)a->hops - (int)b->hops, hop_offset, "%s: node-%u -> node-%u: %u hops compact, %u explicit",
                     c->name, s, d, a->hops, b->hops);
        cr_expect(fabs(a->latency_s - b->latency_s - lat_offset) < 1e-15,
                  "%s: node-%u -> node-%u: latency %g s compact, %g s explicit", c->name, s, d, a->latency_s,
                  b->latency_s);
        cr_expect(a->min_bw_Bps == b->min_bw_Bps, "%s: node-%u -> node-%u: bottleneck %g Bps compact, %g explicit",
                  c->name, s, d, a->min_bw_Bps, b->min_bw_Bps);
      }
    fprintf(out, "compact vs explicit %-20s %4u hosts: %5u of %5u routes differ as documented\n", c->name, hosts,
            differing, hosts * (hosts - 1));
    free(rc);
    free(re);
    unlink(compact);
    unlink(explicit);
  }
  fclose(out);
  fputs(summary, stderr);
  free(summary);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* ns-3.                                                                                                         */

Test(platforms, explicit_forms_run_under_ns3)
{
  static const char* const files[] = {"flat-16-explicit.xml", "fattree-16-explicit.xml", "torus-16-explicit.xml",
                                      "dragonfly-16-explicit.xml"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    char path[4300];
    shipped_path(files[i], path, sizeof path);
    cr_expect_eq(loaded_hosts(path, 1), 16, "%s under ns-3", files[i]);
    /* 64 kB: SimGrid 3.32 with ns-3 3.37 may abort flows larger than ns-3's TCP send buffer (128 KiB), see
     * docs/platforms.md. */
    transfer_request_t req = {path, "node-0", "node-15", 65536};
    child_result_t r       = run_child(child_transfer, &req, 60);
    double clock = 0, latency = 0;
    int ok = sscanf(r.out, "OK %lf %lf", &clock, &latency) == 2;
    cr_expect(ok, "%s: no transfer under ns-3: %s (status %d%s)", files[i], r.err, r.code, r.exited ? "" : ", signal");
    /* TCP needs a handshake and at least 64 kB at 100 Gbps (5.2 us) beyond the one-way latency. */
    cr_expect(!ok || (clock > latency + 5e-6 && clock < 1e-3), "%s: 64 kB took %g s over a %g s route", files[i], clock,
              latency);
    fprintf(stderr, "ns-3 %-26s 64 kB node-0 -> node-15 in %.3f us (route latency %.3f us)\n", files[i], clock * 1e6,
            latency * 1e6);
    child_result_free(&r);
  }
}

Test(platforms, compact_topologies_are_refused_by_ns3)
{
  /* They load, but their routes are not one-hop links, so ns-3 never hears of their hosts: the first transfer
   * fails. This is why the explicit forms exist. */
  static const char* const files[] = {"fattree-16.xml", "torus-16.xml", "dragonfly-16.xml"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    char path[4300];
    shipped_path(files[i], path, sizeof path);
    transfer_request_t req = {path, "node-0", "node-15", 1000};
    child_result_t r       = run_child(child_transfer, &req, 60);
    cr_expect(strncmp(r.out, "OK", 2) != 0, "%s: a transfer completed under ns-3", files[i]);
    cr_expect(strstr(r.err, "unknown to ns-3") != NULL, "%s: unexpected ns-3 failure: %s", files[i], r.err);
    child_result_free(&r);
  }
}

Test(platforms, flat_cluster_with_backbone_runs_under_ns3)
{
  char path[4300];
  shipped_path("flat-16.xml", path, sizeof path);
  transfer_request_t req = {path, "node-0", "node-15", 65536};
  child_result_t r       = run_child(child_transfer, &req, 60);
  cr_expect(strncmp(r.out, "OK", 2) == 0, "flat-16.xml: no transfer under ns-3: %s", r.err);
  child_result_free(&r);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* SimGrid's example corpus, when it is next to the project.                                                     */

Test(platforms, a_broken_platform_reports_the_simgrid_error)
{
  /* the harness of the corpus test: a platform SimGrid refuses ends the child with SimGrid's message */
  char path[4300];
  temp_platform("broken.xml", path, sizeof path);
  FILE* f = fopen(path, "w");
  cr_assert(f != NULL);
  fprintf(f, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
             "<platform version=\"4.1\">\n  <cluster id=\"c\" prefix=\"n-\" radical=\"0-3\" suffix=\"\" speed=\"1Gf\" "
             "bw=\"100Gbps\" lat=\"1us\" topology=\"TORUS\" topo_parameters=\"2,0\"/>\n</platform>\n");
  fclose(f);
  load_request_t req = {path, 0};
  child_result_t r   = run_child(child_load, &req, 60);
  cr_expect(!(r.exited && r.code == 0), "SimGrid accepted a torus dimension of 0");
  cr_expect(strstr(r.err, "TorusZone") != NULL || strstr(r.err, "dimension") != NULL, "message: %s", r.err);
  child_result_free(&r);
  unlink(path);
}

static int compare_names(const void* a, const void* b)
{
  return strcmp(*(char* const*)a, *(char* const*)b);
}

Test(platforms, corpus_loads)
{
  DIR* dir = opendir(CORPUS_DIR);
  if (dir == NULL) {
    fprintf(stderr, "corpus: %s is absent, skipping\n", CORPUS_DIR);
    cr_skip_test("%s is absent", CORPUS_DIR);
  }
  char* names[256];
  size_t n = 0;
  struct dirent* e;
  while ((e = readdir(dir)) != NULL && n < 256) {
    size_t len = strlen(e->d_name);
    if (len > 4 && strcmp(e->d_name + len - 4, ".xml") == 0)
      names[n++] = strdup(e->d_name);
  }
  closedir(dir);
  qsort(names, n, sizeof names[0], compare_names);

  /* Tests run in parallel: the table is printed in one piece at the end. */
  char* table      = NULL;
  size_t table_len = 0;
  FILE* out        = open_memstream(&table, &table_len);
  cr_assert(out != NULL);
  fprintf(out, "\n%-36s %s\n", "SimGrid example platform", "result (default network model)");
  unsigned loaded = 0;
  for (size_t i = 0; i < n; i++) {
    char path[4300];
    snprintf(path, sizeof path, "%s/%s", CORPUS_DIR, names[i]);
    load_request_t req = {path, 0};
    child_result_t r   = run_child(child_load, &req, 120);
    if (r.exited && r.code == 0 && r.out_len > 0) {
      unsigned long hosts = strtoul(r.out, NULL, 10);
      fprintf(out, "%-36s loaded, %lu hosts (%.2f s)\n", names[i], hosts, r.wall_s);
      loaded++;
      /* host counts stated by the corpus README */
      if (strcmp(names[i], "g5k.xml") == 0)
        cr_expect_eq(hosts, 1528);
      if (strcmp(names[i], "cluster_crossbar.xml") == 0)
        cr_expect_eq(hosts, 65536);
    } else {
      fprintf(out, "%-36s FAILED (%s %d): %s\n", names[i], r.exited ? "exit" : "signal", r.code, r.err);
      /* a platform SimGrid refuses is fine, as long as it says why */
      cr_expect(r.err[0] != '\0' && !(!r.exited && r.code == SIGALRM), "%s: failed without a message, or hung",
                names[i]);
    }
    child_result_free(&r);
    free(names[i]);
  }
  fprintf(out, "corpus: %u of %zu platforms loaded\n", loaded, n);
  fclose(out);
  fputs(table, stderr);
  free(table);
  cr_expect(n > 0, "no platform in %s", CORPUS_DIR);
}
