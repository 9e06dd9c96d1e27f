# Q2 repetition: time in syscalls and CPU time per run against iters (bytes fixed)
# sysaxis report: re-plot with `gnuplot q2_repetition_time.gp` in this folder (reads q2_repetition_time.dat, writes q2_repetition_time.svg).
# Points: mean over repetitions; error bars: min to max; zero cannot be drawn on a log axis.
set terminal svg size 1200,1038 fixed font 'DejaVu Sans,10' background '#ffffff'
set output 'q2_repetition_time.svg'
set termoption noenhanced
set encoding utf8
set datafile missing 'NaN'
set logscale xy
set format y '%g'
set grid xtics ytics mytics lc rgb '#e0e0e0'
set key outside right top vertical Left reverse samplen 2 spacing 1.1 font ',9'
set xlabel 'iters'
set ylabel 'time per run (ns)'
set bars small
set offsets 0, 0, graph 0.04, graph 0.04
set multiplot layout 3,2 title 'Q2 repetition: time in syscalls and CPU time per run against iters (bytes fixed)' font ',12'

# panel: cpu (cpu), bytes = 1 MiB
set title 'cpu (cpu), bytes = 1 MiB'
set xtics ('1' 1, '3' 3, '10' 10, '30' 30, '100' 100, '300' 300, '1,000' 1000)
set xrange [0.660693448007596:1513.5612484362082]
plot 'q2_repetition_time.dat' index 0 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 1 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 2 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 3 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info'

# panel: hip (alloc, free), bytes = 1 MiB
set title 'hip (alloc, free), bytes = 1 MiB'
set xtics ('1' 1, '3' 3, '10' 10, '30' 30, '100' 100, '300' 300, '1,000' 1000)
set xrange [0.660693448007596:1513.5612484362082]
plot 'q2_repetition_time.dat' index 4 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 5 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 6 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 7 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 8 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 9 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 10 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info'

# panel: hip (kernels, sync each), bytes = 1 MiB
set title 'hip (kernels, sync each), bytes = 1 MiB'
set xtics ('1' 1, '3' 3, '10' 10, '30' 30, '100' 100, '300' 300, '1,000' 1000)
set xrange [0.660693448007596:1513.5612484362082]
plot 'q2_repetition_time.dat' index 11 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 12 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 13 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 14 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 15 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 16 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 17 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 18 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info'

# panel: opencl (alloc, free), bytes = 1 MiB
set title 'opencl (alloc, free), bytes = 1 MiB'
set xtics ('1' 1, '3' 3, '10' 10, '30' 30, '100' 100, '300' 300, '1,000' 1000)
set xrange [0.660693448007596:1513.5612484362082]
plot 'q2_repetition_time.dat' index 19 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 20 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 21 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 22 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 23 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 24 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 25 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal'

# panel: opencl (kernels, sync each), bytes = 1 MiB
set title 'opencl (kernels, sync each), bytes = 1 MiB'
set xtics ('1' 1, '3' 3, '10' 10, '30' 30, '100' 100, '300' 300, '1,000' 1000)
set xrange [0.660693448007596:1513.5612484362082]
plot 'q2_repetition_time.dat' index 26 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 27 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 28 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 29 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 30 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 31 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 32 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal'

unset multiplot
