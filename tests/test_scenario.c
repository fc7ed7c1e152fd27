/* test_scenario: loading good scenario files, --set, sweep expansion order and seeds, the JSON manifest, libxml2's
 * hooks. */
#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/units.h"
#include "scenario/scenario.h"

#define FIXTURES VNICSIM_TESTS_DIR "/fixtures"

static scenario_t load_ok(const char* path)
{
  vn_error_t err;
  scenario_t sc  = scenario_load(path, &err);
  char msg[8192] = "";
  if (sc == NULL)
    vn_error_format(&err, msg, sizeof msg);
  cr_assert_not_null(sc, "%s should load: %s", path, msg);
  cr_assert_not(vn_error_is_set(&err));
  return sc;
}

static double unit(unit_kind_t kind, const char* text)
{
  double v;
  char err[256];
  cr_assert_eq(units_parse(kind, text, &v, err, sizeof err), 0, "%s", err);
  return v;
}

static void write_file(const char* path, const char* text)
{
  mkdir(VNICSIM_TEST_TMP, 0755);
  FILE* f = fopen(path, "w");
  cr_assert_not_null(f, "cannot write %s", path);
  fputs(text, f);
  fclose(f);
}

/* The canonical text of parameter @p key of @p p. */
static void expect_param_text(const params_t* p, const char* key, const char* text)
{
  char buf[512];
  cr_assert_not_null(params_find(key), "%s is not a parameter", key);
  params_format(p, params_find(key), buf, sizeof buf);
  cr_expect_str_eq(buf, text, "%s", key);
}

Test(scenario, full_file_values)
{
  scenario_t sc     = load_ok(FIXTURES "/full.xml");
  const params_t* p = scenario_base(sc);
  cr_expect_str_eq(scenario_path(sc), FIXTURES "/full.xml");
  cr_expect_str_eq(p->name, "full-test");
  cr_expect_eq(p->seed, 7);
  cr_expect_eq(p->replications, 2);
  cr_expect_str_eq(p->platform_file, FIXTURES "/two-hosts.xml", "resolved against the scenario's directory");
  cr_expect_str_eq(p->network_model, "CM02");
  cr_expect_str_eq(p->hosts, "h0,h1");
  cr_expect_eq(p->queue_depth, 32);
  cr_expect_eq(p->queues, 1);
  cr_expect_eq(p->service_time_s, unit(UNIT_TIME, "20ns"));
  cr_expect_eq(p->pio_write_s, unit(UNIT_TIME, "250ns"));
  cr_expect_eq(p->pio_read_s, 1.5e-6);
  cr_expect_eq(p->dma_bandwidth_Bps, 12.5e9);
  cr_expect_eq(p->header_B, 32);
  cr_expect_eq(p->trap_s, 2e-6);
  cr_expect_eq(p->issue_cost_s, unit(UNIT_TIME, "50ns"), "not written: the default");
  cr_expect_str_eq(p->mode, "speculative");
  /* the speculative mode's own parameters (declared in src/model/access/speculative.c) */
  expect_param_text(p, "access.replay-window", "128");
  expect_param_text(p, "access.detect", "poll");
  expect_param_text(p, "access.check-every", "16");
  cr_expect_eq(p->backoff_s, unit(UNIT_TIME, "100ns"));
  cr_expect_eq(p->backoff_max_s, 1e-6);
  cr_expect_eq(p->backoff_policy, BACKOFF_EXPONENTIAL);
  cr_expect_eq(p->cores_per_host, 4);
  cr_expect_eq(p->vms_per_host, 2);
  cr_expect_eq(p->vcpus_per_vm, 2);
  cr_expect_eq(params_consumers_per_host(p), 8);
  cr_expect_eq(p->arrival, ARRIVAL_POISSON);
  cr_expect_eq(p->rate_per_s, 2e6);
  cr_expect_eq(p->requests, 5000);
  cr_expect_eq(p->duration_s, 0);
  cr_expect_eq(p->size_B, 4096);
  cr_expect_eq(p->size_dist, SIZE_BIMODAL);
  cr_expect_eq(p->size_large_B, 1048576);
  cr_expect_eq(p->large_fraction, 0.25);
  cr_expect_eq(p->pattern, PATTERN_HOTSPOT);
  cr_expect_str_eq(p->hot_host, "h1");
  cr_expect_eq(p->hot_fraction, 0.75);
  cr_expect_eq(p->warmup, 0.2);
  cr_expect(params_is_given(p, params_find("workload.requests")));
  cr_expect_not(params_is_given(p, params_find("workload.think")));
  vn_error_t err;
  cr_expect_eq(scenario_check(sc, &err), 0);
  scenario_free(sc);
}

