/* Objects a host's callbacks hand back with a null item (k.h's general lists may hold NULL
   while a host builds them): a dl function's result gives 'type in q (and is released), an
   sd1 callback's is released without a crash, kx_owner_apply's gives null with 'type pending,
   on the owner and from another thread. Complete objects pass unchanged. Leaks: memcheck. */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <unistd.h>
#include "k.h"
#include "check.h"

static int pending_is(const char *name) {
    K e = ee(0);
    int ok = e && e->t == -128 && strcmp(e->s, name) == 0;
    if (e) r0(e);
    return ok;
}

/* A list of two with its second item left NULL. */
static K holey(void) {
    K x = ktn(0, 2);
    kK(x)[0] = kj(1);
    kK(x)[1] = (K)0;
    return x;
}

/* Complete at the top, the hole one level down: (1; (2; NULL)). */
static K deep_hole(void) {
    K inner = ktn(0, 2);
    kK(inner)[0] = kj(2);
    kK(inner)[1] = (K)0;
    return knk(2, kj(1), inner);
}

static K dl_holey(K x) { (void)x; return holey(); }
static K dl_deep(K x) { (void)x; return deep_hole(); }
static K dl_whole(K x) { (void)x; return knk(2, kj(1), kp((S) "ab")); }

static int gives_error(const char *q, const char *name) {
    K r = k(0, (S)q, (K)0);
    int ok = r && r->t == -128 && strcmp(r->s, name) == 0;
    if (r && !ok) fprintf(stderr, "%s: type %d\n", q, r->t);
    if (r) r0(r);
    return ok;
}

static K apply_holey(V *p) { (void)p; return holey(); }
static K apply_deep(V *p) { (void)p; return deep_hole(); }
static K apply_whole(V *p) { (void)p; return knk(1, kj(7)); }
static K apply_atom(V *p) { (void)p; return kj(9); }
static K apply_null(V *p) { (void)p; return (K)0; }

static int sd1_calls;
static K on_readable(I d) {
    char c;
    if (read(d, &c, 1) == 1) sd1_calls++;
    return holey(); /* released by the loop, holes and all */
}

/* From another thread: the same check off the inline path. */
static K other_result;
static K other_error;
static int other_done;
static void *other_thread(void *p) {
    (void)p;
    other_result = kx_owner_apply(apply_deep, NULL);
    other_error = ee(0);
    __atomic_store_n(&other_done, 1, __ATOMIC_RELEASE);
    return NULL;
}

int main(void) {
    CHECK(qinit(0, NULL, NULL, NULL, NULL) == 0);

    K r = k(0, "set", ks((S) "h"), dl((V *)dl_holey, 1), (K)0);
    r0(r);
    r = k(0, "set", ks((S) "d"), dl((V *)dl_deep, 1), (K)0);
    r0(r);
    r = k(0, "set", ks((S) "w"), dl((V *)dl_whole, 1), (K)0);
    r0(r);
    CHECK(gives_error("h 0", "type"));
    CHECK(gives_error("d 0", "type"));
    CHECK(gives_error("count each h each 1 2", "type"));
    r = k(0, "@[h;0;{`caught}]", (K)0);
    CHECK(r && r->t == -KS && strcmp(r->s, "caught") == 0);
    r0(r);
    r = k(0, "w 0", (K)0);
    CHECK(r && r->t == 0 && r->n == 2 && kK(r)[1]->t == KC);
    r0(r);

    /* kx_owner_apply on the owner (the inline path). */
    CHECK(kx_owner_apply(apply_holey, NULL) == (K)0 && pending_is("type"));
    CHECK(kx_owner_apply(apply_deep, NULL) == (K)0 && pending_is("type"));
    r = kx_owner_apply(apply_whole, NULL);
    CHECK(r && r->t == 0 && r->n == 1 && kK(r)[0]->j == 7);
    r0(r);
    r = kx_owner_apply(apply_atom, NULL);
    CHECK(r && r->t == -KJ && r->j == 9);
    r0(r);
    CHECK(kx_owner_apply(apply_null, NULL) == (K)0);

    /* ... and from another thread, trampolined to the owner while it serves. */
    pthread_t t;
    pthread_create(&t, NULL, other_thread, NULL);
    while (!__atomic_load_n(&other_done, __ATOMIC_ACQUIRE)) kx_serve(10);
    pthread_join(t, NULL);
    CHECK(other_result == (K)0);
    CHECK(other_error && other_error->t == -128 && strcmp(other_error->s, "type") == 0);
    if (other_error) r0(other_error);

    /* sd1: the callback's holey result is released; the engine goes on. */
    int p[2];
    CHECK(pipe(p) == 0);
    K h = sd1(p[0], on_readable);
    CHECK(h && h->t == -KI);
    r0(h);
    CHECK(write(p[1], "ab", 2) == 2);
    for (int i = 0; i < 10 && sd1_calls < 2; i++) kx_serve(0);
    CHECK(sd1_calls == 2);
    sd0(p[0]);
    close(p[1]);
    r = k(0, "1+1", (K)0);
    CHECK(r && r->j == 2);
    r0(r);

    shutdown_thread();
    DONE();
}
