// LIBQ_TEST_TSAN
/* Default mode: the main thread becomes the owner and serves with kx_serve while 64 threads
   make 10,000 owner-bound calls each. Every call increments a plain global, on the owner
   while it serves, or on the calling thread in the moments the owner is between two kx_serve
   calls (away from the library); the request and its answer live on the caller's stack. No
   locks: under ThreadSanitizer any missing happens-before between a caller and the owner, or
   between two callers, is reported. The total must be exactly 640,000, each caller must see
   its own increments in order, and the calls the owner served plus those that ran on their
   callers must be all of them. */
#include "test_owner_prelude.h"

enum { THREADS = 64, CALLS = 10000 };

static long counter;      /* touched only on the owner thread */
static pthread_t owner;   /* written before any worker starts */
static atomic_int finished;
static atomic_long visited; /* calls that ran on their calling thread */

struct request {
    long delta;   /* written by the caller, read on the owner */
    long after;   /* written on the owner, read by the caller */
    int on_owner;
};

static K increment(void *p) {
    struct request *r = p;
    counter += r->delta;
    r->after = counter;
    r->on_owner = pthread_equal(pthread_self(), owner);
    return (K)0;
}

static K claim(void *p) {
    (void)p;
    return (K)0;
}

static void *worker(void *arg) {
    (void)arg;
    long last = 0;
    for (int i = 0; i < CALLS; i++) {
        struct request r = {1, 0, 0};
        K x = kx_owner_apply(increment, &r);
        CHECK(x == (K)0);
        if (!r.on_owner) atomic_fetch_add(&visited, 1);
        CHECK(r.after > last); /* the counter only grows, and ours is in it */
        last = r.after;
    }
    atomic_fetch_add(&finished, 1);
    return NULL;
}

int main(void) {
    owner = pthread_self();
    CHECK(kx_owner_apply(claim, NULL) == (K)0); /* the first caller becomes the owner */
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) CHECK(pthread_create(&t[i], NULL, worker, NULL) == 0);
    long served = 0;
    while (atomic_load(&finished) < THREADS) {
        I n = kx_serve(20);
        CHECK(n >= 0);
        served += n;
    }
    for (int i = 0; i < THREADS; i++) CHECK(pthread_join(t[i], NULL) == 0);
    printf("counter %ld (expected %d), served by kx_serve %ld, run on their callers %ld\n", counter, THREADS * CALLS,
           served, atomic_load(&visited));
    CHECK(counter == (long)THREADS * CALLS);
    CHECK(served + atomic_load(&visited) == (long)THREADS * CALLS);
    return 0;
}
