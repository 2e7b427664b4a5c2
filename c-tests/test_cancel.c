/* Threads the host cancels (pthread_cancel) with a call in the library do not abort the
   process: the cancellation waits until the call has returned and acts at the thread's next
   cancellation point in host code.
   - deferred cancellation of a thread evaluating system"sleep 1" (its waits are cancellation
     points) while the main thread is away;
   - asynchronous cancellation of a thread in while[1b;] (stopped later with kx_interrupt);
   - asynchronous cancellation of a thread whose call waits for the busy owner (it is answered
     when the owner leaves; the waiting call's stack must stay valid until then).
   A thread that calls in with asynchronous cancellation (which POSIX does not allow) leaves
   with deferred cancellation, so each is cancelled at its pthread_testcancel.
   The engine keeps working after each. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "k.h"
#include "check.h"

static void sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static atomic_int entered;

static void *evaluate(void *arg) {
    atomic_store(&entered, 1);
    K r = k(0, (S)arg, (K)0);
    if (r) r0(r);
    pthread_testcancel();
    return NULL;
}

static void *evaluate_async(void *arg) {
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    return evaluate(arg);
}

static int gives_long(const char *src, J want) {
    K r = k(0, (S)src, (K)0);
    int ok = r && r->t == -KJ && r->j == want;
    if (r) r0(r);
    return ok;
}

static K slow(void *p) {
    (void)p;
    atomic_store(&entered, 2);
    sleep_ms(300); /* the owner is busy; a call from elsewhere waits */
    return (K)0;
}

static void *cancel_later(void *arg) {
    while (atomic_load(&entered) < 3) sleep_ms(1);
    sleep_ms(50);
    pthread_cancel(*(pthread_t *)arg);
    return NULL;
}

static void *waiter(void *arg) {
    (void)arg;
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    while (atomic_load(&entered) < 2) sleep_ms(1);
    atomic_store(&entered, 3);
    K r = k(0, "1+1", (K)0); /* handed to the owner, answered when it leaves */
    if (r) r0(r);
    pthread_testcancel();
    return NULL;
}

int main(void) {
    alarm(120);
    CHECK(qinit(0, NULL, NULL, NULL, NULL) == 0);
    pthread_t t;
    void *ret;

    CHECK(pthread_create(&t, NULL, evaluate, (void *)"system\"sleep 1\"") == 0);
    while (!atomic_load(&entered)) sleep_ms(1);
    sleep_ms(200);
    CHECK(pthread_cancel(t) == 0);
    CHECK(pthread_join(t, &ret) == 0);
    CHECK(ret == PTHREAD_CANCELED);
    CHECK(gives_long("1+1", 2));

    atomic_store(&entered, 0);
    CHECK(pthread_create(&t, NULL, evaluate_async, (void *)"while[1b;]") == 0);
    while (!atomic_load(&entered)) sleep_ms(1);
    sleep_ms(100);
    CHECK(pthread_cancel(t) == 0);
    sleep_ms(100);
    kx_interrupt();
    CHECK(pthread_join(t, &ret) == 0);
    CHECK(ret == PTHREAD_CANCELED);
    CHECK(gives_long("2+2", 4));

    atomic_store(&entered, 0);
    pthread_t w, c;
    CHECK(pthread_create(&w, NULL, waiter, NULL) == 0);
    CHECK(pthread_create(&c, NULL, cancel_later, &w) == 0);
    CHECK(kx_owner_apply(slow, NULL) == (K)0); /* main is the owner, busy for 300 ms */
    CHECK(pthread_join(c, NULL) == 0);
    CHECK(pthread_join(w, &ret) == 0);
    CHECK(ret == PTHREAD_CANCELED);
    CHECK(gives_long("3+3", 6));
    DONE();
}
