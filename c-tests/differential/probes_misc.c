/* Refcounts, symbols, errors, calendar, version, memory, and the client's error paths:
 * r0 r1 ss sn setm krr orr ee ymd dj ver m9 m4 gc k khp khpu khpun khpunc kclose sslInfo. */
#include <errno.h>
#include <string.h>

#include "harness.h"

static void p_r1(const struct api *A, int i) {
    if (i == NSAMPLES) {
        out("r1(NULL): ");
        result(A, "", A->r1(0));
        return;
    }

    K x = sample(A, i);
    if (!x) return;
    K y = A->r1(x);
    out("r1 returns x: %d, r %d\n", y == x, x->r);
    A->r1(x);
    A->r0(x);
    out("r %d\n", x->r);
    /* Items of a shared list are not touched by the list's refcount. */
    if (x->t == 0 && x->n) out("item r %d\n", kK(x)[0]->r);
    A->r0(x);
    show(A, x);
    A->r0(x);
}

/* r0(NULL): libe.so crashes; ours ignores it (it cannot report an error). */
static void p_r0_null(const struct api *A, int i) {
    (void)i;
    out("r0(NULL)\n");
    A->r0(0);
}

static const char *strs[] = {"", "a", "abc", "a b", "\xc3\xa9t\xc3\xa9", "\xff", "trade",
                             "0123456789012345678901234567890123456789", "`a", "a\nb"};
#define NSTRS (int)(sizeof strs / sizeof *strs)

static void p_ss(const struct api *A, int i) {
    if (i > NSTRS) { /* random bytes, no NUL */
        char buf[320];
        uint64_t s = (uint64_t)i * 131;
        int n = (int)(rng_next(&s) % 300);
        for (int k = 0; k < n; k++) buf[k] = (char)(1 + rng_next(&s) % 255);
        buf[n] = 0;
        char *p = A->ss(buf);
        out("ss random %d: %d bytes, copy %d, stable %d, same text %d\n", i, n, p != buf, p == A->ss(buf), strcmp(p, buf) == 0);
        return;
    }
    if (i == NSTRS) {
        out("ss(NULL): ");
        char *p = A->ss(NULL);
        out("%s ", p ? p : "(nullptr)");
        pending(A);
        return;
    }
    char copy[64];
    strcpy(copy, strs[i]);
    char *p = A->ss(copy);
    out("ss: \"%s\" copy %d stable %d\n", p, p != copy, p == A->ss((char *)strs[i]));
}

static void p_sn(const struct api *A, int i) {
    static const char data[] = "abc\0def\0\0gh";
    static const int ns[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 11};
    int n = ns[i % 10];
    int which = i / 10;
    const char *s = which == 0 ? data : strs[which % NSTRS];
    if (which && n > (int)strlen(s)) n = (int)strlen(s);
    char *p = A->sn((char *)s, n);
    out("sn(%d,%d): ", which, n);
    if (!p) {
        out("(nullptr) ");
        pending(A);
        return;
    }
    out("\"");
    for (int j = 0; p[j]; j++) out("%02x", (unsigned char)p[j]);
    out("\" is ss of prefix: %d, kpn-like: %d\n", p == A->ss(p), (int)strlen(p) == n);
}

static void p_sn_bad(const struct api *A, int i) {
    static const int ns[] = {-1, -100, 0, 0};
    char *s = i < 2 ? (char *)"abc" : i == 2 ? NULL : (char *)"";
    out("sn(%s,%d): ", s ? s : "NULL", ns[i]);
    if (ns[i] < 0) diverge("sn with a negative count: libe.so reads to the NUL or runs out of memory", 1);
    char *p = A->sn(s, ns[i]);
    if (p) out("\"%s\"\n", p);
    else {
        out("(nullptr) ");
        pending(A);
    }
}

static void p_setm(const struct api *A, int i) {
    int a = i % 7 - 3, b = (i * 13) % 11 - 5;
    int prev = A->setm(a);
    int now = A->setm(b);
    out("setm(%d) %d, setm(%d) %d\n", a, prev, b, now);
}

static void p_krr(const struct api *A, int i) {
    static const char *msgs[] = {"boom", "", "type", "a much longer error message, with spaces"};
    static char buf[64];
    const char *m = msgs[i % 4];
    if (i >= 16) { /* random texts, each case its own */
        uint64_t s = (uint64_t)i;
        int n = (int)(rng_next(&s) % 60);
        for (int k = 0; k < n; k++) buf[k] = (char)(32 + rng_next(&s) % 95);
        buf[n] = 0;
        m = buf;
        i %= 16;
    }
    switch (i / 4) {
    case 0: { /* krr keeps the caller's pointer */
        K r = A->krr(m);
        K e = A->ee(0);
        out("krr %d: %s, ee type %d, same pointer %d, text \"%s\"\n", i, r ? "object" : "0",
            e->t, e->s == m, e->s ? e->s : "(nullptr)");
        A->r0(e);
        break;
    }
    case 1: { /* a second krr replaces the first; ee clears */
        A->krr("first");
        A->krr(m);
        pending(A);
        pending(A);
        break;
    }
    case 2: { /* krr(NULL), then ee */
        K r = A->krr(NULL);
        out("krr(NULL): %s ", r ? "object" : "0");
        pending(A);
        break;
    }
    default: { /* ee of an object is that object; the pending error stays */
        A->krr(m);
        K x = A->kj(3);
        K y = A->ee(x);
        out("ee(x) is x: %d\n", y == x);
        A->r0(x);
        pending(A);
    }
    }
}

