# Q1 size: time in syscalls and CPU time per run against bytes (iters fixed)
# sysaxis report: re-plot with `gnuplot q1_size_time.gp` in this folder (reads q1_size_time.dat, writes q1_size_time.svg).
# Points: mean over repetitions; error bars: min to max; zero cannot be drawn on a log axis.
set terminal svg size 1200,1368 fixed font 'DejaVu Sans,10' background '#ffffff'
set output 'q1_size_time.svg'
set termoption noenhanced
set encoding utf8
set datafile missing 'NaN'
set logscale xy
set format y '%g'
set grid xtics ytics mytics lc rgb '#e0e0e0'
set key outside right top vertical Left reverse samplen 2 spacing 1.1 font ',9'
set xlabel 'bytes'
set ylabel 'time per run (ns)'
set bars small
set offsets 0, 0, graph 0.04, graph 0.04
set multiplot layout 4,2 title 'Q1 size: time in syscalls and CPU time per run against bytes (iters fixed)' font ',12'

# panel: cpu (cpu), iters = 100
set title 'cpu (cpu), iters = 100'
set xtics ('4 KiB' 4096, '16 KiB' 16384, '64 KiB' 65536, '256 KiB' 262144, '1 MiB' 1048576, '4 MiB' 4194304, '16 MiB' 16777216, '64 MiB' 67108864, '256 MiB' 268435456)
set xrange [2105.5771169916243:522190148.6785458]
plot 'q1_size_time.dat' index 0 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 1 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 2 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 3 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e6550d' pt 13 ps 0.7 title 'cpu'

# panel: cuda (alloc, free), iters = 100
set title 'cuda (alloc, free), iters = 100'
set xtics ('4 KiB' 4096, '16 KiB' 16384, '64 KiB' 65536, '256 KiB' 262144, '1 MiB' 1048576, '4 MiB' 4194304, '16 MiB' 16777216, '64 MiB' 67108864, '256 MiB' 268435456)
set xrange [2105.5771169916243:522190148.6785458]
plot 'q1_size_time.dat' index 4 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 5 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 6 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 7 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 8 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 9 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 10 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e377c2' pt 8 ps 0.7 title 'poll', \
     '' index 11 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 12 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e6550d' pt 13 ps 0.7 title 'cpu'

# panel: cuda (kernels, sync each), iters = 100
set title 'cuda (kernels, sync each), iters = 100'
set xtics ('4 KiB' 4096, '16 KiB' 16384, '64 KiB' 65536, '256 KiB' 262144, '1 MiB' 1048576, '4 MiB' 4194304, '16 MiB' 16777216, '64 MiB' 67108864, '256 MiB' 268435456)
set xrange [2105.5771169916243:522190148.6785458]
plot 'q1_size_time.dat' index 13 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 14 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 15 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 16 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 17 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 18 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 19 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e377c2' pt 8 ps 0.7 title 'poll', \
     '' index 20 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 21 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e6550d' pt 13 ps 0.7 title 'cpu'

# panel: opencl (NVIDIA CUDA) (alloc, free), iters = 100
set title 'opencl (NVIDIA CUDA) (alloc, free), iters = 100'
set xtics ('4 KiB' 4096, '16 KiB' 16384, '64 KiB' 65536, '256 KiB' 262144, '1 MiB' 1048576, '4 MiB' 4194304, '16 MiB' 16777216, '64 MiB' 67108864, '256 MiB' 268435456)
set xrange [2105.5771169916243:522190148.6785458]
plot 'q1_size_time.dat' index 22 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 23 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 24 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 25 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 26 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 27 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 28 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e377c2' pt 8 ps 0.7 title 'poll', \
     '' index 29 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 30 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 31 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e6550d' pt 13 ps 0.7 title 'cpu'

# panel: opencl (NVIDIA CUDA) (kernels, sync each), iters = 100
set title 'opencl (NVIDIA CUDA) (kernels, sync each), iters = 100'
set xtics ('4 KiB' 4096, '16 KiB' 16384, '64 KiB' 65536, '256 KiB' 262144, '1 MiB' 1048576, '4 MiB' 4194304, '16 MiB' 16777216, '64 MiB' 67108864, '256 MiB' 268435456)
set xrange [2105.5771169916243:522190148.6785458]
plot 'q1_size_time.dat' index 32 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 33 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 34 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 35 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 36 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 37 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 38 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e377c2' pt 8 ps 0.7 title 'poll', \
     '' index 39 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 40 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 41 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e6550d' pt 13 ps 0.7 title 'cpu'

# panel: opencl (Portable Computing Language) (alloc, free), iters = 100
set title 'opencl (Portable Computing Language) (alloc, free), iters = 100'
set xtics ('4 KiB' 4096, '16 KiB' 16384, '64 KiB' 65536, '256 KiB' 262144, '1 MiB' 1048576, '4 MiB' 4194304, '16 MiB' 16777216, '64 MiB' 67108864, '256 MiB' 268435456)
set xrange [2105.5771169916243:522190148.6785458]
plot 'q1_size_time.dat' index 42 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 43 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 44 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 45 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 46 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 47 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 48 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 49 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 50 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 51 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 52 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e6550d' pt 13 ps 0.7 title 'cpu'

# panel: opencl (Portable Computing Language) (kernels, sync each), iters = 100
set title 'opencl (Portable Computing Language) (kernels, sync each), iters = 100'
set xtics ('4 KiB' 4096, '16 KiB' 16384, '64 KiB' 65536, '256 KiB' 262144, '1 MiB' 1048576, '4 MiB' 4194304, '16 MiB' 16777216, '64 MiB' 67108864, '256 MiB' 268435456)
set xrange [2105.5771169916243:522190148.6785458]
plot 'q1_size_time.dat' index 53 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 54 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 55 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 56 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 57 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 58 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 59 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 60 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 61 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 62 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 63 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e6550d' pt 13 ps 0.7 title 'cpu'

unset multiplot
