// tests/shm/kill_point_sync.hpp - a process-shared sync family that counts
// every atomic operation, barrier, futex wait and wake a pool makes, and
// kills its own process (SIGKILL) just before the Nth.
//
// It is sync::shared_fenced with each atomic wrapped: kill_point_atomic<U>
// derives from std::atomic<U> (same size and layout, so a pool made with
// this family is laid out as a shared_fenced one would be) and runs
// kill_point() before each operation.  Every claim, publish, release,
// notify, registration and recovery step of a pool is so a point at which a
// test can kill the process that runs it, exactly: arm(n) makes the nth
// operation from now never happen, all before it done.  The countdown and
// the count are per process (each forked child arms its own).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <csignal>

#include <msgpool/sync/process_shared.hpp>

namespace msgpool_test {

struct kill_points {
    static std::atomic<long>& countdown() noexcept {  // 0: disarmed
        static std::atomic<long> c{0};
        return c;
    }
    static std::atomic<long>& count() noexcept {
        static std::atomic<long> c{0};
        return c;
    }
    /// The nth operation from now kills the process before it runs (n >= 1).
    static void arm(long n) noexcept {
        count().store(0, std::memory_order_relaxed);  // relaxed: this process's own bookkeeping
        countdown().store(n, std::memory_order_relaxed);
    }
    static void disarm() noexcept { countdown().store(0, std::memory_order_relaxed); }
    static void hit() noexcept {
        count().fetch_add(1, std::memory_order_relaxed);  // relaxed: a statistic of this process
        long left = countdown().load(std::memory_order_relaxed);
        // relaxed: one victim thread at a time runs armed operations
        while (left > 0 && !countdown().compare_exchange_weak(left, left - 1, std::memory_order_relaxed)) {
        }
        if (left == 1) ::raise(SIGKILL);
    }
};

/// std::atomic<U> whose every operation is a kill point.
template <class U>
struct kill_point_atomic : std::atomic<U> {
    using base = std::atomic<U>;
    constexpr kill_point_atomic() noexcept : base(U{}) {}
    constexpr kill_point_atomic(U v) noexcept : base(v) {}  // NOLINT: as std::atomic's

    U load(std::memory_order o = std::memory_order_seq_cst) const noexcept {
        kill_points::hit();
        return base::load(o);
    }
    void store(U v, std::memory_order o = std::memory_order_seq_cst) noexcept {
        kill_points::hit();
        base::store(v, o);
    }
    U exchange(U v, std::memory_order o = std::memory_order_seq_cst) noexcept {
        kill_points::hit();
        return base::exchange(v, o);
    }
    bool compare_exchange_weak(U& e, U d, std::memory_order s, std::memory_order f) noexcept {
        kill_points::hit();
        return base::compare_exchange_weak(e, d, s, f);
    }
    bool compare_exchange_strong(U& e, U d, std::memory_order s, std::memory_order f) noexcept {
        kill_points::hit();
        return base::compare_exchange_strong(e, d, s, f);
    }
    bool compare_exchange_weak(U& e, U d, std::memory_order o = std::memory_order_seq_cst) noexcept {
        kill_points::hit();
        return base::compare_exchange_weak(e, d, o);
    }
    bool compare_exchange_strong(U& e, U d, std::memory_order o = std::memory_order_seq_cst) noexcept {
        kill_points::hit();
        return base::compare_exchange_strong(e, d, o);
    }
    U fetch_add(U v, std::memory_order o = std::memory_order_seq_cst) noexcept {
        kill_points::hit();
        return base::fetch_add(v, o);
    }
    U fetch_sub(U v, std::memory_order o = std::memory_order_seq_cst) noexcept {
        kill_points::hit();
        return base::fetch_sub(v, o);
    }
    U fetch_or(U v, std::memory_order o = std::memory_order_seq_cst) noexcept {
        kill_points::hit();
        return base::fetch_or(v, o);
    }
    U fetch_and(U v, std::memory_order o = std::memory_order_seq_cst) noexcept {
        kill_points::hit();
        return base::fetch_and(v, o);
    }
};

/// sync::shared_fenced with every operation a kill point.
struct kill_point_sync : msgpool::sync::shared_fenced {
    using base = msgpool::sync::shared_fenced;
    template <class U>
    using atomic = kill_point_atomic<U>;
    using wait_word = kill_point_atomic<std::uint32_t>;
    using waiter_word = msgpool::detail::process_waiters<kill_point_atomic>;

    static void light_barrier() noexcept {
        kill_points::hit();
        base::light_barrier();
    }
    static void heavy_barrier() noexcept {
        kill_points::hit();
        base::heavy_barrier();
    }
    static void wait(wait_word& w, std::uint32_t expected) noexcept {
        kill_points::hit();
        base::wait(w, expected);
    }
    static bool wait_until(wait_word& w, std::uint32_t expected, clock::time_point deadline) noexcept {
        kill_points::hit();
        return base::wait_until(w, expected, deadline);
    }
    static void wake_one(wait_word& w) noexcept {
        kill_points::hit();
        base::wake_one(w);
    }
    static void wake_all(wait_word& w) noexcept {
        kill_points::hit();
        base::wake_all(w);
    }
    static void enter_wait(const void* channel, waiter_word& w) noexcept {
        msgpool::detail::attachments::enter_wait(channel, w);
    }
    static void leave_wait(const void* channel, waiter_word& w) noexcept {
        msgpool::detail::attachments::leave_wait(channel, w);
    }
};

static_assert(sizeof(kill_point_atomic<std::uint8_t>) == 1 && sizeof(kill_point_atomic<std::uint64_t>) == 8,
              "kill points change no layout");
static_assert(msgpool::crash_recovering<kill_point_sync> && msgpool::process_shared_v<kill_point_sync>);

}  // namespace msgpool_test
