/* test_params: the parameter table (defaults, ranges, formats), its key lookups, and the cross-field rules. */
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/units.h"
#include "model/access/access.h"
#include "scenario/param_table.h"

static params_t* fresh(void)
{
  params_t* p = malloc(sizeof *p);
  cr_assert_not_null(p);
  params_init(p);
  return p;
}

/* params_set() by key; the key must exist. */
static int set_key(params_t* p, const char* key, const char* text, char* err, size_t len)
{
  const param_desc_t* d = params_find(key);
  cr_assert_not_null(d, "no parameter %s", key);
  return params_set(p, d, text, err, len);
}

static void set_ok(params_t* p, const char* key, const char* text)
{
  char err[512];
  int rc = set_key(p, key, text, err, sizeof err);
  cr_assert_eq(rc, 0, "%s=\"%s\" should be accepted, got: %s", key, text, err);
}

static void set_fails(const char* key, const char* text, const char* reason)
{
  params_t* p      = fresh();
  params_t* before = fresh();
  memcpy(before, p, sizeof *p);
  char err[512] = "";
  int rc        = set_key(p, key, text, err, sizeof err);
  cr_assert_eq(rc, -1, "%s=\"%s\" should be refused", key, text);
  cr_assert(strstr(err, reason) != NULL, "%s=\"%s\": reason should mention \"%s\", got: %s", key, text, reason, err);
  cr_assert_eq(memcmp(p, before, sizeof *p), 0, "a refused value must leave the parameters unchanged");
  free(p);
  free(before);
}

static double unit(unit_kind_t kind, const char* text)
{
  double v;
  char err[256];
  cr_assert_eq(units_parse(kind, text, &v, err, sizeof err), 0, "%s", err);
  return v;
}

/* The canonical text of parameter @p key of @p p. */
static void expect_param_text(const params_t* p, const char* key, const char* text)
{
  char buf[512];
  cr_assert_not_null(params_find(key), "%s is not a parameter", key);
  params_format(p, params_find(key), buf, sizeof buf);
  cr_expect_str_eq(buf, text, "%s", key);
}

Test(params, defaults_follow_the_model)
{
  params_t* p = fresh();
  cr_expect_eq(p->issue_cost_s, unit(UNIT_TIME, "50ns"));
  cr_expect_eq(p->pio_write_s, unit(UNIT_TIME, "200ns"));
  cr_expect_eq(p->pio_read_s, unit(UNIT_TIME, "1us"));
  cr_expect_eq(p->notify_latency_s, unit(UNIT_TIME, "300ns"));
  cr_expect_eq(p->service_time_s, unit(UNIT_TIME, "200ns"));
  cr_expect_eq(p->service_dist, SERVICE_FIXED);
  cr_expect_eq(p->dma_bandwidth_Bps, 16e9);
  cr_expect_eq(p->dma_latency_s, unit(UNIT_TIME, "500ns"));
  cr_expect_eq(p->queue_depth, 64);
  cr_expect_eq(p->queues, 1);
  cr_expect_eq(p->lock_acquire_s, unit(UNIT_TIME, "20ns"));
  cr_expect_eq(p->lock_handoff_s, unit(UNIT_TIME, "100ns"));
  cr_expect_eq(p->trap_s, 1.5e-6);
  cr_expect_eq(p->header_B, 64);
  cr_expect_str_eq(p->mode, "speculative");
  /* the speculative mode's own parameters (declared in src/model/access/speculative.c) */
  expect_param_text(p, "access.replay-window", "256");
  expect_param_text(p, "access.detect", "notify");
  expect_param_text(p, "access.check-every", "64");
  cr_expect_eq(p->backoff_s, 0);
  cr_expect_eq(p->backoff_max_s, unit(UNIT_TIME, "10us"));
  cr_expect_eq(p->backoff_policy, BACKOFF_FIXED);
  cr_expect_eq(p->credit_refresh, CREDIT_ON_EMPTY);
  cr_expect_eq(p->on_reject, ON_REJECT_REPLAY);
  cr_expect_eq(p->cores_per_host, 1);
  cr_expect_eq(p->vms_per_host, 0);
  cr_expect_eq(p->vcpus_per_vm, 1);
  cr_expect_eq(p->arrival, ARRIVAL_CLOSED);
  cr_expect_eq(p->rate_per_s, 1e6);
  cr_expect_eq(p->window, 4);
  cr_expect_eq(p->think_s, 0);
  cr_expect_eq(p->requests, 1000);
  cr_expect_eq(p->duration_s, 0);
  cr_expect_eq(p->size_B, 64);
  cr_expect_eq(p->size_dist, SIZE_FIXED);
  cr_expect_eq(p->size_large_B, 4096);
  cr_expect_eq(p->large_fraction, 0.1);
  cr_expect_eq(p->pattern, PATTERN_LOCAL);
  cr_expect_str_eq(p->hot_host, "");
  cr_expect_eq(p->hot_fraction, 0.5);
  cr_expect_eq(p->warmup, 0.1);
  cr_expect_eq(p->seed, 1);
  cr_expect_eq(p->replications, 1);
  cr_expect_str_eq(p->network_model, "LV08");
  cr_expect_str_eq(p->hosts, "all");
  cr_expect_eq(params_consumers_per_host(p), 1);
  for (size_t i = 0; i < params_count(); i++)
    cr_expect_not(params_is_given(p, params_get(i)), "%s is a default, not given", params_get(i)->key);
  free(p);
}