/* ee(0) with nothing pending; ee of every sample (it is returned as is). */
static void p_ee(const struct api *A, int i) {
    if (i > 0) {
        K x = sample(A, i % NSAMPLES);
        if (!x) return;
        out("ee(%s) is x: %d\n", sample_name(i % NSAMPLES), A->ee(x) == x);
        show(A, x);
        A->r0(x);
        return;
    }
    K e = A->ee(0);
    out("ee(0): ");
    if (!e) out("0\n");
    else out("type %d, s %s\n", e->t, e->s ? "set" : "(nullptr)");
}

static void p_orr(const struct api *A, int i) {
    static const char *what[] = {"file", "", "a longer context"};
    int e = i % 135 == 134 ? 9999 : i % 135; /* every errno glibc names, and one it does not */
    const char *w = what[(i / 135) % 3];
    errno = e;
    K r = A->orr(w);
    out("orr(\"%s\") errno %d: %s ", w, e, r ? "object" : "0");
    pending(A);
}

static void p_orr_null(const struct api *A, int i) {
    errno = i ? ENOENT : 0;
    out("orr(NULL): ");
    result(A, "", A->orr(NULL));
}

static void p_ymd(const struct api *A, int i) {
    static const int years[] = {-1, 0, 1, 1582, 1600, 1900, 1999, 2000, 2001, 2024, 2100, 9999,
                                10000, 100000};
    static const int months[] = {-1, 0, 1, 2, 3, 11, 12, 13, 100};
    static const int days[] = {-1, 0, 1, 28, 29, 30, 31, 32, 1000};
    int d = days[i % 9], m = months[(i / 9) % 9], y = years[(i / 81) % 14];
    out("ymd(%d,%d,%d) = %d\n", y, m, d, A->ymd(y, m, d));
}

static void p_dj(const struct api *A, int i) {
    int x;
    static const int v[] = {0, 1, -1, 59, 60, 365, 366, -730120, -730119, 2932896, 2932897,
                            (int)0x80000000, 0x7fffffff, -0x7fffffff};
    if (i < (int)(sizeof v / sizeof *v)) x = v[i];
    else {
        uint64_t s = (uint64_t)i;
        x = (int)(rng_next(&s) % 6000000) - 3000000;
    }
    out("dj(%d) = %d\n", x, A->dj(x));
}

static void p_ver(const struct api *A, int i) {
    (void)i;
    int v = A->ver();
    /* yyyymmdd: a date that dj gives back */
    out("ver is a yyyymmdd date: %d\n", v > 20000101 && A->dj(A->ymd(v / 10000, v / 100 % 100, v % 100)) == v);
}

static void p_mem(const struct api *A, int i) {
    switch (i) {
    case 0: A->m9(); out("m9 done\n"); break;
    case 1: case 2: {
        NEED(A, m4);
        K x = A->m4(i - 1);
        out("m4(%d): type %d count %lld\n", i - 1, x ? x->t : 0, x ? x->n : -1);
        break;
    }
    default: {
        NEED(A, gc);
        K x = A->ktn(7, 1 << 20);
        A->r0(x);
        long long n = A->gc();
        out("gc: %s\n", n >= 0 ? "non-negative" : "negative");
    }
    }
}

/* k(h,...) on handles that are not connections, and connections that fail. */
static void p_k_bad(const struct api *A, int i) {
    static const int hs[] = {-1, 1000, -1000, 2147483647};
    int h = hs[i % 4];
    K r;
    switch (i / 4) {
    case 0: r = A->k(h, "1+1", (K)0); break;
    case 1: r = A->k(h, "{x}", A->kj(1), (K)0); break;
    default: r = A->k(h, (const char *)0, (K)0); break;
    }
    out("k(%d) #%d: ", h, i / 4);
    result(A, "", r);
}

static void p_khp(const struct api *A, int i) {
    /* port 1 on loopback is closed; ports out of range */
    static const int ports[] = {1, 0, -1, 70000, 65536, -65536, 2, 3, 7, 9, 13, 17, 19, 21, 23, 25,
                                 37, 42, 43, 49, 69, 79, 88, 101, 102};
    int p = ports[i % 25];
    int r;
    switch (i / 25) {
    case 0: r = A->khp("127.0.0.1", p); break;
    case 1: r = A->khpu("127.0.0.1", p, "user:pass"); break;
    case 2: r = A->khpun("127.0.0.1", p, "", 100); break;
    default: r = A->khpunc((char *)"127.0.0.1", p, (char *)"", 100, 1); break;
    }
    out("khp* #%d port %d: %d\n", i / 25, p, r);
}

static void p_kclose(const struct api *A, int i) {
    int h = i < 4 ? (int[]){-1, 0, 1000, 2147483647}[i] : 100 + i * 37;
    A->kclose(h);
    out("kclose(%d) done\n", h);
}

const struct probe probes_misc[] = {
    {"r1", p_r1, NSAMPLES + 1, 1},
    {"r0_null", p_r0_null, 1, 0},
    {"ss", p_ss, 200, 1},
    {"sn", p_sn, 10 * NSTRS, 1},
    {"sn_bad", p_sn_bad, 4, 1},
    {"setm", p_setm, 100, 0},
    {"krr", p_krr, 200, 0},
    {"ee", p_ee, NSAMPLES, 0},
    {"orr", p_orr, 135 * 3, 0},
    {"orr_null", p_orr_null, 2, 1},
    {"ymd", p_ymd, 14 * 81, 0},
    {"dj", p_dj, 200, 0},
    {"ver", p_ver, 1, 0},
    {"mem", p_mem, 4, 0},
    {"k_bad", p_k_bad, 12, 1},
    {"khp", p_khp, 100, 0},
    {"kclose", p_kclose, 100, 0},
    {0, 0, 0, 0},
};
