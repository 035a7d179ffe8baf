// msgpool/wait/detail/spin_then_sleep.hpp - phased waiting: pause, then yield,
// then the sleeping channel underneath, all but the last *unregistered*.
//
// The frame asks `spin(round)` after its round-th consecutive failed attempt
// (round counts from 0).  While it names an attempt (concepts/attempt.hpp) the
// frame makes that attempt, without registering:
//   rounds 0 .. PauseRounds-1                   1, 2, 4 .. 2^(PauseRounds-1) pause
//                                               instructions (a peer a few hundred
//                                               nanoseconds behind): attempt::near,
//                                               and attempt::last_near after the
//                                               last of them
//   rounds PauseRounds .. +YieldRounds-1        one sched_yield each (a peer that
//                                               needs this core to run):
//                                               attempt::full
// then no attempt, and the frame registers [EC-E1], pays the heavy barrier,
// re-checks [EC-E2] and sleeps in the underlying channel.  Registration is what
// makes notifiers pay (an epoch advance, a mutex or a system call), and with
// the asymmetric barrier it is also what costs the waiter a membarrier(2): a
// waiter that spins while registered would tax every operation of the threads
// it waits for, so the spin phase stays outside the event count.
//
// A claim that names fewer pause steps (concepts/attempt.hpp, "How many pause
// steps") gets min(PauseRounds, its number) of them through spin(round,
// max_pause_steps), the same YieldRounds after them, then the sleep.
//
// Whatever the numbers, the schedule keeps the order of concepts/attempt.hpp:
// near..., last_near (exactly once if there are pause steps), full..., sleep.
//
// Ordering contract: none of its own.  A spin round is a retry: every edge is
// the claim policy's and the frame's, and the sleep that follows is the
// underlying channel's, with its registration and its guarantee.
#pragma once

#include <optional>

#include <msgpool/concepts/wait_policy.hpp>

namespace msgpool::detail {

template <class Sync, class Channel, unsigned PauseRounds, unsigned YieldRounds>
class spin_then_sleep : public Channel {
public:
    /// Rounds spent before the first sleep.
    static constexpr unsigned spin_rounds = PauseRounds + YieldRounds;

    /// One step of the spin phase and the kind of the attempt after it, or
    /// no attempt once it is time to register and sleep.
    std::optional<attempt> spin(unsigned round) noexcept { return spin(round, PauseRounds); }

    /// The same with at most `max_pause_steps` pause steps (wait_channel_paced).
    std::optional<attempt> spin(unsigned round, unsigned max_pause_steps) noexcept {
        const unsigned pauses = max_pause_steps < PauseRounds ? max_pause_steps : PauseRounds;
        if (round < pauses) {
            for (unsigned i = 0, n = 1u << round; i < n; ++i) Sync::pause();
            return round + 1 < pauses ? attempt::near : attempt::last_near;
        }
        if (round < pauses + YieldRounds) {
            Sync::yield();
            return attempt::full;
        }
        return std::nullopt;
    }
};

}  // namespace msgpool::detail