Test(scenario, minimal_file_takes_defaults)
{
  scenario_t sc     = load_ok(FIXTURES "/minimal.xml");
  const params_t* p = scenario_base(sc);
  params_t defaults;
  params_init(&defaults);
  cr_expect_str_eq(p->name, "minimal");
  cr_expect_str_eq(p->platform_file, FIXTURES "/one-host.xml");
  cr_expect_eq(p->queue_depth, defaults.queue_depth);
  cr_expect_eq(p->service_time_s, defaults.service_time_s);
  cr_expect_eq(p->requests, 1000);
  cr_expect_eq(scenario_sweep_count(sc), 0);
  cr_expect_eq(scenario_point_count(sc), 1);
  point_t pt;
  vn_error_t err;
  cr_assert_eq(scenario_point(sc, 0, &pt, &err), 0);
  cr_expect_eq(pt.seed, 1);
  cr_expect_eq(pt.replication, 0);
  cr_expect_eq(scenario_point(sc, 1, &pt, &err), -1, "out of range");
  cr_expect(strstr(err.message, "does not exist") != NULL);
  cr_expect_eq(scenario_check(sc, &err), 0);
  scenario_free(sc);
  scenario_free(NULL);
}

/* Sweeps of full.xml: cores-per-host (1 2 4), pio-read (500ns 1us), config (spec, lock-always); 2 replications.
 * The first sweep is outermost, replications innermost. */
Test(scenario, points_expand_in_documented_order)
{
  scenario_t sc = load_ok(FIXTURES "/full.xml");
  cr_assert_eq(scenario_sweep_count(sc), 3);
  cr_expect_str_eq(scenario_sweep_name(sc, 0), "consumers.cores-per-host");
  cr_expect_str_eq(scenario_sweep_name(sc, 1), "nic.pio-read");
  cr_expect_str_eq(scenario_sweep_name(sc, 2), "config");
  cr_expect_null(scenario_sweep_name(sc, 3));
  cr_expect_eq(scenario_sweep_size(sc, 0), 3);
  cr_expect_eq(scenario_sweep_size(sc, 1), 2);
  cr_expect_eq(scenario_sweep_size(sc, 2), 2);
  cr_expect_eq(sweep_kind(scenario_sweep(sc, 1)), SWEEP_VALUES);
  cr_expect_eq(sweep_kind(scenario_sweep(sc, 2)), SWEEP_CASES);
  cr_expect_str_eq(sweep_name(scenario_sweep(sc, 0)), "consumers.cores-per-host");
  cr_expect_null(scenario_sweep(sc, 3));
  cr_assert_eq(scenario_point_count(sc), 24);

  const long cores[]          = {1, 2, 4};
  const char* cores_csv[]     = {"1", "2", "4"};
  const double pio[]          = {500 / 1e9, 1e-6};
  const char* pio_csv[]       = {"5e-07", "1e-06"};
  const char* config[]        = {"spec", "lock-always"};
  const char* mode[]          = {"speculative", "lock"};
  const credit_refresh_t cr[] = {CREDIT_ON_EMPTY, CREDIT_ALWAYS};
  for (size_t i = 0; i < 24; i++) {
    point_t pt;
    vn_error_t err;
    cr_assert_eq(scenario_point(sc, i, &pt, &err), 0);
    size_t rep = i % 2;
    size_t c   = i / 2;
    size_t k   = c % 2;       /* config, the last sweep: fastest after replications */
    size_t j   = (c / 2) % 2; /* pio-read */
    size_t m   = c / 4;       /* cores-per-host, the first sweep: slowest */
    cr_expect_eq(pt.index, i);
    cr_expect_eq(pt.combination, c);
    cr_expect_eq(pt.replication, (long)rep);
    cr_expect_eq(pt.seed, 7 + rep, "point %zu: seed = scenario seed + replication", i);
    cr_expect_eq(pt.params.seed, 7);
    cr_expect_eq(pt.params.cores_per_host, cores[m], "point %zu", i);
    cr_expect_eq(pt.params.pio_read_s, pio[j], "point %zu", i);
    cr_expect_str_eq(pt.params.mode, mode[k], "point %zu", i);
    cr_expect_eq(pt.params.credit_refresh, cr[k], "point %zu", i);
    cr_expect_str_eq(pt.values[0], cores_csv[m]);
    cr_expect_str_eq(pt.values[1], pio_csv[j]);
    cr_expect_str_eq(pt.values[2], config[k]);
    cr_expect_eq(pt.params.queue_depth, 32, "unswept parameters keep the file's value");
  }
  scenario_free(sc);
}

