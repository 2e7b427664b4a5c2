/ The built-in namespaces .h .j .Q and related internals (-33!).
.h.htc[`tag;"value"]
/ "<tag>value</tag>"
.h.hta[`a;(`href`target)!("http://www.example.com";"_blank")]
/ "<a href=\"http://www.example.com\" target=\"_blank\">"
.h.hb["http://www.example.com";"Main"]
/ "<a target=v href=\"http://www.example.com\">Main</a>"
.h.hc "<foo>"
/ "&lt;foo>"
.h.hu "http://www.kx.com"
/ "http%3a%2f%2fwww.kx.com"
.h.uh "http%3a%2f%2fwww.kx.com"
/ "http://www.kx.com"
.h.xs "a<b & c>d"
/ "a&lt;b &amp; c&gt;d"
.h.iso8601 100
/ "2000-01-01T00:00:00.000000100"
.h.code "foo\tbar\tabc\tdef"
/ "foo <code><nobr>bar</nobr></code> abc <code><nobr>def</nobr></code>"
.h.pre("foo";"bar")
/ "<pre>foo\nbar\n</pre>"
.h.cd ([]a:1 2;b:("x,y";"z"))
/ "a,b"
/ "1,\"x,y\""
/ "2,z"
t:([a:til 2]c:2 2#1 2)
.h.d:"*"
.h.cd t
/ "a,c"
/ "0,1*2"
/ "1,1*2"
.h.td ([]a:1 2;b:`x`y)
/ "a\tb"
/ "1\tx"
/ "2\ty"
.h.xd ([]a:1 2;b:`x`y)
/ "<R>"
/ "<r><a>1</a><b>x</b></r>"
/ "<r><a>2</a><b>y</b></r>"
/ "</R>"
.h.tx[`json] ([] 0 1)
/ "{\"x\":0}"
/ "{\"x\":1}"
.j.j -0w 0 1.5 0n 0w
/ "[-inf,0,1.5,null,inf]"
.j.jd(-0w 0 1 0w;`null0w!enlist 1b)
/ "[null,0,1,null]"
-1 .j.j (1b;0N;`a;"b\"c\n";2020.01.02;2020.01.02D03:04:05.000000006;2020.01m;0Nd;::);
/ [true,null,"a","b\"c\n","2020-01-02","2020-01-02T03:04:05.000000006","2020-01",null,null]
.j.j `a`b!(1 2;"xy")
/ "{\"a\":[1,2],\"b\":\"xy\"}"
.j.j ([k:1 2]v:`a`b)
/ "[{\"k\":1,\"v\":\"a\"},\n {\"k\":2,\"v\":\"b\"}]"
.j.k "{\"a\":[0,1],\"b\":[\"hello\",\"world\"]}"
/ a| 0       1
/ b| "hello" "world"
.j.k "[{\"a\":1,\"b\":true},{\"a\":null,\"b\":false}]"
/ a b
/ ---
/ 1 1
/   0
.j.k "[1,null,\"\\u00e9\"]"
/ 1f
/ 0n
/ "\303\251"
.j.k "[1,"
/ 'illegal
.Q.addr`$"127.0.0.1"
/ 2130706433i
.Q.sha1"Hello World!"
/ 0x2ef7bde608ce5404e97d5f042f95f89f1c232871
raze string -33!"mypassword"
/ "91dfd9ddb4198affc5c194cd8ce6d338fde470e2"
.Q.f[2;-0.0001]
/ "-0.00"
.Q.ty each (1 2;"ab";(1 2;3 4);("a";1))
/ "jcJ "
.Q.trp[{`a+x};1;{-1 .Q.sbt y;x}]
/   [2]  {`a+x}
/           ^
/   [1]  (.Q.trp)
/ 
/   [0]  .Q.trp[{`a+x};1;{-1 .Q.sbt y;x}]
/        ^
/ 
/ "type"
.Q.trpd[{x+y};1 2;{x}]
/ 3
"abc" ss ""
/ 'length
"abcde" like "*b*d"
/ 'nyi
"abcde" like "*bcd*"
/ 1b
`LIBQ_NAMES_TEST setenv "/home/user/temp"
getenv `LIBQ_NAMES_TEST
/ "/home/user/temp"
`X setenv 1
/ 'type
.z.H~key .z.W
/ 1b
count value "\\w"
/ 6
vw::2+va*3
va:5
vw
/ 17
va:1
vw
/ 5
view `vw
/ "2+va*3"
views[]
/ `s#,`vw
vw:0
views[]
/ `symbol$()
.Q.opt ("-a";"1";"-b";"x";"y")
/ a| ,"1"
/ b| ("x";"y")
.Q.def[`a`b!(0;`z)] .Q.opt ("-a";"12";"-b";"y")
/ a| 12
/ b| `y
.Q.qt ([k:1 2]v:3 4)
/ 1b
.Q.fu[{x*2};1 1 2]
/ 2 2 4
.Q.ft[{x 0 1};([k:1 2 3]v:3 4 5)]
/ k| v
/ -| -
/ 1| 3
/ 2| 4
cols .Q.ff[([]a:1 2);enlist `a`b!1 2]
/ `a`b
-1 .h.http "see http://a.b/c and http://x.y";
/ see <a href="http://a.b/c">http://a.b/c</a> and <a href="http://x.y">http://x.y</a>
vx::va," /b"   / a comment
view `vx
/ "va,\" /b\""

/ Namespaces are known without a look at every global: a dotted name that was never set
/ is an error; one that heads names set since is their dictionary.
.nsq.w
/ '.nsq.w
.nsq.y.z:1
.nsq.y
/  | ::
/ z| 1
.nsq.w
/ '.nsq.w
key .nsq
/ ``y

/ Functions in a namespace read its names, and keywords as keywords.
\d .nsq
v:10 20
g:{count v,x}
\d .
.nsq.g 1 2
/ 4

/ Amending a namespace by name amends its globals (the root's, or a namespace's).
@[`.;`amx;:;3]
/ `.
amx
/ 3
.nsa.b:1
@[`.nsa;`c;:;5]
/ `.nsa
.nsa.c
/ 5
@[`.nsa;`b;+;10];.nsa.b
/ 11
