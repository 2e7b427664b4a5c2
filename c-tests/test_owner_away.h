/* The frame of the owner-away tests (test_owner_away.c, test_owner_away_read_parallel.c): the
   main thread owns the engine and waits outside the library (pthread_join, nanosleep or its
   own blocking read()) while worker threads call into it. The including test defines
   `worker_call` (one iteration of a worker's calls) and checks what the workers did after
   each `run_workers`. Include after defining _GNU_SOURCE. */
#ifndef TEST_OWNER_AWAY_H
#define TEST_OWNER_AWAY_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "k.h"
#include "check.h"

enum { MAX_THREADS = 64 };

static atomic_long bad_results; /* worker calls that did not give what they must */
static atomic_int finished;
static int wake_pipe[2];        /* READ phases: the last worker writes here */
static int nthreads;
static long calls_each;

/* One iteration of a worker's calls, defined by the test. */
static void worker_call(void);

static void *worker(void *arg) {
    (void)arg;
    for (long i = 0; i < calls_each; i++) worker_call();
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
static const char *const wait_names[] = {"pthread_join", "nanosleep", "read"};

/* Starts `threads` workers of `calls` iterations each and waits for them the `how` way
   (outside the library). */
static void run_workers(enum wait_kind how, int threads, long calls) {
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
}

#endif
