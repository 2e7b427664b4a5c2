/* The variadic entry points of k.h. Stable Rust cannot define C-variadic functions, so these
 * collect their arguments and hand them to the library's array-taking functions. The exported
 * symbols k, knk, vak and vaknk are naked jumps in src/ffi/variadic.rs that land here (a C
 * object's own symbols would be hidden by rustc's version script). */
#include <stdarg.h>
#include <stddef.h>

typedef struct k0 *K;
typedef int I;
typedef long long J;

extern K ktn(I, J);
extern void r0(K);
extern K kx_k_array(I h, const char *s, I n, K *args);

#define HIDDEN __attribute__((visibility("hidden")))
/* q functions take at most 8 arguments; one more is kept so the callee reports 'rank. */
#define MAX_ARGS 9

HIDDEN K libq_shim_vak(I h, const char *s, va_list ap) {
    K args[MAX_ARGS];
    I n = 0;
    K x;
    if (s) {
        while ((x = va_arg(ap, K)) != NULL) {
            if (n < MAX_ARGS)
                args[n++] = x;
            else
                r0(x);
        }
    }
    return kx_k_array(h, s, n, args);
}

HIDDEN K libq_shim_k(I h, const char *s, ...) {
    va_list ap;
    va_start(ap, s);
    K r = libq_shim_vak(h, s, ap);
    va_end(ap);
    return r;
}

HIDDEN K libq_shim_vaknk(I n, va_list ap) {
    K x = ktn(0, n);
    K *items = x ? (K *)((char *)x + 16) : NULL;
    for (I i = 0; i < n; i++) {
        K y = va_arg(ap, K);
        if (!x)
            r0(y); /* knk takes its arguments, even when it fails */
        else if (y)
            items[i] = y; /* a null item stays null, for the host to fill, as in kdb+ */
    }
    return x;
}

HIDDEN K libq_shim_knk(I n, ...) {
    va_list ap;
    va_start(ap, n);
    K r = libq_shim_vaknk(n, ap);
    va_end(ap);
    return r;
}
