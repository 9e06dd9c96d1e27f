# Q1 size: events per run against bytes (iters fixed)
# sysaxis report: re-plot with `gnuplot q1_size.gp` in this folder (reads q1_size.dat, writes q1_size.svg).
# Points: mean over repetitions; error bars: min to max; zero cannot be drawn on a log axis.
set terminal svg size 1200,1368 fixed font 'DejaVu Sans,10' background '#ffffff'
set output 'q1_size.svg'
set termoption noenhanced
set encoding utf8
set datafile missing 'NaN'
set logscale xy
set format y '%g'
set grid xtics ytics mytics lc rgb '#e0e0e0'
set key outside right top vertical Left reverse samplen 2 spacing 1.1 font ',9'
set xlabel 'bytes'
set ylabel 'events per run'
set bars small
set offsets 0, 0, graph 0.04, graph 0.04
set multiplot layout 4,2 title 'Q1 size: events per run against bytes (iters fixed)' font ',12'

# panel: cpu (cpu), iters = 100
set title 'cpu (cpu), iters = 100'
set xtics ('4 KiB' 4096, '16 KiB' 16384, '64 KiB' 65536, '256 KiB' 262144, '1 MiB' 1048576, '4 MiB' 4194304, '16 MiB' 16777216, '64 MiB' 67108864, '256 MiB' 268435456)
set xrange [2105.5771169916243:522190148.6785458]
plot 'q1_size.dat' index 0 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 1 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 2 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 3 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 4 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 5 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 6 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#000000' pt 7 ps 0.7 title 'faults:minor'

# panel: cuda (alloc, free), iters = 100
set title 'cuda (alloc, free), iters = 100'
set xtics ('4 KiB' 4096, '16 KiB' 16384, '64 KiB' 65536, '256 KiB' 262144, '1 MiB' 1048576, '4 MiB' 4194304, '16 MiB' 16777216, '64 MiB' 67108864, '256 MiB' 268435456)
set xrange [2105.5771169916243:522190148.6785458]
plot 'q1_size.dat' index 7 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
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

# panel: cuda (kernels, sync each), iters = 100
set title 'cuda (kernels, sync each), iters = 100'
set xtics ('4 KiB' 4096, '16 KiB' 16384, '64 KiB' 65536, '256 KiB' 262144, '1 MiB' 1048576, '4 MiB' 4194304, '16 MiB' 16777216, '64 MiB' 67108864, '256 MiB' 268435456)
set xrange [2105.5771169916243:522190148.6785458]
plot 'q1_size.dat' index 19 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
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

# panel: opencl (NVIDIA CUDA) (alloc, free), iters = 100
set title 'opencl (NVIDIA CUDA) (alloc, free), iters = 100'
set xtics ('4 KiB' 4096, '16 KiB' 16384, '64 KiB' 65536, '256 KiB' 262144, '1 MiB' 1048576, '4 MiB' 4194304, '16 MiB' 16777216, '64 MiB' 67108864, '256 MiB' 268435456)
set xrange [2105.5771169916243:522190148.6785458]
plot 'q1_size.dat' index 31 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
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

# panel: opencl (NVIDIA CUDA) (kernels, sync each), iters = 100
set title 'opencl (NVIDIA CUDA) (kernels, sync each), iters = 100'
set xtics ('4 KiB' 4096, '16 KiB' 16384, '64 KiB' 65536, '256 KiB' 262144, '1 MiB' 1048576, '4 MiB' 4194304, '16 MiB' 16777216, '64 MiB' 67108864, '256 MiB' 268435456)
set xrange [2105.5771169916243:522190148.6785458]
plot 'q1_size.dat' index 43 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
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

# panel: opencl (Portable Computing Language) (alloc, free), iters = 100
set title 'opencl (Portable Computing Language) (alloc, free), iters = 100'
set xtics ('4 KiB' 4096, '16 KiB' 16384, '64 KiB' 65536, '256 KiB' 262144, '1 MiB' 1048576, '4 MiB' 4194304, '16 MiB' 16777216, '64 MiB' 67108864, '256 MiB' 268435456)
set xrange [2105.5771169916243:522190148.6785458]
plot 'q1_size.dat' index 55 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 56 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 57 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 58 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 59 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 60 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 61 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 62 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 63 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 64 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 65 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#000000' pt 7 ps 0.7 title 'faults:minor'

# panel: opencl (Portable Computing Language) (kernels, sync each), iters = 100
set title 'opencl (Portable Computing Language) (kernels, sync each), iters = 100'
set xtics ('4 KiB' 4096, '16 KiB' 16384, '64 KiB' 65536, '256 KiB' 262144, '1 MiB' 1048576, '4 MiB' 4194304, '16 MiB' 16777216, '64 MiB' 67108864, '256 MiB' 268435456)
set xrange [2105.5771169916243:522190148.6785458]
plot 'q1_size.dat' index 66 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 67 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 68 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 69 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 70 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 71 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 72 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 73 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 74 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 75 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 76 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#000000' pt 7 ps 0.7 title 'faults:minor'

unset multiplot
