// msgpool/detail/spin_then_sleep.hpp - phased waiting: a few backoff steps
// *unregistered*, then the sleeping channel underneath.
//
// A sleeping event count (detail/event_count.hpp) makes every notifier pay an
// epoch advance for as long as a waiter is registered (wait::condvar also its
// mutex and a signal; wait::futex a system call only once the waiter has
// announced its sleep).  A waiter that spins while registered therefore taxes
// every operation of the threads it waits for, which is what made "spin
// re-reading the epoch" lose in our measurements.  This wrapper spins without that tax: for the caller's first
// `SpinRounds` consecutive waits, commit_wait / commit_wait_until withdraw the
// registration (cancel_wait), take one step of detail/backoff.hpp and return
// without sleeping.  The frame then re-registers [E1] and re-checks [E2] as
// always, so a condition that became true meanwhile is seen there; notifiers
// that ran while nobody was registered paid nothing ([E3] found no waiter).
// From round `SpinRounds` on, the underlying channel sleeps as usual.
//
// Ordering contract: none of its own.  An early return is a spurious wake-up
// in the terms of concepts/wait_policy.hpp (the registration ends, the caller
// re-checks); every edge is the underlying channel's and the frame's.
// commit_wait_until during the spin phase returns whether the deadline has not
// passed yet, as wait::spin does.
#pragma once

#include <msgpool/detail/backoff.hpp>

namespace msgpool::detail {

template <class Sync, class Channel, unsigned SpinRounds>
class spin_then_sleep : public Channel {
public:
    using typename Channel::key;

    void commit_wait(key k, unsigned attempt) noexcept {
        if (attempt < SpinRounds) {
            this->cancel_wait();  // notifiers are free again while we spin
            backoff<Sync>(attempt);
            return;
        }
        Channel::commit_wait(k, attempt);
    }

    bool commit_wait_until(key k, unsigned attempt, typename Sync::clock::time_point deadline) noexcept {
        if (attempt < SpinRounds) {
            this->cancel_wait();
            backoff<Sync>(attempt);
            return Sync::clock::now() < deadline;
        }
        return Channel::commit_wait_until(k, attempt, deadline);
    }
};

}  // namespace msgpool::detail
