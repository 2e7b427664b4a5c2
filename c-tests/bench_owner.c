/* Owner-thread benchmark: every figure is measured side by side in one run.

   bench_owner latency [seconds_per_case [repeats]]
     Trampolined round trip (p50, p99), calls per second and CPU seconds per call with 1, 2, 8
     and 64 calling threads (each case run `repeats` times, default 3, interleaved across the
     variants; the run with the median calls per second is reported, so a burst of load from
     elsewhere on the machine does not decide a ratio), for:
       spin     a spin ping-pong floor: per-caller flag, server and callers spin
       futex    a futex ping-pong floor: per-caller word, every hand-off a FUTEX_WAKE
       pykx     a PyKX-style queue: malloc'ed requests on a mutex-protected linked list, a
                condition variable, callers looping on signal-and-check (with sched_yield)
       libq     kx_owner_apply from the callers, a host thread donated with kx_serve
     (the server work of these four is a stand-in C function that bumps a counter), and then
     the same queues carrying real work, `K r = k(0, "1", (K)0); r0(r);`:
       spin-k   the spin floor; its server thread evaluates k(0,"1",(K)0) and r0s the result
       futex-k  the futex floor, same server work
       pykx-k   the PyKX-style queue, same server work
       libq-k   the callers call k(0,"1",(K)0) and r0 the result; a host thread donated with
                kx_serve is the owner and evaluates (default mode)
       libq-d   the same calls in dedicated mode (kx_threading(1): the library's own thread is
                the owner), where each runs on its caller while the engine is free and is
                handed to the owner thread only while another call holds it (so not a
                trampoline figure: libq-k, whose owner asked for kx_notify_fd, is); a child
                process (the mode is per process), run interleaved with the others
     and the ratios libq/pykx (calls per second) and libq/spin (p50), per group.

   bench_owner dedicated-case THREADS SECONDS
     One libq-d case (what `latency` runs in its child process): prints p50 p99 rate cpu.

   bench_owner inline N
     The owner's inline path: N calls of f through kx_owner_apply on the owner thread and N
     direct calls of f, in the functions loop_libq and loop_direct; run under
     `valgrind --tool=callgrind --toggle-collect=loop_libq --toggle-collect=loop_direct` and
     compare inclusive instruction counts (scripts/bench-owner.sh does). Then N calls of
     `r0(k(0, "1", (K)0))` on the owner thread, in loop_k (add --toggle-collect=loop_k): the
     inclusive counts of kx_k_array and of the engine's evaluation function it calls
     (`<impl q::q::engine::Engine>::k`) give the evaluation alone and what the C API and the
     owner gate add to it. */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <errno.h>
#include <sys/wait.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "k.h"

/* ---- the work the variants run on their server thread -------------------------------- */

static long work_counter;
static K work(void *p) {
    work_counter += (long)(intptr_t)p;
    return (K)0;
}

/* k(0,"1",(K)0) must give the long 1; anything else is counted and fails the run. */
static atomic_long k_errors;
static void k_one(void) {
    K r = k(0, "1", (K)0);
    if (!r || r->t != -KJ || r->j != 1) atomic_fetch_add_explicit(&k_errors, 1, memory_order_relaxed);
    if (r) r0(r);
}

static K work_k(void *p) {
    (void)p;
    k_one();
    return (K)0;
}

/* What the spin, futex and PyKX-style servers run per request (set per case). */
static K (*server_work)(void *) = work;

/* ---- timing ---------------------------------------------------------------------------- */

static inline uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + t.tv_nsec;
}

