//! The database functions of `.Q`, written in q as kdb+ writes them, over the file
//! primitives below them (`set`, `get`, `key`, `` `:db/sym? ``, `\l`): `.Q.par .Q.en .Q.ens
//! .Q.dpft .Q.dpfts .Q.dpt .Q.dpts .Q.hdpf .Q.chk .Q.cn .Q.view .Q.l .Q.li .Q.bv .Q.bvi .Q.MAP
//! .Q.fs .Q.fsn .Q.fps .Q.fpn .Q.dsftg .Q.Xf .Q.Cf` (`.Q.lo` is native: `load::load_database`).

/// `.Q` functions written in q.
const LAMBDAS: &[(&str, &str)] = &[
    // The directory of table t in partition p of database d: with par.txt, the segments take
    // partitions in turn (p mod the number of segments).
    (
        ".Q.par",
        "{[d;p;t]s:$[count key f:` sv d,`$\"par.txt\";hsym`$read0 f;enlist d];` sv(s(`long$p)mod count s),(`$string p),t}",
    ),
    // Enumerates t's symbol columns (and columns of symbol lists) against domain n of d.
    (
        ".Q.ens",
        "{[d;t;n]if[d~(::);:t];f:` sv d,n;c:where{$[11h=type x;1b;0h=type x;$[count x;all 11h=type each x;0b];0b]}each flip 0!t;$[count c;@[t;c;{[f;x]$[11h=type x;f?x;{[f;x]f?x}[f]each x]}f];t]}",
    ),
    (".Q.en", "{[d;t].Q.ens[d;t;`sym]}"),
    // Writes t (a global's name) as partition p of d, enumerated against domain s, sorted by
    // f with `p# on it, f first; returns the name.
    (
        ".Q.dpfts",
        "{[d;p;f;t;s]x:.Q.ens[d;0!value t;s];if[not f in cols x;'f];x:@[x iasc x f;f;`p#];(`$(string .Q.par[d;p;t]),\"/\")set(f,cols[x]except f)xcols x;t}",
    ),
    (".Q.dpft", "{[d;p;f;t].Q.dpfts[d;p;f;t;`sym]}"),
    // Unsorted, no attribute.
    (
        ".Q.dpts",
        "{[d;p;t;s](`$(string .Q.par[d;p;t]),\"/\")set .Q.ens[d;0!value t;s];t}",
    ),
    (".Q.dpt", "{[d;p;t].Q.dpts[d;p;t;`sym]}"),
    // Every table of the root, largest first, saved and emptied; then h reloads its database.
    (
        ".Q.hdpf",
        "{[h;d;p;f]{[d;p;f;t].Q.dpft[d;p;f;t];t set 0#value t}[d;p;f]each t idesc count each value each t:tables`.;if[not h~(::);c:hopen h;c\"\\\\l .\";hclose c];}",
    ),
    // Partitions of d (of every segment par.txt lists, when it has one) missing a table of
    // the latest get an empty one like it; per partition, the partition's directory for each
    // table written (ref/dotq.md: "reports which partitions (but not which tables)").
    (
        ".Q.chk",
        "{[d]s:$[count key f:` sv d,`$\"par.txt\";hsym`$read0 f;enlist d];p:raze{[s]s,/:{x where x like\"[0-9]*\"}key s}each s;if[not count p;:()];p:p iasc p[;1];l:last p;ts:key` sv l;{[l;ts;x]t:ts where{[x;t]0=count key` sv x,t,`.d}[x]each ts;{[l;x;t](` sv x,t,`)set 0#get` sv l,t,`;` sv x}[l;x]each t}[l;ts]each p}",
    ),
    // The rows of each partition of a partitioned table (or of the one named), kept in .Q.pn.
    (
        ".Q.cn",
        "{[t]t:$[-11h=type t;t;value flip t];n:{[t;i]count get` sv(.Q.pd i),(`$string .Q.pv i),t,`}[t]each til count .Q.pv;@[`.Q.pn;t;:;n];n}",
    ),
    // Restricts the partitions in view (all again with ::).
    (
        ".Q.view",
        "{[x]i:$[x~(::);til count .Q.PV;where .Q.PV in x];`.Q.pv set .Q.PV i;`.Q.pd set .Q.PD i;`.Q.pn set(key .Q.pn)!(count .Q.pn)#enlist();(.Q.pf)set .Q.pv;}",
    ),
    // `\l` as a function (a directory or script, hsym or not).
    (".Q.l", "{[x]system\"l \",$[\":\"=first s:string x;1_s;s]}"),
    // Partitions given, found on disk and not yet in view, join the database `\l` loaded:
    // each where it is found, in every segment of .Q.P that has it (par.txt; the database's
    // own directory without one), ordered as `\l` orders them (by value, then segment).
    (
        ".Q.li",
        "{[p]s:.Q.P;p:p where not(p:(),p)in .Q.PV;v:raze(count s)#'p;d:raze(count p)#enlist s;k:{[d;x]0<count key` sv d,`$string x}'[d;v];if[count v:v where k;d:d where k;i:iasc V:.Q.PV,v;V:V i;D:(.Q.PD,d)i;`.Q.PV set V;`.Q.pv set V;`.Q.PD set D;`.Q.pd set D;`.Q.D set{[V;D;s]V where D=s}[V;D]each .Q.P;`.Q.u set(count V)=count distinct V;`.Q.pn set(key .Q.pn)!(count .Q.pn)#enlist();(.Q.pf)set V];}",
    ),
    // Tables missing from some partitions: an empty table like the one in the last partition
    // that has it (with `, the first) in .Q.vp, which selects take for those partitions.
    (
        ".Q.bv",
        "{[x]i:$[x~`;::;reverse]til count .Q.pv;has:{[t;i]0<count key` sv(.Q.pd i),(`$string .Q.pv i),t,`.d};m:.Q.pt where{[has;i;t](sum has[t]each i)<count i}[has;i]each .Q.pt;`.Q.vp set m!{[has;i;t]w:i where has[t]each i;p:0#get` sv(.Q.pd w 0),(`$string .Q.pv w 0),t,`;flip(.Q.pf,cols p)!(enlist 0#.Q.pv),value flip p}[has;i]each m;}",
    ),
    (".Q.bvi", "{[x].Q.bv x}"),
    // Rows i (indices over all partitions in view, in order) of partitioned table t.
    (
        ".Q.ind",
        "{[t;i]n:.Q.cn t;s:0,-1_sums n;p:s bin i;raze{[t;s;i;p;k]?[t;enlist(=;.Q.pf;.Q.pv k);0b;()]i[where p=k]-s k}[t;s;i;p]each distinct p}",
    ),
    // Partitions are mapped by each query that needs them: nothing is kept to be refreshed.
    (".Q.MAP", "{[x]}"),
    // Files in chunks of whole lines: f applied to each chunk's lines; the bytes read.
    (".Q.fs", "{[f;s].Q.fsn[f;s;131000]}"),
    (
        ".Q.fsn",
        "{[f;s;n]o:0;z:hcount s;while[o<z;b:read1(s;o;n);e:$[(o+count b)<z;$[count w:where b=0x0a;1+last w;count b];count b];f read0(s;o;e);o+:e];o}",
    ),
    // A named pipe in reads of at most n bytes: f applied to the whole lines each completes,
    // the rest at its end; the bytes read.
    (".Q.fps", "{[f;s].Q.fpn[f;s;131000]}"),
    (
        ".Q.fpn",
        "{[f;s;n]h:hopen`$\":fifo://\",$[\":\"=first s:string s;1_s;s];r:0#0x00;o:0;while[count b:read1(h;n);r,:b;if[count w:where r=0x0a;e:1+last w;f -1_\"\\n\"vs\"c\"$e#r;o+:e;r:e _ r]];if[count r;f enlist\"c\"$r;o+:count r];hclose h;o}",
    ),
    // Load, process, save (ref/dotq.md): fixed-width records of file s 0, from byte s 1, s 2
    // bytes of them (a nonpositive s 2: up to that many bytes before the end), read as the
    // columns f of types and widths t (`1:`), each chunk of .Q.M&1000000 rows given to g,
    // enumerated against d 0's sym and appended to table d 2 of partition d 1 (the first
    // chunk written whole, so a partition written before is replaced); the table's directory.
    (
        ".Q.dsftg",
        "{[d;s;f;t;g]p:`$(string .Q.par . d),\"/\";w:sum t 1;n:$[0<s 2;s 2;s[2]+(hcount s 0)-s 1];r:n div w;c:.Q.M&1000000;i:0;while[(i=0)|i<r;k:c&r-i;x:.Q.en[d 0;g flip f!t 1:(s 0;s[1]+i*w;k*w)];$[i;.[p;();,;x];p set x];i+:k;if[k=0;:p]];p}",
    ),
    // An empty mapped nested list of type x (an upper-case type char, or a type's name: "C",
    // `char) at y: the pre-3.6 nested file, its 16-byte header (type 77+t, count 0) and an
    // empty `#` file (SPEC §5.1). Deprecated in kdb+ 4.0, removed in 4.1.
    (
        ".Q.Xf",
        "{[x;y]t:$[-10h=type x;.Q.t?lower x;-11h=type x;abs type x$();'`type];if[not t within 1 19;'`type];y 1: 0xfe20,(`byte$77+t),13#0x00;(`$(string y),\"#\")1:`byte$();y}",
    ),
    (".Q.Cf", "{[y].Q.Xf[`char;y]}"),
];

/// The value of a `.Q` database function, when `name` is one.
pub fn value(name: &str) -> Option<crate::obj::K> {
    LAMBDAS
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, src)| crate::q::keywords::builtins::q_lambda(src))
}
