// bench/references.hpp - the reference rows: what a run costs without a pool,
// measured in the same run as the pools, per cell.
//
//   workload only          one thread fills and checks each message, no pool:
//                          the tool's own cost per message (messages.hpp);
//   copy through a buffer  one thread fills each message, copies it into a
//                          slot of a buffer of the pool's size (slots in
//                          turn), copies it out and checks it: the copies a
//                          pool makes, with no synchronisation;
//   halves hand-off        a producer and a consumer hand halves of such a
//                          buffer to each other, one flag per half: the
//                          producer copies messages into a half and sets its
//                          flag to their count, the consumer copies them out,
//                          checks them and clears it.  The least a transfer
//                          between two threads can cost with these copies.
//                          The flags are waited on with poll_backoff (spin,
//                          then yield).
//
// They ignore the cell's thread shape (one or two threads in every cell)
// and take its capacity and message size.  Every message goes through the
// same fill, check and exactly-once verdict as in a pool's run
// (workload.hpp), so `workload only` is the floor under every row.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <latch>
#include <thread>
#include <vector>

#include "peers/poll_backoff.hpp"
#include "workload.hpp"

namespace msgpool_bench {
namespace detail {

/// Keeps the compiler from folding a check into the fill just before it:
/// `p`'s bytes may have changed.
inline void opaque(const void* p) noexcept { asm volatile("" : : "r"(p) : "memory"); }

}  // namespace detail

template <class Msg>
run_measure run_workload_only(const run_config& config) {
    const std::uint64_t messages = config.messages;
    std::vector<detail::tally> tallies(1);
    Msg m{};
    const auto u0 = detail::usage::now();
    const auto t0 = std::chrono::steady_clock::now();
    for (std::uint64_t id = 0; id < messages; ++id) {
        fill_message(m, id, config.check);
        detail::opaque(&m);
        detail::count_message(tallies[0], m, messages, config.check);
    }
    const auto t1 = std::chrono::steady_clock::now();
    const auto u1 = detail::usage::now();
    return detail::finish_run(t0, t1, u0, u1, messages, id_modulus<Msg>, tallies);
}

template <class Msg>
run_measure run_copy_through_buffer(const run_config& config) {
    const std::uint64_t messages = config.messages;
    const std::size_t capacity = config.queue.capacity;
    std::vector<Msg> buffer(capacity);
    std::vector<detail::tally> tallies(1);
    Msg in{};
    detail::receiver<Msg> out;  // checks each message after the next, as a consumer of a pool does
    const auto u0 = detail::usage::now();
    const auto t0 = std::chrono::steady_clock::now();
    std::size_t slot = 0;
    for (std::uint64_t id = 0; id < messages; ++id) {
        fill_message(in, id, config.check);
        buffer[slot] = in;
        detail::opaque(&buffer[slot]);
        out.next() = buffer[slot];
        detail::opaque(&out.next());
        out.received(tallies[0], messages, config.check);
        slot = slot + 1 == capacity ? 0 : slot + 1;
    }
    out.finish(tallies[0], messages, config.check);
    const auto t1 = std::chrono::steady_clock::now();
    const auto u1 = detail::usage::now();
    return detail::finish_run(t0, t1, u0, u1, messages, id_modulus<Msg>, tallies);
}

template <class Msg>
run_measure run_halves_handoff(const run_config& config) {
    const std::uint64_t messages = config.messages;
    const std::size_t half = std::max<std::size_t>(1, config.queue.capacity / 2);
    std::vector<Msg> buffer(2 * half);
    struct alignas(64) flag {
        std::atomic<std::size_t> count{0};  // messages in the half; 0: the producer's to fill
    };
    flag flags[2];
    std::vector<detail::tally> tallies(1);
    std::latch ready(2), go(1);

    std::thread producer([&] {
        ready.count_down();
        go.wait();
        Msg m{};
        std::uint64_t id = 0;
        for (unsigned h = 0; id < messages; h ^= 1) {
            poll_backoff backoff;
            while (flags[h].count.load(std::memory_order_acquire) != 0) backoff.wait();  // pairs with the clear below
            const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(half, messages - id));
            for (std::size_t i = 0; i < n; ++i, ++id) {
                fill_message(m, id, config.check);
                buffer[h * half + i] = m;
            }
            flags[h].count.store(n, std::memory_order_release);  // publishes the half's messages
        }
    });
    std::thread consumer([&] {
        ready.count_down();
        go.wait();
        detail::tally t;
        detail::receiver<Msg> in;  // checks each message after the next, as a consumer of a pool does
        std::uint64_t taken = 0;
        for (unsigned h = 0; taken < messages; h ^= 1) {
            poll_backoff backoff;
            std::size_t n;
            while ((n = flags[h].count.load(std::memory_order_acquire)) == 0) backoff.wait();  // pairs with the store
            for (std::size_t i = 0; i < n; ++i) {
                in.next() = buffer[h * half + i];
                in.received(t, messages, config.check);
            }
            taken += n;
            flags[h].count.store(0, std::memory_order_release);  // hands the half back: our copies are done
        }
        in.finish(t, messages, config.check);
        tallies[0] = t;
    });

    ready.wait();
    const auto u0 = detail::usage::now();
    const auto t0 = std::chrono::steady_clock::now();
    go.count_down();
    producer.join();
    consumer.join();
    const auto t1 = std::chrono::steady_clock::now();
    const auto u1 = detail::usage::now();
    return detail::finish_run(t0, t1, u0, u1, messages, id_modulus<Msg>, tallies);
}

}  // namespace msgpool_bench
