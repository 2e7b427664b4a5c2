// The header works from C++: types, macros, functions with C linkage, and objects that a C++
// owner manages with RAII.
#include <cstring>
#include <memory>
#include <string>
#include <vector>
#include "k.h"
#include "check.h"

namespace {
struct Release {
    void operator()(k0 *x) const { r0(x); }
};
using Owned = std::unique_ptr<k0, Release>;

Owned symbols(const std::vector<std::string> &names) {
    K x = ktn(KS, 0);
    for (const auto &n : names) js(&x, ss(const_cast<S>(n.c_str())));
    return Owned(x);
}
}  // namespace

int main() {
    Owned s = symbols({"ibm", "msft", "ibm"});
    CHECK(s->n == 3 && kS(s.get())[0] == kS(s.get())[2]);
    Owned d(xD(r1(s.get()), knk(3, kj(1), kf(2.5), kp(const_cast<S>("x")))));
    CHECK(d->t == XD && kK(d.get())[1]->n == 3);
    CHECK(kK(kK(d.get())[1])[1]->f == 2.5);
    CHECK(s->r == 1);
    d.reset();
    CHECK(s->r == 0);
    Owned e(ee(krr("oops")));
    CHECK(e->t == -128 && std::strcmp(e->s, "oops") == 0);
    // k takes a string literal as it is (const char*), with the null sentinel.
    Owned two(k(0, "1+1", (K)0));
    CHECK(two && two->t == -KJ && two->j == 2);
    DONE();
}
