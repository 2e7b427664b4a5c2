/* Serialization: b9 d9 okx. b9 of every sample in every mode (bytes compared exactly), random
 * objects of every shape through b9 and d9 both ways (ours' bytes into KX's d9 and KX's into
 * ours), and d9/okx of hand-made, truncated, corrupted, oversized and mistyped messages. */
#include <string.h>

#include "harness.h"

extern const struct api *OTHER;

static void bytes_of(K x) {
    if (!x) {
        out("0");
        return;
    }
    out("t%d n%lld ", x->t, x->n);
    if (x->t == 4 || x->t == 10) {
        uint64_t h = 1469598103934665603ULL;
        for (long long i = 0; i < x->n; i++) h = (h ^ kG(x)[i]) * 1099511628211ULL;
        long long show_n = x->n < 48 ? x->n : 48;
        for (long long i = 0; i < show_n; i++) out("%02x", kG(x)[i]);
        if (x->n > 48) out("..fnv %016llx", (unsigned long long)h);
    }
}

/* Whether the message's object can be read within its bytes as libe.so reads it (from byte 8,
 * whatever the header's length says): every count, string and item inside the buffer, every
 * type one libe.so decodes (not 3, 77..97, 112 or unknown ones; primitive codes within its
 * tables). Where this fails libe.so reads past the buffer or crashes and ours says 'badmsg. */
static int fits(const unsigned char *b, long long n) {
    long long pos = 8, pending = 1;
    int swap = b[0] != 1;
#define NEED_BYTES(k) do { if ((k) < 0 || pos + (k) > n) return 0; } while (0)
    while (pending-- > 0) {
        NEED_BYTES(1);
        signed char t = (signed char)b[pos++];
        if (t == -128 || t == -11) {
            while (pos < n && b[pos]) pos++;
            if (pos >= n) return 0;
            pos++;
            continue;
        }
        if (t < 0) {
            int size = t == -2 ? 16 : item_bytes(-t);
            if (!size || t == -3 || t < -19) return 0; /* enumerations: see README */
            NEED_BYTES(size);
            pos += size;
            continue;
        }
        if (t <= 19 && t != 3) {
            NEED_BYTES(5);
            unsigned char attr = b[pos++];
            long long count;
            if (attr & 0x80) {
                NEED_BYTES(8);
                unsigned char c[8];
                for (int k = 0; k < 8; k++) c[k] = b[pos + (swap ? 7 - k : k)];
                memcpy(&count, c, 8);
                pos += 8;
            } else {
                unsigned char c[4];
                NEED_BYTES(4);
                for (int k = 0; k < 4; k++) c[k] = b[pos + (swap ? 3 - k : k)];
                int c32;
                memcpy(&c32, c, 4);
                count = c32;
                pos += 4;
            }
            if (count < 0 || count > n) return 0;
            if (t == 0) pending += count;
            else if (t == 11) {
                for (long long k = 0; k < count; k++) {
                    while (pos < n && b[pos]) pos++;
                    if (pos >= n) return 0;
                    pos++;
                }
            } else {
                NEED_BYTES(count * item_bytes(t));
                pos += count * item_bytes(t);
            }
            continue;
        }
        switch ((unsigned char)t) {
        case 98: /* a table: its dictionary must follow (libe.so crashes on anything else) */
            NEED_BYTES(2);
            pos++;
            if (b[pos] != 99 && b[pos] != 127) return 0;
            pending++;
            break;
        case 99: case 127: pending += 2; break;
        case 100:
            while (pos < n && b[pos]) pos++;
            if (pos >= n) return 0;
            pos++;
            pending++;
            break;
        case 101: case 102: case 103: {
            static const int max[] = {44, 36, 5};
            NEED_BYTES(1);
            if (b[pos++] > max[t - 101]) return 0;
            break;
        }
        case 104: case 105: {
            NEED_BYTES(4);
            unsigned char c[4];
            for (int k = 0; k < 4; k++) c[k] = b[pos + (swap ? 3 - k : k)];
            int c32;
            memcpy(&c32, c, 4);
            pos += 4;
            if (c32 < 0 || c32 > n) return 0;
            pending += c32;
            break;
        }
        case 106: case 107: case 108: case 109: case 110: case 111: pending++; break;
        default: return 0;
        }
    }
    return 1;
#undef NEED_BYTES
}

