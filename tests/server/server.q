/ The server the network tests start (tests/server.rs): `q server.q -p 0W`; prints its port.
t:([]x:1 2 3;y:`a`b`c)
u:([]v:`long$())
upd:{`u insert x;}
.z.ws:{neg[.z.w] $[10h=type x;"got:",x;x]}
.z.wo:{`wo set x}
.z.wc:{`wc set x}
wo:wc:0i
.z.pp:{.h.hy[`txt;"posted:",first x]}
slow:{do[x;til 1000];x}
-1 string system"p";
