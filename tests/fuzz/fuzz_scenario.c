/* fuzz_scenario: libFuzzer target for the scenario loader, --set overrides, run points, the JSON dump and units. */
/*
 * One input is a scenario file, optionally followed by a NUL byte and command-line overrides, one per line:
 *
 *   <?xml version="1.0"?><scenario name="s"><platform file="platform.xml"/></scenario>\0nic.queue-depth=8\n...
 *
 * The scenario is written to a private temporary directory that also holds two small platform files
 * (platform.xml and two-hosts.xml), so inputs that name them get past the platform check and reach the rest of
 * the loader. The input then goes where the command line would take it: scenario_load, each scenario_set,
 * scenario_check, and, for a scenario that passes, scenario_point on some run points and scenario_write_json.
 * Each override's value is also given to units_parse for every kind of unit.
 *
 * Besides the sanitizers, the harness aborts when a documented promise is broken:
 *   - a failed load, --set or check leaves an error message;
 *   - a scenario that loads has at least one run point, and every index below the count resolves;
 *   - scenario_write_json writes one valid JSON value (RFC 8259, UTF-8);
 *   - a value units_parse accepts is written back by units_format as text that parses to the same double.
 * No SimGrid engine is started: only the parsing side of the library runs.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "scenario/scenario.h"
#include "base/units.h"

#define MAX_SETS 8        /* overrides applied per input; the CLI takes any number, a few cover the paths */
#define MAX_POINTS 16     /* run points resolved per input (first, last and a spread between) */
#define JSON_MAX_DEPTH 64 /* the dump nests 4 deep; anything deeper is already a bug */
#define FORMAT_MAX 128    /* room for units_format's text */

/* A one-host and a two-host platform, with the host names of tests/fixtures (h0, h1). The loader only checks that
 * the file is readable; the content is a valid SimGrid platform all the same. */
static const char platform_one_host[]  = "<?xml version='1.0'?>\n"
                                         "<platform version=\"4.1\">\n"
                                         "  <zone id=\"world\" routing=\"Full\">\n"
                                         "    <host id=\"h0\" speed=\"1Gf\" core=\"64\"/>\n"
                                         "  </zone>\n"
                                         "</platform>\n";
static const char platform_two_hosts[] = "<?xml version='1.0'?>\n"
                                         "<platform version=\"4.1\">\n"
                                         "  <zone id=\"world\" routing=\"Full\">\n"
                                         "    <host id=\"h0\" speed=\"1Gf\" core=\"64\"/>\n"
                                         "    <host id=\"h1\" speed=\"1Gf\" core=\"64\"/>\n"
                                         "    <link id=\"l01\" bandwidth=\"100Gbps\" latency=\"500ns\"/>\n"
                                         "    <route src=\"h0\" dst=\"h1\"><link_ctn id=\"l01\"/></route>\n"
                                         "  </zone>\n"
                                         "</platform>\n";

static char work_dir[4096];      /* the private temporary directory */
static char scenario_file[4200]; /* work_dir/scenario.xml, rewritten for every input */
static char platform_files[2][4200];

/* Aborts, which libFuzzer reports as a crash, when @p ok is false; @p what states what should have held. */
static void check(int ok, const char* what)
{
  if (!ok) {
    fprintf(stderr, "fuzz_scenario: this does not hold: %s\n", what);
    abort();
  }
}

static void write_whole(const char* path, const void* data, size_t len)
{
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    perror(path);
    abort();
  }
  const char* p = data;
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w <= 0) {
      perror(path);
      abort();
    }
    p += w;
    len -= (size_t)w;
  }
  close(fd);
}

static void remove_work_dir(void)
{
  unlink(scenario_file);
  unlink(platform_files[0]);
  unlink(platform_files[1]);
  rmdir(work_dir);
}

