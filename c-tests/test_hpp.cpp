// k.hpp (C++17): owning q::K, typed views, builders, exceptions, q::eval from several threads,
// and q::connection against a small kdb+ responder on a thread of this process (it answers a
// sync request with the request itself, or with the error 'boom for the string "boom").
// Dedicated mode: in the default mode a main thread that waits in join() while workers call
// q::eval hangs them today (issue 10's "never wait on an absent owner").
// LIBQ_TEST_ENV: LIBQ_THREADING=1
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "k.hpp"
#include "check.h"

namespace {

template <class F> bool throws(F f, const char *name) {
    try {
        f();
    } catch (const q::error &e) {
        return std::strcmp(e.what(), name) == 0;
    }
    return false;
}

void objects() {
    // RAII: copies share one object through its refcount; the last owner frees it.
    q::K a(ktn(KJ, 3));
    CHECK(a.refs() == 0);
    {
        q::K b = a;
        CHECK(a.refs() == 1 && b.get() == a.get());
        q::K c = std::move(b);
        CHECK(!b && a.refs() == 1);
    }
    CHECK(a.refs() == 0);
    ::K raw = a.release();
    CHECK(!a);
    r0(raw);

    q::vec<F> f{1.5, 2.5};
    f.push_back(3);
    CHECK(f.size() == 3 && f[2] == 3.0);
    CHECK(q::str(f) == "1.5 2.5 3");
    q::vec<S> s = q::symbols({"ibm", "msft"});
    s.push_back(ss(const_cast<S>("aapl")));
    CHECK(q::str(s) == "`ibm`msft`aapl");
    CHECK(s[0] == ss(const_cast<S>("ibm")));
    CHECK(throws([] { q::vec<J> v = q::make(1.5); }, "type"));

    CHECK(q::str(q::make(true)) == "1b");
    CHECK(q::str(q::make(G(0x2a))) == "0x2a");
    CHECK(q::str(q::make(H(-3))) == "-3h");
    CHECK(q::str(q::make(7)) == "7i");
    CHECK(q::str(q::make(42LL)) == "42");
    CHECK(q::str(q::make(1.5f)) == "1.5e");
    CHECK(q::str(q::make('x')) == "\"x\"");
    CHECK(q::str(q::make("text")) == "\"text\"");
    CHECK(q::str(q::make(std::string("s"))) == ",\"s\"");
    CHECK(q::str(q::make(q::sym{"ibm"})) == "`ibm");
    CHECK(q::str(q::make(q::date{2024, 1, 2})) == "2024.01.02");
    CHECK(q::str(q::make(nullptr)) == "::");
    CHECK(q::str(q::make(std::chrono::minutes(90))) == "0D01:30:00.000000000");
    std::chrono::system_clock::time_point t{std::chrono::seconds(946684800 + 86400)};
    CHECK(q::str(q::make(t + std::chrono::nanoseconds(5))) == "2000.01.02D00:00:00.000000005");
    CHECK(q::str(q::make(std::vector<long long>{1, q::nj, q::wj})) == "1 0N 0W");
    CHECK(q::str(q::make(std::vector<int>{1, 2})) == "1 2i");
    CHECK(q::str(q::make(std::vector<bool>{true, false})) == "10b");
    CHECK(q::str(q::make(std::vector<std::string>{"a", "b"})) == "`a`b");
    CHECK(q::str(q::list(1LL, q::sym{"a"}, "bc", q::list())) == "(1;`a;\"bc\";())");
    CHECK(q::str(q::dict(q::symbols({"a", "b"}), q::vec<J>{1, 2})) == "`a`b!1 2");

    q::K tab = q::table({{"sym", q::symbols({"ibm", "msft"})}, {"px", q::vec<F>{1.5, 2.5}}});
    CHECK(tab.type() == XT && tab.count() == 2);
    CHECK(q::str(tab) == "+`sym`px!(`ibm`msft;1.5 2.5)");
    CHECK((tab.columns() == std::vector<std::string>{"sym", "px"}));
    q::vec<F> px = tab.column("px");
    CHECK(px[1] == 2.5);
    CHECK(throws([&] { tab.column("nope"); }, "nope"));
    q::K keyed = q::key(tab, 1);
    CHECK(keyed.type() == XD && keyed.count() == 2 && tab.refs() == 0);
    CHECK(q::vec<F>(keyed.column("px"))[0] == 1.5);
    CHECK(keyed.keys().type() == XT);

    // Atoms read back with their type checked.
    CHECK(q::make(42LL).as<J>() == 42);
    CHECK(q::make(q::date{2000, 1, 2}).as<I>() == 1);
    CHECK(q::make(2.5).as<F>() == 2.5);
    CHECK(q::make(true).as<bool>());
    CHECK(q::make(q::sym{"abc"}).as<std::string>() == "abc");
    CHECK(q::make("str").as<std::string>() == "str");
    CHECK(throws([] { q::make(1.5).as<J>(); }, "type"));
    CHECK(throws([] { q::list(1LL)[1]; }, "index"));
}

void evaluation() {
    CHECK(q::eval("2+2").as<J>() == 4);
    CHECK(q::eval("{x+y}", 2LL, 3LL).as<J>() == 5);
    q::vec<J> v = q::eval("til 5");
    J sum = 0;
    for (J x : v) sum += x;
    CHECK(sum == 10 && v.size() == 5);
    q::span<J> sp = v.span();
    CHECK(sp.size() == 5 && sp[4] == 4);
    CHECK(q::eval("{sum x}", v).as<J>() == 10 && v.k().refs() == 0);
    CHECK(throws([] { q::eval("1+`a"); }, "type"));
    CHECK(throws([] { q::eval("'custom"); }, "custom"));
    q::K t = q::eval("([] a:1 2 3; b:`x`y`z)");
    CHECK(q::eval("{exec sum a from x where b in `x`z}", t).as<J>() == 4);
    // A big vector made here, filled through its view, summed by q: no copy.
    q::vec<F> big = q::vec<F>::make(1000000);
    for (std::size_t i = 0; i < big.size(); i++) big[i] = 1;
    CHECK(q::eval("sum", big).as<F>() == 1000000);
}

void threads() {
    std::atomic<int> bad{0};
    std::vector<std::thread> ts;
    for (int w = 0; w < 4; w++) {
        ts.emplace_back([w, &bad] {
            for (long long i = 0; i < 200; i++) {
                try {
                    if (q::eval("{x+1000*y}", i, static_cast<long long>(w)).as<J>() != i + 1000 * w) bad++;
                    q::eval("{'x}", q::sym{"mine"});
                    bad++;
                } catch (const q::error &e) {
                    if (std::strcmp(e.what(), "mine") != 0) bad++;
                }
                q::vec<J> v{i, i};
                q::K shared = v;  // refcounts from several threads
            }
        });
    }
    for (auto &t : ts) t.join();
    CHECK(bad == 0);
}

int listener_port(int *fd) {
    *fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(*fd, reinterpret_cast<sockaddr *>(&a), len) || listen(*fd, 1) ||
        getsockname(*fd, reinterpret_cast<sockaddr *>(&a), &len))
        return -1;
    return ntohs(a.sin_port);
}

