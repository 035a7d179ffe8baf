// msgpool/concepts/wait_policy.hpp - what a wait policy provides.
//
// A wait policy is an *event count*, one instance per channel (readers,
// writers, wait_until_empty).  After its round-th failed attempt the frame
// first asks `ch.spin(round)`, which takes one spin step and says which: after
// `spin_step::paused` (a few pause instructions) the frame retries near where
// it last succeeded, after `spin_step::yielded` (the core given away) it
// retries everywhere, both without registering; `spin_step::none` means it
// is time to sleep, and the frame waits in three steps:
//
//     key = ch.prepare_wait();          // E1: register (and the heavy barrier)
//     if (condition()) ch.cancel_wait();// E2: re-check (the caller's own load)
//     else ch.commit_wait(key, n);      // sleep unless notified since E1
//
// and whoever makes the condition true calls notify_one() or notify_all()
// *after* doing so (E3).  The condition may be made true by a plain release
// store: prepare_wait runs Sync::heavy_barrier() after registering and
// notify_* run Sync::light_barrier() before looking for waiters
// (sync/asymmetric_barrier.hpp), which together close the Dekker pair.
// Guarantee every channel must give: if the condition became true after E1
// and the notifier's E3 followed that change, the waiter does not stay
// asleep.  notify_* must cost no system call and no mutex when nobody is
// registered.  commit_wait and commit_wait_until end the registration however
// they return; `attempt` is the caller's round counter (wait::spin's
// commit_wait takes its backoff step from it; the sleeping channels ignore
// it, their spin phase being spin()).
#pragma once

#include <concepts>
#include <cstdint>

#include <msgpool/concepts/sync_family.hpp>
#include <msgpool/sync/native.hpp>

namespace msgpool {

/// What a channel's spin(round) did; see above.
enum class spin_step : unsigned char {
    none,     ///< nothing: time to register and sleep
    paused,   ///< a short pause: the awaited peer is likely close by
    yielded,  ///< the core was given away: anything may have changed
};

template <class C, class Sync>
concept wait_channel = std::default_initializable<C> &&
    requires(C& c, typename C::key k, unsigned attempt, typename Sync::clock::time_point deadline) {
        { c.spin(attempt) } noexcept -> std::same_as<spin_step>;  // not none: spun once, retry unregistered
        { c.prepare_wait() } noexcept -> std::same_as<typename C::key>;
        { c.cancel_wait() } noexcept;
        { c.commit_wait(k, attempt) } noexcept;
        { c.commit_wait_until(k, attempt, deadline) } noexcept -> std::same_as<bool>;  // false: deadline passed
        { c.notify_one() } noexcept;
        { c.notify_all() } noexcept;
    };

/// A wait policy: `W::channel<Sync>` is an event count built on the family `Sync`.
template <class W>
concept wait_policy = wait_channel<typename W::template channel<sync::native>, sync::native>;

}  // namespace msgpool
