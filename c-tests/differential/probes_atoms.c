/* Atom and string constructors: ka kb kg kh ki kj ke kf kc kd kt kz ks ktj ku kp kpn. */
#include <string.h>

#include "harness.h"

/* Interesting ints, then pseudo-random ones: case i's argument. */
static long long int_arg(int i) {
    static const long long v[] = {0, 1, -1, 2, 7, 42, 127, 128, 255, 256, -127, -128, -129,
                                  32767, 32768, -32768, -32769, 65535, 65536, 2147483647LL,
                                  -2147483647LL - 1, -2147483647LL, 1000000, -1000000,
                                  86399999, 86400000, 8767, -730120, 2932896};
    int n = sizeof v / sizeof *v;
    if (i < n) return v[i];
    uint64_t s = (uint64_t)i;
    return (long long)(int)rng_next(&s);
}

static long long long_arg(int i) {
    static const long long v[] = {0, 1, -1, (long long)0x8000000000000000ULL, 0x7fffffffffffffffLL,
                                  -0x7fffffffffffffffLL, 1LL << 32, 1LL << 53,
                                  86400000000000LL, 788918400000000000LL, -(1LL << 40)};
    int n = sizeof v / sizeof *v;
    if (i < n) return v[i];
    uint64_t s = (uint64_t)i * 31;
    return (long long)rng_next(&s);
}

static double double_arg(int i) {
    static const double v[] = {0.0, -0.0, 1.0, -1.5, 0.1, 1e300, -1e300, 3.4028235e38,
                               3.5e38, 1e-45, 1e-320, 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0, 8767.5};
    int n = sizeof v / sizeof *v;
    if (i < n) return v[i];
    uint64_t s = (uint64_t)i * 7, b = rng_next(&s);
    double d;
    memcpy(&d, &b, 8);
    return d;
}

#define INT_PROBE(f)                                         \
    static void p_##f(const struct api *A, int i) {          \
        int x = (int)int_arg(i);                             \
        out(#f "(%d): ", x);                                 \
        K r = A->f(x);                                       \
        show(A, r);                                          \
    }
INT_PROBE(kb)
INT_PROBE(kg)
INT_PROBE(kh)
INT_PROBE(ki)
INT_PROBE(kc)
INT_PROBE(kd)
INT_PROBE(kt)

#define DOUBLE_PROBE(f)                                      \
    static void p_##f(const struct api *A, int i) {          \
        double x = double_arg(i);                            \
        out(#f "(%a): ", x);                                 \
        show(A, A->f(x));                                    \
    }
DOUBLE_PROBE(ke)
DOUBLE_PROBE(kf)
DOUBLE_PROBE(kz)

static void p_kj(const struct api *A, int i) {
    long long x = long_arg(i);
    out("kj(%lld): ", x);
    show(A, A->kj(x));
}

/* Whether ka/ktj/ktn of type byte t (and value or count j) makes an object with a valid value:
 * elsewhere libe.so returns a broken one (an unset count, a pointer made from a number) and
 * ours refuses it. */
static int typed_ok(int t, long long j) {
    signed char st = (signed char)t;
    if (st == -2 || st == -11 || st == -128) return j == 0;
    if (st < 0 || (st >= 101 && st <= 103)) return 1;
    return vector_type(st) && j == 0;
}

/* ka over every type byte -130..130. */
static void p_ka(const struct api *A, int i) {
    int t = i - 130;
    out("ka(%d): ", t);
    if (!typed_ok(t, 0)) diverge("ka of a type byte kdb+ has no atom or vector of: libe.so returns an object with an unset value", 1);
    K x = A->ka(t);
    if (!x) {
        result(A, "", x);
        return;
    }
    /* Only the header and count are defined for an atom whose value is not set. */
    out("t%d r%d\n", x->t, x->r);
    A->r0(x);
}

static void p_ktj(const struct api *A, int i) {
    int t = i % 40 - 20;
    long long j = long_arg(i / 40);
    out("ktj(%d,%lld): ", t, j);
    if (!typed_ok(t, j)) diverge("ktj of a vector type with a count, or of a pointer type from a number: libe.so returns a broken object", 1);
    else if ((signed char)t == -2) diverge("ktj of the guid atom type: libe.so's atom has no room for the guid; ours is a zero guid", 0);
    result(A, "", A->ktj(t, j));
}

