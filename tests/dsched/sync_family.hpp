// tests/dsched/sync_family.hpp - msgpool_test::dsched::sync, the sync family
// (concepts/sync_family.hpp) that runs a pool under the deterministic
// scheduler of scheduler.hpp.
//
// Every operation below is a scheduling point *before* it executes; then it
// executes atomically (fibers switch only at scheduling points).  Semantics:
//  * atomic<U>: std::atomic's interface.  Sequentially consistent: the
//    memory_order arguments never change what a load returns.  They do feed
//    the happens-before bookkeeping (vector clocks) that checked.hpp uses to
//    find unsynchronised element accesses: an acquire load (or RMW) joins the
//    clock released into the location; a release store replaces it; a release
//    RMW joins into it; a relaxed RMW keeps it (release sequences, C++20); a
//    relaxed store clears it.  compare_exchange_weak fails spuriously now and
//    then in seeds with spurious events.
//  * mutex: unlock -> lock is a happens-before edge; which waiter gets the
//    mutex after an unlock is the schedule's choice.
//  * condition_variable: wait releases the mutex and blocks in one step (so
//    no notify can fall between them, as the standard promises), then
//    re-locks; spurious wake-ups are injected; wait_until times out on the
//    virtual clock.  No happens-before edge of its own (the mutex has it).
//  * wait_word wait/wait_until/wake_one/wake_all: futex emulation.  The
//    compare-and-block is one step (the kernel's futex-bucket lock), so a
//    wake issued after a change of the word finds every thread whose compare
//    read the value before it (wait::futex's sleepers bit relies on exactly
//    this); which sleeper a wake_one picks is the schedule's choice (no FIFO
//    promise); spurious returns are injected both while blocked and, like
//    EINTR, before blocking although the word still equals `expected`.  No
//    happens-before edge (futex(2) gives none either).
//  * pause(), yield(): scheduling points only (PCT moves the caller to the
//    lowest priority, so spinning cannot starve the thread it waits for).
//  * clock: virtual time from the scheduler (a steady chrono Clock in ns).
// On the main thread (set-up and checks, outside run()) no operation is a
// scheduling point, and blocking there is a scenario bug (the run aborts).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <type_traits>

#include <msgpool/concepts/sync_family.hpp>

#include "dsched/scheduler.hpp"

namespace msgpool_test::dsched {

namespace hb {
inline bool acquires(std::memory_order mo) noexcept {
    return mo == std::memory_order_acquire || mo == std::memory_order_acq_rel || mo == std::memory_order_seq_cst ||
           mo == std::memory_order_consume;
}
inline bool releases(std::memory_order mo) noexcept {
    return mo == std::memory_order_release || mo == std::memory_order_acq_rel || mo == std::memory_order_seq_cst;
}
inline std::memory_order failure_order(std::memory_order mo) noexcept {
    if (mo == std::memory_order_acq_rel) return std::memory_order_acquire;
    if (mo == std::memory_order_release) return std::memory_order_relaxed;
    return mo;
}
/// The running thread acquires the clock stored in a location.
inline void acquire(const vclock& from) noexcept {
    if (scheduler* s = scheduler::active()) {
        vclock& me = s->clock_of_self();
        for (std::size_t k = 0; k < max_threads; ++k)
            if (from[k] > me[k]) me[k] = from[k];
    }
}
/// The running thread releases its clock into a location (join: an RMW that
/// continues a release sequence keeps what was there).
inline void release(vclock& into, bool join) noexcept {
    if (scheduler* s = scheduler::active()) {
        const vclock& me = s->clock_of_self();
        for (std::size_t k = 0; k < max_threads; ++k) into[k] = join && into[k] > me[k] ? into[k] : me[k];
        s->tick_self();
    }
}
inline void point(op o, const void* obj) noexcept {
    if (scheduler* s = scheduler::active()) s->point(o, obj);
}
}  // namespace hb

/// A virtual steady clock: now() is the scheduler's virtual time.
struct clock {
    using rep = std::int64_t;
    using period = std::nano;
    using duration = std::chrono::nanoseconds;
    using time_point = std::chrono::time_point<clock>;
    static constexpr bool is_steady = true;
    static time_point now() noexcept {
        const scheduler* s = scheduler::active();
        return time_point(duration(s != nullptr ? s->now() : 0));
    }
};

template <class U>
class atomic {
    static_assert(std::is_trivially_copyable_v<U>, "dsched::atomic<U> needs a trivially copyable U, as std::atomic");

public:
    using value_type = U;
    static constexpr bool is_always_lock_free = true;

    constexpr atomic() noexcept : v_() {}
    constexpr atomic(U v) noexcept : v_(v) {}  // NOLINT: implicit, as std::atomic
    atomic(const atomic&) = delete;
    atomic& operator=(const atomic&) = delete;

    bool is_lock_free() const noexcept { return true; }

    U load(std::memory_order mo = std::memory_order_seq_cst) const noexcept {
        hb::point(op::load, this);
        const U v = v_;
        if (hb::acquires(mo)) hb::acquire(rel_);
        return v;
    }
    operator U() const noexcept { return load(); }  // NOLINT: as std::atomic

