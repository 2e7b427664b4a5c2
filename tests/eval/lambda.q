/ Lambdas and atom arithmetic on the evaluator's fast paths (eval::fast, lambda calls): each
/ result is the one the general primitives give (nulls, wrapping, float tolerance, mixed types).
0N+1
/ 0N
1+0N
/ 0N
9223372036854775807+1
/ 0N
-9223372036854775807-1
/ 0N
3*-2
/ -6
0N*0
/ 0N
0N<1
/ 1b
1<0N
/ 0b
0N=0N
/ 1b
0n<1
/ 1b
0n=0n
/ 1b
0.1+0.2
/ 0.3
0.3=0.1+0.2
/ 1b
1=1.0
/ 1b
1<1.5
/ 1b
2>=2
/ 1b
3<=2
/ 0b
1<>1
/ 0b
1+0.5
/ 1.5
0N+0.5
/ 0n
0.5-0N
/ 0n
2*0w
/ 0w
0w-0w
/ 0n
-0w<0n
/ 0b
5-0N
/ 0N
{x-1} each 1 2 3
/ 0 1 2
{x+y*2}/[0;til 10]
/ 90
{x+y*2}\[0;til 5]
/ 0 2 6 12 20
f:{$[x<2;x;f[x-1]+f[x-2]]}; f 20
/ 6765
g:{a:x+1;b:a*2;a+b}; g 3
/ 12
h:{[p;q] r:p-q; r*r}; h[7;2]
/ 25
k:{x+y}[10]; k 5
/ 15
/ The iterators over lists, dictionaries and tables, items taken step by step.
{x+y}/[1 2 3]
/ 6
{x+y}\[1 2 3]
/ 1 3 6
{x,y}/[enlist 0;1 2 3]
/ 0 1 2 3
{x+y+z}/[0;1 2 3;10 20 30]
/ 66
{x+y+z}\[0;1 2 3;10]
/ 11 23 36
{x+y}/[0;`a`b!1 2]
/ 3
{x+y}\[0;`a`b!1 2]
/ a| 1
/ b| 3
{x+y}/[0;1 2;1 2 3]
/ 'length
{x+y}/[`a`b!1 2]
/ 3
{x,y}/[([]a:1 2 3)]
/ a| 3
{x+y}/[{x}]
/ {x}
{x+y}/[()]
/ ()
{x+y}/[0;()]
/ 0
{x*2} each 1 2 3
/ 2 4 6
{x+y}'[1 2 3;10]
/ 11 12 13
{x+y}'[1 2;1 2 3]
/ 'length
{x,y}'["ab";"cd"]
/ "ac"
/ "bd"
{x*2} each `a`b!1 2
/ a| 2
/ b| 4
{x`a} each ([]a:1 2;b:3 4)
/ 1 2
{x} each ()
/ ()
count each ("ab";"cde")
/ 2 3
{x} each 5
/ 5
{x+y}'[`a`b!1 2;`a`b!3 4]
/ 4 6
{x,reverse x} each ("ab";"cd")
/ "abba"
/ "cddc"
/ The conditions ($[...], if, while) answered without making their boolean, and the general path.
{$[x<2;`a;`b]} each 1 2 3
/ `a`b`b
{$[x;`t;`f]} each 0 1 2
/ `f`t`t
{$[x>1.5;`big;`small]} each 1 2.0
/ `small`big
{$[x=0N;`n;`v]} each 0N 1
/ `n`v
{$[x+1;`t;`f]} each -1 0
/ `f`t
{$[x<>y;1;0]}[1;1.0]
/ 0
{$[x<`b;1;0]}[`a]
/ 1
{$[x<2]}[1]
/ 1b
{i:0;while[i<5;i+:1];i}[]
/ 5
{r:0;if[x>2;r:1];r} each 1 5
/ 0 1
{$[x<2;x;'`neg]} 5
/ 'neg
{$["b"<x;1;0]} "c"
/ 1
{$[x<y;1;0]}[1;0n]
/ 0
/ The functions a lambda reads by name are current after any change to a global in the same
/ evaluation (eval::known): reassigned, set from inside a lambda, deleted, read in another
/ namespace.
f1:{1};g1:{f1[]};a1:g1[];f1:{2};a1,g1[]
/ 1 2
f2:{1};g2:{f2[]};{r:g2[];f2::{4};r,g2[]}[]
/ 1 4
f4:{1};g4:{f4[]};a4:g4[];delete f4 from `.;@[g4;0;{x}]
/ "f4"
f3:{`root}
\d .n
f3:{`n}
h3:{f3[]}
\d .
.n.h3[],f3[]
/ `n`root
{f3[],.n.h3[],f3[]}[]
/ `root`n`root
a5:til 3;{a5;-16!a5}[]
/ 2
p6:{x+1};q6:{p6 x};{r:q6 1;p6::{x+2};r,q6 1}[]
/ 2 3
/ The reserved words a lambda reads are kept beside the functions.
{x,reverse x} each ("ab";"cd")
/ "abba"
/ "cddc"
{(count x;count each x)} ("ab";"cde")
/ 2
/ 2 3