static double cpu_s(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

static long futex(atomic_uint *w, int op, unsigned v) {
    return syscall(SYS_futex, (unsigned *)w, op | FUTEX_PRIVATE_FLAG, v, NULL, NULL, 0);
}

#define MAX_THREADS 64
#define SAMPLES_TOTAL 2000000

static atomic_int stop_flag, server_stop;
static uint64_t *samples[MAX_THREADS];
static long nsamples[MAX_THREADS], ncalls[MAX_THREADS];
static long sample_cap;

/* ---- spin ping-pong floor ------------------------------------------------------------- */

struct spin_slot {
    _Alignas(128) atomic_int req;
    void *arg;
    atomic_int done;
};
static struct spin_slot spin_slots[MAX_THREADS];
static int nthreads;

static void spin_call(int me, void *arg) {
    struct spin_slot *s = &spin_slots[me];
    s->arg = arg;
    atomic_store_explicit(&s->done, 0, memory_order_relaxed);
    atomic_store_explicit(&s->req, 1, memory_order_release);
    while (!atomic_load_explicit(&s->done, memory_order_acquire)) __builtin_ia32_pause();
}

static void *spin_server(void *unused) {
    (void)unused;
    while (!atomic_load_explicit(&server_stop, memory_order_relaxed)) {
        for (int i = 0; i < nthreads; i++) {
            struct spin_slot *s = &spin_slots[i];
            if (atomic_load_explicit(&s->req, memory_order_acquire)) {
                atomic_store_explicit(&s->req, 0, memory_order_relaxed);
                server_work(s->arg);
                atomic_store_explicit(&s->done, 1, memory_order_release);
            }
        }
        __builtin_ia32_pause();
    }
    return NULL;
}

/* ---- futex ping-pong floor ------------------------------------------------------------ */

struct futex_slot {
    _Alignas(128) atomic_uint state; /* 0 idle, 1 posted, 2 done */
    void *arg;
};
static struct futex_slot futex_slots[MAX_THREADS];
static atomic_uint futex_bell; /* bumped per post; the server sleeps on it */

static void futex_call(int me, void *arg) {
    struct futex_slot *s = &futex_slots[me];
    s->arg = arg;
    atomic_store(&s->state, 1);
    atomic_fetch_add(&futex_bell, 1);
    futex(&futex_bell, FUTEX_WAKE, 1);
    while (atomic_load(&s->state) != 2) futex(&s->state, FUTEX_WAIT, 1);
    atomic_store(&s->state, 0);
}

static void *futex_server(void *unused) {
    (void)unused;
    while (!atomic_load(&server_stop)) {
        unsigned seen = atomic_load(&futex_bell);
        int any = 0;
        for (int i = 0; i < nthreads; i++) {
            struct futex_slot *s = &futex_slots[i];
            if (atomic_load(&s->state) == 1) {
                server_work(s->arg);
                atomic_store(&s->state, 2);
                futex(&s->state, FUTEX_WAKE, 1);
                any = 1;
            }
        }
        if (!any) {
            struct timespec t = {0, 10000000};
            syscall(SYS_futex, (unsigned *)&futex_bell, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, seen, &t, NULL, 0);
        }
    }
    return NULL;
}

/* ---- PyKX-style queue ----------------------------------------------------------------- */

struct pyreq {
    struct pyreq *next;
    void *arg;
    int done;
};
static pthread_mutex_t py_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t py_cond = PTHREAD_COND_INITIALIZER;
static struct pyreq *py_head, *py_tail;

static void pykx_call(int me, void *arg) {
    (void)me;
    struct pyreq *r = malloc(sizeof *r);
    r->next = NULL;
    r->arg = arg;
    r->done = 0;
    pthread_mutex_lock(&py_lock);
    if (py_tail) py_tail->next = r; else py_head = r;
    py_tail = r;
    pthread_cond_signal(&py_cond);
    pthread_mutex_unlock(&py_lock);
    for (;;) {
        pthread_mutex_lock(&py_lock);
        int done = r->done;
        if (!done) pthread_cond_signal(&py_cond);
        pthread_mutex_unlock(&py_lock);
        if (done) break;
        sched_yield();
    }
    free(r);
}

static void *pykx_server(void *unused) {
    (void)unused;
    pthread_mutex_lock(&py_lock);
    while (!atomic_load(&server_stop)) {
        if (!py_head) {
            struct timespec t;
            clock_gettime(CLOCK_REALTIME, &t);
            t.tv_nsec += 10000000;
            if (t.tv_nsec >= 1000000000) t.tv_sec++, t.tv_nsec -= 1000000000;
            pthread_cond_timedwait(&py_cond, &py_lock, &t);
            continue;
        }
        struct pyreq *r = py_head;
        py_head = r->next;
        if (!py_head) py_tail = NULL;
        pthread_mutex_unlock(&py_lock);
        server_work(r->arg);
        pthread_mutex_lock(&py_lock);
        r->done = 1;
    }
    pthread_mutex_unlock(&py_lock);
    return NULL;
}

/* ---- libq ----------------------------------------------------------------------------- */

static void libq_call(int me, void *arg) {
    (void)me;
    kx_owner_apply(work, arg);
}

static void libq_k_call(int me, void *arg) {
    (void)me;
    (void)arg;
    k_one();
}

static atomic_int server_ready;
static long server_served; /* calls the kx_serve owner ran: every call, if all were trampolined */

static void *libq_server(void *unused) {
    (void)unused;
    long served = kx_serve(0); /* claims ownership (the previous case's owner has exited) */
    if (served < 0) abort();
    /* This thread's loop serves every call: without it, a call made between two of its
       kx_serve calls (the owner away) would run on its caller instead of being trampolined. */
    if (kx_notify_fd() < 0) abort();
    atomic_store(&server_ready, 1);
    while (!atomic_load(&server_stop)) {
        I n = kx_serve(10);
        if (n < 0) abort();
        served += n;
    }
    server_served = served;
    return NULL; /* exiting gives up ownership: the next case's server claims it */
}

/* ---- harness -------------------------------------------------------------------------- */

struct variant {
    const char *name;
    void (*call)(int, void *);
    void *(*server)(void *); /* NULL: the library's own owner thread (libq-d) */
    K (*work)(void *);       /* what spin, futex and pykx servers run */
    int child;               /* run in a child process in dedicated mode */
};

static void (*current_call)(int, void *);

static void *caller(void *p) {
    int me = (int)(intptr_t)p;
    long n = 0, k = 0;
    while (!atomic_load_explicit(&stop_flag, memory_order_relaxed)) {
        uint64_t t0 = now_ns();
        current_call(me, (void *)(intptr_t)1);
        uint64_t t1 = now_ns();
        if (k < sample_cap) samples[me][k++] = t1 - t0;
        n++;
    }
    ncalls[me] = n;
    nsamples[me] = k;
    return NULL;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void alloc_samples(void) {
    for (int i = 0; i < MAX_THREADS; i++) samples[i] = malloc(sizeof(uint64_t) * SAMPLES_TOTAL);
}

struct result {
    double p50, p99, rate, cpu_per_call;
};

static struct result run_child(int threads, double seconds);

static struct result run_case(const struct variant *v, int threads, double seconds) {
    if (v->child) return run_child(threads, seconds);
    nthreads = threads;
    sample_cap = SAMPLES_TOTAL / threads;
    atomic_store(&stop_flag, 0);
    atomic_store(&server_stop, 0);
    atomic_store(&server_ready, 0);
    current_call = v->call;
    server_work = v->work;
    pthread_t server, t[MAX_THREADS];
    if (v->server) pthread_create(&server, NULL, v->server, NULL);
    if (v->server == libq_server) { /* wait until the server owns the engine */
        struct timespec ms = {0, 1000000};
        while (!atomic_load(&server_ready)) nanosleep(&ms, NULL);
    }
    double c0 = cpu_s();
    uint64_t w0 = now_ns();
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, caller, (void *)(intptr_t)i);
    struct timespec d = {(time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9)};
    nanosleep(&d, NULL);
    atomic_store(&stop_flag, 1);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    uint64_t w1 = now_ns();
    double c1 = cpu_s();
    atomic_store(&server_stop, 1);
    if (v->server == pykx_server) {
        pthread_mutex_lock(&py_lock);
        pthread_cond_broadcast(&py_cond);
        pthread_mutex_unlock(&py_lock);
    }
    if (v->server == futex_server) {
        atomic_fetch_add(&futex_bell, 1);
        futex(&futex_bell, FUTEX_WAKE, 1);
    }
    if (v->server) pthread_join(server, NULL); /* an owner that exits gives up ownership */

    long calls = 0, ns = 0;
    for (int i = 0; i < threads; i++) calls += ncalls[i], ns += nsamples[i];
    if (v->server == libq_server && server_served != calls) {
        fprintf(stderr, "%s: the owner served %ld of %ld calls\n", v->name, server_served, calls);
        exit(1);
    }
    uint64_t *all = malloc(sizeof(uint64_t) * (ns ? ns : 1));
    long k = 0;
    for (int i = 0; i < threads; i++) {
        memcpy(all + k, samples[i], sizeof(uint64_t) * nsamples[i]);
        k += nsamples[i];
    }
    qsort(all, ns, sizeof(uint64_t), cmp_u64);
    struct result r = {0, 0, 0, 0};
    if (ns) {
        r.p50 = all[ns / 2] / 1e3;
        r.p99 = all[(long)(ns * 0.99)] / 1e3;
    }
    r.rate = calls / ((w1 - w0) / 1e9);
    r.cpu_per_call = calls ? (c1 - c0) / calls : 0;
    free(all);
    return r;
}

/* ---- dedicated mode: one case in a child process -------------------------------------- */

static const struct variant dedicated_variant = {"libq-d", libq_k_call, NULL, work, 0};

/* The child: dedicated mode, one warm-up call (starts the library's owner thread), one case. */
static int dedicated_case(int threads, double seconds) {
    if (kx_threading(1) != 1) {
        fprintf(stderr, "kx_threading(1) refused\n");
        return 1;
    }
    k_one();
    alloc_samples();
    struct result r = run_case(&dedicated_variant, threads, seconds);
    if (atomic_load(&k_errors)) {
        fprintf(stderr, "k(0,\"1\") failed %ld times\n", atomic_load(&k_errors));
        return 1;
    }
    printf("%.17g %.17g %.17g %.17g\n", r.p50, r.p99, r.rate, r.cpu_per_call);
    return 0;
}

static char self_exe[4096];

/* The parent: runs `self dedicated-case threads seconds` and reads its result. */
static struct result run_child(int threads, double seconds) {
    struct result r = {0, 0, 0, 0};
    int fd[2];
    if (pipe(fd)) abort();
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) abort();
    if (pid == 0) {
        char t[16], s[32];
        snprintf(t, sizeof t, "%d", threads);
        snprintf(s, sizeof s, "%.17g", seconds);
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execl(self_exe, self_exe, "dedicated-case", t, s, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    char buf[256];
    size_t n = 0;
    ssize_t got;
    while (n < sizeof buf - 1 && ((got = read(fd[0], buf + n, sizeof buf - 1 - n)) > 0 || (got < 0 && errno == EINTR)))
        if (got > 0) n += (size_t)got;
    buf[n] = 0;
    close(fd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        sscanf(buf, "%lf %lf %lf %lf", &r.p50, &r.p99, &r.rate, &r.cpu_per_call) != 4) {
        fprintf(stderr, "dedicated-mode child failed\n");
        exit(1);
    }
    return r;
}

/* ---- latency -------------------------------------------------------------------------- */

static int cmp_rate(const void *a, const void *b) {
    double x = ((const struct result *)a)->rate, y = ((const struct result *)b)->rate;
    return x < y ? -1 : x > y;
}

enum { SPIN, FUTEX, PYKX, LIBQ, SPIN_K, FUTEX_K, PYKX_K, LIBQ_K, LIBQ_D, NVARIANTS };

static void ratio_line(const char *group, int callers, const struct result *r, int q, int spin, int futexv, int pykx) {
    printf("ratio   %7d %-7s %s/%s calls/s %.2fx  %s/%s p50 %.2fx  %s/%s p99 %.2fx  %s/%s p50 %.2fx  "
           "%s/%s p50 %.2fx  %s/%s cpu/call %.2fx\n",
           callers, group, group, "pykx", r[q].rate / r[pykx].rate, group, "pykx", r[q].p50 / r[pykx].p50, group,
           "pykx", r[q].p99 / r[pykx].p99, group, "spin", r[q].p50 / r[spin].p50, group, "futex",
           r[q].p50 / r[futexv].p50, group, "pykx", r[q].cpu_per_call / r[pykx].cpu_per_call);
}

static int latency(double seconds, int repeats) {
    static const struct variant variants[NVARIANTS] = {
        [SPIN] = {"spin", spin_call, spin_server, work, 0},
        [FUTEX] = {"futex", futex_call, futex_server, work, 0},
        [PYKX] = {"pykx", pykx_call, pykx_server, work, 0},
        [LIBQ] = {"libq", libq_call, libq_server, work, 0},
        [SPIN_K] = {"spin-k", spin_call, spin_server, work_k, 0},
        [FUTEX_K] = {"futex-k", futex_call, futex_server, work_k, 0},
        [PYKX_K] = {"pykx-k", pykx_call, pykx_server, work_k, 0},
        [LIBQ_K] = {"libq-k", libq_k_call, libq_server, work, 0},
        [LIBQ_D] = {"libq-d", NULL, NULL, NULL, 1},
    };
    alloc_samples();
    ssize_t len = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
    if (len <= 0) abort();
    self_exe[len] = 0;
    static const int counts[] = {1, 2, 8, 64};
    printf("%-7s %7s %10s %10s %12s %15s\n", "variant", "callers", "p50_us", "p99_us", "calls_per_s", "cpu_us_per_call");
    if (repeats < 1) repeats = 1;
    if (repeats > 16) repeats = 16;
    for (int c = 0; c < 4; c++) {
        struct result r[NVARIANTS], runs[NVARIANTS][16];
        for (int k = 0; k < repeats; k++)
            for (int v = 0; v < NVARIANTS; v++) runs[v][k] = run_case(&variants[v], counts[c], seconds);
        for (int v = 0; v < NVARIANTS; v++) {
            qsort(runs[v], repeats, sizeof(struct result), cmp_rate);
            r[v] = runs[v][repeats / 2];
            printf("%-7s %7d %10.2f %10.2f %12.0f %15.3f\n", variants[v].name, counts[c], r[v].p50, r[v].p99,
                   r[v].rate, r[v].cpu_per_call * 1e6);
        }
        ratio_line("libq", counts[c], r, LIBQ, SPIN, FUTEX, PYKX);
        ratio_line("libq-k", counts[c], r, LIBQ_K, SPIN_K, FUTEX_K, PYKX_K);
        ratio_line("libq-d", counts[c], r, LIBQ_D, SPIN_K, FUTEX_K, PYKX_K);
        fflush(stdout);
    }
    if (atomic_load(&k_errors)) {
        fprintf(stderr, "k(0,\"1\") failed %ld times\n", atomic_load(&k_errors));
        return 1;
    }
    return 0;
}

/* ---- inline path ---------------------------------------------------------------------- */

static K (*volatile target)(void *) = work;

__attribute__((noinline)) void loop_direct(long n) {
    for (long i = 0; i < n; i++) target((void *)(intptr_t)1);
}

__attribute__((noinline)) void loop_libq(long n) {
    for (long i = 0; i < n; i++) kx_owner_apply(target, (void *)(intptr_t)1);
}

__attribute__((noinline)) void loop_k(long n) {
    for (long i = 0; i < n; i++) k_one();
}

static int inline_path(long n) {
    k_one(); /* this thread becomes the owner; the engine is started and "1" parsed once */
    loop_direct(n);
    loop_libq(n);
    loop_k(n);
    printf("inline: %ld calls each way (counter %ld, k errors %ld)\n", n, work_counter, atomic_load(&k_errors));
    return atomic_load(&k_errors) != 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "inline")) return inline_path(argc >= 3 ? atol(argv[2]) : 100000);
    if (argc >= 2 && !strcmp(argv[1], "latency"))
        return latency(argc >= 3 ? atof(argv[2]) : 0.5, argc >= 4 ? atoi(argv[3]) : 3);
    if (argc >= 4 && !strcmp(argv[1], "dedicated-case")) return dedicated_case(atoi(argv[2]), atof(argv[3]));
    fprintf(stderr, "usage: %s latency [seconds [repeats]] | inline [calls] | dedicated-case threads seconds\n", argv[0]);
    return 2;
}
