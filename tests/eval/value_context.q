/ `value` on a string runs the text in the current context (ref/value.md: "string: result of
/ evaluating it in current context"), not in the calling lambda's frame: its locals are not seen
/ and what it assigns is global (basics/function-notation.md: local assignments are "strictly
/ local: invisible to other functions applied during evaluation").
{a:1;value "a"}[]
/ 'a
a:5
{a:1;value "a"}[]
/ 5
{value "b:2"}[]
/ 2
b
/ 2
{b:3;value "b:4";b}[]
/ 3
b
/ 4
{[p] value "p+1"}[1]
/ 'p
p:10
{[p] value "p+1"}[1]
/ 11
{value "x"}"x"
/ 'x
x:`glob
{value "x"}"x"
/ `glob
// `get` is the same keyword; so is `.` applied to one argument.
{a:1;get "a"}[]
/ 5
{a:1;(.)"a"}[]
/ 5
// A lambda the text defines reads globals too.
{a:1;value "{x+a}"}[][1]
/ 6
// So does a query in it.
{a:100;value "select from ([]c:4 5 6) where c>a"}[]
/ c
/ -
/ 6
// The current namespace (\d) is the text's.
\d .n
m:7
{m:0;value "m"}[]
/ 7
{value "k:8"}[]
/ 8
\d .
.n.k
/ 8
// Text run at the top level, and nested `value`, are unchanged.
value "b"
/ 4
{value "value \"b+1\""}[]
/ 5
// The caller's own locals and assignments are untouched.
{a:1;value "a:99";a}[]
/ 1
a
/ 99
// `eval` runs a parse tree the same way: its names are globals (kb/faq-listbox.md: locals
// have no symbols associated with them).
{zz:1;eval parse "zz"}[]
/ 'zz
{zz:1;eval (+;`zz;1)}[]
/ 'zz
zz:10
{zz:1;eval parse "zz"}[]
/ 10
{zz:1;eval (+;`zz;1)}[]
/ 11
{zz:1;eval parse "zz:20";zz}[]
/ 1
zz
/ 20
{f:neg;value (`f;1)}[]
/ 'f