/* The derived functions (106..111) inside a message: libe.so keeps the function in the
 * object's value (no count), ours as a one-item list, the interpreter's shape. */
static int has_derived(const unsigned char *b, long long n) {
    for (long long k = 8; k < n; k++)
        if (b[k] >= 106 && b[k] <= 111) return 1;
    return 0;
}

static void p_b9_samples(const struct api *A, int i) {
    int mode = i % 9 - 2, s = i / 9;
    K x = sample(A, s);
    if (!x) {
        out("b9(%d, NULL): ", mode);
        result(A, "", A->b9(mode, 0));
        return;
    }
    out("b9(%d, %s): ", mode, sample_name(s));
    K b = A->b9(mode, x);
    if (b && mode < 0) {
        /* In-process form: symbols are the library's own pointers. */
        out("t%d n%lld header %02x%02x%02x%02x\n", b->t, b->n, kG(b)[0], kG(b)[1], kG(b)[2], kG(b)[3]);
    } else if (b) {
        bytes_of(b);
        out("\n");
    } else {
        out("0 ");
        pending(A);
    }
    out("  x after: ");
    show(A, x);
    if (b) {
        K y = A->d9(b);
        result(A, "  d9", y);
        if (y) A->r0(y);
        A->r0(b);
    }
    A->r0(x);
}

/* b9 of a random object in mode 3, d9 back in the same library, and the bytes into the other
 * library's d9 (ours' bytes into KX's d9 in our child, KX's into ours in KX's child). */
static void p_b9_random(const struct api *A, int i) {
    static const int modes[] = {3, 11, 2, 1, 0, -1, 8, 6};
    int mode = modes[i % 8];
    K x = random_object(A, (uint64_t)i, 3);
    out("object %d: ", i);
    show(A, x);
    K b = A->b9(mode, x);
    out("b9(%d): ", mode);
    if (!b) {
        pending(A);
        A->r0(x);
        return;
    }
    if (mode < 0) out("t%d n%lld header %02x%02x%02x%02x", b->t, b->n, kG(b)[0], kG(b)[1], kG(b)[2], kG(b)[3]);
    else bytes_of(b);
    out("\n");
    K y = A->d9(b);
    result(A, "d9", y);
    if (mode < 0) { /* pointers into one library's symbols mean nothing to the other */
        if (y) A->r0(y);
        A->r0(b);
        A->r0(x);
        return;
    }
    K c = OTHER->ktn(4, b->n);
    memcpy(kG(c), kG(b), (size_t)b->n);
    K z = OTHER->d9(c);
    out("other d9: ");
    if (z) show(OTHER, z);
    else {
        out("0 ");
        pending(OTHER);
    }
    if (z) OTHER->r0(z);
    OTHER->r0(c);
    if (y) A->r0(y);
    A->r0(b);
    A->r0(x);
}

/* ---- hand-made messages ---------------------------------------------------------------------- */

struct msg {
    unsigned char b[4096];
    int n;
};

static void put(struct msg *m, const void *p, int n) {
    memcpy(m->b + m->n, p, (size_t)n);
    m->n += n;
}
static void put1(struct msg *m, int v) {
    unsigned char c = (unsigned char)v;
    put(m, &c, 1);
}
static void put4(struct msg *m, int v) { put(m, &v, 4); }
static void put8(struct msg *m, long long v) { put(m, &v, 8); }
static void header(struct msg *m) {
    m->n = 0;
    put1(m, 1);
    put1(m, 2);
    put1(m, 0);
    put1(m, 0);
    put4(m, 0);
}
static void finish(struct msg *m) { memcpy(m->b + 4, &m->n, 4); }

