/* Rust's ThreadSanitizer build (LLVM) calls __tsan_memcpy/memset/memmove, which gcc's libtsan
 * does not provide. Forwarding them to the C functions keeps the accesses checked: libtsan
 * intercepts memcpy, memset and memmove. Linked only into LIBQ_TSAN builds. */
#include <string.h>

void *__tsan_memcpy(void *dst, const void *src, size_t n) { return memcpy(dst, src, n); }
void *__tsan_memset(void *dst, int c, size_t n) { return memset(dst, c, n); }
void *__tsan_memmove(void *dst, const void *src, size_t n) { return memmove(dst, src, n); }
