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
