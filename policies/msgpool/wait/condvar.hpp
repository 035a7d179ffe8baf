// msgpool/wait/condvar.hpp - wait on a mutex and condition variable.
//
// When to use: the original library's choice and the portable one; threads
// that wait sleep and burn no CPU, and the mutex is touched only when somebody
// actually waits.  Prefer wait::futex on Linux for cheaper wake-ups.
//
// Like wait::futex, it spins before it sleeps, *unregistered*
// (wait/detail/spin_then_sleep.hpp): for its first `spin_rounds` rounds
// (pause_rounds pause steps, then yield_rounds yields) spin() answers a step
// and the frame retries without registering; only at spin_step::none does it
// register, re-check and sleep.  Sleeping at once would make every message
// that finds its peer just behind it pay a lock, a condvar signal and a
// context switch; a spinner that stayed registered would make every notifier
// take the mutex and advance the epoch, and pay a heavy barrier per round.
//
// Ordering contract: the registration and the epoch follow
// wait/detail/event_count.hpp ([E1]..[E3]).  The notifier's light barrier before
// its relaxed [E3] and the waiter's heavy barrier after [E1] are the
// asymmetric pair of sync/asymmetric_barrier.hpp: either [E3] sees the waiter,
// or the waiter's re-check [E2] sees the change.  If [E3] sees the waiter, the
// advance [V1] (event_count.hpp's [A]) follows it, and the blocker adds one
// more edge: the epoch is advanced under the mutex [V1] and compared under the
// same mutex before every sleep [V2], so an advance can never fall between the
// compare and the sleep (the mutex pairs [V1] with [V2]).  Either the waiter's
// key predates [V1], so [V2] finds the epoch moved or the sleep is woken; or
// the key load read [V1] (or later) and synchronises with it, and [E2] sees
// the change.
#pragma once

#include <condition_variable>
#include <mutex>

#include <msgpool/detail/backoff.hpp>
#include <msgpool/wait/detail/event_count.hpp>
#include <msgpool/wait/detail/spin_then_sleep.hpp>

namespace msgpool::wait {

struct condvar {
    template <class Sync>
    class blocker {
    public:
        template <class Word>
        void sleep_while(Word& epoch, std::uint32_t key, unsigned /*attempt*/) noexcept {
            std::unique_lock<typename Sync::mutex> lock(mutex_);
            // [V2] relaxed: the mutex orders this load after every [V1].
            while (epoch.load(std::memory_order_relaxed) == key) cv_.wait(lock);
        }

        template <class Word>
        bool sleep_while_until(Word& epoch, std::uint32_t key, unsigned /*attempt*/,
                               typename Sync::clock::time_point deadline) noexcept {
            std::unique_lock<typename Sync::mutex> lock(mutex_);
            while (epoch.load(std::memory_order_relaxed) == key) {  // [V2] as above
                if (cv_.wait_until(lock, deadline) == std::cv_status::timeout)
                    return epoch.load(std::memory_order_relaxed) != key;  // [V2] as above
            }
            return true;
        }

        template <class Word>
        void advance_and_wake_one(Word& epoch) noexcept {
            advance(epoch);
            cv_.notify_one();
        }

        template <class Word>
        void advance_and_wake_all(Word& epoch) noexcept {
            advance(epoch);
            cv_.notify_all();
        }

    private:
        template <class Word>
        void advance(Word& epoch) noexcept {
            std::lock_guard<typename Sync::mutex> lock(mutex_);
            // [V1] seq_cst: event_count.hpp's advance [A]; its release pairs with the key load of prepare_wait.
            epoch.fetch_add(1, std::memory_order_seq_cst);
        }

        typename Sync::mutex mutex_;
        typename Sync::condition_variable cv_;
    };

    /// Spin rounds of pauses (1, 2, 4 .. 64, as many as backoff's pause
    /// phase), unregistered, before the yield rounds (as wait::futex).
    static constexpr unsigned pause_rounds = detail::spin_limit;
    /// Then rounds of one sched_yield each, still unregistered; after them
    /// the frame registers and sleeps (docs/policies.md).
    static constexpr unsigned yield_rounds = 2;

    template <class Sync>
    using channel =
        detail::spin_then_sleep<Sync, detail::event_count<Sync, blocker<Sync>>, pause_rounds, yield_rounds>;
};

}  // namespace msgpool::wait
