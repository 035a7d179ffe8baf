// msgpool/sync/process_shared.hpp - sync families for pools that several
// processes map: process-shared futex words, bounded sleeps, and a Dekker
// barrier pair whose two sides may run in different processes.
//
// When to use: never directly; msgpool::basic_shared_pool (shared-memory
// pools) takes one of these as its family.  Linux only (futex(2)).
//
// What differs from sync::native:
//  * Futex words are keyed by the shared page, not by this process's address
//    (no FUTEX_PRIVATE_FLAG), so a waker in one process finds sleepers of
//    another.
//  * Every sleep is bounded by `longest_sleep` (100 ms): the event count
//    (wait/detail/event_count.hpp) returns from a sleep at least that often,
//    and the frame then re-checks its condition with a full attempt.  So a
//    process that dies between making a condition true and notifying, or
//    between registering as a sleeper and sleeping, delays the others by at
//    most that bound; it never leaves them asleep for ever.
//  * The asymmetric barrier.  membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED),
//    native's heavy side, orders only the caller's own process, so it cannot
//    close a Dekker pair whose publisher is another process.  Two barriers
//    can (the Barrier parameter, which the segment header records, so every
//    process of one pool uses the same):
//      fence_barrier      both sides run a seq_cst fence: the fence-fence
//                         Dekker pair of [atomics.fences], correct wherever
//                         the C++ memory model is, with no registration; the
//                         publisher pays a fence per message.
//      global_membarrier  the publisher's side is a compiler barrier and the
//                         waiter's side membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED),
//                         which interrupts every CPU running a thread of any
//                         process registered with REGISTER_GLOBAL_EXPEDITED and
//                         makes it run a full barrier (a thread not running has
//                         passed one at its context switch).  The argument is
//                         sync/asymmetric_barrier.hpp's with "every thread of
//                         this process" read as "every thread of every
//                         registered process".  It holds only if every process
//                         that publishes to the pool is registered: attach()
//                         registers the calling process, and a process that
//                         cannot register (a kernel without it, a seccomp
//                         filter) is refused when it creates or opens such a
//                         pool, before it can publish anything.  fork() keeps
//                         the registration (the kernel copies it with the
//                         address space); exec() drops it, and the new program
//                         registers when it attaches.
//  * Crash recovery (concepts/sync_family.hpp, crash_recovering): claims
//    record the owner id of the process that holds them, waiters register by
//    process, and a thread that waits long reports it, all through this
//    process's attachments (detail/attachments.hpp), so that a shared pool
//    can release what a killed process held (basic_shared_pool::recover).
#pragma once

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <ctime>
#include <mutex>
#include <string_view>
#include <condition_variable>

#if defined(__linux__)
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <msgpool/sync/detail/futex.hpp>
#endif

#include <msgpool/detail/attachments.hpp>
#include <msgpool/sync/native.hpp>

namespace msgpool::sync {

/// Both sides of the Dekker pair fence.  Needs nothing from the kernel.
struct fence_barrier {
    static constexpr std::string_view name = "fence";
    static bool attach() noexcept { return true; }
    static void light() noexcept { std::atomic_thread_fence(std::memory_order_seq_cst); }  // pairs with heavy()'s fence
    static void heavy() noexcept { std::atomic_thread_fence(std::memory_order_seq_cst); }  // pairs with light()'s fence
};

/// A compiler barrier for publishers, membarrier(GLOBAL_EXPEDITED) for a
/// thread about to sleep; every attached process registers (see above).
struct global_membarrier {
    static constexpr std::string_view name = "membarrier";

    /// Registers this process for global expedited membarriers (once); false
    /// when the kernel refuses, and then the process must not use such a pool.
    static bool attach() noexcept {
#if defined(__linux__) && defined(SYS_membarrier)
        static const bool registered = [] {
            const long cmds = ::syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
            if (cmds < 0 || (cmds & MEMBARRIER_CMD_GLOBAL_EXPEDITED) == 0) return false;
            return ::syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0, 0) == 0;
        }();
        return registered;
#else
        return false;
#endif
    }
    static void light() noexcept { std::atomic_signal_fence(std::memory_order_seq_cst); }
    static void heavy() noexcept {
#if defined(__linux__) && defined(SYS_membarrier)
        // Cannot fail once attach() succeeded in this process or an ancestor:
        // its errors are EINVAL and ENOSYS (no such command).
        if (::syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0, 0) == 0) return;
#endif
        std::atomic_thread_fence(std::memory_order_seq_cst);
    }
};

