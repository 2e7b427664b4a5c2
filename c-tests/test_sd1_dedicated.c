// LIBQ_TEST_ENV: LIBQ_THREADING=1
/* sd1 in dedicated mode: the library's owner thread watches the descriptor by itself (no
   kx_serve from the host) and runs the callback there; sd0 from a host thread removes and
   closes it; shutdown_thread ends the loop with a descriptor still watched. */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
#include "k.h"
#include "check.h"

static pthread_t main_thread;
static atomic_int bytes, on_owner;

static K on_readable(I d) {
    char buf[16];
    ssize_t n = read(d, buf, sizeof buf);
    if (n > 0) atomic_fetch_add(&bytes, (int)n);
    atomic_store(&on_owner, !pthread_equal(pthread_self(), main_thread));
    return kj(n); /* released by the loop */
}

static int wait_for_bytes(int want) {
    for (int i = 0; i < 500 && atomic_load(&bytes) < want; i++) usleep(2000);
    return atomic_load(&bytes) == want;
}

int main(void) {
    main_thread = pthread_self();
    int p[2], q[2];
    CHECK(pipe(p) == 0 && pipe(q) == 0);
    K h = sd1(p[0], on_readable);
    CHECK(h && h->i == p[0]);
    r0(h);
    CHECK(write(p[1], "abc", 3) == 3);
    CHECK(wait_for_bytes(3));
    CHECK(atomic_load(&on_owner));
    CHECK(write(p[1], "de", 2) == 2);
    CHECK(wait_for_bytes(5));

    sd0(p[0]);
    CHECK(fcntl(p[0], F_GETFD) < 0);
    signal(SIGPIPE, SIG_IGN);
    CHECK(write(p[1], "f", 1) < 0); /* no reader left */

    /* still watched at shutdown: the loop ends anyway */
    h = sd1(q[0], on_readable);
    CHECK(h != 0);
    r0(h);
    shutdown_thread();
    close(p[1]);
    close(q[0]);
    close(q[1]);
    DONE();
}