Test(params, table_is_consistent)
{
  cr_assert_leq(params_count(), PARAMS_MAX_KEYS);
  cr_assert_geq(params_count(), 46);
  for (size_t i = 0; i < params_count(); i++) {
    const param_desc_t* d = params_get(i);
    char key[128];
    snprintf(key, sizeof key, "%s.%s", d->element, d->attribute);
    cr_expect_str_eq(d->key, key);
    cr_expect_eq(params_find(d->key), d, "%s is found by key", d->key);
    cr_expect_eq(params_find_attr(d->element, d->attribute), d);
    cr_expect_eq(params_index(d), i);
    int core_field = d->offset + d->size <= offsetof(params_t, given);
    int mode_field = d->offset >= offsetof(params_t, mode_area) &&
                     d->offset + d->size <= offsetof(params_t, mode_area) + sizeof(((params_t*)0)->mode_area);
    cr_expect(core_field || mode_field, "%s lies in params_t (a core field or an access mode's block)", d->key);
    cr_expect(d->doc != NULL && strlen(d->doc) > 10, "%s has a doc line", d->key);
    if (d->kind == PARAM_ENUM || d->kind == PARAM_CHOICE)
      cr_expect(d->names != NULL && d->names[0] != NULL, "%s has names", d->key);
    int ranged = d->kind != PARAM_ENUM && d->kind != PARAM_CHOICE && d->kind != PARAM_IDENT &&
                 d->kind != PARAM_STRING && d->kind != PARAM_HOSTS && d->kind != PARAM_PATH;
    if (ranged)
      cr_expect_lt(d->min, d->max, "%s has a range", d->key);
    for (size_t j = 0; j < i; j++)
      cr_expect_str_neq(params_get(j)->key, d->key, "duplicate key");
  }
  cr_expect_null(params_get(params_count()));
  cr_expect_null(params_find("nic.queue_depth"));
  cr_expect_null(params_find("nic"));
  cr_expect_null(params_find(NULL));
  cr_expect(params_is_element("workload"));
  cr_expect_not(params_is_element("sweep"));
}

Test(params, network_models)
{
  const char* const wanted[] = {"LV08", "CM02", "ns-3", "IB"};
  for (size_t w = 0; w < 4; w++) {
    int found = 0;
    for (size_t i = 0; params_network_model_names[i] != NULL; i++)
      found |= strcmp(params_network_model_names[i], wanted[w]) == 0;
    cr_expect(found, "%s is a network model", wanted[w]);
  }
  params_t* p = fresh();
  set_ok(p, "platform.network-model", "ns-3");
  cr_expect_str_eq(p->network_model, "ns-3");
  free(p);
  set_fails("platform.network-model", "lv08", "valid values: LV08, CM02, ns-3");
  set_fails("platform.network-model", "", "valid values");
}

