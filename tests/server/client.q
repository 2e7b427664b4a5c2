h:hopen PORT
h".z.po:{`po set po,x};po:();.z.pc:{`pc set pc,x};pc:()"
h2:hopen PORT
h"count po"
hclose h2
while[0=h"count pc";]
h"po~pc"
cb:{`got set x}
h({neg[.z.w](`cb;42);1};::)
got
h({.z.w"1+2"};::)
h"f:{`d set .z.w;system\"t 10\";-30!(::)}"
h".z.ts:{-30!(d;0b;`ok);system\"t 0\"}"
h2:hopen PORT
h2"f[]"
h".z.ts:{-30!(d;1b;\"bad\");system\"t 0\"}"
h2"f[]"
h"-30!(d;0b;1)"
h"\\t"
h"cnt:0;.z.ts:{cnt+:1}"
h"\\t 20"
h"\\t"
while[3>h"cnt";]
h"\\t 0"
h"cnt>=3"
h"value .z.W"
h"\\p 0"
h"\\p"
h"1+1"
neg[h]"z:5";neg[h][]
h"z"
@[hopen;PORT;{x}]
