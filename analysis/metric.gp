# metric: one metric of a vnicsim run against x, one line per series, 95% CI error bars; optionally a second
# metric of the same unit drawn dashed in the same colour; optionally one panel per facet.
#
# vnicsim plot sets these variables with `gnuplot -e`; to redraw a figure by hand, set them the same way:
#   analysisdir  directory of this script        fmt      'png' or 'svg'
#   datafile     aggregated CSV (by_<x>.csv)      outfile  output file
#   ptitle, psub title and its second line        xlabel, ylabel  axis labels with units
#   xcol         x column name in datafile        xscale   factor from SI to the x unit of xlabel
#   logx, xmin, xmax, xtics  x axis (xtics: '' or a gnuplot tic list)
#   metric       results column (datafile has <metric>_mean and <metric>_ci95)
#   metric2      '' or a second column, dashed;  label1, label2: legend entries for solid and dashed
#   yscale, logy, ymin, ymax  y axis (ymin, ymax: extent of the scaled values, used on a log scale)
#   ebars        1 to draw error bars where n > 1
#   nseries, S   number of series and their labels (array S[nseries]); keytitle: legend title or ''
#   keypos       'right' or 'below'
# Optional (vnicsim plot sets them; without them every series is drawn solid in one panel):
#   note         a third title line ('' for none), or NL: an array of such lines (the series left out because
#                every value is 0, the coinciding lines)
#   npanels, PT  number of panels and their titles (array PT[npanels])
#   SP, LT, DT, DX  per series (arrays of nseries): panel (1-based; 0: not drawn), line type (colour and
#                marker), dash type, and sideways shift in steps of shiftstep of the x axis (coinciding lines)
#   width, height  image size in pixels
# Example:
#   gnuplot -e "analysisdir='analysis'; fmt='png'; datafile='plots/by_consumers_per_host.csv'; \
#     outfile='t.png'; ptitle='run'; psub=''; xlabel='consumers per host'; ylabel='throughput (M WR/s)'; \
#     xcol='consumers_per_host'; xscale=1; logx=1; xmin=1; xmax=32; xtics=''; metric='throughput_wr_s'; \
#     metric2=''; label1=''; label2=''; yscale=1e-6; logy=0; ymin=0; ymax=0; ebars=1; nseries=2; \
#     array S[2]=['speculative','lock']; keytitle=''; keypos='right'" analysis/metric.gp

load analysisdir.'/style.gp'
set output outfile
set datafile separator comma
set datafile columnheaders

if (!exists('note')) { note = '' }
if (!exists('psub')) { psub = '' }
if (!exists('npanels')) { npanels = 1; array PT[1] = [''] }
if (!exists('SP')) { array SP[nseries]; do for [i=1:nseries] { SP[i] = 1 } }
if (!exists('LT')) { array LT[nseries]; do for [i=1:nseries] { LT[i] = i } }
if (!exists('DT')) { array DT[nseries]; do for [i=1:nseries] { DT[i] = 1 } }
if (!exists('DX')) { array DX[nseries]; do for [i=1:nseries] { DX[i] = 0 } }
if (!exists('shiftstep')) { shiftstep = 0.012 }

heading = ptitle.(strlen(psub) > 0 ? "\n".psub : '').(strlen(note) > 0 ? "\n".note : '')
lines = 1 + (strlen(psub) > 0) + (strlen(note) > 0)
if (exists('NL')) { do for [k=1:|NL|] { if (strlen(NL[k]) > 0) { heading = heading."\n".NL[k]; lines = lines + 1 } } }
set xlabel xlabel
set ylabel ylabel

# x: log scale for geometric sweeps (1 2 4 ... 32), with a margin so that the end points are not on the border.
if (logx) {
  set logscale x 2
  set xrange [xmin / 1.25 : xmax * 1.25]
  shiftf = (xmax / xmin * 1.5625) ** shiftstep
  shiftl = 0
} else {
  pad = (xmax > xmin) ? 0.04 * (xmax - xmin) : (xmin != 0 ? 0.1 * abs(xmin) : 1)
  set xrange [xmin - pad : xmax + pad]
  shiftf = 1
  shiftl = (xmax - xmin + 2 * pad) * shiftstep
}
unset mxtics
if (strlen(xtics) > 0) { eval 'set xtics '.xtics }

