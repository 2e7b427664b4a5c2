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
     and the ratios libq/pykx (calls per second) and libq/spin (p50).

   bench_owner inline N
     The owner's inline path: N calls of f through kx_owner_apply on the owner thread and N
     direct calls of f, in the functions loop_libq and loop_direct; run under
     `valgrind --tool=callgrind --toggle-collect=loop_libq --toggle-collect=loop_direct` and
     compare inclusive instruction counts (scripts/bench-owner.sh does). */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

typedef struct k0 *K;
typedef int I;
K kx_owner_apply(K (*f)(void *), void *arg);
I kx_serve(I timeout_ms);

/* ---- the work every variant runs on its server thread -------------------------------- */

static long work_counter;
static K work(void *p) {
    work_counter += (long)(intptr_t)p;
    return (K)0;
}

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
                work(s->arg);
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
                work(s->arg);
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
        work(r->arg);
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

static void *libq_server(void *unused) {
    (void)unused;
    while (!atomic_load(&server_stop)) {
        if (kx_serve(10) < 0) abort();
    }
    return NULL; /* exiting gives up ownership: the next case's server claims it */
}

/* ---- harness -------------------------------------------------------------------------- */

struct variant {
    const char *name;
    void (*call)(int, void *);
    void *(*server)(void *);
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

struct result {
    double p50, p99, rate, cpu_per_call;
};

static struct result run_case(const struct variant *v, int threads, double seconds) {
    nthreads = threads;
    sample_cap = SAMPLES_TOTAL / threads;
    atomic_store(&stop_flag, 0);
    atomic_store(&server_stop, 0);
    current_call = v->call;
    pthread_t server, t[MAX_THREADS];
    pthread_create(&server, NULL, v->server, NULL);
    if (v->call == libq_call) { /* wait until the server owns the engine */
        struct timespec ms = {0, 20000000};
        nanosleep(&ms, NULL);
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
    if (v->call == pykx_call) {
        pthread_mutex_lock(&py_lock);
        pthread_cond_broadcast(&py_cond);
        pthread_mutex_unlock(&py_lock);
    }
    if (v->call == futex_call) {
        atomic_fetch_add(&futex_bell, 1);
        futex(&futex_bell, FUTEX_WAKE, 1);
    }
    pthread_join(server, NULL);

    long calls = 0, ns = 0;
    for (int i = 0; i < threads; i++) calls += ncalls[i], ns += nsamples[i];
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

static int cmp_rate(const void *a, const void *b) {
    double x = ((const struct result *)a)->rate, y = ((const struct result *)b)->rate;
    return x < y ? -1 : x > y;
}

static int latency(double seconds, int repeats) {
    static const struct variant variants[] = {
        {"spin", spin_call, spin_server},
        {"futex", futex_call, futex_server},
        {"pykx", pykx_call, pykx_server},
        {"libq", libq_call, libq_server},
    };
    for (int i = 0; i < MAX_THREADS; i++) samples[i] = malloc(sizeof(uint64_t) * SAMPLES_TOTAL);
    static const int counts[] = {1, 2, 8, 64};
    printf("%-7s %7s %10s %10s %12s %14s\n", "variant", "callers", "p50_us", "p99_us", "calls_per_s", "cpu_us_per_call");
    for (int c = 0; c < 4; c++) {
        struct result r[4], runs[4][16];
        if (repeats < 1) repeats = 1;
        if (repeats > 16) repeats = 16;
        for (int k = 0; k < repeats; k++)
            for (int v = 0; v < 4; v++) runs[v][k] = run_case(&variants[v], counts[c], seconds);
        for (int v = 0; v < 4; v++) {
            qsort(runs[v], repeats, sizeof(struct result), cmp_rate);
            r[v] = runs[v][repeats / 2];
            printf("%-7s %7d %10.2f %10.2f %12.0f %14.3f\n", variants[v].name, counts[c], r[v].p50, r[v].p99,
                   r[v].rate, r[v].cpu_per_call * 1e6);
        }
        printf("ratio   %7d  libq/pykx calls/s %.1fx   libq p50 / spin p50 %.2fx   libq p50 / futex p50 %.2fx   "
               "cpu/call libq/pykx %.2f\n",
               counts[c], r[3].rate / r[2].rate, r[3].p50 / r[0].p50, r[3].p50 / r[1].p50,
               r[3].cpu_per_call / r[2].cpu_per_call);
        fflush(stdout);
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

static int inline_path(long n) {
    kx_owner_apply(work, (void *)(intptr_t)0); /* this thread becomes the owner */
    loop_direct(n);
    loop_libq(n);
    printf("inline: %ld calls each way (counter %ld)\n", n, work_counter);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "inline")) return inline_path(argc >= 3 ? atol(argv[2]) : 100000);
    if (argc >= 2 && !strcmp(argv[1], "latency"))
        return latency(argc >= 3 ? atof(argv[2]) : 0.5, argc >= 4 ? atoi(argv[3]) : 3);
    fprintf(stderr, "usage: %s latency [seconds [repeats]] | inline [calls]\n", argv[0]);
    return 2;
}
