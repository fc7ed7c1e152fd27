/* test_bad_inputs: every broken scenario of tests/bad/ and every bad --set of tests/bad/sets.txt yields one clean error
 * naming the file, the line, the element, the attribute and the value, as listed in tests/bad/EXPECT. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario/scenario.h"

#define BAD_DIR VNICSIM_TESTS_DIR "/bad"
#define MINIMAL VNICSIM_TESTS_DIR "/fixtures/minimal.xml"
#define MIN_CASES 70

typedef struct expectation {
  char file[128];
  int line;
  char element[64];
  char attribute[64];
  char message[512];
} expectation_t;

static const char* none_if_dash(const char* s)
{
  return strcmp(s, "-") == 0 ? "" : s;
}

/* Reads EXPECT; returns the number of entries (at most max). */
static size_t read_expect(expectation_t* out, size_t max)
{
  FILE* f = fopen(BAD_DIR "/EXPECT", "r");
  cr_assert_not_null(f, "cannot open %s/EXPECT", BAD_DIR);
  char line[1024];
  size_t n = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    line[strcspn(line, "\n")] = '\0';
    if (line[0] == '#' || line[0] == '\0')
      continue;
    cr_assert_lt(n, max, "EXPECT has too many entries");
    expectation_t* e = &out[n];
    char element[64];
    char attribute[64];
    int used = 0;
    cr_assert_eq(sscanf(line, "%127s %d %63s %63s %n", e->file, &e->line, element, attribute, &used), 4,
                 "bad EXPECT line: %s", line);
    snprintf(e->element, sizeof e->element, "%s", none_if_dash(element));
    snprintf(e->attribute, sizeof e->attribute, "%s", none_if_dash(attribute));
    snprintf(e->message, sizeof e->message, "%s", line + used);
    cr_assert(e->message[0] != '\0', "EXPECT line without message: %s", line);
    n++;
  }
  fclose(f);
  return n;
}

/* Loads and checks path; returns whether it failed, with err filled. */
static int load_fails(const char* path, vn_error_t* err)
{
  scenario_t sc = scenario_load(path, err);
  if (sc == NULL)
    return 1;
  int rc = scenario_check(sc, err);
  scenario_free(sc);
  return rc != 0;
}

static void expect_error(const char* what, const vn_error_t* err, const char* file, int line, const char* element,
                         const char* attribute, const char* message)
{
  char text[8192];
  vn_error_format(err, text, sizeof text);
  cr_expect(vn_error_is_set(err), "%s: no error recorded", what);
  cr_expect_str_eq(err->file, file, "%s: error names file \"%s\"", what, err->file);
  cr_expect_eq(err->line, line, "%s: line %d, expected %d (%s)", what, err->line, line, text);
  cr_expect_str_eq(err->element, element, "%s: element \"%s\", expected \"%s\" (%s)", what, err->element, element,
                   text);
  cr_expect_str_eq(err->attribute, attribute, "%s: attribute \"%s\", expected \"%s\" (%s)", what, err->attribute,
                   attribute, text);
  cr_expect(strstr(err->message, message) != NULL, "%s: message should contain \"%s\", got: %s", what, message, text);
  /* the formatted line says where: "FILE:LINE: <element attribute="value">: message" */
  char where[4200];
  if (line > 0)
    snprintf(where, sizeof where, "%s:%d: ", file, line);
  else
    snprintf(where, sizeof where, "%s: ", file);
  cr_expect(strncmp(text, where, strlen(where)) == 0, "%s: formatted error should start with \"%s\": %s", what, where,
            text);
  if (element[0] != '\0') {
    char tag[128];
    snprintf(tag, sizeof tag, "<%s", element);
    cr_expect(strstr(text, tag) != NULL, "%s: formatted error should name %s: %s", what, tag, text);
  }
  if (attribute[0] != '\0') {
    char pair[1024];
    snprintf(pair, sizeof pair, "%s=\"%s\"", attribute, err->value);
    cr_expect(strstr(text, pair) != NULL, "%s: formatted error should show %s: %s", what, pair, text);
  }
  cr_expect(strchr(text, '\n') == NULL, "%s: one line: %s", what, text);
}

Test(bad_inputs, corpus)
{
  static expectation_t expected[512];
  size_t n = read_expect(expected, sizeof expected / sizeof expected[0]);
  cr_assert_geq(n, MIN_CASES, "only %zu broken cases", n);
  for (size_t i = 0; i < n; i++) {
    const expectation_t* e = &expected[i];
    char path[512];
    snprintf(path, sizeof path, "%s/%.127s", BAD_DIR, e->file);
    struct stat st;
    cr_expect_eq(stat(path, &st), 0, "%s listed in EXPECT does not exist", e->file);
    vn_error_t err;
    if (!load_fails(path, &err)) {
      cr_expect_fail("%s loads and checks without error", e->file);
      continue;
    }
    cr_expect_gt(e->line, 0, "%s: an error inside a file has a line", e->file);
    expect_error(e->file, &err, path, e->line, e->element, e->attribute, e->message);
  }
}