# y: from 0 on a linear scale (ratios read honestly), log scale when the values span more than two decades. The
# same range in every panel, so that panels compare at a glance.
if (logy) {
  set logscale y 10
  set format y '%g'
  set yrange [ymin / 1.6 : ymax * 1.6]
  # Over a few decades, also label 2 and 5 of each decade, so that values can be read off without counting
  # minor tics.
  if (ymax / ymin < 2000) {
    do for [e=-12:12] { set ytics add (sprintf('%g', 2 * 10.0**e) 2 * 10.0**e, sprintf('%g', 5 * 10.0**e) 5 * 10.0**e) }
  }
} else {
  # Up to a round figure (1, 1.5, 2, 2.5, ... times a power of ten) above the largest value plus 5%.
  ystep = (ymax > 0) ? 10.0 ** floor(log10(ymax * 1.05)) / 2 : 0.5
  set yrange [0:(ymax > 0 ? ceil(ymax * 1.05 / ystep) * ystep : 1)]
}

# Legend: right of the plot for a few short labels, below it for long ones (so the plot keeps its width).
if (keypos eq 'below') {
  set key below center horizontal Left reverse noautotitle spacing 1.3 width 2 maxrows 4
} else {
  set key outside right top vertical Left reverse noautotitle spacing 1.3 width 1
}
if (strlen(keytitle) > 0) { set key title keytitle left }

# Series i in panel p: its values, else NaN (not plotted); shifted sideways when it coincides with another line.
sel(i, c, p) = (column('series_id') == i - 1 && SP[i] == p) ? column(c) : NaN
bar(i, c, p) = (column('series_id') == i - 1 && SP[i] == p && column('n') > 1) ? column(c) : NaN
xat(i) = logx ? column(xcol) * xscale * shiftf ** DX[i] : column(xcol) * xscale + DX[i] * shiftl
m1 = metric.'_mean'; e1 = metric.'_ci95'
# Without a second metric its loops are empty; the first metric's columns keep gnuplot from warning.
metric2col = (strlen(metric2) > 0) ? metric2 : metric
m2 = metric2col.'_mean'; e2 = metric2col.'_ci95'
n2 = (strlen(metric2) > 0) ? nseries : 0
nb = ebars ? nseries : 0

if (npanels > 1) {
  cols = (npanels == 4) ? 2 : npanels
  rows = (npanels + cols - 1) / cols
  set multiplot layout rows, cols title heading font ',14'
} else {
  set title heading font ',14'
}
do for [p=1:npanels] {
  if (npanels > 1) { set title PT[p] font ',13' }
  # Error bars first, so that the markers of the lines are drawn over them.
  plot \
    for [i=1:nb] datafile using (xat(i)):(bar(i, m1, p) * yscale):(column(e1) * yscale) with yerrorbars lt LT[i] pt 7 ps 0.4 notitle, \
    for [i=1:(n2 > 0 ? nb : 0)] datafile using (xat(i)):(bar(i, m2, p) * yscale):(column(e2) * yscale) with yerrorbars lt LT[i] pt 7 ps 0.4 notitle, \
    for [i=1:nseries] datafile using (xat(i)):(sel(i, m1, p) * yscale) with linespoints lt LT[i] dt DT[i] title (SP[i] == p ? S[i] : ''), \
    for [i=1:n2] datafile using (xat(i)):(sel(i, m2, p) * yscale) with linespoints lt LT[i] dt 2 pt 0 notitle, \
    for [i=1:(n2 > 0 ? 1 : 0)] NaN with lines lc rgb '#000000' lw 2 dt 1 title label1, \
    for [i=1:(n2 > 0 ? 1 : 0)] NaN with lines lc rgb '#000000' lw 2 dt 2 title label2
}
if (npanels > 1) { unset multiplot }
