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
