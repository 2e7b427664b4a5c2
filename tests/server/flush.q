/ A q client of tests/server.rs's own_handlers_and_host_port: async messages, then `h""` and
/ `neg[h][]`, each before a sync read that must see them. `q flush.q PORT`.
h:hopen"J"$.z.x 0
neg[h]"a:42";h"";r:h"a"
neg[h]"b:43";neg[h][];r,:h"b"
-1 .Q.s1 r;
exit 0
