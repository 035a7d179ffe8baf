// bench/latency.hpp - the three latency workloads of msgpool-bench
// --latency, over the same adapters as the throughput runs (adapter.hpp),
// and the bare futex pair that is the wake-up floor.
//
// Clock: std::chrono::steady_clock (CLOCK_MONOTONIC on Linux), read as
// nanoseconds; every latency goes into a latency_histogram (resolution:
// latency_histogram.hpp).
//
// round trip (closed loop): two structures of the same system, one thread
// on each side, 8-byte messages.  The main thread writes message i into the
// first and reads the echo from the second; the echo thread reads from the
// first and writes what it read into the second.  A sample is the time
// from before the write to after the read, after `warmup` unrecorded round
// trips.  The same measure as atomic_queue's ping-pong.
//
// one-way (open loop): P producers, C consumers, one structure, 16-byte
// messages holding an id and the time the message was scheduled to be
// sent.  Producer p sends its k-th message at start + (k + p/P) * P/rate:
// a fixed schedule at rate/P messages per second each, whatever happens.
// It waits for that time (sleeping when more than 200 us ahead; closer,
// spinning on the clock when every thread has a core of its own, yielding
// when threads outnumber cores), records the pacing error (the clock when
// it found the time reached, minus the scheduled time) and writes.  A consumer records now - scheduled after read() returns.  So
// a stalled producer, a full structure or a sleeping consumer counts
// against every message it delays (no coordinated omission), and the
// pacing error beside it says how late the sends themselves were.  The
// first `warmup` messages of each producer are not recorded.  The last
// producer to finish closes the structure (adapter close()).  The run also
// keeps, from the common start, the time the last send was scheduled for
// and the time the last write returned (their ratio says whether the load
// was offered at all, latency_schedule.hpp) and the time the last message
// was read.
//
// one-way unpaced (rate 0, the calibration of the loads): the same threads,
// messages, clock reads and histogram records, with no schedule: each
// producer reads the clock, stamps the message with it, records a pacing
// error of 0 and writes at once.  Its
// messages over the time to the last read is what the system sustains
// under the one-way run's own instrumentation (a clock read per message on
// each side, a histogram record per message), which is the throughput the
// paced runs' loads are shares of (latency_run.hpp).
//
// wake-up: one producer, one consumer, 16-byte messages.  Before each read
// the consumer announces it (`reading`); the producer waits for that, then
// sleeps `blocked` (1 ms) so that the consumer has been blocked on the
// empty structure that long, reads the clock into the message and writes
// it.  A sample is the consumer's return from read() minus that stamp.
// The floor (run_futex_floor): the same protocol with a bare futex
// wait/wake pair on one 32-bit word (msgpool::sync::native::wait and
// wake_one) in place of a structure.
//
// Every workload checks that each message arrives exactly once (ids in
// order for the two 1x1 workloads, count and sum of ids for one-way) and
// says what it found in `failure` otherwise.
#pragma once

#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include <msgpool/sync/native.hpp>

#include "adapter.hpp"
#include "latency_histogram.hpp"
#include "messages.hpp"
#include "workload.hpp"