/* Every default, written canonically and read back, gives the same bytes: defaults and user values share a parser. */
Test(params, canonical_text_round_trips)
{
  params_t* p = fresh();
  set_ok(p, "platform.file", "x.xml");
  set_ok(p, "workload.hot-host", "h1");
  set_ok(p, "platform.hosts", " h0 , h1 ");
  for (size_t i = 0; i < params_count(); i++) {
    const param_desc_t* d = params_get(i);
    char text[PARAMS_PATH_MAX];
    params_format(p, d, text, sizeof text);
    if (text[0] == '\0' && (d->flags & PARAM_OPTIONAL))
      continue; /* off */
    params_t* q = fresh();
    char err[512];
    cr_assert_eq(params_set(q, d, text, err, sizeof err), 0, "%s: \"%s\" does not read back: %s", d->key, text, err);
    cr_expect_eq(memcmp((char*)p + d->offset, (char*)q + d->offset, d->size), 0, "%s: \"%s\" reads back differently",
                 d->key, text);
    free(q);
  }
  free(p);
}

static void expect_format(params_t* p, const char* key, const char* canonical, const char* csv)
{
  char buf[512];
  params_format(p, params_find(key), buf, sizeof buf);
  cr_expect_str_eq(buf, canonical, "%s canonical", key);
  params_format_csv(p, params_find(key), buf, sizeof buf);
  cr_expect_str_eq(buf, csv, "%s CSV", key);
}

Test(params, formats)
{
  params_t* p = fresh();
  expect_format(p, "nic.service-time", "200ns", "2e-07");
  expect_format(p, "nic.dma-bandwidth", "16GBps", "1.6e+10");
  expect_format(p, "nic.queue-depth", "64", "64");
  expect_format(p, "workload.size-large", "4KiB", "4096");
  expect_format(p, "workload.rate", "1M/s", "1000000");
  expect_format(p, "workload.warmup", "0.1", "0.1");
  expect_format(p, "access.detect", "notify", "notify");
  expect_format(p, "scenario.seed", "1", "1");
  expect_format(p, "workload.requests", "1000", "1000");
  expect_format(p, "workload.duration", "", ""); /* off */
  set_ok(p, "platform.hosts", "h0, h1");
  expect_format(p, "platform.hosts", "h0,h1", "h0,h1"); /* the cell's text: the CSV writer quotes it */
  set_ok(p, "workload.hot-host", "a\"b");
  expect_format(p, "workload.hot-host", "a\"b", "a\"b");
  set_ok(p, "workload.duration", "2ms");
  expect_format(p, "workload.duration", "2ms", "0.002");
  expect_format(p, "workload.requests", "", "");
  free(p);
}

Test(params, ranges)
{
  set_fails("nic.queue-depth", "0", "must be at least 1");
  set_fails("nic.queue-depth", "-4", "must be at least 1");
  set_fails("nic.queue-depth", "10000000000", "must be at most 1000000000");
  set_fails("nic.queue-depth", "9999999999999999999999", "out of range");
  set_fails("nic.queue-depth", "64.5", "not a whole number");
  set_fails("nic.queue-depth", "1e3", "not a whole number");
  set_fails("nic.queue-depth", "64B", "unexpected \"B\"");
  set_fails("nic.queue-depth", "", "empty value");
  set_fails("nic.queue-depth", "many", "not a number");
  set_fails("nic.service-time", "0s", "must be greater than 0s");
  set_fails("nic.service-time", "-1ns", "must be greater than 0s");
  set_fails("nic.service-time", "1e300s", "must be at most 1000000s");
  set_fails("nic.pio-read", "-1ns", "must be at least 0s");
  set_fails("nic.dma-bandwidth", "0Bps", "greater than");
  set_fails("nic.header", "-1B", "at least 0B");
  set_fails("workload.warmup", "1", "must be less than 1");
  set_fails("workload.warmup", "-0.1", "at least 0");
  set_fails("workload.hot-fraction", "1.5", "at most 1");
  set_fails("workload.large-fraction", "NaN", "NaN");
  set_fails("workload.size", "0B", "at least 1B");
  set_fails("workload.duration", "0s", "greater than");
  set_fails("workload.requests", "0", "at least 1");
  set_fails("workload.rate", "-1/s", "at least 0/s");
  set_fails("consumers.cores-per-host", "1000001", "at most 1000000");
  set_fails("consumers.vcpus-per-vm", "0", "at least 1");
  set_fails("scenario.seed", "-1", "at least 0");
  set_fails("scenario.seed", "4294967296", "at most 4294967295");
  set_fails("scenario.replications", "0", "at least 1");
  params_t* p = fresh();
  set_ok(p, "workload.warmup", "0.99");
  set_ok(p, "workload.warmup", "0");
  set_ok(p, "workload.hot-fraction", "1");
  set_ok(p, "consumers.cores-per-host", "0");
  set_ok(p, "access.backoff", "0s");
  set_ok(p, "scenario.seed", "4294967295");
  set_ok(p, "nic.queue-depth", " 32 ");
  cr_expect_eq(p->queue_depth, 32);
  free(p);
}

