/ A feed for kdb+tick: q feed.q PORT FIRST N BATCH ACK
/ Sends trades FIRST .. FIRST+N-1 to the tickerplant on PORT by asynchronous .u.upd, BATCH rows
/ a message (1: a row, as (sym;price;size); more: columns); trade i has size i, sym
/ syms i mod 8, price i%100. Every ACK trades it waits for the tickerplant (a synchronous
/ ping after the asynchronous messages) and prints "acked K": trades up to K are logged.
a:"J"$1_.z.x
h:hopen "J"$.z.x 0
syms:`a`b`c`d`e`f`g`h
send:{[i;b]
  j:i+til b;
  neg[h](".u.upd";`trade;$[b=1;(syms i mod 8;i%100;i);(syms j mod 8;j%100;j)])}
lo:a 0;n:a 1;batch:a 2;ack:a 3
i:lo;hi:lo+n
while[i<hi;
  b:batch&hi-i;
  send[i;b];
  i+:b;
  if[(0=i mod ack)|i=hi;h"";-1"acked ",string i]]
exit 0