namespace msgpool_bench {

struct latency_config {
    queue_config queue;              // capacity; producers and consumers for one-way (the others are 1x1)
    std::uint64_t samples = 0;       // recorded: round trips, one-way messages (all producers), wake-ups
    std::uint64_t warmup = 0;        // not recorded: round trips, messages per producer, wake-ups
    double rate = 0;                 // one-way: messages per second, all producers together; 0: unpaced
    std::chrono::nanoseconds blocked{std::chrono::milliseconds(1)};  // wake-up: how long the consumer waits first
};

struct latency_measure {
    latency_histogram latency;  // nanoseconds
    latency_histogram pacing;   // one-way: actual minus scheduled send time, nanoseconds
    double seconds = 0;         // wall time of the measured part
    // one-way, from the common start (every message, warm-up included):
    double scheduled_seconds = 0;  // to the time the last send was scheduled for (0 unpaced)
    double sent_seconds = 0;       // to the return of the last write
    double read_seconds = 0;       // to the return of the last read
    std::uint64_t messages = 0;    // messages sent (warm-up included)
    std::string failure;        // empty when every message arrived once
};

/// The latency workloads a system offers (systems.hpp); null where it
/// takes no part: one-way and wake-up for moodycamel::ConcurrentQueue,
/// which cannot block; wake-up for every system that spins.
struct latency_workloads {
    latency_measure (*round_trip)(const latency_config&) = nullptr;  // 8-byte messages
    latency_measure (*one_way)(const latency_config&) = nullptr;     // 16-byte messages
    latency_measure (*wake_up)(const latency_config&) = nullptr;     // 16-byte messages
    bool any() const noexcept { return round_trip || one_way || wake_up; }
};

/// The 16-byte message of one-way and wake-up: an id, then a time (ns).
using stamped_message = message_of<16>;

namespace latency_detail {

inline std::int64_t now_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// What one now_ns() costs here, in nanoseconds of this thread's CPU time
/// (so that a preemption during the measurement does not count): the least
/// of 5 batches of 100000 back-to-back reads.  A one-way message costs a
/// read on each side, which bounds what its senders and consumers can move.
inline double clock_read_ns() noexcept {
    constexpr int reads = 100'000;
    const auto cpu_ns = [] {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
    };
    double best = 0;
    for (int batch = 0; batch < 5; ++batch) {
        const double t0 = cpu_ns();
        for (int i = 0; i < reads; ++i) (void)now_ns();  // a call into the C++ library: not elided
        const double each = (cpu_ns() - t0) / reads;
        best = batch == 0 ? each : std::min(best, each);
    }
    return best;
}

inline stamped_message stamped(std::uint64_t id, std::int64_t ns) noexcept {
    stamped_message m;
    std::memcpy(m.bytes, &id, 8);
    std::memcpy(m.bytes + 8, &ns, 8);
    return m;
}
inline std::int64_t stamp_of(const stamped_message& m) noexcept {
    std::int64_t ns;
    std::memcpy(&ns, m.bytes + 8, 8);
    return ns;
}
inline std::uint64_t elapsed(std::int64_t from, std::int64_t to) noexcept {
    return to > from ? static_cast<std::uint64_t>(to - from) : 0;
}

/// Waits until the steady clock reaches `ns` and returns the clock as it
/// found it there (the send time: one clock read per message, not two).
/// Sleeps while more than 200 us ahead.  Closer than that it spins on the
/// clock with a pause hint when `spin` (every thread has a core: a yield
/// would overshoot), and yields otherwise (with more threads than cores a
/// spinning producer would take the core from the consumer it feeds).
inline std::int64_t wait_until(std::int64_t ns, bool spin) noexcept {
    for (;;) {
        const std::int64_t now = now_ns(), left = ns - now;
        if (left <= 0) return now;
        if (left > 200'000)
            std::this_thread::sleep_for(std::chrono::nanoseconds(left - 100'000));
        else if (spin)
            msgpool::sync::native::pause();
        else
            std::this_thread::yield();
    }
}

/// Waits until `word` holds `value`, yielding.
inline void await(const std::atomic<std::uint64_t>& word, std::uint64_t value) noexcept {
    // acquire: pairs with the consumer's release store of `reading` [R1]:
    // what it did before announcing (reading the previous message) is done.
    while (word.load(std::memory_order_acquire) != value) std::this_thread::yield();
}

inline void add_failure(std::string& failure, const std::string& what) {
    failure += (failure.empty() ? "" : "; ") + what;
}

}  // namespace latency_detail

template <bench_queue Q>
latency_measure run_round_trip(const latency_config& config) {
    static_assert(std::is_same_v<typename Q::message_type, msg8>, "the round trip moves 8-byte messages");
    using namespace latency_detail;
    const queue_config one_each{config.queue.capacity, 1, 1};
    Q there(one_each), back(one_each);
    const std::uint64_t total = config.warmup + config.samples;
    std::latch ready(2);
    std::thread echo([&] {
        auto in = there.make_consumer();
        auto out = back.make_producer();
        ready.arrive_and_wait();
        msg8 m{};
        for (std::uint64_t i = 0; i < total && there.read(in, m); ++i) back.write(out, std::move(m));
    });
    auto out = there.make_producer();
    auto in = back.make_consumer();
    ready.arrive_and_wait();
    latency_measure r;
    std::uint64_t wrong = 0;
    const std::int64_t begin = now_ns();
    for (std::uint64_t i = 0; i < total; ++i) {
        const std::int64_t t0 = now_ns();
        there.write(out, msg8{i});
        msg8 m{};
        if (!back.read(in, m)) {
            add_failure(r.failure, "the echo ended after " + std::to_string(i) + " round trips");
            break;
        }
        const std::int64_t t1 = now_ns();
        wrong += m != i;
        if (i >= config.warmup) r.latency.record(elapsed(t0, t1));
    }
    r.seconds = static_cast<double>(now_ns() - begin) * 1e-9;
    echo.join();
    if (wrong) add_failure(r.failure, std::to_string(wrong) + " echoes carried another message's id");
    return r;
}

template <bench_queue Q>
latency_measure run_one_way(const latency_config& config) {
    static_assert(std::is_same_v<typename Q::message_type, stamped_message>, "one-way moves 16-byte messages");
    using namespace latency_detail;
    const unsigned producers = config.queue.producers, consumers = config.queue.consumers;
    const std::uint64_t per_producer = (config.samples + producers - 1) / producers + config.warmup;
    const std::uint64_t total = per_producer * producers;
    const bool paced = config.rate > 0;
    const double interval = paced ? 1e9 * producers / config.rate : 0;  // ns between two sends of one producer
    const bool spin = producers + consumers <= std::thread::hardware_concurrency();  // see wait_until

    Q queue(config.queue);
    struct alignas(64) consumer_tally {
        latency_histogram latency;
        std::uint64_t count = 0, sum = 0, foreign = 0;
        std::int64_t last_read = 0;
    };
    struct alignas(64) producer_tally {
        latency_histogram pacing;
        std::int64_t last_scheduled = 0, last_sent = 0;
    };
    std::vector<producer_tally> pacing(producers);  // one cache line each: every send writes its counters
    std::vector<consumer_tally> tallies(consumers);
    std::int64_t start = 0;  // written by at_start, read after the threads are released (run_threads)
    std::atomic<unsigned> producers_left{producers};

    detail::run_threads(
        queue, producers, consumers,
        [&](typename Q::producer& handle, unsigned p) {
            const double offset = interval * p / producers;
            producer_tally& t = pacing[p];
            if (!paced) wait_until(start, spin);  // as the paced run's first send: every thread is awake
            for (std::uint64_t k = 0; k < per_producer; ++k) {
                if (!paced) {  // the calibration: the same clock read and record, no schedule
                    const std::int64_t now = now_ns();
                    if (k >= config.warmup) t.pacing.record(0);
                    queue.write(handle, stamped(k * producers + p, now));
                    continue;
                }
                const std::int64_t scheduled = start + static_cast<std::int64_t>(offset + interval * k);
                const std::int64_t sent = wait_until(scheduled, spin);
                if (k >= config.warmup) t.pacing.record(elapsed(scheduled, sent));
                queue.write(handle, stamped(k * producers + p, scheduled));
                t.last_scheduled = scheduled;
            }
            t.last_sent = now_ns();
            // acq_rel: the last producer's decrement reads every other producer's
            // (release sequence on producers_left), so all their writes happen
            // before its close().
            if (producers_left.fetch_sub(1, std::memory_order_acq_rel) == 1) queue.close(handle, total);
        },
        [&](typename Q::consumer& handle, unsigned c) {
            consumer_tally& t = tallies[c];
            stamped_message m{};
            while (queue.read(handle, m)) {
                const std::int64_t got = now_ns();
                const std::uint64_t id = id_of(m);
                ++t.count;
                t.sum += id;
                t.foreign += id >= total;
                if (id / producers >= config.warmup) t.latency.record(elapsed(stamp_of(m), got));
                t.last_read = got;
            }
        },
        [&] { start = now_ns() + 1'000'000; });  // 1 ms: every thread is awake before the first send is due

    latency_measure r;
    const auto since_start = [&](std::int64_t ns) { return static_cast<double>(elapsed(start, ns)) * 1e-9; };
    r.seconds = since_start(now_ns());
    r.messages = total;
    std::uint64_t count = 0, sum = 0, foreign = 0;
    for (const auto& t : tallies) {
        r.latency.merge(t.latency);
        count += t.count;
        sum += t.sum;
        foreign += t.foreign;
        r.read_seconds = std::max(r.read_seconds, since_start(t.last_read));
    }
    for (const auto& t : pacing) {
        r.pacing.merge(t.pacing);
        r.scheduled_seconds = std::max(r.scheduled_seconds, since_start(t.last_scheduled));
        r.sent_seconds = std::max(r.sent_seconds, since_start(t.last_sent));
    }
    if (count != total)
        add_failure(r.failure, "read " + std::to_string(count) + " messages, expected " + std::to_string(total));
    if (foreign != 0 || sum != total * (total - 1) / 2) add_failure(r.failure, "the ids read are not 0..N-1, each once");
    return r;
}

template <bench_queue Q>
latency_measure run_wake_up(const latency_config& config) {
    static_assert(std::is_same_v<typename Q::message_type, stamped_message>, "wake-up moves 16-byte messages");
    using namespace latency_detail;
    const queue_config one_each{config.queue.capacity, 1, 1};
    Q queue(one_each);
    const std::uint64_t total = config.warmup + config.samples;
    alignas(64) std::atomic<std::uint64_t> reading{0};  // the consumer is about to read message `reading`
    latency_measure r;
    std::uint64_t wrong = 0;
    std::latch ready(2);
    std::thread consumer([&] {
        auto handle = queue.make_consumer();
        ready.arrive_and_wait();
        stamped_message m{};
        for (std::uint64_t i = 0; i < total; ++i) {
            reading.store(i, std::memory_order_release);  // [R1] release: pairs with await()'s acquire
            if (!queue.read(handle, m)) break;
            const std::int64_t got = now_ns();
            wrong += id_of(m) != i;
            if (i >= config.warmup) r.latency.record(elapsed(stamp_of(m), got));
        }
    });
    auto handle = queue.make_producer();
    ready.arrive_and_wait();
    const std::int64_t begin = now_ns();
    for (std::uint64_t i = 0; i < total; ++i) {
        await(reading, i);
        std::this_thread::sleep_for(config.blocked);
        queue.write(handle, stamped(i, now_ns()));
    }
    consumer.join();
    r.seconds = static_cast<double>(now_ns() - begin) * 1e-9;
    if (r.latency.count() != config.samples)
        add_failure(r.failure, "recorded " + std::to_string(r.latency.count()) + " wake-ups, expected " +
                                   std::to_string(config.samples));
    if (wrong) add_failure(r.failure, std::to_string(wrong) + " messages arrived out of turn");
    return r;
}

/// The wake-up floor: run_wake_up's protocol on a bare futex word.
inline latency_measure run_futex_floor(const latency_config& config) {
    using namespace latency_detail;
    using family = msgpool::sync::native;
    const std::uint64_t total = config.warmup + config.samples;
    alignas(64) family::wait_word word{0};                // message i is sent when word becomes i + 1 (mod 2^32)
    alignas(64) std::atomic<std::uint64_t> reading{0};  // as in run_wake_up
    std::int64_t stamp = 0;  // written before [F1], read after [F2]
    latency_measure r;
    std::latch ready(2);
    std::thread consumer([&] {
        ready.arrive_and_wait();
        for (std::uint64_t i = 0; i < total; ++i) {
            const auto before = static_cast<std::uint32_t>(i);
            reading.store(i, std::memory_order_release);  // [R1] release: pairs with await()'s acquire
            // [F2] acquire: pairs with [F1]; the stamp written before it is visible.
            while (word.load(std::memory_order_acquire) == before) family::wait(word, before);
            const std::int64_t got = now_ns();
            if (i >= config.warmup) r.latency.record(elapsed(stamp, got));
        }
    });
    ready.arrive_and_wait();
    const std::int64_t begin = now_ns();
    for (std::uint64_t i = 0; i < total; ++i) {
        await(reading, i);
        std::this_thread::sleep_for(config.blocked);
        stamp = now_ns();
        word.store(static_cast<std::uint32_t>(i + 1), std::memory_order_release);  // [F1] release: publishes stamp
        family::wake_one(word);
    }
    consumer.join();
    r.seconds = static_cast<double>(now_ns() - begin) * 1e-9;
    return r;
}

/// The workloads of one adapter family (Queue<msg8>, Queue<stamped_message>).
template <template <class> class Queue>
latency_workloads latency_workloads_of(bool one_way, bool wake_up) {
    latency_workloads w;
    w.round_trip = &run_round_trip<Queue<msg8>>;
    if (one_way) w.one_way = &run_one_way<Queue<stamped_message>>;
    if (wake_up) w.wake_up = &run_wake_up<Queue<stamped_message>>;
    return w;
}

}  // namespace msgpool_bench
