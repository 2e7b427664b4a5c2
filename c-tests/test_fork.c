// LIBQ_TEST_NO_TSAN
// LIBQ_TEST_NO_VALGRIND
/* fork after the engine started: a child gets a working engine, or (when another thread was
   still inside the engine after the fork's wait) a clean 'fork from every owner-bound call;
   never a hang. Each child must finish within 10 s or the case fails.
   - default mode, engine idle: the child evaluates, and threads it starts evaluate too;
   - 40 forks while 4 threads intern symbols and 4 threads run k(0,"cnt+:1"): every child
     interns and evaluates;
   - a thread inside a runaway call: the child's k(0,...) is 'fork, its ss/ktn work;
   - dedicated mode (kx_threading(1), in a child process of its own): the grandchild starts its
     own owner thread and evaluates;
   - read-parallel mode (kx_threading(2), likewise) with readers running: the grandchild
     evaluates. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "k.h"
#include "check.h"

static void sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Waits for child `p` at most 10 s; its exit status, or -1 (killed) if it hung. */
static int wait_child(pid_t p) {
    for (int i = 0; i < 1000; i++) {
        int st;
        if (waitpid(p, &st, WNOHANG) == p) return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
        sleep_ms(10);
    }
    kill(p, SIGKILL);
    waitpid(p, NULL, 0);
    return -1;
}

static int run_child(int (*body)(void)) {
    fflush(NULL);
    pid_t p = fork();
    if (p == 0) _exit(body());
    return wait_child(p);
}

static int gives_long(const char *src, J want) {
    K r = k(0, (S)src, (K)0);
    int ok = r && r->t == -KJ && r->j == want;
    if (r) r0(r);
    return ok;
}

static int gives_error(const char *src, const char *name) {
    K r = k(0, (S)src, (K)0);
    int ok = r && r->t == -128 && !strcmp(r->s, name);
    if (r) r0(r);
    return ok;
}

/* ---- a working child --------------------------------------------------------------------- */

static atomic_int child_calls_ok;

static void *child_worker(void *arg) {
    (void)arg;
    for (int i = 0; i < 100; i++) {
        K r = k(0, "x+1", (K)0);
        if (r && r->t == -KJ && r->j == 42) atomic_fetch_add(&child_calls_ok, 1);
        if (r) r0(r);
    }
    return NULL;
}

static int evaluates(void) {
    if (ss("fresh") != ss("fresh")) return 1;
    if (!gives_long("2+2", 4)) return 2;
    /* Threads of the child's own evaluate too. */
    r0(k(0, "x:41", (K)0));
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, child_worker, NULL);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    return atomic_load(&child_calls_ok) == 400 ? 0 : 3;
}

/* ---- busy threads in the parent ------------------------------------------------------------ */

static atomic_int stop_busy;

static void *interner(void *arg) {
    char b[32];
    long i = (long)arg * 100000000L;
    while (!atomic_load(&stop_busy)) {
        snprintf(b, sizeof b, "s%ld", i++);
        ss(b);
    }
    return NULL;
}

static void *counter(void *arg) {
    (void)arg;
    while (!atomic_load(&stop_busy)) r0(k(0, "cnt2+:1", (K)0));
    return NULL;
}

static void *runaway(void *arg) {
    (void)arg;
    K r = k(0, "while[1b;]", (K)0); /* until kx_interrupt */
    if (r) r0(r);
    return NULL;
}

static int busy_engine_child(void) {
    if (ss("still") != ss("still")) return 1;
    K x = ktn(KJ, 3);
    r0(x);
    if (!gives_error("1+1", "fork")) return 2;
    return 0;
}

/* ---- other modes, each in a process of its own ------------------------------------------------ */

static int dedicated_process(void) {
    if (kx_threading(1) != 1) return 10;
    if (!gives_long("3+3", 6)) return 11;
    return run_child(evaluates);
}

static atomic_int readers_stop;

static void *reader(void *arg) {
    (void)arg;
    while (!atomic_load(&readers_stop)) r0(k(0, "sum til 1000", (K)0));
    return NULL;
}

static int read_parallel_process(void) {
    if (kx_threading(2) != 2) return 20;
    if (qinit(0, NULL, NULL, NULL, NULL) != 0) return 21;
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, reader, NULL);
    sleep_ms(50);
    int rc = run_child(evaluates);
    atomic_store(&readers_stop, 1);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    return rc;
}

int main(void) {
    alarm(240);
    CHECK(run_child(dedicated_process) == 0);
    int rp = run_child(read_parallel_process);
    if (rp) fprintf(stderr, "read-parallel: %d\n", rp);
    CHECK(rp == 0);

    CHECK(qinit(0, NULL, NULL, NULL, NULL) == 0);
    r0(k(0, "cnt2:0", (K)0));
    CHECK(run_child(evaluates) == 0);

    pthread_t t[8];
    for (long i = 0; i < 4; i++) CHECK(pthread_create(&t[i], NULL, interner, (void *)i) == 0);
    for (long i = 4; i < 8; i++) CHECK(pthread_create(&t[i], NULL, counter, NULL) == 0);
    int hung = 0, failed = 0;
    for (int i = 0; i < 40; i++) {
        int rc = run_child(evaluates);
        hung += rc == -1;
        failed += rc != 0 && rc != -1;
    }
    atomic_store(&stop_busy, 1);
    for (int i = 0; i < 8; i++) CHECK(pthread_join(t[i], NULL) == 0);
    printf("40 forks beside interning and evaluating threads: %d hung, %d failed\n", hung, failed);
    CHECK(hung == 0 && failed == 0);

    pthread_t r;
    CHECK(pthread_create(&r, NULL, runaway, NULL) == 0);
    sleep_ms(100);
    CHECK(run_child(busy_engine_child) == 0);
    kx_interrupt();
    CHECK(pthread_join(r, NULL) == 0);
    CHECK(gives_long("1+1", 2)); /* the parent's engine goes on */
    DONE();
}
