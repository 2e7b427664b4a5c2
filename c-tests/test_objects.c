/* The data half of the k.h API: constructors, ownership, joins, symbols, errors, calendar. */
#include <math.h>
#include <stdint.h>
#include <errno.h>
#include "k.h"
#include "check.h"

static void atoms(void) {
    K x;
    x = kb(1);  CHECK(x->t == -KB && x->g == 1); r0(x);
    x = kg(0xab); CHECK(x->t == -KG && x->g == 0xab); r0(x);
    x = kh(-3); CHECK(x->t == -KH && x->h == -3); r0(x);
    x = kh(nh); CHECK(x->h == (H)nh); r0(x);
    x = ki(ni); CHECK(x->t == -KI && x->i == ni); r0(x);
    x = kj(nj); CHECK(x->t == -KJ && x->j == nj); r0(x);
    x = ke(1.5); CHECK(x->t == -KE && x->e == 1.5f); r0(x);
    x = kf(nf); CHECK(x->t == -KF && isnan(x->f)); r0(x);
    x = kf(wf); CHECK(isinf(x->f) && x->f > 0); r0(x);
    x = kc('q'); CHECK(x->t == -KC && x->g == 'q'); r0(x);
    x = ks("trade"); CHECK(x->t == -KS && x->s == ss("trade")); r0(x);
    x = kd(ymd(2024, 1, 2)); CHECK(x->t == -KD && x->i == 8767); r0(x);
    x = kz(1.5); CHECK(x->t == -KZ && x->f == 1.5); r0(x);
    x = kt(1000); CHECK(x->t == -KT && x->i == 1000); r0(x);
    x = ktj(-KP, 5); CHECK(x->t == -KP && x->j == 5); r0(x);
    x = ktj(-KN, nj); CHECK(x->t == -KN && x->j == nj); r0(x);
    x = ka(-KJ); CHECK(x->t == -KJ && x->r == 0); r0(x);
    x = ka(101); CHECK(x->t == 101 && x->g == 0); r0(x);
    U g; for (int i = 0; i < 16; i++) g.g[i] = (G)i;
    x = ku(g); CHECK(x->t == -UU && memcmp(kU(x)[0].g, g.g, 16) == 0); r0(x);
    x = kp("hello"); CHECK(x->t == KC && x->n == 5 && memcmp(kC(x), "hello", 5) == 0); r0(x);
    x = kpn("a\0b", 3); CHECK(x->t == KC && x->n == 3 && kC(x)[1] == 0 && kC(x)[2] == 'b'); r0(x);
}

static void refcounts(void) {
    K x = ktn(KJ, 2);
    CHECK(x->r == 0);
    CHECK(r1(x) == x && x->r == 1);
    r0(x);
    CHECK(x->r == 0);
    r0(x);
    r0((K)0); /* harmless */
}

static void lists_and_ownership(void) {
    K a = kp("abc");
    r1(a); /* keep one reference to watch the count */
    K l = knk(3, a, kj(1), ks("x"));
    CHECK(l->t == 0 && l->n == 3 && kK(l)[0] == a && kK(l)[1]->j == 1);
    CHECK(a->r == 1);
    r0(l);
    CHECK(a->r == 0);
    r0(a);

    K e = knk(0);
    CHECK(e->t == 0 && e->n == 0);
    r0(e);

    K s = ktn(KS, 2);
    CHECK(kS(s)[0] == ss("") && kS(s)[1] == ss("")); /* fresh symbol lists hold the null symbol */
    r0(s);

    K g = ktn(0, 2);
    CHECK(g->n == 2 && kK(g)[0] == 0 && kK(g)[1] == 0); /* null items, for the host to fill */
    kK(g)[0] = kj(7);
    kK(g)[1] = kj(8);
    r0(g);

    /* knk keeps a null item null (KX's does); the host fills it before using the list. */
    K h = knk(2, kj(1), (K)0);
    CHECK(h->n == 2 && kK(h)[1] == 0);
    /* A half-built list is refused where an object must be read, not crashed on. */
    CHECK(b9(3, h) == 0);
    K holes = ee(0);
    CHECK(strcmp(holes->s, "type") == 0);
    r0(holes);
    kK(h)[1] = kj(2);
    r0(h);

    /* A dictionary built by hand, as KX's ktn allows. */
    K raw = ktn(XD, 2);
    CHECK(raw && raw->t == XD && kK(raw)[0] == 0 && kK(raw)[1] == 0);
    kK(raw)[0] = kj(1);
    kK(raw)[1] = kj(2);
    r0(raw);

    /* A negative type gives that atom with the count as its value (kdb+'s ktn). */
    K atom = ktn(-KJ, 5);
    CHECK(atom->t == -KJ && atom->j == 5);
    r0(atom);

    /* Memory the system refuses is 'wsfull, and the host goes on. */
    CHECK(ktn(KJ, 1LL << 45) == 0);
    K full = ee(0);
    CHECK(full->t == -128 && strcmp(full->s, "wsfull") == 0);
    r0(full);

    CHECK(ktn(KJ, -1) == 0);
    K err = ee(0);
    CHECK(err->t == -128 && strcmp(err->s, "length") == 0);
    r0(err);
}

