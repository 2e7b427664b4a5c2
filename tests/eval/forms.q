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

/ Keywords q defines in q show as kdb+ 4.x prints them (its q.k definitions).
mavg
/ k){msum[x;0.0^y]%mcount[x;y]}
msum
/ k){$[99h=@y;(!y)!.z.s[x;. y];y-(-x)_(0i*x#y),y:+\y]}
upsert
/ .[;();,;]
all
/ min$["b"]
sum
/ sum

/ A left section is a projection of one argument.
2+
/ +[2]
"b"$
/ $["b"]
(2*')til 0
/ ()

/ value of a composition: its functions; the last applies to one argument.
value differ
/ $["b"]
/ ~~':
(value differ)[1] 1 1 2
/ 101b
'[neg;-':] 1 4 9
/ -1 -3 -5

/ value of a lambda: kdb+'s items, bytecode and offsets left empty.
f:{[a;b]d::neg c:a*b+5;c+e}
value f
/ `byte$()
/ `a`b
/ ,`c
/ ``d`e
/ 5
/ `long$()
/ ""
/ ""
/ -1
/ "{[a;b]d::neg c:a*b+5;c+e}"

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

/ The file verbs right after a noun even before digits: binary records from bytes, text from
/ columns; after a space a time stays a time.
x:01:00 02:00 03:00
x within 1:30 2:30
/ 010b
{x} 2:30
/ 02:30
","0:3 3#10+til 9
/ "10,13,16"
/ "11,14,17"
/ "12,15,18"
(enlist 4;enlist"i")1:0x01000000
/ 16777216
.Q.s1(enlist"i";enlist 4)1:0x01000000
/ ",,1i"
("ich";4 1 2)1:0x00000000410000FF00000042FFFF
/ 0 255
/ A B
/ 0 -1

/ A list and a table of as many rows: each key to a row.
2010.01.01 2010.01.02!([]t:100 200)
/           | t
/ ----------| ---
/ 2010.01.01| 100
/ 2010.01.02| 200
(`x`y!([]a:3 4;b:5 6))`y
/ a| 4
/ b| 6
`x`y!([]a:1 2 3)
/ 'length

/ .Q.dd joins a path with a slash, names with a dot.
.Q.dd[`:dir]`file
/ `:dir/file
.Q.dd[`AAPL;"O"]
/ `AAPL.O

/ .Q.qp: partitioned 1b, splayed 0b, anything else 0.
.Q.qp ([]a:1 2)
/ 0

/ A symbol holds a colon after its first character, and after a colon a path (hsym.md).
hsym`c:/q/test.txt
/ `:c:/q/test.txt
hsym `host:port`localhost:8001
/ `:host:port`:localhost:8001
2000.01.01 0N 2000.01.03
/ 2000.01.01 0N 2000.01.03
type 0N 12:00 0W
/ 17h
2001.01 0N 2001.02m
/ 2001.01 0N 2001.02m
type 2000.01.01D00:00:00.000000000 0N
/ 12h
type 2000.01.01 1
/ 0h
type 2000.01.01 0N 12:00
/ 0h
