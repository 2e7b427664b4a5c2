/* The differential test: our libq.so and KX's libe.so, loaded side by side, run the same probes
 * (each in a forked child) and must leave the same trace. See README.md. */
#ifndef LIBQ_DIFF_HARNESS_H
#define LIBQ_DIFF_HARNESS_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* KX's layout (KXVER 3), declared here so the harness depends on neither library's header. */
typedef struct k0 {
    signed char m, a, t;
    char u;
    int r;
    __extension__ union {
        unsigned char g;
        short h;
        int i;
        long long j;
        float e;
        double f;
        char *s;
        struct k0 *k;
        __extension__ struct {
            long long n;
            unsigned char G0[1];
        };
    };
} *K;
typedef struct { unsigned char g[16]; } U;
typedef long long J;

#define kG(x) ((x)->G0)
#define kC(x) kG(x)
#define kH(x) ((short *)kG(x))
#define kI(x) ((int *)kG(x))
#define kJ(x) ((long long *)kG(x))
#define kE(x) ((float *)kG(x))
#define kF(x) ((double *)kG(x))
#define kS(x) ((char **)kG(x))
#define kK(x) ((K *)kG(x))

/* The functions under test, resolved with dlsym from one library (null where it lacks one). */
struct api {
    const char *name; /* "ours" or "kx" */
    K (*ka)(int), (*kb)(int), (*kg)(int), (*kh)(int), (*ki)(int), (*kj)(long long);
    K (*ke)(double), (*kf)(double), (*kc)(int), (*ks)(char *), (*kd)(int), (*kz)(double);
    K (*kt)(int), (*ktj)(int, long long), (*ku)(U), (*kp)(char *), (*kpn)(char *, long long);
    K (*ktn)(int, long long), (*knk)(int, ...), (*vaknk)(int, va_list);
    K (*xD)(K, K), (*xT)(K), (*ktd)(K), (*knt)(long long, K);
    K (*ja)(K *, void *), (*js)(K *, char *), (*jk)(K *, K), (*jv)(K *, K);
    void (*r0)(K);
    K (*r1)(K);
    char *(*ss)(char *), *(*sn)(char *, int);
    int (*setm)(int);
    K (*krr)(const char *), (*orr)(const char *), (*ee)(K);
    int (*ymd)(int, int, int), (*dj)(int), (*ver)(void);
    K (*b9)(int, K), (*d9)(K);
    int (*okx)(K);
    void (*m9)(void);
    K (*m4)(int);
    long long (*gc)(void);
    K (*k)(int, const char *, ...), (*vak)(int, const char *, va_list);
    int (*khp)(const char *, int), (*khpu)(const char *, int, const char *);
    int (*khpun)(const char *, int, const char *, int), (*khpunc)(char *, int, char *, int, int);
    void (*kclose)(int);
    K (*sslInfo)(K);
};

/* A probe's trace: what it did and saw, as text; the two libraries' traces must be equal. */
void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes a canonical description of x: type, attribute, refcount, count and items (symbols
 * and errors by their text, so pointers of the two libraries compare equal). */
void show(const struct api *A, K x);
/* out() a label, then show(x); for a null x, the pending error's text (taken with ee). */
void result(const struct api *A, const char *label, K x);
/* The pending error as ee(0) gives it, released: `error '"text"`, or `no error text`. */
void pending(const struct api *A);
/* Marks the rest of the trace as a documented divergence from libe.so: from here on the two
 * traces are not compared (what came before must still be equal). With ours_errs, our part
 * must show an error (`'"`): the cases where libe.so returns a broken object or corrupts
 * memory and ours refuses. Each reason is listed in README.md. */
void diverge(const char *why, int ours_errs);

/* Bytes per item of a simple vector type (enumerations 8), 0 for other types. */
int item_bytes(int t);
/* The vector types kdb+ has: general lists (0), simple vectors and enumerations. */
int vector_type(int t);

/* A probe runs case `i` of its family against one library. */
typedef void (*probe_fn)(const struct api *A, int i);
struct probe {
    const char *name;
    probe_fn fn;
    int cases;
    /* Where libe.so crashes or exits, ours must finish the case; if set, it must also have
     * signalled an error (a "'" in its trace). */
    int crash_needs_error;
};

/* Sample objects, the same for both libraries: a fresh object (or null) for index i. */
#define NSAMPLES 48
K sample(const struct api *A, int i);
const char *sample_name(int i);

/* Random objects of every shape from a seed, built with A's own constructors. */
K random_object(const struct api *A, uint64_t seed, int depth);
uint64_t rng_next(uint64_t *s);

/* Whether the function exists in A; a probe calls need() before using an optional one. */
#define NEED(A, f)                                 \
    do {                                           \
        if (!(A)->f) {                             \
            out("missing export %s\n", #f);        \
            return;                                \
        }                                          \
    } while (0)

extern const struct probe probes_atoms[], probes_lists[], probes_joins[], probes_misc[],
    probes_wire[];
#endif
