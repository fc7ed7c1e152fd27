# cdf: the distribution of the end-to-end latency of the measured WRs, one empirical CDF per configuration, in panels
# per x (the smallest and the largest of the sweep) and facet; log latency axis shared by the panels.
#
# vnicsim plot sets these variables with `gnuplot -e` (see metric.gp for analysisdir, fmt, outfile, ptitle, psub,
# width, height, NL):
#   datafile     e2e_latency_cdf.csv (series_id, panel, fraction, latency_s)
#   xlabel, xscale, xmin, xmax  the latency axis: title with unit, factor from seconds, extent in that unit
#   panelrows, panelcols, npanels, PT  the grid of panels and their titles (row by row)
#   ncurves, CS, CP, CT, CD, CL  per curve: series_id, panel (1-based), line type, dash type, legend label

load analysisdir.'/style.gp'
set output outfile
set datafile separator comma
set datafile columnheaders

heading = ptitle.(strlen(psub) > 0 ? "\n".psub : '')
if (exists('NL')) { do for [k=1:|NL|] { if (strlen(NL[k]) > 0) { heading = heading."\n".NL[k] } } }

set logscale x 10
set format x '%g'
set xrange [xmin / 1.3 : xmax * 1.3]
if (xmax / xmin < 2000) {
  do for [e=-12:12] { set xtics add (sprintf('%g', 2 * 10.0**e) 2 * 10.0**e, sprintf('%g', 5 * 10.0**e) 5 * 10.0**e) }
}
set yrange [0 : 1.02]
set ytics 0, 0.2, 1
set xlabel xlabel
set ylabel 'fraction of WRs'
set key below center horizontal Left reverse noautotitle spacing 1.2 width 2 maxrows 2
# The median and the 99th percentile, as dotted reference lines.
set arrow 1 from graph 0, first 0.5 to graph 1, first 0.5 nohead lc rgb '#909090' dt 3 lw 1 back
set arrow 2 from graph 0, first 0.99 to graph 1, first 0.99 nohead lc rgb '#909090' dt 3 lw 1 back

mine(i, p) = (column('series_id') == CS[i] && column('panel') == p) ? column('fraction') : NaN

if (npanels > 1) {
  set multiplot layout panelrows, panelcols title heading font ',14'
} else {
  set title heading font ',14'
}
do for [p=1:npanels] {
  if (npanels > 1) { set title PT[p] font ',13' }
  plot for [i=1:ncurves] datafile using (column('latency_s') * xscale):(mine(i, p)) \
         with lines lt CT[i] dt CD[i] lw 2 title (CP[i] == p ? CL[i] : '')
}
if (npanels > 1) { unset multiplot }
