/* dl: C functions as q functions of rank 1 to 8. Applied with their rank of arguments they
   get them borrowed and hand back a new object; fewer arguments project; more give 'rank; a
   null return raises the krr error (or gives ::). type is 112h, the console shows "code";
   bad ranks and null pointers are refused. Checked for leaks by the memcheck variant. */
#include "k.h"
#include "check.h"

static int pending_is(const char *name) {
    K e = ee(0);
    int ok = e && e->t == -128 && strcmp(e->s, name) == 0;
    if (e) r0(e);
    return ok;
}

static K add(K x, K y) { return kj(x->j + y->j); }
static K keep(K x) { return r1(x); }
static K fail(K x) { (void)x; return krr("oops"); }
static K nothing(K x) { (void)x; return (K)0; }
static K sum8(K a, K b, K c, K d, K e, K f, K g, K h) {
    return kj(a->j + b->j + c->j + d->j + e->j + f->j + g->j + h->j);
}

/* Evaluates q text; 1 if it gives the long `want`. */
static int gives_long(const char *q, J want) {
    K r = k(0, (S)q, (K)0);
    int ok = r && r->t == -KJ && r->j == want;
    if (r && r->t == -128) fprintf(stderr, "%s: '%s\n", q, r->s);
    if (r) r0(r);
    return ok;
}

static int gives_error(const char *q, const char *name) {
    K r = k(0, (S)q, (K)0);
    int ok = r && r->t == -128 && strcmp(r->s, name) == 0;
    if (r) r0(r);
    return ok;
}

static void define(const char *name, K f) {
    K r = k(0, "set", ks((S)name), f, (K)0);
    CHECK(r && r->t == -KS);
    r0(r);
}

int main(void) {
    CHECK(qinit(0, NULL, NULL, NULL, NULL) == 0);
    define("add", dl((V *)add, 2));
    define("keep", dl((V *)keep, 1));
    define("fail", dl((V *)fail, 1));
    define("nothing", dl((V *)nothing, 1));
    define("sum8", dl((V *)sum8, 8));

    CHECK(gives_long("add[2;3]", 5));
    CHECK(gives_long("add[2] 40", 42));
    CHECK(gives_long("add[;1] 41", 42));
    CHECK(gives_long("sum add'[1 2 3;10 20 30]", 66));
    CHECK(gives_long("sum8[1;2;3;4;5;6;7;8]", 36));
    CHECK(gives_error("add[1;2;3]", "rank"));
    CHECK(gives_error("fail 1", "oops"));
    CHECK(gives_error("-8!add", "type"));
    CHECK(gives_long("count (add;add)~(add;add)", 1));
    CHECK(gives_long("@[fail;1;{7}]", 7));

    K r = k(0, "(type add;nothing 1;keep 1 2 3)", (K)0);
    CHECK(r && r->t == 0 && r->n == 3);
    if (r && r->t == 0 && r->n == 3) {
        CHECK(kK(r)[0]->t == -KH && kK(r)[0]->h == 112);
        CHECK(kK(r)[1]->t == 101); /* :: */
        CHECK(kK(r)[2]->t == KJ && kK(r)[2]->n == 3);
    }
    r0(r);
    r = k(0, ".Q.s1 add", (K)0);
    CHECK(r && r->t == KC && r->n == 4 && memcmp(kC(r), "code", 4) == 0);
    r0(r);

    CHECK(dl((V *)add, 0) == 0 && pending_is("rank"));
    CHECK(dl((V *)add, 9) == 0 && pending_is("rank"));
    CHECK(dl(NULL, 1) == 0 && pending_is("type"));

    shutdown_thread();
    DONE();
}
