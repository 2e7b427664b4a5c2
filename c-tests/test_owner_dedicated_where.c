// LIBQ_TEST_ENV: LIBQ_THREADING=1
/* Dedicated mode: where a host thread's call runs. k(0,...) runs on the calling thread while
   the engine is free; kx_owner_apply always runs on the library's owner thread; a thread with
   a small stack (less than 1 MB left) has its k(0,...) run on the owner thread (16 MB), so a
   recursion that needs more than its stack still answers; once kx_notify_fd was asked for,
   every call runs on the owner thread. A dl'ed C function records the thread evaluating. */
#include "test_owner_prelude.h"

static pthread_t ran_on;

static K record(K x) {
    (void)x;
    ran_on = pthread_self();
    return kj(7);
}

static K whoami(void *p) {
    *(pthread_t *)p = pthread_self();
    return ki(1);
}

/* Evaluates {x 0} with `record` as x; returns the thread that ran it. */
static pthread_t where(void) {
    ran_on = (pthread_t)0;
    K r = k(0, "{x 0}", dl((V *)record, 1), (K)0);
    CHECK(r && r->t == -KJ && r->j == 7);
    r0(r);
    return ran_on;
}

static pthread_t owner_thread;

static void *small_stack(void *arg) {
    (void)arg;
    CHECK(pthread_equal(where(), owner_thread));
    /* 1000 nested q calls: more than this thread's 256 KB, well within the owner's 16 MB. */
    K r = k(0, "{$[x;1+.z.s x-1;0]} 1000", (K)0);
    CHECK(r && r->t == -KJ && r->j == 1000);
    r0(r);
    return NULL;
}

static void *big_stack(void *arg) {
    (void)arg;
    CHECK(pthread_equal(where(), pthread_self()));
    return NULL;
}

static void *on_owner(void *arg) {
    (void)arg;
    CHECK(pthread_equal(where(), owner_thread));
    return NULL;
}

static void run_on(void *(*f)(void *), size_t stack) {
    pthread_attr_t attr;
    pthread_t t;
    CHECK(pthread_attr_init(&attr) == 0);
    CHECK(pthread_attr_setstacksize(&attr, stack) == 0);
    CHECK(pthread_create(&t, &attr, f, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    pthread_attr_destroy(&attr);
}

int main(void) {
    CHECK(getenv("LIBQ_THREADING") && !strcmp(getenv("LIBQ_THREADING"), "1"));
    K x = kx_owner_apply(whoami, &owner_thread);
    CHECK(x && x->i == 1);
    r0(x);
    CHECK(!pthread_equal(owner_thread, pthread_self()));

    /* The engine is free: the call runs here. */
    CHECK(pthread_equal(where(), pthread_self()));
    run_on(big_stack, 8 << 20);
    run_on(small_stack, 256 << 10);

    /* kx_owner_apply stays on the owner thread. */
    pthread_t t = (pthread_t)0;
    x = kx_owner_apply(whoami, &t);
    CHECK(x && pthread_equal(t, owner_thread));
    r0(x);

    /* Asking for kx_notify_fd keeps every call on the owner thread. */
    CHECK(kx_notify_fd() >= 0);
    CHECK(pthread_equal(where(), owner_thread));
    run_on(small_stack, 256 << 10);
    run_on(on_owner, 8 << 20);

    shutdown_thread();
    puts("ok");
    return 0;
}