/* Base message `w` (a valid or interesting body). */
#define NBASE 30
static void base(struct msg *m, int w) {
    header(m);
    switch (w) {
    case 0: put1(m, -7); put8(m, 42); break;                       /* 42 */
    case 1: put1(m, 7); put1(m, 0); put4(m, 3); put8(m, 1); put8(m, 2); put8(m, 3); break;
    case 2: put1(m, 11); put1(m, 0); put4(m, 2); put(m, "a\0bc\0", 5); break;
    case 3: put1(m, 10); put1(m, 0); put4(m, 5); put(m, "hello", 5); break;
    case 4: put1(m, -128); put(m, "boom\0", 5); break;             /* an error */
    case 5: /* {x+1} */
        put1(m, 100); put(m, "\0", 1); put1(m, 10); put1(m, 0); put4(m, 5); put(m, "{x+1}", 5);
        break;
    case 6: /* `a`b!1 2 */
        put1(m, 99); put1(m, 11); put1(m, 0); put4(m, 2); put(m, "a\0b\0", 4);
        put1(m, 7); put1(m, 0); put4(m, 2); put8(m, 1); put8(m, 2);
        break;
    case 7: /* ([]a:1 2) */
        put1(m, 98); put1(m, 0); put1(m, 99); put1(m, 11); put1(m, 0); put4(m, 1); put(m, "a\0", 2);
        put1(m, 0); put1(m, 0); put4(m, 1); put1(m, 7); put1(m, 0); put4(m, 2); put8(m, 1); put8(m, 2);
        break;
    case 8: /* (1;"a") */
        put1(m, 0); put1(m, 0); put4(m, 2); put1(m, -7); put8(m, 1); put1(m, -10); put1(m, 'a');
        break;
    case 9: put1(m, 101); put1(m, 0); break;                       /* :: */
    case 10: put1(m, 102); put1(m, 1); break;                      /* + */
    case 11: put1(m, 103); put1(m, 0); break;
    case 12: /* a projection {x+y}[1] */
        put1(m, 104); put4(m, 2);
        put1(m, 100); put(m, "\0", 1); put1(m, 10); put1(m, 0); put4(m, 5); put(m, "{x+y}", 5);
        put1(m, -7); put8(m, 1);
        break;
    case 13: put1(m, 106); put1(m, 102); put1(m, 1); break;        /* +' */
    case 14: put1(m, 107); put1(m, 102); put1(m, 1); break;        /* +/ */
    case 15: put1(m, 105); put4(m, 2); put1(m, 101); put1(m, 2); put1(m, 101); put1(m, 3); break;
    case 16: /* 300 nested single-item lists around 1 */
        for (int d = 0; d < 300; d++) { put1(m, 0); put1(m, 0); put4(m, 1); }
        put1(m, -7); put8(m, 1);
        break;
    case 17: /* 255 deep */
        for (int d = 0; d < 255; d++) { put1(m, 0); put1(m, 0); put4(m, 1); }
        put1(m, -7); put8(m, 1);
        break;
    case 18: put1(m, 20); put1(m, 0); put4(m, 1); put4(m, 0); put4(m, 0); break; /* enum */
    case 19: put1(m, -20); put4(m, 0); put4(m, 0); break;
    case 20: put1(m, 112); put1(m, 0); break;                      /* foreign */
    case 21: put1(m, 2); put1(m, 0); put4(m, 1); for (int b = 0; b < 16; b++) put1(m, b); break;
    case 22: put1(m, -2); for (int b = 0; b < 16; b++) put1(m, b); break;
    case 23: put1(m, 77); put1(m, 0); put4(m, 0); break;           /* anymap */
    case 24: put1(m, 7); put1(m, 1); put4(m, 2); put8(m, 1); put8(m, 2); break; /* `s#1 2 */
    case 25: put1(m, 7); put1(m, 3); put4(m, 2); put8(m, 1); put8(m, 1); break; /* `p# */
    case 26: put1(m, 7); put1(m, 9); put4(m, 2); put8(m, 1); put8(m, 1); break; /* attr 9 */
    case 27: put1(m, 99); put1(m, 7); put1(m, 1); put4(m, 1); put8(m, 1); put1(m, 7); put1(m, 0);
        put4(m, 1); put8(m, 2); break; /* sorted dict */
    case 28: put1(m, 127); put1(m, 0); break;                      /* unknown type */
    default: put1(m, -12); put8(m, 5); break;                      /* a timestamp */
    }
    finish(m);
}

