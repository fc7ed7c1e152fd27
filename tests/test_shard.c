/* test_shard: selections of points (--shard K/N, --points LIST) as the run layer reads them, the names of the parts
 * they write, lists of points written as ranges, and how two fingerprints' named values are told apart. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/fingerprint.h"
#include "run/shard.h"
#include "run/slurm.h"

/* The points @p s selects among @p n, as ranges ("0-3,7"), malloc'ed; NULL when refused. */
static char* selected(const shard_t* s, size_t n)
{
  char err[256];
  unsigned char* mask = shard_mask(s, n, err, sizeof err);
  if (mask == NULL)
    return NULL;
  char* text = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&text, &len);
  shard_write_ranges(f, mask, n, 0);
  fclose(f);
  free(mask);
  return text;
}

Test(shard, shards_take_every_nth_point_and_cover_the_points_once)
{
  const size_t n = 23;
  for (unsigned long shards = 1; shards <= 25; shards++) {
    int seen[23] = {0};
    for (unsigned long k = 0; k < shards; k++) {
      char text[32], err[256];
      snprintf(text, sizeof text, "%lu/%lu", k, shards);
      shard_t s;
      cr_assert_eq(shard_parse(text, NULL, &s, err, sizeof err), 0, "%s: %s", text, err);
      unsigned char* mask = shard_mask(&s, n, err, sizeof err);
      cr_assert_not_null(mask, "%s", err);
      for (size_t i = 0; i < n; i++) {
        cr_expect_eq(mask[i], i % shards == k, "--shard %s and point %zu", text, i);
        seen[i] += mask[i];
      }
      free(mask);
      char want[64];
      snprintf(want, sizeof want, "shard-%lu-of-%lu", k, shards);
      cr_expect_str_eq(shard_part_name(&s), want);
    }
    for (size_t i = 0; i < n; i++)
      cr_expect_eq(seen[i], 1, "%lu shards: point %zu taken %d times", shards, i, seen[i]);
  }
}

Test(shard, bad_selections_are_refused_with_a_reason)
{
  const char* shards[] = {"0/0",
                          "5/3",
                          "3/3",
                          "-1/2",
                          "1/-2",
                          "1/99999999999999999999",
                          "99999999999/100000",
                          "1",
                          "1/",
                          "/2",
                          "1/2/3",
                          "a/b",
                          " 1/2",
                          "1/2 ",
                          "",
                          "0/100001"};
  for (size_t i = 0; i < sizeof shards / sizeof shards[0]; i++) {
    shard_t s;
    char err[256] = "";
    cr_expect_eq(shard_parse(shards[i], NULL, &s, err, sizeof err), -1, "--shard '%s' accepted", shards[i]);
    cr_expect(strstr(err, "--shard") != NULL, "'%s': the reason does not name the option: %s", shards[i], err);
  }
  const char* points[] = {
      "",    "5-3", "1,,2", ",1", "1,", "a", "1-", "-1", "1-2-3", " 1", "1 ,2", "1000000000", "99999999999999999999",
      "0x10"};
  for (size_t i = 0; i < sizeof points / sizeof points[0]; i++) {
    shard_t s;
    char err[256] = "";
    cr_expect_eq(shard_parse(NULL, points[i], &s, err, sizeof err), -1, "--points '%s' accepted", points[i]);
    cr_expect(strstr(err, "--points") != NULL, "'%s': the reason does not name the option: %s", points[i], err);
  }
  shard_t s;
  char err[256];
  cr_expect_eq(shard_parse("0/2", "1", &s, err, sizeof err), -1, "--shard and --points together");
  cr_expect_eq(shard_parse("0/100000", NULL, &s, err, sizeof err), 0, "the largest N is allowed: %s", err);
}

Test(shard, point_lists_select_their_union_and_are_checked_against_the_points)
{
  shard_t s;
  char err[256];
  cr_assert_eq(shard_parse(NULL, "7,0-2,1-3,3,9-9", &s, err, sizeof err), 0, "%s", err);
  char* got = selected(&s, 10);
  cr_expect_str_eq(got, "0-3,7,9");
  free(got);
  cr_expect_str_eq(shard_part_name(&s), "points-0-3+7+9", "the part is named by the sorted, merged list");
  /* an index beyond the scenario's points is refused, with the point named */
  unsigned char* mask = shard_mask(&s, 9, err, sizeof err);
  cr_expect_null(mask);
  cr_expect(strstr(err, "point 9 is not a point of this scenario, which has 9 (0 to 8)") != NULL, "%s", err);
  free(mask);
  /* K beyond the points selects nothing, which is no error */
  cr_assert_eq(shard_parse("12/16", NULL, &s, err, sizeof err), 0);
  got = selected(&s, 10);
  cr_expect_str_eq(got, "");
  free(got);
  /* the same points written two ways share a part; a long list is named by its ends and a hash */
  shard_t a, b;
  cr_assert_eq(shard_parse(NULL, "0,1,2,3", &a, err, sizeof err), 0);
  cr_assert_eq(shard_parse(NULL, "0-3", &b, err, sizeof err), 0);
  cr_expect_str_eq(shard_part_name(&a), shard_part_name(&b));
  char longer[512] = "";
  for (int i = 0; i < 60; i += 2)
    snprintf(longer + strlen(longer), sizeof longer - strlen(longer), "%s%d", i ? "," : "", i);
  cr_assert_eq(shard_parse(NULL, longer, &a, err, sizeof err), 0);
  const char* name = shard_part_name(&a);
  cr_expect(strncmp(name, "points-0-58-", 12) == 0 && strlen(name) == 12 + 16, "a long list's part: %s", name);
}

