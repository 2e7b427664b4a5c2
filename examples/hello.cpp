// A small C++ host: builds a table with k.hpp, queries it in the embedded engine, reads the
// answer through a typed view.
#include <cstdio>

#include "k.hpp"

int main() {
    try {
        q::K trades = q::table({{"sym", q::symbols({"ibm", "msft", "ibm"})},
                                {"price", q::vec<F>{101.5, 410.25, 102.0}},
                                {"size", q::vec<J>{100, 200, 300}}});
        q::K vwap = q::eval("{select vwap:size wavg price by sym from x}", trades);
        std::printf("%s\n", q::str(vwap).c_str());
        q::vec<F> px = vwap.values().column("vwap");
        std::printf("ibm vwap %.4f\n", px[0]);
        q::eval("1+`a");
    } catch (const q::error &e) {
        std::printf("q error: '%s\n", e.what());
    }
    return 0;
}
