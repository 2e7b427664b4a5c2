/ The server of tests/server.rs's handlers_of_one_s_own test: `q handlers.q -p host:port`.
.z.pw:{[u;p] not u~`bad}
.z.pg:{$[x~"secret";`denied;value x]}
.z.ph:{.h.hy[`txt;"custom:",first x]}
-1 string system"p";
