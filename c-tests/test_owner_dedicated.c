// LIBQ_TEST_ENV: LIBQ_THREADING=1
/* Dedicated mode from the environment: the library's own thread is the owner. Every host
   thread, main included, trampolines; threads the host creates and joins make calls; an error
   signalled with krr on the owner comes back as the caller's pending error; kx_serve is
   refused (the host is not the owner); shutdown_thread ends it and later calls fail with
   'shutdown. Run with LIBQ_THREADING=1 in the environment. */
#include "test_owner_prelude.h"

enum { THREADS = 16, CALLS = 2000 };

static long counter;
static pthread_t owner_thread;

static K whoami(void *p) {
    *(pthread_t *)p = pthread_self();
    return ki(42);
}

static K increment(void *p) {
    CHECK(pthread_equal(pthread_self(), owner_thread));
    counter += *(long *)p;
    return (K)0;
}

static K fail(void *p) {
    return krr((S)p);
}

static K nested(void *p) {
    /* a call made on the owner runs inline */
    return kx_owner_apply(whoami, p);
}

static void *worker(void *arg) {
    (void)arg;
    for (int i = 0; i < CALLS; i++) {
        long one = 1;
        CHECK(kx_owner_apply(increment, &one) == (K)0);
    }
    return NULL;
}

int main(void) {
    CHECK(getenv("LIBQ_THREADING") && !strcmp(getenv("LIBQ_THREADING"), "1"));
    K x = kx_owner_apply(whoami, &owner_thread);
    CHECK(x && x->i == 42);
    r0(x);
    CHECK(!pthread_equal(owner_thread, pthread_self()));
    CHECK(kx_threading(1) == 1);  /* the mode in force */
    CHECK(kx_threading(0) == -1); /* too late to change */
    { const char *te = pending_error(); CHECK(te && !strcmp(te, "threading")); }

    pthread_t inner;
    x = kx_owner_apply(nested, &inner);
    CHECK(x && pthread_equal(inner, owner_thread));
    r0(x);

    CHECK(kx_owner_apply(fail, "boom") == (K)0);
    const char *e = pending_error();
    CHECK(e && !strcmp(e, "boom"));
    CHECK(pending_error() == NULL); /* ee cleared it */

    CHECK(kx_serve(0) == -1); /* a host thread cannot serve in dedicated mode */
    (void)pending_error();

    for (int round = 0; round < 3; round++) { /* threads created and joined, slots recycled */
        pthread_t t[THREADS];
        for (int i = 0; i < THREADS; i++) CHECK(pthread_create(&t[i], NULL, worker, NULL) == 0);
        for (int i = 0; i < THREADS; i++) CHECK(pthread_join(t[i], NULL) == 0);
    }
    long total = 0;
    long zero = 0;
    CHECK(kx_owner_apply(increment, &zero) == (K)0); /* read after the owner's writes */
    total = counter;
    printf("counter %ld (expected %d)\n", total, 3 * THREADS * CALLS);
    CHECK(total == 3L * THREADS * CALLS);

    shutdown_thread();
    CHECK(kx_owner_apply(whoami, &inner) == (K)0);
    e = pending_error();
    CHECK(e && !strcmp(e, "shutdown"));
    shutdown_thread(); /* twice is fine */
    return 0;
}
