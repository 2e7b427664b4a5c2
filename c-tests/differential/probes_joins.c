/* Joins through the host's K*: ja js jk jv. The list is shown after the join, and the joined
 * argument's refcount (it carries an extra reference) shows whether the join took it.
 *
 * Documented divergences, marked in the trace: libe.so writes into a shared list in place when
 * it has room (ours copies it, so its other holders keep their value); it keeps a list's
 * attribute whenever the list has room, even where the new items break it (ours keeps s# while
 * the list stays in order and drops the others); it stores a symbol pointer as given (ours
 * interns it); and where a join would write past an atom or put items of another size into a
 * list, libe.so corrupts memory and ours returns 'type. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

static void after(const struct api *A, const char *label, K x) {
    if (!x) return;
    out("  %s after: ", label);
    show(A, x);
    A->r0(x);
}

/* The list after a join: whether the call returned *x, and *x itself. */
static void joined(const struct api *A, const char *f, K r, K x) {
    out("%s returned %s: ", f, r == 0 ? "0" : r == x ? "*x" : "other");
    if (!r) pending(A);
    else out("\n");
    out("  *x: ");
    show(A, x);
}

static int simple(int t) { return t > 0 && vector_type(t); }

/* Marks the divergences a join on x (shared or not) runs into before it is made. */
static void join_divergences(K x, int shared) {
    if (shared) diverge("a join on a shared list: libe.so changes it in place for every holder", 0);
    else if (x && x->u) diverge("a list's attribute after a join: libe.so keeps it while the list has room", 0);
}

/* ja: every sample as the list, with an item's bytes, a K (general lists), or nulls. */
static void p_ja(const struct api *A, int i) {
    int s = i / 8, mode = i % 8;
    out("ja(%s) mode %d\n", sample_name(s), mode);
    K x = sample(A, s), held = 0, item = 0, r;
    int t = x ? x->t : 0, general = x && t == 0;
    unsigned char bytes[16];
    for (int b = 0; b < 16; b++) bytes[b] = (unsigned char)(0x41 + b);
    char *sym = A->ss("zz");
    /* The item kinds that fit the list; others would make both libraries read garbage. */
    int fits = mode == 0 || mode == 1 ? x == 0 || !general
               : mode == 4            ? x == 0 || vector_type(t)
               : mode == 6            ? x && t == 11
                                      : x == 0 || general;
    if (!fits) {
        out("skip\n");
        if (x) A->r0(x);
        return;
    }
    if (x && mode != 4 && !general && !simple(t))
        diverge("ja on an atom, dictionary, table or function: libe.so writes past the object", 1);
    join_divergences(x, mode == 1 || mode == 5);
    switch (mode) {
    case 0: /* an item's bytes (a symbol list gets an interned pointer) */
        r = A->ja(&x, t == 11 ? (void *)&sym : (void *)bytes);
        break;
    case 1: /* the same on a shared list */
        held = x ? A->r1(x) : 0;
        r = A->ja(&x, t == 11 ? (void *)&sym : (void *)bytes);
        break;
    case 2: /* a K, as a general list takes */
        item = A->r1(A->kp("z"));
        r = A->ja(&x, &item);
        break;
    case 3: { /* a null K */
        K none = 0;
        r = A->ja(&x, &none);
        break;
    }
    case 4: /* a null item pointer: the list stays as it is */
        r = A->ja(&x, NULL);
        break;
    case 5: /* a shared general list, a K */
        held = x ? A->r1(x) : 0;
        item = A->r1(A->kj(9));
        r = A->ja(&x, &item);
        break;
    case 6: { /* a symbol that is not interned */
        char name[] = "fresh_symbol";
        char *p = name;
        diverge("ja of a symbol that is not interned: libe.so stores the host's pointer, ours interns it", 0);
        r = A->ja(&x, &p);
        out("  last is the host's pointer: %d\n", kS(x)[x->n - 1] == p);
        break;
    }
    default: /* a K of another shape */
        item = A->r1(sample(A, (s * 5 + 1) % NSAMPLES));
        r = A->ja(&x, &item);
    }
    joined(A, "ja", r, x);
    after(A, "item", item);
    after(A, "shared", held);
    if (x) A->r0(x);
}

