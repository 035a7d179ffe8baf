// msgpool/wait/condvar.hpp - wait on a mutex and condition variable.
//
// When to use: the original library's choice and the portable one; threads
// that wait sleep and burn no CPU, and the mutex is touched only when somebody
// actually waits.  Prefer wait::futex on Linux for cheaper wake-ups.
//
// The idea: a blocker (wait/blocker.hpp) that compares the epoch with the key
// under a mutex and sleeps on a condition variable, behind the spin phase and
// the event count of wait/detail/sleeping_wait.hpp.
//
// Ordering contract: the registration follows wait/detail/event_count.hpp
// ([EC-E1]..[EC-E3]): either the notifier's [EC-E3] sees the waiter, or the waiter's
// re-check [EC-E2] sees the change.  If [EC-E3] sees the waiter, the advance [CV-V1]
// (event_count.hpp's [EC-A1]) follows it, and the blocker adds one more edge: the
// epoch is advanced under the mutex [CV-V1] and compared under the same mutex
// before every sleep [CV-V2], so an advance can never fall between the compare
// and the sleep (the mutex pairs [CV-V1] with [CV-V2]).  Either the waiter's key
// predates [CV-V1], so [CV-V2] finds the epoch moved or the sleep is woken; or the
// key load read [CV-V1] (or later) and synchronises with it, and [EC-E2] sees the
// change.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>

#include <msgpool/concepts/sync_family.hpp>
#include <msgpool/wait/detail/sleeping_wait.hpp>

namespace msgpool::wait {

template <class Sync>
class condvar_blocker {
    static_assert(!process_shared_v<Sync>,
                  "msgpool: wait::condvar cannot wait across processes: it would put a process-private mutex and "
                  "condition variable in shared memory, and even process-shared pthread condition variables can "
                  "hang notify when a waiter has died (glibc bug 21422); use wait::futex or wait::spin");

public:
    using word = typename Sync::wait_word;

    void sleep_while(word& epoch, std::uint32_t key) noexcept {
        std::unique_lock<typename Sync::mutex> lock(mutex_);
        // [CV-V2] relaxed: the mutex orders this load after every [CV-V1].
        while (epoch.load(std::memory_order_relaxed) == key) cv_.wait(lock);
    }

    bool sleep_while_until(word& epoch, std::uint32_t key, typename Sync::clock::time_point deadline) noexcept {
        std::unique_lock<typename Sync::mutex> lock(mutex_);
        while (epoch.load(std::memory_order_relaxed) == key) {  // [CV-V2] as above
            if (cv_.wait_until(lock, deadline) == std::cv_status::timeout)
                return epoch.load(std::memory_order_relaxed) != key;  // [CV-V2] as above
        }
        return true;
    }

    void advance_and_wake_one(word& epoch) noexcept {
        advance(epoch);
        cv_.notify_one();
    }

    void advance_and_wake_all(word& epoch) noexcept {
        advance(epoch);
        cv_.notify_all();
    }

private:
    void advance(word& epoch) noexcept {
        std::lock_guard<typename Sync::mutex> lock(mutex_);
        // [CV-V1] seq_cst: event_count.hpp's advance [EC-A1]; its release pairs with the key load of prepare_wait.
        epoch.fetch_add(1, std::memory_order_seq_cst);
    }

    typename Sync::mutex mutex_;
    typename Sync::condition_variable cv_;
};

/// condvar_blocker behind the spin phase (pause_rounds, then yield_rounds,
/// unregistered) and the event count; condvar::blocker<Sync> names it.
struct condvar : detail::sleeping_wait<condvar_blocker> {};

}  // namespace msgpool::wait