Test(scenario, set_overrides_the_base_and_sweeps_override_set)
{
  scenario_t sc = load_ok(FIXTURES "/full.xml");
  vn_error_t err;
  cr_assert_eq(scenario_set(sc, "nic.queue-depth=16", &err), 0, "%s", err.message);
  cr_assert_eq(scenario_set(sc, "consumers.cores-per-host=16", &err), 0, "%s", err.message);
  cr_assert_eq(scenario_set(sc, "workload.size=2KiB", &err), 0, "%s", err.message);
  cr_assert_eq(scenario_set(sc, "platform.file=one-host.xml", &err), 0, "%s", err.message);
  const params_t* p = scenario_base(sc);
  cr_expect_eq(p->queue_depth, 16);
  cr_expect_eq(p->cores_per_host, 16);
  cr_expect_eq(p->size_B, 2048);
  cr_expect_str_eq(p->platform_file, FIXTURES "/one-host.xml", "a --set path is relative to the scenario file");
  point_t pt;
  cr_assert_eq(scenario_point(sc, 0, &pt, &err), 0);
  cr_expect_eq(pt.params.queue_depth, 16);
  cr_expect_eq(pt.params.cores_per_host, 1, "the sweep wins over --set");
  cr_assert_eq(scenario_set(sc, "scenario.replications=3", &err), 0);
  cr_expect_eq(scenario_point_count(sc), 36);
  cr_assert_eq(scenario_point(sc, 5, &pt, &err), 0);
  cr_expect_eq(pt.replication, 2);
  cr_expect_eq(pt.seed, 9);
  cr_expect_eq(scenario_check(sc, &err), 0, "%s", err.message);
  cr_expect_eq(scenario_set(sc, "scenario.replications=100000", &err), -1, "over the cap of points");
  cr_expect(strstr(err.message, "more than the limit") != NULL, "%s", err.message);
  scenario_free(sc);
}

Test(scenario, set_blames_the_override)
{
  scenario_t sc = load_ok(FIXTURES "/minimal.xml");
  vn_error_t err;
  cr_assert_eq(scenario_set(sc, "workload.arrival=poisson", &err), 0);
  cr_assert_eq(scenario_set(sc, "workload.rate=0/s", &err), 0);
  cr_assert_eq(scenario_check(sc, &err), -1);
  cr_expect_str_eq(err.file, "--set");
  cr_expect_eq(err.line, 0);
  cr_expect_str_eq(err.attribute, "workload.rate");
  cr_expect_str_eq(err.value, "0/s");
  char buf[4096];
  vn_error_format(&err, buf, sizeof buf);
  const char* prefix = "--set: workload.rate=\"0/s\": open-loop";
  cr_expect(strncmp(buf, prefix, strlen(prefix)) == 0, "%s", buf);
  scenario_free(sc);
}

Test(scenario, check_blames_the_default_when_nothing_was_written)
{
  scenario_t sc = load_ok(FIXTURES "/minimal.xml");
  vn_error_t err;
  cr_assert_eq(scenario_set(sc, "access.backoff=20us", &err), 0);
  cr_assert_eq(scenario_check(sc, &err), -1);
  cr_expect_str_eq(err.attribute, "backoff-max");
  cr_expect_str_eq(err.value, "10us");
  cr_expect(strstr(err.message, "this is the default") != NULL, "%s", err.message);
  scenario_free(sc);
}

Test(scenario, duration_instead_of_requests)
{
  char path[512];
  snprintf(path, sizeof path, "%s/duration.xml", VNICSIM_TEST_TMP);
  char text[1024];
  snprintf(text, sizeof text,
           "<scenario name=\"d\"><platform file=\"%s/one-host.xml\"/><workload duration=\"2ms\"/>"
           "<sweep param=\"workload.duration\" values=\"1ms 3ms\"/></scenario>",
           FIXTURES);
  write_file(path, text);
  scenario_t sc = load_ok(path);
  cr_expect_eq(scenario_base(sc)->requests, 0);
  cr_expect_eq(scenario_base(sc)->duration_s, 2e-3);
  vn_error_t err;
  cr_expect_eq(scenario_check(sc, &err), 0, "%s", err.message);
  point_t pt;
  cr_assert_eq(scenario_point(sc, 1, &pt, &err), 0);
  cr_expect_eq(pt.params.duration_s, 3e-3);
  cr_expect_str_eq(pt.values[0], "0.003");
  scenario_free(sc);
}

