// LIBQ_TEST_TSAN
/* Default mode, no kx_serve anywhere: the main thread calls qinit (it owns the engine) and then
   leaves the library, waiting in pthread_join, in nanosleep, or in its own blocking read(),
   while 8 to 64 threads call k(0,"cnt+:1",(K)0). No call may wait for the main thread: each
   runs on its calling thread, one at a time, with full rights (a global write). The counts
   must be exact (a read-modify-write of a global is atomic only if no two calls overlap), and
   the main thread's own calls afterwards see them. An alarm turns a hang into a failure. */
#define _GNU_SOURCE
#include "test_owner_away.h"

static void worker_call(void) {
    K r = k(0, "cnt+:1", (K)0);
    /* An assignment's value: the new count, a long. */
    if (!r || r->t != -KJ || r->j < 1) atomic_fetch_add(&bad_results, 1);
    if (r) r0(r);
    /* A read as well: a string of the count, built on this thread. */
    r = k(0, "string cnt", (K)0);
    if (!r || r->t != KC) atomic_fetch_add(&bad_results, 1);
    if (r) r0(r);
}

/* Runs the workers and checks the count. */
static void phase(enum wait_kind how, int threads, long calls) {
    r0(k(0, "cnt:0", (K)0));
    run_workers(how, threads, calls);
    long n = count();
    printf("main in %-12s %2d threads x %ld calls: cnt %ld\n", wait_names[how], threads, calls, n);
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
