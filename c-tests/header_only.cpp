// k.h alone, compiled as C++11 with every warning an error.
#include "k.h"
int header_only_cxx() { return KJ; }
