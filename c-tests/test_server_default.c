/* Default mode: the host's thread that called qinit with -p is the owner. It is served while it
   is inside the library: in kx_serve, and while it waits in a call of its own (here: a sync
   call to its own server, answered by the loop it runs meanwhile). */
#include "test_owner_prelude.h"
#include <unistd.h>

static int port;
static atomic_int done;

static void *client(void *arg) {
    (void)arg;
    I h = khp("localhost", port);
    CHECK(h > 0);
    for (int i = 0; i < 100; i++) {
        K r = k(h, "{x*y}", kj(i), kj(2), (K)0);
        CHECK(r && r->t == -7 && r->j == 2 * i);
        r0(r);
    }
    kclose(h);
    atomic_store(&done, 1);
    return NULL;
}

int main(void) {
    char *argv[] = {"host", "-p", "0W", NULL};
    CHECK(qinit(3, argv, NULL, NULL, NULL) == 0);
    K p = k(0, "system\"p\"", (K)0);
    CHECK(p && p->t == -6 && p->i > 0);
    port = p->i;
    r0(p);
    I h = khp("localhost", port);
    CHECK(h > 0);
    K r = k(h, "3*4", (K)0);
    CHECK(r && r->j == 12);
    r0(r);
    kclose(h);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, client, NULL) == 0);
    for (int i = 0; i < 1000 && !atomic_load(&done); i++)
        kx_serve(10);
    CHECK(atomic_load(&done));
    CHECK(pthread_join(t, NULL) == 0);
    printf("served from kx_serve and from the owner's own waits\n");
    return 0;
}
