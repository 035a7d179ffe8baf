// msgpool/wait/spin.hpp - never sleep: pause with exponential backoff, then yield.
//
// When to use: when latency matters more than CPU and every thread has a core
// of its own; a waiting thread reacts within a few pauses but burns its core
// (or, after the backoff, a stream of sched_yield calls) for as long as it waits.
//
// The idea: a spin phase that never ends, the degenerate event count.  There
// is nothing to register and nobody to wake: spin(round) is one step of
// detail/backoff.hpp and always names the next attempt (concepts/attempt.hpp:
// attempt::near after its pause steps but the last, attempt::last_near after
// the last, attempt::full after every yield step; fewer pause steps when the
// claim names fewer, spin(round, max_pause_steps)), never an empty answer, so
// the frame retries after every step and never registers.  A waiter therefore never misses a
// condition that became true: it re-checks it after every step.  The
// event-count half (an empty key, a commit that is one backoff step, notifies
// that do nothing) serves callers that drive the channel directly.
//
// Ordering contract: this channel carries no ordering edge of its own and
// has no [EC-E1]/[EC-E3] operations.  Every re-check is a claim attempt of the
// frame, the claim policy's own loads and CAS (cas_scan: a relaxed snapshot
// [CS-L1], then an acquire CAS [CS-W1]/[CS-R1]), which see the notifier's change, a
// plain release store included, after a bounded delay (C++20
// [intro.progress]: a store becomes visible to loads in finite time); the
// happens-before edges that matter (the element, close()) are carried by the
// claim policy and the frame exactly as with a sleeping channel.  Hence the
// wait_policy guarantee holds: a waiter whose condition became true ends its
// wait at a later step, whether or not anyone notified (after a pause step
// the frame's attempt may look only near; after the yield steps it makes full
// attempts).
//
// What a preempted thread can block: nothing.  But threads that spin take
// CPU from the thread they wait for; the backoff's escalation to yield is what
// lets a preempted writer or reader run again when threads outnumber cores.
// A timed wait ends within one backoff step after its deadline: the frame
// checks the deadline after every step.
#pragma once

#include <optional>
#include <string_view>

#include <msgpool/concepts/wait_policy.hpp>
#include <msgpool/detail/backoff.hpp>

namespace msgpool::wait {

struct spin {
    /// The name a shared-memory segment records (basic_shared_pool checks it).
    static constexpr std::string_view name = "spin";

    template <class Sync>
    class channel {
    public:
        struct key {};  ///< nothing to remember: there is no epoch

        /// Always a spin step, so the frame never registers with this channel.
        std::optional<attempt> spin(unsigned round) noexcept { return spin(round, detail::spin_limit); }

        /// The same with at most `max_pause_steps` of backoff's pause steps
        /// (wait_channel_paced), then its yields.
        std::optional<attempt> spin(unsigned round, unsigned max_pause_steps) noexcept {
            const unsigned pauses = max_pause_steps < detail::spin_limit ? max_pause_steps : detail::spin_limit;
            if (round < pauses) {
                detail::backoff<Sync>(round);
                return round + 1 < pauses ? attempt::near : attempt::last_near;
            }
            detail::backoff<Sync>(detail::spin_limit);  // a yield
            return attempt::full;
        }

        // The event-count half, for callers that drive the channel directly
        // (the frame never gets here: spin() always names an attempt).  A
        // commit is one yield: nothing is registered that a notify could end.
        key prepare_wait() noexcept { return {}; }
        void cancel_wait() noexcept {}

        void commit_wait(key) noexcept { Sync::yield(); }

        /// One yield; false once the deadline has passed.
        bool commit_wait_until(key, typename Sync::clock::time_point deadline) noexcept {
            Sync::yield();
            return Sync::clock::now() < deadline;
        }

        void notify_one() noexcept {}
        void notify_all() noexcept {}
    };
};

}  // namespace msgpool::wait
