// LIBQ_TEST_NO_VALGRIND
/* Waiting costs no CPU: the owner is busy in a 200 ms call while 8 threads make owner-bound
   calls; they wait (a short spin, then asleep on a futex) and are served when the busy call
   ends. Their CPU time together must be under 5% of the wall time of the wait. */
#include "test_owner_prelude.h"

enum { WAITERS = 8 };

static atomic_int busy_started;
static double waiter_cpu[WAITERS];
static double wait_start, wait_end;

static K busy(void *p) {
    (void)p;
    atomic_store(&busy_started, 1);
    double t0 = now_s(CLOCK_MONOTONIC);
    while (now_s(CLOCK_MONOTONIC) - t0 < 0.2) {
    } /* the owner is busy for 200 ms */
    return (K)0;
}

static K quick(void *p) {
    return ki(*(int *)p);
}

static void *waiter(void *arg) {
    int i = (int)(long)arg;
    while (!atomic_load(&busy_started)) {
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    double c0 = now_s(CLOCK_THREAD_CPUTIME_ID);
    K x = kx_owner_apply(quick, &i);
    waiter_cpu[i] = now_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    CHECK(x && x->i == i);
    r0(x);
    return NULL;
}

int main(void) {
    pthread_t t[WAITERS];
    int zero = 0;
    K first = kx_owner_apply(quick, &zero); /* main becomes the owner */
    CHECK(first != (K)0);
    r0(first);
    for (int i = 0; i < WAITERS; i++) CHECK(pthread_create(&t[i], NULL, waiter, (void *)(long)i) == 0);
    wait_start = now_s(CLOCK_MONOTONIC);
    CHECK(kx_owner_apply(busy, NULL) == (K)0); /* serves the waiters when it ends */
    while (kx_serve(0) > 0) {
    }
    for (int i = 0; i < WAITERS; i++) CHECK(pthread_join(t[i], NULL) == 0);
    wait_end = now_s(CLOCK_MONOTONIC);
    double wall = wait_end - wait_start, cpu = 0;
    for (int i = 0; i < WAITERS; i++) cpu += waiter_cpu[i];
    printf("%d waiters: %.3f ms CPU together over %.1f ms wall (%.3f%%)\n", WAITERS, cpu * 1e3, wall * 1e3,
           100 * cpu / wall);
    CHECK(cpu < 0.05 * wall);
    return 0;
}
