// A C++11 host in default mode with no kx_serve: main calls qinit, then joins std::threads
// (and waits on a std::condition_variable) while 32 of them call k(0,"cnt+:1",(K)0) and read
// the count back; every call runs, the count is exact, nothing waits for main.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>
#include <unistd.h>
#include "k.h"
#include "check.h"

namespace {
std::atomic<long> bad{0};

long count() {
    K r = k(0, const_cast<S>("cnt"), (K)0);
    long n = (r && r->t == -KJ) ? static_cast<long>(r->j) : -1;
    if (r) r0(r);
    return n;
}

void calls(int n) {
    for (int i = 0; i < n; i++) {
        K r = k(0, const_cast<S>("cnt+:1"), (K)0);
        if (!r || r->t != -KJ) bad++;
        if (r) r0(r);
        r = k(0, const_cast<S>("cnt"), (K)0);
        if (!r || r->t != -KJ || r->j < 1) bad++;
        if (r) r0(r);
    }
}
}  // namespace

int main() {
    alarm(240);
    CHECK(qinit(0, nullptr, nullptr, nullptr, nullptr) == 0);
    r0(k(0, const_cast<S>("cnt:0"), (K)0));

    // main in std::thread::join
    std::vector<std::thread> workers;
    for (int i = 0; i < 32; i++) workers.emplace_back(calls, 300);
    for (auto &w : workers) w.join();
    CHECK(count() == 32 * 300);

    // main asleep on a condition variable that the last worker signals
    r0(k(0, const_cast<S>("cnt:0"), (K)0));
    std::mutex m;
    std::condition_variable cv;
    int left = 8;
    workers.clear();
    for (int i = 0; i < 8; i++)
        workers.emplace_back([&] {
            calls(500);
            std::lock_guard<std::mutex> g(m);
            if (--left == 0) cv.notify_one();
        });
    {
        std::unique_lock<std::mutex> g(m);
        cv.wait(g, [&] { return left == 0; });
    }
    for (auto &w : workers) w.join();
    CHECK(count() == 8 * 500);
    CHECK(bad.load() == 0);
    DONE();
}
