/ Pattern matching (q 4.1): assignment patterns, lambda parameter patterns, `:[...]`.
(b;c):2 3
b+c
/ 5
a:(b;:1+):1 2
a
/ 1 3
b
/ 1
f:{[(a;b);c]a+b+c}; f[1 2;3]
/ 6
{[x;]x}[3;4]
/ 3
(1):2
/ 'match
(1 2):1 2
(b;c):2 3 4
/ 'length
(b;c;3):2 3 4
/ 'match
(p;q;):1 2
/ 'length
(1 2!(one;two)):1 2 3!"abc"
two
/ "b"
(1 2!(one;two)):1 3!"ac"
/ 'match
([one:;four:d]):`one`two`three`four`five!1 2 3 4 5
d
/ 4
([six:;four:d]):`one`two!1 2
/ 'match
([k1:kk]cc:e):([k1:7 8]aa:1 2;cc:5 6)
kk,e
/ 7 8 5 6
(flip([a;b])):([]a:1 2;b:3 4)
b
/ 3 4
(a!):1 2!3 4
a
/ 1 2
((a;b):`F):3 4e
/ 'type
((a;b):`F):3 4f
b
/ 4f
(a:3+):4
a
/ 7
x:1 2 3
(x[1]):5
x
/ 1 5 3
/ The next match fails, so it sets nothing.
(u;(v;w)):(10;20 30 40)
/ 'length
u
/ 'u
r: :[1i;t:`f;"float";t:`i;"int";"other"]
r,string t
/ "int1"
:[`a;(:`j);1;2]
/ 2
g:{[x:{$[x<0;'`neg;x]}]x*2}
g 3
/ 6
g -1
/ 'neg
fills {(x where x=0W):0N;x} 0N 2 3 0W 0N 7 0W
/ 0N 2 3 3 3 7 7
