// tests/conformance/suite.hpp - the conformance suite: one body per property of
// the contract (docs/design.md), run over every composition listed in
// `compositions_under_test` (a std::tuple of msgpool_test::composition<...>)
// by the translation unit that includes this file.
//
// Stress sizes scale with MSGPOOL_STRESS; hangs are caught by support/watchdog.hpp.
#pragma once

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "conformance/workload.hpp"
#include "support/lifetime_counter.hpp"
#include "support/run_threads.hpp"
#include "support/stress.hpp"

namespace msgpool_test {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

struct shape {
    std::size_t producers, consumers;
};
inline constexpr shape shapes[] = {{1, 1}, {2, 2}, {4, 4}, {8, 8}, {1, 6}, {6, 1}};
inline constexpr std::size_t capacities[] = {1, 7, 1024};

// Every message through the pool is delivered exactly once, by id, over the
// whole thread-shape x capacity matrix, with 8-byte messages.
BOOST_AUTO_TEST_CASE_TEMPLATE(exactly_once_by_id, C, compositions_under_test) {
    for (auto cap : capacities)
        for (auto s : shapes) {
            typename C::template pool<std::uint64_t> pool(cap);
            const auto r = run_workload<std::uint64_t>(pool, s.producers, s.consumers, scaled(cap == 1 ? 4000 : 20000));
            BOOST_TEST(r.ok(), "capacity " << cap << ", " << s.producers << "x" << s.consumers << ": " << r.describe());
        }
}

// 64-byte messages whose bodies must arrive intact (happens-before of the
// whole element, not just one word).
BOOST_AUTO_TEST_CASE_TEMPLATE(exactly_once_wide_messages_intact, C, compositions_under_test) {
    for (std::size_t cap : {std::size_t{1}, std::size_t{64}}) {
        typename C::template pool<wide_message> pool(cap);
        const auto r = run_workload<wide_message>(pool, 4, 4, scaled(20000));
        BOOST_TEST(r.ok(), "capacity " << cap << ": " << r.describe());
    }
}

// Move-only elements through the blocking, timed and try_ forms, mixed by thread.
BOOST_AUTO_TEST_CASE_TEMPLATE(exactly_once_mixed_forms_move_only, C, compositions_under_test) {
    for (std::size_t cap : {std::size_t{1}, std::size_t{3}, std::size_t{256}}) {
        typename C::template pool<std::unique_ptr<std::uint64_t>> pool(cap);
        const auto r = run_workload<std::unique_ptr<std::uint64_t>>(pool, 3, 3, scaled(6000), mode::mixed);
        BOOST_TEST(r.ok(), "capacity " << cap << ": " << r.describe());
    }
}

// Lost wake-ups: capacity 1 and 2, both sides blocking, 8 + 8 threads on a
// 2-core machine, hundreds of short rounds of write / close / drain / reopen;
// every other round also calls wait_until_empty() before closing.  A lost
// wake-up shows up as a hang (the watchdog turns it into a failure).
BOOST_AUTO_TEST_CASE_TEMPLATE(lost_wakeup_hunt, C, compositions_under_test) {
    for (std::size_t cap : {std::size_t{1}, std::size_t{2}}) {
        typename C::template pool<std::uint64_t> pool(cap);
        const std::size_t rounds = scaled(150);
        std::size_t failures = 0;
        std::string first_failure;
        for (std::size_t round = 0; round < rounds; ++round) {
            constexpr std::size_t producers = 8, consumers = 8, per_producer = 3;
            const std::uint64_t messages = producers * per_producer;
            std::vector<std::atomic<std::uint32_t>> seen(messages);
            std::atomic<std::uint64_t> foreign{0};
            std::atomic<std::size_t> producers_left{producers};
            const bool drain_first = round % 2 == 1;
            run_threads(producers + consumers, [&](std::size_t i) {
                if (i < producers) {
                    produce<decltype(pool), std::uint64_t>(pool, mode::blocking, i, producers, messages);
                    if (producers_left.fetch_sub(1) == 1) {
                        if (drain_first) pool.wait_until_empty();
                        pool.close();
                    }
                } else {
                    consume<decltype(pool), std::uint64_t>(pool, mode::blocking, seen, foreign);
                }
            });
            workload_result r;
            r.messages = messages;
            for (auto& x : seen) {
                r.missing += x.load() == 0;
                r.duplicated += x.load() > 1;
            }
            r.foreign = foreign.load();
            r.left_in_pool = pool.was_size();
            if (!r.ok() && failures++ == 0) first_failure = "round " + std::to_string(round) + ": " + r.describe();
            pool.reopen();
        }
        BOOST_TEST(failures == 0u, "capacity " << cap << ": " << failures << " bad rounds; first: " << first_failure);
    }
}

// close() wakes every reader blocked on an empty pool; they return false.
BOOST_AUTO_TEST_CASE_TEMPLATE(close_wakes_blocked_readers, C, compositions_under_test) {
    typename C::template pool<std::uint64_t> pool(4);
    constexpr std::size_t readers = 6;
    std::atomic<std::size_t> returned_false{0};
    std::atomic<std::size_t> started{0};
    std::thread closer([&] {
        while (started.load() < readers) std::this_thread::yield();
        std::this_thread::sleep_for(20ms);  // let them block (not required for correctness)
        pool.close();
    });
    run_threads(readers, [&](std::size_t) {
        started.fetch_add(1);
        std::uint64_t v;
        if (!pool.read(v)) returned_false.fetch_add(1);
    });
    closer.join();
    BOOST_TEST(returned_false.load() == readers);
    BOOST_TEST(pool.is_closed());
}

// After close(), reads drain what is left, then fail without blocking; writes
// are still accepted and readable; reopen() makes reads block again.
BOOST_AUTO_TEST_CASE_TEMPLATE(close_drain_and_reopen, C, compositions_under_test) {
    typename C::template pool<std::uint64_t> pool(8);
    for (std::uint64_t i = 0; i < 5; ++i) pool.write(i);
    pool.close();
    std::uint64_t sum = 0, v = 0;
    std::size_t n = 0;
    while (pool.read(v)) {
        sum += v;
        ++n;
    }
    BOOST_TEST(n == 5u);
    BOOST_TEST(sum == 10u);
    BOOST_TEST(!pool.read(v));
    BOOST_TEST(!pool.try_read(v));
    const auto t0 = clock_type::now();
    BOOST_TEST(!pool.read_for(v, 10s));  // closed and empty: fails at once, not after 10 s
    BOOST_TEST((clock_type::now() - t0 < 5s));

    pool.write(42);  // writes stay allowed after close
    BOOST_TEST(pool.read(v));
    BOOST_TEST(v == 42u);

    pool.reopen();
    BOOST_TEST(!pool.is_closed());
    const auto t1 = clock_type::now();
    BOOST_TEST(!pool.read_for(v, 30ms));  // open and empty: blocks until the timeout
    BOOST_TEST((clock_type::now() - t1 >= 30ms));

    std::thread late_writer([&] {
        std::this_thread::sleep_for(20ms);
        pool.write(7);
    });
    BOOST_TEST(pool.read(v));  // blocks until the late write
    BOOST_TEST(v == 7u);
    late_writer.join();
}

// wait_until_empty: immediate on an idle pool; otherwise returns only once
// every message has been read, while readers are still working.
BOOST_AUTO_TEST_CASE_TEMPLATE(wait_until_empty_waits_for_readers, C, compositions_under_test) {
    typename C::template pool<std::uint64_t> pool(16);
    pool.wait_until_empty();  // nothing written: returns at once
    BOOST_TEST(pool.wait_until_empty_for(0ms));

    for (std::size_t round = 0; round < scaled(20); ++round) {
        const std::uint64_t messages = 200;
        std::atomic<std::uint64_t> read_count{0};
        std::atomic<bool> violation{false};
        run_threads(4, [&](std::size_t i) {
            if (i == 0) {
                for (std::uint64_t k = 0; k < messages; ++k) pool.write(k);
                pool.wait_until_empty();
                // Every message has been taken out of its slot by now.
                std::uint64_t v;
                if (pool.was_size() != 0 || pool.try_read(v)) violation = true;
                pool.close();
            } else {
                std::uint64_t v;
                while (pool.read(v)) {
                    if ((v & 7) == 0) std::this_thread::yield();  // slow readers widen the race
                    read_count.fetch_add(1);
                }
            }
        });
        BOOST_TEST(!violation.load());
        BOOST_TEST(read_count.load() == messages);
        pool.reopen();
    }

    pool.write(1);
    BOOST_TEST(!pool.wait_until_empty_for(20ms));  // a message nobody reads: times out
    std::uint64_t v;
    BOOST_TEST(pool.try_read(v));
    BOOST_TEST(pool.wait_until_empty_for(0ms));
}

// Swap forms recycle buffers without allocation: every slot starts with a
// buffer from the initialiser, a writer gets back a buffer (never a message)
// for each message it writes, a reader leaves a buffer behind.  No message is
// lost or duplicated and no buffer leaks.
BOOST_AUTO_TEST_CASE_TEMPLATE(swap_recycles_move_only_buffers, C, compositions_under_test) {
    constexpr std::uint64_t blank = ~std::uint64_t{0};
    lifetime_counter::reset();
    {
        using element = std::unique_ptr<lifetime_counter>;
        constexpr std::size_t cap = 5;
        std::vector<std::size_t> init_calls;
        typename C::template pool<element> pool(cap, [&](std::size_t i) {
            init_calls.push_back(i);
            return std::make_unique<lifetime_counter>(blank);
        });
        BOOST_TEST(init_calls.size() == cap);
        for (std::size_t i = 0; i < cap; ++i) BOOST_TEST(init_calls[i] == i);

        constexpr std::size_t producers = 3, consumers = 3;
        const std::uint64_t messages = scaled(3000);
        std::vector<std::atomic<std::uint32_t>> seen(messages);
        std::atomic<std::uint64_t> bad_displaced{0}, bad_read{0};
        std::atomic<std::size_t> producers_left{producers};
        std::vector<std::vector<element>> displaced(producers);
        run_threads(producers + consumers, [&](std::size_t t) {
            if (t < producers) {
                for (std::uint64_t id = t; id < messages; id += producers) {
                    element back;
                    pool.write(std::make_unique<lifetime_counter>(id), back);
                    if (!back || back->value != blank) bad_displaced.fetch_add(1);
                    displaced[t].push_back(std::move(back));
                }
                if (producers_left.fetch_sub(1) == 1) pool.close();
            } else {
                element out;
                while (pool.read(out, std::make_unique<lifetime_counter>(blank))) {
                    if (out && out->value < messages)
                        seen[out->value].fetch_add(1);
                    else
                        bad_read.fetch_add(1);
                }
            }
        });
        std::size_t missing = 0, duplicated = 0, returned = 0;
        for (auto& s : seen) {
            missing += s.load() == 0;
            duplicated += s.load() > 1;
        }
        for (auto& d : displaced) returned += d.size();
        BOOST_TEST(missing == 0u);
        BOOST_TEST(duplicated == 0u);
        BOOST_TEST(bad_displaced.load() == 0u);
        BOOST_TEST(bad_read.load() == 0u);
        BOOST_TEST(returned == messages);
        // Buffers alive: one per slot, plus those handed back to writers.
        BOOST_TEST(lifetime_counter::alive() == static_cast<long>(cap + messages));
    }
    BOOST_TEST(lifetime_counter::alive() == 0);
}

// The argument of a failed try_ or timed operation is untouched; swap forms
// return what the slot held.
BOOST_AUTO_TEST_CASE_TEMPLATE(failed_operations_leave_arguments_untouched, C, compositions_under_test) {
    using element = std::unique_ptr<std::uint64_t>;
    typename C::template pool<element> pool(1);
    BOOST_TEST(pool.try_write(std::make_unique<std::uint64_t>(1)));
    element keep = std::make_unique<std::uint64_t>(2);
    BOOST_TEST(!pool.try_write(std::move(keep)));
    BOOST_TEST((keep && *keep == 2));
    BOOST_TEST(!pool.write_for(std::move(keep), 5ms));
    BOOST_TEST((keep && *keep == 2));
    element displaced;
    BOOST_TEST(!pool.try_write(std::move(keep), displaced));
    BOOST_TEST((keep && *keep == 2 && !displaced));

    element out;
    element replacement = std::make_unique<std::uint64_t>(99);
    BOOST_TEST(pool.try_read(out, std::move(replacement)));
    BOOST_TEST((out && *out == 1 && !replacement));
    replacement = std::make_unique<std::uint64_t>(98);
    BOOST_TEST(!pool.try_read(out, std::move(replacement)));  // empty: nothing taken
    BOOST_TEST((replacement && *replacement == 98));
    BOOST_TEST(!pool.read_for(out, std::move(replacement), 5ms));
    BOOST_TEST((replacement && *replacement == 98 && *out == 1));

    BOOST_TEST(pool.try_write(std::move(keep), displaced));  // the slot held 99 (the replacement)
    BOOST_TEST((displaced && *displaced == 99 && !keep));
}

// Capacity is exactly what was asked: a pool of capacity n takes n messages
// when empty and refuses the (n+1)th, whatever the policy.
BOOST_AUTO_TEST_CASE_TEMPLATE(capacity_is_exact, C, compositions_under_test) {
    for (std::size_t cap : {std::size_t{1}, std::size_t{3}, std::size_t{10}, std::size_t{1000}, std::size_t{1025}}) {
        typename C::template pool<std::uint64_t> pool(cap);
        BOOST_TEST(pool.capacity() == cap);
        BOOST_TEST(pool.was_size() == 0u);
        std::size_t accepted = 0;
        while (accepted <= cap && pool.try_write(accepted)) ++accepted;
        BOOST_TEST(accepted == cap);
        BOOST_TEST(pool.was_size() == cap);
        BOOST_TEST(!pool.write_until(std::uint64_t{0}, clock_type::now() + 1ms));
        std::uint64_t v, sum = 0;
        std::size_t taken = 0;
        while (pool.try_read(v)) {
            sum += v;
            ++taken;
        }
        BOOST_TEST(taken == cap);
        BOOST_TEST(sum == cap * (cap - 1) / 2);
        BOOST_TEST(pool.was_size() == 0u);
    }
}

// Timed forms at their edges: expired deadlines still succeed when they need
// not wait; timeouts take at least as long as asked; a wait ends early when
// the pool changes; other clocks and huge durations work.
BOOST_AUTO_TEST_CASE_TEMPLATE(timed_forms_at_their_edges, C, compositions_under_test) {
    typename C::template pool<std::uint64_t> pool(2);
    std::uint64_t v = 0;
    BOOST_TEST(pool.write_until(std::uint64_t{5}, clock_type::now() - 1s));  // not full: no wait needed
    BOOST_TEST(pool.write_for(std::uint64_t{6}, -1ms));
    BOOST_TEST(!pool.write_for(std::uint64_t{7}, 0ms));  // full
    const auto t0 = clock_type::now();
    BOOST_TEST(!pool.write_for(std::uint64_t{7}, 25ms));
    BOOST_TEST((clock_type::now() - t0 >= 25ms));
    BOOST_TEST(pool.read_until(v, clock_type::now() - 1s));
    BOOST_TEST(pool.read_until(v, std::chrono::system_clock::now() + 1s));  // another clock
    BOOST_TEST(!pool.read_until(v, std::chrono::system_clock::now() + 20ms));
    const auto t1 = clock_type::now();
    BOOST_TEST(!pool.read_for(v, 25ms));
    BOOST_TEST((clock_type::now() - t1 >= 25ms));

    // A waiting timed read is satisfied by a write long before its deadline,
    // even with the largest durations (no overflow in the deadline arithmetic).
    std::thread writer([&] {
        std::this_thread::sleep_for(20ms);
        pool.write(11);
    });
    const auto t2 = clock_type::now();
    BOOST_TEST(pool.read_for(v, std::chrono::nanoseconds::max()));
    BOOST_TEST(v == 11u);
    BOOST_TEST((clock_type::now() - t2 < 30s));
    writer.join();

    std::thread writer2([&] {
        std::this_thread::sleep_for(20ms);
        pool.write(12);
    });
    BOOST_TEST(pool.read_until(v, clock_type::time_point::max()));
    BOOST_TEST(v == 12u);
    writer2.join();

    // close() ends a timed read at once.
    std::thread closer([&] {
        std::this_thread::sleep_for(20ms);
        pool.close();
    });
    const auto t3 = clock_type::now();
    BOOST_TEST(!pool.read_for(v, 60s));
    BOOST_TEST((clock_type::now() - t3 < 30s));
    closer.join();
}

// Every element constructed is destroyed exactly once: slots built with and
// without an initialiser, messages moved through under threads, and a pool
// destroyed while still holding messages.
BOOST_AUTO_TEST_CASE_TEMPLATE(element_lifetimes_balance, C, compositions_under_test) {
    lifetime_counter::reset();
    {
        typename C::template pool<lifetime_counter> pool(32);
        BOOST_TEST(lifetime_counter::alive() == 32);
        std::atomic<std::uint64_t> sum{0};
        const std::uint64_t messages = scaled(4000);
        std::atomic<std::size_t> producers_left{2};
        run_threads(4, [&](std::size_t t) {
            if (t < 2) {
                for (std::uint64_t id = t; id < messages; id += 2) pool.write(lifetime_counter(id));
                if (producers_left.fetch_sub(1) == 1) pool.close();
            } else {
                lifetime_counter m;
                while (pool.read(m)) sum.fetch_add(m.value);
            }
        });
        BOOST_TEST(sum.load() == messages * (messages - 1) / 2);
        BOOST_TEST(lifetime_counter::alive() == 32);
        for (std::uint64_t i = 0; i < 20; ++i) pool.write(lifetime_counter(i));  // left inside on destruction
    }
    BOOST_TEST(lifetime_counter::alive() == 0);

    lifetime_counter::reset();
    {
        typename C::template pool<lifetime_counter> pool(9, [](lifetime_counter& slot, std::size_t i) { slot.value = i; });
        lifetime_counter m;
        pool.write(lifetime_counter(100));
        BOOST_TEST(pool.read(m));
        BOOST_TEST(m.value == 100u);
    }
    BOOST_TEST(lifetime_counter::alive() == 0);
}

// Bad input: a clear exception, and nothing leaks.
BOOST_AUTO_TEST_CASE_TEMPLATE(bad_capacity_is_a_clear_error, C, compositions_under_test) {
    using pool_type = typename C::template pool<std::uint64_t>;
    BOOST_CHECK_EXCEPTION(pool_type(0), std::invalid_argument, [](const std::invalid_argument& e) {
        return std::string(e.what()).find("capacity") != std::string::npos;
    });
    for (std::size_t huge : {std::numeric_limits<std::size_t>::max(), std::numeric_limits<std::size_t>::max() / 2,
                             std::size_t{1} << 44}) {
        BOOST_CHECK_EXCEPTION(pool_type{huge}, std::length_error, [](const std::length_error& e) {
            return std::string(e.what()).find("capacity") != std::string::npos;
        });
    }

    lifetime_counter::reset();
    struct init_failed {};
    auto throwing_init = [](lifetime_counter& slot, std::size_t i) {
        if (i == 5) throw init_failed{};
        slot.value = i;
    };
    using counted_pool = typename C::template pool<lifetime_counter>;
    BOOST_CHECK_THROW(counted_pool(8, throwing_init), init_failed);
    BOOST_TEST(lifetime_counter::alive() == 0);
}

}  // namespace msgpool_test
