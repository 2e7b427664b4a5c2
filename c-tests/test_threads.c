/* Objects may be built, shared, appended to and freed, and symbols interned, on any thread.
 * 8 threads hammer the allocator, the refcounts and the symbol table at once; objects built
 * on one thread are released on others. Run under ThreadSanitizer in CI. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include "k.h"
#include "check.h"

#define THREADS 8
#define ROUNDS 2000

static K shared_list;            /* built by main, read and released by every thread */
static K handoff[THREADS];       /* each thread's list, freed by its neighbour */
static pthread_barrier_t barrier;
static S interned[THREADS][64];

static void *work(void *arg) {
    long id = (long)arg;
    char name[32];
    K mine = ktn(KJ, 0);
    for (J i = 0; i < ROUNDS; i++) {
        ja(&mine, &i);
        K s = r1(shared_list);             /* share */
        K first = kK(s)[0];
        if (first->t != KJ || kJ(first)[0] != 42) fprintf(stderr, "bad shared item\n");
        K local = knk(2, s, ks("x"));      /* the list takes the shared reference */
        jk(&local, kp("payload"));
        r0(local);
        snprintf(name, sizeof name, "sym%ld", (long)(i % 64));
        S p = ss(name);
        if (i < 64) interned[id][i] = p;
        else if (interned[id][i % 64] != p) fprintf(stderr, "unstable symbol\n");
    }
    handoff[id] = mine;
    pthread_barrier_wait(&barrier);
    /* Free the neighbour's list: objects cross threads. */
    K other = handoff[(id + 1) % THREADS];
    long ok = other->n == ROUNDS && kJ(other)[ROUNDS - 1] == ROUNDS - 1;
    pthread_barrier_wait(&barrier);
    r0(handoff[(id + 1) % THREADS]);
    return (void *)ok;
}

int main(void) {
    K v = ktn(KJ, 1);
    kJ(v)[0] = 42;
    shared_list = knk(1, v);
    pthread_barrier_init(&barrier, NULL, THREADS);
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, work, (void *)i);
    for (int i = 0; i < THREADS; i++) {
        void *ok;
        pthread_join(t[i], &ok);
        CHECK(ok == (void *)1);
    }
    CHECK(shared_list->r == 0);
    for (int i = 1; i < THREADS; i++)
        for (int j = 0; j < 64; j++) CHECK(interned[i][j] == interned[0][j]);
    r0(shared_list);
    pthread_barrier_destroy(&barrier);
    DONE();
}