static void p_ku(const struct api *A, int i) {
    U g;
    uint64_t s = (uint64_t)i;
    for (int b = 0; b < 16; b++) g.g[b] = i < 2 ? (unsigned char)(i * 255) : (unsigned char)rng_next(&s);
    show(A, A->ku(g));
}

static const char *strings[] = {"", "a", "abc", "a b", "trade", "\xc3\xa9t\xc3\xa9", "\x01\x02",
                                "\xff\xfe", "0123456789012345678901234567890123456789012345678901234567890123456789",
                                "x\ty", "`a", "a\nb"};
#define NSTRINGS (int)(sizeof strings / sizeof *strings)

/* Case i's string: the fixed ones, then random bytes (no NUL) of up to 300 bytes. */
static const char *string_arg(int i, char *buf) {
    if (i < NSTRINGS) return strings[i];
    uint64_t s = (uint64_t)i * 977;
    int n = (int)(rng_next(&s) % 300);
    for (int k = 0; k < n; k++) buf[k] = (char)(1 + rng_next(&s) % 255);
    buf[n] = 0;
    return buf;
}


static void p_ks(const struct api *A, int i) {
    char buf[320];
    if (i == NSTRINGS) {
        out("ks(NULL): ");
        result(A, "", A->ks(NULL));
        return;
    }
    char *s = (char *)string_arg(i, buf);
    K x = A->ks(s);
    out("ks: ");
    show(A, x);
    out("same as ss: %d, copy: %d\n", x->s == A->ss(s), x->s != s);
}

static void p_kp(const struct api *A, int i) {
    char buf[320];
    if (i == NSTRINGS) {
        out("kp(NULL): ");
        result(A, "", A->kp(NULL));
        return;
    }
    result(A, "kp", A->kp((char *)string_arg(i, buf)));
}

/* kpn over strings and counts (embedded NULs included); NULL with a count 0. */
static void p_kpn(const struct api *A, int i) {
    static const char data[] = "ab\0cd\0\0efgh";
    static const long long counts[] = {0, 1, 2, 3, 5, 7, 11};
    int nc = sizeof counts / sizeof *counts;
    if (i < nc) {
        out("kpn(data,%lld): ", counts[i]);
        result(A, "", A->kpn((char *)data, counts[i]));
    } else if (i == nc) {
        out("kpn(NULL,0): ");
        result(A, "", A->kpn(NULL, 0));
    } else {
        char buf[320];
        int s = i - nc - 1;
        const char *str = string_arg(s, buf);
        long long n = (long long)strlen(str);
        out("kpn(%d,%lld): ", s, n);
        result(A, "", A->kpn((char *)str, n));
    }
}

/* A negative count or a null pointer with a count: libe.so reads wild memory or runs out. */
static void p_kpn_bad(const struct api *A, int i) {
    static const long long counts[] = {-1, -2, -1000000, 1, 16};
    long long n = counts[i % 5];
    char *s = i < 5 ? (char *)"abc" : NULL;
    if (s && n > 0) {
        out("kpn: fine\n");
        return;
    }
    out("kpn(%s,%lld): ", s ? "abc" : "NULL", n);
    if (n < 0) diverge("kpn with a negative count: libe.so returns a corrupt object", 1);
    result(A, "", A->kpn(s, n));
}

const struct probe probes_atoms[] = {
    {"ka", p_ka, 261, 1},
    {"kb", p_kb, 120, 0},
    {"kg", p_kg, 120, 0},
    {"kh", p_kh, 120, 0},
    {"ki", p_ki, 120, 0},
    {"kc", p_kc, 120, 0},
    {"kd", p_kd, 120, 0},
    {"kt", p_kt, 120, 0},
    {"kj", p_kj, 120, 0},
    {"ke", p_ke, 120, 0},
    {"kf", p_kf, 120, 0},
    {"kz", p_kz, 120, 0},
    {"ktj", p_ktj, 40 * 8, 1},
    {"ku", p_ku, 100, 0},
    {"ks", p_ks, 200, 1},
    {"kp", p_kp, 200, 1},
    {"kpn", p_kpn, 200, 1},
    {"kpn_bad", p_kpn_bad, 10, 1},
    {0, 0, 0, 0},
};
