/ `x,:y` (Append): stricter than `x:x,y`; a failed append leaves the variable unchanged.
s:1 2 3
s,:5f
/ 'type
s
/ 1 2 3
s:([a:1;b:2])
s,:([a:3;c:4])
s,:([d:5f])
/ 'type
s
/ a| 3
/ b| 2
/ c| 4
t:([]a:1 2i;b:3 4f)
t,:([]a:5 6f;b:7 8i)
/ 'type
count t
/ 2
s:enlist 1 2 3
s,:4 5 6
s
/ 1 2 3
/ 4 5 6
sym:`a`b; s:`a`c
s,:`sym$`b
s
/ `a`c`b
t:([]a:1 2;b:3 4)
t,:(7 8;9 10)
t,:([]b:6 7)
t
/ a b
/ ----
/ 1 3
/ 2 4
/ 7 8
/ 9 10
/   6
/   7
t:([k:`a`b]a:1 2;b:3 4)
t,:([k:`c`a]a:10 11)
t
/ k| a  b
/ -| ----
/ a| 11 3
/ b| 2  4
/ c| 10
t,:`h`i
/ 'length

/ A key new to the table that the right side holds twice is inserted once, then updated, as
/ upserting the rows one by one does (it was appended twice).
([k:1 2]v:10 20),([k:3 2 3 4 3]v:30 21 31 40 32)
/ k| v
/ -| --
/ 1| 10
/ 2| 21
/ 3| 32
/ 4| 40
([k:`a`b]v:1 2),([k:`x`x]v:3 4)
/ k| v
/ -| -
/ a| 1
/ b| 2
/ x| 4
