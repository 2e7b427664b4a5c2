/* Interrupting the engine, in a host that handles SIGINT itself (a handler installed before
   qinit, as Python has):
   - SIGINT while a call runs stops it with 'stop, for each runaway form; the host's own
     handler runs too, and the process goes on; the next call runs;
   - SIGINT while the engine is idle reaches the host's handler only;
   - kx_interrupt() from another thread stops each runaway form with 'stop;
   - \T 1 stops each runaway form by itself after a second; \T 0 removes the limit;
   - shutdown_thread() puts the host's handler back.
   An alarm turns a runaway that is never stopped into a failure. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "k.h"
#include "check.h"

static volatile sig_atomic_t host_handler_calls;
static void host_handler(int sig) {
    (void)sig;
    host_handler_calls++;
}

static void sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

enum how { BY_SIGNAL, BY_EXPORT };

static void *interrupter(void *arg) {
    enum how h = (enum how)(long)arg;
    sleep_ms(150);
    if (h == BY_SIGNAL)
        kill(getpid(), SIGINT);
    else
        kx_interrupt();
    return NULL;
}

/* Runs `src` on this thread while another thread interrupts it; whether it stopped. */
static int stops(const char *src, enum how h) {
    pthread_t t;
    CHECK(pthread_create(&t, NULL, interrupter, (void *)(long)h) == 0);
    K r = k(0, (S)src, (K)0);
    CHECK(pthread_join(t, NULL) == 0);
    int ok = r && r->t == -128 && (!strcmp(r->s, "stop") || !strcmp(r->s, "stack"));
    if (!ok) fprintf(stderr, "%s: not stopped (type %d)\n", src, r ? r->t : 0);
    if (r) r0(r);
    return ok;
}

static int gives_long(const char *src, J want) {
    K r = k(0, (S)src, (K)0);
    int ok = r && r->t == -KJ && r->j == want;
    if (r) r0(r);
    return ok;
}

int main(void) {
    alarm(120);
    struct sigaction host = {0};
    host.sa_handler = host_handler;
    sigemptyset(&host.sa_mask);
    CHECK(sigaction(SIGINT, &host, NULL) == 0);
    CHECK(qinit(0, NULL, NULL, NULL, NULL) == 0);

    static const char *const runaway[] = {
        "while[1b;]", "do[0W;]", "0W neg/1", "(not/)[{1b};1b]", "{x}\\[{1b};1]", "{x+1}/[0]", "{.z.s x}0",
    };
    enum { FORMS = sizeof runaway / sizeof *runaway };

    /* SIGINT while busy stops every runaway form; the host's handler runs, we go on. */
    for (size_t i = 0; i < FORMS; i++) {
        CHECK(stops(runaway[i], BY_SIGNAL));
        CHECK(host_handler_calls == (int)i + 1);
        CHECK(gives_long("1+1", 2));
    }

    /* SIGINT while idle: the host's handler only. */
    raise(SIGINT);
    CHECK(host_handler_calls == FORMS + 1);
    CHECK(gives_long("2+2", 4));

    /* kx_interrupt stops every runaway form. */
    for (size_t i = 0; i < FORMS; i++) CHECK(stops(runaway[i], BY_EXPORT));
    CHECK(gives_long("3+3", 6));

    /* \T: a per-call limit in seconds. */
    CHECK(gives_long("system\"T 1\"; 0", 0));
    K t = k(0, "system\"T\"", (K)0);
    CHECK(t && t->t == -KI && t->i == 1);
    r0(t);
    for (size_t i = 0; i < FORMS; i++) {
        double t0 = now();
        K r = k(0, (S)runaway[i], (K)0);
        double took = now() - t0;
        int stop = r && r->t == -128 && !strcmp(r->s, "stop");
        int stack = r && r->t == -128 && !strcmp(r->s, "stack");
        printf("\\T 1: %s gave '%s after %.2f s\n", runaway[i], stop ? "stop" : stack ? "stack" : "?", took);
        if (r) r0(r);
        CHECK((stop && took >= 0.9) || stack);
    }
    CHECK(gives_long("system\"T 0\"; 5", 5));
    CHECK(gives_long("{x}/[100000;7]", 7)); /* no limit again */

    /* shutdown_thread takes the library's handler out: the host's is back. */
    shutdown_thread();
    struct sigaction now_installed;
    CHECK(sigaction(SIGINT, NULL, &now_installed) == 0);
    CHECK(now_installed.sa_handler == host_handler);
    DONE();
}
