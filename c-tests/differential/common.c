/* What both libraries' traces are made of: the canonical description of an object, sample
 * objects, and random objects of every shape. Everything here is built with the library under
 * test's own constructors, through the same calls in the same order for both. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

/* Bytes per item (0: not a simple vector). Enumerations (20..76) hold longs. */
static int item_size(int t) {
    static const signed char size[20] = {8, 1, 16, 0, 1, 2, 4, 8, 4, 8, 1, 8, 8, 4, 4, 8, 8, 4, 4, 4};
    if (t >= 0 && t < 20) return size[t];
    if (t >= 20 && t <= 76) return 8;
    return 0;
}

int item_bytes(int t) { return t == 0 ? 0 : item_size(t); }
int vector_type(int t) { return (t >= 0 && t <= 19 && t != 3) || (t >= 20 && t <= 76); }

static void hex(const unsigned char *p, long long n) {
    if (n <= 64) {
        for (long long i = 0; i < n; i++) out("%02x", p[i]);
        return;
    }
    /* Long data: its length, first 32 bytes and an FNV-1a hash of all of it. */
    uint64_t h = 1469598103934665603ULL;
    for (long long i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
    for (int i = 0; i < 32; i++) out("%02x", p[i]);
    out("..(%lld bytes, fnv %016llx)", n, (unsigned long long)h);
}

static void text(const char *s) {
    if (!s) {
        out("(nullptr)");
        return;
    }
    out("\"");
    for (int i = 0; s[i] && i < 200; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 32 && c < 127 && c != '"' && c != '\\') out("%c", c);
        else out("\\x%02x", c);
    }
    out("\"");
}

static void show_at(const struct api *A, K x, int depth) {
    if (!x) {
        out("0");
        return;
    }
    if (depth > 300) {
        out("(deeper)");
        return;
    }
    int t = x->t;
    out("<t%d", t);
    /* An atom's attribute byte means nothing (libe.so's ka leaves it unset). */
    if (x->u && t >= 0 && (t < 101 || t > 103)) out(" u%d", x->u);
    /* libe.so's primitives (101..103) are shared objects whose refcount counts up. */
    if (x->r && (t < 101 || t > 103)) out(" r%d", x->r);
    if (t < 0) {
        out(" ");
        switch (-t) {
        case 1: case 4: case 10: out("%u", x->g); break;
        case 5: out("%d", x->h); break;
        case 6: case 13: case 14: case 17: case 18: case 19: out("%d", x->i); break;
        case 7: case 12: case 16: out("%lld", x->j); break;
        case 8: { uint32_t b; memcpy(&b, &x->e, 4); out("e%08x", b); break; }
        case 9: case 15: { uint64_t b; memcpy(&b, &x->f, 8); out("f%016llx", (unsigned long long)b); break; }
        case 11: text(x->s); break;
        case 2: hex(kG(x), 16); break;
        case 128: out("'"); text(x->s); break;
        default: out("j%lld", x->j); break;
        }
        out(">");
        return;
    }
    if (t >= 101 && t <= 103) {
        out(" %u>", x->g);
        return;
    }
    if (t == 98) {
        out(" ");
        show_at(A, x->k, depth + 1);
        out(">");
        return;
    }
    out(" n%lld", x->n);
    if (x->n < 0 || x->n > (1LL << 40)) {
        out(" (bad count)>");
        return;
    }
    if (t == 11) {
        for (long long i = 0; i < x->n && i < 1000; i++) {
            out(" ");
            text(kS(x)[i]);
        }
    } else if (t == 0 || t == 99 || (t >= 77 && t <= 97) || (t >= 100 && t <= 112)) {
        for (long long i = 0; i < x->n && i < 1000; i++) {
            out(" ");
            show_at(A, kK(x)[i], depth + 1);
        }
    } else if (item_size(t)) {
        out(" ");
        hex(kG(x), x->n * item_size(t));
    }
    out(">");
}

void diverge(const char *why, int ours_errs) { out("~DIVERGE(%c) %s\n", ours_errs ? 'e' : 'n', why); }

void show(const struct api *A, K x) {
    show_at(A, x, 0);
    out("\n");
}

void pending(const struct api *A) {
    K e = A->ee((K)0);
    if (!e) {
        out("ee(0) gave 0\n");
        return;
    }
    if (e->t != -128) {
        out("ee(0) gave type %d\n", e->t);
    } else if (!e->s) {
        out("no error text\n");
    } else {
        out("error '");
        text(e->s);
        out("\n");
    }
    A->r0(e);
}

