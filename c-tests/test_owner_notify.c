/* A host with its own event loop (default mode): the main thread is the owner and polls the
   descriptor from kx_notify_fd(); when it is readable it calls kx_serve(0). 8 threads make
   2,000 calls each; every call is served and the total is exact. */
#include "test_owner_prelude.h"
#include <poll.h>

enum { THREADS = 8, CALLS = 2000 };

static long counter;
static atomic_int finished;

static K increment(void *p) {
    counter += *(long *)p;
    return (K)0;
}

static void *worker(void *arg) {
    (void)arg;
    for (int i = 0; i < CALLS; i++) {
        long one = 1;
        CHECK(kx_owner_apply(increment, &one) == (K)0);
    }
    atomic_fetch_add(&finished, 1);
    return NULL;
}

int main(void) {
    long zero = 0;
    CHECK(kx_owner_apply(increment, &zero) == (K)0); /* main becomes the owner */
    int fd = kx_notify_fd();
    CHECK(fd >= 0);
    CHECK(kx_notify_fd() == fd);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) CHECK(pthread_create(&t[i], NULL, worker, NULL) == 0);
    long wakeups = 0, served = 0;
    while (atomic_load(&finished) < THREADS) {
        struct pollfd p = {fd, POLLIN, 0};
        int r = poll(&p, 1, 100);
        CHECK(r >= 0);
        if (r == 1) {
            wakeups++;
            I n = kx_serve(0);
            CHECK(n >= 0);
            served += n;
        }
    }
    for (int i = 0; i < THREADS; i++) CHECK(pthread_join(t[i], NULL) == 0);
    printf("counter %ld, %ld wake-ups of the event loop\n", counter, wakeups);
    CHECK(counter == (long)THREADS * CALLS);
    CHECK(served == (long)THREADS * CALLS);
    return 0;
}
