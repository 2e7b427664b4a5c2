/* List, dictionary and table constructors: ktn knk vaknk xD xT ktd knt. Arguments that a
 * function may or may not take carry an extra reference, so the trace shows their refcount
 * after the call: one less where the function took them. */
#include <string.h>

#include "harness.h"

/* Holds a reference to each argument, calls, then shows the arguments and drops the hold. */
static K hold(const struct api *A, K x) { return x ? A->r1(x) : x; }
static void after(const struct api *A, const char *label, K x) {
    if (!x) return;
    out("  %s after: ", label);
    show(A, x);
    A->r0(x);
}

static void p_ktn(const struct api *A, int i) {
    static const long long counts[] = {0, 1, 3, -1};
    int t = i / 4 - 130;
    long long n = counts[i % 4];
    signed char st = (signed char)t;
    out("ktn(%d,%lld): ", t, n);
    int valid = st < 0 ? (st != -2 && st != -11 && st != -128) || n == 0
                       : n >= 0 && (vector_type(st) || (st == 99 && n == 2));
    if (!valid)
        diverge("ktn of a type byte or count that makes no valid object (a negative count, a "
                "table, a dictionary of other than 2 items, functions, types kdb+ lacks): "
                "libe.so returns a broken object", 1);
    if (valid && st == -2) diverge("ktn of the guid atom type: libe.so's atom has no room for the guid; ours is a zero guid", 0);
    K x = A->ktn(t, n);
    if (!x) {
        result(A, "", x);
        return;
    }
    out("t%d r%d", x->t, x->r);
    if (st >= 0) out(" n%lld", x->n);
    else show(A, x);
    /* Fresh general lists and dictionaries: the items are null, for the host to fill. */
    if ((st == 0 || st == 99) && n > 0 && n < 10)
        for (long long j = 0; j < n; j++)
            kK(x)[j] ? out(" <t%d>", kK(x)[j]->t) : out(" 0");
    out("\n");
    if (!valid) return;
    if (st == 0 || st == 99)
        for (long long j = 0; j < n; j++) kK(x)[j] = A->kj(j);
    if (st == 11)
        for (long long j = 0; j < n; j++) kS(x)[j] = A->ss("");
    A->r0(x);
}

static void p_ktn_huge(const struct api *A, int i) {
    static const long long counts[] = {1LL << 45, 1LL << 62, 0x7fffffffffffffffLL};
    static const int types[] = {0, 1, 7, 2};
    long long n = counts[i % 3];
    int t = types[i / 3];
    out("ktn(%d,%lld): ", t, n);
    if (t == 0 ? n > (1LL << 60) : n > (1LL << 62) / item_bytes(t))
        diverge("ktn of a count whose size overflows: libe.so allocates the wrapped size", 1);
    result(A, "", A->ktn(t, n));
}

static void p_knk(const struct api *A, int i) {
    int n = i % 10;
    int variant = i / 10;
    K items[10];
    for (int j = 0; j < n; j++) {
        items[j] = (variant % 3 == 1 && j % 2) ? 0 : sample(A, (variant * 7 + j * 5) % NSAMPLES);
        if (items[j]) A->r1(items[j]);
    }
    K x;
    switch (n) {
    case 0: x = A->knk(0); break;
    case 1: x = A->knk(1, items[0]); break;
    case 2: x = A->knk(2, items[0], items[1]); break;
    case 3: x = A->knk(3, items[0], items[1], items[2]); break;
    case 4: x = A->knk(4, items[0], items[1], items[2], items[3]); break;
    case 5: x = A->knk(5, items[0], items[1], items[2], items[3], items[4]); break;
    case 6: x = A->knk(6, items[0], items[1], items[2], items[3], items[4], items[5]); break;
    case 7:
        x = A->knk(7, items[0], items[1], items[2], items[3], items[4], items[5], items[6]);
        break;
    case 8:
        x = A->knk(8, items[0], items[1], items[2], items[3], items[4], items[5], items[6],
                   items[7]);
        break;
    default:
        x = A->knk(9, items[0], items[1], items[2], items[3], items[4], items[5], items[6],
                   items[7], items[8]);
    }
    out("knk(%d): ", n);
    result(A, "", x);
    for (int j = 0; j < n; j++) after(A, "item", items[j]);
}

