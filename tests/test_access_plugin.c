/* test_access_plugin: a mode is one file plus one registry line. The fixture mode (tests/modes/access_fixture.c,
 * compiled only into this test) is registered at run time and used end to end through every hook: its parameters
 * reach the parameter table, --set, sweeps, the manifest and the docs listing; its check refuses a bad value naming
 * its own parameter; its queue assignment puts consumers on distinct hardware queues; a point runs in this process
 * with its per-host and per-consumer state, step and idle; and what it claims to guarantee holds. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access_fixture.h"
#include "model/sim.h"
#include "model/wrtable.h"
#include "scenario/scenario.h"
#include "vn_test.h"

static void register_fixture(void)
{
  cr_assert_eq(access_register(&access_fixture_ops), 0, "the fixture mode could not be registered");
}

/* A one-host scenario for the fixture: 4 native cores and 1 VM of 2 vCPUs over 2 hardware queues, one WR
 * outstanding per consumer. */
static scenario_t load(const char* sweep)
{
  char* dir = vn_scratch("plugin");
  char body[1024];
  snprintf(body, sizeof body,
           "  <platform file=\"@FIXTURES@/one-host.xml\"/>\n"
           "  <nic queue-depth=\"16\" queues=\"2\"/>\n"
           "  <consumers cores-per-host=\"4\" vms-per-host=\"1\" vcpus-per-vm=\"2\"/>\n"
           "  <workload arrival=\"closed\" window=\"1\" requests=\"50\" pattern=\"local\"/>\n%s",
           sweep);
  char* path = vn_scenario(dir, "fixture.xml", "name=\"fixture\" seed=\"7\"", body);
  vn_error_t err;
  scenario_t sc = scenario_load(path, &err);
  cr_assert_not_null(sc, "%s", err.message);
  cr_assert_eq(scenario_set(sc, "access.mode=fixture", &err), 0, "%s", err.message);
  free(path);
  free(dir);
  return sc;
}

Test(access_plugin, parameters_join_the_table)
{
  register_fixture();
  const param_desc_t* gap = params_find("access.fixture-gap");
  cr_assert_not_null(gap, "the mode's parameter is not in the table");
  cr_expect_str_eq(gap->element, "access");
  cr_expect_str_eq(gap->attribute, "fixture-gap");
  cr_expect_not_null(params_find_attr("access", "fixture-spread"));
  /* in document order: after the core <access> parameters, before <consumers> */
  size_t i = params_index(gap);
  cr_expect_str_eq(params_get(i - 1)->element, "access");
  cr_expect(strcmp(params_get(i + 2)->element, "access") == 0 || strcmp(params_get(i + 2)->element, "consumers") == 0);
  /* defaults, formatting and --set go through the mode's own block */
  params_t p;
  params_init(&p);
  char buf[64];
  params_format(&p, gap, buf, sizeof buf);
  cr_expect_str_eq(buf, "100ns");
  char err[256];
  cr_assert_eq(params_set(&p, params_find("access.fixture-gap"), "2.5us", err, sizeof err), 0, "%s", err);
  params_format(&p, gap, buf, sizeof buf);
  cr_expect_str_eq(buf, "2.5us");
  cr_expect_eq(params_set(&p, params_find("access.fixture-spread"), "socket", err, sizeof err), -1);
  cr_expect(strstr(err, "core, vm") != NULL, "%s", err);
  /* the block is the mode's own: the speculative mode's parameters are untouched */
  params_format(&p, params_find("access.replay-window"), buf, sizeof buf);
  cr_expect_str_eq(buf, "256");
  const struct {
    double gap_s;
    int spread;
  }* block = access_params(&p, &access_fixture_ops);
  cr_expect_eq(block->gap_s, 2.5e-6);
}

