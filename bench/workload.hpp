// bench/workload.hpp - one run: P producers and C consumers move N messages
// through one system, timed, with its CPU and context-switch cost, and the
// exactly-once check.
//
// Producer p writes ids p, p + P, p + 2P, ... below N.  Each consumer keeps
// a private tally (count, sum of ids, sum of squared ids, corrupt payloads)
// in its own cache line, merged after the run; the check then requires
// count == N, both sums equal to those of 0..N-1 (mod 2^64) and no corrupt
// payload.  A lost message with a duplicate of another cannot keep both sums.
// What a producer writes into each message and a consumer compares is
// run_config::check (messages.hpp: O(1) per message by default): each
// producer fills one buffer of its own and hands it over (a trivially
// copyable message is copied, the buffer keeps its bytes), each consumer
// of messages larger than a cache line reads into two buffers of its own in
// turn and checks each message once it has read the next (detail::receiver):
// loads straight after the block copy that wrote their words wait for its
// stores, which cost several times the check itself at 4096 bytes; a message
// later they do not.  Smaller messages are checked at once.
// An adapter with in-place operations (adapter.hpp, in_place_queue) is used
// through them instead: each producer fills the same words in the slot
// itself (write_in_place), each consumer counts and checks the message in its
// slot before the slot is freed (read_in_place); no buffer is involved.
// Messages under 8 bytes carry their id's residue (messages.hpp): the sums
// are then those of the residues of 0..N-1, and a loss paired with a
// duplicate of the same residue would go unseen.
//
// Timing: every thread is created and has built its per-thread state
// (tokens) before the clock starts; they wait on a latch, the main thread
// reads the clock and getrusage(RUSAGE_SELF) and opens the latch, and the
// run ends when every thread has been joined.  The last producer to finish
// (a countdown) tells the system that writing is over (adapter close()).
// An adapter that buffers writes (the bulk adapter) offers flush(producer):
// each producer calls it after its last write, before it counts itself done.
//
// run_idle: the other half of "blocked waiters use no CPU".  C consumers
// read from the empty structure; after a settling time (their spin phase),
// the process's CPU time (getrusage, all threads) is read over a window in
// which nothing is written, then close() with zero messages ends them.  A
// structure whose waiters sleep shows about 0 s; one that polls shows up to
// a core per waiter.
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
    check_mode check = check_mode::sampled;  // messages.hpp
};

struct run_measure {
    double seconds = 0;
    double cpu_seconds = 0;           // user + system, all threads
    std::uint64_t context_switches = 0;  // voluntary + involuntary
    bool exactly_once = false;
    std::string failure;              // what the check found, when it failed
};

struct idle_config {
    queue_config queue;
    std::chrono::duration<double> settle{0.2};  // not measured: waiters spin before they sleep
    std::chrono::duration<double> window{1.0};  // measured
};

struct idle_measure {
    double window_seconds = 0;           // the measured window as it elapsed
    double cpu_seconds = 0;              // user + system, all threads, during the window
    std::uint64_t context_switches = 0;  // during the window
    double cpu_share() const { return window_seconds > 0 ? cpu_seconds / window_seconds : 0; }  // in cores
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

/// `modulus`: ids travel modulo this (messages.hpp, id_modulus).
std::string check_exactly_once(std::uint64_t messages, std::uint64_t modulus, const std::vector<tally>& tallies);

/// What a consumer does with each message it receives.
template <class Msg>
void count_message(tally& t, const Msg& m, std::uint64_t messages, check_mode check) noexcept {
    const std::uint64_t id = id_of(m);
    ++t.count;
    t.sum += id;
    t.sum_squares += id * id;
    t.corrupt += !intact(m, check);
    t.foreign += id >= messages;
}

/// A consumer's two message buffers: read into next(), then call received();
/// each message is counted and checked after the next one is read, the last
/// by finish().  Messages of at most a cache line are counted at once from
/// one buffer instead: their check costs nothing to wait for, and the
/// alternating buffer (a store and a reload through a variable index per
/// message) would cost small messages more than it saves.
template <class Msg>
class receiver {
public:
    static constexpr bool at_once = sizeof(Msg) <= 64;

    Msg& next() noexcept { return buffers_[at_once ? 0 : current_]; }
    void received(tally& t, std::uint64_t messages, check_mode check) noexcept {
        if constexpr (at_once) {
            count_message(t, buffers_[0], messages, check);
        } else {
            if (pending_) count_message(t, buffers_[current_ ^ 1], messages, check);
            pending_ = true;
            current_ ^= 1;
        }
    }
    void finish(tally& t, std::uint64_t messages, check_mode check) noexcept {
        if (pending_) count_message(t, buffers_[current_ ^ 1], messages, check);
        pending_ = false;
    }

private:
    Msg buffers_[2]{};
    unsigned current_ = 0;
    bool pending_ = false;
};

/// The measure of a run from its clocks and tallies.
run_measure finish_run(std::chrono::steady_clock::time_point t0, std::chrono::steady_clock::time_point t1,
                       const usage& u0, const usage& u1, std::uint64_t messages, std::uint64_t modulus,
                       const std::vector<tally>& tallies);

}  // namespace detail

