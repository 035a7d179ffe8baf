// msgpool/sync/native.hpp - the default sync family: real atomics, the real
// scheduler, Linux futex (Boost.Atomic wait/notify elsewhere).
//
// A *sync family* is the single door through which every policy reaches memory
// ordering and the scheduler.  Policies never name std::atomic, std::mutex or a
// system call directly; they name `Sync::atomic<U>`, `Sync::mutex`,
// `Sync::wait(...)`.  A test can therefore run the very same policy code under
// a deterministic scheduler by passing another family (see
// concepts/sync_family.hpp for the full list of what a family provides).
//
// Ordering contract of the blocking calls, the one an event count relies on:
//   wait(w, expected) returns only after it has observed w != expected, or
//   spuriously; it never sleeps if w != expected when the kernel compares.
//   wake_one / wake_all wake threads sleeping in wait on the same word.  The
//   caller always changes the word *before* waking, and every waiter re-reads
//   the word after waking, so the kernel's own compare-and-sleep is what ties
//   "check" and "sleep" together: there is no window for a lost wake-up.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#if defined(__linux__)
#include <climits>
#include <msgpool/sync/detail/futex.hpp>
#else
#include <boost/atomic/atomic.hpp>
#endif

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include <msgpool/concepts/sync_family.hpp>
#include <msgpool/sync/asymmetric_barrier.hpp>

namespace msgpool::sync {

/// The default family: std::atomic, std::mutex, std::condition_variable, and
/// a 32-bit futex word (Linux `futex(2)`, private flag; Boost.Atomic
/// `wait`/`notify` where there is no futex).
struct native {
    template <class U>
    using atomic = std::atomic<U>;

    using mutex = std::mutex;
    using condition_variable = std::condition_variable;
    using clock = std::chrono::steady_clock;

#if defined(__linux__)
    /// The word that wait/wake operate on.  On Linux the kernel compares it
    /// in place, so it must be exactly a 32-bit lock-free integer.
    using wait_word = std::atomic<std::uint32_t>;
    static_assert(sizeof(wait_word) == sizeof(std::uint32_t) && wait_word::is_always_lock_free,
                  "futex(2) compares a plain 32-bit word: std::atomic<uint32_t> must be exactly that");
#else
    using wait_word = boost::atomic<std::uint32_t>;
#endif

    /// One spin-loop hint: tells the core (and a hyperthread sibling) that we
    /// are waiting for another thread.
    static void pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
        _mm_pause();
#elif defined(__aarch64__)
        asm volatile("yield" ::: "memory");
#else
        std::atomic_signal_fence(std::memory_order_seq_cst);  // no pause instruction here: a compiler barrier keeps the spin loop honest
#endif
    }

    /// Give the core away to another runnable thread.
    static void yield() noexcept { std::this_thread::yield(); }

    /// The asymmetric pair of sync/asymmetric_barrier.hpp: a compiler barrier
    /// on the publisher's side (membarrier registered) or a seq_cst fence
    /// (fallback); membarrier(PRIVATE_EXPEDITED) or a seq_cst fence on the
    /// side of a thread about to sleep.
    static void light_barrier() noexcept { detail::light_barrier(); }
    static void heavy_barrier() noexcept { detail::heavy_barrier(); }

    /// Sleep while `word == expected` (may return spuriously).
    static void wait(wait_word& word, std::uint32_t expected) noexcept {
#if defined(__linux__)
        futex::wait(word, expected, nullptr);
#else
        word.wait(expected, boost::memory_order_relaxed);  // relaxed: the caller re-reads the word with its own ordering
#endif
    }

    /// Sleep while `word == expected`, at most until `deadline`.
    /// Returns false when the deadline has passed, true otherwise (woken,
    /// value changed, or spurious).
    static bool wait_until(wait_word& word, std::uint32_t expected, clock::time_point deadline) noexcept {
#if defined(__linux__)
        return futex::wait_until(word, expected, deadline);
#else
        // Boost 1.81 has no timed wait: poll with a growing sleep (at most 1 ms
        // late).  Correct, if not frugal; documented in docs/design.md.
        auto nap = std::chrono::microseconds(1);
        while (word.load(boost::memory_order_relaxed) == expected) {  // relaxed: caller re-reads with its own ordering
            if (clock::now() >= deadline) return false;
            std::this_thread::sleep_for(nap);
            if (nap < std::chrono::milliseconds(1)) nap *= 2;
        }
        return clock::now() < deadline;
#endif
    }

    /// wait, and whether a wake may have ended it (concepts/sync_family.hpp,
    /// reports_wakes).  Without futex(2), Boost's wait cannot tell: woken.
    static wait_end wait_reporting(wait_word& word, std::uint32_t expected) noexcept {
#if defined(__linux__)
        return futex::wait_woken(word, expected, nullptr) ? wait_end::woken : wait_end::unwoken;
#else
        wait(word, expected);
        return wait_end::woken;
#endif
    }

    /// wait_until, and whether a wake may have ended it.  Without futex(2)
    /// the timed wait polls and is never queued, so no wake can end it.
    static wait_end wait_until_reporting(wait_word& word, std::uint32_t expected, clock::time_point deadline) noexcept {
#if defined(__linux__)
        return futex::wait_until_woken(word, expected, deadline) ? wait_end::woken : wait_end::unwoken;
#else
        (void)wait_until(word, expected, deadline);
        return wait_end::unwoken;
#endif
    }

    static void wake_one(wait_word& word) noexcept {
#if defined(__linux__)
        futex::wake(word, 1);
#else
        word.notify_one();
#endif
    }

    static void wake_all(wait_word& word) noexcept {
#if defined(__linux__)
        futex::wake(word, INT_MAX);
#else
        word.notify_all();
#endif
    }

private:
#if defined(__linux__)
    using futex = detail::futex_calls</*Shared=*/false>;  // FUTEX_PRIVATE_FLAG: this process's threads only
#endif
};

}  // namespace msgpool::sync
