/ Analytics fast paths and pathological cases (issue 14): each case keeps a fixed root cause fixed.
/ A negative base has a power for a whole exponent only (db-benchmark q9: (v1 cor v2) xexp 2).
-2 xexp 2
/ 4f
-2 2 xexp .5
/ 0n 1.414214
-0.5 xexp 3
/ -0.125

/ A temporal column's field by dot notation inside a query: 1 xbar time.minute.
t:([] time:09:30:00.000 09:30:59.999 09:31:05.000; p:1 2 3)
select last p by m:1 xbar time.minute from t
/ m    | p
/ -----| -
/ 09:30| 2
/ 09:31| 3
d:2000.01.02; d.month
/ 2000.01m

/ Grouped aggregates computed for all groups at once agree to the bit with the same aggregate run per group (a lambda around it is not planned).
t:([] k:`b`a`b`c`a`b`b`b`b`b`b`b; k2:1 1 2 2 1 1 1 2 2 2 1 1; j:1 0N 3 4 5 6 7 8 9 10 11 12; f:1.5 0n 2.5 -1 0n 3 0.1 0.2 0.3 0.4 0.5 0.6; ii:1 2 0N 4 5 6 7 8 9 10 11 12i; e:12#1.5 2.5 0Ne; h:12#1 2 0Nh; b:12#101b; p:2000.01.01D+til 12)
(select s:sum j,a:avg j,mn:min j,mx:max j,c:count j,fi:first j,la:last j,md:med j,v:var j,sv:svar j,d:dev j,sd:sdev j,pr:prd j by k from t)~select s:{sum x} j,a:{avg x} j,mn:{min x} j,mx:{max x} j,c:{count x} j,fi:{first x} j,la:{last x} j,md:{med x} j,v:{var x} j,sv:{svar x} j,d:{dev x} j,sd:{sdev x} j,pr:{prd x} j by k from t
/ 1b
(select s:sum f,a:avg f,mn:min f,mx:max f,c:count f,fi:first f,la:last f,md:med f,v:var f,sv:svar f,d:dev f,sd:sdev f by k,k2 from t)~select s:{sum x} f,a:{avg x} f,mn:{min x} f,mx:{max x} f,c:{count x} f,fi:{first x} f,la:{last x} f,md:{med x} f,v:{var x} f,sv:{svar x} f,d:{dev x} f,sd:{sdev x} f by k,k2 from t
/ 1b
(select s:sum ii,a:avg ii,mn:min ii,mx:max ii,se:sum e,me:max e,sh:sum h,mh:min h,sb:sum b,mb:max b,mp:max p,fp:first p by k from t)~select s:{sum x} ii,a:{avg x} ii,mn:{min x} ii,mx:{max x} ii,se:{sum x} e,me:{max x} e,sh:{sum x} h,mh:{min x} h,sb:{sum x} b,mb:{max x} b,mp:{max x} p,fp:{first x} p by k from t
/ 1b
(select w:j wavg f,ws:j wsum f,co:j cor f,cv:cov[j;f],sc:f scov ii,r:(max j)-min f,x:neg (ii cor j) xexp 2,n:count i by k2 from t)~select w:{x wavg y}[j;f],ws:{x wsum y}[j;f],co:{x cor y}[j;f],cv:{cov[x;y]}[j;f],sc:{x scov y}[f;ii],r:{(max x)-min y}[j;f],x:{neg (x cor y) xexp 2}[ii;j],n:{count x} i by k2 from t
/ 1b
(select sum j by k from t where f>0)~select {sum x} j by k from t where f>0
/ 1b
select sum j, last f by k from t where f>0
/ k| j  f
/ -| ------
/ b| 67 0.6
(select by k from t)~select by k from @[`k xasc t;`k;`p#]
/ 1b
(select sum j by k from t)~select sum j by k from @[t;`k;`g#]
/ 1b
(select sum j by k2 from t)~select sum j by k2 from @[`k2 xasc t;`k2;`s#]
/ 1b
(select sum j by k2 from t)~select sum j by k2 from @[`k2 xasc t;`k2;`p#]
/ 1b

/ Several keys group as one packed integer key (sorted when nearly every row is its own group) and read each group's key values back from it: the same groups, keys, first rows and float sums as per group.
n:150000; t:([] a:n?`x`y`z; b:n?1000; c:n?-3 0 7 9i; d:n?2000.01.01+til 50; e:n?`p`q; f:n?1000.; g:n?0 -0. 1 0n)
r:select s:sum f,fi:first i,l:last f,m:max f,n:count i by a,b,c,d,e from t
(count r)>100000
/ 1b
r~select s:{sum x} f,fi:{first x} i,l:{last x} f,m:{max x} f,n:{count x} i by a,b,c,d,e from t
/ 1b
(key r)~`a`b`c`d`e xasc distinct select a,b,c,d,e from t
/ 1b
\s 2
r~select s:sum f,fi:first i,l:last f,m:max f,n:count i by a,b,c,d,e from t
/ 1b
\s 0
(select s:sum f,fi:first i by g,b,c,a from t)~select s:{sum x} f,fi:{first x} i by g,b,c,a from t
/ 1b
(-8!select s:sum f,v:var f by a,b from t)~-8!select s:{sum x} f,v:{var x} f by a,b from t
/ 1b
u:5000#t; (select s:sum f,fi:first i by b,d,c from u)~select s:{sum x} f,fi:{first x} i by b,d,c from u
/ 1b

/ bin searches the machine values (a lookup in 400k sorted items used to box every item: 45 ms).
x:til 400000; f:0.5*x
x bin -1 0 5 399999 400000
/ -1 0 5 399999 399999
f bin 0n -1 0 2.5
/ -1 -1 0 5
1 3 5 binr 0 1 2 5 6
/ 0 0 1 2 3
`a`c`e bin `b
/ 0
(1 2 3f) bin 2
/ 1
(1;`a;"x") bin 2
/ 0

/ Enumerating against a domain hashes it (1M symbols took over 300 s: a scan per symbol).
a:`$string til 200000; b:`a$a; c:`dd?reverse a
(b 199999;c 0;count dd;last dd)
/ `a$`199999
/ `dd$`199999
/ 200000
/ `0
e:`a`b`c; `e$`c`a`a
/ `e$`c`a`a
`e$`zz
/ 'cast

/ n#atom and n#vector fill one block allocated once (1e9#"a" needed 8 bytes more per item).
5#1
/ 1 1 1 1 1
-5#1 2 3
/ 2 3 1 2 3
7#`a`b`c
/ `a`b`c`a`b`c`a
-7#`a`b`c
/ `c`a`b`c`a`b`c
2#0x01
/ 0x0101
0#1 2
/ `long$()
3#2000.01.01
/ 2000.01.01 2000.01.01 2000.01.01
-1#1 2 3
/ ,3
count 1000000#"ab"
/ 1000000

/ aj groups both tables' key columns once and binary-searches each key's quotes (it hashed a dict per quote row).
t:([] sym:`a`b`a`c; time:1 2 3 4; p:10 20 30 40); q:([] sym:`a`a`b`b`a; time:0 2 1 3 3; bid:1 2 3 4 5)
aj[`sym`time;t;q]
/ sym time p  bid
/ ---------------
/ a   1    10 1
/ b   2    20 3
/ a   3    30 5
/ c   4    40

/ peach runs on secondary threads (\s N), globals read-only there as in kdb+.
\s 2
{x*2} peach 1 2 3
/ 2 4 6
f:{sum sqrt til x}; (f each 8#30000)~f peach 8#30000
/ 1b
g:10; {x+g} peach 1 2 3
/ 11 12 13
{a::x} peach 1 2
/ 'noupdate
{'oops} peach 1 2
/ 'oops
{{x+y}[x] peach 1 2} peach 3 4
/ 4 5
/ 5 6
.Q.fc[{x*2};til 10]
/ 0 2 4 6 8 10 12 14 16 18
\s 0
{x*2} peach 1 2 3
/ 2 4 6

/ fby with an aggregate primitive computes it for all groups at once and spreads it by group id.
t:([] k:`a`b`a`b`c; v:1 5 3 2 7; f:1.5 0n 2.5 3 1)
select from t where v=(max;v) fby k
/ k v f
/ -------
/ b 5
/ a 3 2.5
/ c 7 1
(exec ((max;v) fby k;(avg;f) fby k;(count;v) fby k;(sum;f) fby k) from t)~exec (({max x};v) fby k;({avg x};f) fby k;({count x};v) fby k;({sum x};f) fby k) from t
/ 1b

/ The functional form runs the grouped plans of qSQL as written: aggregates for all groups at once, and chains of primitives natively per group.
t:([] k:`b`a`b`c`a`b`b`b; k2:1 1 2 2 1 1 1 2; j:1 0N 3 4 5 6 7 8; f:1.5 0n 2.5 -1 0n 3 0.1 0.2)
(?[t;();(enlist`k)!enlist`k;`s`a`r`n!((sum;`j);(avg;`f);(-;(max;`j);(min;`f));(#:;`i))])~select s:sum j,a:avg f,r:(max j)-min f,n:count i by k from t
/ 1b
(eval parse"select c:(j cor f) xexp 2,w:j wavg f,m:neg med f by k,k2 from t where j>1")~select c:{(x cor y) xexp 2}[j;f],w:{x wavg y}[j;f],m:{neg med x} f by k,k2 from t where j>1
/ 1b
(select d:2 sublist desc f,a:asc j,v:j,u:distinct k2,c:count distinct k2,s:sums j,x:-1#j,y:j+1 by k from t)~select d:{2 sublist desc x} f,a:{asc x} j,v:{x} j,u:{distinct x} k2,c:{count distinct x} k2,s:{sums x} j,x:{-1#x} j,y:{x+1} j by k from t
/ 1b
(eval parse"select d:2 sublist desc f by k from t")~select d:{2 sublist desc x} f by k from t
/ 1b
ungroup select top:2 sublist desc j by k from t where not null j
/ k top
/ -----
/ a 5
/ b 8
/ b 7
/ c 4
(update s:sum j,m:max f,c:sums j,r:j-min j by k from t)~update s:{sum x} j,m:{max x} f,c:{sums x} j,r:{x-min x} j by k from t
/ 1b
(![t;();(enlist`k)!enlist`k;`s`c!((sum;`j);(sums;`j))])~update s:sum j,c:sums j by k from t
/ 1b
(update s:sum j by k from t where k2=1)~update s:{sum x} j by k from t where k2=1
/ 1b
update s:sum j by k from t where k2=1
/ k k2 j f   s
/ -------------
/ b 1  1 1.5 14
/ a 1        5
/ b 2  3 2.5
/ c 2  4 -1
/ a 1  5     5
/ b 1  6 3   14
/ b 1  7 0.1 14
/ b 2  8 0.2

/ Joins on key columns hash each column's words once (lj ij uj t?u); a float key takes the general path, so the two agree.
t:([] s:`a`b`c`a`d; k:1 1 2 2 1; v:10 20 30 40 50)
kt:([s:`a`b`a`c; k:1 1 2 2] w:1.5 2.5 3.5 4.5; v:100 200 300 400)
t lj kt
/ s k v   w
/ -----------
/ a 1 100 1.5
/ b 1 200 2.5
/ c 2 400 4.5
/ a 2 300 3.5
/ d 1 50
t ij kt
/ s k v   w
/ -----------
/ a 1 100 1.5
/ b 1 200 2.5
/ c 2 400 4.5
/ a 2 300 3.5
(select s,k from t)?([] s:`a`d`z; k:2 1 1)
/ 3 4 5
(select s,k from t)?([] k:2 1 1; s:`a`d`z)
/ 5 5 5
t?0#t
/ `long$()
kt uj ([s:`a`z; k:1 9] v:7 8; w:0.1 0.2)
/ s k| w   v
/ ---| -------
/ a 1| 0.1 7
/ b 1| 2.5 200
/ a 2| 3.5 300
/ c 2| 4.5 400
/ z 9| 0.2 8
n:2000; t:([] s:n?`a`b`c`d`e; k:n?50; v:n?100); kt:`s`k xkey ([] s:300?`a`b`c`e`f; k:300?60; w:300?1f; v:300?100)
f:{update k:"f"$k from x}; tf:f t; ktf:`s`k xkey f 0!kt
(t lj kt)~update k:"j"$k from tf lj ktf
/ 1b
(t ij kt)~update k:"j"$k from tf ij ktf
/ 1b
((select s,k from t)?select s,k from 0!kt)~(select s,k from tf)?select s,k from 0!ktf
/ 1b
u:`s`k xkey ([] s:500?`a`b`g; k:500?70; v:500?100; x:500?1f)
(kt uj u)~`s`k xkey update k:"j"$k from 0!ktf uj `s`k xkey f 0!u
/ 1b

/ Key columns whose values span a narrow range are looked up by address: negative keys, nulls,
/ probe values outside the range, repeated keys (the first row wins) and 4-byte keys agree with
/ the general path.
jt:([] k:-3 0N 5 -3 7 2 100; v:til 7)
jkt:([k:-3 2 5 0N -3] w:1 2 3 4 5)
jt lj jkt
/ k   v w
/ -------
/ -3  0 1
/     1 4
/ 5   2 3
/ -3  3 1
/ 7   4
/ 2   5 2
/ 100 6
jt ij jkt
/ k  v w
/ ------
/ -3 0 1
/    1 4
/ 5  2 3
/ -3 3 1
/ 2  5 2
([k:1 2 3] v:10 20 30) uj ([k:3 4 4 0 -1] v:31 40 41 0 -10)
/ k | v
/ --| ---
/ 1 | 10
/ 2 | 20
/ 3 | 31
/ 4 | 41
/ 0 | 0
/ -1| -10
([k:-2 1i] v:1 2) uj ([k:1 -5 0N -5i] v:3 4 5 6)
/ k | v
/ --| -
/ -2| 1
/ 1 | 3
/ -5| 6
/   | 5
jn:3000; jt:([] a:jn?-5+til 12; b:jn?0N,-20+til 40; v:til jn); jkt:`a`b xkey ([] a:500?-3+til 10; b:500?-25+til 50; w:til 500)
jg:{update a:"f"$a, b:"f"$b from x}; jtg:jg jt; jktg:`a`b xkey jg 0!jkt
(jt lj jkt)~update a:"j"$a, b:"j"$b from jtg lj jktg
/ 1b
(jt ij jkt)~update a:"j"$a, b:"j"$b from jtg ij jktg
/ 1b
ju:`a`b xkey ([] a:700?-4+til 14; b:700?-30+til 60; w:700?1000)
(jkt uj ju)~`a`b xkey update a:"j"$a, b:"j"$b from 0!jktg uj `a`b xkey jg 0!ju
/ 1b
(jkt uj ju)~jkt,ju
/ 1b


/ group of a table by group ids (as wj groups quotes) lists groups as they first occur, as the general path does.
(value group select s,k from t)~value group select s,kf:"f"$k from t
/ 1b
group ([] a:`b`a`b`c; b:1 2 1 3)
/ a b|
/ ---| ---
/ b 1| 0 2
/ a 2| ,1
/ c 3| ,3

/ n sublist desc v per group keeps each group's n largest in one pass: the order desc gives, nulls last, ties in row order.
t:([] k:`a`b`a`a`b`a`c`a; f:1 0n 3 3 -0.0 0.0 0n 2; j:5 1 0N 5 2 7 3 1)
select t2:2 sublist desc f, j3:3 sublist desc j, z:0 sublist desc j by k from t
/ k| t2    j3    z
/ -| -------------
/ a| 3 3f  7 5 5
/ b| -0 0n 2 1
/ c| ,0n   ,3
(select t2:2 sublist desc f, j3:3 sublist desc j, z:0 sublist desc j by k from t)~select t2:{2 sublist desc x} f, j3:{3 sublist desc x} j, z:{0 sublist desc x} j by k from t
/ 1b
(select from t where f>0, j>2)~select from t where (f>0)&j>2
/ 1b
select from t where j in 5 7, 1b
/ k f j
/ -----
/ a 1 5
/ a 3 5
/ a 0 7

/ With secondary threads, group ids and integer sums and extremes split their rows across them; the results are those of one pass.
n:400000; t:([] a:n?`3; b:n?100; c:n?1000; d:n?10i; e:2000.01.01D0+n?1000000000000; f:n?1f)
q:{(select s:sum c,mx:max c,mn:min d,xe:max e,sd:sum d,sf:sum f,k:count i by a from t;select s:sum c,mn:min e by b from t;select s:sum c by a,b from t;select m:max c by c mod 7 from t)}
system "s 2"; r2:q[]; system "s 0"; r0:q[]
r0~r2
/ 1b

/ avg of longs per group sums exactly in integers while every partial sum is exact as a float, and through the float lanes otherwise: both as avg gives.
t:([] k:200000#`a`b`c; j:200000?1000000000; h:200000?4611686018427387904; n:200000#1 0N 3)
(select a:avg j,b:avg h,c:avg n by k from t)~select a:{avg x} j,b:{avg x} h,c:{avg x} n by k from t
/ 1b
system "s 2"; r2:select a:avg j,b:avg h by k from t; system "s 0"; r2~select a:avg j,b:avg h by k from t
/ 1b

/ aj of time-ordered rows moves through each sym's quotes once; rows out of time order take the binary search; both find the same quotes.
n:5000; q:`s`time xasc ([] s:n?`a`b`c; time:n?100000; b:n?100f); t:`time xasc ([] s:1000?`a`b`c`d; time:1000?110000; x:til 1000); p:neg[1000]?1000
(aj[`s`time;t;q] p)~aj[`s`time;t p;q]
/ 1b
(aj[`time;t;q] p)~aj[`time;t p;q]
/ 1b

/ Records upserted into a keyed table find their rows by hashing each key once (was a scan of the table per record: 100k records into 100k rows took 90 s).
kt:([k:til 100000] v:100000#0); kt,:([] k:50000+til 100000; v:1+til 100000); (count kt; exec sum v from kt; kt[99999;`v]; kt[0;`v])
/ 150000 5000050000 50000 0
k2:([a:`x`y`x;b:1 1 2] v:1 2 3); k2,:([] a:`x`z`z`y;b:2 3 3 1;v:10 20 30 40); k2
/ a b| v
/ ---| --
/ x 1| 1
/ y 1| 40
/ x 2| 10
/ z 3| 30
k4:([f:1.5 0n 0.0] v:1 2 3); k4,:([] f:(0n;-0.0;2.5);v:7 8 9); k4
/ f  | v
/ ---| -
/ 1.5| 1
/    | 7
/ 0  | 8
/ 2.5| 9
k5:([j:1 2] v:1 2); k5,:([] j:1 3i; v:5 6)
/ 'type

/ The kt,kt and kt,:y share one upsert and one key matcher: float keys hash by column (was each row hashed without its floats: 100k float keys took minutes), and a column one side lacks is nulls of its type (was long nulls).
f:([f:0.5+til 100000] v:100000#0); f,:([] f:50000.5+til 100000; v:1+til 100000); (count f; exec sum v from f; f[99999.5;`v])
/ 150000 5000050000 50000
f2:([f:0.5+til 100000] v:100000#0); (count f2,([f:50000.5+til 100000] v:1+til 100000))
/ 150000
kt:([k:1 2] a:1 2f; b:`x`y; s:("ab";"cd")); kt,([k:2 3] a:5 6f)
/ k| a b s
/ -| --------
/ 1| 1 x "ab"
/ 2| 5 y "cd"
/ 3| 6   ""
meta ([k:1 2] a:1 2f),([k:2 3] b:`x`y)
/ c| t f a
/ -| -----
/ k| j
/ a| f
/ b| s

/ One integer key of a small range groups by its value's offset from the minimum (no hashing): groups in key order, gaps in the range skipped, sizes counted on the way; the same results as the per-group path, with and without threads.
t:([] k:12#5 3 9 3 5 -2; h:12#5 3 9 3 5 0Nh; b:12#101b; d:12#2000.01.01 2000.01.03 1999.12.31; c:12#"xyz"; j:1 0N 3 4 5 6 7 8 9 10 11 12; f:1.5 0n 2.5 -1 0n 3 0.1 0.2 0.3 0.4 0.5 0.6)
select n:count i, s:sum j, a:avg f by k from t
/ k | n s  a
/ --| ---------------
/ -2| 2 18 1.8
/ 3 | 4 22 -0.1333333
/ 5 | 4 24 0.7
/ 9 | 2 12 1.4
(select n:count i,s:sum j,a:avg f,fi:first j,la:last f by h from t)~select n:{count x} i,s:{sum x} j,a:{avg x} f,fi:{first x} j,la:{last x} f by h from t
/ 1b
(select n:count i,s:sum j by b from t)~select n:{count x} i,s:{sum x} j by b from t
/ 1b
(select n:count i,s:sum j by d from t)~select n:{count x} i,s:{sum x} j by d from t
/ 1b
(select n:count i,s:sum j by c from t)~select n:{count x} i,s:{sum x} j by c from t
/ 1b
select count i by k from t where j>4
/ k | x
/ --| -
/ -2| 2
/ 3 | 2
/ 5 | 3
/ 9 | 1
select[2] count i, sum j by k from t
/ k| x j
/ -| ---
/ 3| 1 0
/ 5| 1 1
select[<j] n:count i, l:last j by k from t
/ k | n l
/ --| ----
/ -2| 2 12
/ 3 | 4 10
/ 5 | 4 11
/ 9 | 2 9
select by k from t
/ k | h b d          c j  f
/ --| -----------------------
/ -2|   1 1999.12.31 z 12 0.6
/ 3 | 3 1 2000.01.01 x 10 0.4
/ 5 | 5 0 2000.01.03 y 11 0.5
/ 9 | 9 1 1999.12.31 z 9  0.3
exec count i by k from t
/ -2| 2
/ 3 | 4
/ 5 | 4
/ 9 | 2
n:300000; t:([] k:n?1000; g:n?100; v:n?1f; j:n?1000000)
q:{(select n:count i,s:sum j,a:avg v,mx:max v by k from t;select a:avg v,b:avg j,c:sum v by g from t;group t`g;select by g from t)}
system "s 2"; r2:q[]; system "s 0"; r0:q[]
r0~r2
/ 1b
(r0 0)~select n:{count x} i,s:{sum x} j,a:{avg x} v,mx:{max x} v by k from t
/ 1b

/ group of an integer, temporal, char or symbol vector goes through group ids and lists groups as they first occur, each group's positions in order, as the general (hashing) path does.
x:10 3 10 0N 3 7 0N 10
group x
/ 10| 0 2 7
/ 3 | 1 4
/   | 3 6
/ 7 | ,5
(value group x)~value group "f"$x
/ 1b
y:100000?1000; (value group y)~value group "f"$y
/ 1b
(key group y)~"j"$key group "f"$y
/ 1b
group "abracadabra"
/ a| 0 3 5 7 10
/ b| 1 8
/ r| 2 9
/ c| ,4
/ d| ,6
group `b`a`b
/ b| 0 2
/ a| ,1
group 0#0
/ (`long$())!()

/ avg per group: longs without nulls small enough that all of them sum below 2^53 sum in integers (counts are the group sizes), other longs as before, floats count their non-nulls in the lane pass: each as avg gives it, to the bit (compared serialized).
n:100003; t:([] k:n?7; a:n?1000; b:n#0 1 -1 0W -0W 9007199254740992; c:n#-3 4 0N; f:n?(0n;-0.0;0.0;1e308;-1e308;0w;-0w;0.1;1e-300;3.3))
(-8!select x:avg a,y:avg b,z:avg c,w:avg f by k from t)~-8!select x:{avg x} a,y:{avg x} b,z:{avg x} c,w:{avg x} f by k from t
/ 1b
(-8!select x:avg a,w:avg f by k from t)~-8!{system "s 2"; r:select x:avg a,w:avg f by k from t; system "s 0"; r}[]
/ 1b
update k2:n?20000, k3:n?1000 from `t;
(-8!(select s:sum f,a:avg f by k from t;select s:sum f,a:avg f by k2 from t;select s:sum f,a:avg f by k3 from t))~-8!(select s:{sum x} f,a:{avg x} f by k from t;select s:{sum x} f,a:{avg x} f by k2 from t;select s:{sum x} f,a:{avg x} f by k3 from t)
/ 1b

/ cor, cov, scov and var/dev per group read long and int columns where they are (no float copy of either, db-benchmark q9): each as the aggregate per group gives it, to the bit (compared serialized), pairs with a null skipped, with and without threads.
n:100003; t:([] k:n?7; k2:n?5000; j:n?100; j2:n#3 0N 7 -5 1000000 2 0N; m:n?50i; m2:n#1 0N 4 -7i; f:n?(0n;0.5;-2.25;1e10;3.3))
(-8!select a:j cor j2,b:cov[j;m],c:m scov m2,d:j cor f,e:f cor m,v:var j2,s:sdev m2,w:dev j,x:(cor[j;m2]) xexp 2 by k from t)~-8!select a:{x cor y}[j;j2],b:{cov[x;y]}[j;m],c:{x scov y}[m;m2],d:{x cor y}[j;f],e:{x cor y}[f;m],v:{var x} j2,s:{sdev x} m2,w:{dev x} j,x:{(cor[x;y]) xexp 2}[j;m2] by k from t
/ 1b
(-8!select a:j cor j2,c:cov[m;m2],v:var j2 by k,k2 from t)~-8!select a:{x cor y}[j;j2],c:{cov[x;y]}[m;m2],v:{var x} j2 by k,k2 from t
/ 1b
(-8!select a:j cor j2,c:m scov m2,v:var j2 by k2 from t)~-8!{system "s 2"; r:select a:j cor j2,c:m scov m2,v:var j2 by k2 from t; system "s 0"; r}[]
/ 1b

/ Several avgs of long columns by the same groups in one pass over the group ids (db-benchmark q4): each as avg alone gives it, to the bit (compared serialized), columns with nulls or too large for exact sums too, more than one pass's worth of columns, sums beside them, with a where clause, with and without threads.
n:100003; t:([] k:n?7; k2:n?5000; a:n?1000; b:n#0 1 -1 0W -0W 9007199254740992; c:n#-3 4 0N; d:n?100000; f:n?1.0)
(-8!select w:avg a,x:avg b,y:avg c,z:avg d,s:sum a,u:sum c,v:sum b,g:avg f,h:sum d,a2:avg a,d2:avg d by k from t)~-8!select w:{avg x} a,x:{avg x} b,y:{avg x} c,z:{avg x} d,s:{sum x} a,u:{sum x} c,v:{sum x} b,g:{avg x} f,h:{sum x} d,a2:{avg x} a,d2:{avg x} d by k from t
/ 1b
(-8!select w:avg a,z:avg d,s:sum a,h:sum d by k2 from t where d>10)~-8!select w:{avg x} a,z:{avg x} d,s:{sum x} a,h:{sum x} d by k2 from t where d>10
/ 1b
(-8!select w:avg a,z:avg d,s:sum a,y:avg c by k2 from t)~-8!{system "s 2"; r:select w:avg a,z:avg d,s:sum a,y:avg c by k2 from t; system "s 0"; r}[]
/ 1b
(-8!select w:avg a,z:avg d by k from t)~-8!{system "s 2"; r:select w:avg a,z:avg d by k from t; system "s 0"; r}[]
/ 1b

/ A where clause that keeps every row leaves no list of the rows: select, update and delete see every row, and later clauses every row too.
t:([] k:1 2 1; j:10 20 30)
(select sum j by k from t where k>0)~select sum j by k from t
/ 1b
update j:0 from t where k>0
/ k j
/ ---
/ 1 0
/ 2 0
/ 1 0
count delete from t where k>0
/ 0
select from t where k>0, j<25
/ k j
/ ----
/ 1 10
/ 2 20
