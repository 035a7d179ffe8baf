// msgpool/detail/backoff.hpp - exponential backoff: pause, then yield.
//
// One step of waiting for another thread, the `step`-th in a row: steps
// 0..limit-1 execute 1, 2, 4, ... 2^(limit-1) pause instructions (how long
// one pause takes differs widely between cores); later steps yield the core.
// Yielding is what keeps a spinning thread from livelocking a preempted peer
// when threads outnumber cores.
//
// Two limits, for two kinds of waiting:
//   pause_steps  a blocking call's spin phase (wait::spin, and the default
//                pause steps of the sleeping waits, wait/detail/sleeping_wait.hpp):
//                waiting for the other side of the pool, which may have no
//                reason to move soon.  Few steps: a pause step pays only while
//                the awaited thread runs on another core and is a few hundred
//                nanoseconds from its next publish; when it is not running (more
//                threads than cores, or a core shared with other processes) every
//                pause until the first yield is lost, and the yield is what runs
//                it.  The near attempts that may hold back (concepts/attempt.hpp:
//                a slip, cas_scan's patience) end with the pause steps, so these
//                steps are also the longest a blocking call holds back from a
//                message it could take, a lone one included.
//   spin_limit   a claim policy's wait for a peer between that peer's claim and
//                its publish (back_off): the peer is in the middle of an
//                operation of a few dozen instructions, so waiting longer
//                before yielding pays.
// A claim policy calls back_off and never reads either limit: when a blocking
// call may hold back is the wait channel's to say (concepts/attempt.hpp).
#pragma once

namespace msgpool::detail {

inline constexpr unsigned spin_limit = 7;   // back_off: the last pause step is 2^6 = 64 pauses; then yields
inline constexpr unsigned pause_steps = 4;  // a spin phase: the last pause step is 2^3 = 8 pauses; then yields

/// One step: 2^step pauses while step < limit, else a yield.
template <class Sync>
void backoff(unsigned step, unsigned limit = spin_limit) noexcept {
    if (step < limit) {
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
