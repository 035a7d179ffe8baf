// two-thread bulk throughput: one producer, one consumer, 32 per call
#include <msgpool/pool.hpp>
#include <msgpool/compositions.hpp>
#include <concurrentqueue/concurrentqueue.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>
#include <algorithm>
#include <cstdint>
#include <string>
constexpr long N = 8000000;
template <class P> double run_pool() {
    P p(1024);
    std::atomic<bool> go{false};
    std::uint64_t sum = 0;
    std::thread prod([&] { while (!go.load()) {} std::uint64_t buf[32]; for (long i = 0; i < N; i += 32) { for (int j = 0; j < 32; ++j) buf[j] = i + j; std::size_t k = 0; while (k < 32) k += p.write_bulk(std::span<const std::uint64_t>(buf + k, 32 - k)); } });
    std::thread cons([&] { while (!go.load()) {} std::uint64_t buf[32]; long got = 0; std::uint64_t s = 0; while (got < N) { std::size_t k = p.read_bulk(std::span<std::uint64_t>(buf, 32)); for (std::size_t j = 0; j < k; ++j) s += buf[j]; got += k; } sum = s; });
    auto t0 = std::chrono::steady_clock::now(); go = true; prod.join(); cons.join(); auto t1 = std::chrono::steady_clock::now();
    if (sum != std::uint64_t(N) * (N - 1) / 2) std::puts("BAD");
    return N / std::chrono::duration<double>(t1 - t0).count() / 1e6;
}
double run_mc() {
    moodycamel::ConcurrentQueue<std::uint64_t> q(1024);
    std::atomic<bool> go{false}; std::uint64_t sum = 0;
    std::thread prod([&] { moodycamel::ProducerToken t(q); while (!go.load()) {} std::uint64_t buf[32]; for (long i = 0; i < N; i += 32) { for (int j = 0; j < 32; ++j) buf[j] = i + j; q.enqueue_bulk(t, buf, 32); } });
    std::thread cons([&] { moodycamel::ConsumerToken t(q); while (!go.load()) {} std::uint64_t buf[32]; long got = 0; std::uint64_t s = 0; while (got < N) { std::size_t k = q.try_dequeue_bulk(t, buf, 32); for (std::size_t j = 0; j < k; ++j) s += buf[j]; got += k; } sum = s; });
    auto t0 = std::chrono::steady_clock::now(); go = true; prod.join(); cons.join(); auto t1 = std::chrono::steady_clock::now();
    if (sum != std::uint64_t(N) * (N - 1) / 2) std::puts("BAD");
    return N / std::chrono::duration<double>(t1 - t0).count() / 1e6;
}
int main(int argc, char** argv) {
    int reps = 9;
    std::vector<double> a, b, c;
    for (int r = 0; r < reps; ++r) { a.push_back(run_pool<msgpool::spin_pool<std::uint64_t>>()); b.push_back(run_pool<msgpool::ring_pool<std::uint64_t>>()); c.push_back(run_mc()); }
    auto med = [](std::vector<double> v) { std::sort(v.begin(), v.end()); return v[v.size() / 2]; };
    std::printf("%s spin_pool %.1f  ring_pool %.1f  moodycamel %.1f  (spin/mc %.2f, ring/mc %.2f)\n", argc > 1 ? argv[1] : "", med(a), med(b), med(c), med(a) / med(c), med(b) / med(c));
}
