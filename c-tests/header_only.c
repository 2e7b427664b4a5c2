/* k.h alone, compiled as C99 with every warning an error. */
#include "k.h"
int header_only_c(void) { return KJ; }