Test(shard, ranges_are_written_short_and_bounded)
{
  unsigned char mask[12] = {1, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1};
  char* text             = NULL;
  size_t len             = 0;
  FILE* f                = open_memstream(&text, &len);
  cr_expect_eq(shard_write_ranges(f, mask, 12, 0), 7);
  fclose(f);
  cr_expect_str_eq(text, "0-2,4,7-8,11");
  free(text);
  f = open_memstream(&text, &len);
  cr_expect_eq(shard_write_ranges(f, mask, 12, 2), 7, "points are counted past the ranges written");
  fclose(f);
  cr_expect_str_eq(text, "0-2,4 ... (3 more points)");
  free(text);
}

/* @p keys and @p values (NULL-terminated) as named values. */
static void pairs(fp_pairs_t* p, const char* const* kv)
{
  char text[4096] = "[";
  for (size_t i = 0; kv[i] != NULL; i += 2)
    snprintf(text + strlen(text), sizeof text - strlen(text), "%s[\"%s\", \"%s\"]", i ? "," : "", kv[i], kv[i + 1]);
  strcat(text, "]");
  char why[128];
  json_t j = json_parse(text, why, sizeof why);
  cr_assert_not_null(j, "%s", why);
  cr_assert_eq(fp_pairs_from_json(j, p), 0);
  json_free(j);
}

Test(shard, the_first_difference_of_two_fingerprints_is_named_both_ways)
{
  fp_pairs_t there, now, other;
  const char* a[] = {"vnicsim", "0.1.0", "consumers.cores-per-host", "2", "workload.requests", "300", NULL};
  const char* b[] = {"vnicsim", "0.1.0", "consumers.cores-per-host", "8", "workload.requests", "500", NULL};
  const char* c[] = {
      "vnicsim", "0.1.0", "consumers.cores-per-host", "2", "workload.requests", "300", "cfg:network/TCP-gamma",
      "1000",    NULL};
  pairs(&there, a);
  pairs(&now, b);
  pairs(&other, c);
  char diff[512];
  cr_expect_eq(fp_pairs_difference(&there, &there, diff, sizeof diff), 0);
  cr_expect_str_eq(diff, "");
  cr_expect_eq(fp_pairs_difference(&there, &now, diff, sizeof diff), 1);
  cr_expect_str_eq(diff, "consumers.cores-per-host is 2 there, 8 in the scenario", "only the first difference");
  cr_expect_eq(fp_pairs_difference(&there, &other, diff, sizeof diff), 1);
  cr_expect_str_eq(diff, "cfg:network/TCP-gamma is 1000 in the scenario and not set there");
  cr_expect_eq(fp_pairs_difference(&other, &there, diff, sizeof diff), 1);
  cr_expect_str_eq(diff, "cfg:network/TCP-gamma is 1000 there and not set in the scenario");
  cr_expect_neq(fp_hash(&there), fp_hash(&now));
  cr_expect_neq(fp_hash(&there), fp_hash(&other));
  fp_pairs_clear(&there);
  fp_pairs_clear(&now);
  fp_pairs_clear(&other);
}

Test(shard, slurm_sizes_and_time_limits_are_read_as_sbatch_reads_them)
{
  const char* times_ok[] = {"0", "90", "30:00", "1:30:00", "2-12", "2-12:30", "2-00:00:00", "UNLIMITED", "infinite"};
  for (size_t i = 0; i < sizeof times_ok / sizeof times_ok[0]; i++)
    cr_expect_eq(slurm_check_time(times_ok[i]), 0, "--time %s refused", times_ok[i]);
  const char* times_bad[] = {"", "1h", "1:2:3:4", "2-", "-2", "2-1-1", "1:", ":1", "1 ", "10\nrm", "1e3", "9999999999"};
  for (size_t i = 0; i < sizeof times_bad / sizeof times_bad[0]; i++)
    cr_expect_eq(slurm_check_time(times_bad[i]), -1, "--time '%s' accepted", times_bad[i]);
  double b = 0;
  cr_expect(slurm_parse_mem("4000", &b) == 0 && b == 4000.0 * 1048576, "no suffix: MiB");
  cr_expect(slurm_parse_mem("16G", &b) == 0 && b == 16.0 * 1073741824, "G: GiB");
  cr_expect(slurm_parse_mem("512K", &b) == 0 && b == 512.0 * 1024, "K: KiB");
  const char* mem_bad[] = {"", "0", "-1G", "4X", "4GB", " 4G", "G", "nan", "inf"};
  for (size_t i = 0; i < sizeof mem_bad / sizeof mem_bad[0]; i++)
    cr_expect_eq(slurm_parse_mem(mem_bad[i], &b), -1, "--mem '%s' accepted", mem_bad[i]);
}
