/ Foreign keys (enumerations over a keyed table's key) and link columns (over a table's rows).
f:([x:1 2 3]y:10 20 30)
t:([]a:`f$2 2 2;b:0;c:`f$1 1 1)
t.a
/ `f$2 2 2
value t.a
/ 2 2 2
"i"$t.a
/ 1 1 1i
key t.a
/ `f
`f$4
/ 'cast
meta t
/ c| t f a
/ -| -----
/ a| j f
/ b| j
/ c| j f
fkeys t
/ a| f
/ c| f
select a.y, c.y from t
/ y  y1
/ -----
/ 20 10
/ 20 10
/ 20 10
t.a.y
/ 20 20 20
select from t where a=2
/ a b c
/ -----
/ 2 0 1
/ 2 0 1
/ 2 0 1
s:([s:`s1`s2]name:`smith`jones;e:`f$3 1)
sp:([]s:`s$`s1`s2`s1;qty:300 200 100)
select s.name, s.e.y, qty from sp
/ name  y  qty
/ ------------
/ smith 30 300
/ jones 10 200
/ smith 30 100
update e:`f$2 2 from `s
/ `s
select s.e.y from sp
/ y
/ --
/ 20
/ 20
/ 20
u:([]v:10 20 30)
update p:`u!0 0 1 from `u
/ `u
select v, p.v from u
/ v  v1
/ -----
/ 10 10
/ 20 10
/ 30 20
meta u
/ c| t f a
/ -| -----
/ v| j
/ p| j u
/ The link column shows as kdb+ shows it, `t!indices; so does an item of it.
exec p from u
/ `u!0 0 1
first exec p from u
/ `u!0
/ The keyed table kkt has a key of two columns: `kkt$ enumerates key rows (a list or a table).
kkt:2!([]a:`a`b`c;b:10 20 30;c:11 22 33)
`kkt$((`a;10);(`b;20);(`b;20))
/ `kkt!0 1 1
`kkt$([]a:`c`a;b:30 10)
/ `kkt!2 0
`kkt$([]b:30 10;a:`c`a)
/ `kkt!2 0
exec r.c from ([]r:`kkt$((`c;30);(`a;10)))
/ 33 11
`kkt$enlist(`d;10)
/ 'cast
`kkt$`a
/ 'type
/ The `d$ forms: an empty enumeration for a schema, re-enumerating, and names that are no domain.
dd:`a`b
t1:([]s:`dd$();v:`long$())
type t1`s
/ 20h
meta t1
/ c| t f a
/ -| -----
/ s| s
/ v| j
`dd$`dd$`b
/ `dd$`b
`undefineddomain$`a
/ 'undefineddomain
notadomain:1 2 3
`notadomain$`a
/ 'type
`dd$1 2
/ 'type
