# breakdown: the mean end-to-end latency split into its parts, stacked bars against x, one panel per configuration.
#
# vnicsim plot sets these variables with `gnuplot -e` (see metric.gp for analysisdir, fmt, outfile, ptitle, psub,
# width, height):
#   note         a third title line ('' for none), or NL: an array of such lines (the parts left out, 0 everywhere)
#   datafile     aggregated CSV (by_<x>.csv, with <part>_mean columns); xcol, xscale: its x column and display factor
#   xlabel       x axis title;  nx, XV, XL: the distinct x values (display units) and their tic labels
#   nparts, C, CL, CC  the parts drawn, bottom to top: data columns, legend labels, colours
#   nseries, S   the configurations (series_id 0 .. nseries-1) and their labels, one panel each
#   YS, YU       per panel: factor from seconds to its unit, and the unit's name
#   panelcols, panelrows  the grid of panels;  valuelabels: 1 to print the totals over the bars

load analysisdir.'/style.gp'
set output outfile
set datafile separator comma
set datafile columnheaders

if (!exists('note')) { note = '' }
heading = ptitle.(strlen(psub) > 0 ? "\n".psub : '').(strlen(note) > 0 ? "\n".note : '')
lines = 1 + (strlen(psub) > 0) + (strlen(note) > 0)
if (exists('NL')) { do for [k=1:|NL|] { if (strlen(NL[k]) > 0) { heading = heading."\n".NL[k]; lines = lines + 1 } } }
# Room at the top for the heading and the legend (shared by the panels, in one row).
top = 1 - (lines * 22.0 + 88) / height
bottom = 80.0 / height

z(v) = (v == v) ? v : 0
# The category of x: the index of its value among XV (x values are written with 10 significant digits).
pos(x) = sum [k=1:nx] ((abs(x - XV[k]) <= 1e-8 * abs(XV[k])) ? k - 1 : 0)
cum(j) = sum [k=1:j] z(column(C[k]))
mine(s) = (column('series_id') == s - 1)

set style fill solid 0.9 border lc rgb '#ffffff'
set boxwidth 0.7
set xrange [-0.6 : nx - 0.4]
set xtics () nomirror
do for [k=1:nx] { set xtics add (XL[k] k - 1) }
unset mxtics
set xlabel xlabel
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
set grid noxtics ytics

# The legend, one row between the heading and the panels, drawn by hand: a key placed on the page would be laid
# out within one panel's width. Parts in stacking order, bottom first.
keyy = top + 58.0 / height
# Each entry: a 24-pixel colour box, 8 pixels, the label (about 8.5 pixels a character), 36 pixels to the next.
keyw = 0
do for [j=1:nparts] { keyw = keyw + (68 + 8.5 * strlen(CL[j])) / width }
kx = 0.5 - keyw / 2
do for [j=1:nparts] {
  set object j rect from screen kx, screen keyy - 8.0 / height to screen kx + 24.0 / width, screen keyy + 8.0 / height \
    fc rgb CC[j] fs solid 0.9 noborder front
  set label j CL[j] at screen kx + 32.0 / width, screen keyy left front
  kx = kx + (68 + 8.5 * strlen(CL[j])) / width
}
unset key

set multiplot layout panelrows, panelcols title heading font ',14' margins 90.0 / width, 1 - 20.0 / width, bottom, top spacing 0.07, 140.0 / height
do for [s=1:nseries] {
  set title S[s] font ',12'
  set ylabel 'latency ('.YU[s].')'
  plot for [j=nparts:1:-1] datafile using (pos(column(xcol) * xscale)):(mine(s) ? cum(j) * YS[s] : NaN) \
         with boxes lc rgb CC[j] notitle, \
       for [i=1:valuelabels] datafile using (pos(column(xcol) * xscale)):(mine(s) ? cum(nparts) * YS[s] : NaN):(sprintf('%.3g', cum(nparts) * YS[s])) \
         with labels offset 0, 0.6 font ',9' notitle
  if (s == 1) {
    do for [j=1:nparts] { unset object j; unset label j }
  }
}
unset multiplot