    void store(U v, std::memory_order mo = std::memory_order_seq_cst) noexcept {
        hb::point(op::store, this);
        v_ = v;
        if (hb::releases(mo))
            hb::release(rel_, false);
        else
            rel_.fill(0);  // a relaxed store ends every release sequence
    }
    U operator=(U v) noexcept {
        store(v);
        return v;
    }

    U exchange(U v, std::memory_order mo = std::memory_order_seq_cst) noexcept {
        hb::point(op::exchange, this);
        const U old = v_;
        v_ = v;
        rmw_edges(mo);
        return old;
    }

    bool compare_exchange_strong(U& expected, U desired, std::memory_order success,
                                 std::memory_order failure) noexcept {
        hb::point(op::cas, this);
        return cas(expected, desired, success, failure);
    }
    bool compare_exchange_strong(U& expected, U desired, std::memory_order mo = std::memory_order_seq_cst) noexcept {
        return compare_exchange_strong(expected, desired, mo, hb::failure_order(mo));
    }
    bool compare_exchange_weak(U& expected, U desired, std::memory_order success,
                               std::memory_order failure) noexcept {
        hb::point(op::cas, this);
        scheduler* s = scheduler::active();
        if (s != nullptr && s->spurious_chance(16)) {  // a weak CAS may fail although the values are equal
            expected = v_;
            if (hb::acquires(failure)) hb::acquire(rel_);
            return false;
        }
        return cas(expected, desired, success, failure);
    }
    bool compare_exchange_weak(U& expected, U desired, std::memory_order mo = std::memory_order_seq_cst) noexcept {
        return compare_exchange_weak(expected, desired, mo, hb::failure_order(mo));
    }

    U fetch_add(U d, std::memory_order mo = std::memory_order_seq_cst) noexcept
        requires std::is_integral_v<U>
    {
        return rmw(mo, [d](U x) { return static_cast<U>(x + d); });
    }
    U fetch_sub(U d, std::memory_order mo = std::memory_order_seq_cst) noexcept
        requires std::is_integral_v<U>
    {
        return rmw(mo, [d](U x) { return static_cast<U>(x - d); });
    }
    U fetch_and(U d, std::memory_order mo = std::memory_order_seq_cst) noexcept
        requires std::is_integral_v<U>
    {
        return rmw(mo, [d](U x) { return static_cast<U>(x & d); });
    }
    U fetch_or(U d, std::memory_order mo = std::memory_order_seq_cst) noexcept
        requires std::is_integral_v<U>
    {
        return rmw(mo, [d](U x) { return static_cast<U>(x | d); });
    }
    U fetch_xor(U d, std::memory_order mo = std::memory_order_seq_cst) noexcept
        requires std::is_integral_v<U>
    {
        return rmw(mo, [d](U x) { return static_cast<U>(x ^ d); });
    }
    U operator++() noexcept requires std::is_integral_v<U> { return static_cast<U>(fetch_add(1) + 1); }
    U operator++(int) noexcept requires std::is_integral_v<U> { return fetch_add(1); }
    U operator--() noexcept requires std::is_integral_v<U> { return static_cast<U>(fetch_sub(1) - 1); }
    U operator--(int) noexcept requires std::is_integral_v<U> { return fetch_sub(1); }
    U operator+=(U d) noexcept requires std::is_integral_v<U> { return static_cast<U>(fetch_add(d) + d); }
    U operator-=(U d) noexcept requires std::is_integral_v<U> { return static_cast<U>(fetch_sub(d) - d); }

    /// For the futex emulation and the checks: the value, without a scheduling point.
    U peek() const noexcept { return v_; }

private:
    bool cas(U& expected, U desired, std::memory_order success, std::memory_order failure) noexcept {
        if (std::memcmp(&v_, &expected, sizeof(U)) == 0) {
            v_ = desired;
            rmw_edges(success);
            return true;
        }
        expected = v_;
        if (hb::acquires(failure)) hb::acquire(rel_);
        return false;
    }
    template <class F>
    U rmw(std::memory_order mo, F f) noexcept {
        hb::point(op::rmw, this);
        const U old = v_;
        v_ = f(old);
        rmw_edges(mo);
        return old;
    }
    void rmw_edges(std::memory_order mo) noexcept {
        if (hb::acquires(mo)) hb::acquire(rel_);
        if (hb::releases(mo)) hb::release(rel_, true);  // a relaxed RMW leaves the release sequence intact
    }

    U v_;
    vclock rel_{};  // the clock an acquire of the current value synchronises with
};

class mutex {
public:
    mutex() noexcept = default;
    mutex(const mutex&) = delete;
    mutex& operator=(const mutex&) = delete;

