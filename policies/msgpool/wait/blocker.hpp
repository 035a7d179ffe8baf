// msgpool/wait/blocker.hpp - what a sleeping wait policy supplies: how to
// sleep on an epoch word and how to advance it and wake.
//
// A sleeping wait policy is a blocker and nothing else.  The event count of
// wait/detail/event_count.hpp does the registration, the barriers and the
// key, and wait/detail/sleeping_wait.hpp puts the spin phase in front; the
// blocker only sleeps and wakes.  It lives beside the wait axis, not among the
// frame's concepts: the frame sees a wait policy's channels
// (concepts/wait_policy.hpp) and never a blocker; only the event count does.
//
// The word is the event count's `Sync::wait_word`, starting at 0; the key is
// the word as the event count's seq_cst load read it, after the waiter's
// registration and heavy barrier.  A blocker may keep bits of its own in the
// word (wait::futex keeps a sleepers bit in bit 0); its *epoch* is what the
// rest of the word says, and keys compare by epoch only.  What each operation
// must guarantee, for the event count's no-lost-wake-up argument to hold:
//
//   advance_and_wake_one(word), advance_and_wake_all(word)
//       change the epoch with exactly one seq_cst read-modify-write on the
//       word, the event count's advance [EC-A1] (its release is what a later key
//       load acquires), and then wake at least one (one: any, all: every)
//       thread sleeping in sleep_while* on a key that advance made stale.
//       Every other change of the word must be a read-modify-write too, so
//       that a key load reading a later value still synchronises with [EC-A1]
//       (release sequence).  Never called while nobody is registered, so it
//       may cost a mutex or a system call.
//   sleep_while(word, key)
//       return once the epoch differs from key's; it may return earlier
//       (spuriously: the frame re-checks and registers again).  It must not
//       sleep through an advance that follows the key load in the word's
//       modification order: the compare with the key and the start of the
//       sleep are one step as far as advances are concerned (one mutex, or
//       the kernel's futex compare).
//   sleep_while_until(word, key, deadline)
//       the same, ending by `deadline` of Sync::clock at the latest; false
//       only if the deadline passed and the epoch still equals key's (an
//       advance that raced the timeout should say true).
//
// All four are noexcept, and a blocker is default-constructible: one lives in
// every channel.
//
// Optional, for crash recovery (event_count.hpp, forget_process):
//   wake_everyone(word)
//       advance as advance_and_wake_all does, then wake every sleeper even if
//       the blocker's own bookkeeping says nobody sleeps.  A blocker that
//       skips the wake on such bookkeeping (wait::futex's sleepers bit)
//       offers it: a notifier killed between its advance and its wake leaves
//       the bookkeeping cleared and its sleepers asleep.  Without it,
//       recovery calls advance_and_wake_all.
#pragma once

#include <concepts>
#include <cstdint>

namespace msgpool {

template <class B, class Sync>
concept blocker = std::default_initializable<B> &&
    requires(B& b, typename Sync::wait_word& word, std::uint32_t key, typename Sync::clock::time_point deadline) {
        { b.sleep_while(word, key) } noexcept -> std::same_as<void>;
        { b.sleep_while_until(word, key, deadline) } noexcept -> std::same_as<bool>;  // false: deadline passed
        { b.advance_and_wake_one(word) } noexcept -> std::same_as<void>;
        { b.advance_and_wake_all(word) } noexcept -> std::same_as<void>;
    };

}  // namespace msgpool
