// LIBQ_TEST_ARGS: @LIBQ_SO@ @LIBQ_SYMBOLS@
/* A host that dlopens libq.so resolves every export in the committed symbol list. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include "k.h"
#include "check.h"

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: test_dlopen LIBQ_SO SYMBOL_LIST\n");
        return 2;
    }
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    CHECK(h != NULL);
    if (!h) {
        fprintf(stderr, "%s\n", dlerror());
        DONE();
    }
    FILE *f = fopen(argv[2], "r");
    CHECK(f != NULL);
    char name[128];
    int n = 0;
    while (f && fscanf(f, "%127s", name) == 1) {
        void *p = dlsym(h, name);
        if (!p) fprintf(stderr, "missing export: %s\n", name);
        CHECK(p != NULL);
        n++;
    }
    if (f) fclose(f);
    CHECK(n >= 60);
    /* Call through the resolved pointers, as PyKX does. */
    K (*ktn_)(I, J) = (K (*)(I, J))dlsym(h, "ktn");
    void (*r0_)(K) = (void (*)(K))dlsym(h, "r0");
    K (*knk_)(I, ...) = (K (*)(I, ...))dlsym(h, "knk");
    K (*kj_)(J) = (K (*)(J))dlsym(h, "kj");
    K x = ktn_(KJ, 4);
    CHECK(x->n == 4);
    K l = knk_(2, x, kj_(5));
    CHECK(l->n == 2 && kK(l)[0] == x && kK(l)[1]->j == 5);
    r0_(l);
    printf("%d exports resolved\n", n);
    DONE();
}
