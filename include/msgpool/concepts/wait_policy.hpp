// msgpool/concepts/wait_policy.hpp - what a wait policy provides.
//
// A wait policy is an *event count*, one instance per channel (readers,
// writers, wait_until_empty).  After its round-th failed attempt in a row the
// frame first asks `ch.spin(round)`, which takes one spin step (unregistered)
// and says which kind of claim attempt follows it (concepts/attempt.hpp):
// attempt::near or attempt::last_near after a pause step (the last pause step
// answers last_near), attempt::full after a yield step; the frame makes that
// attempt, without registering.  An empty answer means it is time to sleep,
// and the frame waits in three steps:
//
//     key = ch.prepare_wait();          // E1: register (and the heavy barrier)
//     if (condition()) ch.cancel_wait();// E2: re-check (the caller's own load)
//     else ch.commit_wait(key);         // sleep unless notified since E1
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
// they return; commit_wait_until returns false only when the deadline passed
// with no notify, and the frame then makes its last attempt without
// registering again.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>

#include <msgpool/concepts/attempt.hpp>
#include <msgpool/concepts/sync_family.hpp>
#include <msgpool/sync/native.hpp>

namespace msgpool {

template <class C, class Sync>
concept wait_channel = std::default_initializable<C> &&
    requires(C& c, typename C::key k, unsigned round, typename Sync::clock::time_point deadline) {
        { c.spin(round) } noexcept -> std::same_as<std::optional<attempt>>;  // the next attempt's kind; empty: sleep
        { c.prepare_wait() } noexcept -> std::same_as<typename C::key>;
        { c.cancel_wait() } noexcept;
        { c.commit_wait(k) } noexcept;
        { c.commit_wait_until(k, deadline) } noexcept -> std::same_as<bool>;  // false: deadline passed, not notified
        { c.notify_one() } noexcept;
        { c.notify_all() } noexcept;
    };

/// Optional: the channel takes the claim's pause-step limit
/// (concepts/attempt.hpp, "How many pause steps"): `spin(round, max_pause_steps)`
/// answers as `spin(round)` would with min(its own pause steps,
/// max_pause_steps) pause steps; `spin(round, n)` with n at least its own
/// pause steps is `spin(round)`.  The frame calls this form whenever the
/// channel has it, with no_pause_limit when the claim names no number.
template <class C>
concept wait_channel_paced = requires(C& c, unsigned round, unsigned max_pause_steps) {
    { c.spin(round, max_pause_steps) } noexcept -> std::same_as<std::optional<attempt>>;
};

/// A wait policy: `W::channel<Sync>` is an event count built on the family `Sync`.
template <class W>
concept wait_policy = wait_channel<typename W::template channel<sync::native>, sync::native>;

}  // namespace msgpool
