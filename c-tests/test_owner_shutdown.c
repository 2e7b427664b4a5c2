/* Shutdown with calls in flight (dedicated mode chosen with kx_threading(1)): one call is
   running on the owner while 16 threads wait for theirs; shutdown_thread() lets the running
   call finish with its result, answers the waiting ones with 'shutdown, and every later call
   fails with 'shutdown. Nothing hangs. */
#include "test_owner_prelude.h"

enum { WAITERS = 16 };

static atomic_int slow_running, shutdown_started, waiters_calling;
static atomic_int ran, refused;

static K slow(void *p) {
    (void)p;
    atomic_store(&slow_running, 1);
    while (!atomic_load(&shutdown_started)) {
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    return ki(7);
}

static K quick(void *p) {
    (void)p;
    return ki(1);
}

static void *slow_caller(void *arg) {
    (void)arg;
    K x = kx_owner_apply(slow, NULL);
    CHECK(x && x->i == 7); /* the running call completes */
    r0(x);
    return NULL;
}

static void *waiter(void *arg) {
    (void)arg;
    atomic_fetch_add(&waiters_calling, 1);
    K x = kx_owner_apply(quick, NULL);
    if (x) {
        CHECK(x->i == 1);
        r0(x);
        atomic_fetch_add(&ran, 1);
    } else {
        const char *e = pending_error();
        CHECK(e && !strcmp(e, "shutdown"));
        atomic_fetch_add(&refused, 1);
    }
    return NULL;
}

int main(void) {
    CHECK(kx_threading(1) == 1);
    pthread_t s, w[WAITERS];
    CHECK(pthread_create(&s, NULL, slow_caller, NULL) == 0);
    while (!atomic_load(&slow_running)) {
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    for (int i = 0; i < WAITERS; i++) CHECK(pthread_create(&w[i], NULL, waiter, NULL) == 0);
    while (atomic_load(&waiters_calling) < WAITERS) {
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    struct timespec settle = {0, 50000000}; /* let them post: either outcome is still correct */
    nanosleep(&settle, NULL);
    atomic_store(&shutdown_started, 1);
    shutdown_thread();
    for (int i = 0; i < WAITERS; i++) CHECK(pthread_join(w[i], NULL) == 0);
    CHECK(pthread_join(s, NULL) == 0);
    printf("waiters: %d refused with 'shutdown, %d ran\n", atomic_load(&refused), atomic_load(&ran));
    CHECK(atomic_load(&refused) + atomic_load(&ran) == WAITERS);
    CHECK(kx_owner_apply(quick, NULL) == (K)0);
    const char *e = pending_error();
    CHECK(e && !strcmp(e, "shutdown"));
    CHECK(kx_serve(0) == -1);
    return 0;
}
