/* plot_layout: how the series of one figure are laid out so that each stays visible: panels per facet (the values of
 * the non-mode series columns, such as the NIC service time, with one line per mode in each), a colour per mode,
 * dash patterns and sideways-shifted markers for lines that coincide, and the series left out because every value of
 * theirs is 0 (named in a note instead of drawn on the axis). */
#ifndef VNICSIM_PLOT_LAYOUT_H
#define VNICSIM_PLOT_LAYOUT_H

#include <stddef.h>

#include "analysis/plot_view.h"

/** Most panels a figure is split into; more facets than this stay in one panel. */
#define PLOT_LAYOUT_MAX_PANELS 4

/** Two points closer than this fraction of the y axis (of its decades on a log scale) are drawn as coinciding: at
 *  600 pixels of height, 2% is about 9 pixels, less than a marker. */
#define PLOT_LAYOUT_COINCIDE 0.02

/** The layout of one figure. */
typedef struct s_plot_layout s_plot_layout_t;
typedef s_plot_layout_t* plot_layout_t;
typedef const s_plot_layout_t* const_plot_layout_t;

/** @brief The layout of the figure drawing, for every series of @p v, the means of the results columns @p cols
 *  (@p ncols of them, 1 or 2; the second drawn dashed by the caller) on a log (@p logy) or linear y axis. With no
 *  column (@p ncols 0), only the panels, styles and labels are worked out: every series is drawn, at rank 0.
 *
 *  Panels: when the series columns include mode-defining ones taking two or more values and others (the facets)
 *  whose combinations number 2 to PLOT_LAYOUT_MAX_PANELS, each facet is a panel, its series labelled by their
 *  mode alone and coloured by it (the same colour in every panel). A series is not drawn when every value it has is
 *  0 (named in the note) or when it has no value (also named); a panel left without a drawn series is dropped.
 *  Within a panel, a series with a point within PLOT_LAYOUT_COINCIDE of a point of an earlier drawn series at the
 *  same x gets the lowest rank (1, 2, ...) that no coinciding earlier series has: ranked series are drawn dashed and
 *  their points shifted sideways by plot_layout_shift() steps. Returns NULL when out of memory. */
plot_layout_t plot_layout_create(const_plot_view_t v, const size_t* cols, size_t ncols, int logy);

/** @brief Free @p l; NULL is a no-op. */
void plot_layout_free(plot_layout_t l);

/** @brief Number of panels (0 when no series is drawn). */
size_t plot_layout_panel_count(const_plot_layout_t l);

/** @brief Title of panel @p k ("NIC service time = 200 ns"); "" when the figure has one panel of all series. */
const char* plot_layout_panel_title(const_plot_layout_t l, size_t k);

/** @brief Whether series @p s is drawn. */
int plot_layout_drawn(const_plot_layout_t l, size_t s);

/** @brief The panel (0-based) of series @p s; meaningful when it is drawn. */
size_t plot_layout_panel(const_plot_layout_t l, size_t s);

/** @brief Colour and marker index (0-based) of series @p s: its mode's index when the figure has facets, else the
 *  series index. */
size_t plot_layout_style(const_plot_layout_t l, size_t s);

/** @brief Legend label of series @p s: its mode alone when the figure has facets, else plot_view_series_label(). */
const char* plot_layout_label(const_plot_layout_t l, size_t s);

/** @brief Coincidence rank of series @p s: 0 for a line drawn solid in place, k > 0 for one drawn with dash pattern
 *  k + 1 and shifted sideways. */
int plot_layout_rank(const_plot_layout_t l, size_t s);

/** @brief The sideways shift of series @p s in steps: 0 for rank 0, then +1, -1, +2, -2, ... for ranks 1, 2, 3, ... */
int plot_layout_shift(const_plot_layout_t l, size_t s);

/** @brief Whether some drawn series is shifted. */
int plot_layout_any_shifted(const_plot_layout_t l);

/** @brief Whether every value of every series is 0 (there are values, and nothing is drawn). */
int plot_layout_all_zero(const_plot_layout_t l);

/** @brief One line naming the series not drawn ("0 at every point: lock, lock-always (NIC service time = 200 ns); all
 *  at NIC service time = 20 ns"), "" when every series is drawn. */
const char* plot_layout_note(const_plot_layout_t l);

#endif
