/ Secondary-thread speedups on one machine: db-benchmark-style groupby questions (10M rows) and
/ peach, each with \s 0 and \s N, same data, same process. N runs over 1 2 4 ... up to the -s the
/ process started with; each \s N run follows its own \s 0 run, and each time is the best of 3,
/ so that ratios come from adjacent runs on a busy machine. Answers must be equal to the bit.
/ Run: target/release/q scripts/bench-threads.q -s 16 </dev/null
n:10000000;
t:([]id1:n?`$"id",/:string 1+til 100;id2:n?`$"id",/:string 1+til 100;id3:n?`$"id",/:string 1+til 100000;id4:n?100;id5:n?100;id6:n?100000;v1:1+n?5;v2:1+n?15;v3:n?100f);
qs:("select v1:sum v1 by id1 from t";"select v1:sum v1 by id1,id2 from t";"select v1:sum v1,v3:avg v3 by id3 from t";"select v1:sum v1,v2:sum v2 by id4 from t";"select v1:sum v1,v2:sum v2,v3:sum v3 by id6 from t";"select mx:max v1,mn:min v2 by id3 from t";"select v3:sum v3,cnt:count i by id1,id2,id3,id4,id5,id6 from t");
pe:"{sum exp x} peach 64#enlist 1000000?1f";
top:system"s";
ns:s where (s:1 2 4 8 16 32 64)<=top;
best:{min {system"t ",x} each 3#enlist x};
run:{[s] system"s ",string s; r:best each qs,enlist pe; -1 "\\s ",(string s),": ",(" " sv string r)," ms (best of 3)"; r};
same:{system"s ",string x; -8!value each qs};
-1 "answers equal to the bit with \\s 0 and \\s ",(string top),": ",string (same 0)~same top;
{b:run 0; r:run x; -1 "  speedup vs \\s 0: "," " sv {string .01*floor 100*x} each b%r} each ns;
exit 0
