// tests/dsched/scenarios.hpp - the key scenarios, each a small
// program over basic_pool<msg, Claim, Wait, Storage, dsched::sync> that sets
// up on the main thread, runs 2 to 4 scheduled threads at capacity 1 to 3, and
// checks its verdict.  A scenario draws its shape (capacity, thread counts,
// which forms of read and write) from the seed's parameter generator, so one
// seed fixes everything and replays exactly.
//
// Every scenario also checks, through msg (checked.hpp), that each element
// access is ordered after the previous conflicting one, and ends with a drain
// by a scheduled thread (so a claim that swallows a message shows up as a
// try_read failing on a pool whose was_size() is not 0, or as a livelock).
//
// exactly_once, close_wakes_readers, drain_races_read and dropped_write_handle
// place their producers (writers, the closer, the callers of
// wait_until_empty) and consumers (readers) in the processes the composition
// names (across_processes): all in one process unless it says otherwise.
//
//   exactly_once        writers and blocking readers; the last writer closes
//   close_wakes_readers readers blocked on an empty pool; close() must wake all
//   reopen_after_close  drain a closed pool, then reopen/write/close against readers
//   timed_next_to_peer  a timed read next to writes, or a timed write next to reads
//   drain_races_read    wait_until_empty() against the reads that empty the pool
//   try_not_empty_full  try_read / try_write on a pool that is neither empty nor
//                       full: a failure is checked against the linearisable bounds
//   dropped_write_handle write handles dropped without commit next to writes,
//                       handle and plain reads and a wait_until_empty() (only
//                       for claim policies with abandon_write: `applicable`)
//   put_back            a reader puts claimed messages back unread next to
//                       writes, reads and a wait_until_empty() (only for claim
//                       policies with abandon_read: `applicable`)
//   bulk_exactly_once   write_bulk / read_bulk (blocking and timed) of 1-4
//                       messages at capacity 1-4, where the bulk claim of a
//                       claim policy that has one takes several slots at once
//   wake_one_each       2-4 threads asleep on one channel, each owed exactly one
//                       notify_one (a reader per message, or a writer per free
//                       slot), no close to wake them, and a timed waiter beside
//                       them that hands back what it gets: a wake-up a notify_one
//                       loses leaves a sleeper asleep for good
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <msgpool/concepts/claim_policy.hpp>

#include "checked.hpp"
#include "driver.hpp"
#include "scheduler.hpp"
#include "sync_family.hpp"

namespace msgpool_test::dsched {

template <class C>
using pool_t = typename C::template pool<msg>;

/// Exactly-once bookkeeping by id.
class ledger {
public:
    ledger(scheduler& s, std::size_t max_id) : s_(s), seen_(max_id + 1, 0), expected_(max_id + 1, 0) {}

    void got(std::uint64_t id) {
        if (id == 0 || id >= seen_.size()) {
            s_.fail("a read returned garbage (id " + std::to_string(id) + ")");
            return;
        }
        if (seen_[id]++ != 0) s_.fail("message " + std::to_string(id) + " was read twice");
    }
    void expect(std::uint64_t id) { expected_.at(id) = 1; }

