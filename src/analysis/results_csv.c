/* results_csv: a checked view of a run's results.csv, on top of the CSV reader. */
#include "analysis/results_csv.h"
#include "run/results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct s_results_csv {
  csv_t csv;
  size_t* ok_rows; /* csv record index of each ok row */
  size_t nok;
  size_t nfailed;
  double* values;     /* nok x ncols; NaN for empty cells and non-numeric columns */
  char* numeric;      /* per column */
  size_t sweep_first; /* column of the first sweep dimension (seed + 1) */
  size_t nsweeps;
  char* sweep_varies;
  char* sweep_mode;
  size_t col_replication;
  size_t col_mode;
  int mode_varies;
};

/* Whether @p name is a fixed column of results.csv that holds numbers (the run layer's list of them). A non-number in
 * one of them, in an ok row, is bad input; an empty cell is a metric that does not apply (NaN). */
static int is_known_numeric(const char* name)
{
  const results_column_t* col = results_column_find(name);
  return col != NULL && col->numeric;
}

static long need_column(const_csv_t csv, const char* name, vn_error_t* err)
{
  long c = csv_column_index(csv, name);
  if (c < 0)
    vn_error_set(err, csv_name(csv), 1, NULL, NULL, NULL,
                 "header has no column \"%s\" (is this a results.csv written by vnicsim run?)", name);
  return c;
}

/* Whether text sweep column @p col maps each of its values to one mode, and at least two modes occur. Linear in the
 * rows times the distinct values of the column (a handful of labels). */
static int column_defines_mode(const_results_csv_t rs, size_t col)
{
  const_csv_t csv    = rs->csv;
  const char** vals  = malloc(rs->nok * sizeof *vals);
  const char** modes = malloc(rs->nok * sizeof *modes);
  size_t nvals       = 0;
  int defines        = (vals != NULL && modes != NULL);
  for (size_t i = 0; defines && i < rs->nok; i++) {
    const char* v = csv_cell(csv, rs->ok_rows[i], col);
    const char* m = csv_cell(csv, rs->ok_rows[i], rs->col_mode);
    size_t k      = 0;
    while (k < nvals && strcmp(vals[k], v) != 0)
      k++;
    if (k == nvals) {
      vals[nvals]    = v;
      modes[nvals++] = m;
    } else if (strcmp(modes[k], m) != 0) {
      defines = 0;
    }
  }
  int modes_differ = 0;
  for (size_t k = 1; defines && k < nvals; k++)
    if (strcmp(modes[k], modes[0]) != 0)
      modes_differ = 1;
  free(vals);
  free(modes);
  return defines && modes_differ;
}

/* Finds the columns every results.csv has; the sweep columns are those between `seed` and `mode`. */
static int find_columns(results_csv_t rs, long* col_status, vn_error_t* err)
{
  const_csv_t csv = rs->csv;
  long col_seed   = need_column(csv, "seed", err);
  long col_mode   = need_column(csv, "mode", err);
  long col_rep    = need_column(csv, "replication", err);
  *col_status     = need_column(csv, "status", err);
  if (col_seed < 0 || col_mode < 0 || col_rep < 0 || *col_status < 0)
    return -1;
  if (col_mode <= col_seed) {
    vn_error_set(err, csv_name(csv), 1, NULL, NULL, NULL,
                 "column \"mode\" comes before \"seed\"; the sweep columns must lie between them");
    return -1;
  }
  rs->sweep_first     = (size_t)col_seed + 1;
  rs->nsweeps         = (size_t)(col_mode - col_seed - 1);
  rs->col_mode        = (size_t)col_mode;
  rs->col_replication = (size_t)col_rep;
  return 0;
}

