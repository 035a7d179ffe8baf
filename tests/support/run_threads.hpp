// tests/support/run_threads.hpp - start threads together, join them all.
//
// Boost.Test's assertion macros are not thread-safe: worker threads record
// what they saw in plain data, and the test body checks it after join().
#pragma once

#include <functional>
#include <latch>
#include <thread>
#include <vector>

namespace msgpool_test {

/// Runs body(i) on n threads, released together by a latch, and joins them.
template <class Body>
void run_threads(std::size_t n, Body body) {
    std::latch start(static_cast<std::ptrdiff_t>(n));
    std::vector<std::thread> threads;
    threads.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            body(i);
        });
    for (auto& t : threads) t.join();
}

}  // namespace msgpool_test
