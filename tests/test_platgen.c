/* test_platgen: the platform generator's parameter checks, host counts, wiring counts, CLI and atomic output. */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tools/platgen.h"
#include "vn_test.h"

/* ------------------------------------------------------------------------------------------------------------ */
/* Helpers.                                                                                                      */

static platgen_spec_t spec_of(platgen_topology_t topo, const char* params)
{
  platgen_spec_t s;
  platgen_spec_init(&s, topo);
  if (topo == PLATGEN_FLAT)
    s.hosts = strtoul(params, NULL, 10);
  else if (params)
    snprintf(s.topo_parameters, sizeof s.topo_parameters, "%s", params);
  return s;
}

/* The platform of @p spec as a string (to free), or NULL with @p err set. */
static char* render(const platgen_spec_t* spec, vn_error_t* err)
{
  char* buf  = NULL;
  size_t len = 0;
  FILE* mem  = open_memstream(&buf, &len);
  cr_assert(mem != NULL);
  int rc = platgen_write(mem, spec, err);
  fclose(mem);
  if (rc != 0) {
    free(buf);
    return NULL;
  }
  return buf;
}

static unsigned count(const char* text, const char* needle)
{
  unsigned n = 0;
  for (const char* p = strstr(text, needle); p; p = strstr(p + 1, needle))
    n++;
  return n;
}

static void expect_invalid(const platgen_spec_t* spec, const char* fragment)
{
  vn_error_t err;
  vn_error_clear(&err);
  cr_expect_neq(platgen_validate(spec, &err), 0, "accepted, expected an error about \"%s\"", fragment);
  char msg[2048];
  vn_error_format(&err, msg, sizeof msg);
  cr_expect(strstr(msg, fragment) != NULL, "message \"%s\" does not mention \"%s\"", msg, fragment);
  /* and nothing is written */
  char* text = render(spec, NULL);
  cr_expect_null(text);
  free(text);
}

/* Runs platgen_command in a child; returns its exit status, its stdout and stderr (to free). */
typedef struct cli_run {
  int status;
  char* out;
  char* err;
} cli_run_t;

