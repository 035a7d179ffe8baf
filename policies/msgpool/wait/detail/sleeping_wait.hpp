// msgpool/wait/detail/sleeping_wait.hpp - a sleeping wait policy from its
// blocker: the spin phase, then the event count around the blocker.
//
//   struct my_wait : msgpool::detail::sleeping_wait<my_blocker> {};
//
// gives my_wait::channel<Sync> = spin_then_sleep (wait/detail/spin_then_sleep.hpp)
// over event_count<Sync, my_blocker<Sync>> (wait/detail/event_count.hpp), and
// my_wait::blocker<Sync> = my_blocker<Sync>.  wait::condvar and wait::futex are
// both made this way and differ only in their blocker (wait/blocker.hpp).
//
// The spin phase: for the frame's first spin_rounds rounds after a failed
// attempt (pause_rounds rounds of 1, 2, 4 .. pauses, by default as many as
// backoff's pause steps, then yield_rounds rounds of one sched_yield each)
// spin() names the next attempt and the frame retries without registering;
// only when it names none does it register ([EC-E1], heavy barrier), re-check
// ([EC-E2]) and sleep.  Sleeping at once would make every message that finds
// its peer just behind it pay a wake-up (a lock and a condvar signal, or a
// FUTEX_WAKE) and a context switch.  Spinning *unregistered* matters: a
// registered spinner would make every notifier pay an epoch advance for
// nothing, and would pay a heavy barrier per round itself.  The yield rounds
// are many (32) because the threads a waiter yields to are mostly its peers:
// with more threads than cores a yield runs the thread it waits for, and alone
// on its core a yield is a cheap system call that returns at once
// (docs/policies.md, "Wait policies", links the comparison).  The price is
// latency where the core is shared with other CPU-bound processes: a yield
// may then hand them the core for a time slice, where a thread woken from a
// sleep is scheduled at once; a waiter spins at most yield_rounds yields
// before it sleeps.  A wait policy with other rounds is one alias:
// sleeping_wait<Blocker, Pauses, Yields> (docs/extending.md); every claim
// policy keeps its rule under any such schedule, because the schedule reaches
// it only as the kinds of concepts/attempt.hpp.
//
// Ordering contract: none of its own: the spin phase is spin_then_sleep's
// (retries only), the registration the event count's, the sleep the blocker's.
#pragma once

#include <msgpool/detail/backoff.hpp>
#include <msgpool/sync/native.hpp>
#include <msgpool/wait/blocker.hpp>
#include <msgpool/wait/detail/event_count.hpp>
#include <msgpool/wait/detail/spin_then_sleep.hpp>

namespace msgpool::detail {

template <template <class Sync> class Blocker, unsigned PauseRounds = spin_limit, unsigned YieldRounds = 32>
struct sleeping_wait {
    static_assert(blocker<Blocker<sync::native>, sync::native>,
                  "a sleeping wait policy's blocker must model msgpool::blocker (msgpool/wait/blocker.hpp): "
                  "noexcept sleep_while(word, key), sleep_while_until(word, key, deadline) -> bool, "
                  "advance_and_wake_one(word), advance_and_wake_all(word)");

    static_assert(PauseRounds < 32, "a sleeping wait's pause steps double: 2^31 pauses is the longest step");

    /// Spin rounds of pauses, unregistered, before the yield rounds.
    static constexpr unsigned pause_rounds = PauseRounds;
    /// Then rounds of one sched_yield each, still unregistered; after them
    /// the frame registers and sleeps.
    static constexpr unsigned yield_rounds = YieldRounds;

    template <class Sync>
    using blocker = Blocker<Sync>;

    template <class Sync>
    using channel = spin_then_sleep<Sync, event_count<Sync, Blocker<Sync>>, pause_rounds, yield_rounds>;
};

}  // namespace msgpool::detail
