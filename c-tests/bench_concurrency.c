/* Concurrency benchmark: every figure beside its baseline, measured in the same run.

   bench_concurrency all SECONDS REPEATS [TCORE_SO]
     Runs each case in a child process of its own (the threading mode is per process), each
     `REPEATS` times interleaved, and reports the median calls per second and the ratios:
       away  N   default mode, the main thread owns the engine and sleeps (away): N threads call
                 k(0,"1",(K)0), each call runs on its caller (the engine lock's exclusive side)
       ded   N   dedicated mode (kx_threading(1)): the same calls, each on its caller while the
                 engine is free, else handed to the library's owner thread, which runs those
                 queued meanwhile                                 -> ratio away/ded at 1, 8, 64
       hand  N   dedicated mode with kx_notify_fd() asked for: every call handed to the owner
                 thread (the pure hand-off)
       rp    N   read-parallel mode (kx_threading(2)): N threads run a read-only query on their
                 own threads at once
       rpt   N   the same query in dedicated mode (one call at a time) -> ratio rp/rpt at 1, 2, 4, 8
       rpw   N   read-parallel mode: N threads try a global write and get 'noupdate, against
       rp1   N   the same threads evaluating "1"                  -> the 'noupdate path's cost
       tcore N   PyKX 4.2's own queue (its _tcore.c, built from the wheel by the script into
                 TCORE_SO and run over this libq.so): N threads call its _k(0,"1"), its q thread
                 evaluates                          -> ratios ded/tcore and hand/tcore at 1, 8, 64
   bench_concurrency case NAME THREADS SECONDS [TCORE_SO]
     One case (what `all` runs in its children): prints calls per second. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "k.h"

/* PyKX's _tcore.c takes the GIL around r0/r1; the benchmark calls libq's r0 itself, so these
   stubs only satisfy the symbols (the binary exports them with -rdynamic). */
int PyGILState_Ensure(void) { return 0; }
void PyGILState_Release(int s) { (void)s; }

#define READ_QUERY "sum x"          /* x: til 20000, a few microseconds of work */
#define WRITE_QUERY "x:1"

static atomic_int stop_flag;
static atomic_long errors;
static long counts[128];
static const char *query;
static K (*tcore_k)(int, const char *, ...);

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* The call each case makes; results checked so the work cannot be skipped. */
static void one_call(int expect_error) {
    K r = tcore_k ? tcore_k(0, query, (K)0) : k(0, (S)query, (K)0);
    int ok = r && (expect_error ? r->t == -128 && !strcmp(r->s, "noupdate") : r->t == -KJ);
    if (!ok) atomic_fetch_add_explicit(&errors, 1, memory_order_relaxed);
    if (r) r0(r);
}

static int expect_error;

static void *caller(void *p) {
    long i = (long)p, n = 0;
    while (!atomic_load_explicit(&stop_flag, memory_order_relaxed)) {
        one_call(expect_error);
        n++;
    }
    counts[i] = n;
    return NULL;
}

static double measure(int threads, double seconds) {
    pthread_t t[128];
    for (long i = 0; i < threads; i++) pthread_create(&t[i], NULL, caller, (void *)i);
    double t0 = now_s();
    struct timespec d = {(time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9)};
    nanosleep(&d, NULL); /* the main thread, the owner in default modes, is away */
    atomic_store(&stop_flag, 1);
    long calls = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        calls += counts[i];
    }
    return calls / (now_s() - t0);
}

/* The bare ping-pong (pp-futex, pp-yield): sequence numbers, each waited on by one side. */
static atomic_uint pp_ask, pp_answer;
static int pp_yield;

static void pp_wait(atomic_uint *w, unsigned old) {
    while (atomic_load(w) == old) {
        if (pp_yield)
            sched_yield();
        else
            syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, old, NULL, NULL, 0);
    }
}

