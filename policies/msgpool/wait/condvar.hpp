// msgpool/wait/condvar.hpp - wait on a mutex and condition variable.
//
// When to use: the original library's choice and the portable one; threads
// that wait sleep and burn no CPU, and the mutex is touched only when somebody
// actually waits.  Prefer wait::futex on Linux for cheaper wake-ups.
//
// Like wait::futex, it spins before it sleeps, *unregistered*
// (detail/spin_then_sleep.hpp): the caller's first `spin_rounds` consecutive
// waits withdraw the registration, take one backoff step and return, and the
// frame re-registers and re-checks.  Sleeping at once made every message that
// found its peer just behind it pay a lock, a condvar signal and a context
// switch; a spinner that stays registered makes every notifier pay them.
// docs/policies.md has the figures.
//
// Ordering contract: the registration and the epoch follow
// detail/event_count.hpp ([E1]..[E3]).  The blocker adds one more edge: the
// epoch is advanced under the mutex [V1] and compared under the same mutex
// before every sleep [V2], so an advance can never fall between the compare and
// the sleep (the mutex pairs [V1] with [V2]).
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
            epoch.fetch_add(1, std::memory_order_seq_cst);  // [V1] seq_cst: ordered after [E3] in S (see event_count.hpp)
        }

        typename Sync::mutex mutex_;
        typename Sync::condition_variable cv_;
    };

    /// Consecutive waits spent spinning before the first sleep: backoff's pause
    /// phase, no yields (as wait::futex; its preamble says why).
    static constexpr unsigned pause_rounds = detail::spin_limit;
    /// Then rounds of sched_yield, still unregistered (docs/policies.md).
    static constexpr unsigned yield_rounds = 2;

    template <class Sync>
    using channel =
        detail::spin_then_sleep<Sync, detail::event_count<Sync, blocker<Sync>>, pause_rounds, yield_rounds>;
};

}  // namespace msgpool::wait
