/ Tables, joins and qSQL: exec shapes, functional select/update forms, upsert, insert, window and as-of joins.
t:([]n:`x`y`x`z`z`y;p:0 15 12 20 25 14)
?[t;();();`n]
/ `x`y`x`z`z`y
?[t;();`n;`p]
/ x| 0  12
/ y| 15 14
/ z| 20 25
exec p by n from t
/ x| 0  12
/ y| 15 14
/ z| 20 25
exec q:sum p by n from t
/  | q
/ -| --
/ x| 12
/ y| 29
/ z| 45
exec sum p by n:n from t
/ n|
/ -| --
/ x| 12
/ y| 29
/ z| 45
exec q:sum p by n:n from t
/ n| q
/ -| --
/ x| 12
/ y| 29
/ z| 45
exec from t
/ n| `y
/ p| 14
exec n,p from t
/ n| x y  x  z  z  y
/ p| 0 15 12 20 25 14
?[t;enlist(>;`p;0);(enlist`k)!enlist`n;(enlist`m)!enlist(max;`p)]
/ k| m
/ -| --
/ x| 12
/ y| 15
/ z| 25
?[t;();1b;(enlist`n)!enlist`n]
/ n
/ -
/ x
/ y
/ z
?[t;();0b;();-2]
/ n p
/ ----
/ z 25
/ y 14
?[t;();0b;();1 2]
/ n p
/ ----
/ y 15
/ x 12
?[t;();0b;();0W;(idesc;`p)]
/ n p
/ ----
/ z 25
/ z 20
/ y 15
/ y 14
/ x 12
/ x 0
?[t;();0b;();2;(iasc;`p)]
/ n p
/ ----
/ x 0
/ x 12
select[2] from t
/ n p
/ ----
/ x 0
/ y 15
select[-1] from t
/ n p
/ ----
/ y 14
select[1 2] from t
/ n p
/ ----
/ y 15
/ x 12
select i,n from t where p>14
/ x n
/ ---
/ 1 y
/ 3 z
/ 4 z
select n,n,2*p,p+p from t where p>20
/ n n1 x  p
/ ----------
/ z z  50 50
parse "select[2] from t"
/ ?
/ `t
/ ()
/ 0b
/ ()
/ 2
parse "select count i by n from t"
/ ?
/ `t
/ ()
/ (,`n)!,`n
/ (,`x)!,(#:;`i)
select n by n from t
/ 'dup names for cols/groups n
![t;enlist(=;`n;enlist`x);0b;`symbol$()]
/ n p
/ ----
/ y 15
/ z 20
/ z 25
/ y 14
sym:`a`b
(`sym$`b),`sym$`a
/ `sym$`b`a
(`sym$`a`b),`c
/ `a`b`c
`sym$`a
/ `sym$`a
tt:([]name:`tom`dick;age:28 29;sex:`M`M)
tt upsert ((`jane;23;`F);(`jill;24;`F))
/ name age sex
/ ------------
/ tom  28  M
/ dick 29  M
/ jane 23  F
/ jill 24  F
`tt upsert ([]age:49 23;name:`dick`jane)
/ `tt
tt
/ name age sex
/ ------------
/ tom  28  M
/ dick 29  M
/ dick 49
/ jane 23
x:([a:`x`y];b:10 20)
`x insert (`z;30)
/ ,2
`x insert (`z;30)
/ 'insert
`tnew insert ([c1:`a`b];c2:10 20)
/ 0 1
tnew
/ c1| c2
/ --| --
/ a | 10
/ b | 20
([]name:`Tom`Jo`Tom)!([]eye:`green`blue`brown)
/ name| eye
/ ----| -----
/ Tom | green
/ Jo  | blue
/ Tom | brown
v:([a:1 2]b:3 4)
0!`v
/ `v
v
/ a b
/ ---
/ 1 3
/ 2 4
1!`v
/ `v
cols`v
/ `a`b
select[2;>p] from t
/ n p
/ ----
/ z 25
/ z 20
select[-2;<n] from t
/ n p
/ ----
/ z 20
/ z 25
?[t;();0b;();2;enlist(>:;`p)]
/ n p
/ ----
/ z 25
/ z 20
parse"select[10;<p] from t"
/ ?
/ `t
/ ()
/ 0b
/ ()
/ 10
/ ,(<:;`p)
meta ([]a:("ab";1 2);b:1 2)
/ c| t f a
/ -| -----
/ a| C
/ b| j
select n by n from t
/ 'dup names for cols/groups n
select p,distinct n from t
/ 'length
dat:2 5 7 11 13 17 19 23 29 31
grp:`a`b`a`b`c`d`c`d`d`a
(sum;dat) fby grp
/ 40 16 40 16 32 69 32 69 69 40
sp:([]s:`s1`s1`s1`s2`s3`s4;p:`p1`p2`p3`p2`p2`p4;qty:300 200 400 400 200 300)
select from sp where qty > (avg;qty) fby p
/ s  p  qty
/ ---------
/ s2 p2 400
update lmt:0.5*sum qty by s from `sp
/ `sp
select from sp where ({exec lmt>=sums qty from x};([]qty;lmt)) fby s
/ s  p  qty lmt
/ -------------
/ s1 p1 300 450
t1:([]time:2#00:00:01;sym:`a`b;p:0 1)
t2:([]time:2#00:00:00;sym:`a`b;p:1 0N;n:`r`s)
ajf[`sym`time;t1;t2]
/ time     sym p n
/ ----------------
/ 00:00:01 a   1 r
/ 00:00:01 b   1 s
aj[`sym`time;t1;t2]
/ time     sym p n
/ ----------------
/ 00:00:01 a   1 r
/ 00:00:01 b     s
wt:([]sym:3#`ibm;time:10:01:01 10:01:04 10:01:08;price:100 101 105)
wq:([]sym:`ibm;time:10:01:01+til 9;ask:101 103 103 104 104 107 108 107 108;bid:98 99 102 103 103 104 106 106 107)
w:-2 1+\:wt.time
wj[w;`sym`time;wt;(wq;(max;`ask);(min;`bid))]
/ sym time     price ask bid
/ --------------------------
/ ibm 10:01:01 100   103 98
/ ibm 10:01:04 101   104 99
/ ibm 10:01:08 105   108 104
wj[w;`sym`time;wt;(wq;(::;`ask);(::;`bid))]
/ sym time     price ask             bid
/ --------------------------------------------------
/ ibm 10:01:01 100   101 103         98 99
/ ibm 10:01:04 101   103 103 104 104 99 102 103 103
/ ibm 10:01:08 105   107 108 107 108 104 106 106 107
wj1[-1 1+\:wt.time;`sym`time;wt;(wq;(::;`ask))]
/ sym time     price ask
/ ------------------------------
/ ibm 10:01:01 100   101 103
/ ibm 10:01:04 101   103 104 104
/ ibm 10:01:08 105   108 107 108
d2:([]a:1 1 2;b:3 3 4)
select distinct a,b from d2
/ a b
/ ---
/ 1 3
/ 2 4
parse "select distinct a,b from d2"
/ ?
/ `d2
/ ()
/ 1b
/ `a`b!`a`b
exec a,b by 0b from d2
/ a b
/ ---
/ 1 3
/ 1 3
/ 2 4
?[wq;();`a`b;`mx`mn!((max;`ask);(min;`bid))]
/ | mx  mn
/ | ------
/ | 108 98
wj[w;`sym`time;wt;(wq;`ask)]
/ 'type
tbl:([]id:1 1 2;val:100 200 300)
select (id,'4),val from tbl
/ x   val
/ -------
/ 1 4 100
/ 1 4 200
/ 2 4 300
select id,'4 from tbl
/ x
/ ---
/ 1 4
/ 1 4
/ 2 4
((enlist`a)!enlist`A) xcol ([]a:1 2;b:3 4)
/ A b
/ ---
/ 1 3
/ 2 4
((enlist`q)!enlist`r) xcol ([]a:1 2;b:3 4)
/ 'length

/ ref/join.md: "Join for keyed tables is strict; both the key and data columns must match in names
/ and datatypes": a key or value column of another simple type is 'type (as `t,:` of another
/ type is), not keys 2 and 2i both kept. uj takes any columns.
kt:([k:1 2 3]v:10 20 30)
kt,([k:2 3 4i]v:200 300 400)
/ 'type
kt,([k:1 2]v:3 4i)
/ 'type
kt,([k:3 4]v:300 400)
/ k| v
/ -| ---
/ 1| 10
/ 2| 20
/ 3| 300
/ 4| 400
kt,:([k:enlist 4i]v:enlist 40)
/ 'type