Test(access_plugin, set_sweep_check_and_manifest)
{
  register_fixture();
  scenario_t sc = load("  <sweep param=\"access.fixture-gap\" values=\"0s 1us\"/>\n");
  vn_error_t err;
  cr_assert_eq(scenario_check(sc, &err), 0, "%s", err.message);
  cr_assert_eq(scenario_point_count(sc), 2);
  point_t pt;
  cr_assert_eq(scenario_point(sc, 1, &pt, &err), 0);
  char buf[64];
  params_format(&pt.params, params_find("access.fixture-gap"), buf, sizeof buf);
  cr_expect_str_eq(buf, "1us", "the sweep value reaches the point");
  cr_expect_str_eq(pt.values[0], "1e-06");
  /* the manifest lists the mode's parameters with the rest */
  char* json = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&json, &len);
  scenario_write_json(sc, f, 0);
  fclose(f);
  cr_expect(strstr(json, "fixture-gap") != NULL, "the manifest does not carry fixture-gap:\n%s", json);
  free(json);
  scenario_free(sc);
  /* the mode's check blames its own parameter */
  sc = load("");
  cr_assert_eq(scenario_set(sc, "access.fixture-gap=2ms", &err), 0, "%s", err.message);
  fixture_calls.check = 0;
  cr_assert_eq(scenario_check(sc, &err), -1);
  cr_expect_gt(fixture_calls.check, 0);
  cr_expect(strstr(err.attribute, "fixture-gap") != NULL, "blamed %s", err.attribute);
  cr_expect_str_eq(err.value, "2ms");
  cr_expect(strstr(err.message, "at most 1ms") != NULL, "%s", err.message);
  scenario_free(sc);
}

Test(access_plugin, a_point_runs_through_every_hook)
{
  register_fixture();
  scenario_t sc = load("");
  cr_assert_eq(scenario_set(sc, "access.fixture-gap=1us", NULL), 0);
  vn_error_t err;
  cr_assert_eq(scenario_check(sc, &err), 0, "%s", err.message);
  point_t pt;
  cr_assert_eq(scenario_point(sc, 0, &pt, &err), 0);
  memset(&fixture_calls, 0, sizeof fixture_calls);
  char* argv[] = {"vnicsim", NULL};
  sim_output_t out;
  cr_assert_eq(sim_run(&pt.params, pt.seed, 1, argv, NULL, &out, &err), 0, "%s", err.message);

  cr_expect_eq(fixture_calls.host_create, 1);
  cr_expect_eq(fixture_calls.host_destroy, 1);
  cr_expect_eq(fixture_calls.consumer_create, 6);
  cr_expect_eq(fixture_calls.consumer_destroy, 6);
  cr_expect_eq(fixture_calls.queue_of, 6);
  cr_expect_gt(fixture_calls.step, 0);
  cr_expect_gt(fixture_calls.idle, 0);
  /* spread="core": local index mod 2 (4 native cores, then the VM's 2 vCPUs) */
  int expect_q[] = {0, 1, 0, 1, 0, 1};
  for (int k = 0; k < 6; k++)
    cr_expect_eq(fixture_calls.queues[k], expect_q[k], "consumer %d", k);

  cr_expect_eq(out.metrics.wr_created, 300);
  cr_expect_eq(out.metrics.wr_delivered, 300);
  cr_expect_eq(out.checks.queue_capacity, 8, "16 entries over 2 queues");
  /* what the mode claims holds: no drop, in order */
  cr_assert(access_fixture_ops.guarantees & ACCESS_NEVER_REJECTED);
  cr_expect_eq(out.checks.nic_drops, 0);
  cr_expect_eq(out.checks.order_violations, 0);
  /* each WR went to its consumer's queue and waited fixture-gap for access */
  size_t n = wrtable_count(out.wrs);
  cr_assert_eq(n, 300);
  for (size_t i = 0; i < n; i++) {
    const wr_t* wr = wrtable_at(out.wrs, i);
    cr_expect_eq(wr->queue, expect_q[wr->consumer], "WR %zu of consumer %d", i, wr->consumer);
    cr_expect_eq(wr->access_wait_s, 1e-6);
    cr_expect(fabs(wr->t_accepted - wr->t_created - (1e-6 + pt.params.issue_cost_s + pt.params.pio_write_s)) < 1e-12,
              "WR %zu accepted %g after creation", i, wr->t_accepted - wr->t_created);
  }
  sim_output_free(&out);
  scenario_free(sc);
}

Test(access_plugin, registration_is_closed_once_the_table_is_used)
{
  register_fixture();
  cr_expect_not_null(params_find("access.fixture-gap"));
  static const struct access_ops late = {.name = "late"};
  cr_expect_eq(access_register(&late), -1, "a mode registered after the table was built would have no parameters");
  cr_expect_eq(access_register(&access_fixture_ops), -1, "a name cannot be registered twice");
  cr_expect_null(access_find("late"));
}
