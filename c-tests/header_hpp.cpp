// k.hpp between the standard library and GoogleTest (when installed), with the names KX's
// shorthand macros took (R, Z, U, P, O, DO, xx, nj, ...) used after it: the header's removal
// of those macros keeps everything that follows compiling, under -Wall -Wextra -Werror.
#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
#ifdef LIBQ_HAVE_GTEST
#include <gtest/gtest.h>
#endif

#include "k.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <iostream>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <variant>
#ifdef LIBQ_HAVE_GTEST
#include <gtest/gtest-spi.h>
#endif

namespace host {
template <typename R, typename Z, typename U, typename P, typename O> struct names {
    R r;
    Z z;
    U u;
    P p;
    O o;
};
inline int DO(int xx, int xy) { return xx + xy; }
inline long long shorthand() {
    long long nj = q::nj, ni = q::ni, wf = 1;
    int SW = 1, CS = 2, CD = 3;
    return nj + ni + wf + SW + CS + CD + DO(1, 2) + names<int, int, int, int, int>{1, 2, 3, 4, 5}.r;
}
}  // namespace host

long long header_hpp() { return host::shorthand() + q::vec<J>::make(0).size(); }
