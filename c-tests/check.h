/* A minimal assertion harness for the C tests: CHECK records a failure with its location and
 * keeps going; DONE() prints the tally and gives the exit status ctest reads. */
#ifndef LIBQ_CHECK_H
#define LIBQ_CHECK_H
#include <stdio.h>
#include <string.h>

static int check_failures = 0;
static int check_count = 0;

#define CHECK(cond)                                                                 \
    do {                                                                            \
        check_count++;                                                              \
        if (!(cond)) {                                                              \
            check_failures++;                                                       \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                           \
    } while (0)

#define CHECK_STR(a, b) CHECK((a) != NULL && strcmp((a), (b)) == 0)

#define DONE()                                                                  \
    do {                                                                        \
        printf("%d checks, %d failed\n", check_count, check_failures);          \
        return check_failures ? 1 : 0;                                          \
    } while (0)

#endif
