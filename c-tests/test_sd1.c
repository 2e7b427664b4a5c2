/* sd1/sd0/sd0x in default mode: the host's thread owns the engine and serves with kx_serve.
   A callback runs on that thread for each readable descriptor, may evaluate q and remove
   itself, and its result is released (memcheck variant); a negative descriptor becomes
   non-blocking; a bad descriptor or a null function gives an error and closes the descriptor;
   sd0x(d,0) leaves the descriptor open; kx_serve(0) runs ready callbacks without waiting. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include "k.h"
#include "check.h"

static pthread_t main_thread;
static int calls, closed_by_callback;

static int pending_is(const char *name) {
    K e = ee(0);
    int ok = e && e->t == -128 && strcmp(e->s, name) == 0;
    if (e) r0(e);
    return ok;
}

static int is_open(int fd) { return fcntl(fd, F_GETFD) >= 0; }

/* Reads what arrived and counts it in q; at end of file, takes itself off the loop. */
static K on_readable(I d) {
    CHECK(pthread_equal(pthread_self(), main_thread));
    char buf[64];
    ssize_t n = read(d, buf, sizeof buf);
    if (n <= 0) {
        sd0(d);
        closed_by_callback = 1;
        return (K)0;
    }
    calls++;
    K r = k(0, "{`got set got+x}", kj(n), (K)0);
    CHECK(r && r->t == -KS);
    return r; /* released by the loop */
}

static K ignore(I d) { (void)d; return (K)0; }

/* The writer thread checks nothing itself (the check counters are the main thread's); its
   result is read after the join. */
static ssize_t written_later;

static void *write_later(void *p) {
    int fd = *(int *)p;
    usleep(20000);
    written_later = write(fd, "abc", 3);
    usleep(20000);
    close(fd);
    return NULL;
}

int main(void) {
    main_thread = pthread_self();
    CHECK(qinit(0, NULL, NULL, NULL, NULL) == 0);
    K r = k(0, "got:0", (K)0);
    r0(r);

    /* readable now: kx_serve(0) runs the callback without waiting */
    int p[2];
    CHECK(pipe(p) == 0);
    K h = sd1(p[0], on_readable);
    CHECK(h && h->t == -KI && h->i == p[0]);
    r0(h);
    CHECK(write(p[1], "hello", 5) == 5);
    kx_serve(0);
    CHECK(calls == 1);
    r = k(0, "got", (K)0);
    CHECK(r && r->j == 5);
    r0(r);

    /* data from another thread wakes a serving owner; end of file closes it from the callback */
    pthread_t t;
    pthread_create(&t, NULL, write_later, &p[1]);
    for (int i = 0; i < 100 && !closed_by_callback; i++) kx_serve(10);
    pthread_join(t, NULL);
    CHECK(written_later == 3);
    CHECK(calls == 2 && closed_by_callback);
    CHECK(!is_open(p[0]));
    r = k(0, "got", (K)0);
    CHECK(r && r->j == 8);
    r0(r);

    /* negative: non-blocking; sd0x(d,0) removes without closing */
    CHECK(pipe(p) == 0);
    h = sd1(-p[0], ignore);
    CHECK(h && h->i == -p[0]);
    r0(h);
    CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
    sd0x(p[0], 0);
    CHECK(write(p[1], "x", 1) == 1);
    kx_serve(0); /* nothing watched: ignore would spin here if it were still registered */
    CHECK(is_open(p[0]));
    close(p[0]);
    close(p[1]);

    /* errors: a closed descriptor, a null function (which closes d) */
    CHECK(pipe(p) == 0);
    close(p[1]);
    CHECK(sd1(p[1], ignore) == 0 && pending_is("sd1. OS reports: Bad file descriptor"));
    CHECK(sd1(p[0], NULL) == 0 && pending_is("type"));
    CHECK(!is_open(p[0]));

    shutdown_thread();
    DONE();
}
