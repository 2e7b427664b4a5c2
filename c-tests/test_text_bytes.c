/* q strings are bytes: source text that is not UTF-8, in k(0,...) and in value, parse, -4!,
   -5!, lambdas (their text, and their text sent through -8!/-9!) and scripts loaded with \l,
   reaches string literals byte for byte, never replaced. */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <unistd.h>
#include "k.h"
#include "check.h"

/* Whether r is a char vector of exactly these n bytes (released). */
static int bytes_are(K r, const char *want, J n) {
    int ok = r && r->t == KC && r->n == n && memcmp(kC(r), want, (size_t)n) == 0;
    if (r && !ok) {
        fprintf(stderr, "got type %d n %lld:", r->t, r->t >= 0 ? (long long)r->n : -1LL);
        if (r->t == KC)
            for (J i = 0; i < r->n; i++) fprintf(stderr, " %02x", kG(r)[i]);
        if (r->t == -128) fprintf(stderr, " '%s", r->s);
        fprintf(stderr, "\n");
    }
    if (r) r0(r);
    return ok;
}

static int char_is(K r, unsigned char c) {
    int ok = r && r->t == -KC && (unsigned char)r->g == c;
    if (r) r0(r);
    return ok;
}

int main(void) {
    CHECK(qinit(0, NULL, NULL, NULL, NULL) == 0);

    /* k(0,...) source */
    CHECK(bytes_are(k(0, "\"\xff\xfe\"", (K)0), "\xff\xfe", 2));
    CHECK(char_is(k(0, "\"\xe9\"", (K)0), 0xe9));
    CHECK(bytes_are(k(0, "\"a\xc3\"", (K)0), "a\xc3", 2)); /* a UTF-8 sequence cut short */
    CHECK(bytes_are(k(0, "\"\xc3\xa9\"", (K)0), "\xc3\xa9", 2)); /* valid UTF-8 stays too */
    CHECK(bytes_are(k(0, "{x,\"\x80\"}", kp((S) "a"), (K)0), "a\x80", 2));
    K r = k(0, "count \"\xff\xfe\xfd\"", (K)0);
    CHECK(r && r->t == -KJ && r->j == 3);
    if (r) r0(r);

    /* value and parse of strings holding such bytes */
    CHECK(char_is(k(0, "value", kp((S) "\"\xe9\""), (K)0), 0xe9));
    CHECK(bytes_are(k(0, "value", kp((S) "\"\xff\xfe\""), (K)0), "\xff\xfe", 2));
    CHECK(bytes_are(k(0, "value \"\\\"\xff\xfe\\\"\"", (K)0), "\xff\xfe", 2));
    CHECK(bytes_are(k(0, "parse", kp((S) "\"\xff\xfe\""), (K)0), "\xff\xfe", 2));
    CHECK(bytes_are(k(0, "-5!", kp((S) "\"\xff\xfe\""), (K)0), "\xff\xfe", 2));
    CHECK(bytes_are(k(0, "last -4!", kp((S) "1,\"\xff\xfe\""), (K)0), "\"\xff\xfe\"", 4));
    CHECK(bytes_are(k(0, "value \"{x,\\\"\xfe\\\"}\\\"\xff\\\"\"", (K)0), "\xff\xfe", 2));

    /* a lambda's text keeps them, and so does the lambda rebuilt from its text */
    CHECK(bytes_are(k(0, "last value {\"\xff\"}", (K)0), "{\"\xff\"}", 5));
    CHECK(bytes_are(k(0, "string {\"\xfe\"}", (K)0), "{\"\xfe\"}", 5));
    CHECK(bytes_are(k(0, "(-9!-8!{x,\"\xff\xfe\"}) \"a\"", (K)0), "a\xff\xfe", 3));
    CHECK(bytes_are(k(0, "f:{\"\xfd\",x}; f \"b\"", (K)0), "\xfd" "b", 2));

    /* a script loaded with \l: its strings keep their bytes too */
    char path[] = "/tmp/libq_text_bytesXXXXXX.q";
    int fd = mkstemps(path, 2);
    CHECK(fd >= 0);
    const char *script = "s:\"\xff\xfe\"\r\nf:{x,\"\xfd\"}\n";
    CHECK(write(fd, script, strlen(script)) == (ssize_t)strlen(script));
    close(fd);
    char load[64];
    snprintf(load, sizeof load, "\\l %s", path);
    K l = k(0, load, (K)0);
    CHECK(l && l->t != -128);
    if (l) r0(l);
    unlink(path);
    CHECK(bytes_are(k(0, "s", (K)0), "\xff\xfe", 2));
    CHECK(bytes_are(k(0, "f \"a\"", (K)0), "a\xfd", 2));

    shutdown_thread();
    DONE();
}
