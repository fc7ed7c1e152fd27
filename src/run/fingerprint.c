/* fingerprint: the named values a point's results depend on, and their hash (see fingerprint.h). */
#include "run/fingerprint.h"

#include <errno.h>
#include <simgrid/engine.h>
#include <simgrid/version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/sysdep.h>

#include "base/json.h"
#include "run/sgopts.h"
#include "run/shard.h"
#include "scenario/param_table.h"
#include "scenario/sweep.h"

typedef struct platform_hash {
  char* path;
  char* value; /* "name#hash" */
} platform_hash_t;

struct s_fpctx {
  char simgrid[32];
  fp_pairs_t cfg;
  platform_hash_t* platforms;
  size_t nplatforms;
};

static void pairs_add(fp_pairs_t* p, const char* key, const char* value)
{
  if (p->n == p->cap) {
    p->cap    = p->cap ? 2 * p->cap : 128;
    p->keys   = xbt_realloc(p->keys, p->cap * sizeof *p->keys);
    p->values = xbt_realloc(p->values, p->cap * sizeof *p->values);
  }
  p->keys[p->n]     = xbt_strdup(key);
  p->values[p->n++] = xbt_strdup(value != NULL ? value : "");
}

void fp_pairs_clear(fp_pairs_t* p)
{
  for (size_t i = 0; i < p->n; i++) {
    free(p->keys[i]);
    free(p->values[i]);
  }
  free(p->keys);
  free(p->values);
  memset(p, 0, sizeof *p);
}

static int add_cfg(const char* name, const char* value, void* data)
{
  if (strncmp(name, "contexts/", 9) == 0)
    return 0;
  char key[256];
  snprintf(key, sizeof key, "cfg:%s", name);
  pairs_add(data, key, value != NULL ? value : "");
  return 0;
}

fpctx_t fp_context(int sg_argc, char** sg_argv)
{
  fpctx_t ctx = xbt_new0(s_fpctx_t, 1);
  int major, minor, patch;
  sg_version_get(&major, &minor, &patch);
  snprintf(ctx->simgrid, sizeof ctx->simgrid, "%d.%d.%d", major, minor, patch);
  for (int i = 1; i < sg_argc; i++)
    if (strncmp(sg_argv[i], "--cfg=", 6) == 0)
      sgopts_each_setting(sg_argv[i], add_cfg, &ctx->cfg);
  return ctx;
}

void fp_context_free(fpctx_t ctx)
{
  if (ctx == NULL)
    return;
  fp_pairs_clear(&ctx->cfg);
  for (size_t i = 0; i < ctx->nplatforms; i++) {
    free(ctx->platforms[i].path);
    free(ctx->platforms[i].value);
  }
  free(ctx->platforms);
  free(ctx);
}

/* "name#hash" of the platform file @p path, hashed once per run. */
static const char* platform_value(fpctx_t ctx, const char* path)
{
  for (size_t i = 0; i < ctx->nplatforms; i++)
    if (strcmp(ctx->platforms[i].path, path) == 0)
      return ctx->platforms[i].value;
  unsigned long long h = SHARD_FNV_START;
  FILE* f              = fopen(path, "rb");
  char buf[65536];
  int readable = f != NULL;
  for (size_t n; f != NULL && (n = fread(buf, 1, sizeof buf, f)) > 0;)
    h = shard_fnv(h, buf, n);
  if (f != NULL)
    fclose(f);
  const char* name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  char* value      = NULL;
  if (readable) {
    char hex[17];
    fp_hex(h, hex);
    if (asprintf(&value, "%s#%s", name, hex) < 0)
      xbt_die("out of memory");
  } else {
    if (asprintf(&value, "%s#unreadable", name) < 0)
      xbt_die("out of memory");
  }
  ctx->platforms                    = xbt_realloc(ctx->platforms, (ctx->nplatforms + 1) * sizeof *ctx->platforms);
  ctx->platforms[ctx->nplatforms++] = (platform_hash_t){xbt_strdup(path), value};
  return value;
}

/* The fingerprint's text of parameter @p d of @p p. */
static void param_value(fpctx_t ctx, const params_t* p, const param_desc_t* d, char* buf, size_t len)
{
  if (d->kind == PARAM_PATH) {
    char path[PARAMS_PATH_MAX];
    params_format_csv(p, d, path, sizeof path);
    snprintf(buf, len, "%s", platform_value(ctx, path));
  } else {
    params_format_csv(p, d, buf, len);
  }
}

static void add_params(fpctx_t ctx, const params_t* p, fp_pairs_t* out)
{
  char text[PARAMS_PATH_MAX + 64];
  for (size_t i = 0; i < params_count(); i++) {
    const param_desc_t* d = params_get(i);
    param_value(ctx, p, d, text, sizeof text);
    pairs_add(out, d->key, text);
  }
}

static void add_cfg_pairs(fpctx_t ctx, fp_pairs_t* out)
{
  for (size_t i = 0; i < ctx->cfg.n; i++)
    pairs_add(out, ctx->cfg.keys[i], ctx->cfg.values[i]);
}

void fp_point_pairs(fpctx_t ctx, const point_t* pt, fp_pairs_t* out)
{
  char seed[32];
  snprintf(seed, sizeof seed, "%lu", pt->seed);
  pairs_add(out, "vnicsim", VNICSIM_VERSION);
  pairs_add(out, "simgrid", ctx->simgrid);
  pairs_add(out, "seed", seed);
  add_params(ctx, &pt->params, out);
  add_cfg_pairs(ctx, out);
}