/* Every .xml of tests/bad/ is listed in EXPECT, so no case is silently skipped. */
Test(bad_inputs, every_file_is_listed)
{
  static expectation_t expected[512];
  size_t n = read_expect(expected, sizeof expected / sizeof expected[0]);
  DIR* dir = opendir(BAD_DIR);
  cr_assert_not_null(dir);
  size_t files = 0;
  for (struct dirent* de = readdir(dir); de != NULL; de = readdir(dir)) {
    size_t len = strlen(de->d_name);
    if (len < 4 || strcmp(de->d_name + len - 4, ".xml") != 0)
      continue;
    files++;
    int listed = 0;
    for (size_t i = 0; i < n; i++)
      listed |= strcmp(expected[i].file, de->d_name) == 0;
    cr_expect(listed, "%s is not listed in EXPECT", de->d_name);
  }
  closedir(dir);
  cr_expect_eq(files, n, "%zu files, %zu EXPECT entries", files, n);
}

/* No XXE can leak a file's content into a message. */
Test(bad_inputs, entities_never_leak_content)
{
  vn_error_t err;
  cr_assert(load_fails(BAD_DIR "/xxe-file-entity.xml", &err));
  char text[8192];
  vn_error_format(&err, text, sizeof text);
  cr_expect(strstr(text, "root:") == NULL, "%s", text);
  cr_assert(load_fails(BAD_DIR "/xxe-local-file-entity.xml", &err));
  vn_error_format(&err, text, sizeof text);
  cr_expect(strstr(text, "zone") == NULL && strstr(text, "DOCTYPE not allowed") != NULL, "%s", text);
}

Test(bad_inputs, sets)
{
  FILE* f = fopen(BAD_DIR "/sets.txt", "r");
  cr_assert_not_null(f);
  char line[1024];
  int count = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    line[strcspn(line, "\n")] = '\0';
    if (line[0] == '#' || line[0] == '\0')
      continue;
    char* tab1 = strchr(line, '\t');
    char* tab2 = tab1 != NULL ? strchr(tab1 + 1, '\t') : NULL;
    cr_assert(tab1 != NULL && tab2 != NULL, "sets.txt needs 3 TAB-separated fields: %s", line);
    *tab1                 = '\0';
    *tab2                 = '\0';
    const char* assign    = line;
    const char* attribute = none_if_dash(tab1 + 1);
    const char* message   = tab2 + 1;
    count++;

    vn_error_t err;
    scenario_t sc = scenario_load(MINIMAL, &err);
    cr_assert_not_null(sc, "%s should load", MINIMAL);
    int failed = scenario_set(sc, assign, &err) != 0 || scenario_check(sc, &err) != 0;
    scenario_free(sc);
    if (!failed) {
      cr_expect_fail("--set %s is accepted", assign);
      continue;
    }
    char what[1100];
    snprintf(what, sizeof what, "--set %s", assign);
    expect_error(what, &err, "--set", 0, "", attribute, message);
  }
  fclose(f);
  cr_expect_geq(count, 20, "only %d --set cases", count);
}

Test(bad_inputs, scenario_file_itself_missing_or_a_directory)
{
  vn_error_t err;
  cr_assert_null(scenario_load(BAD_DIR "/no-such-scenario.xml", &err));
  expect_error("missing scenario", &err, BAD_DIR "/no-such-scenario.xml", 0, "", "", "No such file or directory");
  cr_assert_null(scenario_load(BAD_DIR, &err));
  expect_error("directory as scenario", &err, BAD_DIR, 0, "", "", "is a directory");
  cr_assert_null(scenario_load("", &err));
  cr_expect(strstr(err.message, "no scenario file") != NULL, "%s", err.message);
}

/* A platform file without read permission. Root reads every file whatever its mode, so when the tests run as root
 * this case cannot fail and is skipped (the code path is the same open() as for any unreadable file). */
Test(bad_inputs, unreadable_platform)
{
  if (geteuid() == 0)
    cr_skip_test("running as root: root can read a chmod 000 file, so the unreadable-platform case cannot be made");
  mkdir(VNICSIM_TEST_TMP, 0755);
  const char* platform = VNICSIM_TEST_TMP "/unreadable-platform.xml";
  const char* path     = VNICSIM_TEST_TMP "/unreadable.xml";
  FILE* f              = fopen(platform, "w");
  cr_assert_not_null(f);
  fputs("<platform version=\"4.1\"/>\n", f);
  fclose(f);
  chmod(platform, 0);
  f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("<?xml version=\"1.0\"?>\n<scenario name=\"bad\">\n  <platform file=\"unreadable-platform.xml\"/>\n"
        "</scenario>\n",
        f);
  fclose(f);
  vn_error_t err;
  int failed = load_fails(path, &err);
  chmod(platform, 0644);
  cr_assert(failed, "a platform file without read permission is accepted");
  expect_error("unreadable platform", &err, path, 3, "platform", "file", "cannot be read: Permission denied");
}
