/* shutdown_thread() with a call running (dedicated mode): the running call stops with 'stop,
   shutdown_thread returns (well within its grace of a few seconds), and later calls fail with
   'shutdown. */
#include "test_owner_prelude.h"
#include <unistd.h>

static atomic_int started;
static K result;

static void *runaway(void *arg) {
    (void)arg;
    atomic_store(&started, 1);
    result = k(0, "while[1b;]", (K)0);
    return NULL;
}

int main(void) {
    alarm(60);
    CHECK(kx_threading(1) == 1);
    K one = k(0, "1", (K)0);
    CHECK(one && one->j == 1);
    r0(one);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, runaway, NULL) == 0);
    while (!atomic_load(&started)) {
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    struct timespec settle = {0, 100000000};
    nanosleep(&settle, NULL);
    double t0 = now_s(CLOCK_MONOTONIC);
    shutdown_thread();
    double took = now_s(CLOCK_MONOTONIC) - t0;
    CHECK(pthread_join(t, NULL) == 0);
    printf("shutdown_thread returned after %.3f s; the running call got '%s\n", took,
           result && result->t == -128 ? result->s : "?");
    CHECK(result && result->t == -128 && !strcmp(result->s, "stop"));
    r0(result);
    K after = k(0, "1", (K)0);
    CHECK(after && after->t == -128 && !strcmp(after->s, "shutdown"));
    r0(after);
    return 0;
}
