# style: terminal, colours and grid shared by every vnicsim figure (loaded by the figure scripts).
# Variables: fmt ('png' or 'svg'); optionally width and height in pixels (default 960 x 600).

if (!exists('width')) { width = 960 }
if (!exists('height')) { height = 600 }
if (fmt eq 'svg') {
  set terminal svg size width,height dynamic noenhanced font 'Sans,13' linewidth 1.2 background '#ffffff'
} else {
  if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
    set terminal pngcairo size width,height noenhanced font 'Sans,13' linewidth 1.2 background '#ffffff'
  } else {
    set terminal png size width,height noenhanced font 'Sans,12' linewidth 1.2 background '#ffffff'
  }
}

# Okabe-Ito colours (distinguishable with colour-vision deficiencies), each with its own filled marker so that
# series stay apart in grey-scale print as well.
set linetype 1 lc rgb '#0072B2' lw 2 pt 7  ps 1.3
set linetype 2 lc rgb '#D55E00' lw 2 pt 5  ps 1.2
set linetype 3 lc rgb '#009E73' lw 2 pt 9  ps 1.5
set linetype 4 lc rgb '#CC79A7' lw 2 pt 11 ps 1.5
set linetype 5 lc rgb '#E69F00' lw 2 pt 13 ps 1.5
set linetype 6 lc rgb '#56B4E9' lw 2 pt 6  ps 1.3
set linetype 7 lc rgb '#000000' lw 2 pt 4  ps 1.2
set linetype 8 lc rgb '#999999' lw 2 pt 8  ps 1.4
set linetype cycle 8

set border 3 lw 1 lc rgb '#404040'
set tics nomirror out scale 0.6
set style line 100 lc rgb '#dcdcdc' lw 1 dt 1
set grid xtics ytics ls 100, ls 100 back
set errorbars 1.0