    /// Every expected id seen exactly once, nothing else seen.
    void check() {
        for (std::size_t id = 1; id < seen_.size(); ++id) {
            if (expected_[id] && seen_[id] == 0) s_.fail("message " + std::to_string(id) + " was written but never read");
            if (!expected_[id] && seen_[id] != 0) s_.fail("message " + std::to_string(id) + " was read but never written");
        }
    }

private:
    scheduler& s_;
    std::vector<unsigned> seen_;
    std::vector<unsigned char> expected_;
};

/// Empties the pool with try_read on a scheduled thread, then requires
/// was_size() == 0.  False if the run was aborted.
template <class Pool>
bool drain(scheduler& s, Pool& pool, ledger& book) {
    if (!s.run({[&] {
            msg m;
            while (pool.try_read(m)) book.got(m.id());
        }}))
        return false;
    if (pool.was_size() != 0)
        s.fail("try_read fails on a pool whose was_size() is " + std::to_string(pool.was_size()) +
               " (a swallowed message?)");
    book.check();
    return true;
}

/// Whether a scenario runs for composition C: a scenario may say
/// `static constexpr bool applicable = ...;` (default: it always does).
template <class Scenario>
inline constexpr bool applicable = [] {
    if constexpr (requires { Scenario::applicable; })
        return static_cast<bool>(Scenario::applicable);
    else
        return true;
}();

/// The process (scheduler::run) of a scenario's producers and of its
/// consumers: a composition may name them (`static constexpr unsigned
/// producer_process, consumer_process`); by default both are 0, every thread
/// in one process.
template <class C>
inline constexpr unsigned producer_process = [] {
    if constexpr (requires { C::producer_process; })
        return static_cast<unsigned>(C::producer_process);
    else
        return 0u;
}();
template <class C>
inline constexpr unsigned consumer_process = [] {
    if constexpr (requires { C::consumer_process; })
        return static_cast<unsigned>(C::consumer_process);
    else
        return 0u;
}();

/// Composition C with its producers in process 1 and its consumers in
/// process 2: a pool two processes share (its family should be a
/// process-shared one, sync_family.hpp's basic_shared_sync).
template <class C>
struct across_processes : C {
    static constexpr unsigned producer_process = 1;
    static constexpr unsigned consumer_process = 2;
};

inline clock::time_point after(std::int64_t ticks) { return clock::now() + std::chrono::nanoseconds(ticks); }

// ---------------------------------------------------------------------------------------------
template <class C>
struct exactly_once {
    static constexpr const char* name = "exactly_once";
    static constexpr limits lim{1, 200, 40'000};

    void operator()(scheduler& s) const {
        rng& p = s.params();
        static constexpr unsigned shapes[][2] = {{1, 1}, {2, 1}, {1, 2}, {2, 2}, {3, 1}, {1, 3}};
        const auto& shape = shapes[p.below(6)];
        const unsigned writers = shape[0], readers = shape[1], per_writer = 2;
        pool_t<C> pool(1 + p.below(3));
        ledger book(s, writers * per_writer);
        unsigned writers_left = writers;
        std::vector<std::function<void()>> threads;
        std::vector<unsigned> processes;
        for (unsigned w = 0; w < writers; ++w) {
            const bool swap = p.below(2) == 0;
            processes.push_back(producer_process<C>);
            threads.push_back([&, w, swap] {
                for (unsigned k = 0; k < per_writer; ++k) {
                    msg m(1 + w * per_writer + k);
                    if (swap) {
                        msg displaced;
                        pool.write(std::move(m), displaced);
                        if (displaced.id() != 0) s.fail("a swap write displaced a live message");
                    } else {
                        pool.write(std::move(m));
                    }
                }
                if (--writers_left == 0) pool.close();
            });
            for (unsigned k = 0; k < per_writer; ++k) book.expect(1 + w * per_writer + k);
        }
        for (unsigned r = 0; r < readers; ++r) {
            const bool swap = p.below(2) == 0;
            processes.push_back(consumer_process<C>);
            threads.push_back([&, swap] {
                msg m;
                while (swap ? pool.read(m, msg{}) : pool.read(m)) book.got(m.id());
            });
        }
        if (!s.run(std::move(threads), std::move(processes))) return;
        if (pool.was_size() != 0) s.fail("closed pool not empty after its readers returned false");
        book.check();
    }
};

// ---------------------------------------------------------------------------------------------
template <class C>
struct close_wakes_readers {
    static constexpr const char* name = "close_wakes_readers";
    static constexpr limits lim{1, 150, 40'000};

    void operator()(scheduler& s) const {
        rng& p = s.params();
        const unsigned readers = 1 + static_cast<unsigned>(p.below(3));
        const unsigned messages = static_cast<unsigned>(p.below(3));
        pool_t<C> pool(1 + p.below(3));
        ledger book(s, 2);
        std::vector<std::function<void()>> threads;
        std::vector<unsigned> processes(readers, consumer_process<C>);
        for (unsigned r = 0; r < readers; ++r)
            threads.push_back([&] {
                msg m;
                while (pool.read(m)) book.got(m.id());
            });
        threads.push_back([&] {
            for (unsigned k = 1; k <= messages; ++k) pool.write(msg(k));
            pool.close();
        });
        processes.push_back(producer_process<C>);
        for (unsigned k = 1; k <= messages; ++k) book.expect(k);
        if (!s.run(std::move(threads), std::move(processes))) return;
        if (pool.was_size() != 0) s.fail("closed pool not empty after its readers returned false");
        book.check();
    }
};

// ---------------------------------------------------------------------------------------------
template <class C>
struct reopen_after_close {
    static constexpr const char* name = "reopen_after_close";
    static constexpr limits lim{1, 200, 40'000};

    void operator()(scheduler& s) const {
        rng& p = s.params();
        const unsigned first = 1 + static_cast<unsigned>(p.below(2));
        const unsigned readers = 1 + static_cast<unsigned>(p.below(2));
        pool_t<C> pool(1 + p.below(3));
        ledger book(s, 100);
        // Phase 1: write, close, drain with a blocking reader.
        for (unsigned k = 1; k <= first; ++k) book.expect(k);
        if (!s.run({[&] {
                        for (unsigned k = 1; k <= first; ++k) pool.write(msg(k));
                        pool.close();
                    },
                    [&] {
                        msg m;
                        while (pool.read(m)) book.got(m.id());
                    }}))
            return;
        if (!pool.is_closed()) s.fail("pool not closed after close()");
        // Phase 2: reopen, write, close, against readers that read until false.
        book.expect(100);
        std::vector<std::function<void()>> threads;
        threads.push_back([&] {
            pool.reopen();
            pool.write(msg(100));
            pool.close();
        });
        for (unsigned r = 0; r < readers; ++r)
            threads.push_back([&] {
                msg m;
                while (pool.read(m)) book.got(m.id());
            });
        if (!s.run(std::move(threads))) return;
        drain(s, pool, book);  // message 100 stays if every reader finished before the reopen
    }
};

// ---------------------------------------------------------------------------------------------
template <class C>
struct timed_next_to_peer {
    static constexpr const char* name = "timed_next_to_peer";
    static constexpr limits lim{2, 200, 40'000};

    void operator()(scheduler& s) const {
        rng& p = s.params();
        const std::size_t cap = 1 + p.below(3);
        pool_t<C> pool(cap);
        ledger book(s, 200);
        std::vector<std::function<void()>> threads;
        if (p.below(2) == 0) {
            // Timed reads next to blocking writes (at most `cap` of them, so none blocks forever).
            const unsigned readers = 1 + static_cast<unsigned>(p.below(2));
            const unsigned writers = 1 + static_cast<unsigned>(p.below(cap < 2 ? cap : 2));
            for (unsigned r = 0; r < readers; ++r) {
                const std::int64_t ticks = static_cast<std::int64_t>(p.below(60));
                threads.push_back([&, r, ticks] {
                    const std::uint64_t sentinel = 150 + r;
                    msg out(sentinel);
                    const auto deadline = after(ticks);
                    if (pool.read_until(out, deadline)) {
                        book.got(out.id());
                    } else {
                        if (out.id() != sentinel) s.fail("a timed-out read changed its argument");
                        if (clock::now() < deadline) s.fail("a timed read gave up before its deadline");
                    }
                });
            }
            for (unsigned w = 0; w < writers; ++w) {
                book.expect(1 + w);
                threads.push_back([&, w] { pool.write(msg(1 + w)); });
            }
        } else {
            // Timed writes into a full pool next to blocking reads (at most `cap` of them).
            for (std::size_t k = 1; k <= cap; ++k) {
                pool.write(msg(k));
                book.expect(k);
            }
            const unsigned writers = 1 + static_cast<unsigned>(p.below(2));
            const unsigned readers = 1 + static_cast<unsigned>(p.below(cap < 2 ? cap : 2));
            for (unsigned w = 0; w < writers; ++w) {
                const std::int64_t ticks = static_cast<std::int64_t>(p.below(60));
                const std::uint64_t id = 100 + w;
                book.expect(id);  // either read by a reader, or left in the pool, or (if timed out) re-checked below
                threads.push_back([&, id, ticks] {
                    msg m(id);
                    const auto deadline = after(ticks);
                    if (!pool.write_until(std::move(m), deadline)) {
                        if (m.id() != id) s.fail("a timed-out write moved its argument away");
                        if (clock::now() < deadline) s.fail("a timed write gave up before its deadline");
                        book.got(id);  // not in the pool: account for it here
                    }
                });
            }
            for (unsigned r = 0; r < readers; ++r)
                threads.push_back([&] {
                    msg m;
                    if (pool.read(m)) book.got(m.id());
                    else s.fail("a blocking read on an open pool returned false");
                });
        }
        if (!s.run(std::move(threads))) return;
        drain(s, pool, book);
    }
};

// ---------------------------------------------------------------------------------------------
template <class C>
struct drain_races_read {
    static constexpr const char* name = "drain_races_read";
    static constexpr limits lim{1, 200, 40'000};

    void operator()(scheduler& s) const {
        rng& p = s.params();
        const std::size_t cap = 1 + p.below(3);
        const std::size_t prefill = 1 + p.below(cap);
        const unsigned readers = 1 + static_cast<unsigned>(p.below(prefill < 2 ? 1 : 2));
        const unsigned drainers = 1 + static_cast<unsigned>(p.below(2));
        pool_t<C> pool(cap);
        ledger book(s, 300);
        for (std::size_t k = 1; k <= prefill; ++k) {
            pool.write(msg(k));
            book.expect(k);
        }
        std::vector<std::function<void()>> threads;
        std::vector<unsigned> processes(readers, consumer_process<C>);
        processes.resize(readers + drainers, producer_process<C>);
        for (unsigned r = 0; r < readers; ++r) {
            const std::size_t share = prefill / readers + (r < prefill % readers ? 1 : 0);
            threads.push_back([&, share] {
                for (std::size_t k = 0; k < share; ++k) {
                    msg m;
                    if (pool.read(m)) book.got(m.id());
                    else s.fail("a blocking read on an open pool returned false");
                }
            });
        }
        for (unsigned d = 0; d < drainers; ++d)
            threads.push_back([&] {
                pool.wait_until_empty();
                if (pool.was_size() != 0) s.fail("wait_until_empty returned while messages were in the pool");
            });
        if (!s.run(std::move(threads), std::move(processes))) return;
        // Now prove that every slot is really free (released, not just counted).
        std::size_t accepted = 0;
        if (!s.run({[&] {
                for (std::size_t k = 0; k < cap; ++k) {
                    if (pool.try_write(msg(200 + k))) ++accepted;
                }
            }}))
            return;
        if (accepted != cap)
            s.fail("after wait_until_empty only " + std::to_string(accepted) + " of " + std::to_string(cap) +
                   " slots accepted a write");
        for (std::size_t k = 0; k < accepted; ++k) book.expect(200 + k);
        drain(s, pool, book);
    }
};

// ---------------------------------------------------------------------------------------------
template <class C>
struct try_not_empty_full {
    static constexpr const char* name = "try_not_empty_full";
    static constexpr limits lim{1, 200, 40'000};

    struct event {
        std::size_t start, end;
        bool is_read, ok;
        std::uint64_t id;  // the message written, or read
    };

    void operator()(scheduler& s) const {
        rng& p = s.params();
        const std::size_t cap = 2 + p.below(2);
        const std::size_t prefill = 1 + p.below(cap - 1);
        const unsigned nthreads = 2 + static_cast<unsigned>(p.below(3));
        pool_t<C> pool(cap);
        ledger book(s, 100);
        for (std::size_t k = 1; k <= prefill; ++k) {
            pool.write(msg(k));
            book.expect(k);
        }
        std::vector<event> events;
        std::size_t stamp = 0;
        std::uint64_t next_id = 10;
        std::vector<std::function<void()>> threads;
        for (unsigned t = 0; t < nthreads; ++t) {
            std::vector<bool> plan;
            for (std::size_t k = 0, n = 2 + p.below(2); k < n; ++k) plan.push_back(p.below(2) == 0);
            threads.push_back([&, plan] {
                for (bool is_read : plan) {
                    event e{++stamp, 0, is_read, false, 0};
                    if (is_read) {
                        msg m;
                        e.ok = pool.try_read(m);
                        if (e.ok) book.got(e.id = m.id());
                    } else {
                        const std::uint64_t id = e.id = next_id++;
                        msg m(id);
                        e.ok = pool.try_write(std::move(m));
                        if (e.ok) book.expect(id);
                        else if (m.id() != id) s.fail("a failed try_write moved its argument away");
                    }
                    // The end of a call as other threads can observe it: under
                    // TSO a try_write that returned may still hold its publish
                    // in its store buffer, and nothing another thread does can
                    // tell that moment from an earlier one in the call; the
                    // bounds below order calls by stamps no thread can see, so
                    // the stamp is taken once the call's stores are visible.
                    s.drain_self();
                    e.end = ++stamp;
                    events.push_back(e);
                }
            });
        }
        if (!s.run(std::move(threads))) return;
        if constexpr (msgpool::linearizable_try_v<typename pool_t<C>::claim_type>)
            check_linearizable(s, events, prefill, cap);
        else
            check_per_slot(s, events, prefill);
        drain(s, pool, book);
    }

    // A failed try_ must have a moment in its interval where the pool was empty
    // (read) or full (write).  Bounds from the completed operations:
    static void check_linearizable(scheduler& s, const std::vector<event>& events, std::size_t prefill,
                                   std::size_t cap) {
        for (const event& f : events) {
            if (f.ok) continue;
            long lo = static_cast<long>(prefill), hi = static_cast<long>(prefill);
            for (const event& e : events) {
                if (&e == &f || !e.ok) continue;
                if (!e.is_read && e.end < f.start) ++lo;   // surely in before f began
                if (e.is_read && e.start < f.end) --lo;    // possibly out before f ended
                if (!e.is_read && e.start < f.end) ++hi;   // possibly in before f ended
                if (e.is_read && e.end < f.start) --hi;    // surely out before f began
            }
            if (f.is_read && lo >= 1)
                s.fail("try_read failed although the pool held at least " + std::to_string(lo) +
                       " message(s) throughout the call");
            if (!f.is_read && hi <= static_cast<long>(cap) - 1)
                s.fail("try_write failed although the pool held at most " + std::to_string(hi) + " of " +
                       std::to_string(cap) + " throughout the call");
        }
    }

    // A scan without a shared count (claim::cas_scan) answers "empty" when each
    // slot looked empty at some moment of its pass, so a failed try_read is
    // wrong only if one message sat in its slot for the whole call: written
    // before the call began, and not taken by a read that began before it ended.
    static void check_per_slot(scheduler& s, const std::vector<event>& events, std::size_t prefill) {
        for (const event& f : events) {
            if (f.ok || !f.is_read) continue;
            auto sat_throughout = [&](std::uint64_t id) {
                for (const event& r : events)
                    if (r.ok && r.is_read && r.id == id && r.start < f.end) return false;
                return true;
            };
            for (std::uint64_t id = 1; id <= prefill; ++id)
                if (sat_throughout(id)) s.fail("try_read failed although message " + std::to_string(id) +
                                               " sat in the pool throughout the call");
            for (const event& w : events)
                if (w.ok && !w.is_read && w.end < f.start && sat_throughout(w.id))
                    s.fail("try_read failed although message " + std::to_string(w.id) +
                           " sat in the pool throughout the call");
        }
    }
};

/// Keeps the calling scheduled thread busy for `ticks` virtual ns without
/// touching anything shared (a timed wait on a private condition variable):
/// the others run meanwhile, and spinning waiters get to fall asleep.
inline void work_for(std::int64_t ticks) {
    mutex m;
    condition_variable cv;
    const auto deadline = after(ticks);
    std::unique_lock<mutex> lock(m);
    while (clock::now() < deadline) cv.wait_until(lock, deadline);
}

/// The readers of the handle scenarios: read (by handle, in place, or by a
/// plain read) until the pool is closed and empty; book each id, and note in
/// out_from the stamp at which its read began.
template <class Pool>
void read_until_closed(Pool& pool, ledger& book, bool by_handle, std::size_t& stamp,
                       std::vector<std::size_t>& out_from) {
    for (;;) {
        const std::size_t start = ++stamp;
        std::uint64_t id = 0;
        if (by_handle) {
            auto h = pool.claim_read();
            if (!h) break;
            id = h->id();  // in place; the handle frees the slot as it goes
        } else {
            msg m;
            if (!pool.read(m)) break;
            id = m.id();
        }
        book.got(id);
        if (id < out_from.size()) out_from[id] = start;
    }
}

/// wait_until_empty (stamps wait_begin .. wait_end) must not have returned
/// while a message written before it (in_since) was read only after it
/// (out_from).
inline void check_wait_until_empty(scheduler& s, const std::vector<std::size_t>& in_since,
                                   const std::vector<std::size_t>& out_from, std::size_t wait_begin,
                                   std::size_t wait_end) {
    for (std::size_t id = 1; id < in_since.size(); ++id)
        if (in_since[id] != 0 && in_since[id] < wait_begin && out_from[id] > wait_end)
            s.fail("wait_until_empty returned although message " + std::to_string(id) +
                   " sat in the pool throughout the call");
}

// ---------------------------------------------------------------------------------------------
// Zero-copy write handles dropped without commit (abandon_write).  1-2 handle
// writers fill each claimed element, then commit it or drop the handle; at
// least one is dropped, and its id must never arrive.  In two runs of three
// one dropped handle is held for a while first (work_for: long enough for the
// waiters to stop spinning and sleep, so the drop's notifications are what
// must wake them).  0-1 plain writer; 1-2 blocking readers, plain or through
// claim_read() handles; capacity 1-2, so a drop often frees the one slot a
// blocked writer waits for.  One writer calls wait_until_empty() between (or
// after) its writes: it must return (a drop that leaves the pool drained must
// say so), and must not return while one message sat in the pool, or one
// write handle was held, throughout the call.  The last writer closes.  At the
// end every slot must be free: wait_until_empty returns, and `capacity`
// handles can be claimed at once (and dropped again).
template <class C>
struct dropped_write_handle {
    static constexpr const char* name = "dropped_write_handle";
    static constexpr bool applicable = pool_t<C>::has_write_handles;
    static constexpr limits lim{2, 300, 40'000};  // weight 2: runs ~3x as long as exactly_once (the held handle)

    void operator()([[maybe_unused]] scheduler& s) const {
        if constexpr (applicable) {
            rng& p = s.params();
            const std::size_t cap = 1 + p.below(2);
            const unsigned handle_writers = 1 + static_cast<unsigned>(p.below(2));
            const unsigned writers = handle_writers + static_cast<unsigned>(p.below(2));  // + a plain writer
            const unsigned readers = 1 + static_cast<unsigned>(p.below(writers < 3 ? 2 : 1));
            constexpr unsigned per_writer = 2;
            const unsigned drainer = static_cast<unsigned>(p.below(writers));
            const unsigned drain_after = 1 + static_cast<unsigned>(p.below(per_writer));  // ops before it waits
            std::vector<bool> dropped(1 + writers * per_writer, false);
            for (unsigned id = 1; id <= handle_writers * per_writer; ++id) dropped[id] = p.below(2) == 0;
            if (std::find(dropped.begin(), dropped.end(), true) == dropped.end()) dropped[1 + p.below(2)] = true;
            // The handle held for a while (0: none); at most one, since each
            // wait it lets fall asleep has spun through ~150 scheduling points.
            std::vector<std::size_t> drops;
            for (std::size_t id = 1; id < dropped.size(); ++id)
                if (dropped[id]) drops.push_back(id);
            const std::size_t slow = p.below(3) == 0 ? 0 : drops[p.below(drops.size())];

            pool_t<C> pool(cap);
            ledger book(s, writers * per_writer);
            // Stamps of the moments between scheduling points, for the wait_until_empty check.
            std::size_t stamp = 0, wait_begin = 0, wait_end = 0;
            std::vector<std::size_t> in_since(dropped.size(), 0), out_from(dropped.size(), SIZE_MAX);
            std::vector<std::pair<std::size_t, std::size_t>> held;  // write handles: claimed ... given up
            unsigned writers_left = writers;
            std::vector<std::function<void()>> threads;
            std::vector<unsigned> processes(writers, producer_process<C>);
            processes.resize(writers + readers, consumer_process<C>);
            for (unsigned w = 0; w < writers; ++w) {
                threads.push_back([&, w] {
                    for (unsigned k = 0; k < per_writer; ++k) {
                        if (w == drainer && k == drain_after) {
                            wait_begin = ++stamp;
                            pool.wait_until_empty();
                            wait_end = ++stamp;
                        }
                        const unsigned id = 1 + w * per_writer + k;
                        if (w >= handle_writers) {
                            pool.write(msg(id));
                        } else {
                            auto h = pool.claim_write();
                            if (!h) {
                                s.fail("a blocking claim_write returned an empty handle");
                                return;
                            }
                            const std::size_t since = ++stamp;
                            *h = msg(id);
                            if (id == slow) work_for(300);
                            held.emplace_back(since, ++stamp);
                            if (dropped[id]) continue;  // the handle returns its slot: id never arrives
                            h.commit();
                        }
                        in_since[id] = ++stamp;
                    }
                    if (w == drainer && drain_after == per_writer) {
                        wait_begin = ++stamp;
                        pool.wait_until_empty();
                        wait_end = ++stamp;
                    }
                    if (--writers_left == 0) pool.close();
                });
                for (unsigned k = 0; k < per_writer; ++k)
                    if (!dropped[1 + w * per_writer + k]) book.expect(1 + w * per_writer + k);
            }
            for (unsigned r = 0; r < readers; ++r) {
                const bool by_handle = p.below(2) == 0;
                threads.push_back([&, by_handle] { read_until_closed(pool, book, by_handle, stamp, out_from); });
            }
            if (!s.run(std::move(threads), std::move(processes))) return;
            if (pool.was_size() != 0) s.fail("closed pool not empty after its readers returned false");
            book.check();
            check_wait_until_empty(s, in_since, out_from, wait_begin, wait_end);
            for (const auto& [since, until] : held)
                if (since < wait_begin && until > wait_end)
                    s.fail("wait_until_empty returned although a write handle was held throughout the call");
            if (s.failed()) return;
            // Every slot free again: none lost to a dropped handle.
            s.run({[&] {
                pool.wait_until_empty();
                std::vector<typename pool_t<C>::write_handle> all;
                for (std::size_t k = 0; k < cap; ++k)
                    if (auto h = pool.try_claim_write()) all.push_back(std::move(h));
                if (all.size() != cap)
                    s.fail("only " + std::to_string(all.size()) + " of " + std::to_string(cap) +
                           " slots could be claimed after every handle was given up (a slot lost?)");
                all.clear();  // dropped again: the pool must be drained
                pool.wait_until_empty();
            }});
        }
    }
};

/// A reader (the putter) claims messages and puts them back unread, next to
/// writers, readers (by handle or plain read) and a wait_until_empty() that
/// the last writer calls before it closes the pool.  Every message arrives
/// exactly once (a put-back is not a read); a reader that sleeps while the
/// putter holds the last message must be woken by the put-back (otherwise
/// nobody wakes it: the writers are done, and the close waits for the pool
/// to drain); and wait_until_empty() never returns while a message sat in
/// the pool throughout the call, put back or not.
template <class C>
struct put_back {
    static constexpr const char* name = "put_back";
    static constexpr bool applicable = pool_t<C>::has_put_back;
    static constexpr limits lim{2, 300, 40'000};

    void operator()([[maybe_unused]] scheduler& s) const {
        if constexpr (applicable) {
            rng& p = s.params();
            const std::size_t cap = 1 + p.below(2);
            const unsigned writers = 1 + static_cast<unsigned>(p.below(2));
            constexpr unsigned per_writer = 2;
            const unsigned put_backs = 1 + static_cast<unsigned>(p.below(2));  // then the putter leaves
            const unsigned readers = 1 + static_cast<unsigned>(p.below(writers < 2 ? 2 : 1));
            const std::size_t messages = writers * per_writer;

            pool_t<C> pool(cap);
            ledger book(s, messages);
            std::size_t stamp = 0, wait_begin = 0, wait_end = 0;
            std::vector<std::size_t> in_since(messages + 1, 0), out_from(messages + 1, SIZE_MAX);
            unsigned writers_left = writers;
            std::vector<std::function<void()>> threads;
            std::vector<unsigned> processes(writers, producer_process<C>);
            processes.resize(writers + 1 + readers, consumer_process<C>);
            for (unsigned w = 0; w < writers; ++w) {
                threads.push_back([&, w] {
                    for (unsigned k = 0; k < per_writer; ++k) {
                        const unsigned id = 1 + w * per_writer + k;
                        pool.write(msg(id));
                        in_since[id] = ++stamp;
                    }
                    if (--writers_left == 0) {
                        wait_begin = ++stamp;
                        pool.wait_until_empty();
                        wait_end = ++stamp;
                        pool.close();
                    }
                });
                for (unsigned k = 0; k < per_writer; ++k) book.expect(1 + w * per_writer + k);
            }
            threads.push_back([&] {  // the putter
                for (unsigned k = 0; k < put_backs; ++k) {
                    auto h = pool.claim_read();
                    if (!h) return;  // closed and empty
                    const std::uint64_t id = h->id();
                    if (id == 0 || id > messages) s.fail("a claim_read returned garbage (id " + std::to_string(id) + ")");
                    h.put_back();
                    if (h) s.fail("a read handle still holds its slot after put_back()");
                }
            });
            for (unsigned r = 0; r < readers; ++r) {
                const bool by_handle = p.below(2) == 0;
                threads.push_back([&, by_handle] { read_until_closed(pool, book, by_handle, stamp, out_from); });
            }
            if (!s.run(std::move(threads), std::move(processes))) return;
            if (pool.was_size() != 0) s.fail("closed pool not empty after its readers returned false");
            book.check();
            check_wait_until_empty(s, in_since, out_from, wait_begin, wait_end);
        }
    }
};

// ---------------------------------------------------------------------------------------------
// Bulk forms against each other: 1-2 writers hand 2-4 messages each to
// write_bulk (blocking, or timed with a deadline 0-40 virtual ns away, in a
// loop on what is left), 1-2 readers take 1-4 per read_bulk (blocking, or
// timed, then blocking once closed); capacity 1-4, so bulks end part-way at
// a full or an empty pool and, where the claim policy has bulk claims
// (claim_protocol_bulk), one claim takes several slots (a group's lanes, a
// run of ring positions).  Checked: every id exactly once, a bulk write moved
// from exactly the messages it reports and left the rest untouched, a
// blocking bulk returned at least one, a timed one gave up only at its
// deadline, and the closed pool is empty after its readers got 0.
template <class C>
struct bulk_exactly_once {
    static constexpr const char* name = "bulk_exactly_once";
    static constexpr limits lim{1, 200, 40'000};

    void operator()(scheduler& s) const {
        rng& p = s.params();
        const unsigned writers = 1 + static_cast<unsigned>(p.below(2));
        const unsigned readers = 1 + static_cast<unsigned>(p.below(2));
        const std::size_t per_writer = 2 + p.below(3);
        pool_t<C> pool(1 + p.below(4));
        ledger book(s, writers * per_writer);
        unsigned writers_left = writers;
        std::vector<std::function<void()>> threads;
        for (unsigned w = 0; w < writers; ++w) {
            const bool timed = p.below(2) == 0;
            const std::int64_t ticks = static_cast<std::int64_t>(p.below(40));
            for (std::size_t k = 0; k < per_writer; ++k) book.expect(1 + w * per_writer + k);
            threads.push_back([&, w, timed, ticks] {
                std::vector<msg> batch;
                for (std::size_t k = 0; k < per_writer; ++k) batch.emplace_back(1 + w * per_writer + k);
                // A timed call that gave up is followed by a blocking one: timed
                // calls alone may never block (a deadline that passes before
                // the call would sleep), and under a wait that never yields the
                // thread would keep the scheduler's priority while the thread
                // it waits for never runs.
                bool gave_up = false;
                for (std::size_t done = 0; done < per_writer;) {
                    const std::span<msg> rest = std::span<msg>(batch).subspan(done);
                    const auto deadline = after(ticks);
                    const bool timed_now = timed && !gave_up;
                    const std::size_t k = timed_now ? pool.write_bulk_until(rest, deadline) : pool.write_bulk(rest);
                    gave_up = timed_now && k == 0;
                    if (k > rest.size()) s.fail("a bulk write reported more than it was given");
                    if (k == 0 && !timed_now) s.fail("a blocking bulk write returned 0");
                    if (k == 0 && clock::now() < deadline) s.fail("a timed bulk write gave up before its deadline");
                    for (std::size_t j = 0; j < rest.size(); ++j) {
                        const std::uint64_t want = j < k ? 0 : 1 + w * per_writer + done + j;
                        if (rest[j].id() != want)
                            s.fail(j < k ? "a bulk write reported a message it did not take"
                                         : "a bulk write took a message it did not report");
                    }
                    done += k;
                }
                if (--writers_left == 0) pool.close();
            });
        }
        for (unsigned r = 0; r < readers; ++r) {
            const bool timed = p.below(2) == 0;
            const std::size_t size = 1 + p.below(4);
            const std::int64_t ticks = static_cast<std::int64_t>(p.below(40));
            threads.push_back([&, timed, size, ticks] {
                std::vector<msg> out(size);
                bool gave_up = false;  // as the writers': a timed call that gave up is followed by a blocking one
                for (;;) {
                    const auto deadline = after(ticks);
                    // once closed: blocking, which ends at 0
                    const bool timed_now = timed && !gave_up && !pool.is_closed();
                    const std::size_t k = timed_now ? pool.read_bulk_until(std::span<msg>(out), deadline)
                                                    : pool.read_bulk(std::span<msg>(out));
                    gave_up = timed_now && k == 0;
                    if (k > size) s.fail("a bulk read reported more than its buffer");
                    for (std::size_t j = 0; j < k && j < size; ++j) book.got(out[j].id());
                    if (k == 0 && timed_now && clock::now() < deadline && !pool.is_closed())
                        s.fail("a timed bulk read gave up before its deadline on an open pool");
                    if (k == 0 && !timed_now) {  // closed and empty: every write had returned before close()
                        if (pool.read_bulk(std::span<msg>(out)) != 0) s.fail("a bulk read found a message after 0");
                        return;
                    }
                }
            });
        }
        if (!s.run(std::move(threads))) return;
        if (pool.was_size() != 0) s.fail("closed pool not empty after its bulk readers returned 0");
        book.check();
    }
};

// ---------------------------------------------------------------------------------------------
/// Several sleepers on one channel, each owed one notify_one.  Readers side:
/// 2-4 blocking readers read one message each, and one writer writes exactly
/// that many, one at a time; nothing else (no close, no notify_all) wakes a
/// reader, so a notify_one that wakes nobody while a reader sleeps, or wakes
/// one where two were owed, leaves a reader asleep for good (a deadlock).
/// Writers side, the mirror: a full pool, 2-4 blocking writers, and one
/// reader that reads exactly what they and the prefill add up to.  In half the
/// runs a timed waiter of the same side sits beside them (1-3 timed waits in
/// a row, each deadline 0-200 ticks away) and hands back whatever it gets (a
/// timed reader writes its message again; a timed writer that got in reads one
/// message back), so the counts stay exact while waits that time out or are
/// woken at their deadline interleave with the sleepers and their notifies.
template <class C>
struct wake_one_each {
    static constexpr const char* name = "wake_one_each";
    static constexpr limits lim{1, 200, 40'000};

    void operator()(scheduler& s) const {
        rng& p = s.params();
        const std::size_t cap = 1 + p.below(2);
        const unsigned sleepers = 2 + static_cast<unsigned>(p.below(3));
        const bool with_timed = p.below(2) == 0;
        const std::int64_t ticks = static_cast<std::int64_t>(p.below(200));
        const unsigned tries = 1 + static_cast<unsigned>(p.below(3));  // timed waits in a row
        pool_t<C> pool(cap);
        ledger book(s, 300);
        std::vector<std::function<void()>> threads;
        if (p.below(2) == 0) {
            for (unsigned r = 0; r < sleepers; ++r)
                threads.push_back([&] {
                    msg m;
                    if (pool.read(m)) book.got(m.id());
                    else s.fail("a blocking read on an open pool returned false");
                });
            if (with_timed)
                threads.push_back([&, ticks, tries] {
                    for (unsigned t = 0; t < tries; ++t) {
                        msg m;
                        if (pool.read_until(m, after(ticks))) pool.write(std::move(m));  // handed back: still owed to a reader
                    }
                });
            threads.push_back([&] {
                for (unsigned k = 1; k <= sleepers; ++k) pool.write(msg(k));
            });
            for (unsigned k = 1; k <= sleepers; ++k) book.expect(k);
        } else {
            for (std::size_t k = 1; k <= cap; ++k) {
                pool.write(msg(k));
                book.expect(k);
            }
            for (unsigned w = 0; w < sleepers; ++w) {
                book.expect(100 + w);
                threads.push_back([&, w] { pool.write(msg(100 + w)); });
            }
            if (with_timed)
                threads.push_back([&, ticks, tries] {
                    for (unsigned t = 0; t < tries; ++t) {
                        const std::uint64_t id = 200 + t;
                        if (!pool.write_until(msg(id), after(ticks))) continue;
                        book.expect(id);
                        msg m;  // got in: take one message out again, so the reader's count stays exact
                        if (pool.read(m)) book.got(m.id());
                        else s.fail("a blocking read on an open pool returned false");
                    }
                });
            const std::size_t reads = cap + sleepers;
            threads.push_back([&, reads] {
                for (std::size_t k = 0; k < reads; ++k) {
                    msg m;
                    if (pool.read(m)) book.got(m.id());
                    else s.fail("a blocking read on an open pool returned false");
                }
            });
        }
        if (!s.run(std::move(threads))) return;
        drain(s, pool, book);
    }
};

}  // namespace msgpool_test::dsched