/* ---- a small JSON checker: returns the position after one value, or NULL ---- */
static const char* json_value(const char* s, int depth);

static const char* json_ws(const char* s)
{
  while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
    s++;
  return s;
}

static const char* json_string(const char* s)
{
  if (*s != '"')
    return NULL;
  for (s++; *s != '"'; s++) {
    if (*s == '\0' || (unsigned char)*s < 0x20)
      return NULL;
    if (*s == '\\') {
      s++;
      if (*s == 'u') {
        for (int i = 1; i <= 4; i++)
          if (strchr("0123456789abcdefABCDEF", s[i]) == NULL || s[i] == '\0')
            return NULL;
        s += 4;
      } else if (strchr("\"\\/bfnrt", *s) == NULL || *s == '\0')
        return NULL;
    }
  }
  return s + 1;
}

static const char* json_number(const char* s)
{
  const char* start = s;
  if (*s == '-')
    s++;
  if (*s == '0')
    s++;
  else if (*s >= '1' && *s <= '9')
    while (*s >= '0' && *s <= '9')
      s++;
  else
    return NULL;
  if (*s == '.') {
    s++;
    if (!(*s >= '0' && *s <= '9'))
      return NULL;
    while (*s >= '0' && *s <= '9')
      s++;
  }
  if (*s == 'e' || *s == 'E') {
    s++;
    if (*s == '+' || *s == '-')
      s++;
    if (!(*s >= '0' && *s <= '9'))
      return NULL;
    while (*s >= '0' && *s <= '9')
      s++;
  }
  return s > start ? s : NULL;
}

static const char* json_value(const char* s, int depth)
{
  if (depth > 32)
    return NULL;
  s = json_ws(s);
  if (*s == '{' || *s == '[') {
    char close = *s == '{' ? '}' : ']';
    int object = *s == '{';
    s          = json_ws(s + 1);
    if (*s == close)
      return s + 1;
    for (;;) {
      if (object) {
        s = json_string(json_ws(s));
        if (s == NULL)
          return NULL;
        s = json_ws(s);
        if (*s++ != ':')
          return NULL;
      }
      s = json_value(s, depth + 1);
      if (s == NULL)
        return NULL;
      s = json_ws(s);
      if (*s == ',') {
        s++;
        continue;
      }
      return *s == close ? s + 1 : NULL;
    }
  }
  if (*s == '"')
    return json_string(s);
  if (strncmp(s, "null", 4) == 0)
    return s + 4;
  if (strncmp(s, "true", 4) == 0)
    return s + 4;
  if (strncmp(s, "false", 5) == 0)
    return s + 5;
  return json_number(s);
}

static int json_valid(const char* text)
{
  const char* end = json_value(text, 0);
  return end != NULL && *json_ws(end) == '\0';
}

Test(json_checker, catches_broken_json)
{
  cr_expect(json_valid("{\"a\": [1, 2.5e-3, \"x\\\"y\", null, {}]}"));
  cr_expect_not(json_valid("{\"a\": [1, 2}"));
  cr_expect_not(json_valid("{\"a\": \"x\ny\"}"));
  cr_expect_not(json_valid("{\"a\": 1,}"));
  cr_expect_not(json_valid("{\"a\" 1}"));
  cr_expect_not(json_valid("{\"a\": 01}"));
  cr_expect_not(json_valid("{\"a\": \"\\q\"}"));
  cr_expect_not(json_valid("{} {}"));
}

static char* json_of(const_scenario_t sc, int indent)
{
  char* buf  = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&buf, &len);
  cr_assert_not_null(f);
  scenario_write_json(sc, f, indent);
  fclose(f);
  return buf;
}

