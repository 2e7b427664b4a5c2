/* Shared by the test_owner_*.c tests: k.h (or, until it is generated, the few declarations
   they use), the owner-thread exports, and small helpers. */
#ifndef TEST_OWNER_PRELUDE_H
#define TEST_OWNER_PRELUDE_H

#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__has_include)
#if __has_include("k.h")
#include "k.h"
#endif
#endif

#ifndef KX
typedef signed char H1;
typedef char C;
typedef int I;
typedef long long J;
typedef char *S;
typedef void V;
typedef struct k0 {
    signed char m, a, t;
    C u;
    I r;
    union {
        I i;
        J j;
        S s;
        struct {
            J n;
            unsigned char G0[1];
        };
    };
} * K;
K ki(I);
K krr(const S);
K ee(K);
void r0(K);
void shutdown_thread(void);
#endif

/* The owner-thread exports (src/ffi/owner.rs). */
K kx_owner_apply(K (*f)(void *), void *arg);
I kx_serve(I timeout_ms);
I kx_notify_fd(void);
I kx_threading(I mode);

#define CHECK(c)                                                                   \
    do {                                                                           \
        if (!(c)) {                                                                \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c);  \
            exit(1);                                                               \
        }                                                                          \
    } while (0)

/* The pending error after a null result, as ee gives it (NULL if there is none). */
static inline const char *pending_error(void) {
    K e = ee((K)0);
    static __thread char buf[64];
    if (!e) return NULL;
    snprintf(buf, sizeof buf, "%s", e->s ? e->s : "");
    r0(e);
    return buf[0] ? buf : NULL;
}

static inline double now_s(clockid_t c) {
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

#endif