/// The family: native's atomics and spin hints, process-shared futex words,
/// bounded sleeps, and Barrier for the Dekker pair.
template <class Barrier>
struct shared {
#if !defined(__linux__)
    static_assert(sizeof(Barrier) == 0, "msgpool: pools across processes need Linux futex(2)");
#endif
    /// Marks a family whose pools may live in memory several processes map
    /// (concepts/sync_family.hpp: process_shared_v).
    static constexpr bool process_shared = true;
    /// No sleep lasts longer: see the preamble.
    static constexpr std::chrono::milliseconds longest_sleep{100};

    using barrier = Barrier;

    /// std::atomic of a lock-free type is address-free: the same object
    /// works through every mapping of it ([atomics.lockfree]).  The policies
    /// use 8-, 32- and 64-bit atomics, all lock-free on the targets msgpool
    /// supports (checked below).
    template <class U>
    using atomic = std::atomic<U>;
    static_assert(std::atomic<std::uint8_t>::is_always_lock_free && std::atomic<std::uint32_t>::is_always_lock_free &&
                      std::atomic<std::uint64_t>::is_always_lock_free,
                  "msgpool: shared pools need address-free (lock-free) 8-, 32- and 64-bit atomics");

    /// Present because a family names them; wait::condvar, their only user,
    /// refuses this family (a process-private mutex in shared memory).
    using mutex = std::mutex;
    using condition_variable = std::condition_variable;
    using clock = std::chrono::steady_clock;
    using wait_word = std::atomic<std::uint32_t>;

    static void pause() noexcept { native::pause(); }
    static void yield() noexcept { native::yield(); }
    static void light_barrier() noexcept { Barrier::light(); }
    static void heavy_barrier() noexcept { Barrier::heavy(); }

    /// Crash recovery (see the preamble): the owner id of this process in the
    /// pool that contains `p`; waiter words are bit sets of owner ids.
    using waiter_word = msgpool::detail::process_waiters<std::atomic>;
    static unsigned owner_of(const void* p) noexcept { return msgpool::detail::attachments::owner_of(p); }
    static void enter_wait(const void* channel, waiter_word& w) noexcept { msgpool::detail::attachments::enter_wait(channel, w); }
    static void leave_wait(const void* channel, waiter_word& w) noexcept { msgpool::detail::attachments::leave_wait(channel, w); }
    static void long_wait(const void* p, clock::time_point since) noexcept { msgpool::detail::attachments::long_wait(p, since); }

#if defined(__linux__)
    /// Sleep while word == expected, at most longest_sleep.
    static void wait(wait_word& word, std::uint32_t expected) noexcept {
        constexpr auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(longest_sleep).count();
        const timespec bound{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
        futex::wait(word, expected, &bound);
    }
    static bool wait_until(wait_word& word, std::uint32_t expected, clock::time_point deadline) noexcept {
        return futex::wait_until(word, expected, deadline);
    }
    static void wake_one(wait_word& word) noexcept { futex::wake(word, 1); }
    static void wake_all(wait_word& word) noexcept { futex::wake(word, INT_MAX); }
    /// wait and wait_until, and whether a wake may have ended them
    /// (concepts/sync_family.hpp, reports_wakes); the same bound.
    static wait_end wait_reporting(wait_word& word, std::uint32_t expected) noexcept {
        constexpr auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(longest_sleep).count();
        const timespec bound{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
        return futex::wait_woken(word, expected, &bound) ? wait_end::woken : wait_end::unwoken;
    }
    static wait_end wait_until_reporting(wait_word& word, std::uint32_t expected, clock::time_point deadline) noexcept {
        return futex::wait_until_woken(word, expected, deadline) ? wait_end::woken : wait_end::unwoken;
    }

private:
    using futex = detail::futex_calls</*Shared=*/true>;
#endif
};

using shared_fenced = shared<fence_barrier>;
using shared_membarrier = shared<global_membarrier>;

}  // namespace msgpool::sync
