/* SIGINT in a host that left it to the system (each case in a child process, since the
   default action ends the process):
   - while a call runs: the call stops with 'stop and the host goes on (exit 0);
   - while the engine is idle: the process ends by SIGINT, as it would without the library;
   - a host that ignores SIGINT: the library installs nothing, SIGINT stays ignored.
   And -T 1 on qinit's command line limits each call to a second. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "k.h"
#include "check.h"

static void *send_sigint(void *arg) {
    (void)arg;
    struct timespec t = {0, 150000000};
    nanosleep(&t, NULL);
    kill(getpid(), SIGINT);
    return NULL;
}

/* Child: SIGINT while busy. Exit 0 if the call stopped with 'stop and the next one ran. */
static int busy_child(void) {
    if (qinit(0, NULL, NULL, NULL, NULL) != 0) return 2;
    pthread_t t;
    pthread_create(&t, NULL, send_sigint, NULL);
    K r = k(0, "while[1b;]", (K)0);
    pthread_join(t, NULL);
    int stopped = r && r->t == -128 && !strcmp(r->s, "stop");
    if (r) r0(r);
    r = k(0, "1+1", (K)0);
    int next = r && r->t == -KJ && r->j == 2;
    if (r) r0(r);
    return stopped && next ? 0 : 3;
}

/* Child: SIGINT while idle; must not get past raise. */
static int idle_child(void) {
    if (qinit(0, NULL, NULL, NULL, NULL) != 0) return 2;
    r0(k(0, "1+1", (K)0));
    raise(SIGINT);
    return 4;
}

/* Child: SIGINT ignored before qinit stays ignored. */
static int ignored_child(void) {
    signal(SIGINT, SIG_IGN);
    if (qinit(0, NULL, NULL, NULL, NULL) != 0) return 2;
    struct sigaction a;
    sigaction(SIGINT, NULL, &a);
    if (a.sa_handler != SIG_IGN) return 5;
    raise(SIGINT);
    return 0;
}

/* Child: -T 1 from qinit's arguments. */
static int timeout_child(void) {
    char *argv[] = {(char *)"host", (char *)"-T", (char *)"1", NULL};
    if (qinit(3, argv, NULL, NULL, NULL) != 0) return 2;
    K t = k(0, "system\"T\"", (K)0);
    int set = t && t->t == -KI && t->i == 1;
    if (t) r0(t);
    K r = k(0, "do[0W;]", (K)0);
    int stopped = r && r->t == -128 && !strcmp(r->s, "stop");
    if (r) r0(r);
    return set && stopped ? 0 : 6;
}

static int run(int (*child)(void)) {
    fflush(NULL);
    pid_t p = fork();
    if (p == 0) _exit(child());
    int status = 0;
    waitpid(p, &status, 0);
    return status;
}

int main(void) {
    alarm(120);
    int s = run(busy_child);
    CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 0);
    s = run(idle_child);
    CHECK(WIFSIGNALED(s) && WTERMSIG(s) == SIGINT);
    s = run(ignored_child);
    CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 0);
    s = run(timeout_child);
    CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 0);
    DONE();
}