static void p_ja_null(const struct api *A, int i) {
    unsigned char bytes[16] = {0};
    out("ja(NULL) %d: ", i);
    result(A, "", A->ja(NULL, bytes));
}

static void p_js(const struct api *A, int i) {
    static char *strs[] = {"a", "", NULL, "long_symbol_name_0123456789", "\xc3\xa9"};
    int s = i / 10, which = i % 5, shared = (i / 5) % 2;
    out("js(%s, %d) shared %d\n", sample_name(s), which, shared);
    K x = sample(A, s);
    if (x && x->t != 11) diverge("js on what is no symbol list: libe.so writes a pointer into it", 1);
    else if (x && !strs[which]) diverge("js of a null pointer: libe.so stores it", 1);
    join_divergences(x, shared);
    K held = shared && x ? A->r1(x) : 0;
    K r = A->js(&x, strs[which] ? A->ss(strs[which]) : NULL);
    joined(A, "js", r, x);
    after(A, "shared", held);
    if (x) A->r0(x);
}

/* js of strings that are not interned. */
static void p_js_raw(const struct api *A, int i) {
    char buf[32];
    snprintf(buf, sizeof buf, "raw%d", i);
    K x = sample(A, 14);
    diverge("js of a symbol that is not interned: libe.so stores the host's pointer, ours interns it", 0);
    K r = A->js(&x, buf);
    out("stored the host's pointer: %d\n", kS(x)[x->n - 1] == buf);
    joined(A, "js", r, x);
    A->r0(x);
}

static void p_jk(const struct api *A, int i) {
    int a = i / NSAMPLES, b = i % NSAMPLES;
    out("jk(%s; %s)\n", sample_name(a), sample_name(b));
    K x = sample(A, a), y = sample(A, b);
    if (x && y && x->t != 0) diverge("jk on what is no general list: libe.so writes a pointer into it", 1);
    if (y) A->r1(y);
    K r = A->jk(&x, y);
    joined(A, "jk", r, x);
    after(A, "y", y);
    if (x) A->r0(x);
}

static void p_jk_shared(const struct api *A, int i) {
    K x = sample(A, i), y = A->r1(A->kj(5));
    K held = x ? A->r1(x) : 0;
    out("jk shared %s\n", sample_name(i));
    if (x && x->t != 0) diverge("jk on what is no general list: libe.so writes a pointer into it", 1);
    join_divergences(x, 1);
    K r = A->jk(&x, y);
    joined(A, "jk", r, x);
    after(A, "y", y);
    after(A, "shared", held);
    if (x) A->r0(x);
}

/* Whether jv(x, y) is a join libe.so makes without reading or writing out of bounds. */
static int jv_fits(K x, K y) {
    if (!x || !y) return 1; /* libe.so crashes: a recorded result */
    if (vector_type(x->t) && vector_type(y->t) && y->n == 0) return 1; /* nothing to append */
    if (x->t == y->t) return vector_type(x->t);
    return simple(x->t) && simple(y->t) && x->t != 11 && y->t != 11 &&
           item_bytes(x->t) == item_bytes(y->t);
}

static void p_jv(const struct api *A, int i) {
    int a = i / NSAMPLES, b = i % NSAMPLES;
    out("jv(%s; %s)\n", sample_name(a), sample_name(b));
    K x = sample(A, a), y = sample(A, b);
    if (!jv_fits(x, y))
        diverge("jv of lists whose items differ in size, or of atoms, dictionaries or tables: libe.so copies bytes past the objects", 1);
    join_divergences(x, 0);
    if (y) A->r1(y);
    K r = A->jv(&x, y);
    joined(A, "jv", r, x);
    after(A, "y", y);
    if (x) A->r0(x);
}