int LLVMFuzzerInitialize(int* argc, char*** argv)
{
  const char* tmp = getenv("TMPDIR");
  snprintf(work_dir, sizeof work_dir, "%s/vnicsim-fuzz-XXXXXX", tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
  if (mkdtemp(work_dir) == NULL) {
    perror(work_dir);
    abort();
  }
  snprintf(scenario_file, sizeof scenario_file, "%s/scenario.xml", work_dir);
  snprintf(platform_files[0], sizeof platform_files[0], "%s/platform.xml", work_dir);
  snprintf(platform_files[1], sizeof platform_files[1], "%s/two-hosts.xml", work_dir);
  write_whole(platform_files[0], platform_one_host, sizeof platform_one_host - 1);
  write_whole(platform_files[1], platform_two_hosts, sizeof platform_two_hosts - 1);
  atexit(remove_work_dir);
  return 0;
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* A strict JSON checker (RFC 8259), for the output of scenario_write_json. */

typedef struct json_cursor {
  const unsigned char* p;
  const unsigned char* end;
} json_cursor_t;

static void json_ws(json_cursor_t* c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    c->p++;
}

static int json_lit(json_cursor_t* c, const char* word)
{
  size_t n = strlen(word);
  if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
    return 0;
  c->p += n;
  return 1;
}

static int is_hex(unsigned char ch)
{
  return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* One UTF-8 sequence of 2 to 4 bytes starting at c->p (RFC 3629: no overlongs, no surrogates, at most U+10FFFF). */
static int json_utf8(json_cursor_t* c)
{
  unsigned char b = *c->p;
  size_t n;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF)
    n = 1;
  else if (b >= 0xE0 && b <= 0xEF) {
    n  = 2;
    lo = b == 0xE0 ? 0xA0 : 0x80;
    hi = b == 0xED ? 0x9F : 0xBF;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n  = 3;
    lo = b == 0xF0 ? 0x90 : 0x80;
    hi = b == 0xF4 ? 0x8F : 0xBF;
  } else
    return 0;
  if ((size_t)(c->end - c->p) <= n)
    return 0;
  for (size_t i = 1; i <= n; i++) {
    unsigned char x = c->p[i];
    if (i == 1 ? (x < lo || x > hi) : (x < 0x80 || x > 0xBF))
      return 0;
  }
  c->p += n + 1;
  return 1;
}

static int json_string_ok(json_cursor_t* c)
{
  if (c->p >= c->end || *c->p != '"')
    return 0;
  c->p++;
  while (c->p < c->end) {
    unsigned char ch = *c->p;
    if (ch == '"') {
      c->p++;
      return 1;
    }
    if (ch < 0x20)
      return 0;
    if (ch == '\\') {
      if (c->end - c->p < 2)
        return 0;
      unsigned char e = c->p[1];
      if (e == 'u') {
        if (c->end - c->p < 6 || !is_hex(c->p[2]) || !is_hex(c->p[3]) || !is_hex(c->p[4]) || !is_hex(c->p[5]))
          return 0;
        c->p += 6;
      } else if (strchr("\"\\/bfnrt", e) != NULL && e != '\0') {
        c->p += 2;
      } else
        return 0;
    } else if (ch >= 0x80) {
      if (!json_utf8(c))
        return 0;
    } else
      c->p++;
  }
  return 0;
}

static int json_digits(json_cursor_t* c)
{
  const unsigned char* start = c->p;
  while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
    c->p++;
  return c->p > start;
}

static int json_number_ok(json_cursor_t* c)
{
  if (c->p < c->end && *c->p == '-')
    c->p++;
  if (c->p < c->end && *c->p == '0')
    c->p++;
  else if (!json_digits(c))
    return 0;
  if (c->p < c->end && *c->p == '.') {
    c->p++;
    if (!json_digits(c))
      return 0;
  }
  if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
    c->p++;
    if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
      c->p++;
    if (!json_digits(c))
      return 0;
  }
  return 1;
}

static int json_value_ok(json_cursor_t* c, int depth)
{
  if (depth > JSON_MAX_DEPTH)
    return 0;
  json_ws(c);
  if (c->p >= c->end)
    return 0;
  switch (*c->p) {
  case '{':
    c->p++;
    json_ws(c);
    if (c->p < c->end && *c->p == '}') {
      c->p++;
      return 1;
    }
    for (;;) {
      json_ws(c);
      if (!json_string_ok(c))
        return 0;
      json_ws(c);
      if (c->p >= c->end || *c->p != ':')
        return 0;
      c->p++;
      if (!json_value_ok(c, depth + 1))
        return 0;
      json_ws(c);
      if (c->p < c->end && *c->p == ',') {
        c->p++;
        continue;
      }
      if (c->p < c->end && *c->p == '}') {
        c->p++;
        return 1;
      }
      return 0;
    }
  case '[':
    c->p++;
    json_ws(c);
    if (c->p < c->end && *c->p == ']') {
      c->p++;
      return 1;
    }
    for (;;) {
      if (!json_value_ok(c, depth + 1))
        return 0;
      json_ws(c);
      if (c->p < c->end && *c->p == ',') {
        c->p++;
        continue;
      }
      if (c->p < c->end && *c->p == ']') {
        c->p++;
        return 1;
      }
      return 0;
    }
  case '"':
    return json_string_ok(c);
  case 't':
    return json_lit(c, "true");
  case 'f':
    return json_lit(c, "false");
  case 'n':
    return json_lit(c, "null");
  default:
    return json_number_ok(c);
  }
}

/* Whether text is one JSON value; *at is where checking stopped (the first bad byte, or len). */
static int json_document_ok(const char* text, size_t len, size_t* at)
{
  json_cursor_t c = {(const unsigned char*)text, (const unsigned char*)text + len};
  int ok          = json_value_ok(&c, 0);
  if (ok)
    json_ws(&c);
  *at = (size_t)(c.p - (const unsigned char*)text);
  return ok && c.p == c.end;
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* The parts of the library under test */

/* units_parse on one text for every kind, and the round trip through units_format for what it accepts. */
static void fuzz_units(const char* text)
{
  static const unit_kind_t kinds[] = {UNIT_TIME, UNIT_SIZE, UNIT_BANDWIDTH, UNIT_RATE};
  char err[512];
  char buf[FORMAT_MAX];
  double v;
  double back;
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
    err[0] = '\0';
    if (units_parse(kinds[k], text, &v, err, sizeof err) != 0) {
      check(err[0] != '\0', "a failed units_parse gives a reason");
      continue;
    }
    units_format(kinds[k], v, buf, sizeof buf);
    check(units_parse(kinds[k], buf, &back, err, sizeof err) == 0, "units_parse accepts what units_format writes");
    check(back == v, "units_format writes text that parses back to the same number");
  }
  if (units_parse_plain(text, &v, err, sizeof err) == 0) {
    units_format_plain(v, buf, sizeof buf);
    check(units_parse_plain(buf, &back, err, sizeof err) == 0 && back == v,
          "units_format_plain writes text that parses back to the same number");
  }
}

static void fuzz_points(const_scenario_t sc)
{
  size_t count = scenario_point_count(sc);
  check(count > 0 && count <= SCENARIO_MAX_POINTS, "a loaded scenario has between 1 and SCENARIO_MAX_POINTS points");
  size_t nsweeps = scenario_sweep_count(sc);
  check(nsweeps <= SCENARIO_MAX_SWEEPS, "at most SCENARIO_MAX_SWEEPS sweeps");
  for (size_t d = 0; d < nsweeps; d++)
    check(scenario_sweep_name(sc, d) != NULL && scenario_sweep_size(sc, d) > 0, "every sweep has a name and values");
  check(scenario_sweep_name(sc, nsweeps) == NULL, "no sweep past the last");

  size_t step = count > MAX_POINTS ? count / (MAX_POINTS - 1) : 1;
  for (size_t i = 0; i < count; i += step) {
    size_t index = (i + step >= count) ? count - 1 : i; /* always visit the last point */
    point_t pt;
    vn_error_t err;
    vn_error_clear(&err);
    check(scenario_point(sc, index, &pt, &err) == 0, "every index below the point count resolves");
    check(pt.index == index && pt.replication >= 0 && pt.replication < scenario_base(sc)->replications,
          "a point's index and replication are in range");
    for (size_t d = 0; d < nsweeps; d++)
      check(pt.values[d] != NULL, "a point has a value for every sweep");
    if (index == count - 1)
      break;
  }
  point_t pt;
  vn_error_t err;
  vn_error_clear(&err);
  check(scenario_point(sc, count, &pt, &err) != 0 && vn_error_is_set(&err), "the index past the last is refused");
}

static void fuzz_json(const_scenario_t sc)
{
  char* text = NULL;
  size_t len = 0;
  FILE* out  = open_memstream(&text, &len);
  check(out != NULL, "open_memstream");
  scenario_write_json(sc, out, 2);
  fclose(out);
  size_t at;
  int ok = json_document_ok(text, len, &at);
  if (!ok) /* show where, for the report */
    fprintf(stderr, "fuzz_scenario: the JSON goes wrong at byte %zu: %.60s\n", at, text + (at > 20 ? at - 20 : 0));
  check(ok, "scenario_write_json writes valid JSON (RFC 8259, UTF-8)");
  free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  const uint8_t* nul = memchr(data, '\0', size);
  size_t xml_len     = nul != NULL ? (size_t)(nul - data) : size;
  write_whole(scenario_file, data, xml_len);

  /* The overrides, one per line, NUL-terminated copies. */
  char* sets[MAX_SETS];
  size_t nsets = 0;
  if (nul != NULL) {
    const char* p   = (const char*)nul + 1;
    const char* end = (const char*)data + size;
    while (p <= end && nsets < MAX_SETS) {
      const char* eol = memchr(p, '\n', (size_t)(end - p));
      size_t n        = eol != NULL ? (size_t)(eol - p) : (size_t)(end - p);
      n               = n > 0 ? strnlen(p, n) : 0; /* an argument stops at a NUL byte, as argv would */
      sets[nsets]     = malloc(n + 1);
      check(sets[nsets] != NULL, "malloc");
      memcpy(sets[nsets], p, n);
      sets[nsets++][n] = '\0';
      if (eol == NULL)
        break;
      p = eol + 1;
    }
  }
  for (size_t i = 0; i < nsets; i++) {
    const char* eq = strchr(sets[i], '=');
    fuzz_units(eq != NULL ? eq + 1 : sets[i]);
  }

  vn_error_t err;
  vn_error_clear(&err);
  scenario_t sc = scenario_load(scenario_file, &err);
  if (sc == NULL) {
    check(vn_error_is_set(&err), "a failed scenario_load fills the error");
  } else {
    /* What `vnicsim run` does: every --set in order, then the checks; the first failure ends it (exit status 2). */
    int ok = 1;
    for (size_t i = 0; ok && i < nsets; i++)
      if (scenario_set(sc, sets[i], &err) != 0) {
        check(vn_error_is_set(&err), "a failed scenario_set fills the error");
        ok = 0;
      }
    if (ok && scenario_check(sc, &err) != 0) {
      check(vn_error_is_set(&err), "a failed scenario_check fills the error");
      ok = 0;
    }
    if (ok) {
      fuzz_points(sc);
      fuzz_json(sc);
    }
    scenario_free(sc);
  }
  if (vn_error_is_set(&err)) {
    char line[8192];
    vn_error_format(&err, line, sizeof line);
  }
  for (size_t i = 0; i < nsets; i++)
    free(sets[i]);
  return 0;
}