unsigned long long fp_hash(const fp_pairs_t* p)
{
  unsigned long long h = SHARD_FNV_START;
  for (size_t i = 0; i < p->n; i++) {
    h = shard_fnv(h, p->keys[i], strlen(p->keys[i]));
    h = shard_fnv(h, "=", 1);
    h = shard_fnv(h, p->values[i], strlen(p->values[i]));
    h = shard_fnv(h, "\n", 1);
  }
  return h;
}

unsigned long long fp_point(fpctx_t ctx, const point_t* pt)
{
  fp_pairs_t p = {0};
  fp_point_pairs(ctx, pt, &p);
  unsigned long long h = fp_hash(&p);
  fp_pairs_clear(&p);
  return h;
}

/* What value @p v of sweep @p s sets: "key=value" for each parameter it changes from @p base, ";"-separated. */
static void sweep_value_effect(fpctx_t ctx, const params_t* base, const_sweep_t s, size_t v, FILE* out)
{
  params_t* p = xbt_new(params_t, 1);
  *p          = *base;
  char err[256];
  if (sweep_apply(s, v, p, err, sizeof err) != 0) {
    fprintf(out, "(%s)", err);
    free(p);
    return;
  }
  char a[PARAMS_PATH_MAX + 64], b[PARAMS_PATH_MAX + 64];
  int first = 1;
  for (size_t i = 0; i < params_count(); i++) {
    const param_desc_t* d = params_get(i);
    param_value(ctx, base, d, a, sizeof a);
    param_value(ctx, p, d, b, sizeof b);
    if (strcmp(a, b) != 0 || sweep_sets(s, v, d, NULL, NULL)) {
      fprintf(out, "%s%s=%s", first ? "" : ";", d->key, b);
      first = 0;
    }
  }
  free(p);
}

void fp_study_pairs(fpctx_t ctx, const_scenario_t sc, fp_pairs_t* out)
{
  pairs_add(out, "vnicsim", VNICSIM_VERSION);
  pairs_add(out, "simgrid", ctx->simgrid);
  add_cfg_pairs(ctx, out);
  add_params(ctx, scenario_base(sc), out);
  for (size_t d = 0; d < scenario_sweep_count(sc); d++) {
    const_sweep_t s = scenario_sweep(sc, d);
    char* text      = NULL;
    size_t len      = 0;
    FILE* f         = open_memstream(&text, &len);
    for (size_t v = 0; v < sweep_size(s); v++) {
      fprintf(f, "%s%s {", v ? " " : "", sweep_value_csv(s, v));
      sweep_value_effect(ctx, scenario_base(sc), s, v, f);
      fputc('}', f);
    }
    fclose(f);
    char key[256];
    snprintf(key, sizeof key, "sweep %zu (%s)", d + 1, sweep_name(s));
    pairs_add(out, key, text);
    free(text);
  }
  char n[32];
  snprintf(n, sizeof n, "%zu", scenario_point_count(sc));
  pairs_add(out, "points", n);
}

void fp_hex(unsigned long long h, char* buf)
{
  snprintf(buf, 17, "%016llx", h);
}

void fp_pairs_write_json(FILE* out, const fp_pairs_t* p)
{
  fputc('[', out);
  for (size_t i = 0; i < p->n; i++) {
    fputs(i ? ",\n    [" : "\n    [", out);
    json_write_string(out, p->keys[i]);
    fputs(", ", out);
    json_write_string(out, p->values[i]);
    fputc(']', out);
  }
  fputs(p->n ? "\n  ]" : "]", out);
}

int fp_pairs_from_json(const_json_t v, fp_pairs_t* out)
{
  memset(out, 0, sizeof *out);
  if (json_type(v) != JSON_ARRAY)
    return -1;
  for (size_t i = 0; i < json_size(v); i++) {
    const_json_t pair = json_at(v, i);
    const char* k     = json_string(json_at(pair, 0));
    const char* val   = json_string(json_at(pair, 1));
    if (json_size(pair) != 2 || k == NULL || val == NULL) {
      fp_pairs_clear(out);
      return -1;
    }
    pairs_add(out, k, val);
  }
  return 0;
}

static const char* value_of(const fp_pairs_t* p, const char* key)
{
  for (size_t i = 0; i < p->n; i++)
    if (strcmp(p->keys[i], key) == 0)
      return p->values[i];
  return NULL;
}

/* A value for a message: quoted when empty, shortened when long. */
static void shown(const char* v, char* buf, size_t len)
{
  if (v[0] == '\0')
    snprintf(buf, len, "\"\" (off)");
  else if (strlen(v) > 160)
    snprintf(buf, len, "%.150s...", v);
  else
    snprintf(buf, len, "%s", v);
}

int fp_pairs_difference(const fp_pairs_t* stored, const fp_pairs_t* now, char* buf, size_t len)
{
  buf[0] = '\0';
  char a[200], b[200];
  /* in the order of the scenario now, then what only the stored side has */
  for (size_t i = 0; i < now->n; i++) {
    const char* s = value_of(stored, now->keys[i]);
    if (s == NULL) {
      shown(now->values[i], b, sizeof b);
      snprintf(buf, len, "%s is %s in the scenario and not set there", now->keys[i], b);
      return 1;
    }
    if (strcmp(s, now->values[i]) != 0) {
      shown(s, a, sizeof a);
      shown(now->values[i], b, sizeof b);
      snprintf(buf, len, "%s is %s there, %s in the scenario", now->keys[i], a, b);
      return 1;
    }
  }
  for (size_t i = 0; i < stored->n; i++)
    if (value_of(now, stored->keys[i]) == NULL) {
      shown(stored->values[i], a, sizeof a);
      snprintf(buf, len, "%s is %s there and not set in the scenario", stored->keys[i], a);
      return 1;
    }
  return 0;
}
