/* The differential runner: loads our libq.so and KX's libe.so side by side (dlopen with
 * RTLD_LOCAL | RTLD_DEEPBIND, so each resolves its own symbols), runs every case of every probe
 * once per library in a forked child, and compares the traces the children leave in shared
 * memory. A crash, an exit or a hang of a child is a result: where KX's child dies and ours
 * finishes (with an error where the probe asks for one), the case passes and is counted as a
 * "libe crash"; ours dying always fails.
 *
 *   diff OURS.so LIBE.so [-v] [-k] [--crashes] [PROBE-PREFIX...]
 *
 * -v prints every case's trace, -k keeps going past the first 20 failures, --crashes lists the
 * cases where libe.so crashed or exited (the table in README.md). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define TRACE_MAX (8 << 20)

struct trace_buf {
    size_t len;
    int truncated;
    char text[];
};
static struct trace_buf *buf;

const struct api *OTHER;
static int quiet; /* the other library, for the probes that cross b9 and d9 */

void out(const char *fmt, ...) {
    size_t room = TRACE_MAX - sizeof *buf - buf->len;
    if (room < 2) {
        buf->truncated = 1;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf->text + buf->len, room, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n >= room) {
        buf->truncated = 1;
        n = (int)room - 1;
    }
    buf->len += (size_t)n;
}

static void *sym(void *h, const char *name) {
    dlerror();
    return dlsym(h, name);
}

#define LOAD(f) *(void **)&a->f = sym(h, #f)
static int load(const char *path, struct api *a, const char *name) {
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (!h) {
        fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
        return 0;
    }
    memset(a, 0, sizeof *a);
    a->name = name;
    LOAD(ka); LOAD(kb); LOAD(kg); LOAD(kh); LOAD(ki); LOAD(kj); LOAD(ke); LOAD(kf); LOAD(kc);
    LOAD(ks); LOAD(kd); LOAD(kz); LOAD(kt); LOAD(ktj); LOAD(ku); LOAD(kp); LOAD(kpn);
    LOAD(ktn); LOAD(knk); LOAD(vaknk); LOAD(xD); LOAD(xT); LOAD(ktd); LOAD(knt);
    LOAD(ja); LOAD(js); LOAD(jk); LOAD(jv); LOAD(r0); LOAD(r1); LOAD(ss); LOAD(sn); LOAD(setm);
    LOAD(krr); LOAD(orr); LOAD(ee); LOAD(ymd); LOAD(dj); LOAD(ver); LOAD(b9); LOAD(d9);
    LOAD(okx); LOAD(m9); LOAD(m4); LOAD(gc); LOAD(k); LOAD(vak); LOAD(khp); LOAD(khpu);
    LOAD(khpun); LOAD(khpunc); LOAD(kclose); LOAD(sslInfo);
    return 1;
}

enum outcome { DONE_OK, CRASHED, EXITED, HUNG };
struct run {
    enum outcome how;
    int code; /* signal or exit status */
    char *trace;
};

static struct run run_case(const struct api *A, const struct api *other, const struct probe *p,
                           int i) {
    buf->len = 0;
    buf->truncated = 0;
    buf->text[0] = 0;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        alarm(10);
        /* A probe may ask for absurd amounts of memory (a corrupted count): it must fail, not
         * take the machine. */
        struct rlimit lim = {2UL << 30, 2UL << 30};
        setrlimit(RLIMIT_AS, &lim);
        OTHER = other;
        /* KX's documented initialisation for a host that uses libe.so without connecting:
         * before it, libe.so's b9 writes (and its d9 expects) byte order 0. */
        A->khp("", -1);
        other->khp("", -1);
        /* KX's library prints "wsfull" and more to stdout before it exits; keep the log clean. */
        if (quiet) {
            int devnull = open("/dev/null", O_WRONLY);
            dup2(devnull, 1);
            dup2(devnull, 2);
            close(devnull);
        }
        p->fn(A, i);
        out("END\n");
        _exit(0);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    struct run r = {DONE_OK, 0, NULL};
    size_t n = buf->len;
    r.trace = malloc(n + 1);
    memcpy(r.trace, buf->text, n);
    r.trace[n] = 0;
    int finished = n >= 4 && strcmp(r.trace + n - 4, "END\n") == 0;
    if (WIFSIGNALED(st)) {
        r.how = WTERMSIG(st) == SIGALRM ? HUNG : CRASHED;
        r.code = WTERMSIG(st);
    } else if (!finished || WEXITSTATUS(st) != 0) {
        r.how = EXITED;
        r.code = WEXITSTATUS(st);
    }
    return r;
}

