// msgpool/wait/condvar.hpp - wait on a mutex and condition variable.
//
// When to use: the original library's choice and the portable one; threads
// that wait sleep and burn no CPU, and the mutex is touched only when somebody
// actually waits.  Prefer wait::futex on Linux for cheaper wake-ups.
//
// Like wait::futex, it spins before it sleeps, *unregistered*
// (detail/spin_then_sleep.hpp): for its first `spin_rounds` rounds
// (pause_rounds pause steps, then yield_rounds yields) spin() answers a step
// and the frame retries without registering; only at spin_step::none does it
// register, re-check and sleep.  Sleeping at once would make every message
// that finds its peer just behind it pay a lock, a condvar signal and a
// context switch; a spinner that stayed registered would make every notifier
// take the mutex and advance the epoch, and pay a heavy barrier per round.
//
// Ordering contract: the registration and the epoch follow
// detail/event_count.hpp ([EC-E1]..[EC-E3]).  The notifier's light barrier before
// its relaxed [EC-E3] and the waiter's heavy barrier after [EC-E1] are the
// asymmetric pair of sync/asymmetric_barrier.hpp: either [EC-E3] sees the waiter,
// or the waiter's re-check [EC-E2] sees the change.  If [EC-E3] sees the waiter, the
// advance [CV-V1] (event_count.hpp's [EC-A1]) follows it, and the blocker adds one
// more edge: the epoch is advanced under the mutex [CV-V1] and compared under the
// same mutex before every sleep [CV-V2], so an advance can never fall between the
// compare and the sleep (the mutex pairs [CV-V1] with [CV-V2]).  Either the waiter's
// key predates [CV-V1], so [CV-V2] finds the epoch moved or the sleep is woken; or
// the key load read [CV-V1] (or later) and synchronises with it, and [EC-E2] sees
// the change.
#pragma once

#include <condition_variable>
#include <mutex>

#include <msgpool/detail/backoff.hpp>
#include <msgpool/detail/event_count.hpp>
#include <msgpool/detail/spin_then_sleep.hpp>

namespace msgpool::wait {

struct condvar {
    template <class Sync>
    class blocker {
    public:
        template <class Word>
        void sleep_while(Word& epoch, std::uint32_t key, unsigned /*attempt*/) noexcept {
            std::unique_lock<typename Sync::mutex> lock(mutex_);
            // [CV-V2] relaxed: the mutex orders this load after every [CV-V1].
            while (epoch.load(std::memory_order_relaxed) == key) cv_.wait(lock);
        }

        template <class Word>
        bool sleep_while_until(Word& epoch, std::uint32_t key, unsigned /*attempt*/,
                               typename Sync::clock::time_point deadline) noexcept {
            std::unique_lock<typename Sync::mutex> lock(mutex_);
            while (epoch.load(std::memory_order_relaxed) == key) {  // [CV-V2] as above
                if (cv_.wait_until(lock, deadline) == std::cv_status::timeout)
                    return epoch.load(std::memory_order_relaxed) != key;  // [CV-V2] as above
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
            // [CV-V1] seq_cst: event_count.hpp's advance [EC-A1]; its release pairs with the key load of prepare_wait.
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
