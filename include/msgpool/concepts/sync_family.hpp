// msgpool/concepts/sync_family.hpp - what a sync family provides.
//
// Everything that touches memory ordering or the scheduler reaches the
// policies through one family type, so that the same policy code runs with
// real atomics and a real kernel (sync::native) or under a test scheduler.
#pragma once

#include <chrono>
#include <concepts>
#include <cstdint>

namespace msgpool {

template <class S>
concept sync_family = requires(typename S::wait_word& word, std::uint32_t value,
                               typename S::clock::time_point deadline) {
    typename S::template atomic<std::uint32_t>;  // the atomic type template (std::atomic's interface)
    typename S::template atomic<std::size_t>;
    typename S::mutex;                           // Lockable
    typename S::condition_variable;              // waits on std::unique_lock<typename S::mutex>
    typename S::clock;                           // a steady clock: deadlines are in its time points
    typename S::wait_word;                       // a 32-bit atomic word for wait / wake
    { S::pause() } noexcept;                     // one spin-loop hint
    { S::yield() } noexcept;                     // give the core away
    { S::light_barrier() } noexcept;             // publisher's side of a Dekker pair (sync/asymmetric_barrier.hpp)
    { S::heavy_barrier() } noexcept;             // waiter's side: orders every thread's earlier stores
    { S::wait(word, value) } noexcept;           // sleep while word == value (spurious returns allowed)
    { S::wait_until(word, value, deadline) } noexcept -> std::same_as<bool>;  // false: deadline passed
    { S::wake_one(word) } noexcept;
    { S::wake_all(word) } noexcept;
};

/// How a futex wait of a family that reports_wakes ended.
enum class wait_end : std::uint8_t {
    unwoken,  ///< no wake ended it: the compare found another value, a timeout, a signal
    woken     ///< a wake may have taken the caller off the queue (or the family cannot tell)
};

/// Optional: futex waits that say whether a wake may have ended them.
/// `wait_reporting(word, value)` is `wait(word, value)` and
/// `wait_until_reporting(word, value, deadline)` is `wait_until`, each
/// returning how it ended.  `unwoken` is a promise: no wake call took the
/// caller off the word's queue, so any wake issued meanwhile went to another
/// thread or to nobody.  `woken` promises nothing (a family that cannot tell
/// says `woken`).  wait::futex_counted needs it: a sleeper that took a wake may
/// have taken one owed to another sleeper, and must then count itself again.
template <class S>
concept reports_wakes = requires(typename S::wait_word& word, std::uint32_t value,
                                 typename S::clock::time_point deadline) {
    { S::wait_reporting(word, value) } noexcept -> std::same_as<wait_end>;
    { S::wait_until_reporting(word, value, deadline) } noexcept -> std::same_as<wait_end>;
};

/// Optional: a family whose atomics and waits work between processes that map
/// the same memory (sync/process_shared.hpp) says so with `static constexpr bool
/// process_shared = true`, and bounds every sleep by `longest_sleep`, a
/// duration of its clock.  Policies that cannot work across processes refuse
/// such a family at compile time.
template <class S>
inline constexpr bool process_shared_v = requires { requires S::process_shared; };

/// Optional: the longest a sleep of this family may last before the sleeper
/// looks at its condition again (process-shared families have one).
template <class S>
concept bounded_sleeps = requires { { S::longest_sleep } -> std::convertible_to<typename S::clock::duration>; };

/// Optional: a family under which a pool survives a process killed while it
/// uses it (sync/process_shared.hpp; detail/attachments.hpp).  It names, for
/// an address inside a pool, the owner id this process's claims record
/// (`owner_of`, 1..63, or 0 for "nobody"); it registers waiters per process
/// in a bit set (`waiter_word`, `enter_wait`, `leave_wait`), so that a dead
/// process's registrations can be cleared; and it hears from the frame that
/// a thread has waited since a given time (`long_wait`), which may run the
/// pool's recovery.
template <class S>
concept crash_recovering = requires(const void* p, typename S::waiter_word& w, typename S::clock::time_point t) {
    { S::owner_of(p) } noexcept -> std::same_as<unsigned>;
    { S::enter_wait(p, w) } noexcept;
    { S::leave_wait(p, w) } noexcept;
    { S::long_wait(p, t) } noexcept;
};

}  // namespace msgpool
