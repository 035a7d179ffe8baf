// msgpool/wait/detail/spin_then_sleep.hpp - phased waiting: pause, then yield,
// then the sleeping channel underneath, all but the last *unregistered*.
//
// The frame asks `spin(round)` after its round-th consecutive failed attempt.
// While it answers a step other than spin_step::none the frame simply tries
// again, without registering:
//   rounds 0 .. PauseRounds-1                   1, 2, 4 .. 2^(PauseRounds-1) pause
//                                               instructions, spin_step::paused
//                                               (a peer a few hundred nanoseconds
//                                               behind: the frame retries near)
//   rounds PauseRounds .. +YieldRounds-1        one sched_yield each,
//                                               spin_step::yielded (a peer that
//                                               needs this core to run: the frame
//                                               retries everywhere)
// then spin_step::none, and the frame registers [EC-E1], pays the heavy barrier,
// re-checks [EC-E2] and sleeps in the underlying channel.  Registration is what
// makes notifiers pay (an epoch advance, a mutex or a system call), and with
// the asymmetric barrier it is also what costs the waiter a membarrier(2): a
// waiter that spins while registered would tax every operation of the threads
// it waits for, so the spin phase stays outside the event count.
//
// Ordering contract: none of its own.  A spin round is a retry: every edge is
// the claim policy's and the frame's, and the sleep that follows is the
// underlying channel's, with its registration and its guarantee.
#pragma once

#include <msgpool/concepts/wait_policy.hpp>

namespace msgpool::detail {

template <class Sync, class Channel, unsigned PauseRounds, unsigned YieldRounds>
class spin_then_sleep : public Channel {
public:
    /// Rounds spent before the first sleep.
    static constexpr unsigned spin_rounds = PauseRounds + YieldRounds;

    /// One step of the spin phase (retry without registering), or
    /// spin_step::none once it is time to register and sleep.
    spin_step spin(unsigned round) noexcept {
        if (round < PauseRounds) {
            for (unsigned i = 0, n = 1u << round; i < n; ++i) Sync::pause();
            return spin_step::paused;
        }
        if (round < spin_rounds) {
            Sync::yield();
            return spin_step::yielded;
        }
        return spin_step::none;
    }
};

}  // namespace msgpool::detail
