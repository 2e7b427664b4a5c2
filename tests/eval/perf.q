/ Analytics fast paths and pathological cases (issue 14): each case keeps a fixed root cause fixed.
/ A negative base has a power for a whole exponent only (db-benchmark q9: (v1 cor v2) xexp 2).
-2 xexp 2
/ 4f
-2 2 xexp .5
/ 0n 1.414214
-0.5 xexp 3
/ -0.125

/ A temporal column's field by dot notation inside a query: 1 xbar time.minute.
t:([] time:09:30:00.000 09:30:59.999 09:31:05.000; p:1 2 3)
select last p by m:1 xbar time.minute from t
/ m    | p
/ -----| -
/ 09:30| 2
/ 09:31| 3
d:2000.01.02; d.month
/ 2000.01m