Test(params, describe_range)
{
  char buf[256];
  params_describe_range(params_find("nic.queue-depth"), buf, sizeof buf);
  cr_expect_str_eq(buf, "[1, 1000000000]");
  params_describe_range(params_find("nic.service-time"), buf, sizeof buf);
  cr_expect_str_eq(buf, "(0s, 1000000s]");
  params_describe_range(params_find("workload.warmup"), buf, sizeof buf);
  cr_expect_str_eq(buf, "[0, 1)");
  params_describe_range(params_find("access.detect"), buf, sizeof buf);
  cr_expect_str_eq(buf, "notify, poll");
}

Test(params, enums_are_case_sensitive_and_listed)
{
  set_fails("access.detect", "Notify", "valid values: notify, poll");
  set_fails("workload.pattern", "ring", "local, uniform, neighbor, permutation, hotspot, all-to-all");
  set_fails("workload.arrival", "open", "closed, poisson, deterministic");
  set_fails("workload.size-dist", "pareto", "fixed, exponential, bimodal");
  set_fails("nic.service-dist", "", "empty value");
  set_fails("access.backoff-policy", "linear", "fixed, exponential");
  set_fails("access.credit-refresh", "never", "on-empty, always");
  set_fails("access.on-reject", "retry", "replay, drop");
  params_t* p = fresh();
  set_ok(p, "workload.pattern", "all-to-all");
  cr_expect_eq(p->pattern, PATTERN_ALL_TO_ALL);
  set_ok(p, "access.credit-refresh", "always");
  cr_expect_eq(p->credit_refresh, CREDIT_ALWAYS);
  free(p);
}

Test(params, text_kinds)
{
  set_fails("scenario.name", "my scenario", "character ' ' not allowed");
  set_fails("scenario.name", "", "empty value");
  set_fails("scenario.name", ".hidden", "must not start with '.'");
  set_fails("access.mode", "", "empty value");
  set_fails("access.mode", "lo/ck", "not allowed");
  set_fails("platform.file", "", "empty path");
  set_fails("workload.hot-host", "a\tb", "control characters");
  char big[300];
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  set_fails("scenario.name", big, "too long");
  params_t* p = fresh();
  set_ok(p, "access.mode", "no-such-mode"); /* a word; whether the mode exists is params_validate's business */
  set_ok(p, "workload.hot-host", "");
  free(p);
}

Test(params, hosts)
{
  params_t* p = fresh();
  set_ok(p, "platform.hosts", "all");
  cr_expect_str_eq(p->hosts, "all");
  set_ok(p, "platform.hosts", "16");
  cr_expect_str_eq(p->hosts, "16");
  set_ok(p, "platform.hosts", " node-1 ,node-2,  node-3 ");
  cr_expect_str_eq(p->hosts, "node-1,node-2,node-3");
  set_ok(p, "platform.hosts", "h0");
  cr_expect_str_eq(p->hosts, "h0");
  free(p);
  set_fails("platform.hosts", "0", "between 1 and 1000000");
  set_fails("platform.hosts", "99999999999", "between 1 and 1000000");
  set_fails("platform.hosts", "h0,,h1", "empty host name");
  set_fails("platform.hosts", "h0,", "empty host name");
  set_fails("platform.hosts", ",h0", "empty host name");
  set_fails("platform.hosts", "h0, h1, h0", "\"h0\" is listed twice");
  set_fails("platform.hosts", "", "empty host selection");
  set_fails("platform.hosts", "  ", "empty host selection");
}

static void expect_invalid(params_t* p, const char* key, const char* reason)
{
  char err[512]       = "";
  const char* bad_key = NULL;
  cr_assert_eq(params_validate(p, err, sizeof err, &bad_key), -1, "should be invalid: %s", reason);
  cr_expect_str_eq(bad_key, key, "blamed on %s, expected %s (%s)", bad_key, key, err);
  cr_expect(strstr(err, reason) != NULL, "reason should mention \"%s\", got: %s", reason, err);
}

