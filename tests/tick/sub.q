/ A kdb+tick subscriber for some syms of a table: q sub.q TPPORT TABLE SYM1,SYM2 -p PORT
/ It keeps what the tickerplant publishes to it in a table of the same name.
upd:{[t;x]t insert x}
.u.end:{[d]}
a:.z.x
h:hopen "J"$a 0
.[;();:;]. h(".u.sub";`$a 1;`$","vs a 2)
