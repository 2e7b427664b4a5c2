/ Primitives, amend and enumerations: regressions from the KX reference pages.
@[1 2; ::; 3 4*]
/ 'type
@[1 2 3;0;{`a}]
/ `a
/ 2
/ 3
x:`a`b!(1 2 3;`x`y`z); y:(`a`b`c)!(1 2 3;2 3 5;`x`y`z)
x inter y
/ 1 2 3
/ x y z
10 vs(1995;1996 1997)
/ 1 1 1
/ 9 9 9
/ 9 9 9
/ 5 6 7
10 vs 5 1995
/ 0 1
/ 0 9
/ 0 9
/ 5 5
sx:`a`b`c`d
`sx!1 2 3
/ `sx$`b`c`d
d:`a`b`c; e:`d$`a`b`c`b
"i"$e
/ 0 1 2 1i
a:``a
null`a$`
/ 0b
l1:`a`b`c; l2:`a`b`c
(`l1$`a)~`l2$`a
/ 0b
(`l1$`a)=`l2$`a
/ 1b
d:`cat`cow`dog`sheep!`chat`vache`chien`mouton
ds:`s#d
ds~d
/ 1b
ds `sheep`snake`cat`ant
/ `mouton`mouton`chat`
m:(1 6 4 4 2;2 7 2 0 5;7 5 6 7 0;2 1 8 1 0;7 3 3 6 8;2 3 8 9 0;1 1 9 6 9;7 8 4 3 0;4 5 8 0 4;9 8 0 3 9)
7 m\4 1 3 3 1 4
/ 0 6 6 6 1 5
(m\)4 1 3 3 1 4
/ 4 3 1 0 6 9
n:("the ";("quick ";"brown ";("fox ";"jumps ";"over ");"the ");("lazy ";"dog."))
(,/)over n
/ "the quick brown fox jumps over the lazy dog."
ssr["toronto ontario";"t?r";upper]
/ "TORonto onTARio"
t:([]a:`p`p`p`q`q`q;b:0 2 4 0 2 4)
t bin `a`b!(`p;3)
/ 1
t bin ([]a:`q;b:-1 1 3 5)
/ 0N 3 4 5
kt:([k:`c`d`e`f`g`h`j`l]a:`p`p`q`q`p`p`q`q;b:0 1 0 1 0 1 0 1;c:3 3 3 3 7 7 7 7)
(kt bin ([]a:`p`q`q`r;b:1;c:4 8 2 4))`k
/ `d`l``
raze string -33!"mypassword"
/ "91dfd9ddb4198affc5c194cd8ce6d338fde470e2"
@[;1 2;{`$x}]each(#)@'(1 0 2;-1 2 3)
/ `domain`domain
0 2 0'[`a`b`c!"abc";"xyz";"123";`b`a`c!"789"]
/ 'domain
s:(1;2f;3)
s[1]:4
s
/ 1 4 3
s[1]:5f
/ 'type
ssr["a";"a";"-"]
/ 'type
"A grown man in a gown" ss ""
/ 'length
"the time" ss "t*e"
/ 'length
"the the" like "*the*the*"
/ 'nyi
"brown" like "br*wn"
/ 1b
ff:{[w;x;y;z]w+x+y+z}; f:{2*x}; g:10*
dd:('[;]) over (g;f;ff)
dd[1;2;3;4]
/ 200
('[;])[neg;+][1;2]
/ -3
d:`a`b`c; e:`d$`a`b`c`b
d[0]:`o
e
/ `d$`o`b`c`b
type each (0#0;*\[0#0];{x*y}\[0#0])
/ 7 -7 0h

/ The match ~ compares floats with tolerance, deep inside lists and dictionaries too; find and key
/ lookups compare them exactly (KX: tolerance is used by = < > ~, not by ? distinct group in).
1.0~1+1e-15
/ 1b
(`a`b!(1f;enlist 2f))~`a`b!(1+1e-15;enlist 2+1e-15)
/ 1b
(1 2f)?1+1e-15
/ 2
((1 2f)!`a`b) 1+1e-15
/ `

/ basics/precision.md: "In the following examples, b is treated not equal to a" ((a,a)?b is 2;
/ distinct a,b keeps both), exactly also where the floats sit in general lists, nested vectors
/ and table rows (hashed as objects); differ is tolerant there as on vectors.
a:1f;b:a-10 xexp -13
(a,a)?b
/ 2
L:(a;b;`x)
count distinct L
/ 3
L?b
/ 1
count group L
/ 3
b in (a;`x)
/ 0b
(a;`x) inter (b;`x)
/ `x
(enlist a;enlist b)?enlist b
/ 1
count distinct (1 2f;1 2f-0 1e-13)
/ 2
differ (1 2f;1 2f-0 1e-13)
/ 10b
differ (1 2f;1 3f)
/ 11b
([]x:a,a)?([]x:enlist b)
/ ,2
([]x:a,a)?enlist b
/ 2
([]x:a,a;y:1 2)?(b;2)
/ 2
([]x:b,a) in ([]x:a,a)
/ 01b
([k:a,b]v:1 2)([]k:enlist b)
/ v
/ -
/ 2
(0n;`x)?0n
/ 0

/ Rows of a table: found by column values, as dicts, or in column order; in as y?x<count y.
t:([]s:`a`b`c;v:1 2 3)
t?(`b;2)
/ 1
t?`s`v!(`c;3)
/ 2
t?`v`s!(3;`c)
/ 3
t?(`b;2i)
/ 3
t?([]s:`c`a`z;v:3 1 0)
/ 2 0 3
t?([]v:1 2)
/ 3 3
([]s:`a`b`z;v:1 2 3) in t
/ 110b
(`s`v!(`b;2)) in t
/ 1b
u:([]s:("ab";"cd");v:1 2)
u?("cd";2)
/ 1
w:([]s:`a`b`c;f:(1f;0n;-0f);e:1 2 3e;g:(1 2;3 4;`x))
w?(`b;0n;2e;3 4)
/ 1
w?(`c;0f;3e;`x)
/ 2
w?(`a;1f;1e;1 2i)
/ 3
(0Ng;0Ng)~(0Ng;0Ng)
/ 1b