/* Keeps the ok rows and counts the failed ones; any other status is bad input. */
static int select_ok_rows(results_csv_t rs, size_t col_status, vn_error_t* err)
{
  const_csv_t csv = rs->csv;
  for (size_t r = 0; r < csv_row_count(csv); r++) {
    const char* st = csv_cell(csv, r, col_status);
    if (strcmp(st, "ok") == 0)
      rs->ok_rows[rs->nok++] = r;
    else if (strcmp(st, "failed") == 0)
      rs->nfailed++;
    else {
      vn_error_set(err, csv_name(csv), csv_row_line(csv, r), NULL, "status", st, "status must be ok or failed");
      return -1;
    }
  }
  return 0;
}

/* Parses every cell of the ok rows: a fixed numeric column must hold numbers (or nothing); another column is numeric
 * when all its ok cells are numbers. */
static int parse_values(results_csv_t rs, vn_error_t* err)
{
  const_csv_t csv = rs->csv;
  size_t ncols    = csv_column_count(csv);
  for (size_t c = 0; c < ncols; c++) {
    int known   = is_known_numeric(csv_column_name(csv, c));
    int all_num = 1;
    int any_num = 0;
    for (size_t i = 0; i < rs->nok; i++) {
      double v;
      const char* cell          = csv_cell(csv, rs->ok_rows[i], c);
      int k                     = csv_parse_double(cell, &v);
      rs->values[i * ncols + c] = (k == 1) ? v : NAN;
      if (k == 1)
        any_num = 1;
      if (k < 0) {
        if (known) {
          vn_error_set(err, csv_name(csv), csv_row_line(csv, rs->ok_rows[i]), NULL, csv_column_name(csv, c), cell,
                       "not a number");
          return -1;
        }
        all_num = 0;
      }
    }
    rs->numeric[c] = (char)(known || (all_num && any_num));
  }
  for (size_t i = 0; i < rs->nok; i++) {
    double r = rs->values[i * ncols + rs->col_replication];
    if (!(r >= 0) || r != floor(r)) {
      vn_error_set(err, csv_name(csv), csv_row_line(csv, rs->ok_rows[i]), NULL, "replication",
                   csv_cell(csv, rs->ok_rows[i], rs->col_replication), "replication must be an integer >= 0");
      return -1;
    }
  }
  return 0;
}

/* Which sweep columns vary, which define the mode, and whether the mode varies. */
static void classify_sweeps(results_csv_t rs)
{
  for (size_t i = 1; i < rs->nok; i++)
    if (strcmp(results_csv_mode(rs, i), results_csv_mode(rs, 0)) != 0)
      rs->mode_varies = 1;
  for (size_t d = 0; d < rs->nsweeps; d++) {
    size_t col = rs->sweep_first + d;
    for (size_t i = 1; i < rs->nok; i++)
      if (strcmp(results_csv_text(rs, i, col), results_csv_text(rs, 0, col)) != 0)
        rs->sweep_varies[d] = 1;
    rs->sweep_mode[d] = (char)(!rs->numeric[col] && rs->sweep_varies[d] && column_defines_mode(rs, col));
  }
}

static int classify(results_csv_t rs, vn_error_t* err)
{
  const_csv_t csv = rs->csv;
  size_t ncols    = csv_column_count(csv);
  size_t nrows    = csv_row_count(csv);
  long col_status;
  if (find_columns(rs, &col_status, err) != 0)
    return -1;
  rs->ok_rows      = malloc((nrows ? nrows : 1) * sizeof *rs->ok_rows);
  rs->numeric      = calloc(ncols, 1);
  rs->sweep_varies = calloc(rs->nsweeps ? rs->nsweeps : 1, 1);
  rs->sweep_mode   = calloc(rs->nsweeps ? rs->nsweeps : 1, 1);
  if (rs->ok_rows == NULL || rs->numeric == NULL || rs->sweep_varies == NULL || rs->sweep_mode == NULL)
    goto oom;
  if (select_ok_rows(rs, (size_t)col_status, err) != 0)
    return -1;
  rs->values = malloc((rs->nok ? rs->nok : 1) * ncols * sizeof *rs->values);
  if (rs->values == NULL)
    goto oom;
  if (parse_values(rs, err) != 0)
    return -1;
  classify_sweeps(rs);
  return 0;
oom:
  vn_error_set(err, csv_name(csv), 0, NULL, NULL, NULL, "out of memory");
  return -1;
}