Test(params, validate_defaults)
{
  params_t* p = fresh();
  char err[512];
  const char* bad_key = "untouched";
  cr_expect_eq(params_validate(p, err, sizeof err, &bad_key), 0, "%s", err);
  cr_expect_str_eq(bad_key, "untouched");
  cr_expect_eq(params_validate(p, err, sizeof err, NULL), 0);
  free(p);
}

Test(params, requests_and_duration)
{
  params_t* p = fresh();
  set_ok(p, "workload.duration", "1ms");
  cr_expect_eq(p->requests, 0, "a duration turns the default request count off");
  char err[512];
  cr_expect_eq(params_validate(p, err, sizeof err, NULL), 0, "%s", err);
  set_ok(p, "workload.requests", "10");
  expect_invalid(p, "workload.duration", "requests and duration are both given");
  free(p);

  p = fresh();
  set_ok(p, "workload.requests", "10");
  set_ok(p, "workload.duration", "1ms");
  cr_expect_eq(p->requests, 10, "a given request count stays");
  expect_invalid(p, "workload.duration", "both given");
  free(p);
}

Test(params, validate_rules)
{
  params_t* p = fresh();
  set_ok(p, "workload.arrival", "poisson");
  set_ok(p, "workload.rate", "0/s");
  expect_invalid(p, "workload.rate", "open-loop arrival \"poisson\" needs a rate");
  set_ok(p, "workload.arrival", "closed");
  char err[512];
  cr_expect_eq(params_validate(p, err, sizeof err, NULL), 0, "a closed loop ignores the rate: %s", err);
  free(p);

  p = fresh();
  set_ok(p, "access.backoff", "1us");
  set_ok(p, "access.backoff-max", "100ns");
  expect_invalid(p, "access.backoff-max", "backoff-max (100ns) is smaller than backoff (1us)");
  free(p);

  p = fresh();
  set_ok(p, "nic.queues", "3");
  expect_invalid(p, "nic.queues", "queue-depth (64) is not divisible by queues (3)");
  set_ok(p, "nic.queues", "4");
  expect_invalid(p, "nic.queues", "this mode uses one hardware queue: queues must be 1");
  set_ok(p, "nic.queues", "1");
  cr_expect_eq(params_validate(p, err, sizeof err, NULL), 0, "%s", err);
  free(p);

  p = fresh();
  set_ok(p, "consumers.cores-per-host", "0");
  expect_invalid(p, "consumers.cores-per-host", "no consumer on a host");
  set_ok(p, "consumers.vms-per-host", "1");
  cr_expect_eq(params_validate(p, err, sizeof err, NULL), 0, "one VM with one vCPU is a consumer: %s", err);
  cr_expect_eq(params_consumers_per_host(p), 1);
  set_ok(p, "consumers.vms-per-host", "1000");
  set_ok(p, "consumers.vcpus-per-vm", "1001");
  expect_invalid(p, "consumers.vms-per-host", "is more than 1000000");
  free(p);

  p = fresh();
  set_ok(p, "scenario.seed", "4294967295");
  set_ok(p, "scenario.replications", "2");
  expect_invalid(p, "scenario.seed", "reuse seeds");
  free(p);

  p = fresh();
  set_ok(p, "platform.hosts", "h0,h1");
  set_ok(p, "workload.pattern", "hotspot");
  set_ok(p, "workload.hot-host", "h9");
  expect_invalid(p, "workload.hot-host", "\"h9\" is not among the selected hosts");
  set_ok(p, "workload.hot-host", "h1");
  cr_expect_eq(params_validate(p, err, sizeof err, NULL), 0, "%s", err);
  set_ok(p, "platform.hosts", "2");
  set_ok(p, "workload.hot-host", "h9"); /* cannot be known without the platform: the simulator checks it */
  cr_expect_eq(params_validate(p, err, sizeof err, NULL), 0, "%s", err);
  free(p);
}

Test(params, validate_mode)
{
  params_t* p = fresh();
  set_ok(p, "access.mode", "Lock");
  char names[256];
  access_list_names(names, sizeof names);
  expect_invalid(p, "access.mode", "unknown access mode \"Lock\"");
  expect_invalid(p, "access.mode", names);
  for (size_t i = 0; i < access_count(); i++) {
    set_ok(p, "access.mode", access_get(i)->name);
    char err[512];
    cr_expect_eq(params_validate(p, err, sizeof err, NULL), 0, "%s: %s", access_get(i)->name, err);
  }
  free(p);
}
