# metric: one metric of a vnicsim run against x, one line per series, 95% CI error bars; optionally a second
# metric of the same unit drawn dashed in the same colour.
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

set title ptitle.(strlen(psub) > 0 ? "\n".psub : '') font ',14'
set xlabel xlabel
set ylabel ylabel

# x: log scale for geometric sweeps (1 2 4 ... 32), with a margin so that the end points are not on the border.
if (logx) {
  set logscale x 2
  set xrange [xmin / 1.25 : xmax * 1.25]
} else {
  pad = (xmax > xmin) ? 0.04 * (xmax - xmin) : (xmin != 0 ? 0.1 * abs(xmin) : 1)
  set xrange [xmin - pad : xmax + pad]
}
unset mxtics
if (strlen(xtics) > 0) { eval 'set xtics '.xtics }

# y: from 0 on a linear scale (ratios read honestly), log scale when the values span more than two decades.
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
  set yrange [0:*]
  set offsets 0, 0, graph 0.05, 0
}

# Legend: right of the plot for a few short labels, below it for long ones (so the plot keeps its width).
if (keypos eq 'below') {
  set key below center horizontal Left reverse noautotitle spacing 1.3 width 2 maxrows 4
} else {
  set key outside right top vertical Left reverse noautotitle spacing 1.3 width 1
}
if (strlen(keytitle) > 0) { set key title keytitle left }

sel(i, c) = (column('series_id') == i - 1) ? column(c) : NaN
bar(i, c) = (column('series_id') == i - 1 && column('n') > 1) ? column(c) : NaN
X = 'column(xcol) * xscale'
m1 = metric.'_mean'; e1 = metric.'_ci95'
# Without a second metric its loops are empty; the first metric's columns keep gnuplot from warning.
metric2col = (strlen(metric2) > 0) ? metric2 : metric
m2 = metric2col.'_mean'; e2 = metric2col.'_ci95'
n2 = (strlen(metric2) > 0) ? nseries : 0
nb = ebars ? nseries : 0

# Error bars first, so that the markers of the lines are drawn over them.
plot \
  for [i=1:nb] datafile using (@X):(bar(i, m1) * yscale):(column(e1) * yscale) with yerrorbars lt i pt 7 ps 0.4 notitle, \
  for [i=1:(n2 > 0 ? nb : 0)] datafile using (@X):(bar(i, m2) * yscale):(column(e2) * yscale) with yerrorbars lt i pt 7 ps 0.4 notitle, \
  for [i=1:nseries] datafile using (@X):(sel(i, m1) * yscale) with linespoints lt i title S[i], \
  for [i=1:n2] datafile using (@X):(sel(i, m2) * yscale) with linespoints lt i dt 2 pt 0 notitle, \
  for [i=1:(n2 > 0 ? 1 : 0)] NaN with lines lc rgb '#000000' lw 2 dt 1 title label1, \
  for [i=1:(n2 > 0 ? 1 : 0)] NaN with lines lc rgb '#000000' lw 2 dt 2 title label2
