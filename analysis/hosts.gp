# hosts: per host and configuration, the WRs received and their p99 end-to-end latency, as two heat maps (a row per
# configuration, a column per host): a hot host stands out as a column.
#
# vnicsim plot sets these variables with `gnuplot -e` (see metric.gp for analysisdir, fmt, outfile, ptitle, psub,
# width, height, NL):
#   datafile     by_host.csv (series_id, host_index, wr_received_mean, e2e_p99_received_s_mean, ...)
#   nhosts, nseries, S  host count, configuration count and the configurations' labels (rows, first at the top)
#   namedhosts, HN  1 to write the host names HN[nhosts] under the columns
#   lmarg        left margin (screen fraction) for the row labels;  valuelabels: 1 to print the values in the cells
#   rmax         the largest WR count;  pscale, logp, pmin, pmax, plabel: the latency's unit factor, log scale,
#                extent (in that unit) and colour-bar label

load analysisdir.'/style.gp'
set output outfile
set datafile separator comma
set datafile columnheaders

heading = ptitle.(strlen(psub) > 0 ? "\n".psub : '')
lines = 1 + (strlen(psub) > 0)
if (exists('NL')) { do for [k=1:|NL|] { if (strlen(NL[k]) > 0) { heading = heading."\n".NL[k]; lines = lines + 1 } } }
top = 1 - (lines * 22.0 + 56) / height

row(s) = nseries - 1 - s
# the row of a cell with a value of column c, else NaN (the cell is not drawn: the grey background shows)
rowif(c) = (column(c) == column(c)) ? row(column('series_id')) : NaN
val(c) = column(c)
cnt(v) = v < 1e4 ? sprintf('%.0f', v) : sprintf('%.3gk', v / 1e3)
num(v) = sprintf('%.3g', v)

# Light to dark blue: the hot cells are the dark ones. Cells without a value show the grey background.
set palette defined (0 '#f7fbff', 0.25 '#c6dbef', 0.5 '#6baed6', 0.75 '#2171b5', 1 '#08306b')
set style fill solid 1.0 noborder
set xrange [-0.5 : nhosts - 0.5]
set yrange [-0.5 : nseries - 0.5]
set ytics () nomirror scale 0
do for [s=1:nseries] { set ytics add (S[s] nseries - s) }
set grid noxtics noytics
set border 0
if (namedhosts) {
  if (nhosts > 8) { set xtics () nomirror scale 0 rotate by 45 right } else { set xtics () nomirror scale 0 }
  do for [h=1:nhosts] { set xtics add (HN[h] h - 1) }
} else {
  set xtics nomirror out
}
set xlabel 'host'
set object 1 rect from graph 0, graph 0 to graph 1, graph 1 behind fillcolor rgb '#d9d9d9' fillstyle solid 1.0 noborder
set colorbox vertical

set multiplot layout 2, 1 title heading font ',14' margins lmarg, 0.84, 120.0 / height, top spacing 0, ((namedhosts && nhosts > 8) ? 130.0 : 90.0) / height
set title 'WRs received per host' font ',13'
unset xlabel
set cbrange [0 : rmax]
set cblabel 'WRs' offset 1, 0
unset logscale cb
set format cb '%g'
# white text on dark cells
plot datafile using (column('host_index')):(rowif('wr_received_mean')):(0.5):(0.5):(val('wr_received_mean')) \
       with boxxyerror lc palette notitle, \
     for [i=1:valuelabels] datafile using (column('host_index')):(row(column('series_id'))):(cnt(val('wr_received_mean'))):(val('wr_received_mean') > 0.6 * rmax ? 0xffffff : 0x000000) \
       with labels tc rgb variable font ',9' notitle

set title 'p99 end-to-end latency of the WRs a host received' font ',13'
set xlabel 'host'
set cblabel plabel offset 1, 0
if (logp) {
  set logscale cb 10
  set cbrange [pmin / 1.2 : pmax * 1.2]
  pfrac(v) = log(v / (pmin / 1.2)) / log(pmax * 1.44 / pmin)
} else {
  set cbrange [0 : pmax]
  pfrac(v) = v / pmax
}
plot datafile using (column('host_index')):(rowif('e2e_p99_received_s_mean')):(0.5):(0.5):(val('e2e_p99_received_s_mean') * pscale) \
       with boxxyerror lc palette notitle, \
     for [i=1:valuelabels] datafile using (column('host_index')):(rowif('e2e_p99_received_s_mean')):(num(val('e2e_p99_received_s_mean') * pscale)):(pfrac(val('e2e_p99_received_s_mean') * pscale) > 0.6 ? 0xffffff : 0x000000) \
       with labels tc rgb variable font ',9' notitle
unset multiplot
