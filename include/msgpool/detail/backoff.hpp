// msgpool/detail/backoff.hpp - exponential backoff: pause, then yield.
//
// One step of waiting for another thread, the `step`-th in a row: steps
// 0..spin_limit-1 execute 1, 2, 4, ... 2^(spin_limit-1) pause instructions
// (how long one pause takes differs widely between cores); later steps yield
// the core.  Yielding is what keeps a spinning thread from livelocking a
// preempted peer when threads outnumber cores.
//
// Users: wait::spin, whose spin phase is these steps, the default pause steps
// of the sleeping waits (wait/detail/sleeping_wait.hpp), and the claim
// policies' waits for a peer between its claim and its publish (back_off).
// A claim policy calls back_off and never reads spin_limit: when a blocking
// call may hold back is the wait channel's to say (concepts/attempt.hpp).
#pragma once

namespace msgpool::detail {

inline constexpr unsigned spin_limit = 7;  // the last pause step is 2^6 = 64 pauses; then yields

template <class Sync>
void backoff(unsigned step) noexcept {
    if (step < spin_limit) {
        for (unsigned i = 0, n = 1u << step; i < n; ++i) Sync::pause();
    } else {
        Sync::yield();
    }
}

/// One step of waiting for a peer, then the next step's number in `step`
/// (start at 0; it stops growing once the steps yield).
template <class Sync>
void back_off(unsigned& step) noexcept {
    backoff<Sync>(step);
    if (step < spin_limit) ++step;
}

}  // namespace msgpool::detail