static char* read_fd(int fd)
{
  char* buf  = NULL;
  size_t len = 0;
  FILE* mem  = open_memstream(&buf, &len);
  char chunk[4096];
  ssize_t n;
  while ((n = read(fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      fwrite(chunk, 1, (size_t)n, mem);
  fclose(mem);
  return buf;
}

static cli_run_t run_cli(const char* const* args)
{
  char* argv[64];
  int argc     = 0;
  argv[argc++] = (char*)"platform";
  for (int i = 0; args[i] && argc < 63; i++)
    argv[argc++] = (char*)args[i];
  argv[argc]      = NULL;
  char tmpl_out[] = "/tmp/platgen-out-XXXXXX", tmpl_err[] = "/tmp/platgen-err-XXXXXX";
  int fo = mkstemp(tmpl_out), fe = mkstemp(tmpl_err);
  cr_assert(fo >= 0 && fe >= 0);
  unlink(tmpl_out);
  unlink(tmpl_err);
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    dup2(fo, STDOUT_FILENO);
    dup2(fe, STDERR_FILENO);
    int rc = vn_cli_argv(argc, argv);
    fflush(stdout);
    fflush(stderr);
    _exit(rc);
  }
  int status;
  waitpid(pid, &status, 0);
  cli_run_t r;
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
  lseek(fo, 0, SEEK_SET);
  lseek(fe, 0, SEEK_SET);
  r.out = read_fd(fo);
  r.err = read_fd(fe);
  close(fo);
  close(fe);
  return r;
}

static void cli_free(cli_run_t* r)
{
  free(r->out);
  free(r->err);
}

static void expect_cli_error(const char* const* args, const char* fragment)
{
  cli_run_t r = run_cli(args);
  cr_expect_eq(r.status, VN_EXIT_INPUT, "%s %s: exit status %d, expected 2 (stderr: %s)", args[0],
               args[1] ? args[1] : "", r.status, r.err);
  cr_expect(strstr(r.err, "vnicsim: error: ") == r.err, "stderr should start with the error line: %s", r.err);
  cr_expect(strstr(r.err, fragment) != NULL, "stderr \"%s\" does not mention \"%s\"", r.err, fragment);
  cr_expect_str_empty(r.out, "nothing may reach stdout on error");
  cli_free(&r);
}

static void test_dir(char* buf, size_t len)
{
  snprintf(buf, len, "%s", VNICSIM_TEST_TMP);
  mkdir(buf, 0777);
  snprintf(buf, len, "%s/platgen-%d", VNICSIM_TEST_TMP, (int)getpid());
  mkdir(buf, 0777);
}

static unsigned files_in(const char* dir)
{
  DIR* d = opendir(dir);
  cr_assert(d != NULL);
  unsigned n = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL)
    n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Host counts and structure.                                                                                    */

Test(platgen, topology_names_round_trip)
{
  for (int t = PLATGEN_SINGLE; t <= PLATGEN_DRAGONFLY; t++) {
    platgen_topology_t back;
    cr_assert_eq(platgen_topology_from_name(platgen_topology_name((platgen_topology_t)t), &back), 0);
    cr_expect_eq((int)back, t);
  }
  platgen_topology_t dummy;
  cr_expect_neq(platgen_topology_from_name("hypercube", &dummy), 0);
}

Test(platgen, host_counts_follow_simgrid_semantics)
{
  platgen_spec_t s = spec_of(PLATGEN_SINGLE, NULL);
  cr_expect_eq(platgen_host_count(&s), 1);
  s = spec_of(PLATGEN_FLAT, "1024");
  cr_expect_eq(platgen_host_count(&s), 1024);
  s = spec_of(PLATGEN_FATTREE, "2;4,4;1,2;1,2"); /* SimGrid's example: 16 hosts, 4 leaves, 2 top switches */
  cr_expect_eq(platgen_host_count(&s), 16);
  cr_expect_eq(platgen_router_count(&s), 4 + 2);
  s = spec_of(PLATGEN_FATTREE, "3;8,8,16;1,8,8;1,1,1"); /* k=16 fat-tree: 128 + 128 + 64 switches */
  cr_expect_eq(platgen_host_count(&s), 1024);
  cr_expect_eq(platgen_router_count(&s), 320);
  s = spec_of(PLATGEN_TORUS, "16,8,8");
  cr_expect_eq(platgen_host_count(&s), 1024);
  cr_expect_eq(platgen_router_count(&s), 0);
  s = spec_of(PLATGEN_DRAGONFLY, "3,4;4,3;5,1;2"); /* SimGrid's example: 120 hosts on 60 routers */
  cr_expect_eq(platgen_host_count(&s), 120);
  cr_expect_eq(platgen_router_count(&s), 60);
}

Test(platgen, compact_form_is_one_cluster)
{
  platgen_spec_t s = spec_of(PLATGEN_FATTREE, "2;4,4;1,2;1,2");
  char* text       = render(&s, NULL);
  cr_assert_not_null(text);
  cr_expect_eq(count(text, "<cluster "), 1);
  cr_expect(strstr(text, "topology=\"FAT_TREE\" topo_parameters=\"2;4,4;1,2;1,2\"") != NULL);
  cr_expect(strstr(text, "radical=\"0-15\"") != NULL);
  cr_expect(strstr(text, "core=\"64\"") != NULL);
  cr_expect(strstr(text, "Hosts: 16 (node-0 ... node-15)") != NULL);
  free(text);

  s    = spec_of(PLATGEN_FLAT, "16"); /* default backbone: non-blocking, hosts x bw, in the bw's unit */
  text = render(&s, NULL);
  cr_assert_not_null(text);
  cr_expect(strstr(text, "bb_bw=\"1600Gbps\" bb_lat=\"100ns\"") != NULL, "%s", text);
  free(text);
  s.backbone = 0;
  text       = render(&s, NULL);
  cr_assert_not_null(text);
  cr_expect(strstr(text, "bb_bw") == NULL);
  free(text);
}

Test(platgen, explicit_fattree_wiring)
{
  /* 16 hosts, each on 1 leaf; 4 leaves, each on 2 top switches with 2 parallel cables merged into one link */
  platgen_spec_t s = spec_of(PLATGEN_FATTREE, "2;4,4;1,2;1,2");
  s.explicit_form  = 1;
  char* text       = render(&s, NULL);
  cr_assert_not_null(text);
  cr_expect_eq(count(text, "<host "), 16);
  cr_expect_eq(count(text, "<router "), 6);
  cr_expect_eq(count(text, "<link "), 16 + 4 * 2);
  cr_expect_eq(count(text, "<route "), 16 + 4 * 2);
  cr_expect_eq(count(text, "bandwidth=\"200Gbps\""), 8, "leaf-to-top links carry the 2 parallel cables");
  cr_expect(strstr(text, "routing=\"Floyd\"") != NULL);
  /* host 5 has label (1,1): leaf 1; leaf 1 (label (x,1)) goes to top switches 0 and 1 */
  cr_expect(strstr(text, "<route src=\"node-5\" dst=\"cluster_sw_1_1\">") != NULL);
  cr_expect(strstr(text, "<route src=\"cluster_sw_1_1\" dst=\"cluster_sw_2_0\">") != NULL);
  cr_expect(strstr(text, "<route src=\"cluster_sw_1_1\" dst=\"cluster_sw_2_1\">") != NULL);
  free(text);

  strcpy(s.uplink_bw, "400Gbps"); /* wider switch-to-switch cables, explicit form only */
  text = render(&s, NULL);
  cr_assert_not_null(text);
  cr_expect_eq(count(text, "bandwidth=\"800Gbps\""), 8);
  free(text);
}

Test(platgen, explicit_torus_wiring)
{
  /* 4x2x2: a ring of 4 in x (4 links per ring, 4 rings), pairs in y and z (1 link per pair, 8 pairs each) */
  platgen_spec_t s = spec_of(PLATGEN_TORUS, "4,2,2");
  s.explicit_form  = 1;
  char* text       = render(&s, NULL);
  cr_assert_not_null(text);
  cr_expect_eq(count(text, "<router "), 0);
  cr_expect_eq(count(text, "<link "), 16 + 8 + 8);
  cr_expect(strstr(text, "<route src=\"node-3\" dst=\"node-0\">") != NULL, "x wraparound");
  cr_expect(strstr(text, "<route src=\"node-4\" dst=\"node-0\">") == NULL, "no duplicate link in a dimension of 2");
  free(text);
  s               = spec_of(PLATGEN_TORUS, "5,1");
  s.explicit_form = 1;
  text            = render(&s, NULL);
  cr_assert_not_null(text);
  cr_expect_eq(count(text, "<link "), 5, "no self-loop in a dimension of 1");
  free(text);
}

Test(platgen, explicit_dragonfly_wiring)
{
  /* 3 groups x 4 chassis x 5 routers x 2 hosts; green: C(5,2) per chassis; black: C(4,2) x 5 per group;
   * blue: C(3,2) */
  platgen_spec_t s = spec_of(PLATGEN_DRAGONFLY, "3,4;4,3;5,1;2");
  s.explicit_form  = 1;
  char* text       = render(&s, NULL);
  cr_assert_not_null(text);
  cr_expect_eq(count(text, "<router "), 60);
  cr_expect_eq(count(text, "<link "), 120 + 12 * 10 + 3 * 6 * 5 + 3);
  cr_expect_eq(count(text, "bandwidth=\"400Gbps\""), 3, "blue links carry 4 cables");
  cr_expect_eq(count(text, "bandwidth=\"300Gbps\""), 90, "black links carry 3 cables");
  /* groups 0 and 2: router 2 of group 0 (chassis 0, blade 2) to router 0 of group 2 */
  cr_expect(strstr(text, "<route src=\"cluster_router_0_0_2\" dst=\"cluster_router_2_0_0\">") != NULL);
  free(text);
}

Test(platgen, explicit_flat_is_a_star)
{
  platgen_spec_t s = spec_of(PLATGEN_FLAT, "4");
  s.explicit_form  = 1;
  char* text       = render(&s, NULL);
  cr_assert_not_null(text);
  cr_expect_eq(count(text, "<router id=\"node-cluster_router\"/>"), 1, "named as SimGrid names a cluster's router");
  cr_expect_eq(count(text, "<link "), 4);
  cr_expect(strstr(text, "it is left out") != NULL, "the header says the backbone is not there");
  free(text);
}

Test(platgen, options_reach_the_output)
{
  platgen_spec_t s = spec_of(PLATGEN_TORUS, "2,2");
  strcpy(s.prefix, "nic");
  strcpy(s.id, "rack");
  strcpy(s.speed, "3Gf");
  s.cores = 8;
  strcpy(s.bw, "12.5GBps");
  strcpy(s.lat, "1.5us");
  strcpy(s.description, "A tiny test machine & friends <none>.");
  s.explicit_form = 1;
  strcpy(s.routing, "DijkstraCache");
  char* text = render(&s, NULL);
  cr_assert_not_null(text);
  cr_expect(strstr(text, "<host id=\"nic3\" speed=\"3Gf\" core=\"8\"/>") != NULL);
  cr_expect(strstr(text, "bandwidth=\"12.5GBps\" latency=\"1.5us\"") != NULL);
  cr_expect(strstr(text, "<zone id=\"rack\" routing=\"DijkstraCache\">") != NULL);
  cr_expect(strstr(text, "A tiny test machine & friends <none>.") != NULL);
  cr_expect(strstr(text, "Hosts: 4 (nic0 ... nic3)") != NULL);
  free(text);
}

Test(platgen, values_keep_the_unit_the_user_wrote)
{
  platgen_spec_t s = spec_of(PLATGEN_FLAT, "3");
  strcpy(s.bw, "0.1Gbps"); /* the default backbone is 3 x bw, written in the bw's own unit */
  strcpy(s.lat, "0.25us");
  char* text = render(&s, NULL);
  cr_assert_not_null(text);
  cr_expect(strstr(text, "bw=\"0.1Gbps\" lat=\"0.25us\"") != NULL, "%s", text);
  cr_expect(strstr(text, "bb_bw=\"0.3Gbps\" bb_lat=\"100ns\"") != NULL, "%s", text);
  free(text);

  s = spec_of(PLATGEN_TORUS, "2,2");
  strcpy(s.bw, "1e3Mbps");   /* the number is written plainly, the unit as given */
  strcpy(s.speed, "2.50Gf"); /* the speed goes into the file exactly as written */
  text = render(&s, NULL);
  cr_assert_not_null(text);
  cr_expect(strstr(text, "speed=\"2.50Gf\" core=\"64\" bw=\"1000Mbps\"") != NULL, "%s", text);
  free(text);

  s               = spec_of(PLATGEN_FATTREE, "2;4,4;1,2;1,2");
  s.explicit_form = 1;
  strcpy(s.uplink_bw, "12.5GBps"); /* 2 parallel cables: one link of 2 x 12.5GBps */
  text = render(&s, NULL);
  cr_assert_not_null(text);
  cr_expect_eq(count(text, "bandwidth=\"25GBps\""), 8, "%s", text);
  cr_expect(strstr(text, "Switch-to-switch cables: 12.5GBps.") != NULL);
  free(text);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Validation.                                                                                                   */

Test(platgen, rejects_inconsistent_fattree_strings)
{
  platgen_spec_t s;
  s = spec_of(PLATGEN_FATTREE, "2;4,4;1,2");
  expect_invalid(&s, "four fields");
  s = spec_of(PLATGEN_FATTREE, "2;4,4;1,2;1,2;1");
  expect_invalid(&s, "four fields");
  s = spec_of(PLATGEN_FATTREE, "3;4,4;1,2;1,2");
  expect_invalid(&s, "3 levels, but the DOWN");
  s = spec_of(PLATGEN_FATTREE, "2;4,4;1;1,2");
  expect_invalid(&s, "UP (parents per node) vector \"1\" has 1 value");
  s = spec_of(PLATGEN_FATTREE, "2;4,0;1,2;1,2");
  expect_invalid(&s, "child count \"0\" must be a whole number of at least 1");
  s = spec_of(PLATGEN_FATTREE, "2;4,x;1,2;1,2");
  expect_invalid(&s, "child count \"x\"");
  s = spec_of(PLATGEN_FATTREE, "0;;;");
  expect_invalid(&s, "number of levels");
  s = spec_of(PLATGEN_FATTREE, "2;4,4;1,2;1,-2");
  expect_invalid(&s, "cable count \"-2\"");
  s = spec_of(PLATGEN_FATTREE, "3;1024,1024,1024;1,1,1;1,1,1");
  expect_invalid(&s, "too many hosts");
  s       = spec_of(PLATGEN_FATTREE, "2;4,4;1,2;1,2");
  s.hosts = 20;
  expect_invalid(&s, "give 16 hosts");
}

Test(platgen, rejects_bad_torus_dimensions)
{
  platgen_spec_t s;
  s = spec_of(PLATGEN_TORUS, "4,0,4");
  expect_invalid(&s, "dimension \"0\"");
  s = spec_of(PLATGEN_TORUS, "4,,4");
  expect_invalid(&s, "dimension \"\"");
  s = spec_of(PLATGEN_TORUS, "4,4,");
  expect_invalid(&s, "dimension \"\"");
  s = spec_of(PLATGEN_TORUS, "");
  expect_invalid(&s, "dimension \"\"");
  s = spec_of(PLATGEN_TORUS, "100000,2");
  expect_invalid(&s, "too large");
  s = spec_of(PLATGEN_TORUS, "99999999999999999999");
  expect_invalid(&s, "too large");
  s = spec_of(PLATGEN_TORUS, "1024,1024,2");
  expect_invalid(&s, "too many hosts");
  s = spec_of(PLATGEN_TORUS, "4 ,4");
  expect_invalid(&s, "dimension \"4 \"");
}

Test(platgen, rejects_bad_dragonflies)
{
  platgen_spec_t s;
  s = spec_of(PLATGEN_DRAGONFLY, "3,4;4,3;5,1");
  expect_invalid(&s, "GROUPS,BLUE");
  s = spec_of(PLATGEN_DRAGONFLY, "3;4,3;5,1;2");
  expect_invalid(&s, "GROUPS,BLUE");
  s = spec_of(PLATGEN_DRAGONFLY, "3,4;4,3;5,1;2,2");
  expect_invalid(&s, "GROUPS,BLUE");
  s = spec_of(PLATGEN_DRAGONFLY, "3,0;4,3;5,1;2");
  expect_invalid(&s, "count \"0\"");
  /* SimGrid reaches group g through router g of a chassis: no more groups than routers per chassis */
  s = spec_of(PLATGEN_DRAGONFLY, "6,1;4,1;5,1;2");
  expect_invalid(&s, "6 groups but 5 routers per chassis");
}

Test(platgen, rejects_bad_values)
{
  static const struct {
    const char* field;
    const char* value;
    const char* fragment;
  } cases[] = {
      {"bw", "100", "missing unit"},
      {"bw", "100Gb", "unknown unit \"Gb\""},
      {"bw", "100 Gbps", "--bw=\"100 Gbps\": no blank allowed between the number and its unit"},
      {"bw", " 100Gbps", "no blank allowed around the value"},
      {"bw", "100GBPS", "unknown unit"},
      {"bw", "inf", "expected a bandwidth"},
      {"bw", "-5Gbps", "expected a bandwidth"},
      {"bw", "0x10Gbps", "hexadecimal"},
      {"bw", "1KBps", "unknown unit \"KBps\""},
      {"bw", "0Gbps", "must be positive"},
      {"bw", "1e300Gbps", "too large"},
      {"bw", "200ns", "--bw=\"200ns\": \"ns\" is a time unit"},
      {"bw", "1PiBps", "too large (at most 1PBps)"},
      {"lat", "200", "missing unit"},
      {"lat", "200nsec", "unknown unit"},
      {"lat", "2h", "too large"},
      {"lat", "100Gbps",
       "--lat=\"100Gbps\": \"Gbps\" is a bandwidth unit (gigabits per second), but a time is expected"},
      {"lat", "1min", "unknown unit \"min\""},
      {"speed", "2.5GHz", "unknown unit"},
      {"speed", "nan", "expected a speed"},
      {"speed", "2Ef", "too large (at most 1Ef)"},
      {"speed", "0f", "must be positive"},
      {"prefix", "node-1", "must not end with a digit"},
      {"prefix", "node\"x", "may only hold"},
      {"id", "", "must not be empty"},
      {"description", "two -- dashes", "cannot hold \"--\""},
      {"description", "ends with -", "end with '-'"},
      {"routing", "Full", "expected Floyd, Dijkstra or DijkstraCache"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    platgen_spec_t s = spec_of(PLATGEN_TORUS, "4,4");
    s.explicit_form  = 1;
    char* field      = strcmp(cases[i].field, "bw") == 0            ? s.bw
                       : strcmp(cases[i].field, "lat") == 0         ? s.lat
                       : strcmp(cases[i].field, "speed") == 0       ? s.speed
                       : strcmp(cases[i].field, "prefix") == 0      ? s.prefix
                       : strcmp(cases[i].field, "id") == 0          ? s.id
                       : strcmp(cases[i].field, "description") == 0 ? s.description
                                                                    : s.routing;
    strcpy(field, cases[i].value);
    expect_invalid(&s, cases[i].fragment);
  }
  platgen_spec_t s = spec_of(PLATGEN_TORUS, "4,4");
  s.cores          = 0;
  expect_invalid(&s, "--cores");
  s = spec_of(PLATGEN_FLAT, "0");
  expect_invalid(&s, "from 1 to");
}

Test(platgen, rejects_options_of_other_topologies)
{
  platgen_spec_t s = spec_of(PLATGEN_TORUS, "4,4");
  strcpy(s.bb_bw, "1Tbps");
  expect_invalid(&s, "only a flat cluster has a backbone");
  s = spec_of(PLATGEN_FATTREE, "2;4,4;1,2;1,2");
  strcpy(s.uplink_bw, "400Gbps"); /* compact FAT_TREE: one bandwidth for every cable */
  expect_invalid(&s, "--uplink-bw");
  s = spec_of(PLATGEN_TORUS, "4,4");
  strcpy(s.routing, "Dijkstra");
  expect_invalid(&s, "only the explicit form");
}

Test(platgen, explicit_forms_stay_loadable)
{
  platgen_spec_t s = spec_of(PLATGEN_TORUS, "16,16,16"); /* 4,096 netpoints: too many for Floyd's n^3 */
  s.explicit_form  = 1;
  expect_invalid(&s, "DijkstraCache");
  strcpy(s.routing, "DijkstraCache");
  vn_error_t err;
  cr_expect_eq(platgen_validate(&s, &err), 0);
  s               = spec_of(PLATGEN_TORUS, "64,64,32");
  s.explicit_form = 1;
  strcpy(s.routing, "DijkstraCache");
  expect_invalid(&s, "more than 65536");
  s = spec_of(PLATGEN_TORUS, "64,64,32"); /* the compact form is fine */
  cr_expect_eq(platgen_validate(&s, &err), 0);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Command line and files.                                                                                       */

Test(platgen, cli_writes_to_stdout)
{
  const char* args[] = {"torus", "2,2", "--bw=10Gbps", "--lat", "1us", NULL};
  cli_run_t r        = run_cli(args);
  cr_expect_eq(r.status, 0, "stderr: %s", r.err);
  cr_expect(strstr(r.out, "<?xml") == r.out);
  cr_expect(strstr(r.out, "bw=\"10Gbps\" lat=\"1us\"") != NULL);
  cr_expect_str_empty(r.err);
  cli_free(&r);
  const char* help[] = {"--help", NULL};
  r                  = run_cli(help);
  cr_expect_eq(r.status, 0);
  cr_expect(strstr(r.out, "usage: vnicsim platform TOPOLOGY") != NULL);
  cli_free(&r);
}

Test(platgen, cli_bad_parameters_exit_2_with_a_message)
{
  const char* a1[] = {NULL};
  expect_cli_error(a1, "a TOPOLOGY (single, flat, fattree, torus or dragonfly) is needed");
  const char* a2[] = {"hypercube", "4", NULL};
  expect_cli_error(a2, "unknown topology");
  const char* a3[] = {"fattree", "2;4,4;1,2", NULL};
  expect_cli_error(a3, "four fields");
  const char* a4[] = {"torus", "4,0,4", NULL};
  expect_cli_error(a4, "dimension \"0\"");
  const char* a5[] = {"torus", NULL};
  expect_cli_error(a5, "needs its parameters");
  const char* a6[] = {"torus", "4,4", "--bw", "100", NULL};
  expect_cli_error(a6, "--bw=\"100\": missing unit");
  const char* a7[] = {"torus", "4,4", "--frobnicate", NULL};
  expect_cli_error(a7, "unknown option");
  const char* a8[] = {"torus", "4,4", "--lat", NULL};
  expect_cli_error(a8, "needs a value");
  const char* a9[] = {"flat", NULL};
  expect_cli_error(a9, "needs a host count");
  const char* a10[] = {"flat", "16", "--hosts", "8", NULL};
  expect_cli_error(a10, "differs");
  const char* a11[] = {"flat", "99999999999", NULL};
  expect_cli_error(a11, "from 1 to 1048576");
  const char* a12[] = {"torus", "4,4", "4,4", NULL};
  expect_cli_error(a12, "unexpected argument");
  const char* a13[] = {"dragonfly", "6,1;4,1;5,1;2", NULL};
  expect_cli_error(a13, "routers per chassis");
  const char* a14[] = {"torus", "4,4", "--cores", "0", NULL};
  expect_cli_error(a14, "--cores");
  const char* a15[] = {"single", "4", NULL};
  expect_cli_error(a15, "takes no parameters");
}

Test(platgen, output_file_is_written_atomically)
{
  char dir[4096], path[4200];
  test_dir(dir, sizeof dir);
  snprintf(path, sizeof path, "%s/torus.xml", dir);

  const char* good[] = {"torus", "4,2,2", "-o", path, NULL};
  cli_run_t r        = run_cli(good);
  cr_expect_eq(r.status, 0, "%s", r.err);
  cr_expect_str_empty(r.out, "with -o nothing goes to stdout");
  cli_free(&r);
  struct stat st;
  cr_assert_eq(stat(path, &st), 0);
  cr_expect(st.st_size > 0);
  cr_expect_eq(files_in(dir), 1, "no temporary left behind");

  /* a bad spec neither creates nor replaces the file */
  const char* bad[] = {"torus", "4,0", "-o", path, NULL};
  r                 = run_cli(bad);
  cr_expect_eq(r.status, VN_EXIT_INPUT);
  cli_free(&r);
  struct stat st2;
  cr_assert_eq(stat(path, &st2), 0);
  cr_expect_eq(st2.st_size, st.st_size, "the old file is intact");
  cr_expect_eq(files_in(dir), 1);

  /* an output folder that does not exist is a bad input too */
  char nowhere[4300];
  snprintf(nowhere, sizeof nowhere, "%s/no/such/dir/p.xml", dir);
  const char* lost[] = {"torus", "4,4", "--output", nowhere, NULL};
  r                  = run_cli(lost);
  cr_expect_eq(r.status, VN_EXIT_INPUT);
  cr_expect(strstr(r.err, "cannot create the output file") != NULL, "%s", r.err);
  cli_free(&r);

  /* platgen_write_file directly */
  platgen_spec_t s = spec_of(PLATGEN_SINGLE, NULL);
  vn_error_t err;
  vn_error_clear(&err);
  snprintf(path, sizeof path, "%s/one.xml", dir);
  cr_expect_eq(platgen_write_file(path, &s, &err), 0);
  cr_expect_eq(files_in(dir), 2);
  unlink(path);
  snprintf(path, sizeof path, "%s/torus.xml", dir);
  unlink(path);
  rmdir(dir);
}
