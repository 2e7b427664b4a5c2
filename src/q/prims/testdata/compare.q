/ Comparison and logic
1 2 3=1 0 3 -> 101b
1=1.0 -> 1b
0.1 0.2=0.1 0.2 -> 11b
0n=0n -> 1b
0n<1 -> 1b
1 2 3<2 -> 100b
1 2 3>=2 -> 011b
1 2 3<>2 -> 101b
`a`b`c<`b -> 100b
`abc=`abc -> 1b
"abc"="abd" -> 110b
2000.01.01<2000.01.02 -> 1b
2000.01.01=2000.01.01D00:00:00.000000000 -> 1b
`a=1 -> 'type
1 2=1 2 3 -> 'length
(1;`a)=(1;`a) -> 11b
1~1 -> 1b
1~1i -> 0b
1 2 3~1 2 3 -> 1b
(1;`a)~(1;`a) -> 1b
(`a`b!1 2)~`a`b!1 2 -> 1b
(`s#1 2 3)~1 2 3 -> 1b
not 0 1 2 -> 100b
not 0.0 -> 1b
not 1b -> 0b
null 1 0N 3 -> 010b
null 0n -> 1b
null `a` -> 01b
null "a b" -> 010b
null (1;0N;`) -> 011b
differ 1 1 2 2 3 1 -> 101011b
any 0 0 1 -> 1b
any 000b -> 0b
all 1 2 3 -> 1b
all 1 0 3 -> 0b
all 0#1 -> 1b
where all null ([]c1:`a`b`c;c2:0n 0n 0n;c3:10 0N 30) -> enlist `c2
all " \000" -> 0b
