// LIBQ_TEST_ENV: LIBQ_THREADING=1
/* An embedded host that starts a kdb+ server (qinit with -p) and does nothing more for it: in
   dedicated mode the library's owner thread serves clients while the host's thread blocks
   elsewhere (here: in its own client's sync calls, and in a sleep). */
#include "test_owner_prelude.h"
#include <unistd.h>

static int port;

static void *client(void *arg) {
    (void)arg;
    I h = khp("localhost", port);
    CHECK(h > 0);
    for (int i = 0; i < 100; i++) {
        K r = k(h, "{x+y}", kj(i), kj(1), (K)0);
        CHECK(r && r->t == -7 && r->j == i + 1);
        r0(r);
    }
    kclose(h);
    return NULL;
}

int main(void) {
    char *argv[] = {"host", "-p", "0W", NULL};
    CHECK(qinit(3, argv, NULL, NULL, NULL) == 0);
    K p = k(0, "system\"p\"", (K)0);
    CHECK(p && p->t == -6 && p->i > 0);
    port = p->i;
    r0(p);
    /* The host's own thread as a client of its own server. */
    I h = khp("localhost", port);
    CHECK(h > 0);
    K r = k(h, "2+2", (K)0);
    CHECK(r && r->j == 4);
    r0(r);
    /* Another thread as a client while the host's thread sleeps. */
    pthread_t t;
    CHECK(pthread_create(&t, NULL, client, NULL) == 0);
    sleep(1);
    CHECK(pthread_join(t, NULL) == 0);
    kclose(h);
    printf("served while the host did nothing\n");
    return 0;
}
