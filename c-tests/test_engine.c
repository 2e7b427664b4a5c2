/* The embedded q engine through k.h: qinit, k(0,...) with and without arguments, dot, errors
 * as type -128 objects, and q errors however deep never reaching the host as a crash. */
#include "k.h"
#include "check.h"

int main(void) {
    char *argv[] = {(char *)"host", (char *)"-p", (char *)"0", 0};
    CHECK(qinit(3, argv, (S)0, (S)0, (S)0) == 0);

    K r = k(0, "1+2", (K)0);
    CHECK(r && r->t == -KJ && r->j == 3);
    r0(r);

    /* With arguments, the value of the string is applied to them; k releases them. */
    r = k(0, "{x+y}", kj(1), kj(2), (K)0);
    CHECK(r && r->t == -KJ && r->j == 3);
    r0(r);
    r0(k(0, "f:{x*2}", (K)0));
    r = k(0, "f", kj(21), (K)0);
    CHECK(r && r->t == -KJ && r->j == 42);
    r0(r);

    r = k(0, "til 3", (K)0);
    CHECK(r && r->t == KJ && r->n == 3 && kJ(r)[2] == 2);
    r0(r);
    r = k(0, "`a`b!1 2", (K)0);
    CHECK(r && r->t == XD);
    r0(r);

    /* Errors are type -128 objects named as q names them. */
    r = k(0, "1+`a", (K)0);
    CHECK(r && r->t == -128 && strcmp(r->s, "type") == 0);
    r0(r);
    r = k(0, "{x}[1;2]", (K)0);
    CHECK(r && r->t == -128 && strcmp(r->s, "rank") == 0);
    r0(r);
    r = k(0, "til 100000000000", (K)0); /* 800 GB: the system refuses, the host goes on */
    CHECK(r && r->t == -128 && strcmp(r->s, "wsfull") == 0);
    r0(r);
    r = k(0, "'`custom", (K)0);
    CHECK(r && r->t == -128 && strcmp(r->s, "custom") == 0);
    r0(r);
    r = k(0, "{.z.s x+1} 0", (K)0);
    CHECK(r && r->t == -128 && strcmp(r->s, "stack") == 0);
    r0(r);
    r = k(0, "((((((", (K)0);
    CHECK(r && r->t == -128);
    r0(r);

    /* dot applies a list of arguments and leaves both to the caller. */
    K f = k(0, "{x*y}", (K)0), a = knk(2, kj(6), kj(7));
    r = dot(f, a);
    CHECK(r && r->t == -KJ && r->j == 42);
    r0(r);
    r0(f);
    r0(a);
    DONE();
}
