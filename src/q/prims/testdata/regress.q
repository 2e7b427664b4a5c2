/ Regressions and edge cases found against the KX docs corpus and the conformance run
8h$789 -> 789e
8h$1b -> 1e
" bg xhijefcspmdznuvt"?"j" -> 7
ratios ([k:`abc`def`ghi]a:10 21 3;b:4 5 6) -> ([k:`abc`def`ghi]a:10 2.1 0.1428571;b:4 1.25 1.2)
1h$() -> 0#0b
11h$() -> 0#`
key 0#5 -> `long
key "abc" -> `char
avg `a`b!(10 21 3;4 5 6) -> 7 13 4.5
med `a`b!(10 -21 3;4 5 -6) -> 7 -8 -1.5
2 mcount `a`b!(10 21 3;4 5 6) -> `a`b!(1 1 1;2 2 2)
1 2 wavg `a`b!(10 21 3;4 5 6) -> 6 10.33333 5
`a _ `a`b`c!1 2 3 -> `b`c!2 3
`a`b _ ([]a:1;b:2;c:3) -> ([]c:enlist 3)
`a _ ([]a:1;b:2;c:3) -> 'type
([]a:1;b:2;c:3) _ `a -> 'type
10,`a`b!1 2 -> 'type
(1 2;3 4) cross (5 6;7 8) -> (1 2 5 6;1 2 7 8;3 4 5 6;3 4 7 8)
(1;`a;"abc")?(2 3;`ab) -> 3 3
2 xexp 3 -> 7.9999999999999982
([sym:`ibm`msoft`appl`goog]t:2017.05 2017.09 2015.03 2017.11m)|([sym:`msoft`goog`ibm]t:2017.08 2017.12 2016.12m) -> ([sym:`ibm`msoft`appl`goog]t:2017.05 2017.09 2015.03 2017.12m)
([k:`a`b]v:1 2)+([k:`b`c]v:10 20) -> ([k:`a`b`c]v:1 12 20)
count 5?10 -> 5
all (10?10) within 0 9 -> 1b
count distinct -10?10 -> 10
asc 0N?til 5 -> `s#0 1 2 3 4
count distinct -5?`a`b`c`d`e -> 5
type 3?1.0 -> 9h
type 3?0Ng -> 2h
type 4?2012.09m -> 13h
count 30?" " -> 30
-11?10 -> 'length
all (100?5i) within 0 4 -> 1b
type 100?5i -> 6h
("abcde";10 2 -6;(2 3;`ab))?10 2 -6 -> 1
("abcde";10 2 -6;(2 3;`ab))?"abcde" -> 0
differ 96.100000000000009 96.099999999999994 -> 10b
floor 1-10 xexp -13 -> 0
floor 2-10 xexp -12 -13 -> 1 2
`timestamp$1666.09.02 -> -0Wp
"z"$0001.01.01 -> "z"$-730119
(`quick;`quack`quark) like "qu?ck" -> 'type
5>=`a`b!4 6 -> `a`b!10b
iasc 3 -1 0N 2 -0W 0W -> 2 4 1 3 0 5
idesc 3 -1 0N 2 -1 -> 0 3 1 4 2
iasc 1.5 -2.5 0n -0w 0w 0 -0.0 -> 2 3 1 5 6 0 4
asc 300 2 -70000 65536 -> `s#-70000 2 300 65536
iasc 3 1 2h -> 1 2 0
iasc 2000.01.03 2000.01.01 -> 1 0
desc 0 1 0 1b -> 1100b
"d"$23:59:59.999+2010.05.13T12:30:59.999 -> 2010.05.14
2000.01.01T12:00:00.000-12:00:00.000 -> 2000.01.01T00:00:00.000
md5 "this is a not so secret message" -> 0x6cf192c1938b79012c323fa30e62787e
2000.01.02+0.5 -> 2000.01.02T12:00:00.000
-9$([]a:("quick";"fox")) -> ([]a:("    quick";"      fox"))
("*";0h)$1 -> 1 1
([]n:`a`b;v:1 2),((`c;3);(`d;4)) -> ([]n:`a`b`c`d;v:1 2 3 4)
([]s:`a`b;v:1 2) upsert ([s:enlist `c]v:enlist 3) -> ([]s:`a`b`c;v:1 2 3)
attr neg asc 3 1 2 -> `
attr 1+asc 3 1 2 -> `
