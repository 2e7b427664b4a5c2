/ Language forms: k) input, parenthesised glyphs, bracketed dictionaries, `'[;]`, parse trees.
d:`c1`c2`c3!(1 2;3 4;5 6)
k)@6
/ -7h
k)$42
/ "42"
k)$:42
/ "42"
($)42
/ "42"
$42
/ '$
k)!3
/ 0 1 2
(-)3
/ -3
(+)[1;2]
/ 3
parse "k)!10"
/ !:
/ 10
parse"6(+)4"
/ 6
/ (+:;4)
([a:1;b:2])
/ a| 1
/ b| 2
([q:`r])
/ q| r
eval parse"a::5"
/ 5
a
/ 5
{eval parse"gb::6"}[]; gb
/ 6
1000/[+]til 5
/ 'type
x:1 2 3
1+x[2]+:5
/ 9
m:(1 2;3 4); m[1;1]:5
m
/ 1 2
/ 3 5
b:d[`c1`c4]:7 8
b
/ 7 8
s:1 2 3
s[2]:5f
/ 'type
s
/ 1 2 3
s:(1;2f;3)
s[1]:4
s
/ 1 4 3
@[2+;"42";{)}]
/ ')
(1]
/ ']
args:{(value x)1}
args{select from y where a=x,b=z}
/ `x`y
{select from ([]a:0 1;b:2 3) where a=x,b=y}[0;2]
/ 'rank
sym:`a`b; e:`sym$`a`b
e,:`b
e
/ `sym$`a`b`b
e,:`c
/ 'cast
cols select count i from ([]a:1 2 3)
/ ,`x
q:3 ::
q~3
/ 1b
u:([]a:("ref/a";"kb/b"); b:til 2)
select from u where a like $[1b;"ref/*";"kb/*"]
/ 'rank
exec c from select c:{$[x>0;1;0]} each b from u
/ 0 1

/ A minus after the verb `_` that follows a number starts a negative number; after a name
/ ending in `_` it is the verb (kdb+tick's r.q: 1_-10_string first reverse y).
s:"abcdefghijklmnop"
1_-10_s
/ "bcdef"
-2_-10_s
/ "abcd"
a_:10
a_-1
/ 9
