// LIBQ_TEST_TSAN
/* Read-parallel mode (kx_threading(2)), no kx_serve anywhere: the main thread calls qinit (it
   owns the engine) and then leaves the library, waiting in pthread_join, in nanosleep, or in
   its own blocking read(), while 8 to 64 threads each read (an exact sum over a global
   column) and write (cnt+:1). No call may wait for the main thread: the reads all give the
   exact sum, every write signals 'noupdate (counted exactly) and the count is unchanged; the
   main thread's own write afterwards runs. An alarm turns a hang into a failure. */
#define _GNU_SOURCE
#include <string.h>
#include "test_owner_away.h"

static atomic_long refused; /* writes that signalled 'noupdate */

static void worker_call(void) {
    K r = k(0, "sum t`x", (K)0);
    if (!r || r->t != -KJ || r->j != 499500) atomic_fetch_add(&bad_results, 1);
    if (r) r0(r);
    r = k(0, "cnt+:1", (K)0);
    if (r && r->t == -128 && !strcmp(r->s, "noupdate"))
        atomic_fetch_add(&refused, 1);
    else
        atomic_fetch_add(&bad_results, 1);
    if (r) r0(r);
}

/* Runs the workers and checks the refusals and the count. */
static void phase(enum wait_kind how, int threads, long calls) {
    r0(k(0, "cnt:0", (K)0));
    atomic_store(&refused, 0);
    run_workers(how, threads, calls);
    long n = count(), no = atomic_load(&refused);
    printf("main in %-12s %2d threads x %ld calls: 'noupdate %ld, cnt %ld\n", wait_names[how],
           threads, calls, no, n);
    CHECK(no == (long)threads * calls);
    CHECK(n == 0);
}

int main(void) {
    alarm(240); /* a hang is a failure, not a stuck CI job */
    CHECK(pipe(wake_pipe) == 0);
    CHECK(kx_threading(2) == 2);
    CHECK(qinit(0, NULL, NULL, NULL, NULL) == 0); /* main owns the engine from here on */
    r0(k(0, "t:([]x:til 1000)", (K)0));
    phase(JOIN, 64, 200);
    phase(SLEEP, 8, 1000);
    phase(READ, 16, 500);
    phase(JOIN, 64, 50);
    CHECK(atomic_load(&bad_results) == 0);
    /* Main's own writes still run (the write side). */
    K r = k(0, "cnt+:1", (K)0);
    CHECK(r && r->t == -KJ && r->j == 1);
    r0(r);
    DONE();
}