Test(scenario, json_is_valid_complete_and_deterministic)
{
  scenario_t sc = load_ok(FIXTURES "/full.xml");
  char* a       = json_of(sc, 0);
  char* b       = json_of(sc, 0);
  cr_expect(json_valid(a), "not valid JSON:\n%s", a);
  cr_expect_str_eq(a, b, "the same scenario gives the same bytes");
  const char* wanted[] = {
      "\"scenario\": {",
      "\"name\": \"full-test\"",
      "\"seed\": 7",
      "\"queue-depth\": 32",
      "\"pio-read\": \"1.5us\"",
      "\"dma-bandwidth\": \"12.5GBps\"",
      "\"issue-cost\": \"50ns\"",
      "\"size-large\": \"1MiB\"",
      "\"rate\": \"2M/s\"",
      "\"duration\": null",
      "\"large-fraction\": 0.25",
      "\"hosts\": \"h0,h1\"",
      "\"points\": 24",
      "\"kind\": \"cases\"",
      "\"values\": [\"500ns\", \"1us\"]",
      "\"access.mode\": \"lock\"",
      "\"lock-always\": {",
      "\"spec\": {}",
  };
  for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++)
    cr_expect(strstr(a, wanted[i]) != NULL, "missing %s in\n%s", wanted[i], a);
  for (size_t i = 0; i < params_count(); i++) {
    char key[128];
    snprintf(key, sizeof key, "\"%s\": ", params_get(i)->attribute);
    cr_expect(strstr(a, key) != NULL, "parameter %s missing", params_get(i)->key);
  }
  char* c = json_of(sc, 4);
  cr_expect(json_valid(c), "indented JSON not valid");
  cr_expect(strstr(c, "\n      \"nic\": {") != NULL, "elements are indented by 4 + 2:\n%s", c);
  cr_expect(strstr(c, "\n        \"queue-depth\": 32") != NULL, "parameters are indented by 4 + 4:\n%s", c);
  cr_expect(strstr(c, "\n    }") != NULL && c[strlen(c) - 1] == '}', "closing brace indented by 4");
  free(a);
  free(b);
  free(c);
  scenario_free(sc);
}

Test(scenario, json_escapes_strings)
{
  char path[512];
  snprintf(path, sizeof path, "%s/escape.xml", VNICSIM_TEST_TMP);
  char text[1024];
  snprintf(text, sizeof text,
           "<scenario name=\"e\"><platform file=\"%s/one-host.xml\" hosts=\"a&quot;b,c\\d\"/>"
           "<workload hot-host=\"x&#9;y\"/></scenario>",
           FIXTURES);
  write_file(path, text);
  vn_error_t err;
  scenario_t sc = scenario_load(path, &err);
  cr_assert_null(sc, "a tab in a host name is a control character");
  cr_expect(strstr(err.message, "control characters") != NULL, "%s", err.message);
  snprintf(text, sizeof text,
           "<scenario name=\"e\"><platform file=\"%s/one-host.xml\" hosts=\"a&quot;b,c\\d\"/></scenario>", FIXTURES);
  write_file(path, text);
  sc      = load_ok(path);
  char* a = json_of(sc, 0);
  cr_expect(json_valid(a), "not valid JSON:\n%s", a);
  cr_expect(strstr(a, "\"hosts\": \"a\\\"b,c\\\\d\"") != NULL, "%s", a);
  free(a);
  scenario_free(sc);
}

Test(scenario, blank_text_inside_elements_is_fine)
{
  char path[512];
  snprintf(path, sizeof path, "%s/blanks.xml", VNICSIM_TEST_TMP);
  char text[1024];
  snprintf(text, sizeof text,
           "<?xml version=\"1.0\"?>\n<scenario name=\"b\">\n  <platform file=\"%s/one-host.xml\">\n  </platform>\n"
           "  <!-- a comment -->\n  <sweep name=\"c\">\n    <case label=\"x\">\n    </case>\n  </sweep>\n</scenario>\n",
           FIXTURES);
  write_file(path, text);
  scenario_t sc = load_ok(path);
  cr_expect_eq(scenario_point_count(sc), 1);
  scenario_free(sc);
}

/* Loading sets libxml2's process-wide entity loader and error handler only for its own duration. */
static xmlParserInputPtr marker_loader(const char* url, const char* id, xmlParserCtxtPtr ctxt)
{
  return NULL;
}

Test(scenario, libxml2_hooks_are_restored)
{
  xmlSetExternalEntityLoader(marker_loader);
  vn_error_t err;
  scenario_t sc = load_ok(FIXTURES "/minimal.xml");
  scenario_free(sc);
  cr_expect_null(scenario_load(VNICSIM_TESTS_DIR "/bad/xxe-file-entity.xml", &err));
  cr_expect_eq(xmlGetExternalEntityLoader(), marker_loader, "the caller's entity loader is back");
}
