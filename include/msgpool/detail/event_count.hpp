// msgpool/detail/event_count.hpp - the registration half of an event count,
// shared by every wait policy that really sleeps (condvar, futex).
//
// An event count lets a thread wait for a condition it checks itself, without
// a lost wake-up and without making the notifier pay when nobody waits:
//
//   waiter                                  notifier
//   [E1] waiters.fetch_add(1)   seq_cst     (makes the condition true: [C1])
//        key = epoch.load()     seq_cst     [E3] waiters.load()   seq_cst
//   [E2] re-check condition     seq_cst          if 0: return (no syscall, no mutex)
//        sleep while epoch == key                 epoch.fetch_add(1) seq_cst, wake
//
// Why no wake-up is lost: all of E1, the key load, E2, C1, E3 and the epoch
// increment are seq_cst, so they sit in one total order S.  If E2 does not see
// C1, then E2 precedes C1 in S, hence E1 precedes E3 and E3 sees a waiter, so
// the notifier increments the epoch after the key was read: the waiter's
// sleep (which compares epoch with key under the blocker's own mutex or in the
// kernel's futex compare) either does not start or is woken.  If instead the
// key load saw the increment, E2 comes later in S still and sees C1: the
// waiter cancels.  This is the Dekker pair "publish, then look for waiters" /
// "register, then re-check"; design.md explains the cost of the fences.
//
// Events E1, E2, E3 in the terms of concepts/wait_policy.hpp; the Blocker
// supplies only the sleeping and waking (sleep_while / sleep_while_until /
// advance_and_wake_one / advance_and_wake_all on the epoch word).  A blocker
// may keep bits of its own in that word (wait::futex keeps a sleepers bit in
// bit 0 and the epoch above it): the key is then the word as the seq_cst load
// above read it, and the blocker compares only its epoch part.  Whatever the
// blocker does, its advance is one seq_cst read-modify-write that follows
// [E3] and changes the epoch part, which is all the argument above needs.
#pragma once

#include <atomic>
#include <cstdint>

#include <msgpool/detail/cache_line.hpp>

namespace msgpool::detail {

template <class Sync, class Blocker>
class event_count {
public:
    using key = std::uint32_t;

    key prepare_wait() noexcept {
        waiters_.fetch_add(1, std::memory_order_seq_cst);  // [E1] seq_cst: closes the Dekker pair with [C1]/[E3]
        return epoch_.load(std::memory_order_seq_cst);      // seq_cst: ordered after E1 and before E2 in S
    }

    void cancel_wait() noexcept { leave(); }

    void commit_wait(key k, unsigned attempt) noexcept {
        blocker_.sleep_while(epoch_, k, attempt);
        leave();
    }

    bool commit_wait_until(key k, unsigned attempt, typename Sync::clock::time_point deadline) noexcept {
        const bool in_time = blocker_.sleep_while_until(epoch_, k, attempt, deadline);
        leave();
        return in_time;
    }

    void notify_one() noexcept {
        if (waiters_.load(std::memory_order_seq_cst) == 0) return;  // [E3] seq_cst: closes the pair with [E1]
        blocker_.advance_and_wake_one(epoch_);
    }

    void notify_all() noexcept {
        if (waiters_.load(std::memory_order_seq_cst) == 0) return;  // [E3] as above
        blocker_.advance_and_wake_all(epoch_);
    }

private:
    // relaxed: leaving publishes nothing; a notifier that still sees the old
    // count only pays one unneeded wake.
    void leave() noexcept { waiters_.fetch_sub(1, std::memory_order_relaxed); }

    // The waiter count is read by every notify (the fast path) and written only
    // by waiters, so it lives on its own line and stays shared in every cache
    // while nobody waits.
    alignas(cache_line_size) typename Sync::template atomic<std::uint32_t> waiters_{0};
    alignas(cache_line_size) typename Sync::wait_word epoch_{0};
    [[no_unique_address]] Blocker blocker_;
};

}  // namespace msgpool::detail
