/* A host that forgets shutdown_thread still exits: dedicated mode (kx_threading(1)), a call
   made, and a detached thread still waiting for its call (the owner is busy in a long one)
   when main returns. The library ends its owner thread at exit; the process exits 0. */
#include "test_owner_prelude.h"

static atomic_int long_running;

static K long_call(void *p) {
    (void)p;
    atomic_store(&long_running, 1);
    struct timespec t = {0, 300000000};
    nanosleep(&t, NULL);
    return (K)0;
}

static K quick(void *p) {
    (void)p;
    return ki(5);
}

static void *call_long(void *arg) {
    (void)arg;
    kx_owner_apply(long_call, NULL);
    return NULL;
}

static void *call_quick(void *arg) {
    (void)arg;
    K x = kx_owner_apply(quick, NULL);
    if (x)
        r0(x);
    return NULL;
}

int main(void) {
    CHECK(kx_threading(1) == 1);
    K x = kx_owner_apply(quick, NULL);
    CHECK(x && x->i == 5);
    r0(x);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, call_long, NULL) == 0);
    CHECK(pthread_detach(t) == 0);
    while (!atomic_load(&long_running)) {
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    CHECK(pthread_create(&t, NULL, call_quick, NULL) == 0);
    CHECK(pthread_detach(t) == 0);
    puts("returning from main without shutdown_thread");
    return 0;
}
