/ `q reload.q -p 0W -u users` (tests/server.rs): the timer, which runs as handle 0 and so is not
/ confined by -u, reloads the password file (\u) every 50 ms; prints the port.
.z.ts:{system"u"}
\t 50
-1 string system"p";
