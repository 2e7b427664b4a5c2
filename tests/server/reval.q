/ The server of tests/server.rs's restricted_sync_handler test: ref/eval.md's example handler,
/ blocking sync messages from updating.
a:1
.z.pg:{reval(value;enlist x)}
-1 string system"p";
