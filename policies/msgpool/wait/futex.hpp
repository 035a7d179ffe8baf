// msgpool/wait/futex.hpp - wait on a 32-bit futex word; no mutex at all.
//
// When to use: on Linux whenever threads should sleep instead of burning CPU
// while the pool is full or empty: a wake-up is one futex(2) call on the
// epoch word, with no mutex for the waker or the woken thread to fight over.
// Elsewhere the sync family's Boost.Atomic wait/notify stands in for futex(2).
//
// The idea: the event count of detail/event_count.hpp, whose epoch word *is*
// the futex word.  A waiter sleeps with Sync::wait(epoch, key), which the
// kernel performs only if the epoch still equals the key it read at [E1]; a
// notifier advances the epoch and then wakes.  Nobody waiting costs nothing:
// event_count returns from notify_* before it reaches this blocker when its
// waiter count is zero (no system call, no store).
//
// Ordering contract (tags used below, [E1]..[E3] are event_count.hpp's):
//   [F1] the notifier's epoch.fetch_add, seq_cst: it follows [E3] in the single
//        total order S of event_count.hpp, so a waiter whose key load precedes
//        [F1] in S holds a stale key from now on.
//   [F2] the notifier's Sync::wake_one / wake_all, after [F1].
//   [F3] the waiter's Sync::wait(epoch, key): the kernel compares the word
//        with the key and queues the waiter under one futex-bucket lock, and
//        [F2] takes the same lock after [F1]'s store.  Either [F3]'s compare
//        sees [F1] (then the waiter does not sleep), or the waiter is already
//        queued when [F2] looks (then it is woken).  The kernel's lock is the
//        edge that the mutex provides in wait::condvar; there is no window
//        between "compare" and "sleep" for a wake-up to fall into.
//   [F4] the waiter's relaxed re-reads of the epoch (after a spurious return,
//        EINTR, or a wake meant for another key): they only decide whether to
//        sleep again.  No data is published through the epoch; the frame
//        re-registers ([E1]) and re-checks its condition with seq_cst
//        operations before it trusts anything, so acquire would buy nothing.
// A key goes stale after 2^32 advances (the word wraps); a waiter that slept
// through exactly 2^32 notifies between [E1] and [F3] would sleep on, which
// needs four billion wake-ups inside one registration and is ignored.
//
// Spin phase (detail/spin_then_sleep.hpp): the caller's first `spin_rounds`
// (7) consecutive waits do not sleep.  Each withdraws its registration, takes
// one step of detail/backoff.hpp's pause phase (1, 2, 4 .. 64 pauses, ~3 us in
// all) and returns, and the frame re-registers and re-checks; a waiter that
// still finds nothing sleeps.  Spinning *unregistered* matters: a registered
// spinner makes every notifier pay an epoch advance and a futex wake for
// nothing.  Pauses only, no yields: measured on this 2-core machine
// (docs/policies.md), 9 more rounds of sched_yield won on some runs but
// collapsed to 0.03 M msg/s at 1x1 when other processes kept both cores busy
// (a yield hands the core to a CPU-bound process for a whole time slice,
// while a futex wake-up is scheduled at once); sleeping at once was slower
// everywhere than the pause phase.
//
// What a preempted thread can block: nothing.  A waiter preempted between
// [E1] and [F3] only costs notifiers an unneeded advance and wake; a notifier
// preempted between [F1] and [F2] delays the waiters it was about to wake
// until it runs again (their condition is already true, and any other thread
// that makes progress notifies again).
#pragma once

#include <atomic>
#include <cstdint>

#include <msgpool/detail/backoff.hpp>
#include <msgpool/detail/event_count.hpp>
#include <msgpool/detail/spin_then_sleep.hpp>

namespace msgpool::wait {

struct futex {
    template <class Sync>
    class blocker {
    public:
        using word = typename Sync::wait_word;

        void sleep_while(word& epoch, std::uint32_t key, unsigned /*attempt*/) noexcept {
            // [F4] relaxed: only decides whether to sleep again (see the preamble).
            while (epoch.load(std::memory_order_relaxed) == key) Sync::wait(epoch, key);  // [F3]
        }

        bool sleep_while_until(word& epoch, std::uint32_t key, unsigned /*attempt*/,
                               typename Sync::clock::time_point deadline) noexcept {
            while (epoch.load(std::memory_order_relaxed) == key) {  // [F4] as above
                if (!Sync::wait_until(epoch, key, deadline))        // [F3], timed
                    return epoch.load(std::memory_order_relaxed) != key;  // [F4]: a wake that raced the timeout counts
            }
            return true;
        }

        void advance_and_wake_one(word& epoch) noexcept {
            epoch.fetch_add(1, std::memory_order_seq_cst);  // [F1] seq_cst: ordered after [E3] in S (event_count.hpp)
            Sync::wake_one(epoch);                          // [F2]
        }

        void advance_and_wake_all(word& epoch) noexcept {
            epoch.fetch_add(1, std::memory_order_seq_cst);  // [F1] as above
            Sync::wake_all(epoch);                          // [F2]
        }
    };

    /// Consecutive waits spent spinning before the first sleep: backoff's
    /// pause phase, no yields (see the preamble).
    static constexpr unsigned spin_rounds = detail::spin_limit;

    template <class Sync>
    using channel = detail::spin_then_sleep<Sync, detail::event_count<Sync, blocker<Sync>>, spin_rounds>;
};

}  // namespace msgpool::wait