static void pp_post(atomic_uint *w) {
    atomic_fetch_add(w, 1);
    if (!pp_yield) syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *pp_server(void *p) {
    (void)p;
    for (unsigned seen = 0;; seen++) {
        pp_wait(&pp_ask, seen);
        pp_post(&pp_answer);
    }
    return NULL;
}

static int ping_pong(double seconds) {
    pthread_t t;
    pthread_create(&t, NULL, pp_server, NULL);
    long n = 0;
    double t0 = now_s(), end = t0 + seconds;
    for (unsigned seen = 0;; seen++) {
        pp_post(&pp_ask);
        pp_wait(&pp_answer, seen);
        if (++n % 64 == 0 && now_s() > end) break;
    }
    printf("%.17g\n", n / (now_s() - t0));
    fflush(stdout);
    _exit(0);
}

static int run_case(const char *name, int threads, double seconds, const char *tcore_so) {
    query = "1";
    if (!strncmp(name, "pp-", 3)) {
        pp_yield = !strcmp(name, "pp-yield");
        return ping_pong(seconds);
    }
    if (!strcmp(name, "ded") || !strcmp(name, "rpt") || !strcmp(name, "hand")) {
        if (kx_threading(1) != 1) return 2;
        if (!strcmp(name, "hand") && kx_notify_fd() < 0) return 2;
    } else if (!strcmp(name, "rp") || !strcmp(name, "rpw") || !strcmp(name, "rp1")) {
        if (kx_threading(2) != 2) return 2;
    }
    if (!strcmp(name, "tcore")) {
        void *h = dlopen(tcore_so, RTLD_NOW | RTLD_GLOBAL);
        if (!h) {
            fprintf(stderr, "%s\n", dlerror());
            return 3;
        }
        void (*sym_init)(char *) = (void (*)(char *))dlsym(h, "sym_init");
        int (*q_init)(int, char **, char *, char *, char *) =
            (int (*)(int, char **, char *, char *, char *))dlsym(h, "q_init");
        tcore_k = (K(*)(int, const char *, ...))dlsym(h, "_k");
        Dl_info info;
        if (!sym_init || !q_init || !tcore_k || !dladdr((void *)k, &info)) return 3;
        sym_init((char *)info.dli_fname); /* this libq.so */
        if (q_init(0, NULL, NULL, NULL, NULL) != 0) return 4;
    } else if (qinit(0, NULL, NULL, NULL, NULL) != 0) {
        return 4;
    }
    K setup = k(0, "x:til 20000", (K)0); /* on the owner (this thread, or the dedicated one) */
    if (setup) r0(setup);
    if (!strcmp(name, "rp") || !strcmp(name, "rpt")) query = READ_QUERY;
    /* Warm: the parse cache, the owner thread (not for the refused write: here, on the owner,
       it would be allowed). */
    if (strcmp(name, "rpw")) one_call(0);
    if (!strcmp(name, "rpw")) query = WRITE_QUERY, expect_error = 1;
    double rate = measure(threads, seconds);
    if (atomic_load(&errors)) {
        fprintf(stderr, "%s: %ld calls gave the wrong result\n", name, atomic_load(&errors));
        return 5;
    }
    printf("%.17g\n", rate);
    fflush(stdout);
    _exit(0); /* skip exit handlers: a queue thread that is not ours may still be waiting */
}

static char self_exe[4096];

static double child_case(const char *name, int threads, double seconds, const char *tcore_so) {
    int fd[2];
    if (pipe(fd)) abort();
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char t[16], s[32];
        snprintf(t, sizeof t, "%d", threads);
        snprintf(s, sizeof s, "%.17g", seconds);
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execl(self_exe, self_exe, "case", name, t, s, tcore_so ? tcore_so : "", (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    char buf[128];
    size_t n = 0;
    ssize_t got;
    while (n < sizeof buf - 1 && ((got = read(fd[0], buf + n, sizeof buf - 1 - n)) > 0 || (got < 0 && errno == EINTR)))
        if (got > 0) n += (size_t)got;
    buf[n] = 0;
    close(fd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    double rate = 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || sscanf(buf, "%lf", &rate) != 1) {
        fprintf(stderr, "case %s with %d threads failed (status %d)\n", name, threads, status);
        exit(1);
    }
    return rate;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of `repeats` runs of each of `n` cases, interleaved. */
static void median_of(int n, const char *const *names, int threads, double seconds, int repeats, const char *tcore_so,
                      double *out) {
    double runs[8][16];
    for (int r = 0; r < repeats; r++)
        for (int c = 0; c < n; c++) runs[c][r] = child_case(names[c], threads, seconds, tcore_so);
    for (int c = 0; c < n; c++) {
        qsort(runs[c], repeats, sizeof(double), cmp_double);
        out[c] = runs[c][repeats / 2];
    }
}

static int all(double seconds, int repeats, const char *tcore_so) {
    ssize_t len = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
    if (len <= 0) abort();
    self_exe[len] = 0;
    if (repeats < 1) repeats = 1;
    if (repeats > 16) repeats = 16;
    printf("== default mode, owner away, k(0,\"1\") from N threads: calls/s (median of %d)\n", repeats);
    printf("%8s %14s %14s %10s\n", "threads", "away", "dedicated", "away/ded");
    static const int n1[] = {1, 8, 64};
    for (int i = 0; i < 3; i++) {
        static const char *const names[] = {"away", "ded"};
        double r[2];
        median_of(2, names, n1[i], seconds, repeats, NULL, r);
        printf("%8d %14.0f %14.0f %9.2fx\n", n1[i], r[0], r[1], r[0] / r[1]);
        fflush(stdout);
    }
    printf("\n== read-parallel mode, read-only query \"%s\" (x: til 20000) from N threads: calls/s\n", READ_QUERY);
    printf("%8s %14s %14s %10s\n", "threads", "read-par", "dedicated", "ratio");
    static const int n2[] = {1, 2, 4, 8};
    for (int i = 0; i < 4; i++) {
        static const char *const names[] = {"rp", "rpt"};
        double r[2];
        median_of(2, names, n2[i], seconds, repeats, NULL, r);
        printf("%8d %14.0f %14.0f %9.2fx\n", n2[i], r[0], r[1], r[0] / r[1]);
        fflush(stdout);
    }
    printf("\n== read-parallel mode, the 'noupdate path: \"%s\" (refused) against \"1\": calls/s\n", WRITE_QUERY);
    printf("%8s %14s %14s %10s\n", "threads", "noupdate", "\"1\"", "ratio");
    for (int i = 0; i < 4; i += 3) {
        static const char *const names[] = {"rpw", "rp1"};
        double r[2];
        median_of(2, names, n2[i], seconds, repeats, NULL, r);
        printf("%8d %14.0f %14.0f %9.2fx\n", n2[i], r[0], r[1], r[0] / r[1]);
        fflush(stdout);
    }
    if (tcore_so && *tcore_so) {
        printf("\n== k(0,\"1\") from N threads: ours in dedicated mode (libq-d: on the caller while the engine is\n"
               "   free, else handed over; libq-hand: always handed over) against PyKX 4.2's _tcore.c queue\n");
        printf("%8s %14s %14s %14s %10s %10s\n", "threads", "libq-d", "libq-hand", "pykx-tcore", "d/tcore", "hand/tcore");
        for (int i = 0; i < 3; i++) {
            static const char *const names[] = {"ded", "hand", "tcore"};
            double r[3];
            median_of(3, names, n1[i], seconds, repeats, tcore_so, r);
            printf("%8d %14.0f %14.0f %14.0f %9.2fx %9.2fx\n", n1[i], r[0], r[1], r[2], r[0] / r[2], r[1] / r[2]);
            fflush(stdout);
        }
    } else {
        printf("\n(PyKX's _tcore.c not built: its comparison skipped)\n");
    }
    printf("\n== floor at 1 thread: a bare two-thread ping-pong (no library), futex or sched_yield waits\n");
    printf("%8s %14s %14s %14s %10s %10s\n", "threads", "libq-hand", "pp-futex", "pp-yield", "h/futex", "h/yield");
    {
        static const char *const names[] = {"hand", "pp-futex", "pp-yield"};
        double r[3];
        median_of(3, names, 1, seconds, repeats, NULL, r);
        printf("%8d %14.0f %14.0f %14.0f %9.2fx %9.2fx\n", 1, r[0], r[1], r[2], r[0] / r[1], r[0] / r[2]);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && !strcmp(argv[1], "all")) return all(atof(argv[2]), argc >= 4 ? atoi(argv[3]) : 3, argc >= 5 ? argv[4] : NULL);
    if (argc >= 5 && !strcmp(argv[1], "case")) return run_case(argv[2], atoi(argv[3]), atof(argv[4]), argc >= 6 ? argv[5] : NULL);
    fprintf(stderr, "usage: %s all SECONDS [REPEATS [TCORE_SO]] | case NAME THREADS SECONDS [TCORE_SO]\n", argv[0]);
    return 2;
}
