/* Read-parallel mode (kx_threading(2)): k(0,...) from threads other than the owner evaluates on
   the calling thread, at the same time as other such calls, read-only.
   - Parallel: two reads meet inside a C function (dl) at a two-thread barrier; reads run one at
     a time would never meet there (a timed wait turns that into a failure).
   - Read-only: every way of writing a global from a reader signals 'noupdate (assignment,
     in-place update, set, value of an assignment, upsert, insert, update in place, delete from
     the root, a view, a namespace's global, \d); locals still work.
   - The owner's writes take the write side: while 8 readers check that two globals the owner
     always sets together are equal, the owner sets them 2,000 times; no reader ever sees them
     differ, and each read gives the exact sum of a 100,000-row column.
   The main thread is the owner and waits in pthread_join meanwhile or writes. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "k.h"
#include "check.h"

static atomic_long bad;

static int is_error(K r, const char *name) {
    int ok = r && r->t == -128 && strcmp(r->s, name) == 0;
    if (!ok) fprintf(stderr, "expected '%s, got type %d%s%s\n", name, r ? r->t : 0, r && r->t == -128 ? " '" : "",
                     r && r->t == -128 ? r->s : "");
    if (r) r0(r);
    return ok;
}

/* ---- parallel: two readers meet at a barrier inside q ----------------------------------- */

static pthread_mutex_t meet_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t meet_cond = PTHREAD_COND_INITIALIZER;
static int arrived;

/* Waits (at most 10 s) until two threads are inside; 1b if they met. */
static K meet(K x) {
    (void)x;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    pthread_mutex_lock(&meet_lock);
    arrived++;
    pthread_cond_broadcast(&meet_cond);
    int r = 0;
    while (arrived < 2 && r != ETIMEDOUT) r = pthread_cond_timedwait(&meet_cond, &meet_lock, &until);
    int met = arrived >= 2;
    pthread_mutex_unlock(&meet_lock);
    return kb(met);
}

static void *meeter(void *arg) {
    (void)arg;
    K r = k(0, "meet[]", (K)0);
    if (!r || r->t != -KB || !r->g) atomic_fetch_add(&bad, 1);
    if (r) r0(r);
    return NULL;
}

/* ---- read-only ---------------------------------------------------------------------------- */

static const char *const writes[] = {
    "x:1",
    "t1,:([]a:1#0)",
    "cnt+:1",
    "set[`y;1]",
    "`y set 1",
    "value\"z:1\"",
    "`t1 upsert ([]a:1#7)",
    "`t1 insert 7",
    "update a:0 from `t1",
    "delete x from `.",
    "v::cnt+1",
    ".foo.bar:1",
    "system\"d .foo\"",
    "{g::x}2",
    "@[`l;0;+;1]",
    ".[`l;(),0;:;9]",
    "l[0]:9",
};

static void *writer_attempts(void *arg) {
    (void)arg;
    for (size_t i = 0; i < sizeof writes / sizeof *writes; i++)
        if (!is_error(k(0, (S)writes[i], (K)0), "noupdate")) {
            fprintf(stderr, "  from: %s\n", writes[i]);
            atomic_fetch_add(&bad, 1);
        }
    /* Locals, and reads, are fine. */
    K r = k(0, "{a:x+1; a*2} 3", (K)0);
    if (!r || r->t != -KJ || r->j != 8) atomic_fetch_add(&bad, 1);
    if (r) r0(r);
    r = k(0, "cnt", (K)0);
    if (!r || r->t != -KJ || r->j != 5) atomic_fetch_add(&bad, 1);
    if (r) r0(r);
    return NULL;
}

/* ---- readers beside the owner's writes ---------------------------------------------------- */

static atomic_int stop_readers;
static long reads_done[8];

static void *reader(void *arg) {
    long i = (long)arg, n = 0;
    while (!atomic_load(&stop_readers)) {
        K r = k(0, "(v=w;sum t`a)", (K)0);
        if (!r || r->t != 0 || r->n != 2 || kK(r)[0]->t != -KB || !kK(r)[0]->g || kK(r)[1]->j != 4999950000LL)
            atomic_fetch_add(&bad, 1);
        if (r) r0(r);
        n++;
    }
    reads_done[i] = n;
    return NULL;
}

int main(void) {
    alarm(240);
    CHECK(kx_threading(2) == 2);
    CHECK(qinit(0, NULL, NULL, NULL, NULL) == 0);
    r0(k(0, "set", ks((S)"meet"), dl((V *)meet, 1), (K)0));
    r0(k(0, "t:([]a:til 100000); t1:([]a:til 3); cnt:5; v:w:0; l:1 2 3", (K)0));

    pthread_t t[8];
    for (int i = 0; i < 2; i++) CHECK(pthread_create(&t[i], NULL, meeter, NULL) == 0);
    for (int i = 0; i < 2; i++) CHECK(pthread_join(t[i], NULL) == 0);
    CHECK(arrived == 2);

    CHECK(pthread_create(&t[0], NULL, writer_attempts, NULL) == 0);
    CHECK(pthread_join(t[0], NULL) == 0);
    /* Nothing was written. */
    K r = k(0, "(cnt;count t1;`x in key`.;`foo in key`;system\"d\")", (K)0);
    CHECK(r && r->t == 0 && r->n == 5);
    CHECK(kK(r)[0]->j == 5 && kK(r)[1]->j == 3 && !kK(r)[2]->g && !kK(r)[3]->g && kK(r)[4]->s[0] == '.');
    r0(r);

    for (long i = 0; i < 8; i++) CHECK(pthread_create(&t[i], NULL, reader, (void *)i) == 0);
    for (int i = 1; i <= 2000; i++) {
        char q[64];
        snprintf(q, sizeof q, "v:%d; w:%d", i, i);
        r = k(0, q, (K)0);
        CHECK(r && r->t == -KJ && r->j == i);
        r0(r);
    }
    atomic_store(&stop_readers, 1);
    long reads = 0;
    for (int i = 0; i < 8; i++) {
        CHECK(pthread_join(t[i], NULL) == 0);
        reads += reads_done[i];
    }
    printf("8 readers: %ld reads beside 2000 owner writes\n", reads);
    CHECK(atomic_load(&bad) == 0);
    /* The owner still writes. */
    r = k(0, "x:42", (K)0);
    CHECK(r && r->j == 42);
    r0(r);
    DONE();
}
