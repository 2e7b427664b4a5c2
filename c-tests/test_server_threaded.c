// LIBQ_TEST_ENV: LIBQ_THREADING=1
/* Multithreaded input mode in an embedded host (qinit with -p -0W, dedicated mode): client
   threads query at the same time on their connections' threads, read-only ('noupdate on a
   write), while the owner's timer updates a global under the write side. */
#include "test_owner_prelude.h"

enum { CLIENTS = 4, QUERIES = 200 };

static int port;

static void *client(void *arg) {
    (void)arg;
    I h = khp("localhost", port);
    CHECK(h > 0);
    for (int i = 0; i < QUERIES; i++) {
        K r = k(h, "{x+sum til 100}", kj(i), (K)0);
        CHECK(r && r->t == -7 && r->j == i + 4950);
        r0(r);
        r = k(h, "ticks>=0", (K)0);
        CHECK(r && r->t == -1 && r->g == 1);
        r0(r);
    }
    K r = k(h, "a:1", (K)0);
    CHECK(r && r->t == -128 && !strcmp(r->s, "noupdate"));
    r0(r);
    kclose(h);
    return NULL;
}

int main(void) {
    char *argv[] = {"host", "-p", "-0W", NULL};
    CHECK(qinit(3, argv, NULL, NULL, NULL) == 0);
    K r = k(0, "ticks:0;.z.ts:{ticks+:1};system\"t 5\";neg system\"p\"", (K)0);
    CHECK(r && r->t == -6 && r->i > 0);
    port = r->i;
    r0(r);
    pthread_t t[CLIENTS];
    for (int i = 0; i < CLIENTS; i++)
        CHECK(pthread_create(&t[i], NULL, client, NULL) == 0);
    for (int i = 0; i < CLIENTS; i++)
        CHECK(pthread_join(t[i], NULL) == 0);
    r = k(0, "ticks", (K)0);
    CHECK(r && r->t == -7 && r->j > 0);
    r0(r);
    printf("%d clients read in parallel while the timer wrote\n", CLIENTS);
    return 0;
}
