# Q2 repetition: events per run against iters (bytes fixed)
# sysaxis report: re-plot with `gnuplot q2_repetition.gp` in this folder (reads q2_repetition.dat, writes q2_repetition.svg).
# Points: mean over repetitions; error bars: min to max; zero cannot be drawn on a log axis.
set terminal svg size 1200,1698 fixed font 'DejaVu Sans,10' background '#ffffff'
set output 'q2_repetition.svg'
set termoption noenhanced
set encoding utf8
set datafile missing 'NaN'
set logscale xy
set format y '%g'
set grid xtics ytics mytics lc rgb '#e0e0e0'
set key outside right top vertical Left reverse samplen 2 spacing 1.1 font ',9'
set xlabel 'iters'
set ylabel 'events per run'
set bars small
set offsets 0, 0, graph 0.04, graph 0.04
set multiplot layout 5,2 title 'Q2 repetition: events per run against iters (bytes fixed)' font ',12'

# panel: cpu (cpu), bytes = 1 MiB
set title 'cpu (cpu), bytes = 1 MiB'
set xtics ('1' 1, '3' 3, '10' 10, '30' 30, '100' 100, '300' 300, '1,000' 1000)
set xrange [0.660693448007596:1513.5612484362082]
plot 'q2_repetition.dat' index 0 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 1 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 2 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 3 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 4 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 5 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 6 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#000000' pt 7 ps 0.7 title 'faults:minor'

# panel: cuda (alloc, copy), bytes = 1 MiB
set title 'cuda (alloc, copy), bytes = 1 MiB'
set xtics ('1' 1, '3' 3, '10' 10, '30' 30, '100' 100, '300' 300, '1,000' 1000)
set xrange [0.660693448007596:1513.5612484362082]
plot 'q2_repetition.dat' index 7 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 8 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 9 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 10 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 11 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 12 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 13 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 14 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e377c2' pt 8 ps 0.7 title 'poll', \
     '' index 15 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 16 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 17 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 18 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#000000' pt 7 ps 0.7 title 'faults:minor'

# panel: cuda (alloc, free), bytes = 1 MiB
set title 'cuda (alloc, free), bytes = 1 MiB'
set xtics ('1' 1, '3' 3, '10' 10, '30' 30, '100' 100, '300' 300, '1,000' 1000)
set xrange [0.660693448007596:1513.5612484362082]
plot 'q2_repetition.dat' index 19 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 20 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 21 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 22 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 23 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 24 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 25 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 26 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e377c2' pt 8 ps 0.7 title 'poll', \
     '' index 27 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 28 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 29 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 30 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#000000' pt 7 ps 0.7 title 'faults:minor'

# panel: cuda (kernels, sync each), bytes = 1 MiB
set title 'cuda (kernels, sync each), bytes = 1 MiB'
set xtics ('1' 1, '3' 3, '10' 10, '30' 30, '100' 100, '300' 300, '1,000' 1000)
set xrange [0.660693448007596:1513.5612484362082]
plot 'q2_repetition.dat' index 31 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 32 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 33 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 34 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 35 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 36 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 37 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 38 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e377c2' pt 8 ps 0.7 title 'poll', \
     '' index 39 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 40 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 41 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 42 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#000000' pt 7 ps 0.7 title 'faults:minor'

# panel: opencl (NVIDIA CUDA) (alloc, copy), bytes = 1 MiB
set title 'opencl (NVIDIA CUDA) (alloc, copy), bytes = 1 MiB'
set xtics ('1' 1, '3' 3, '10' 10, '30' 30, '100' 100, '300' 300, '1,000' 1000)
set xrange [0.660693448007596:1513.5612484362082]
plot 'q2_repetition.dat' index 43 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 44 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 45 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 46 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 47 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 48 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 49 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 50 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e377c2' pt 8 ps 0.7 title 'poll', \
     '' index 51 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 52 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 53 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 54 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#000000' pt 7 ps 0.7 title 'faults:minor'

# panel: opencl (NVIDIA CUDA) (alloc, free), bytes = 1 MiB
set title 'opencl (NVIDIA CUDA) (alloc, free), bytes = 1 MiB'
set xtics ('1' 1, '3' 3, '10' 10, '30' 30, '100' 100, '300' 300, '1,000' 1000)
set xrange [0.660693448007596:1513.5612484362082]
plot 'q2_repetition.dat' index 55 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 56 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 57 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 58 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 59 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 60 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 61 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 62 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e377c2' pt 8 ps 0.7 title 'poll', \
     '' index 63 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 64 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 65 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 66 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#000000' pt 7 ps 0.7 title 'faults:minor'

# panel: opencl (NVIDIA CUDA) (kernels, sync each), bytes = 1 MiB
set title 'opencl (NVIDIA CUDA) (kernels, sync each), bytes = 1 MiB'
set xtics ('1' 1, '3' 3, '10' 10, '30' 30, '100' 100, '300' 300, '1,000' 1000)
set xrange [0.660693448007596:1513.5612484362082]
plot 'q2_repetition.dat' index 67 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 68 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 69 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 70 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 71 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 72 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 73 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 74 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e377c2' pt 8 ps 0.7 title 'poll', \
     '' index 75 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 76 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 77 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 78 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#000000' pt 7 ps 0.7 title 'faults:minor'

# panel: opencl (Portable Computing Language) (alloc, copy), bytes = 1 MiB
set title 'opencl (Portable Computing Language) (alloc, copy), bytes = 1 MiB'
set xtics ('1' 1, '3' 3, '10' 10, '30' 30, '100' 100, '300' 300, '1,000' 1000)
set xrange [0.660693448007596:1513.5612484362082]
plot 'q2_repetition.dat' index 79 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 80 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 81 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 82 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 83 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 84 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 85 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 86 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 87 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 88 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 89 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#000000' pt 7 ps 0.7 title 'faults:minor'

# panel: opencl (Portable Computing Language) (alloc, free), bytes = 1 MiB
set title 'opencl (Portable Computing Language) (alloc, free), bytes = 1 MiB'
set xtics ('1' 1, '3' 3, '10' 10, '30' 30, '100' 100, '300' 300, '1,000' 1000)
set xrange [0.660693448007596:1513.5612484362082]
plot 'q2_repetition.dat' index 90 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 91 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 92 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 93 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 94 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 95 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 96 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 97 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 98 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 99 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 100 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#000000' pt 7 ps 0.7 title 'faults:minor'

# panel: opencl (Portable Computing Language) (kernels, sync each), bytes = 1 MiB
set title 'opencl (Portable Computing Language) (kernels, sync each), bytes = 1 MiB'
set xtics ('1' 1, '3' 3, '10' 10, '30' 30, '100' 100, '300' 300, '1,000' 1000)
set xrange [0.660693448007596:1513.5612484362082]
plot 'q2_repetition.dat' index 101 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 102 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 103 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 104 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 105 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 106 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 107 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 108 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 109 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 110 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 111 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#000000' pt 7 ps 0.7 title 'faults:minor'

unset multiplot
