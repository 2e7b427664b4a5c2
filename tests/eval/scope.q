/ The evaluation context: what a function given a name writes and reads, functional queries'
/ parse trees, restricted evaluation (reval), statistics of no items.

/ `set`, Amend and the table keywords given a name reach the global, not a local of that name: "local assignments are strictly local: invisible to other functions applied during evaluation" (basics/function-notation.md, Name scope; ref/get.md: set assigns "a global variable").
a:0
{a:1; `a set 2; a}[]
/ 1
a
/ 2
{a:1; get `a}[]
/ 2
b:1 2 3
{b:10 20; @[`b;0;:;9]; b}[]
/ 10 20
b
/ 9 2 3
{b:10 20; .[`b;enlist 1;:;8]; b}[]
/ 10 20
b
/ 9 8 3
{c:`local; .[`c;();:;`global]; c}[]
/ `local
c
/ `global
t:([]x:1 2)
{t:([]x:enlist 5); `t insert enlist 3; count t}[]
/ 1
t
/ x
/ -
/ 1
/ 2
/ 3
{t:0; `t upsert ([]x:enlist 4); t}[]
/ 0
count t
/ 4
{t:0; update x:x*10 from `t; t}[]
/ 0
exec x from t
/ 10 20 30 40
{t:0; delete from `t where x>20; t}[]
/ 0
exec x from t
/ 10 20
{t:0; select from `t where x>10}[]
/ x
/ --
/ 20
{t:0; ?[`t;();();`x]}[]
/ 10 20
{e:`x`y; `e?`x`z; e}[]
/ `x`y
value e
/ `x`z
{e:`y; `e$`z}[]
/ `e$`z
{e:`y; `e!1 0}[]
/ `e$`z`x
{t:([]q:1); exec c from meta `t}[]
/ ,`x
{t:`a`b!1 2; key `t}[]
/ ,`x
/ The name is the current namespace's (\d), not that of the function's definition: kdb+tick's .u.tick, defined in .u, amends the root's tables by name (`@[;`sym;`g#]each t`), and its .u.upd inserts into them.
\d .u
f:{@[`trade;`sym;`g#]}
g:{`zz set 1}
h:{`trade insert (`c;3)}
\d .
trade:([]sym:`a`b;p:1 2)
.u.f[]
/ `trade
exec a from meta trade
/ `g`
.u.g[]
/ `zz
zz
/ 1
.u.h[]
/ ,2
count trade
/ 3
key`.u
/ ``f`g`h

/ A functional query's parse tree names columns, then globals: the lambda's locals are not among them (its names are symbols, data evaluated "in whatever context it is needed": basics/parsetrees.md), while qSQL written in the lambda sees them (basics/function-notation.md).
t:([]c:1 2 3)
lim:2
{[lim] select from t where c>lim}[0]
/ c
/ -
/ 1
/ 2
/ 3
{[lim] ?[t;enlist(>;`c;`lim);0b;()]}[0]
/ c
/ -
/ 3
{[lim] ?[t;enlist(>;`c;lim);0b;()]}[0]
/ c
/ -
/ 1
/ 2
/ 3
{[lim] exec c from t where c>lim}[1]
/ 2 3
{[lim] ?[t;enlist(>;`c;`lim);();`c]}[1]
/ ,3
{[lim] ![t;enlist(>;`c;`lim);0b;enlist[`c]!enlist 0]}[0]
/ c
/ -
/ 1
/ 2
/ 0
{[n] ?[t;();0b;enlist[`c]!enlist(+;`c;`n)]}[100]
/ 'n
{[lim] ?[t;0 1 2;(>;`c;`lim)]}[0]
/ 001b
{u:5; {[lim] select from t where c>lim,c<u}[0]}[]
/ 'u

/ reval (-24!): eval as if -b and -u 1 were set (ref/eval.md#reval; basics/cmdline.md -b: 'noupdate on a global write; -u 1: 'access for system commands, exit, files outside the current directory; reval: no file written at all).
a:1
reval(value;"a:2")
/ 'noupdate
a
/ 1
reval(value;"a+10")
/ 11
reval(+;1;(*;2;3))
/ 7
reval`a
/ 1
reval(set;enlist`a;3)
/ 'noupdate
reval({a::5};1)
/ 'noupdate
reval(value;"{x*2} each til 3")
/ 0 2 4
-24!(value;"a:9")
/ 'noupdate
@[reval;(value;"a:4");{x}]
/ "noupdate"
{a::x;}6
a
/ 6
reval(system;"P")
/ 7i
reval(system;"P 3")
/ 'access
\P
/ 7i
reval(value;"\\d .foo")
/ 'access
reval(system;"echo hi")
/ 'access
reval(exit;0)
/ 'access
reval(hopen;enlist`:/tmp/libq-reval-refused)
/ 'access: /tmp/libq-reval-refused
reval(set;enlist`:/tmp/libq-reval-refused;1 2 3)
/ 'access: /tmp/libq-reval-refused
reval(key;enlist`:/tmp/libq-reval-refused)
/ 'access: /tmp/libq-reval-refused
reval(read0;enlist`:/etc/hostname)
/ 'access: /etc/hostname
reval(get;enlist`:../Cargo.toml)
/ 'access: ../Cargo.toml
reval(value;"`:/tmp/libq-reval-refused 0: enlist\"x\"")
/ 'access: /tmp/libq-reval-refused
0<reval(count;(read0;enlist`:Cargo.toml))
/ 1b
reval(set;enlist`:libq-reval-refused;1 2 3)
/ 'access: libq-reval-refused
reval(hopen;enlist`:libq-reval-refused)
/ 'access: libq-reval-refused
key`:libq-reval-refused
/ ()
`:/tmp/libq-reval-refused set 1 2
/ `:/tmp/libq-reval-refused
hdel`:/tmp/libq-reval-refused
/ `:/tmp/libq-reval-refused
reval(hdel;enlist`:libq-reval-refused)
/ 'access: libq-reval-refused
reval(hopen;enlist`:fifo://libq-reval-refused)
/ 'access: fifo://libq-reval-refused
reval(system;"_")
/ 0b
reval(system;"_ f.q")
/ 'access

/ svar and scov are var and cov times n%n-1 (ref/var.md, ref/cov.md); of no items (every pair with a null) they are null like var and cov, per group too.
svar 0n 0n
/ 0n
0n 0n scov 1 2f
/ 0n
3 3f scov 3 3f
/ 0f
t:([]k:1 1 2;m:0n 0n 1;m2:1 2 3f)
0N!exec c from select c:m scov m2 by k from t;
/ 0n 0n
0N!exec c from select c:svar m by k from t;
/ 0n 0n
0N!exec c from select c:sdev m by k from t;
/ 0n 0n
(select c:m scov m2,v:svar m,s:sdev m,d:cov[m;m2] by k from t)~select c:{x scov y}[m;m2],v:{svar x} m,s:{sdev x} m,d:{cov[x;y]}[m;m2] by k from t
/ 1b