static K to_bytes(const struct api *A, const struct msg *m, int t) {
    K x = A->ktn(t, m->n);
    memcpy(kG(x), m->b, (size_t)m->n);
    return x;
}

static void decode(const struct api *A, K x) {
    const unsigned char *b = kG(x);
    long long n = x->t > 0 && x->t < 20 ? x->n : 0; /* d9 reads the first n bytes */
    if (n > 9 && b[8] == 0x80) {
        if (!memchr(b + 9, 0, (size_t)(n - 9)))
            diverge("d9 of an error message without its NUL: libe.so reads past the buffer", 1);
    } else if (n > 9 && (b[2] == 1 || b[2] == 2)) {
        /* compressed: what is inside is checked after decompressing */
    } else if (n > 9 && !fits(b, n)) {
        diverge("d9 of a message whose object does not fit its bytes or has a type libe.so cannot read (or reads as 4-byte enumerations): libe.so reads past the buffer, crashes or returns garbage", 1);
    } else if (n > 9 && has_derived(b, n)) {
        diverge("d9 of a derived function (106..111): libe.so keeps the function in the value, ours as a one-item list", 0);
    }
    K before = A->r1(x);
    int ok = A->okx(x);
    out("okx %d; ", ok);
    K y = A->d9(x);
    result(A, "d9", y);
    if (y) A->r0(y);
    out("  arg r %d\n", before->r);
    A->r0(before);
    A->r0(x);
}

/* Every base message: as is, as a char vector, as other types, with the buffer longer or
 * shorter than the header says, with each message type and byte order. */
static void p_d9_base(const struct api *A, int i) {
    struct msg m;
    int w = i % NBASE, variant = i / NBASE;
    base(&m, w);
    out("message %d variant %d\n", w, variant);
    switch (variant) {
    case 0: decode(A, to_bytes(A, &m, 4)); break;
    case 1: decode(A, to_bytes(A, &m, 10)); break;          /* a char vector, as PyKX passes */
    case 2: put(&m, "\0\0\0\0\0\0\0\0", 8); decode(A, to_bytes(A, &m, 4)); break; /* longer */
    case 3: m.n -= 1; decode(A, to_bytes(A, &m, 4)); break;  /* shorter */
    case 4: m.b[1] = 0; decode(A, to_bytes(A, &m, 4)); break; /* async */
    case 5: m.b[1] = 1; decode(A, to_bytes(A, &m, 4)); break; /* sync */
    case 6: m.b[1] = 7; decode(A, to_bytes(A, &m, 4)); break;
    case 7: m.b[0] = 0; decode(A, to_bytes(A, &m, 4)); break; /* big-endian flag */
    case 8: m.b[3] = 5; decode(A, to_bytes(A, &m, 4)); break;
    case 9: { int big = m.n + 1000; memcpy(m.b + 4, &big, 4); decode(A, to_bytes(A, &m, 4)); break; }
    case 10: { int neg = -1; memcpy(m.b + 4, &neg, 4); decode(A, to_bytes(A, &m, 4)); break; }
    case 11: /* claims compression */
        m.b[2] = 1;
        diverge("d9 of a message that claims compression but does not decompress: libe.so keeps a reference to the argument (a leak)", 1);
        decode(A, to_bytes(A, &m, 4));
        break;
    case 12: decode(A, to_bytes(A, &m, 7)); break;             /* not bytes at all */
    default: { K x = A->ktn(4, 0); decode(A, x); break; }
    }
}