void result(const struct api *A, const char *label, K x) {
    out("%s: ", label);
    if (x) show(A, x);
    else {
        out("0, ");
        pending(A);
    }
}

uint64_t rng_next(uint64_t *s) {
    /* splitmix64 */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* ---- samples -------------------------------------------------------------------------------- */

static K longs(const struct api *A, int n, long long first, long long step) {
    K x = A->ktn(7, n);
    for (int i = 0; i < n; i++) kJ(x)[i] = first + i * step;
    return x;
}

static K syms(const struct api *A, const char *names) {
    /* space-separated */
    K x = A->ktn(11, 0);
    char tmp[64];
    const char *p = names;
    while (*p) {
        size_t n = strcspn(p, " ");
        memcpy(tmp, p, n);
        tmp[n] = 0;
        A->js(&x, A->ss(tmp));
        p += n + (p[n] == ' ');
    }
    return x;
}

static K table2(const struct api *A, const char *names, K c1, K c2) {
    return A->xT(A->xD(syms(A, names), A->knk(2, c1, c2)));
}

static K table1(const struct api *A, const char *name, K c) {
    return A->xT(A->xD(syms(A, name), A->knk(1, c)));
}

static const char *names[NSAMPLES] = {
    "null", "kj 42", "ki 7", "kf 1.5", "ks `a", "kc x", "kb 1", "ku", "\"abc\"", "empty string",
    "1 2 3", "`long$()", "2#0i", "2#0f", "`a`b", "`a`b`c", "01b", "0x00010203", "1#0Ng",
    "2 dates", "2 timestamps", "1 time", "()", "(1;`a;\"ab\")", "(1 2;3 4)", "(1 2;3 4;5 6)",
    "`a`b!1 2", "`a`b!(1 2;3 4)", "`a`b!(1 2 3;4 5)", "(1#`a)!enlist 1 2", "1 2!3 4",
    "([]a:1 2;b:3 4)", "([]a:1 2;b:`x`y;c:2 3f)", "([a:1 2]b:3 4)", "([a:1 2;b:3 4]c:5 6)",
    "([]a:`long$())", "`a`b!`x`y", "(1;`a)!(2;3)", "::", "`$()", "`a`b!(1 2;`x`y)",
    "([]a:(1 2;3 4);b:5 6)", "`a`b!([]x:1 2;y:3 4)", "`s#1 2", "`u#1 2", "\"hello\"",
    "(`a`b!1 2;`a`b!3 4)", "1#1b"};

const char *sample_name(int i) { return i >= 0 && i < NSAMPLES ? names[i] : "?"; }

K sample(const struct api *A, int i) {
    U g;
    for (int b = 0; b < 16; b++) g.g[b] = (unsigned char)(b * 17 + 3);
    K x;
    switch (i) {
    case 0: return 0;
    case 1: return A->kj(42);
    case 2: return A->ki(7);
    case 3: return A->kf(1.5);
    case 4: return A->ks("a");
    case 5: return A->kc('x');
    case 6: return A->kb(1);
    case 7: return A->ku(g);
    case 8: return A->kp("abc");
    case 9: return A->ktn(10, 0);
    case 10: return longs(A, 3, 1, 1);
    case 11: return A->ktn(7, 0);
    case 12: x = A->ktn(6, 2); kI(x)[0] = 0; kI(x)[1] = 0; return x;
    case 13: x = A->ktn(9, 2); kF(x)[0] = 0; kF(x)[1] = 0; return x;
    case 14: return syms(A, "a b");
    case 15: return syms(A, "a b c");
    case 16: x = A->ktn(1, 2); kG(x)[0] = 0; kG(x)[1] = 1; return x;
    case 17: x = A->ktn(4, 4); for (int b = 0; b < 4; b++) kG(x)[b] = (unsigned char)b; return x;
    case 18: x = A->ktn(2, 1); memset(kG(x), 0, 16); return x;
    case 19: x = A->ktn(14, 2); kI(x)[0] = 1; kI(x)[1] = 2; return x;
    case 20: x = A->ktn(12, 2); kJ(x)[0] = 1; kJ(x)[1] = 2; return x;
    case 21: x = A->ktn(19, 1); kI(x)[0] = 1000; return x;
    case 22: return A->ktn(0, 0);
    case 23: return A->knk(3, A->kj(1), A->ks("a"), A->kp("ab"));
    case 24: return A->knk(2, longs(A, 2, 1, 1), longs(A, 2, 3, 1));
    case 25: return A->knk(3, longs(A, 2, 1, 1), longs(A, 2, 3, 1), longs(A, 2, 5, 1));
    case 26: return A->xD(syms(A, "a b"), longs(A, 2, 1, 1));
    case 27: return A->xD(syms(A, "a b"), A->knk(2, longs(A, 2, 1, 1), longs(A, 2, 3, 1)));
    case 28: return A->xD(syms(A, "a b"), A->knk(2, longs(A, 3, 1, 1), longs(A, 2, 4, 1)));
    case 29: return A->xD(syms(A, "a"), A->knk(1, longs(A, 2, 1, 1)));
    case 30: return A->xD(longs(A, 2, 1, 1), longs(A, 2, 3, 1));
    case 31: return table2(A, "a b", longs(A, 2, 1, 1), longs(A, 2, 3, 1));
    case 32: {
        K f = A->ktn(9, 2);
        kF(f)[0] = 2;
        kF(f)[1] = 3;
        return A->xT(A->xD(syms(A, "a b c"), A->knk(3, longs(A, 2, 1, 1), syms(A, "x y"), f)));
    }
    case 33: return A->xD(table1(A, "a", longs(A, 2, 1, 1)), table1(A, "b", longs(A, 2, 3, 1)));
    case 34:
        return A->xD(table2(A, "a b", longs(A, 2, 1, 1), longs(A, 2, 3, 1)),
                     table1(A, "c", longs(A, 2, 5, 1)));
    case 35: return A->xT(A->xD(syms(A, "a"), A->knk(1, A->ktn(7, 0))));
    case 36: return A->xD(syms(A, "a b"), syms(A, "x y"));
    case 37: return A->xD(A->knk(2, A->kj(1), A->ks("a")), A->knk(2, A->kj(2), A->kj(3)));
    case 38: return A->ktj(101, 0); /* libe.so's ka(101) leaves the code unset */
    case 39: return A->ktn(11, 0);
    case 40: return A->xD(syms(A, "a b"), A->knk(2, longs(A, 2, 1, 1), syms(A, "x y")));
    case 41:
        return A->xT(A->xD(syms(A, "a b"),
                           A->knk(2, A->knk(2, longs(A, 2, 1, 1), longs(A, 2, 3, 1)),
                                  longs(A, 2, 5, 1))));
    case 42: return A->xD(syms(A, "a b"), table2(A, "x y", longs(A, 2, 1, 1), longs(A, 2, 3, 1)));
    case 43: x = longs(A, 2, 1, 1); x->u = 1; return x;
    case 44: x = longs(A, 2, 1, 1); x->u = 2; return x;
    case 45: return A->kp("hello");
    case 46:
        return A->knk(2, A->xD(syms(A, "a b"), longs(A, 2, 1, 1)),
                      A->xD(syms(A, "a b"), longs(A, 2, 3, 1)));
    case 47: x = A->ktn(1, 1); kG(x)[0] = 1; return x;
    }
    return 0;
}

/* ---- random objects ------------------------------------------------------------------------- */

static const char *pool[] = {"", "a", "b", "abc", "trade", "x y", "\xc3\xa9t\xc3\xa9", "ab\x01",
                             "sym_long_name_0123456789", "IBM.N"};
#define POOL (int)(sizeof pool / sizeof *pool)
static const int simple_types[] = {1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
#define NSIMPLE (int)(sizeof simple_types / sizeof *simple_types)

/* One random item of type t written at p (symbols: an interned pointer). */
static void random_item(const struct api *A, uint64_t *s, int t, unsigned char *p) {
    uint64_t r = rng_next(s);
    int size = item_size(t);
    if (t == 11) {
        char *sym = A->ss((char *)pool[r % POOL]);
        memcpy(p, &sym, sizeof sym);
        return;
    }
    if (t == 1) {
        *p = r & 1;
        return;
    }
    int special = (r >> 8) % 8;
    uint64_t v = rng_next(s);
    if (special == 0) v = 0;
    if (t == 9 || t == 15) {
        double d = special == 1 ? 0 / 0.0 : special == 2 ? 1 / 0.0 : special == 3 ? -1 / 0.0
                   : special < 6 ? (double)(int64_t)(v % 20001) / 8 - 1000 : 0;
        if (special >= 6) memcpy(&d, &v, 8);
        memcpy(p, &d, 8);
        return;
    }
    if (t == 8) {
        float e = special == 1 ? 0 / 0.0f : special == 2 ? 1 / 0.0f : (float)(int)(v % 2001) / 4;
        memcpy(p, &e, 4);
        return;
    }
    if (special == 1) v = 1ULL << (size * 8 - 1); /* null */
    else if (special == 2) v = (1ULL << (size * 8 - 1)) - 1; /* infinity */
    else if (special == 3) v = ((1ULL << (size * 8 - 1)) - 1) * (uint64_t)-1; /* -infinity */
    else if (special < 6 && size <= 8) v %= 1000;
    if (t == 2) {
        for (int b = 0; b < 16; b++) p[b] = (unsigned char)rng_next(s);
        return;
    }
    memcpy(p, &v, (size_t)size);
}

static K random_vector(const struct api *A, uint64_t *s, int t, long long n) {
    K x = A->ktn(t, n);
    if (!x) return x;
    for (long long i = 0; i < n; i++) random_item(A, s, t, kG(x) + i * item_size(t));
    if (rng_next(s) % 4 == 0) {
        static const char attrs[] = {1, 2, 3, 5};
        x->u = attrs[rng_next(s) % 4];
    }
    return x;
}

static K gen(const struct api *A, uint64_t *s, int depth);

static K random_table(const struct api *A, uint64_t *s, int depth, int ncols, long long rows,
                      int first_name) {
    static const char *cols[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
    K names = A->ktn(11, 0), values = A->ktn(0, 0);
    for (int c = 0; c < ncols; c++) {
        A->js(&names, A->ss((char *)cols[first_name + c]));
        K col;
        if (depth > 0 && rng_next(s) % 5 == 0) {
            col = A->ktn(0, 0);
            for (long long i = 0; i < rows; i++)
                A->jk(&col, random_vector(A, s, 10, (long long)(rng_next(s) % 4)));
        } else {
            col = random_vector(A, s, simple_types[rng_next(s) % NSIMPLE], rows);
            col->u = 0;
        }
        A->jk(&values, col);
    }
    return A->xT(A->xD(names, values));
}

static K gen(const struct api *A, uint64_t *s, int depth) {
    uint64_t r = rng_next(s);
    int kind = (int)(r % (depth > 0 ? 11 : 5));
    int t = simple_types[(r >> 8) % NSIMPLE];
    long long n = (long long)((r >> 16) % 6);
    switch (kind) {
    case 0: { /* an atom of any simple type */
        K x = A->ka(-t);
        unsigned char item[16];
        random_item(A, s, t, item);
        memcpy(t == 2 ? kG(x) : &x->g, item, (size_t)item_size(t));
        return x;
    }
    case 1: return random_vector(A, s, t, n);
    case 2: return random_vector(A, s, 10, n * 3);
    case 3: return random_vector(A, s, 11, n);
    case 4: /* long and repetitive: b9 compresses these where the mode allows it */
        if ((r >> 24) % 2) {
            long long m = 600 + (long long)((r >> 32) % 3000);
            K x = A->ktn(7, m);
            for (long long i = 0; i < m; i++) kJ(x)[i] = (i / 7) % 5;
            return x;
        } else {
            long long m = 2000 + (long long)((r >> 32) % 5000);
            K x = A->ktn(10, m);
            for (long long i = 0; i < m; i++) kC(x)[i] = "abcab"[i % 5];
            return x;
        }
    case 5: case 6: { /* a general list */
        K x = A->ktn(0, 0);
        for (long long i = 0; i < n; i++) A->jk(&x, gen(A, s, depth - 1));
        return x;
    }
    case 7: { /* a dictionary */
        K keys = (r >> 40) % 2 ? random_vector(A, s, 7, n) : A->ktn(11, 0);
        if (keys->t == 11)
            for (long long i = 0; i < n; i++) {
                char name[24];
                snprintf(name, sizeof name, "k%lld", i);
                A->js(&keys, A->ss(name));
            }
        keys->u = 0;
        K values;
        if ((r >> 41) % 2) values = random_vector(A, s, t, n), values->u = 0;
        else {
            values = A->ktn(0, 0);
            for (long long i = 0; i < n; i++) A->jk(&values, gen(A, s, depth - 1));
        }
        K d = A->xD(keys, values);
        if (d && (r >> 42) % 8 == 0) d->u = 1; /* a sorted dictionary */
        return d;
    }
    case 8: return random_table(A, s, depth, 1 + (int)((r >> 40) % 4), n, 0);
    case 9: { /* a keyed table */
        int kc = 1 + (int)((r >> 40) % 2), vc = 1 + (int)((r >> 42) % 3);
        K k = random_table(A, s, 0, kc, n, 0), v = random_table(A, s, depth, vc, n, kc);
        return A->xD(k, v);
    }
    default: return A->ktj(101, 0);
    }
}

K random_object(const struct api *A, uint64_t seed, int depth) {
    uint64_t s = seed * 0x2545f4914f6cdd1dULL + 1;
    return gen(A, &s, depth);
}
