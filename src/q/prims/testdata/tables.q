/ Tables
keys ([a:1 2]b:3 4) -> enlist `a
keys ([]a:1 2) -> 0#`
`b xkey ([]a:1 2;b:3 4) -> ([b:3 4]a:1 2)
`x`y xcol ([]a:1 2;b:3 4) -> ([]x:1 2;y:3 4)
(enlist[`b]!enlist `z) xcol ([]a:1 2;b:3 4) -> ([]a:1 2;z:3 4)
`b xcols ([]a:1 2;b:3 4) -> ([]b:3 4;a:1 2)
`a xasc ([]a:3 1 2;b:`c`a`b) -> ([]a:1 2 3;b:`a`b`c)
`a xdesc ([]a:3 1 2;b:`c`a`b) -> ([]a:3 2 1;b:`c`b`a)
1 2 cross 3 4 -> (1 3;1 4;2 3;2 4)
([]a:1 2) cross ([]b:`x`y) -> ([]a:1 1 2 2;b:`x`y`x`y)
([]k:1 2 3;a:10 20 30) lj ([k:1 3]b:`x`z) -> ([]k:1 2 3;a:10 20 30;b:`x``z)
([]k:1 2 3;a:10 20 30) lj ([k:1 3]a:100 300) -> ([]k:1 2 3;a:100 20 300)
([]k:1 2 3;a:10 20 30) ij ([k:1 3]b:`x`z) -> ([]k:1 3;a:10 30;b:`x`z)
([]a:1 2) uj ([]b:`x`y) -> ([]a:1 2 0N 0N;b:```x`y)
count ([]a:1 2),([]a:3) -> 3
attr 1 3 4 -> `
attr asc 1 3 4 -> `s
`#`s#1 2 3 -> 1 2 3
`s#3 2 1 -> 's-fail
meta ([]code:enlist `F2;vr:enlist 5.4 43.2) -> ([c:`code`vr]t:"sF";f:``;a:``)
count ([k:1 2 3]v:4 5 6) -> 3
2#([k:1 2 3]v:4 5 6) -> ([k:1 2]v:4 5)
hsym `a`:b -> `:a`:b
ungroup ([]s:`a`b;p:(1 2;enlist 3);q:(10 20;enlist 30)) -> ([]s:`a`a`b;p:1 2 3;q:10 20 30)
ungroup ([k:`a`b]p:(1 2;enlist 3)) -> ([]k:`a`a`b;p:1 2 3)
([a:1 2]b:3 4) uj ([a:2 3]c:5 6) -> ([a:1 2 3]b:3 4 0N;c:0N 5 6)
aj[`sym`time;([]time:10:01:01 10:01:03 10:01:04;sym:`msft`ibm`ge;qty:100 200 150);([]time:10:01:00 10:01:00 10:01:00 10:01:02;sym:`ibm`msft`msft`ibm;px:100 99 101 98)] -> ([]time:10:01:01 10:01:03 10:01:04;sym:`msft`ibm`ge;qty:100 200 150;px:101 98 0N)
aj0[`sym`time;([]time:10:01:01 10:01:03;sym:`msft`ibm);([]time:10:01:00 10:01:02;sym:`msft`ibm;px:1 2)] -> ([]time:10:01:00 10:01:02;sym:`msft`ibm;px:1 2)
([]a:1 2 3;b:`x`y`z)?(2;`y) -> 1
([]a:1 2 3;b:`x`y`z)?`a`b!(3;`z) -> 2
([]a:1 2 3;b:`x`y`z)?(9;`y) -> 3
([]k:`b`z)#([k:`a`b]v:1 2) -> ([k:`b`z]v:2 0N)
([]k:`a`b;v:1 2) pj ([k:enlist `b]v:enlist 10) -> ([]k:`a`b;v:1 12)
ej[`k;([]k:`a`b`b;x:1 2 3);([]k:`b`b`c;y:10 20 30)] -> ([]k:`b`b`b`b;x:2 2 3 3;y:10 20 10 20)
([]a:1 2) upsert (enlist `a)!enlist 3 -> ([]a:1 2 3)
`k xgroup ([]k:`a`b`a;v:1 2 3) -> ([k:`a`b]v:(1 3;enlist 2))
([]sym:`a`b`a;time:09:00 09:10 09:20;px:1 2 3) asof `sym`time!(`a;09:15) -> (enlist `px)!enlist 1
([]sym:`a`b`a;time:09:00 09:10 09:20;px:1 2 3) asof ([]sym:`a`b;time:09:25 09:05) -> ([]px:3 0N)
