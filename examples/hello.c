/* A small host: builds a trade table through k.h, prints it, and frees it. The q console
 * replaces this as the main job once the interpreter lands. */
#include <stdio.h>
#include "k.h"

static void print_table(K t) {
    K names = kK(t->k)[0], cols = kK(t->k)[1];
    for (J c = 0; c < names->n; c++) printf("%-8s", kS(names)[c]);
    printf("\n");
    for (J c = 0; c < names->n; c++) printf("--------");
    printf("\n");
    for (J r = 0; r < kK(cols)[0]->n; r++) {
        for (J c = 0; c < names->n; c++) {
            K col = kK(cols)[c];
            switch (col->t) {
            case KS: printf("%-8s", kS(col)[r]); break;
            case KJ: printf("%-8lld", kJ(col)[r]); break;
            case KF: printf("%-8g", kF(col)[r]); break;
            case KD: { I d = dj(kI(col)[r]); printf("%04d.%02d.%02d ", d / 10000, d / 100 % 100, d % 100); break; }
            default: printf("%-8s", "?");
            }
        }
        printf("\n");
    }
}

int main(void) {
    K sym = ktn(KS, 0), size = ktn(KJ, 0), price = ktn(KF, 0), date = ktn(KD, 0);
    const char *syms[] = {"ibm", "msft", "aapl"};
    for (J i = 0; i < 3; i++) {
        J sz = 100 * (i + 1);
        F px = 10.5 + i;
        I d = ymd(2024, 1, 2 + (int)i);
        js(&sym, ss((S)syms[i]));
        ja(&size, &sz);
        ja(&price, &px);
        ja(&date, &d);
    }
    K names = ktn(KS, 4);
    kS(names)[0] = ss("date"); kS(names)[1] = ss("sym"); kS(names)[2] = ss("size"); kS(names)[3] = ss("price");
    K t = xT(xD(names, knk(4, date, sym, size, price)));
    if (!t) {
        K e = ee(t);
        fprintf(stderr, "'%s\n", e->s);
        r0(e);
        return 1;
    }
    print_table(t);
    K keyed = knt(1, t);
    printf("keyed on %s: %lld key column, %lld value columns\n", kS(kK(kK(keyed)[0]->k)[0])[0],
           kK(kK(keyed)[0]->k)[0]->n, kK(kK(keyed)[1]->k)[0]->n);
    r0(keyed);
    r0(t); /* knt leaves the table with its caller, as KX's does */
    return 0;
}
