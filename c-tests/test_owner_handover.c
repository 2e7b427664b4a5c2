/* Default mode, ownership over a process's life: the first caller (thread A) becomes the
   owner; a call posted while A is outside the library waits, and when A exits it is answered
   and re-routed, so its thread becomes the new owner. Then the main thread donates itself with
   kx_serve(-1) (becoming the owner after that thread exits) until another thread calls
   shutdown_thread(); calls after that fail with 'shutdown. */
#include "test_owner_prelude.h"

static atomic_int a_owns, b_calling, main_serving;
static pthread_t ran_on;

static K record(void *p) {
    (void)p;
    ran_on = pthread_self();
    return ki(1);
}

static void sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&t, NULL);
}

static void *thread_a(void *arg) {
    (void)arg;
    K x = kx_owner_apply(record, NULL);
    CHECK(x && pthread_equal(ran_on, pthread_self()));
    r0(x);
    atomic_store(&a_owns, 1);
    while (!atomic_load(&b_calling)) sleep_ms(1);
    sleep_ms(50); /* B posts and waits while A is outside the library */
    return NULL;   /* A exits: its waiting caller is re-routed */
}

static void *thread_b(void *arg) {
    (void)arg;
    while (!atomic_load(&a_owns)) sleep_ms(1);
    atomic_store(&b_calling, 1);
    K x = kx_owner_apply(record, NULL);
    CHECK(x && pthread_equal(ran_on, pthread_self())); /* B became the owner */
    r0(x);
    return NULL;
}

static void *thread_c(void *arg) {
    (void)arg;
    while (!atomic_load(&main_serving)) sleep_ms(1);
    for (int i = 0; i < 100; i++) {
        K x = kx_owner_apply(record, NULL);
        CHECK(x && pthread_equal(ran_on, *(pthread_t *)arg));
        r0(x);
    }
    shutdown_thread(); /* ends main's kx_serve(-1) */
    CHECK(kx_owner_apply(record, NULL) == (K)0);
    const char *e = pending_error();
    CHECK(e && !strcmp(e, "shutdown"));
    return NULL;
}

int main(void) {
    pthread_t a, b, c, me = pthread_self();
    CHECK(pthread_create(&a, NULL, thread_a, NULL) == 0);
    CHECK(pthread_create(&b, NULL, thread_b, NULL) == 0);
    CHECK(pthread_join(a, NULL) == 0);
    CHECK(pthread_join(b, NULL) == 0); /* B exits too: no owner now */
    K x = kx_owner_apply(record, NULL);  /* main becomes the owner */
    CHECK(x && pthread_equal(ran_on, me));
    r0(x);
    CHECK(pthread_create(&c, NULL, thread_c, &me) == 0);
    atomic_store(&main_serving, 1);
    I n = kx_serve(-1); /* main serves until shutdown */
    printf("main served %d calls before shutdown\n", n);
    CHECK(n == 100);
    CHECK(pthread_join(c, NULL) == 0);
    return 0;
}
