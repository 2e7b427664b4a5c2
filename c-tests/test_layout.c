/* struct k0 is byte for byte KX's (KXVER 3), and the type codes and nulls are KX's. */
#include <stddef.h>
#include "k.h"
#include "check.h"

int main(void) {
    CHECK(offsetof(struct k0, m) == 0);
    CHECK(offsetof(struct k0, a) == 1);
    CHECK(offsetof(struct k0, t) == 2);
    CHECK(offsetof(struct k0, u) == 3);
    CHECK(offsetof(struct k0, r) == 4);
    CHECK(offsetof(struct k0, g) == 8);
    CHECK(offsetof(struct k0, h) == 8);
    CHECK(offsetof(struct k0, i) == 8);
    CHECK(offsetof(struct k0, j) == 8);
    CHECK(offsetof(struct k0, e) == 8);
    CHECK(offsetof(struct k0, f) == 8);
    CHECK(offsetof(struct k0, s) == 8);
    CHECK(offsetof(struct k0, k) == 8);
    CHECK(offsetof(struct k0, n) == 8);
    CHECK(offsetof(struct k0, G0) == 16);
    CHECK(sizeof(struct k0) == 16);
    CHECK(sizeof(U) == 16);
    CHECK(sizeof(J) == 8 && sizeof(I) == 4 && sizeof(H) == 2 && sizeof(E) == 4 && sizeof(F) == 8);

    CHECK(KB == 1 && UU == 2 && KG == 4 && KH == 5 && KI == 6 && KJ == 7 && KE == 8 && KF == 9);
    CHECK(KC == 10 && KS == 11 && KP == 12 && KM == 13 && KD == 14 && KZ == 15 && KN == 16);
    CHECK(KU == 17 && KV == 18 && KT == 19 && XT == 98 && XD == 99);
    CHECK(nh == (I)0xFFFF8000 && wh == 0x7FFF && ni == (I)0x80000000 && wi == 0x7FFFFFFF);
    CHECK(nj == (J)0x8000000000000000LL && wj == 0x7FFFFFFFFFFFFFFFLL);

    /* Objects really are laid out that way: atoms in the union, vector data at offset 16. */
    K x = kj(42);
    CHECK(x->t == -KJ && x->r == 0 && x->j == 42 && *(J *)((G *)x + 8) == 42);
    r0(x);
    x = ktn(KI, 3);
    kI(x)[0] = 1; kI(x)[1] = 2; kI(x)[2] = 3;
    CHECK(x->t == KI && x->n == 3 && *(J *)((G *)x + 8) == 3 && ((I *)((G *)x + 16))[2] == 3);
    r0(x);
    DONE();
}
