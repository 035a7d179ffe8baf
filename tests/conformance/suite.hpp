// tests/conformance/suite.hpp - the conformance suite: one body per property of
// the contract (docs/design.md), run over every composition listed in
// `compositions_under_test` (a std::tuple of msgpool_test::composition<...>)
// by the translation unit that includes this file.
//
// Stress sizes scale with MSGPOOL_STRESS; hangs are caught by support/watchdog.hpp.
#pragma once

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "workload.hpp"
#include "../support/lifetime_counter.hpp"
#include "../support/reached_wait.hpp"
#include "../support/run_threads.hpp"
#include "../support/stress.hpp"

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
    using pool_type = on_observed<typename C::template pool<std::uint64_t>>;
    pool_type pool(4);
    constexpr std::size_t readers = 6;
    std::atomic<std::size_t> returned_false{0};
    reset_reached<pool_type>();
    std::thread closer([&] {
        await_reached<pool_type>(readers);  // every reader registered (or spinning): close() must wake them
        pool.close();
    });
    run_threads(readers, [&](std::size_t) {
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
    using pool_type = on_observed<typename C::template pool<std::uint64_t>>;
    pool_type pool(8);
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

    reset_reached<pool_type>();
    std::thread late_writer([&] {
        await_reached<pool_type>(1);  // the read below is waiting
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
    using pool_type = on_observed<typename C::template pool<std::uint64_t>>;
    pool_type pool(2);
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
    reset_reached<pool_type>();
    std::thread writer([&] {
        await_reached<pool_type>(1);  // the timed read below is waiting
        pool.write(11);
    });
    const auto t2 = clock_type::now();
    BOOST_TEST(pool.read_for(v, std::chrono::nanoseconds::max()));
    BOOST_TEST(v == 11u);
    BOOST_TEST((clock_type::now() - t2 < 30s));
    writer.join();

    reset_reached<pool_type>();
    std::thread writer2([&] {
        await_reached<pool_type>(1);
        pool.write(12);
    });
    BOOST_TEST(pool.read_until(v, clock_type::time_point::max()));
    BOOST_TEST(v == 12u);
    writer2.join();

    // close() ends a timed read at once.
    reset_reached<pool_type>();
    std::thread closer([&] {
        await_reached<pool_type>(1);
        pool.close();
    });
    const auto t3 = clock_type::now();
    BOOST_TEST(!pool.read_for(v, 60s));
    BOOST_TEST((clock_type::now() - t3 < 30s));
    closer.join();
}

// Far deadlines in coarse units mean "wait a long time", not "expired":
// time_point<steady_clock, seconds>::max(), a system_clock deadline 300 years
// ahead in hours, hours::max() and seconds::max() as durations.  Every timed
// form given one is still waiting after 200 ms and succeeds once a peer reads
// or writes.  (Compared in nanoseconds, such deadlines overflow and expire.)
BOOST_AUTO_TEST_CASE_TEMPLATE(far_deadlines_in_coarse_units_wait, C, compositions_under_test) {
    using std::chrono::hours;
    using std::chrono::seconds;
    const auto steady_far = std::chrono::time_point<clock_type, seconds>::max();
    const auto wall_far =
        std::chrono::time_point_cast<hours>(std::chrono::system_clock::now()) + hours(24 * 365 * 300);
    using pool_type = on_observed<typename C::template pool<std::uint64_t>>;

    // Each waiter runs one timed call in its own thread; true is success.
    struct waiters {
        std::vector<std::thread> threads;
        std::atomic<std::size_t> returned{0}, succeeded{0};
        void start(std::function<bool()> call) {
            threads.emplace_back([this, call = std::move(call)] {
                if (call()) succeeded.fetch_add(1);
                returned.fetch_add(1);
            });
        }
        void join() {
            for (auto& t : threads) t.join();
        }
    };

    {  // readers on an empty pool
        pool_type pool(8);
        waiters w;
        reset_reached<pool_type>();
        std::uint64_t out[5] = {};
        w.start([&] { return pool.read_until(out[0], steady_far); });
        w.start([&] { return pool.read_until(out[1], wall_far); });
        w.start([&] { return pool.read_for(out[2], hours::max()); });
        w.start([&] { return pool.read_bulk_until(std::span<std::uint64_t>(&out[3], 1), wall_far) == 1; });
        w.start([&] { return pool.read_bulk_for(std::span<std::uint64_t>(&out[4], 1), seconds::max()) == 1; });
        // Every call waits (or one gave up, which the check below reports).
        await_reached<pool_type>(w.threads.size(), [&] { return w.returned.load() != 0; });
        BOOST_TEST(w.returned.load() == 0u, w.returned.load() << " timed reads gave up at once");
        for (std::uint64_t i = 0; i < w.threads.size(); ++i) BOOST_TEST(pool.try_write(i));
        w.join();
        BOOST_TEST(w.succeeded.load() == w.threads.size());
    }
    {  // writers (and wait_until_empty) on a full pool
        pool_type pool(1);
        BOOST_TEST(pool.try_write(std::uint64_t{100}));
        waiters w;
        reset_reached<pool_type>();
        std::uint64_t in[2] = {105, 106};
        w.start([&] { return pool.write_until(std::uint64_t{101}, steady_far); });
        w.start([&] { return pool.write_until(std::uint64_t{102}, wall_far); });
        w.start([&] { return pool.write_for(std::uint64_t{103}, hours::max()); });
        w.start([&] { return pool.write_for(std::uint64_t{104}, seconds::max()); });
        w.start([&] { return pool.write_bulk_until(std::span<std::uint64_t>(&in[0], 1), steady_far) == 1; });
        w.start([&] { return pool.write_bulk_for(std::span<std::uint64_t>(&in[1], 1), hours::max()) == 1; });
        w.start([&] { return pool.wait_until_empty_for(hours::max()); });
        await_reached<pool_type>(w.threads.size(), [&] { return w.returned.load() != 0; });
        BOOST_TEST(w.returned.load() == 0u, w.returned.load() << " timed writes gave up at once");
        std::uint64_t v = 0, sum = 0;
        while (w.returned.load() < w.threads.size())  // read until every waiter is done
            if (pool.read_for(v, 10ms)) sum += v;
        while (pool.try_read(v)) sum += v;
        w.join();
        BOOST_TEST(w.succeeded.load() == w.threads.size());
        BOOST_TEST(sum == 100u + 101 + 102 + 103 + 104 + 105 + 106);
    }
}

// close() is an event, not only a state: a read blocked when close() runs
// returns false (the pool being empty) even when reopen() follows at once,
// whatever its form (blocking, timed on either clock, bulk); a read started
// after the reopen blocks as usual.  Each round: one reader blocks on the
// empty pool, then close(); reopen(); back to back.  A reader still blocked
// 5 s later fails the round (the test then closes the pool to free it).
BOOST_AUTO_TEST_CASE_TEMPLATE(close_then_reopen_ends_blocked_reads, C, compositions_under_test) {
    using pool_type = on_observed<typename C::template pool<std::uint64_t>>;
    pool_type pool(2);
    const std::size_t rounds = std::max<std::size_t>(50, scaled(50));
    std::size_t stuck = 0, got_true = 0, done_rounds = 0;
    for (std::size_t round = 0; round < rounds && stuck == 0; ++round, ++done_rounds) {
        std::atomic<bool> done{false}, result{false};
        reset_reached<pool_type>();
        std::thread reader([&, form = round % 4] {
            std::uint64_t v = 0;
            bool r = false;
            switch (form) {
                case 0: r = pool.read(v); break;
                case 1: r = pool.read_for(v, 60s); break;
                case 2: r = pool.read_bulk(std::span<std::uint64_t>(&v, 1)) != 0; break;
                default: r = pool.read_until(v, std::chrono::system_clock::now() + 60s); break;
            }
            result = r;
            done = true;
        });
        await_reached<pool_type>(1, [&] { return done.load(); });  // the read is waiting (or returned: reported below)
        pool.close();
        pool.reopen();
        const auto limit = clock_type::now() + 5s;
        // A bound, not an order: polls for the reader's end for at most 5 s.
        while (!done.load() && clock_type::now() < limit) std::this_thread::sleep_for(100us);
        if (!done.load()) {
            ++stuck;
            pool.close();  // frees the reader
        }
        reader.join();
        got_true += result.load();
        pool.reopen();
    }
    BOOST_TEST(stuck == 0u, "a reader blocked at close() slept on after reopen() (round " << done_rounds << ")");
    BOOST_TEST(got_true == 0u);
    std::uint64_t v = 0;
    const auto t0 = clock_type::now();
    BOOST_TEST(!pool.read_for(v, 30ms));  // started after the reopen: waits as usual
    BOOST_TEST((clock_type::now() - t0 >= 30ms));
}

// Swap forms whose two arguments are one object swap it with the slot, as
// the raw forms do when displaced == src: write(std::move(z), z) publishes
// z's message and hands back what the slot held; read(y, std::move(y))
// returns the message in y and leaves y's old value (a buffer) in the slot.
// Every swap form, in batches of 1 to capacity: every id arrives exactly
// once, every buffer comes back, and lifetimes balance.
BOOST_AUTO_TEST_CASE_TEMPLATE(swap_forms_with_aliased_arguments, C, compositions_under_test) {
    constexpr std::size_t cap = 3;
    constexpr std::uint64_t buffer = 1000;  // buffers are buffer + i; messages are ids below it
    const std::uint64_t messages = 120;
    lifetime_counter::reset();
    {
        typename C::template pool<lifetime_counter> pool(
            cap, [](lifetime_counter& slot, std::size_t i) { slot.value = buffer + i; });
        std::vector<std::uint32_t> seen(messages + 1, 0);
        std::size_t bad_displaced = 0, bad_read = 0;
        std::vector<lifetime_counter> held;  // the buffers handed back by writes, to give back by reads
        for (std::uint64_t id = 1; id <= messages;) {
            const std::size_t batch = 1 + id % cap;
            for (std::size_t k = 0; k < batch && id + k <= messages; ++k) {
                lifetime_counter z(id + k);
                if ((id + k) % 2 == 0)
                    pool.write(std::move(z), z);
                else if (!pool.try_write(std::move(z), z))
                    ++bad_displaced;
                if (z.value < buffer || z.value >= buffer + cap) ++bad_displaced;  // must be a buffer
                held.push_back(std::move(z));
            }
            for (std::size_t k = 0; !held.empty(); ++k) {
                lifetime_counter y(std::move(held.back()));
                held.pop_back();
                const std::uint64_t given = y.value;
                bool ok = false;
                switch ((id + k) % 4) {
                    case 0: ok = pool.read(y, std::move(y)); break;
                    case 1: ok = pool.try_read(y, std::move(y)); break;
                    case 2: ok = pool.read_for(y, std::move(y), 10s); break;
                    default: ok = pool.read_until(y, std::move(y), clock_type::now() + 10s); break;
                }
                if (ok && y.value >= 1 && y.value <= messages)
                    ++seen[y.value];
                else
                    ++bad_read;
                if (y.value == given) ++bad_read;  // the buffer must stay behind in the slot
            }
            id += batch;
        }
        std::uint32_t missing = 0, duplicated = 0;
        for (std::uint64_t id = 1; id <= messages; ++id) {
            missing += seen[id] == 0;
            duplicated += seen[id] > 1;
        }
        BOOST_TEST(missing == 0u);
        BOOST_TEST(duplicated == 0u);
        BOOST_TEST(bad_displaced == 0u);
        BOOST_TEST(bad_read == 0u);
        BOOST_TEST(pool.was_size() == 0u);
        std::vector<std::uint64_t> buffers;  // every buffer is back in a slot, once
        pool.for_each_element([&](lifetime_counter& e, std::size_t) { buffers.push_back(e.value); });
        std::sort(buffers.begin(), buffers.end());
        BOOST_TEST(buffers == (std::vector<std::uint64_t>{buffer, buffer + 1, buffer + 2}), boost::test_tools::per_element());
        BOOST_TEST(lifetime_counter::alive() == static_cast<long>(cap));
    }
    BOOST_TEST(lifetime_counter::alive() == 0);
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

/// An element whose copy throws for the value 13 (moves never throw): the
/// bulk copy form must copy before claiming, so a throw costs no slot.
struct copy_may_throw {
    std::uint64_t value = 0;
    copy_may_throw() = default;
    explicit copy_may_throw(std::uint64_t v) noexcept : value(v) {}
    copy_may_throw(const copy_may_throw& o) : value(o.value) {
        if (value == 13) throw std::runtime_error("copy_may_throw: 13");
    }
    copy_may_throw& operator=(const copy_may_throw& o) {
        if (o.value == 13) throw std::runtime_error("copy_may_throw: 13");
        value = o.value;
        return *this;
    }
    copy_may_throw(copy_may_throw&&) noexcept = default;
    copy_may_throw& operator=(copy_may_throw&&) noexcept = default;
};

// Bulk forms, 8 + 8 threads at capacity 1 and 37: producers write batches of
// 1 to 8 ids with write_bulk (moving and copying), try_write_bulk,
// write_bulk_for and single writes; consumers read with read_bulk,
// try_read_bulk, read_bulk_for and single reads.  Every id exactly once, and
// read_bulk returns 0 (without blocking) once the pool is closed and empty.
// Then, single-threaded: empty spans return 0 at once, a bulk write fills
// exactly the free slots and moves from exactly what it wrote, a failed one
// touches nothing, a bulk read takes what is there, and a copy that throws
// costs no slot and no message.
BOOST_AUTO_TEST_CASE_TEMPLATE(bulk_exactly_once_close_and_edges, C, compositions_under_test) {
    for (std::size_t cap : {std::size_t{1}, std::size_t{37}}) {
        typename C::template pool<std::uint64_t> pool(cap);
        constexpr std::size_t producers = 8, consumers = 8;
        const std::uint64_t messages = scaled(cap == 1 ? 4000 : 16000);
        std::vector<std::atomic<std::uint32_t>> seen(messages);
        std::atomic<std::uint64_t> foreign{0}, bad_count{0};
        std::atomic<std::size_t> producers_left{producers};
        run_threads(producers + consumers, [&](std::size_t t) {
            std::uint64_t buf[8];
            if (t < producers) {
                std::uint64_t next = t;
                for (std::size_t batch = 0; next < messages; ++batch) {
                    std::size_t n = 0;
                    for (; n < 1 + (batch + t) % 8 && next < messages; next += producers) buf[n++] = next;
                    const std::size_t form = (t + batch) % 5;
                    for (std::size_t done = 0; done < n;) {
                        const std::span<std::uint64_t> rest(buf + done, n - done);
                        std::size_t k = 0;
                        switch (form) {
                            case 0: k = pool.write_bulk(rest); break;
                            case 1: k = pool.write_bulk(std::span<const std::uint64_t>(rest)); break;
                            case 2:
                                k = pool.try_write_bulk(rest);
                                if (k == 0) std::this_thread::yield();
                                break;
                            case 3: k = pool.write_bulk_for(rest, 200us); break;
                            default:
                                pool.write(rest[0]);
                                k = 1;
                                break;
                        }
                        if (k > rest.size() || (form < 2 && k == 0)) bad_count.fetch_add(1);  // blocking: k >= 1
                        done += k;
                    }
                }
                if (producers_left.fetch_sub(1) == 1) pool.close();
            } else {
                const std::span<std::uint64_t> out(buf, 1 + t % 8);
                auto record = [&](std::size_t k) {
                    if (k > out.size()) bad_count.fetch_add(1);
                    for (std::size_t j = 0; j < k && j < out.size(); ++j) {
                        if (out[j] < messages)
                            seen[out[j]].fetch_add(1, std::memory_order_relaxed);  // relaxed: read after join()
                        else
                            foreign.fetch_add(1, std::memory_order_relaxed);
                    }
                };
                for (std::size_t round = 0;; ++round) {
                    const std::size_t form = (t + round) % 4;
                    std::size_t k = 0;
                    switch (form) {
                        case 0: k = pool.read_bulk(out); break;
                        case 1: k = pool.try_read_bulk(out); break;
                        case 2: k = pool.read_bulk_for(out, 200us); break;
                        default: k = pool.read(out[0]) ? 1 : 0; break;
                    }
                    record(k);
                    if (k != 0) continue;
                    if (form == 0 || form == 3) break;  // blocking: closed and empty
                    if (pool.is_closed()) {
                        // Every write returned before close(): drain, then the
                        // blocking form must return 0 at once (a hang is caught).
                        while ((k = pool.try_read_bulk(out)) != 0) record(k);
                        if (pool.read_bulk(out) != 0) bad_count.fetch_add(1);
                        break;
                    }
                    if (form == 1) std::this_thread::yield();
                }
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
        BOOST_TEST(r.ok(), "capacity " << cap << ": " << r.describe());
        BOOST_TEST(bad_count.load() == 0u, "capacity " << cap);
    }

    using element = std::unique_ptr<std::uint64_t>;
    typename C::template pool<element> pool(5);
    element out[8];
    BOOST_TEST(pool.read_bulk(std::span<element>(out, 0)) == 0u);  // open and empty: 0 at once, no wait
    std::vector<element> in;
    for (std::uint64_t i = 0; i < 7; ++i) in.push_back(std::make_unique<std::uint64_t>(i));
    BOOST_TEST(pool.write_bulk(in) == 5u);  // exactly the free slots
    for (std::uint64_t i = 0; i < 7; ++i) BOOST_TEST((i < 5 ? !in[i] : (in[i] && *in[i] == i)));
    const std::span<element> rest = std::span<element>(in).subspan(5);
    BOOST_TEST(pool.write_bulk(rest.first(0)) == 0u);  // full: 0 at once, no wait
    BOOST_TEST(pool.try_write_bulk(rest) == 0u);
    BOOST_TEST(pool.write_bulk_for(rest, 5ms) == 0u);
    BOOST_TEST(pool.write_bulk_until(rest, clock_type::now() + 1ms) == 0u);
    BOOST_TEST((in[5] && *in[5] == 5 && in[6] && *in[6] == 6));  // failed: untouched
    BOOST_TEST(pool.read_bulk(std::span<element>(out, 3)) == 3u);
    BOOST_TEST(pool.read_bulk_until(std::span<element>(out + 3, 5), clock_type::now() + 10s) == 2u);  // what is there
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < 5; ++i) sum += out[i] ? *out[i] : 1000;
    BOOST_TEST(sum == 10u);
    BOOST_TEST(pool.try_read_bulk(std::span<element>(out)) == 0u);
    BOOST_TEST(pool.read_bulk_for(std::span<element>(out), 5ms) == 0u);
    pool.close();
    const auto t0 = clock_type::now();
    BOOST_TEST(pool.read_bulk(std::span<element>(out)) == 0u);  // closed and empty
    BOOST_TEST(pool.read_bulk_for(std::span<element>(out), 10s) == 0u);
    BOOST_TEST((clock_type::now() - t0 < 5s));

    typename C::template pool<copy_may_throw> copies(4);
    std::vector<copy_may_throw> values;
    for (std::uint64_t v : {1, 2, 13, 4}) values.emplace_back(v);  // moves, never copies
    const std::vector<copy_may_throw>& src = values;
    BOOST_TEST(copies.write_bulk(src) == 2u);  // stops before the copy that throws
    BOOST_CHECK_THROW(copies.write_bulk(std::span<const copy_may_throw>(src).subspan(2)), std::runtime_error);
    BOOST_TEST(copies.was_size() == 2u);
    BOOST_TEST(copies.try_write_bulk(std::span<const copy_may_throw>(src).subspan(3)) == 1u);
    BOOST_TEST(copies.try_write_bulk(std::span<const copy_may_throw>(src).first(2)) == 1u);  // no slot was lost
    BOOST_TEST(copies.was_size() == 4u);
}

// Bulk claims (one claim for several slots where the composition has them,
// has_bulk_claims; slot by slot elsewhere, and the same checks hold): tiny
// capacities around a group of seven lanes and a power-of-two ring lap
// (1, 2, 3, 6, 7, 8, 13, 15), 4 + 4 threads moving batches of up to 32
// ids with the blocking, try_ and timed bulk forms; every id exactly once.
// Then, single-threaded, partial bulks at the edges: with f slots free, a
// bulk write of n takes min(n, f) (every free slot is found without
// waiting) and moves from exactly those; a bulk read of n on m messages
// takes min(n, m); at full and at empty the try_ and expired timed forms
// take nothing and touch nothing; a closed, empty pool gives 0 at once.
BOOST_AUTO_TEST_CASE_TEMPLATE(bulk_claims_tiny_capacities_and_partial_bulks, C, compositions_under_test) {
    using pool_type = typename C::template pool<std::uint64_t>;
    for (std::size_t cap : {1u, 2u, 3u, 6u, 7u, 8u, 13u, 15u}) {
        pool_type pool(cap);
        constexpr std::size_t producers = 4, consumers = 4;
        const std::uint64_t messages = scaled(6000);
        std::vector<std::atomic<std::uint32_t>> seen(messages);
        std::atomic<std::uint64_t> foreign{0}, bad_count{0};
        std::atomic<std::size_t> producers_left{producers};
        run_threads(producers + consumers, [&](std::size_t t) {
            std::uint64_t buf[32];
            if (t < producers) {
                std::uint64_t next = t;
                for (std::size_t batch = 0; next < messages; ++batch) {
                    std::size_t n = 0;
                    for (; n < 1 + (batch * 7 + t) % 32 && next < messages; next += producers) buf[n++] = next;
                    const std::size_t form = (t + batch) % 3;
                    for (std::size_t done = 0; done < n;) {
                        const std::span<std::uint64_t> rest(buf + done, n - done);
                        std::size_t k = 0;
                        switch (form) {
                            case 0: k = pool.write_bulk(rest); break;
                            case 1:
                                k = pool.try_write_bulk(rest);
                                if (k == 0) std::this_thread::yield();  // a retry loop; no ordering rests on it
                                break;
                            default: k = pool.write_bulk_for(rest, 100us); break;
                        }
                        if (k > rest.size() || (form == 0 && k == 0)) bad_count.fetch_add(1);
                        done += k;
                    }
                }
                if (producers_left.fetch_sub(1) == 1) pool.close();
            } else {
                const std::span<std::uint64_t> out(buf, 1 + (t * 11) % 32);
                for (std::size_t round = 0;; ++round) {
                    const std::size_t form = (t + round) % 3;
                    std::size_t k = 0;
                    switch (form) {
                        case 0: k = pool.read_bulk(out); break;
                        case 1: k = pool.try_read_bulk(out); break;
                        default: k = pool.read_bulk_for(out, 100us); break;
                    }
                    if (k > out.size()) bad_count.fetch_add(1);
                    for (std::size_t j = 0; j < k && j < out.size(); ++j) {
                        if (out[j] < messages)
                            seen[out[j]].fetch_add(1, std::memory_order_relaxed);  // relaxed: read after join()
                        else
                            foreign.fetch_add(1, std::memory_order_relaxed);
                    }
                    if (k != 0) continue;
                    if (form == 0) break;  // blocking: closed and empty
                    if (form == 1) std::this_thread::yield();  // a retry loop; no ordering rests on it
                }
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
        BOOST_TEST(r.ok(), "capacity " << cap << ": " << r.describe());
        BOOST_TEST(bad_count.load() == 0u, "capacity " << cap);
    }

    using element = std::unique_ptr<std::uint64_t>;
    using owning_pool = typename C::template pool<element>;
    for (std::size_t cap : {1u, 2u, 3u, 7u, 8u, 9u, 14u, 15u}) {
        owning_pool pool(cap);
        std::uint64_t next_id = 0, next_expected = 0;
        std::vector<element> in, out(40);
        for (std::size_t round = 0; round < 12; ++round) {
            // Fill part of the pool, then a bulk write of n: min(n, free).
            const std::size_t held = pool.was_size();
            const std::size_t n = 1 + (round * 5) % 20;
            in.clear();
            for (std::size_t i = 0; i < n; ++i) in.push_back(std::make_unique<std::uint64_t>(next_id + i));
            const std::size_t want = std::min(n, cap - held);
            const std::size_t k = round % 2 == 0 ? pool.try_write_bulk(in) : pool.write_bulk_for(in, 10ms);
            BOOST_TEST(k == want, "capacity " << cap << ", round " << round << ": wrote " << k << " of " << n);
            for (std::size_t i = 0; i < n; ++i) BOOST_TEST((i < k ? !in[i] : (in[i] && *in[i] == next_id + i)));
            next_id += k;
            BOOST_TEST(pool.was_size() == held + k);
            // Full: nothing taken, nothing touched.
            if (pool.was_size() == cap) {
                element extra = std::make_unique<std::uint64_t>(999);
                BOOST_TEST(pool.try_write_bulk(std::span<element>(&extra, 1)) == 0u);
                BOOST_TEST(pool.write_bulk_for(std::span<element>(&extra, 1), 1ms) == 0u);
                BOOST_TEST((extra && *extra == 999));
            }
            // A bulk read of m: min(m, what is there), each id once, none lost.
            const std::size_t m = 1 + (round * 3) % 9;
            const std::size_t there = pool.was_size();
            const std::size_t got = round % 3 == 0 ? pool.try_read_bulk(std::span<element>(out).first(m))
                                                   : pool.read_bulk(std::span<element>(out).first(m));
            BOOST_TEST(got == std::min(m, there), "capacity " << cap << ", round " << round);
            for (std::size_t j = 0; j < got; ++j) {
                BOOST_TEST_REQUIRE(out[j] != nullptr);
                next_expected += 1;
                out[j].reset();
            }
        }
        // Drain: every id written comes out exactly once.
        std::size_t left = 0;
        for (std::size_t got; (got = pool.try_read_bulk(std::span<element>(out))) != 0;) left += got;
        BOOST_TEST(next_expected + left == next_id, "capacity " << cap);
        BOOST_TEST(pool.was_size() == 0u);
        // Empty: nothing taken, nothing touched, and 0 at once once closed.
        BOOST_TEST(pool.try_read_bulk(std::span<element>(out)) == 0u);
        BOOST_TEST(pool.read_bulk_for(std::span<element>(out), 1ms) == 0u);
        pool.close();
        const auto t0 = clock_type::now();
        BOOST_TEST(pool.read_bulk(std::span<element>(out)) == 0u);
        BOOST_TEST((clock_type::now() - t0 < 5s));
    }
}

// Slot handles, 4 + 4 threads at capacity 1 and 16.  Writers fill slots in
// place through claim_write / try_claim_write / claim_write_for and commit,
// except one id in five, whose handle is dropped (reset or destroyed): those
// ids must never arrive, and the slot must come back (a lost slot hangs the
// capacity-1 pool).  Readers take messages through claim_read /
// try_claim_read / claim_read_for, read in place or move out, move handles
// around (a move-assignment releases the slot it overwrites).  Every other id
// arrives exactly once and element lifetimes balance.  Then: try_ and timed
// forms fail exactly when they must, commit() on an empty handle throws, and
// wait_until_empty waits for an open write handle (until it is committed and
// read, or returned) and for an open read handle.  A claim without
// abandon_write has no write handles: those parts are skipped, and its
// messages are written with write().  fetch_add_ring has no handles at all
// (a held slot stalls its ring): only that is checked there, and
// tests/compile_fail/{write,read}_handle_fetch_add_ring.cpp prove the
// rejection.
template <class Pool>
void check_slot_handles() {
    using pool_type = Pool;
    constexpr bool writable = pool_type::has_write_handles;
    const auto dropped = [](std::uint64_t id) { return id % 5 == 3; };
    lifetime_counter::reset();
    for (std::size_t cap : {std::size_t{1}, std::size_t{16}}) {
        pool_type pool(cap);
        constexpr std::size_t producers = 4, consumers = 4;
        const std::uint64_t messages = scaled(cap == 1 ? 3000 : 12000);
        std::vector<std::atomic<std::uint32_t>> seen(messages);
        std::atomic<std::uint64_t> foreign{0}, bad_count{0};
        std::atomic<std::size_t> producers_left{producers};
        run_threads(producers + consumers, [&](std::size_t t) {
            if (t < producers) {
                for (std::uint64_t id = t; id < messages; id += producers) {
                    if constexpr (writable) {
                        typename pool_type::write_handle h;
                        switch (id % 3) {
                            case 0: h = pool.claim_write(); break;
                            case 1:
                                while (!(h = pool.try_claim_write())) std::this_thread::yield();
                                break;
                            default:
                                while (!(h = pool.claim_write_for(200us))) {
                                }
                                break;
                        }
                        h->value = id + 1;  // 0 stays "no message"
                        if (dropped(id)) {
                            if (id % 2 == 0) h.reset();  // else the destructor returns it
                            if (id % 2 == 0 && (h || h.get() != nullptr)) bad_count.fetch_add(1);
                        } else {
                            auto moved = std::move(h);
                            if (h || !moved) bad_count.fetch_add(1);
                            moved.commit();
                            if (moved) bad_count.fetch_add(1);
                        }
                    } else if (!dropped(id)) {
                        pool.write(lifetime_counter(id + 1));
                    }
                }
                if (producers_left.fetch_sub(1) == 1) pool.close();
            } else {
                auto record = [&](const lifetime_counter& m) {
                    if (m.value != 0 && m.value <= messages && m.canary == 0xC0FFEE)
                        seen[m.value - 1].fetch_add(1, std::memory_order_relaxed);  // relaxed: read after join()
                    else
                        foreign.fetch_add(1, std::memory_order_relaxed);
                };
                for (std::size_t round = 0;; ++round) {
                    const std::size_t form = (t + round) % 3;
                    typename pool_type::read_handle h;
                    switch (form) {
                        case 0: h = pool.claim_read(); break;
                        case 1: h = pool.try_claim_read(); break;
                        default: h = pool.claim_read_for(200us); break;
                    }
                    if (!h) {
                        if (form == 0) break;  // closed and empty
                        if (pool.is_closed()) {
                            while (auto d = pool.try_claim_read()) record(*d);
                            break;
                        }
                        if (form == 1) std::this_thread::yield();
                        continue;
                    }
                    if (round % 2 == 0) {
                        lifetime_counter m = std::move(*h);  // move out; the slot keeps a moved-from value
                        record(m);
                        h.release();
                        if (h) bad_count.fetch_add(1);
                    } else {
                        record(*h);  // in place
                        // A second claim while holding one: fine where read
                        // handles exist (a held slot blocks nobody).
                        if (auto h2 = pool.try_claim_read()) {
                            record(*h2);
                            h = std::move(h2);  // releases h's slot, takes h2's
                            if (h2 || !h) bad_count.fetch_add(1);
                        } else {
                            typename pool_type::read_handle h3(std::move(h));
                            h = std::move(h3);
                            if (h3 || !h) bad_count.fetch_add(1);
                        }
                    }  // h's destructor releases what it holds
                }
            }
        });
        std::uint64_t missing = 0, duplicated = 0, phantom = 0;
        for (std::uint64_t id = 0; id < messages; ++id) {
            const auto n = seen[id].load();
            if (dropped(id)) {
                phantom += n != 0;
            } else {
                missing += n == 0;
                duplicated += n > 1;
            }
        }
        BOOST_TEST(missing == 0u, "capacity " << cap);
        BOOST_TEST(duplicated == 0u, "capacity " << cap);
        BOOST_TEST(phantom == 0u, "capacity " << cap << ": ids of dropped write handles arrived");
        BOOST_TEST(foreign.load() == 0u, "capacity " << cap);
        BOOST_TEST(bad_count.load() == 0u, "capacity " << cap);
        BOOST_TEST(pool.was_size() == 0u);
        BOOST_TEST(lifetime_counter::alive() == static_cast<long>(cap));  // the slots' elements, nothing else
    }
    BOOST_TEST(lifetime_counter::alive() == 0);

    pool_type pool(1);
    BOOST_TEST(!pool.try_claim_read());
    BOOST_TEST(!pool.claim_read_for(5ms));
    BOOST_TEST(!pool.claim_read_until(clock_type::now() + 1ms));
    typename pool_type::write_handle none;
    BOOST_TEST(!none);
    BOOST_TEST(none.get() == nullptr);
    BOOST_CHECK_THROW(none.commit(), std::logic_error);
    none.reset();  // no effect

    // wait_until_empty() waits while a handle is open: a write handle until it
    // is committed and the message read, or until it is returned; a read
    // handle until it is released.  A missing notification hangs the join.
    std::atomic<bool> early{false};
    auto in_background = [&](auto&& first, auto&& then) {
        std::atomic<bool> done{false};
        reset_reached<pool_type>();
        std::thread waiter([&] {
            pool.wait_until_empty();
            done = true;
        });
        await_reached<pool_type>(1, [&] { return done.load(); });  // waiting (or back early: flagged below)
        first();
        // Paces only: it gives a wrong early return time to show.  Missing it
        // never makes the test fail falsely; a hang still fails the join.
        std::this_thread::sleep_for(10ms);
        if (done.load()) early = true;
        then();
        waiter.join();
    };
    if constexpr (writable) {
        auto h = pool.claim_write();
        BOOST_TEST(!pool.try_claim_write());  // the one slot is held
        BOOST_TEST(!pool.claim_write_for(5ms));
        BOOST_TEST(!pool.wait_until_empty_for(5ms));  // a write in progress
        h->value = 7;
        h.reset();  // returned: no message, and the slot is free again
        BOOST_TEST(!h);
        BOOST_TEST(pool.was_size() == 0u);
        BOOST_TEST(pool.wait_until_empty_for(0ms));
        BOOST_TEST(!pool.try_claim_read());
        BOOST_CHECK_THROW(h.commit(), std::logic_error);
        h = pool.try_claim_write();  // the capacity-1 pool still works
        BOOST_TEST(static_cast<bool>(h));
        in_background(
            [&] {
                h->value = 8;
                h.commit();
            },
            [&] {
            auto r = pool.claim_read();
            BOOST_TEST((r && r->value == 8u));
        });
        h = pool.claim_write();
        in_background([] {}, [&] { h.reset(); });
    } else {
        pool.write(lifetime_counter(8));
    }
    if constexpr (!writable) {
        auto r = pool.claim_read();
        BOOST_TEST((r && r->value == 8u));
    }
    pool.write(lifetime_counter(9));
    auto r = pool.claim_read();
    BOOST_TEST((r && r->value == 9u));
    in_background([] {}, [&] { r.release(); });
    BOOST_TEST(!early.load());
    BOOST_TEST(pool.wait_until_empty_for(0ms));
    pool.close();
    const auto t0 = clock_type::now();
    BOOST_TEST(!pool.claim_read());  // closed and empty: at once
    BOOST_TEST(!pool.claim_read_for(10s));
    BOOST_TEST((clock_type::now() - t0 < 5s));
}
BOOST_AUTO_TEST_CASE_TEMPLATE(slot_handles_exactly_once_and_lifetimes, C, compositions_under_test) {
    using pool_type = on_observed<typename C::template pool<lifetime_counter>>;
    if constexpr (pool_type::has_read_handles)
        check_slot_handles<pool_type>();
    else  // no handles at all: a claim that cannot hold a read slot has no write handles either
        BOOST_TEST(!pool_type::has_write_handles);
}

// Putting a message back (read_handle::put_back), 8 + 8 threads at
// capacity 1 and 16 (more threads than cores).  Readers claim messages
// through read handles; the first two claims of every id with id % 3 == 1
// put it back unread, after writing a mark into it in place (the canary
// stays), and the third reads it.  Every id arrives exactly once, with the
// marks of both put-backs, and element lifetimes balance.  Then, on a
// capacity-1 pool: a put-back wakes a reader that sleeps on the empty pool
// (its only message is held; a missing notify hangs the join, and the
// watchdog fails the test), and wait_until_empty() waits through a
// put-back, since the message was never read.  Only for claims that can
// put back (has_put_back: cas_scan and index_queue).
template <class Pool>
void check_put_back() {
    using pool_type = Pool;
    const auto returned = [](std::uint64_t id) { return id % 3 == 1; };
    constexpr std::uint64_t mark = std::uint64_t{1} << 40;  // added to value by each put-back
    lifetime_counter::reset();
    for (std::size_t cap : {std::size_t{1}, std::size_t{16}}) {
        pool_type pool(cap);
        constexpr std::size_t producers = 8, consumers = 8;
        const std::uint64_t messages = scaled(cap == 1 ? 3000 : 12000);
        std::vector<std::atomic<std::uint32_t>> seen(messages), claims(messages);
        std::atomic<std::uint64_t> foreign{0}, bad_marks{0}, bad_count{0};
        std::atomic<std::size_t> producers_left{producers};
        run_threads(producers + consumers, [&](std::size_t t) {
            if (t < producers) {
                for (std::uint64_t id = t; id < messages; id += producers) pool.write(lifetime_counter(id + 1));
                if (producers_left.fetch_sub(1) == 1) pool.close();
                return;
            }
            while (auto h = pool.claim_read()) {
                const std::uint64_t id = (h->value % mark) - 1;
                if (h->value % mark == 0 || id >= messages || h->canary != 0xC0FFEE) {
                    foreign.fetch_add(1, std::memory_order_relaxed);  // relaxed: counted after join()
                    continue;
                }
                // relaxed: the claim order of one id is carried by the pool (each claim follows the put-back)
                const std::uint32_t claim = claims[id].fetch_add(1, std::memory_order_relaxed);
                if (returned(id) && claim < 2) {
                    if (h->value / mark != claim) bad_marks.fetch_add(1, std::memory_order_relaxed);
                    h->value += mark;  // in place: the next reader must see it
                    h.put_back();
                    if (h) bad_count.fetch_add(1, std::memory_order_relaxed);
                    continue;
                }
                if (h->value / mark != (returned(id) ? 2u : 0u)) bad_marks.fetch_add(1, std::memory_order_relaxed);
                seen[id].fetch_add(1, std::memory_order_relaxed);  // relaxed: read after join()
            }
        });
        std::uint64_t missing = 0, duplicated = 0, wrong_claims = 0;
        for (std::uint64_t id = 0; id < messages; ++id) {
            missing += seen[id].load() == 0;
            duplicated += seen[id].load() > 1;
            wrong_claims += claims[id].load() != (returned(id) ? 3u : 1u);
        }
        BOOST_TEST(missing == 0u, "capacity " << cap);
        BOOST_TEST(duplicated == 0u, "capacity " << cap);
        BOOST_TEST(wrong_claims == 0u, "capacity " << cap << ": ids claimed other than 1 (or 3) times");
        BOOST_TEST(bad_marks.load() == 0u, "capacity " << cap << ": a put-back lost what was done in place");
        BOOST_TEST(foreign.load() == 0u, "capacity " << cap);
        BOOST_TEST(bad_count.load() == 0u, "capacity " << cap);
        BOOST_TEST(pool.was_size() == 0u);
        BOOST_TEST(lifetime_counter::alive() == static_cast<long>(cap));
    }
    BOOST_TEST(lifetime_counter::alive() == 0);

    pool_type pool(1);
    typename pool_type::read_handle none;
    BOOST_CHECK_THROW(none.put_back(), std::logic_error);
    pool.write(lifetime_counter(5));
    auto h = pool.claim_read();
    BOOST_TEST((h && h->value == 5u));
    BOOST_TEST(!pool.try_claim_read());  // the one message is held
    // A reader asleep on the "empty" pool: the put-back must wake it.
    std::uint64_t got = 0;
    reset_reached<pool_type>();
    std::thread reader([&] {
        lifetime_counter m;
        if (pool.read(m)) got = m.value;
    });
    await_reached<pool_type>(1);  // registered (or spinning) for a message
    h->value = 6;
    h.put_back();
    reader.join();  // a lost wake-up hangs here: the watchdog fails the test
    BOOST_TEST(got == 6u);
    // wait_until_empty() through a put-back: the message was never read.
    pool.write(lifetime_counter(7));
    h = pool.claim_read();
    BOOST_TEST(!pool.wait_until_empty_for(5ms));
    h.put_back();
    BOOST_TEST(!pool.wait_until_empty_for(5ms));
    BOOST_TEST(pool.was_size() == 1u);
    h = pool.claim_read();
    BOOST_TEST((h && h->value == 7u));
    h.release();
    BOOST_TEST(pool.wait_until_empty_for(0ms));
}
BOOST_AUTO_TEST_CASE_TEMPLATE(put_back_exactly_once_and_wakes, C, compositions_under_test) {
    using pool_type = on_observed<typename C::template pool<lifetime_counter>>;
    if constexpr (pool_type::has_put_back)
        check_put_back<pool_type>();
    else
        BOOST_TEST(!pool_type::has_read_handles);  // every claim with read handles can put back
}

}  // namespace msgpool_test
