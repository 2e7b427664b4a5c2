/* The types, layout, constants and macros of KX's k.h (KXVER 3). The struct's anonymous
 * union cannot be emitted by cbindgen, so this part is verbatim; the function declarations
 * below it are generated from the library's exports. */
#ifndef KXVER
#define KXVER 3
#endif
#if KXVER < 3
#error "libq-rs implements the KXVER 3 layout only"
#endif

#include <stdarg.h>

typedef char *S, C;
typedef const char *S2;
typedef unsigned char G;
typedef short H;
typedef int I;
typedef long long J;
typedef unsigned long long UJ;
typedef float E;
typedef double F;
typedef void V;

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define LIBQ_EXTENSION __extension__
#else
#define LIBQ_EXTENSION
#endif

/* m,a: internal; t: type; u: attribute; r: reference count (0 = one owner);
 * then an atom's value, or n (count) followed by the items at offset 16. */
typedef struct k0 {
    signed char m, a, t;
    C u;
    I r;
    LIBQ_EXTENSION union {
        G g;
        H h;
        I i;
        J j;
        E e;
        F f;
        S s;
        struct k0 *k;
        LIBQ_EXTENSION struct {
            J n;
            G G0[];
        };
    };
} *K;

typedef struct { G g[16]; } U;

#ifdef __cplusplus
}
#endif

/* vector accessors, e.g. kF(x)[i] for float and datetime */
#define kG(x) ((x)->G0)
#define kC(x) kG(x)
#define kH(x) ((H *)kG(x))
#define kI(x) ((I *)kG(x))
#define kJ(x) ((J *)kG(x))
#define kE(x) ((E *)kG(x))
#define kF(x) ((F *)kG(x))
#define kS(x) ((S *)kG(x))
#define kK(x) ((K *)kG(x))
#define kU(x) ((U *)kG(x))
#define xU ((U *)xG)

/*      type bytes qtype     ctype  accessor */
#define KB 1  /* 1 boolean   char   kG */
#define UU 2  /* 16 guid     U      kU */
#define KG 4  /* 1 byte      char   kG */
#define KH 5  /* 2 short     short  kH */
#define KI 6  /* 4 int       int    kI */
#define KJ 7  /* 8 long      long   kJ */
#define KE 8  /* 4 real      float  kE */
#define KF 9  /* 8 float     double kF */
#define KC 10 /* 1 char      char   kC */
#define KS 11 /* * symbol    char*  kS */
#define KP 12 /* 8 timestamp long   kJ (nanoseconds from 2000.01.01) */
#define KM 13 /* 4 month     int    kI (months from 2000.01.01) */
#define KD 14 /* 4 date      int    kI (days from 2000.01.01) */
#define KZ 15 /* 8 datetime  double kF (DO NOT USE) */
#define KN 16 /* 8 timespan  long   kJ (nanoseconds) */
#define KU 17 /* 4 minute    int    kI */
#define KV 18 /* 4 second    int    kI */
#define KT 19 /* 4 time      int    kI (millisecond) */
#define XT 98 /*   table     x->k is XD */
#define XD 99 /*   dict      kK(x)[0] is keys, kK(x)[1] is values */

/* nulls (n?) and infinities (w?) */
#define nh ((I)0xFFFF8000)
#define wh ((I)0x7FFF)
#define ni ((I)0x80000000)
#define wi ((I)0x7FFFFFFF)
#define nj ((J)0x8000000000000000LL)
#define wj 0x7FFFFFFFFFFFFFFFLL
#define nf (0 / 0.0)
#define wf (1 / 0.0)
#define closesocket(x) close(x)

#define DO(n, x) { J i = 0, _i = (n); for (; i < _i; ++i) { x; } }

/* KX's shorthand, kept for code written against k.h. One-letter names collide with other
 * headers (gtest, `template<typename R>`): define LIBQ_NO_SHORTHAND before including k.h to
 * leave them out (DO, xt, P and U(x), which PyKX's k.h keeps, stay). */
#define xt x->t
#define P(x, y) { if (x) return (y); }
#define U(x) P(!(x), 0)
#ifndef LIBQ_NO_SHORTHAND
#define O printf
#define R return
#define Z static
#define SW switch
#define CS(n, x) case n: x; break;
#define CD default
#define ZV Z V
#define ZK Z K
#define ZH Z H
#define ZI Z I
#define ZJ Z J
#define ZE Z E
#define ZF Z F
#define ZC Z C
#define ZS Z S
#define K1(f) K f(K x)
#define K2(f) K f(K x, K y)
#define TX(T, x) (*(T *)((G *)(x) + 8))
#define xr x->r
#define xu x->u
#define xn x->n
#define xx xK[0]
#define xy xK[1]
#define xg TX(G, x)
#define xh TX(H, x)
#define xi TX(I, x)
#define xj TX(J, x)
#define xe TX(E, x)
#define xf TX(F, x)
#define xs TX(S, x)
#define xk TX(K, x)
#define xG x->G0
#define xH ((H *)xG)
#define xI ((I *)xG)
#define xJ ((J *)xG)
#define xE ((E *)xG)
#define xF ((F *)xG)
#define xS ((S *)xG)
#define xK ((K *)xG)
#define xC xG
#define xB ((G *)xG)
#endif /* LIBQ_NO_SHORTHAND */

#ifdef __cplusplus
extern "C" {
#endif
/* The C-variadic entry points (forwarded to the C shim, so cbindgen cannot see their shape). */
extern K k(I handle, const char *s, ...)
#if defined(__GNUC__)
    __attribute__((sentinel))
#endif
    ;
extern K knk(I n, ...);
extern K vak(I handle, const char *s, va_list args);
extern K vaknk(I n, va_list args);
#ifdef __cplusplus
}
#endif
