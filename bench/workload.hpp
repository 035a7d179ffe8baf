// bench/workload.hpp - one run: P producers and C consumers move N messages
// through one system, timed, with its CPU and context-switch cost, and the
// exactly-once check.
//
// Producer p writes ids p, p + P, p + 2P, ... below N.  Each consumer keeps
// a private tally (count, sum of ids, sum of squared ids, corrupt payloads)
// in its own cache line, merged after the run; the check then requires
// count == N, both sums equal to those of 0..N-1 (mod 2^64) and no corrupt
// payload.  A lost message with a duplicate of another cannot keep both sums.
//
// Timing: every thread is created and has built its per-thread state
// (tokens) before the clock starts; they wait on a latch, the main thread
// reads the clock and getrusage(RUSAGE_SELF) and opens the latch, and the
// run ends when every thread has been joined.  The last producer to finish
// (a countdown) tells the system that writing is over (adapter close()).
#pragma once

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "adapter.hpp"
#include "messages.hpp"

namespace msgpool_bench {

struct run_config {
    queue_config queue;
    std::uint64_t messages = 0;
};

struct run_measure {
    double seconds = 0;
    double cpu_seconds = 0;           // user + system, all threads
    std::uint64_t context_switches = 0;  // voluntary + involuntary
    bool exactly_once = false;
    std::string failure;              // what the check found, when it failed
};

namespace detail {

struct alignas(64) tally {
    std::uint64_t count = 0, sum = 0, sum_squares = 0, corrupt = 0, foreign = 0;
};

struct usage {
    double cpu_seconds;
    std::uint64_t switches;
    static usage now() noexcept {
        rusage u{};
        getrusage(RUSAGE_SELF, &u);
        const auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6; };
        return {secs(u.ru_utime) + secs(u.ru_stime),
                static_cast<std::uint64_t>(u.ru_nvcsw) + static_cast<std::uint64_t>(u.ru_nivcsw)};
    }
};

std::string check_exactly_once(std::uint64_t messages, const std::vector<tally>& tallies);

}  // namespace detail

template <bench_queue Q>
run_measure run_once(const run_config& config) {
    using Msg = typename Q::message_type;
    const unsigned producers = config.queue.producers, consumers = config.queue.consumers;
    const std::uint64_t messages = config.messages;

    Q queue(config.queue);
    std::latch ready(producers + consumers);
    std::latch go(1);
    std::atomic<unsigned> producers_left{producers};
    std::atomic<std::uint64_t> written{0};
    std::vector<detail::tally> tallies(consumers);
    std::vector<std::thread> threads;
    threads.reserve(producers + consumers);

    for (unsigned p = 0; p < producers; ++p)
        threads.emplace_back([&, p] {
            auto handle = queue.make_producer();
            ready.count_down();
            go.wait();
            std::uint64_t n = 0;
            for (std::uint64_t id = p; id < messages; id += producers, ++n) queue.write(handle, make_message<Msg>(id));
            // acq_rel, in this order: the last producer sees every producer's count.
            written.fetch_add(n, std::memory_order_acq_rel);
            if (producers_left.fetch_sub(1, std::memory_order_acq_rel) == 1)
                queue.close(handle, written.load(std::memory_order_acquire));
        });
    for (unsigned c = 0; c < consumers; ++c)
        threads.emplace_back([&, c] {
            auto handle = queue.make_consumer();
            detail::tally t;
            ready.count_down();
            go.wait();
            Msg m{};
            while (queue.read(handle, m)) {
                const std::uint64_t id = id_of(m);
                ++t.count;
                t.sum += id;
                t.sum_squares += id * id;
                t.corrupt += !intact(m);
                t.foreign += id >= messages;
            }
            tallies[c] = t;
        });

    ready.wait();
    const auto u0 = detail::usage::now();
    const auto t0 = std::chrono::steady_clock::now();
    go.count_down();
    for (auto& t : threads) t.join();
    const auto t1 = std::chrono::steady_clock::now();
    const auto u1 = detail::usage::now();

    run_measure r;
    r.seconds = std::chrono::duration<double>(t1 - t0).count();
    r.cpu_seconds = u1.cpu_seconds - u0.cpu_seconds;
    r.context_switches = u1.switches - u0.switches;
    r.failure = detail::check_exactly_once(messages, tallies);
    r.exactly_once = r.failure.empty();
    return r;
}

}  // namespace msgpool_bench
