/* vn_analysis: helpers for the tests of the analysis side (results.csv views, plot, compare): the fixture runs and
 * results tables given as text, and Student t quantiles from tables. */
#ifndef VNICSIM_VN_ANALYSIS_H
#define VNICSIM_VN_ANALYSIS_H

#include "base/csv.h"
#include "analysis/results_csv.h"

/** The fixture runs of the analysis tests (each a directory with a results.csv). */
#define VN_FIXTURES VNICSIM_TESTS_DIR "/fixtures/analysis"

/* Student t quantiles t_{0.975, dof}, from tables (not from GSL, which the code under test uses). */
#define T975_1 12.706204736174705
#define T975_2 4.302652729749464
#define T975_4 2.7764451051977987

/** @brief The checked results table of fixture run @p name (VN_FIXTURES/NAME/results.csv); failing to load fails
 *  the test. */
results_csv_t vn_load_fixture(const char* name);

/** @brief A checked results table parsed from @p text; failing to load fails the test. */
results_csv_t vn_load_results_text(const char* text);

#endif