bool readn(int s, unsigned char *b, std::size_t n) {
    for (std::size_t got = 0; got < n;) {
        ssize_t r = read(s, b + got, n - got);
        if (r <= 0) return false;
        got += static_cast<std::size_t>(r);
    }
    return true;
}

void respond(int listener) {
    int s = accept(listener, nullptr, nullptr);
    unsigned char c, cap = 0;
    while (read(s, &c, 1) == 1 && c) cap = c;
    c = cap < 3 ? cap : 3;
    if (write(s, &c, 1) == 1) {
        for (;;) {
            unsigned char h[8];
            if (!readn(s, h, 8)) break;
            std::uint32_t n;
            std::memcpy(&n, h + 4, 4);
            std::vector<unsigned char> m(n < 8 ? 8 : n);
            std::memcpy(m.data(), h, 8);
            if (n < 8 || !readn(s, m.data() + 8, n - 8)) break;
            if (h[1] != 1) continue;
            bool boom = n == 18 && std::memcmp(m.data() + 14, "boom", 4) == 0;
            if (boom) m = {1, 2, 0, 0, 14, 0, 0, 0, 0x80, 'b', 'o', 'o', 'm', 0};
            m[1] = 2;
            if (send(s, m.data(), m.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(m.size())) break;
        }
    }
    close(s);
}

void connection() {
    int fd;
    int port = listener_port(&fd);
    CHECK(port > 0);
    std::thread server(respond, fd);
    {
        q::connection c("127.0.0.1", port, "user:pw");
        CHECK(c.handle() > 0);
        CHECK(q::str(c.call("echo", 1LL, q::sym{"a"})) == "(\"echo\";1;`a)");
        CHECK(throws([&] { c.call("boom"); }, "boom"));
        c.async("ignored", 1LL);
        CHECK(q::str(c.call("after")) == "\"after\"");
        c.close();
        bool closed = false;
        try {
            c.call("2+2");
        } catch (const q::net_error &e) {
            closed = e.code() == EBADF;
        }
        CHECK(closed);
    }
    server.join();
    close(fd);
    bool failed = false;
    try {
        q::connection refused("127.0.0.1", 1);
    } catch (const q::net_error &e) {
        failed = e.code() != 0;
    }
    CHECK(failed);
}

}  // namespace

int main() {
    objects();
    evaluation();
    threads();
    connection();
    DONE();
}
