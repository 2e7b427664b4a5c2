/ A subscriber (`LIBQ_TEST_PORT=port q subscriber.q </dev/null`): asks the server to publish to it from the
/ server's timer, then waits on its own loop; prints what arrived and exits.
h:hopen "J"$getenv`LIBQ_TEST_PORT
got:()
upd:{`got set got,x}
h"pub:{neg[x](`upd;y)};subs:.z.w;.z.ts:{pub[subs;til 3];system\"t 0\"};system\"t 10\""
.z.ts:{if[3=count got;-1 .Q.s1 got;exit 0]}
\t 5
