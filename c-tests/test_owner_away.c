// LIBQ_TEST_TSAN
/* Default mode, no kx_serve anywhere: the main thread calls qinit (it owns the engine) and then
   leaves the library, waiting in pthread_join, in nanosleep, or in its own blocking read(),
   while 8 to 64 threads call k(0,"cnt+:1",(K)0). No call may wait for the main thread: each
   runs on its calling thread, one at a time, with full rights (a global write). The counts
   must be exact (a read-modify-write of a global is atomic only if no two calls overlap), and
   the main thread's own calls afterwards see them. An alarm turns a hang into a failure. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "k.h"
#include "check.h"

enum { MAX_THREADS = 64 };

static atomic_long bad_results; /* worker calls that did not return the expected value */
static atomic_int finished;
static int wake_pipe[2];        /* phase 3: the last worker writes here */
static int nthreads;
static long calls_each;

static void *worker(void *arg) {
    (void)arg;
    for (long i = 0; i < calls_each; i++) {
        K r = k(0, "cnt+:1", (K)0);
        /* An assignment's value: the new count, a long. */
        if (!r || r->t != -KJ || r->j < 1) atomic_fetch_add(&bad_results, 1);
        if (r) r0(r);
        /* A read as well: a string of the count, built on this thread. */
        r = k(0, "string cnt", (K)0);
        if (!r || r->t != KC) atomic_fetch_add(&bad_results, 1);
        if (r) r0(r);
    }
    if (atomic_fetch_add(&finished, 1) + 1 == nthreads && write(wake_pipe[1], "x", 1) != 1)
        atomic_fetch_add(&bad_results, 1);
    return NULL;
}

static long count(void) {
    K r = k(0, "cnt", (K)0);
    long n = (r && r->t == -KJ) ? (long)r->j : -1;
    if (r) r0(r);
    return n;
}

enum wait_kind { JOIN, SLEEP, READ };

/* Starts `threads` workers of `calls` calls each, waits for them the `how` way (outside the
   library), and checks the count. */
static void phase(enum wait_kind how, int threads, long calls) {
    static const char *names[] = {"pthread_join", "nanosleep", "read"};
    r0(k(0, "cnt:0", (K)0));
    nthreads = threads;
    calls_each = calls;
    atomic_store(&finished, 0);
    pthread_t t[MAX_THREADS];
    for (int i = 0; i < threads; i++) CHECK(pthread_create(&t[i], NULL, worker, NULL) == 0);
    if (how == SLEEP) {
        struct timespec ms = {0, 1000000};
        while (atomic_load(&finished) < threads) nanosleep(&ms, NULL);
    } else if (how == READ) {
        char c;
        CHECK(read(wake_pipe[0], &c, 1) == 1);
    }
    for (int i = 0; i < threads; i++) CHECK(pthread_join(t[i], NULL) == 0);
    if (how != READ) { /* the last worker wrote to the pipe in every phase: drain it */
        char c;
        CHECK(read(wake_pipe[0], &c, 1) == 1);
    }
    long n = count();
    printf("main in %-12s %2d threads x %ld calls: cnt %ld\n", names[how], threads, calls, n);
    CHECK(n == (long)threads * calls);
}

int main(void) {
    alarm(240); /* a hang is a failure, not a stuck CI job */
    CHECK(pipe(wake_pipe) == 0);
    CHECK(qinit(0, NULL, NULL, NULL, NULL) == 0); /* main owns the engine from here on */
    phase(JOIN, 64, 200);
    phase(SLEEP, 8, 1000);
    phase(READ, 16, 500);
    phase(JOIN, 64, 50);
    CHECK(atomic_load(&bad_results) == 0);
    /* Main's own calls still run inline. */
    K r = k(0, "cnt+:1", (K)0);
    CHECK(r && r->t == -KJ && r->j == 64 * 50 + 1);
    r0(r);
    DONE();
}