static K table_ab(void) {
    K cols = ktn(KS, 2);
    kS(cols)[0] = ss("a");
    kS(cols)[1] = ss("b");
    K a = ktn(KJ, 3), b = ktn(KF, 3);
    for (int i = 0; i < 3; i++) { kJ(a)[i] = i; kF(b)[i] = i / 2.0; }
    return xT(xD(cols, knk(2, a, b)));
}

static void dicts_and_tables(void) {
    K d = xD(ktn(KS, 0), ktn(KJ, 0));
    CHECK(d->t == XD && d->n == 2 && kK(d)[0]->t == KS && kK(d)[1]->t == KJ);
    r0(d);

    /* xD with null values: the keys are released, 0 comes back, the pending error stays. */
    K k = r1(ktn(KS, 1));
    kS(k)[0] = ss("a");
    krr("earlier");
    CHECK(xD(k, (K)0) == 0);
    CHECK(k->r == 0);
    K err = ee(0);
    CHECK(err->t == -128 && strcmp(err->s, "earlier") == 0);
    r0(err);
    r0(k);
    /* xD checks nothing, as KX's: counts may differ, and a null key is kept to be filled. */
    d = xD(ktn(KS, 1), ktn(KJ, 2));
    CHECK(d && d->t == XD && kK(d)[0]->n == 1 && kK(d)[1]->n == 2);
    r0(d);
    d = xD((K)0, kj(1));
    CHECK(d && kK(d)[0] == 0 && kK(d)[1]->j == 1);
    kK(d)[0] = kj(0);
    r0(d);

    K t = table_ab();
    CHECK(t && t->t == XT && t->k->t == XD && kK(t->k)[0]->n == 2);
    /* knt leaves the table with its caller; the keyed table shares its columns. */
    K kt = knt(1, t);
    CHECK(kt && kt->t == XD && kK(kt)[0]->t == XT && kK(kt)[1]->t == XT);
    CHECK(t->r == 0 && kK(kK(t->k)[1])[0]->r == 1);
    CHECK(kS(kK(kK(kt)[0]->k)[0])[0] == ss("a"));
    CHECK(knt(2, t) == 0); /* as many key columns as columns: 'length, t still ours */
    err = ee(0);
    CHECK(strcmp(err->s, "length") == 0 && t->r == 0);
    r0(err);
    r0(t);
    K back = ktd(kt);
    CHECK(back && back->t == XT && kK(back->k)[0]->n == 2 && kS(kK(back->k)[0])[1] == ss("b"));
    r0(back);

    /* xT needs symbol keys ('nyi otherwise) and takes the dictionary even then. */
    CHECK(xT(xD(ktn(KJ, 1), ktn(KJ, 1))) == 0);
    err = ee(0);
    CHECK(strcmp(err->s, "nyi") == 0);
    r0(err);
    /* It does not look at the columns (KX's neither). */
    K ragged = xT(xD(ktn(KS, 2), knk(2, ktn(KJ, 1), ktn(KJ, 2))));
    CHECK(ragged && ragged->t == XT);
    r0(ragged);
    /* A table-valued dictionary, as KX builds it. */
    K names = ktn(KS, 2);
    kS(names)[0] = ss("x");
    kS(names)[1] = ss("y");
    K tv = xD(names, table_ab());
    CHECK(tv && tv->t == XD && kK(tv)[1]->t == XT);
    r0(tv);
    CHECK(ktd(kj(1)) == 0);
    r0(ee(0));
    K one = kj(1);
    CHECK(knt(1, one) == 0);
    r0(ee(0));
    r0(one);
}

