// tests/support/reached_wait.hpp - a test learns that a blocking call has
// reached its wait, instead of guessing it from a clock.
//
// observed<Sync> is the sync family Sync (every member forwarded) that also
// notes when a thread reaches a wait:
//   - Sync::heavy_barrier(): a wait channel's prepare_wait runs it right after
//     registering (concepts/wait_policy.hpp, E1), so a thread that called it has
//     passed prepare_wait: it is registered, and a notify now reaches it;
//   - Sync::pause() and Sync::yield(), for a wait policy that never registers
//     (wait::spin, `registers_to_wait<W>` false): such a thread has failed an
//     attempt and is in its spin loop, where every later attempt re-checks.
// Each thread counts once per round (reset()): reached() is the number of
// threads that reached a wait since the last reset.  Only the test's pools
// use the family (on_observed<Pool>), so nothing else counts.
//
//     using pool_t = on_observed<typename C::template pool<int>>;
//     reset_reached<pool_t>();
//     std::thread reader([&] { pool.read(v); });
//     await_reached<pool_t>(1);   // the read is registered (or spinning)
//     pool.close();
#pragma once

#include <atomic>
#include <cstddef>
#include <thread>
#include <type_traits>

#include <msgpool/basic_pool.hpp>
#include <msgpool/wait/spin.hpp>

namespace msgpool_test {

/// Whether a wait policy registers before it sleeps (every sleeping one does);
/// a policy that only spins says false here.
template <class Wait>
inline constexpr bool registers_to_wait = !std::is_same_v<Wait, msgpool::wait::spin>;

template <class Sync, bool CountSpins>
struct observed : Sync {
    static void heavy_barrier() noexcept {
        Sync::heavy_barrier();
        arrive();
    }
    static void pause() noexcept {
        if constexpr (CountSpins) arrive();
        Sync::pause();
    }
    static void yield() noexcept {
        if constexpr (CountSpins) arrive();
        Sync::yield();
    }

    /// Threads that reached a wait since the last reset().
    static std::size_t reached() noexcept { return count_.load(); }
    static void reset() noexcept {
        round_.fetch_add(1);
        count_.store(0);
    }

private:
    static void arrive() noexcept {
        thread_local unsigned long seen_round = 0;
        const unsigned long r = round_.load();
        if (seen_round == r) return;  // this thread has counted in this round
        seen_round = r;
        count_.fetch_add(1);
    }
    static inline std::atomic<unsigned long> round_{1};
    static inline std::atomic<std::size_t> count_{0};
};

/// The pool type Pool on observed<its sync family>.
template <class Pool>
using on_observed =
    msgpool::basic_pool<typename Pool::value_type, typename Pool::claim_type, typename Pool::wait_type,
                        typename Pool::storage_type,
                        observed<typename Pool::sync_type, !registers_to_wait<typename Pool::wait_type>>>;

template <class Pool>
void reset_reached() {
    Pool::sync_type::reset();
}

/// Yields until `n` threads using Pool's family reached a wait since the last
/// reset_reached<Pool>() (or until `or_else()` holds: a call that returned
/// without waiting).  A call that never waits hangs here; the watchdog turns
/// that into a failure.
template <class Pool, class OrElse>
void await_reached(std::size_t n, OrElse or_else) {
    while (Pool::sync_type::reached() < n && !or_else()) std::this_thread::yield();
}
template <class Pool>
void await_reached(std::size_t n) {
    await_reached<Pool>(n, [] { return false; });
}

}  // namespace msgpool_test
