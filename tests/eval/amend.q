/ Functional amend of a global by name: replacing the whole value sets the global even when it
/ does not exist yet (kdb+tick's r.q sets its tables with `(.[;();:;].)each x`).
.[`amendnew1;();:;1 2]
/ `amendnew1
amendnew1
/ 1 2
@[`amendnew2;();:;`a`b]
/ `amendnew2
amendnew2
/ `a`b
(.[;();:;].)each((`amendt1;([]a:1 2));(`amendt2;3))
/ `amendt1`amendt2
amendt1
/ a
/ -
/ 1
/ 2
.[`amendnew1;();:;3]
/ `amendnew1
amendnew1
/ 3
.[`amendnew3;0;:;1]
/ 'amendnew3