namespace detail {

/// Producer p's share of a run: ids p, p + P, ... below N; returns how many
/// it wrote.  Shared by the threaded and the process runs.
template <bench_queue Q>
std::uint64_t produce(Q& queue, typename Q::producer& handle, unsigned p, const run_config& config) {
    using Msg = typename Q::message_type;
    std::uint64_t n = 0;
    if constexpr (in_place_queue<Q>) {
        // In place: the same words, written into the slot (adapter.hpp).
        for (std::uint64_t id = p; id < config.messages; id += config.queue.producers, ++n)
            queue.write_in_place(handle, [&](Msg& slot) noexcept { fill_message(slot, id, config.check); });
    } else {
        Msg m{};
        for (std::uint64_t id = p; id < config.messages; id += config.queue.producers, ++n) {
            fill_message(m, id, config.check);
            queue.write(handle, std::move(m));  // a copy: m keeps its bytes for the next message
        }
    }
    if constexpr (requires { queue.flush(handle); }) queue.flush(handle);
    return n;
}

/// A consumer's share: reads until the run is over, into a tally.
template <bench_queue Q>
tally consume(Q& queue, typename Q::consumer& handle, const run_config& config) {
    using Msg = typename Q::message_type;
    tally t;
    if constexpr (in_place_queue<Q>) {
        // In place: checked in the slot before it is freed; no copy to wait for.
        while (queue.read_in_place(
            handle, [&](const Msg& m) noexcept { count_message(t, m, config.messages, config.check); })) {
        }
    } else {
        receiver<Msg> in;
        while (queue.read(handle, in.next())) in.received(t, config.messages, config.check);
        in.finish(t, config.messages, config.check);
    }
    return t;
}

}  // namespace detail

namespace detail {

/// Runs `producers` threads calling produce(handle, p) and `consumers`
/// threads calling consume(handle, c), each with the handle it made from
/// `queue` before the start: once every thread has its handle, at_start()
/// runs in this thread and releases them all; returns when all are joined.
/// The threaded throughput run and the one-way latency run (latency.hpp)
/// start their threads through it.
template <bench_queue Q, class Produce, class Consume, class AtStart>
void run_threads(Q& queue, unsigned producers, unsigned consumers, Produce&& produce, Consume&& consume,
                 AtStart&& at_start) {
    std::latch ready(producers + consumers);
    std::latch go(1);
    std::vector<std::thread> threads;
    threads.reserve(producers + consumers);
    for (unsigned p = 0; p < producers; ++p)
        threads.emplace_back([&, p] {
            auto handle = queue.make_producer();
            ready.count_down();
            go.wait();
            produce(handle, p);
        });
    for (unsigned c = 0; c < consumers; ++c)
        threads.emplace_back([&, c] {
            auto handle = queue.make_consumer();
            ready.count_down();
            go.wait();
            consume(handle, c);
        });
    ready.wait();
    at_start();  // happens before every thread's go.wait() returns
    go.count_down();
    for (auto& t : threads) t.join();
}

}  // namespace detail

template <bench_queue Q>
run_measure run_once(const run_config& config) {
    using Msg = typename Q::message_type;
    const unsigned producers = config.queue.producers, consumers = config.queue.consumers;
    const std::uint64_t messages = config.messages;

    Q queue(config.queue);
    std::atomic<unsigned> producers_left{producers};
    std::atomic<std::uint64_t> written{0};
    std::vector<detail::tally> tallies(consumers);
    detail::usage u0{};
    std::chrono::steady_clock::time_point t0;

    detail::run_threads(
        queue, producers, consumers,
        [&](typename Q::producer& handle, unsigned p) {
            const std::uint64_t n = detail::produce(queue, handle, p, config);
            // acq_rel, in this order: the last producer sees every producer's count.
            written.fetch_add(n, std::memory_order_acq_rel);
            if (producers_left.fetch_sub(1, std::memory_order_acq_rel) == 1)
                queue.close(handle, written.load(std::memory_order_acquire));
        },
        [&](typename Q::consumer& handle, unsigned c) { tallies[c] = detail::consume(queue, handle, config); },
        [&] {
            u0 = detail::usage::now();
            t0 = std::chrono::steady_clock::now();
        });
    const auto t1 = std::chrono::steady_clock::now();
    const auto u1 = detail::usage::now();

    return detail::finish_run(t0, t1, u0, u1, messages, id_modulus<Msg>, tallies);
}

template <bench_queue Q>
idle_measure run_idle(const idle_config& config) {
    using Msg = typename Q::message_type;
    Q queue(config.queue);
    std::latch ready(config.queue.consumers);
    std::atomic<std::uint64_t> read{0};
    std::vector<std::thread> threads;
    for (unsigned c = 0; c < config.queue.consumers; ++c)
        threads.emplace_back([&] {
            auto handle = queue.make_consumer();
            ready.count_down();
            Msg m{};
            while (queue.read(handle, m)) read.fetch_add(1, std::memory_order_relaxed);
        });
    ready.wait();
    std::this_thread::sleep_for(config.settle);
    const auto u0 = detail::usage::now();
    const auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(config.window);
    const auto t1 = std::chrono::steady_clock::now();
    const auto u1 = detail::usage::now();
    auto producer = queue.make_producer();
    queue.close(producer, 0);
    for (auto& t : threads) t.join();

    idle_measure r;
    r.window_seconds = std::chrono::duration<double>(t1 - t0).count();
    r.cpu_seconds = u1.cpu_seconds - u0.cpu_seconds;
    r.context_switches = u1.switches - u0.switches;
    return r;
}

}  // namespace msgpool_bench
