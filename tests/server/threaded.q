/ The server of multithreaded input mode's test: `q threaded.q -p -0W`; prints its port.
t:([]x:til 10)
a:1
.z.po:{`po set 1b}
po:0b
ticks:0
.z.ts:{`ticks set ticks+1}
\t 20
-1 string system"p";