static const char *describe(const struct run *r, char *tmp, size_t n) {
    switch (r->how) {
    case DONE_OK: return "finished";
    case CRASHED: snprintf(tmp, n, "crashed (%s)", strsignal(r->code)); return tmp;
    case EXITED: snprintf(tmp, n, "exited (status %d)", r->code); return tmp;
    case HUNG: return "hung (10 s)";
    }
    return "?";
}

/* The last line of a trace before END, for the crash table. */
static void last_line(const char *t, char *dst, size_t n) {
    size_t len = strlen(t);
    if (len >= 4 && strcmp(t + len - 4, "END\n") == 0) len -= 4;
    while (len && t[len - 1] == '\n') len--;
    size_t start = len;
    while (start && t[start - 1] != '\n') start--;
    size_t m = len - start < n - 1 ? len - start : n - 1;
    memcpy(dst, t + start, m);
    dst[m] = 0;
}

static void print_diff(const char *a, const char *b) {
    /* The first differing byte, with its line number and some context on either side. */
    size_t k = 0;
    int line = 1;
    while (a[k] && a[k] == b[k]) {
        if (a[k] == '\n') line++;
        k++;
    }
    size_t from = k > 120 ? k - 120 : 0;
    fprintf(stderr, "    first difference at line %d, byte %zu\n", line, k);
    fprintf(stderr, "    ours: ...%.400s\n", a + from);
    fprintf(stderr, "    kx:   ...%.400s\n", b + from);
}

