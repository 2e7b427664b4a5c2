/* What q prints through k(0,...) (show, 0N!, -1, 1, -2, 2) reaches stdout and stderr as it
   is printed, in order with what the host printed around the call through its own (buffered)
   stdio, byte for byte, and is not kept: ten calls that each print 20 MB leave the process's
   resident memory where it was. A host child writes into pipes; this process reads them.
   LIBQ_TEST_NO_VALGRIND (it prints 200 MB) */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "k.h"
#include "check.h"

#define LINE 20000 /* the x-lines the memory check prints */
#define CALLS 10
#define LINES_PER_CALL 1000

static long resident_pages(void) {
    long size = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &size, &resident) != 2) resident = -1;
    fclose(f);
    return resident;
}

static void run(const char *q) {
    K r = k(0, (S)q, (K)0);
    if (!r || r->t == -128) {
        fprintf(stderr, "host: %s: '%s\n", q, r ? r->s : "null");
        exit(3);
    }
    r0(r);
}

/* The host: its stdout and stderr are pipes, so its own stdout is fully buffered. */
static void host(void) {
    if (qinit(0, NULL, NULL, NULL, NULL) != 0) exit(2);
    printf("A\n");
    run("-1 \"B\"");
    printf("C\n");
    run("show 1 2");
    run("0N!3");
    run("1 \"D\"");
    run("-1 (\"E\";\"Fg\")");
    run("-1 \"\xff\xfe\"");
    printf("G\n");
    fprintf(stderr, "e1\n");
    run("-2 \"e2\"");
    run("2 \"e3\"");
    fprintf(stderr, "e4\n");

    const char *big = "do[1000;-1 (20000#\"x\")]";
    run(big); /* the allocator reaches its steady state */
    long before = resident_pages();
    for (int i = 0; i < CALLS; i++) run(big);
    long after = resident_pages();
    printf("resident %ld %ld\n", before, after);
    fflush(stdout);
    shutdown_thread();
    exit(0);
}

/* What the host wrote to stdout, with each line of LINE x's counted instead of kept. */
static char text[4096];
static size_t text_len;
static long x_lines;

static void take_line(const char *line, size_t n) {
    size_t i = 0;
    while (i < n && line[i] == 'x') i++;
    if (n == LINE + 1 && i == LINE && line[LINE] == '\n') {
        x_lines++;
        return;
    }
    if (text_len + n < sizeof text) {
        memcpy(text + text_len, line, n);
        text_len += n;
    }
}

int main(void) {
    int out[2], err[2];
    CHECK(pipe(out) == 0 && pipe(err) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(out[0]);
        close(out[1]);
        close(err[0]);
        close(err[1]);
        host();
    }
    close(out[1]);
    close(err[1]);

    static char line[LINE + 2];
    size_t n = 0;
    char buf[65536];
    ssize_t got;
    while ((got = read(out[0], buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < got; i++) {
            if (n < sizeof line) line[n++] = buf[i];
            if (buf[i] == '\n') {
                take_line(line, n);
                n = 0;
            }
        }
    }
    take_line(line, n);
    close(out[0]);
    char errs[256] = {0};
    size_t errs_len = 0;
    while (errs_len < sizeof errs - 1 &&
           (got = read(err[0], errs + errs_len, sizeof errs - 1 - errs_len)) > 0)
        errs_len += (size_t)got;
    close(err[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    const char *want = "A\nB\nC\n1 2\n3\nDE\nFg\n\xff\xfe\nG\n";
    size_t want_len = strlen(want);
    CHECK(text_len > want_len && memcmp(text, want, want_len) == 0);
    if (text_len < want_len || memcmp(text, want, want_len) != 0)
        fprintf(stderr, "stdout began: %.*s\n", (int)(text_len < 200 ? text_len : 200), text);
    CHECK(x_lines == (CALLS + 1) * LINES_PER_CALL);
    long before = 0, after = 0;
    text[text_len < sizeof text ? text_len : sizeof text - 1] = 0;
    CHECK(sscanf(text + want_len, "resident %ld %ld", &before, &after) == 2);
    long page = sysconf(_SC_PAGESIZE);
    long grown = (after - before) * page;
    printf("resident memory before %ld kB, after %d calls printing %d MB: %ld kB\n",
           before * page / 1024, CALLS, CALLS * LINES_PER_CALL * (LINE + 1) / 1000000,
           after * page / 1024);
    /* Kept output would be 200 MB; the bound leaves room for the allocator's own caches. */
    CHECK(before > 0 && grown < 16L * 1024 * 1024);
    CHECK_STR(errs, "e1\ne2\ne3e4\n");
    if (strcmp(errs, "e1\ne2\ne3e4\n") != 0) fprintf(stderr, "stderr: %s\n", errs);
    DONE();
}