static void joins(void) {
    K x = ktn(KJ, 0);
    for (J i = 0; i < 1000000; i++) ja(&x, &i);
    CHECK(x->n == 1000000 && kJ(x)[999999] == 999999);
    r0(x);

    K s = ktn(KS, 0);
    js(&s, ss("a"));
    js(&s, ss("b"));
    CHECK(s->n == 2 && kS(s)[1] == ss("b"));

    K l = knk(0);
    jk(&l, kj(1));
    jk(&l, s);
    CHECK(l->n == 2 && kK(l)[1] == s);
    r0(l);

    K a = ktn(KI, 2), b = ktn(KI, 3);
    kI(a)[0] = 1; kI(a)[1] = 2;
    for (int i = 0; i < 3; i++) kI(b)[i] = 10 + i;
    jv(&a, b);
    CHECK(a->n == 5 && kI(a)[4] == 12);
    CHECK(b->r == 0 && b->n == 3); /* jv leaves y with its caller */
    r0(b);

    /* ja of a K into a general list stores it with a reference of its own. */
    K g = knk(0), item = kp("z");
    ja(&g, &item);
    CHECK(g->n == 1 && kK(g)[0] == item && item->r == 1);
    r0(g);
    CHECK(item->r == 0);
    r0(item);

    /* s# survives an append that keeps the order, not one that breaks it. */
    K sorted = ktn(KJ, 2);
    kJ(sorted)[0] = 1; kJ(sorted)[1] = 2;
    sorted->u = 1;
    J next = 3, back = 0;
    ja(&sorted, &next);
    CHECK(sorted->u == 1);
    ja(&sorted, &back);
    CHECK(sorted->u == 0);
    r0(sorted);

    /* Appending to a shared list copies it: the other holder sees no change. */
    K shared = r1(a);
    I y = 99;
    ja(&a, &y);
    CHECK(a != shared && a->n == 6 && shared->n == 5 && shared->r == 0);
    r0(shared);
    r0(a);

    /* Type mismatches fail cleanly. */
    K c = ktn(KJ, 0);
    CHECK(js(&c, ss("x")) == 0);
    r0(ee(0));
    K f = ktn(KI, 1);
    CHECK(jv(&c, f) == 0); /* 4-byte items onto 8-byte ones */
    r0(ee(0));
    CHECK(c->n == 0 && f->r == 0);
    r0(f);
    K ts = ktn(KP, 1);
    kJ(ts)[0] = 7;
    CHECK(jv(&c, ts) == c && c->n == 1 && kJ(c)[0] == 7); /* same size: KX appends the bytes */
    r0(ts);
    r0(c);
}

static void symbols(void) {
    S a = ss("quote");
    char buf[] = "quote";
    CHECK(ss(buf) == a);
    buf[0] = 'Q';
    CHECK(strcmp(a, "quote") == 0); /* interned copies do not alias the host's buffer */
    CHECK(sn("quotes", 5) == a);
    CHECK(ss("") == sn("abc", 0));
    /* sn interns exactly n bytes: an embedded NUL makes a symbol of its own (KX's too). */
    S nul = sn("ab\0c", 3);
    CHECK(nul != ss("ab") && strcmp(nul, "ab") == 0 && nul == sn("ab\0d", 3));
    I prev = setm(1);
    CHECK(setm(prev) == 1);
}

static void errors(void) {
    static char msg[] = "custom";
    CHECK(krr(msg) == 0);
    K e = ee(0);
    CHECK(e->t == -128 && e->s == msg); /* the caller's own pointer, as KX keeps it */
    r0(e);
    e = ee(0); /* nothing pending: an error object with no text */
    CHECK(e->t == -128 && e->s == 0);
    r0(e);
    /* ee(0) cleared it; an object passes through. */
    K x = kj(1);
    CHECK(ee(x) == x);
    r0(x);
    errno = ENOENT;
    CHECK(orr("file.txt") == 0);
    e = ee(0);
    CHECK(strcmp(e->s, "file.txt. OS reports: No such file or directory") == 0);
    r0(e);
    errno = 0;
    orr("file.txt");
    e = ee(0);
    CHECK(strcmp(e->s, "file.txt. ") == 0);
    r0(e);
}

static void calendar(void) {
    CHECK(ymd(2000, 1, 1) == 0);
    CHECK(ymd(1999, 12, 31) == -1);
    CHECK(dj(0) == 20000101);
    CHECK(dj(ymd(1600, 2, 29)) == 16000229);
    CHECK(dj(ymd(1066, 10, 14)) == 10661014);
    CHECK(dj(ymd(2500, 3, 1)) == 25000301);
    CHECK(ymd(2200, 1, 1) == 73049);
    CHECK(ymd(1900, 3, 1) - ymd(1900, 2, 28) == 1); /* 1900 was not a leap year */
    CHECK(ymd(2021, 2, 29) == ni && ymd(2021, 13, 1) == ni && ymd(2021, 1, 0) == ni);
}

static void items(void) {
    K x = ktn(KH, 2);
    kH(x)[0] = 5; kH(x)[1] = nh;
    K a = vi(x, 1);
    CHECK(a->t == -KH && a->h == (H)nh);
    r0(a);
    CHECK(vi(x, 2) == 0);
    r0(ee(0));
    r0(x);
    K l = vk(knk(3, kj(1), kj(2), kj(3)));
    CHECK(l->t == KJ && l->n == 3 && kJ(l)[2] == 3);
    r0(l);
    CHECK(ver() == 20231122); /* yyyymmdd, as KX's */
    K m = m4(0);
    CHECK(m->t == KJ && m->n == 3 && kJ(m)[0] >= 0 && kJ(m)[1] >= kJ(m)[0] && kJ(m)[2] >= kJ(m)[1]);
    r0(m);
    m = m4(1);
    CHECK(m->t == KJ && m->n == 2 && kJ(m)[0] > 0);
    r0(m);
    CHECK(gc() >= 0);
}

int main(void) {
    atoms();
    refcounts();
    lists_and_ownership();
    dicts_and_tables();
    joins();
    symbols();
    errors();
    calendar();
    items();
    m9();
    DONE();
}