/* Truncations and corruptions of the base messages. */
static void p_d9_mutate(const struct api *A, int i) {
    struct msg m;
    int w = i % NBASE, k = i / NBASE;
    base(&m, w);
    if (m.n > 120) m.n = 120, finish(&m);
    int kind = k % 3, pos = (k / 3) % m.n;
    if (kind == 0) {
        m.n = pos;
        out("message %d cut to %d\n", w, pos);
    } else {
        static const unsigned char vals[] = {0xff, 0x80, 0x7f, 0x00, 0x01, 0xf0};
        unsigned char v = vals[(k / 3 / m.n + kind) % 6];
        out("message %d byte %d = %02x\n", w, pos, v);
        if (pos >= 4 && pos < 8) pos = 8 + pos % (m.n - 8 > 0 ? m.n - 8 : 1);
        m.b[pos] = v;
    }
    decode(A, to_bytes(A, &m, 4));
}

/* Random bodies behind a valid header. */
static void p_d9_random(const struct api *A, int i) {
    struct msg m;
    header(&m);
    uint64_t s = (uint64_t)i * 1000003;
    int n = 1 + (int)(rng_next(&s) % 40);
    static const signed char types[] = {0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 19,
                                        98, 99, -1, -7, -9, -11, -14, -128, 100, 101, 104, 106};
    put1(&m, types[rng_next(&s) % sizeof types]);
    for (int b = 1; b < n; b++) {
        uint64_t r = rng_next(&s);
        put1(&m, r % 3 == 0 ? (int)(r >> 8) % 4 : (int)(r >> 16));
    }
    finish(&m);
    out("random message %d: ", i);
    for (int b = 8; b < m.n; b++) out("%02x", m.b[b]);
    out("\n");
    decode(A, to_bytes(A, &m, 4));
}

/* Compressed messages: b9 of large repetitive data in each mode (the bytes are compared), then
 * okx and d9 of them, truncated and corrupted too. */
static void p_compressed(const struct api *A, int i) {
    int mode = i % 14 - 1, variant = i / 14;
    K x = A->ktn(7, 5000);
    for (int j = 0; j < 5000; j++) kJ(x)[j] = j % 7;
    K b = A->b9(mode, x);
    A->r0(x);
    out("b9(%d) of 5000 longs: ", mode);
    if (!b) {
        pending(A);
        return;
    }
    bytes_of(b);
    out(" compressed %d\n", b->n > 2 ? kG(b)[2] : -1);
    if (variant >= 1 && variant <= 3 && kG(b)[2])
        diverge("d9 of a corrupted compressed message: libe.so decompresses past the buffers", 1);
    switch (variant) {
    case 0: break;
    case 1: b->n -= 10; break;
    case 2: if (b->n > 40) kG(b)[30] ^= 0x55; break;
    case 3: if (b->n > 12) kG(b)[8] ^= 0x10; break; /* the uncompressed length */
    default: { K c = A->ktn(10, b->n); memcpy(kG(c), kG(b), (size_t)b->n); A->r0(b); b = c; }
    }
    decode(A, b);
}

const struct probe probes_wire[] = {
    {"b9_samples", p_b9_samples, 9 * NSAMPLES, 1},
    {"b9_random", p_b9_random, 600, 1},
    {"d9_base", p_d9_base, NBASE * 14, 1},
    {"d9_mutate", p_d9_mutate, NBASE * 40, 1},
    {"d9_random", p_d9_random, 400, 1},
    {"compressed", p_compressed, 14 * 5, 1},
    {0, 0, 0, 0},
};
