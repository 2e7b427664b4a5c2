/ The session's system commands: what they report and set, and the console's input handler.
\P                       / a trailing comment is not an argument
/ 7i
\d                  / default namespace
/ `.
\o
/ 0N
\o -5
\o
/ -5
\s
/ 0i
\z
/ 0
\z 1
\z
/ 1
\z 3
/ 'domain
"D"$"06/01/2010"
/ 2010.01.06
\z 0
"D"$"06/01/2010"
/ 2010.06.01
/ The other spellings ref/tok.md lists, month names in any case, and \z 1's day first.
"D"$("20130604";"04Jun2013";"04 JUN 2013";"2013/06/04";"2013/Jun/04";"Jun/04/2013")
/ 2013.06.04 2013.06.04 2013.06.04 2013.06.04 2013.06.04 2013.06.04
\z 1
"D"$("04/06/2013";"04/Jun/2013";"31/Feb/2013")
/ 2013.06.04 2013.06.04 0N
\z 0

/ file-text.md: a date, a blank, a time; a zone's hours with their sign; type letters
/ casting an atom to each.
sum(" Z T";5 20 1 5)0:("Tue, 04 Jun 2013 07:00:13 +0900";"Tue, 04 Jun 2013 07:00:13 -0500")
/ 2013.06.04T16:00:13.000 2013.06.04T02:00:13.000
"dt"$2022.03.14D16:12:57.427499000
/ 2022.03.14
/ 16:12:57.427
\e
/ 0i
\S
/ -314159i
system"S 0N"
/ -314159i
\a .nosuchns
/ '.nosuchns
.nn.vv:([]uu:12 45)
\a .nn
/ ,`vv
\a .n
/ '.n
{x where x like"ht??"}system"f .h"
/ `htac`html`http
vw::1+undefinedname
\f
/ `symbol$()
\b
/ `s#,`vw
\B
/ ,`vw
get`. `vw
/ ::
/ (+;1;`undefinedname)
/ ,`undefinedname
/ "1+undefinedname"
.z.pi:{">",.Q.s value x}
2+3
/ >5
\x .z.pi
2+3
/ 5
a:b:c:1 2 3
-16!a
/ 3
-120!'(1 2 3;.m.x:1 2 3)
/ 0 1
pv::px+1
px:10
get`. `pv
/ ::
/ (+;`px;1)
/ ,`px
/ "px+1"
pv
/ 11
first get`. `pv
/ 11
px:20
pv
/ 21
0 "2+3"
/ 5
.z.ps:{[x]0N!(`zps;x);value x}
0 "2+2"
/ (`zps;"2+2")
/ 4
\x .z.ps
0 "2+2"
/ 4
10 "abc"
/ 'Cannot write to handle 10. OS reports: Bad file descriptor

/ \w 0 is the interned symbols and their bytes; \w n needs -w on the command line.
count system"w 0"
/ 2
system"w 3"
/ '-w init via cmd line

/ The timing `\t expr` is milliseconds as a long (syscmds.md: `\t log til 100000` shows `3`);
/ The timer `\t` alone is an int, as the binary prints it (enlistq.com, "Using the timer
/ function .z.ts": `q)\t` then `0i`).
type system"t til 10"
/ -7h
\t:2 til 10
/ 0
\t
/ 0i
type system"t"
/ -6h

/ The .Q.prf0 profiler reads another process's interpreter frames (kb/profiler.md): 'nyi here.
.Q.prf0 .z.i
/ 'nyi
.Q.prf0 `a
/ 'type
/ The -n! forms kdb+ replaced by keywords (basics/internal.md) run as those keywords.
(-1!`a;-2!`s#1 2;-6!(+;1;2);-15!"abc";-24!(+;1;2))
/ `:a
/ `s
/ 3
/ 0x900150983cd24fb0d6963f7d28e17f72
/ 3
(-29!"{\"a\":1}";-32!"abc";-31!(1 0w;()!()))
/ (,`a)!,1f
/ "YWJj"
/ "[1,inf]"
-99!1
/ 'nyi