/* 0 when our library keeps its own calls with KX's loaded globally before it. */
static int interposition_check(const char *ours_path, const char *kx_path) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        void *e = dlopen(kx_path, RTLD_NOW | RTLD_GLOBAL);
        void *q = dlopen(ours_path, RTLD_NOW | RTLD_LOCAL);
        if (!e || !q) _exit(2);
        K (*knk)(int, ...) = (K(*)(int, ...))dlsym(q, "knk");
        K (*kj)(long long) = (K(*)(long long))dlsym(q, "kj");
        void (*r0)(K) = (void (*)(K))dlsym(q, "r0");
        K x = knk(1, kj(5));
        int ours = x && x->m == 0 && kK(x)[0]->j == 5;
        if (ours) r0(x);
        _exit(ours ? 0 : 1);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    int ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
    printf("%-24s %5d cases, %5d failed\n", "interposition", 1, !ok);
    if (!ok) fprintf(stderr, "FAIL interposition: with KX's library loaded globally first, our knk used its allocator\n");
    return !ok;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s OURS.so LIBE.so [-v] [-k] [--crashes] [PROBE-PREFIX...]\n",
                argv[0]);
        return 2;
    }
    int verbose = 0, keep_going = 0, crashes = 0;
    const char *filters[64];
    int nfilters = 0;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "-v")) verbose = 1;
        else if (!strcmp(argv[i], "-k")) keep_going = 1;
        else if (!strcmp(argv[i], "--crashes")) crashes = 1;
        else if (nfilters < 64) filters[nfilters++] = argv[i];
    }
    /* Before either is loaded here: with KX's library loaded first and global, our knk (whose
     * C shim calls ktn) must still build its list with our allocator (we mark our objects'
     * m byte 0, libe.so marks its own 1). Counted as one check. */
    int interposed = interposition_check(argv[1], argv[2]);
    static struct api ours, kx;
    if (!load(argv[1], &ours, "ours") || !load(argv[2], &kx, "kx")) return 2;
    buf = mmap(NULL, TRACE_MAX, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    quiet = !verbose;
    const struct probe *families[] = {probes_atoms, probes_lists, probes_joins, probes_misc,
                                      probes_wire};
    long checks = 1, passed = !interposed, failed = interposed, kx_died = 0, diverged = 0;
    for (size_t f = 0; f < sizeof families / sizeof *families; f++) {
        for (const struct probe *p = families[f]; p->name; p++) {
            int selected = nfilters == 0;
            for (int j = 0; j < nfilters; j++)
                if (!strncmp(p->name, filters[j], strlen(filters[j]))) selected = 1;
            if (!selected) continue;
            long before_fail = failed, before_checks = checks;
            for (int i = 0; i < p->cases; i++) {
                struct run a = run_case(&ours, &kx, p, i);
                struct run b = run_case(&kx, &ours, p, i);
                checks++;
                char ta[64], tb[64];
                int ok;
                const char *why = NULL;
                if (a.how != DONE_OK) {
                    ok = 0;
                    why = "ours did not finish";
                } else if (b.how != DONE_OK) {
                    ok = !p->crash_needs_error || strstr(a.trace, "'\"") != NULL;
                    if (!ok) why = "libe.so died and ours signalled no error";
                    else {
                        kx_died++;
                        if (crashes) {
                            char line[200];
                            last_line(a.trace, line, sizeof line);
                            printf("| crash | %s | %d | %s | `%s` |\n", p->name, i,
                                   describe(&b, tb, sizeof tb), line);
                        }
                    }
                } else {
                    ok = strcmp(a.trace, b.trace) == 0;
                    if (!ok) {
                        /* A documented divergence: equal up to the same marker. */
                        const char *ma = strstr(a.trace, "~DIVERGE("), *mb = strstr(b.trace, "~DIVERGE(");
                        const char *ea = ma ? strchr(ma, '\n') : NULL;
                        if (ma && mb && ea && ma - a.trace == mb - b.trace &&
                            memcmp(a.trace, b.trace, (size_t)(ea - a.trace)) == 0) {
                            ok = ma[9] != 'e' || strstr(ea, "'\"") != NULL;
                            if (!ok) why = "documented divergence, but ours signalled no error";
                            else {
                                diverged++;
                                if (crashes) {
                                    char reason[200];
                                    size_t m = (size_t)(ea - ma - 12) < sizeof reason - 1 ? (size_t)(ea - ma - 12) : sizeof reason - 1;
                                    memcpy(reason, ma + 12, m);
                                    reason[m] = 0;
                                    printf("| divergence | %s | %d | %s |\n", p->name, i, reason);
                                }
                            }
                        } else why = "traces differ";
                    }
                }
                if (ok) passed++;
                else {
                    failed++;
                    if (failed <= 20 || keep_going) {
                        fprintf(stderr, "FAIL %s[%d]: %s (ours %s, kx %s)\n", p->name, i, why,
                                describe(&a, ta, sizeof ta), describe(&b, tb, sizeof tb));
                        print_diff(a.trace, b.trace);
                    }
                }
                if (verbose) {
                    printf("== %s[%d] ours %s\n%s", p->name, i, describe(&a, ta, sizeof ta),
                           a.trace);
                    printf("== %s[%d] kx %s\n%s", p->name, i, describe(&b, tb, sizeof tb),
                           b.trace);
                }
                free(a.trace);
                free(b.trace);
            }
            if (!crashes)
                printf("%-24s %5ld cases, %5ld failed\n", p->name, checks - before_checks,
                       failed - before_fail);
        }
    }
    printf("differential: %ld checks, %ld passed, %ld failed; libe.so crashed or exited in %ld "
           "of the passed cases, where ours returned cleanly; %ld documented divergences\n",
           checks, passed, failed, kx_died, diverged);
    return failed ? 1 : 0;
}