static K call_vaknk(const struct api *A, int n, ...) {
    va_list ap;
    va_start(ap, n);
    K x = A->vaknk(n, ap);
    va_end(ap);
    return x;
}

static void p_vaknk(const struct api *A, int i) {
    K a = hold(A, sample(A, i % NSAMPLES)), b = hold(A, sample(A, (i * 3 + 1) % NSAMPLES));
    K x = i < NSAMPLES ? call_vaknk(A, 2, a, b) : call_vaknk(A, 1, a);
    result(A, "vaknk", x);
    after(A, "a", a);
    if (i < NSAMPLES) after(A, "b", b);
    else if (b) A->r0(b), A->r0(b);
}

/* xD over every pair of samples. */
static void p_xD(const struct api *A, int i) {
    int a = i / NSAMPLES, b = i % NSAMPLES;
    out("xD(%s; %s)\n", sample_name(a), sample_name(b));
    K k = hold(A, sample(A, a)), v = hold(A, sample(A, b));
    result(A, "xD", A->xD(k, v));
    after(A, "keys", k);
    after(A, "values", v);
}

/* A dictionary built by hand (ktn(XD,2)), so xT, ktd and knt see shapes xD would refuse. */
static K raw_dict(const struct api *A, int a, int b) {
    K k = sample(A, a), v = sample(A, b);
    if (!k || !v) {
        if (k) A->r0(k);
        if (v) A->r0(v);
        return 0;
    }
    K d = A->ktn(99, 2);
    if (!d) {
        A->r0(k);
        A->r0(v);
        return 0;
    }
    kK(d)[0] = k;
    kK(d)[1] = v;
    return d;
}

static void p_ktn_dict(const struct api *A, int i) {
    K d = raw_dict(A, i % NSAMPLES, (i * 7 + 3) % NSAMPLES);
    result(A, "raw dict", d);
    if (d) A->r0(d);
}

static void p_xT(const struct api *A, int i) {
    K d;
    if (i < NSAMPLES) {
        out("xT(%s)\n", sample_name(i));
        d = sample(A, i);
        if (d && d->t != 99 && d->t != 0)
            diverge("xT of what is no dictionary: libe.so reads its first item as the keys", 1);
    } else {
        int a = (i - NSAMPLES) / NSAMPLES, b = (i - NSAMPLES) % NSAMPLES;
        out("xT(%s ! %s)\n", sample_name(a), sample_name(b));
        d = raw_dict(A, a, b);
        if (!d) return;
    }
    d = hold(A, d);
    result(A, "xT", A->xT(d));
    after(A, "dict", d);
}

static void p_ktd(const struct api *A, int i) {
    K x;
    if (i < NSAMPLES) {
        out("ktd(%s)\n", sample_name(i));
        x = sample(A, i);
    } else {
        int a = (i - NSAMPLES) / NSAMPLES, b = (i - NSAMPLES) % NSAMPLES;
        out("ktd(%s ! %s)\n", sample_name(a), sample_name(b));
        x = raw_dict(A, a, b);
        if (!x) return;
    }
    x = hold(A, x);
    result(A, "ktd", A->ktd(x));
    after(A, "arg", x);
}

static void p_knt(const struct api *A, int i) {
    static const long long ns[] = {-1, 0, 1, 2, 3, 4};
    long long n = ns[i % 6];
    int s = i / 6;
    out("knt(%lld; %s)\n", n, sample_name(s));
    if (n < 0) diverge("knt with a negative count: libe.so keys on columns counted from the end", 1);
    K t = hold(A, sample(A, s));
    result(A, "knt", A->knt(n, t));
    after(A, "table", t);
}

const struct probe probes_lists[] = {
    {"ktn", p_ktn, 261 * 4, 1},
    {"ktn_huge", p_ktn_huge, 12, 1},
    {"ktn_dict", p_ktn_dict, NSAMPLES, 1},
    {"knk", p_knk, 200, 1},
    {"vaknk", p_vaknk, NSAMPLES + 10, 1},
    {"xD", p_xD, NSAMPLES * NSAMPLES, 1},
    {"xT", p_xT, NSAMPLES + NSAMPLES * NSAMPLES, 1},
    {"ktd", p_ktd, NSAMPLES + NSAMPLES * NSAMPLES, 1},
    {"knt", p_knt, 6 * NSAMPLES, 1},
    {0, 0, 0, 0},
};