results_csv_t results_csv_create(csv_t csv, vn_error_t* err)
{
  if (csv == NULL)
    return NULL;
  results_csv_t rs = calloc(1, sizeof *rs);
  if (rs == NULL) {
    vn_error_set(err, csv_name(csv), 0, NULL, NULL, NULL, "out of memory");
    csv_free(csv);
    return NULL;
  }
  rs->csv = csv;
  if (classify(rs, err) != 0) {
    results_csv_free(rs);
    return NULL;
  }
  return rs;
}

results_csv_t results_csv_load(const char* path, vn_error_t* err)
{
  csv_t csv = csv_read_file(path, err);
  return csv ? results_csv_create(csv, err) : NULL;
}

results_csv_t results_csv_load_dir(const char* dir, vn_error_t* err)
{
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    vn_error_set(err, dir, 0, NULL, NULL, NULL, "%s", stat(dir, &st) != 0 ? "no such directory" : "not a directory");
    return NULL;
  }
  char path[4200];
  snprintf(path, sizeof path, "%s/results.csv", dir);
  return results_csv_load(path, err);
}

void results_csv_free(results_csv_t rs)
{
  if (rs == NULL)
    return;
  csv_free(rs->csv);
  free(rs->ok_rows);
  free(rs->values);
  free(rs->numeric);
  free(rs->sweep_varies);
  free(rs->sweep_mode);
  free(rs);
}

const_csv_t results_csv_table(const_results_csv_t rs)
{
  return rs->csv;
}

int results_csv_require(const_results_csv_t rs, const char* const* names, const char* purpose, vn_error_t* err)
{
  for (size_t k = 0; names[k] != NULL; k++)
    if (csv_column_index(rs->csv, names[k]) < 0) {
      vn_error_set(err, csv_name(rs->csv), 1, NULL, NULL, NULL, "header has no column \"%s\" (%s)", names[k], purpose);
      return -1;
    }
  return 0;
}

size_t results_csv_failed_count(const_results_csv_t rs)
{
  return rs->nfailed;
}

size_t results_csv_ok_count(const_results_csv_t rs)
{
  return rs->nok;
}

int results_csv_ok_line(const_results_csv_t rs, size_t i)
{
  return csv_row_line(rs->csv, rs->ok_rows[i]);
}

const char* results_csv_text(const_results_csv_t rs, size_t i, size_t col)
{
  return csv_cell(rs->csv, rs->ok_rows[i], col);
}

double results_csv_value(const_results_csv_t rs, size_t i, size_t col)
{
  return rs->numeric[col] ? rs->values[i * csv_column_count(rs->csv) + col] : NAN;
}

int results_csv_column_is_numeric(const_results_csv_t rs, size_t col)
{
  return rs->numeric[col];
}

long results_csv_replication(const_results_csv_t rs, size_t i)
{
  return (long)rs->values[i * csv_column_count(rs->csv) + rs->col_replication];
}

const char* results_csv_mode(const_results_csv_t rs, size_t i)
{
  return csv_cell(rs->csv, rs->ok_rows[i], rs->col_mode);
}

size_t results_csv_mode_column(const_results_csv_t rs)
{
  return rs->col_mode;
}

size_t results_csv_sweep_count(const_results_csv_t rs)
{
  return rs->nsweeps;
}

size_t results_csv_sweep_column(const_results_csv_t rs, size_t d)
{
  return rs->sweep_first + d;
}

int results_csv_sweep_varies(const_results_csv_t rs, size_t d)
{
  return rs->sweep_varies[d];
}

int results_csv_sweep_is_mode(const_results_csv_t rs, size_t d)
{
  return rs->sweep_mode[d];
}

int results_csv_mode_varies(const_results_csv_t rs)
{
  return rs->mode_varies;
}

