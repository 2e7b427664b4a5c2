// k.h from C++ the way hosts include it beside other libraries: with LIBQ_NO_SHORTHAND the
// one-letter macros are left out, so names like R, Z and O mean what the code around says
// (a gtest-style template parameter, a struct). The const-correct declarations take string
// literals without casts; all under -Wall -Wextra -Werror.
#define LIBQ_NO_SHORTHAND
#include "k.h"

namespace {
template <typename R> R same(R r) { return r; }
struct Z {
    int O;
};
}  // namespace

int header_no_shorthand() {
    Z z{same(KJ)};
    if (z.O != KJ) return 1;
    K r = k(0, "1+1", (K)0);
    K c = k(0, "{x}", kj(1), (K)0);
    int h = khp("localhost", 0) + khpu("localhost", 0, "user:pw") + khpun("localhost", 0, "", 10);
    r0(c);
    r0(r);
    DO(1, h++);
    return h;
}
