// msgpool/detail/backoff.hpp - exponential backoff: pause, then yield.
//
// One step of waiting for another thread, the `attempt`-th in a row:
// attempts 0..spin_limit-1 execute 1, 2, 4, ... 2^(spin_limit-1) pause
// instructions (how long one pause takes differs widely between cores);
// later attempts yield the core.  Yielding is what keeps a spinning thread
// from livelocking a preempted peer when threads outnumber cores.
#pragma once

namespace msgpool::detail {

inline constexpr unsigned spin_limit = 7;  // the last pause step is 2^6 = 64 pauses; then yields

template <class Sync>
void backoff(unsigned attempt) noexcept {
    if (attempt < spin_limit) {
        for (unsigned i = 0, n = 1u << attempt; i < n; ++i) Sync::pause();
    } else {
        Sync::yield();
    }
}

}  // namespace msgpool::detail