    void lock() noexcept {
        scheduler* s = scheduler::active();
        hb::point(op::lock, this);
        while (owner_ != free) {
            if (s == nullptr || !s->in_thread()) {
                std::fprintf(stderr, "dsched: the main thread would block on a mutex\n");
                std::abort();
            }
            s->block(this, op::lock, nullptr);
        }
        owner_ = s != nullptr ? static_cast<int>(s->self()) : 0;
        hb::acquire(clock_);
    }
    bool try_lock() noexcept {
        scheduler* s = scheduler::active();
        hb::point(op::try_lock, this);
        if (owner_ != free) return false;
        owner_ = s != nullptr ? static_cast<int>(s->self()) : 0;
        hb::acquire(clock_);
        return true;
    }
    void unlock() noexcept {
        hb::point(op::unlock, this);
        release_now();
    }

private:
    friend class condition_variable;
    static constexpr int free = -1;
    void release_now() noexcept {  // the unlock itself, without a scheduling point
        owner_ = free;
        hb::release(clock_, false);
        if (scheduler* s = scheduler::active()) s->wake(this, static_cast<std::size_t>(-1));
    }
    int owner_ = free;
    vclock clock_{};
};

class condition_variable {
public:
    condition_variable() noexcept = default;
    condition_variable(const condition_variable&) = delete;
    condition_variable& operator=(const condition_variable&) = delete;

    void wait(std::unique_lock<mutex>& lock) noexcept { (void)sleep(lock, nullptr); }

    template <class Pred>
    void wait(std::unique_lock<mutex>& lock, Pred pred) {
        while (!pred()) wait(lock);
    }

    template <class Duration>
    std::cv_status wait_until(std::unique_lock<mutex>& lock,
                              const std::chrono::time_point<clock, Duration>& deadline) noexcept {
        const std::int64_t d =
            std::chrono::ceil<clock::duration>(deadline.time_since_epoch()).count();
        return sleep(lock, &d) == wake_reason::timeout ? std::cv_status::timeout : std::cv_status::no_timeout;
    }

    void notify_one() noexcept {
        hb::point(op::cv_notify, this);
        if (scheduler* s = scheduler::active()) s->wake(this, 1);
    }
    void notify_all() noexcept {
        hb::point(op::cv_notify, this);
        if (scheduler* s = scheduler::active()) s->wake(this, static_cast<std::size_t>(-1));
    }

private:
    wake_reason sleep(std::unique_lock<mutex>& lock, const std::int64_t* deadline) noexcept {
        scheduler* s = scheduler::active();
        if (s == nullptr || !s->in_thread()) {
            std::fprintf(stderr, "dsched: the main thread would wait on a condition variable\n");
            std::abort();
        }
        hb::point(op::cv_wait, this);
        lock.mutex()->release_now();  // unlock and block in one step: no notify can fall in between
        const wake_reason why = s->block(this, op::cv_wait, deadline);
        lock.mutex()->lock();
        return why;
    }
};

/// The family.  `wait_word` is a dsched::atomic<uint32_t> like any other.
struct sync {
    template <class U>
    using atomic = dsched::atomic<U>;
    using mutex = dsched::mutex;
    using condition_variable = dsched::condition_variable;
    using clock = dsched::clock;
    using wait_word = dsched::atomic<std::uint32_t>;

    static void pause() noexcept { hb::point(op::pause, nullptr); }
    static void yield() noexcept { hb::point(op::yield, nullptr); }

    // Sequentially consistent execution: every store is visible at once, so
    // both barriers are scheduling points only.
    static void light_barrier() noexcept { hb::point(op::pause, nullptr); }
    static void heavy_barrier() noexcept { hb::point(op::pause, nullptr); }

    static void wait(wait_word& word, std::uint32_t expected) noexcept {
        scheduler* s = scheduler::active();
        if (s == nullptr || !s->in_thread()) return;  // the main thread never sleeps: a spurious return
        s->point(op::futex_wait, &word);
        if (word.peek() != expected) return;  // the kernel's compare, atomic with the sleep
        if (s->spurious_chance(16)) return;   // EINTR: back without sleeping although nothing changed
        s->block(&word, op::futex_wait, nullptr);
    }

    static bool wait_until(wait_word& word, std::uint32_t expected, clock::time_point deadline) noexcept {
        scheduler* s = scheduler::active();
        if (s == nullptr || !s->in_thread()) return clock::now() < deadline;
        s->point(op::futex_wait, &word);
        if (word.peek() != expected) return clock::now() < deadline;
        if (s->spurious_chance(16)) return clock::now() < deadline;  // EINTR, as in wait()
        const std::int64_t d = deadline.time_since_epoch().count();
        if (s->block(&word, op::futex_wait, &d) == wake_reason::timeout) return false;
        return clock::now() < deadline;
    }

    static void wake_one(wait_word& word) noexcept {
        hb::point(op::futex_wake, &word);
        if (scheduler* s = scheduler::active()) s->wake(&word, 1);
    }
    static void wake_all(wait_word& word) noexcept {
        hb::point(op::futex_wake, &word);
        if (scheduler* s = scheduler::active()) s->wake(&word, static_cast<std::size_t>(-1));
    }
};

static_assert(msgpool::sync_family<sync>, "dsched::sync must be a complete sync family");

}  // namespace msgpool_test::dsched
