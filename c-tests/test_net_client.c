/* The IPC client through k.h as a C host uses it: khpu, the variadic k for sync and async
 * calls with arguments, k(h,(S)0), kclose, sslInfo. The server is a tiny kdb+ responder on a
 * thread of this process: it answers the login with min(capability, 3), answers each sync
 * request with the request itself, echoes async messages back as async messages, and closes
 * the connection on the async message "quit". C hosts keep SIGPIPE's default action (death),
 * so writing to the closed peer also checks that the library never raises it. */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "check.h"
#include "k.h"


static int readn(int s, unsigned char *b, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(s, b + got, n - got);
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

static int writen(int s, const unsigned char *b, size_t n) {
    while (n) {
        ssize_t r = send(s, b, n, MSG_NOSIGNAL);
        if (r <= 0)
            return -1;
        b += r;
        n -= (size_t)r;
    }
    return 0;
}

static void *serve(void *listener) {
    int s = accept(*(int *)listener, NULL, NULL);
    unsigned char c, cap = 0;
    while (read(s, &c, 1) == 1 && c)
        cap = c;
    c = cap < 3 ? cap : 3;
    if (write(s, &c, 1) != 1)
        goto out;
    for (;;) {
        unsigned char h[8];
        if (readn(s, h, 8))
            break;
        uint32_t n;
        memcpy(&n, h + 4, 4);
        if (n < 8)
            break;
        unsigned char *m = malloc(n);
        memcpy(m, h, 8);
        if (readn(s, m + 8, n - 8)) {
            free(m);
            break;
        }
        int quit = h[1] == 0 && n == 18 && memcmp(m + 14, "quit", 4) == 0;
        int hang = h[1] == 1 && n == 18 && memcmp(m + 14, "hang", 4) == 0;
        if (h[1] == 1)
            m[1] = 2;
        int failed = quit || (!hang && writen(s, m, n));
        free(m);
        if (failed)
            break;
    }
out:
    close(s);
    return NULL;
}

/* Listens on a free loopback port; a thread serves the first connection. */
static int start_server(pthread_t *t, int *listener) {
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    *listener = socket(AF_INET, SOCK_STREAM, 0);
    if (bind(*listener, (struct sockaddr *)&a, sizeof a) || listen(*listener, 1) ||
        getsockname(*listener, (struct sockaddr *)&a, &len))
        return -1;
    pthread_create(t, NULL, serve, listener);
    return ntohs(a.sin_port);
}

static int is_string(K x, const char *s) {
    return x && x->t == KC && x->n == (J)strlen(s) && memcmp(kC(x), s, strlen(s)) == 0;
}

int main(void) {
    pthread_t server, silent;
    int listener, silent_listener;
    int port = start_server(&server, &listener);
    CHECK(port > 0);
    int h = khpu("127.0.0.1", port, "alice:pw");
    CHECK(h > 0);
    struct stat st;
    CHECK(fstat(h, &st) == 0 && S_ISSOCK(st.st_mode)); /* the handle is the socket */

    K r = k(h, "2+2", (K)0);
    CHECK(is_string(r, "2+2"));
    if (r)
        r0(r);

    /* Arguments travel as ("f"; 42; "xy") and are released by k. */
    r = k(h, "f", kj(42), kp("xy"), (K)0);
    CHECK(r && r->t == 0 && r->n == 3);
    if (r && r->t == 0 && r->n == 3) {
        CHECK(is_string(kK(r)[0], "f"));
        CHECK(kK(r)[1]->t == -KJ && kK(r)[1]->j == 42);
        CHECK(is_string(kK(r)[2], "xy"));
    }
    if (r)
        r0(r);

    /* Async returns non-null (not to be freed); the echo comes back as the next message. */
    CHECK(k(-h, "ping", kj(7), (K)0) != 0);
    r = k(h, (S)0, (K)0); /* (K)0 only for the sentinel check of k.h */
    CHECK(r && r->t == 0 && r->n == 2 && is_string(kK(r)[0], "ping") && kK(r)[1]->j == 7);
    if (r)
        r0(r);

    /* sslInfo reports the TLS settings as a dictionary. */
    K info = sslInfo((K)0);
    CHECK(info && info->t == XD && kK(info)[0]->t == KS && kK(info)[0]->n == 8);
    if (info) {
        CHECK_STR(kS(kK(info)[0])[0], "SSLEAY_VERSION");
        r0(info);
    }

    /* The server leaves; writing on is EPIPE or ECONNRESET, never SIGPIPE. */
    CHECK(k(-h, "quit", (K)0) != 0);
    pthread_join(server, NULL);
    int failed = 0;
    for (int i = 0; i < 1000 && !failed; i++)
        failed = k(-h, "more", ktn(KG, 1 << 16), (K)0) == 0;
    CHECK(failed);
    CHECK(errno == EPIPE || errno == ECONNRESET);
    CHECK(k(h, "2+2", (K)0) == 0); /* the handle is dead */
    kclose(h);
    kclose(h); /* closing again is harmless */
    CHECK(k(h, "2+2", (K)0) == 0 && errno == EBADF);

    close(listener);
    CHECK(khpu("127.0.0.1", port, "") == -1); /* nobody listening any more */

    /* A response that never comes blocks, as in kdb+; a receive timeout the host sets on the
     * handle (the docs' socket-timeout recipe) ends the call with 0 and kills the handle. */
    int silent_port = start_server(&silent, &silent_listener);
    h = khpu("127.0.0.1", silent_port, "u:p");
    CHECK(h > 0);
    struct timeval tv = {0, 100 * 1000};
    CHECK(setsockopt(h, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0);
    CHECK(k(h, "hang", (K)0) == 0);
    CHECK(errno == EAGAIN || errno == EWOULDBLOCK);
    CHECK(k(h, "2+2", (K)0) == 0 && errno == ENOTCONN);
    kclose(h);
    pthread_join(silent, NULL);
    close(silent_listener);
    DONE();
}
