# Draws bench/import_goodput.sh's changing-limit case: requests arriving a
# second (the sandbox's timeline) against its limit, old controller beside new.
#   gnuplot -e "new='new.dat'; old='old.dat'; out='x.svg'; every=20" bench/rate_control_changing_limit.gp
# Each .dat line: second since the first request, limit, requests that second.
# Without `old`, the new controller alone.
has_old = exists("old")
set terminal svg size (has_old ? 1100 : 600), 460 dynamic font "sans,12" background "white"
set output out
set xlabel "seconds since the first request"
set ylabel "requests a second"
set yrange [0:*]
set grid ytics
set key below horizontal
set style line 1 lc rgb "#999999" lw 2 dt 2
set style line 2 lc rgb "#1f77b4" lw 2
if (has_old) { set multiplot layout 1, 2 title sprintf("Limit 200 -> 100 -> 300/s, changed every %d s; --rate 400, 8 connections", every) }
if (has_old) {
  set title "old: adaptive\\_rate (AWS adaptive mode)"
  plot old using 1:2 with fsteps ls 1 title "server's limit", \
       old using 1:3 with lines ls 2 title "requests a second (all answers)"
}
set title "new: rate\\_controller (delivery rate, BBR-like)"
plot new using 1:2 with fsteps ls 1 title "server's limit", \
     new using 1:3 with lines ls 2 title "requests a second (all answers)"
if (has_old) { unset multiplot }
