/ The server PyKX's default connection talks to (tests/pykx/test_pykx.py): `q server.q -p 0W`
/ with stdin at end of file; prints its port.
t:([]x:1 2 3;y:`a`b`c)
echo:{x}
-1 string system"p";
