/ The interpreter never aborts on hostile input: each case is an input line, then the exact console output after `/ `
/ (several `/ ` lines for several lines of output), or `/ 'name` for the error it signals. Found by tests/eval_robust.rs.
where 200000000000
/ 'wsfull
200000000000#1
/ 'wsfull
count (0Nv){x,y}/{x+y}
/ 2
count deltas[0Np;([]a:();b:())]
/ 0
(0#`)>=`a
/ `boolean$()
`a<0#`
/ `boolean$()
`a`b<`b
/ 10b
count 1,{x}
/ 2
count {x},1
/ 2
a:([k:1 2]v:3 4)
{@[{select by a from ([k:1 2]v:3 4)};::;::];1b}[]
/ 1b
(a:`long;b):group (`$())!()
/ 'length
count {x,y}/[(0#0)!0#0;?[;`a xkey([]a:1 1 2;b:3 4 5)][0]]
/ 0
k:([k:1 2]v:3 4)
update k:sum k by k from ([]a:1 2 3;b:`x`y`x) where 1 0N 3i
/ 'length
count ([k:`a`b]v:(1 2;3)) upsert ({x};1)
/ 3
@[enlist 0Ng;0;{x}]
/ ,00000000-0000-0000-0000-000000000000
@[2#0Ng;0;:;1]
/ 'type
