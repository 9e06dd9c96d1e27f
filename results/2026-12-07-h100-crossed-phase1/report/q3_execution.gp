# Q3 execution: events per run by execution model (cpu baseline first)
# sysaxis report: re-plot with `gnuplot q3_execution.gp` in this folder (reads q3_execution.dat, writes q3_execution.svg).
# Points: mean over repetitions; error bars: its 95% bootstrap interval.
set terminal svg size 1200,708 fixed font 'DejaVu Sans,10' background '#ffffff'
set output 'q3_execution.svg'
set termoption noenhanced
set encoding utf8
set datafile missing 'NaN'
set logscale y
set format y '%g'
set grid xtics ytics mytics lc rgb '#e0e0e0'
set key outside right top vertical Left reverse samplen 2 spacing 1.1 font ',9'
set xlabel 'execution model'
set ylabel 'events per run'
set bars small
set offsets 0, 0, graph 0.04, graph 0.04
set multiplot layout 2,2 title 'Q3 execution: events per run by execution model (cpu baseline first)' font ',12'

# panel: cuda, 1 MiB x 100 iterations
set title 'cuda, 1 MiB x 100 iterations'
set xtics ('cpu baseline' 0, 'alloc, copy' 1, 'alloc, free' 2, 'kernels, sync each' 3, 'kernels, sync end' 4)
set xrange [-0.4:4.4]
plot 'q3_execution.dat' index 0 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 1 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 2 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 3 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 4 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 5 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 6 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 7 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e377c2' pt 8 ps 0.7 title 'poll', \
     '' index 8 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 9 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 10 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 11 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#000000' pt 7 ps 0.7 title 'faults:minor'

# panel: opencl (NVIDIA CUDA), 1 MiB x 100 iterations
set title 'opencl (NVIDIA CUDA), 1 MiB x 100 iterations'
set xtics ('cpu baseline' 0, 'alloc, copy' 1, 'alloc, free' 2, 'kernels, sync each' 3, 'kernels, sync end' 4)
set xrange [-0.4:4.4]
plot 'q3_execution.dat' index 12 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 13 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 14 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 15 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 16 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 17 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 18 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 19 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#e377c2' pt 8 ps 0.7 title 'poll', \
     '' index 20 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 21 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 22 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 23 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#000000' pt 7 ps 0.7 title 'faults:minor'

# panel: opencl (Portable Computing Language), 1 MiB x 100 iterations
set title 'opencl (Portable Computing Language), 1 MiB x 100 iterations'
set xtics ('cpu baseline' 0, 'alloc, copy' 1, 'alloc, free' 2, 'kernels, sync each' 3, 'kernels, sync end' 4)
set xrange [-0.4:4.4]
plot 'q3_execution.dat' index 24 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#1f77b4' pt 7 ps 0.7 title 'memory', \
     '' index 25 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#d62728' pt 5 ps 0.7 title 'driver', \
     '' index 26 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#2ca02c' pt 9 ps 0.7 title 'sync', \
     '' index 27 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#9467bd' pt 11 ps 0.7 title 'sched', \
     '' index 28 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#ff7f0e' pt 13 ps 0.7 title 'thread', \
     '' index 29 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#8c564b' pt 4 ps 0.7 title 'process', \
     '' index 30 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#17becf' pt 6 ps 0.7 title 'file', \
     '' index 31 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#bcbd22' pt 10 ps 0.7 title 'signal', \
     '' index 32 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#393b79' pt 14 ps 0.7 title 'ipc_net', \
     '' index 33 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#637939' pt 1 ps 0.7 title 'info', \
     '' index 34 using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '#000000' pt 7 ps 0.7 title 'faults:minor'

unset multiplot
