/ Lists
til 5 -> 0 1 2 3 4
til 0 -> 0#0
til -1 -> 'domain
til 2.5 -> 'type
count 1 2 3 -> 3
count 5 -> 1
count ([]a:1 2 3) -> 3
count `a`b!1 2 -> 2
first 1 2 3 -> 1
first "abc" -> "a"
first `a`b!1 2 -> 1
last 1 2 3 -> 3
reverse 1 2 3 -> 3 2 1
reverse "abc" -> "cba"
where 101b -> 0 2
where 2 1 0 3 -> 0 0 1 3 3 3
where () -> `long$()
where `a`b`c!101b -> `a`c
enlist 1 -> enlist[1]
raze (1 2;3 4;5) -> 1 2 3 4 5
raze ("ab";"cd") -> "abcd"
flip (1 2;3 4) -> (1 3;2 4)
flip `a`b!(1 2;3 4) -> ([]a:1 2;b:3 4)
key `a`b!1 2 -> `a`b
value `a`b!1 2 -> 1 2
1 2,3 -> 1 2 3
1,`a -> (1;`a)
"ab","c" -> "abc"
(`a`b!1 2),`b`c!20 30 -> `a`b`c!1 20 30
([]a:1 2),([]a:3 4) -> ([]a:1 2 3 4)
0^1 0N 3 -> 1 0 3
1 2 3^0N 5 0N -> 1 5 3
`a^`b` -> `b`a
fills 0N 1 0N 0N 2 0N -> 0N 1 1 1 2 2
prev 1 2 3 -> 0N 1 2
next 1 2 3 -> 2 3 0N
2 xprev 1 2 3 4 -> 0N 0N 1 2
/ take and drop
2#1 2 3 -> 1 2
5#1 2 -> 1 2 1 2 1
-2#1 2 3 -> 2 3
(enlist 2)#til 10 -> 0 1
3#`a -> `a`a`a
2 3#til 6 -> (0 1 2;3 4 5)
0N 2#til 5 -> (0 1;2 3;enlist 4)
2#`a`b`c!1 2 3 -> `a`b!1 2
`a`c#`a`b`c!1 2 3 -> `a`c!1 3
`a#([]a:1 2;b:3 4) -> ([]a:1 2)
1#([]a:1 2;b:3 4) -> ([]a:enlist 1;b:enlist 3)
2_1 2 3 4 -> 3 4
-2_1 2 3 4 -> 1 2
0 2_til 5 -> (0 1;2 3 4)
1 2 3_1 -> 1 3
(`a`b`c!1 2 3)_`b -> `a`c!1 3
2 cut til 5 -> (0 1;2 3;enlist 4)
2 sublist 1 2 3 -> 1 2
5 sublist 1 2 3 -> 1 2 3
-2 sublist 1 2 3 -> 2 3
1 2 sublist til 5 -> 1 2
1 rotate 1 2 3 -> 2 3 1
-1 rotate 1 2 3 -> 3 1 2
`a`b!1 2 -> `a`b!1 2
`a`b!1 2 3 -> 'length
1!([]a:1 2;b:3 4) -> ([a:1 2]b:3 4)
0!([a:1 2]b:3 4) -> ([]a:1 2;b:3 4)
cols ([]a:1 2;b:3 4) -> `a`b
/ sets and search
distinct 1 2 1 3 2 -> 1 2 3
distinct "hello" -> "helo"
distinct (1;`a;1) -> (1;`a)
group "abac" -> "abc"!(0 2;enlist 1;enlist 3)
1 2 3?2 -> 1
1 2 3?4 -> 3
1 2 3?3 1 5 -> 2 0 3
`a`b`c?`c -> 2
"abc"?"cx" -> 2 3
(`a`b!1 2)?2 -> `b
(1 2;3 4)?3 4 -> 1
2 in 1 2 3 -> 1b
1 5 in 1 2 3 -> 10b
`a in `b`c -> 0b
1 2 3 4 within 2 3 -> 0110b
1 2 union 2 3 -> 1 2 3
1 2 3 inter 2 3 4 -> 2 3
1 2 3 except 2 -> 1 3
"hello" except "l" -> "heo"
1 3 5 bin 0 1 2 5 6 -> -1 0 0 2 2
1 3 5 binr 0 1 2 5 6 -> 0 0 1 2 3
/ sorting
asc 3 1 2 -> `s#1 2 3
desc 3 1 2 -> 3 2 1
iasc 3 1 2 -> 1 2 0
idesc 3 1 2 1 -> 0 2 1 3
asc 0n 2 1 -> 0n 1 2
asc `b`a`c -> `a`b`c
asc "hello" -> "ehllo"
rank 30 10 20 -> 2 0 1
4 xrank 30 10 20 40 -> 2 0 1 3
asc `a`b`c!3 1 2 -> `b`c`a!1 2 3
iasc ([]a:2 1 1;b:3 5 4) -> 2 1 0
/ indexing data
1 2 3@1 -> 2
1 2 3@5 -> 0N
"abc"@2 0 -> "ca"
"abc"@5 -> " "
`a`b`c@(0 1;2) -> (`a`b;`c)
(`a`b!1 2)@`b -> 2
(`a`b!1 2)@`c -> 0N
(`a`b!1 2)@`b`a -> 2 1
(`a`b!("xy";"z"))@`c -> ""
([]a:1 2;b:3 4)@1 -> `a`b!2 4
([]a:1 2;b:3 4)@`b -> 3 4
([k:1 2]v:`x`y)@2 -> `v!enlist `y
(1 2;3 4) . 1 0 -> 3
((1 2;3 4);5) . 0 1 1 -> 4
(`a`b!(1 2;3 4)) . (`b;1) -> 4
([]a:1 2;b:3 4) . (1;`a) -> 2
iasc `a`b`c!2 3 1 -> `c`a`b
idesc `a`c`b!1 2 3 -> `b`c`a
`a`b _ `a`b`c!1 2 3 -> enlist[`c]!enlist 3
(`a`b`c!1 2 3) _ `a`b -> 'type
(`a`b`c!1 2 3) _ `b -> `a`c!1 3
(`a`b`c!0 2 4) bin -1 3 -> ``b
("apple";"banana";"coffee") bin ("anise";"berry";"curry") -> -1 1 2
"x" in "a" -> 0b
"wx" in "acdexyz" -> 01b
("abc";("def";"ghi");"jkl") in "bed" -> (010b;(110b;000b);000b)
"wx" in ("acdexyz";"abcd";"wx") -> 1b
("ab";"cd") in (("ab";"cd");0 1 2) -> 1b
1 3 7 6 4 in 5 4 1 6 -> 10011b
1 2 in (9;(1 2;3 4)) -> 00b
1 2 in (1 2;9) -> 1b
1 2 in ((1 2;3 4);9) -> 0b
(1 2;3 4) in ((1 2;3 4);9) -> 1b
1 2. in 2 -> 01b
1 2. in 1#2 -> 01b
1 2. in 2#2 -> 'type
3 in (1 2;3) -> 0b
3 in (3;1 2) -> 1b
?[11001b;1 2 3 4 5;10 20 30 40 50] -> 1 2 30 40 5
?[11001b;1;10 20 30 40 50] -> 1 1 30 40 1
(2 2 3#til 5)~((0 1 2;3 4 0);(1 2 3;4 0 1)) -> 1b
2 5#"!" -> ("!!!!!";"!!!!!")
2 3#`a -> (`a`a`a;`a`a`a)
3 0N#til 10 -> (0 1 2;3 4 5;6 7 8 9)
4 0N#til 9 -> (0 1;2 3;4 5;6 7 8)
sum ([k:`abc`def`ghi]a:10 21 3;b:4 5 6) -> `a`b!34 15
asc (1;1b;"b";2009.01.01;"a";0) -> (1b;0;1;"a";"b";2009.01.01)
attr asc (1;`a) -> `s
attr first value flip asc ([]a:3 4 1;b:`a`d`s) -> `p
attr first value flip asc ([]a:3 4 1) -> `s
([]a:1 2;b:3 4),5 6 -> ([]a:1 2 5;b:3 4 6)
([a:1 2]b:3 4),([a:2 3]b:20 30) -> ([a:1 2 3]b:3 20 30)
([a:1 2]b:3 4;c:5 6),([a:enlist 2]c:enlist 60) -> ([a:1 2]b:3 4;c:5 60)
