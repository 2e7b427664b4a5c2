/* Object-layer benchmark: each operation beside a plain C baseline doing the same work,
 * measured in the same run (best of several rounds), reported as ours / baseline.
 *   ktn+r0      small vectors (8 longs)      vs malloc+free of the same block
 *   ja          a million longs appended     vs a realloc-doubling C array
 *   ss          a million distinct strings   vs an open-addressing set that strdup's new keys
 *   ss repeat   a million repeated strings   vs the same set, all hits */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "k.h"

#define ROUNDS 5
#define N 1000000

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static volatile uintptr_t sink;

/* ---- baselines ---- */
static void base_alloc(void) {
    for (int i = 0; i < N; i++) {
        J *p = malloc(32 + 8 * 8);
        p[0] = i;
        sink += (uintptr_t)p[0];
        free(p);
    }
}
static void base_append(void) {
    J n = 0, cap = 0;
    J *a = NULL;
    for (J i = 0; i < N; i++) {
        if (n == cap) { cap = cap ? cap * 2 : 4; a = realloc(a, cap * sizeof(J)); }
        a[n++] = i;
    }
    sink += (uintptr_t)a[N - 1];
    free(a);
}
typedef struct { char **slot; size_t cap, len; } set;
static uint64_t fnv(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    while (*s) h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}
static const char *set_intern(set *t, const char *s) {
    if (t->len * 2 >= t->cap) {
        set n = { calloc(t->cap ? t->cap * 2 : 1024, sizeof(char *)), t->cap ? t->cap * 2 : 1024, 0 };
        for (size_t i = 0; i < t->cap; i++)
            if (t->slot[i]) {
                size_t j = fnv(t->slot[i]) & (n.cap - 1);
                while (n.slot[j]) j = (j + 1) & (n.cap - 1);
                n.slot[j] = t->slot[i];
                n.len++;
            }
        free(t->slot);
        *t = n;
    }
    size_t j = fnv(s) & (t->cap - 1);
    while (t->slot[j]) {
        if (strcmp(t->slot[j], s) == 0) return t->slot[j];
        j = (j + 1) & (t->cap - 1);
    }
    t->len++;
    return t->slot[j] = strdup(s);
}
static char (*names)[24];
static set base_set;
static void base_intern(void) {
    for (int i = 0; i < N; i++) sink += (uintptr_t)set_intern(&base_set, names[i]);
}

/* ---- ours ---- */
static void ours_alloc(void) {
    for (int i = 0; i < N; i++) {
        K x = ktn(KJ, 8);
        kJ(x)[0] = i;
        sink += (uintptr_t)kJ(x)[0];
        r0(x);
    }
}
static void ours_append(void) {
    K x = ktn(KJ, 0);
    for (J i = 0; i < N; i++) ja(&x, &i);
    sink += (uintptr_t)kJ(x)[N - 1];
    r0(x);
}
static void ours_intern(void) {
    for (int i = 0; i < N; i++) sink += (uintptr_t)ss(names[i]);
}

static double best(void (*f)(void)) {
    double b = 1e9;
    for (int r = 0; r < ROUNDS; r++) {
        double t = now();
        f();
        t = now() - t;
        if (t < b) b = t;
    }
    return b;
}

static void report(const char *what, double ours, double base) {
    printf("%-28s ours %8.2f ns/op   baseline %8.2f ns/op   ratio %.2f\n", what, ours * 1e9 / N,
           base * 1e9 / N, ours / base);
}

int main(void) {
    report("ktn(KJ,8)+r0 vs malloc+free", best(ours_alloc), best(base_alloc));
    report("ja 1M longs vs realloc array", best(ours_append), best(base_append));

    names = malloc(sizeof(*names) * N);
    /* Distinct: a fresh prefix each round so every call is a miss; both tables keep growing. */
    double ours_distinct = 1e9, base_distinct = 1e9;
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < N; i++) snprintf(names[i], sizeof names[i], "d%d_%d", r, i);
        double t = now();
        ours_intern();
        t = now() - t;
        if (t < ours_distinct) ours_distinct = t;
        t = now(); /* the set keeps every round's names, as the symbol table does */
        base_intern();
        t = now() - t;
        if (t < base_distinct) base_distinct = t;
    }
    report("ss 1M distinct vs C set", ours_distinct, base_distinct);
    /* Repeated: 1,000 names, each seen a thousand times; every call after the first is a hit. */
    for (int i = 0; i < N; i++) snprintf(names[i], sizeof names[i], "rep_%d", i % 1000);
    report("ss 1M repeated vs C set", best(ours_intern), best(base_intern));
    return 0;
}