/* Shared lists, a list joined to itself, and attributes after in-order and out-of-order joins. */
static void p_jv_more(const struct api *A, int i) {
    int s = i % NSAMPLES, mode = i / NSAMPLES;
    K x = sample(A, s), r, held = 0, y = 0;
    out("jv more %s mode %d\n", sample_name(s), mode);
    switch (mode) {
    case 0: /* shared x */
        held = x ? A->r1(x) : 0;
        y = x ? A->r1(sample(A, s)) : 0;
        if (!jv_fits(x, y)) diverge("jv of atoms, dictionaries or tables: libe.so copies bytes past the objects", 1);
        join_divergences(x, 1);
        r = A->jv(&x, y);
        break;
    case 1: /* x joined to itself */
        if (x) A->r1(x);
        y = x;
        if (!jv_fits(x, y)) diverge("jv of atoms, dictionaries or tables: libe.so copies bytes past the objects", 1);
        join_divergences(x, 1);
        r = A->jv(&x, x);
        break;
    default: { /* x with an attribute, then a long vector in order or out of order */
        static const unsigned char attrs[] = {1, 2, 3, 5};
        int attr = attrs[(mode - 2) % 4], in_order = (mode - 2) / 4;
        if (x && x->t >= 0 && x->t != 98) x->u = (char)attr;
        y = A->ktn(7, 2);
        kJ(y)[0] = in_order ? 100 : 0;
        kJ(y)[1] = in_order ? 101 : 5;
        if (x && x->t != 7 && x->t != 0) {
            A->r0(y);
            y = sample(A, s);
        }
        if (!jv_fits(x, y)) diverge("jv of lists whose items differ in size, or of atoms, dictionaries or tables: libe.so copies bytes past the objects", 1);
        join_divergences(x, 0);
        if (y) A->r1(y);
        r = A->jv(&x, y);
    }
    }
    joined(A, "jv", r, x);
    after(A, "y", y);
    after(A, "shared", held);
    if (x) A->r0(x);
}

/* Attributes after a join that makes the list grow (lengths where libe.so's block is full:
 * 2, 6 and 14 longs): libe.so drops the attribute; ours drops it too, except an s# that the new
 * items keep in order (libe.so drops even that one, a documented divergence). */
static void p_attr(const struct api *A, int i) {
    static const int lengths[] = {2, 6, 14};
    static const char attrs[] = {1, 2, 3, 5};
    int n = lengths[i % 3], use_jv = (i / 3) % 2, attr = attrs[(i / 6) % 4], in_order = i / 24;
    K x = A->ktn(7, n);
    for (int k = 0; k < n; k++) kJ(x)[k] = k;
    x->u = (char)attr;
    long long v = in_order ? n : -1;
    out("%s of %s item onto %d longs with attribute %d\n", use_jv ? "jv" : "ja", in_order ? "an in-order" : "an out-of-order", n, attr);
    if (in_order && attr == 1) diverge("s# after an in-order join that grows the list: libe.so drops it, ours keeps it", 0);
    K r;
    if (use_jv) {
        K y = A->ktn(7, 1);
        kJ(y)[0] = v;
        r = A->jv(&x, y);
        A->r0(y);
    } else {
        r = A->ja(&x, &v);
    }
    joined(A, use_jv ? "jv" : "ja", r, x);
    A->r0(x);
}

const struct probe probes_joins[] = {
    {"attr", p_attr, 48, 0},
    {"ja", p_ja, 8 * NSAMPLES, 1},
    {"ja_null", p_ja_null, 1, 1},
    {"js", p_js, 10 * NSAMPLES, 1},
    {"js_raw", p_js_raw, 20, 1},
    {"jk", p_jk, NSAMPLES * NSAMPLES, 1},
    {"jk_shared", p_jk_shared, NSAMPLES, 1},
    {"jv", p_jv, NSAMPLES * NSAMPLES, 1},
    {"jv_more", p_jv_more, 10 * NSAMPLES, 1},
    {0, 0, 0, 0},
};
