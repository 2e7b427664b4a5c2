/ The interpreter core: each case is an input line, then the exact console output after `/ `
/ (several `/ ` lines for several lines of output), or `/ 'name` for the error it signals.
1+2
/ 3
2*3+4
/ 14
1 2 3+10
/ 11 12 13
-1 -2
/ -1 -2
x:5; x-1
/ 4
x -1
/ 'type
"abc"[1 0]
/ "ba"
`a`b`c!1 2 3
/ a| 1
/ b| 2
/ c| 3
f:{x*y}; f[3;4]
/ 12
{x+y+z}[1;2;3]
/ 6
g:{x+y}[10]; g 5
/ 15
h:{[a;b] a-b}; h[10;3]
/ 7
{x+y}[1;2;3]
/ 'rank
+/[1 2 3]
/ 6
10+/1 2 3
/ 16
+\1 2 3
/ 1 3 6
{x*2}\[3;1]
/ 1 2 4 8
(1 2;3 4),'5 6
/ 1 2 5
/ 3 4 6
1 2,/:3 4
/ 1 2 3
/ 1 2 4
1 2,\:3
/ 1 3
/ 2 3
-':[1 4 9]
/ 1 3 5
count each (1 2;3 4 5)
/ 2 3
{x+1} each 1 2
/ 2 3
$[1b;`yes;`no]
/ `yes
$[0b;1;0b;2;3]
/ 3
r:0; do[3; r+:2]; r
/ 6
i:0; while[i<5; i+:1]; i
/ 5
{if[x>0; :`pos]; `nonpos} 1
/ `pos
'`oops
/ 'oops
@[{x+1};`a;{"caught ",x}]
/ "caught type"
.[{x+y};(1;`a);`fail]
/ `fail
v:1 2 3; v[1]:20; v
/ 1 20 3
v[0 2]+:100; v
/ 101 20 103
@[1 2 3;1;neg]
/ 1 -2 3
.[(1 2;3 4);0 1;+;10]
/ 1 12
/ 3 4
d:`a`b!1 2; d[`c]:3; d
/ a| 1
/ b| 2
/ c| 3
t:([]a:1 2 3;b:`x`y`z); t[1]
/ a| 2
/ b| `y
t`b
/ `x`y`z
select a from t where b<>`y
/ a
/ -
/ 1
/ 3
exec sum a by b from t
/ x| 1
/ y| 2
/ z| 3
kt:([k:1 2] v:`p`q); kt 2
/ v| q
tc:til count@; tc "abc"
/ 0 1 2
l:(1;;3); l 2
/ 1 2 3
\d .ns
val:42
\d .
.ns.val
/ 42
`c set 99; c
/ 99
value "1+1"
/ 2
parse "x+y"
/ +
/ `x
/ `y
eval parse "2*3"
/ 6
.Q.s 1 2
/ "1 2\n"
"abc" 5
/ " "
(1 2 3) 5
/ 0N
{.z.s x+1} 0
/ 'stack
undefinedname
/ 'undefinedname
(1 2
/ ')
a:1 2 3; f:{a[0]:99}; f[]; a
/ 99 2 3
c:10; {c+:1}[]; c
/ 11
{if[x;t:([]`a`b)];select from t} 0b
/ 'type
{b:5; b+:1; b}[]
/ 6
sym:`a`b`c; e:`sym$`a`c`a; e
/ `sym$`a`c`a
value e
/ `a`c`a
key e
/ `sym
`sym$`z
/ 'cast
`foo?`x`y`x
/ `foo$`x`y`x
foo
/ `x`y
tab:([]a:1 2;b:3 4); tab.b
/ 3 4
x:0#0; do[3; x,:7]; x
/ 7 7 7
x,:`a
/ 'type
y:(); y,:1; y
/ ,1
d:(`int$())!`long$(); d[1i]:10; d[2i]:20; d[1i]:11; d
/ 1| 11
/ 2| 20
tt:([]a:`long$();b:`symbol$()); `tt insert (1;`x)
/ ,0
`tt insert (2 3;`y`z)
/ 1 2
tt
/ a b
/ ---
/ 1 x
/ 2 y
/ 3 z
deep:{enlist x}/[100000;1]; count deep
/ 1
deep~deep
/ 'stack
deep+1
/ 'stack
lower deep
/ 'stack
deep:0; 1+1
/ 2
til 100000000000
/ 'wsfull
@[{x~x};{enlist x}/[100000;1];{"trapped ",x}]
/ "trapped stack"
@[til;100000000000;{"trapped ",x}]
/ "trapped wsfull"
