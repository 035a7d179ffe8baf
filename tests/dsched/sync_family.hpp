// tests/dsched/sync_family.hpp - msgpool_test::dsched::sync, the sync family
// (concepts/sync_family.hpp) that runs a pool under the deterministic
// scheduler of scheduler.hpp, its variant sync_fenced, and the families of
// pools shared between processes, shared_fenced and shared_membarrier.
//
// Every operation below is a scheduling point *before* it executes; then it
// executes atomically (fibers switch only at scheduling points), under the
// memory model of the run (scheduler.hpp: x86-TSO store buffers by default,
// or sequential consistency).  Semantics:
//  * atomic<U>: std::atomic's interface, compiled as x86 compiles it.  A
//    release or relaxed store is a plain store: under TSO it waits in the
//    thread's store buffer.  A seq_cst store (XCHG) and every RMW (LOCK
//    prefix) first drain the thread's buffer and then act on memory.  A load
//    reads the thread's own newest buffered store to the location, else
//    memory.  The memory_order arguments feed the happens-before bookkeeping
//    (vector clocks) that checked.hpp uses to find unsynchronised element
//    accesses: an acquire load (or RMW) joins the clock released into the
//    location; a release store replaces it; a release RMW joins into it; a
//    relaxed RMW keeps it (release sequences, C++20); a relaxed store clears
//    it.  A buffered store takes the clock of the moment it *executes* (it
//    releases what precedes it in program order, nothing later) and installs
//    it in the location when it *drains*: until then no other thread can read
//    the value, so none can acquire from it, and once it drains an acquire of
//    it is ordered after exactly what the store releases.  Taking the clock at
//    the drain instead would also release what the thread did after the store
//    and could hide a race.  A load served from the own buffer acquires
//    nothing (it reads its own thread's store).  compare_exchange_weak fails
//    spuriously now and then in seeds with spurious events.
//  * mutex: unlock -> lock is a happens-before edge; which waiter gets the
//    mutex after an unlock is the schedule's choice.  Every mutex operation
//    drains the thread's buffer (a locked instruction).
//  * condition_variable: wait releases the mutex and blocks in one step (so
//    no notify can fall between them, as the standard promises), then
//    re-locks; spurious wake-ups are injected; wait_until times out on the
//    virtual clock.  No happens-before edge of its own (the mutex has it).
//  * wait_word wait/wait_until/wake_one/wake_all: futex emulation.  The call
//    drains the thread's buffer (a system call), and the compare-and-block
//    is one step (the kernel's futex-bucket lock), so a wake issued after a
//    change of the word finds every thread whose compare read the value
//    before it (wait::futex's sleepers bit relies on exactly this); which
//    sleeper a wake_one picks is the schedule's choice (no FIFO promise);
//    spurious returns are injected both while blocked and, like EINTR,
//    before blocking although the word still equals `expected`.  No
//    happens-before edge (futex(2) gives none either).  wait_reporting and
//    wait_until_reporting say whether a wake ended the wait (reports_wakes):
//    `woken` only when a wake picked the thread, or for some of the spurious
//    returns while blocked (a spurious 0 from the kernel).
//  * pause(): a scheduling point only; yield(): also drains (sched_yield is a
//    system call).  PCT moves the caller to the lowest priority, so spinning
//    cannot starve the thread it waits for.
//  * light_barrier(), heavy_barrier(): the asymmetric pair of
//    sync/asymmetric_barrier.hpp in one of its two modes.  `sync` is the
//    registered mode: the light barrier is a compiler barrier (drains
//    nothing), the heavy barrier membarrier(PRIVATE_EXPEDITED) (drains, at
//    one instant, the buffer of every thread of the caller's process, which
//    is every thread unless a scenario places threads in several processes).
//    `sync_fenced` is the fallback: both are seq_cst fences (each drains its
//    own thread's buffer).  basic_sync<Light, Heavy> takes any pair, which is
//    how broken_variants.cpp builds the broken ones.
//  * basic_shared_sync<Light, Heavy>: the same, marked process_shared, as
//    the families of sync/process_shared.hpp are.  `shared_fenced` is
//    sync::shared_fenced (fence_barrier: a seq_cst fence on both sides);
//    `shared_membarrier` is sync::shared_membarrier (global_membarrier: a
//    compiler barrier, and membarrier(GLOBAL_EXPEDITED), which drains every
//    thread of every process).  Their sleeps are NOT bounded (no
//    `longest_sleep`), unlike the real ones: see basic_shared_sync.
//  * clock: virtual time from the scheduler (a steady chrono Clock in ns).
// On the main thread (set-up and checks, outside run()) no operation is a
// scheduling point, stores go to memory directly, and blocking there is a
// scenario bug (the run aborts).
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

#include "scheduler.hpp"

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
/// The running thread acquires the clock released into an atomic location.
inline void acquire_at(const void* loc) noexcept {
    if (scheduler* s = scheduler::active())
        if (const vclock* from = s->location_clock(loc)) {
            vclock& me = s->clock_of_self();
            for (std::size_t k = 0; k < max_threads; ++k)
                if ((*from)[k] > me[k]) me[k] = (*from)[k];
        }
}
/// The running thread releases its clock into an atomic location (join: an
/// RMW that continues a release sequence keeps what was there).
inline void release_at(const void* loc, bool join) noexcept {
    if (scheduler* s = scheduler::active()) {
        vclock& into = s->location_clock_slot(loc);
        const vclock& me = s->clock_of_self();
        for (std::size_t k = 0; k < max_threads; ++k) into[k] = join && into[k] > me[k] ? into[k] : me[k];
        s->tick_self();
    }
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
/// A locked instruction, fence or system call of the running thread: its
/// store buffer drains first.
inline void drain_own() noexcept {
    if (scheduler* s = scheduler::active()) s->drain_self();
}
}  // namespace hb

/// What a barrier of the family does (the kinds of sync/asymmetric_barrier.hpp).
enum class barrier : std::uint8_t {
    compiler,          // std::atomic_signal_fence: keeps program order, drains nothing
    fence,             // std::atomic_thread_fence(seq_cst), MFENCE: drains the own buffer
    membarrier,        // membarrier(PRIVATE_EXPEDITED): drains every buffer of the caller's process
    global_membarrier  // membarrier(GLOBAL_EXPEDITED): drains every buffer of every process
};

namespace hb {
inline void run_barrier(barrier b) noexcept {
    switch (b) {
        case barrier::compiler: point(op::compiler_barrier, nullptr); return;
        case barrier::fence:
            point(op::fence, nullptr);
            drain_own();
            return;
        case barrier::membarrier:
            point(op::membarrier, nullptr);
            if (scheduler* s = scheduler::active()) s->drain_process(s->process_of(s->self()));
            return;
        case barrier::global_membarrier:
            point(op::membarrier, nullptr);
            if (scheduler* s = scheduler::active()) s->drain_all();
            return;
    }
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
    ~atomic() {
        if (scheduler* s = scheduler::active()) {
            s->discard(this);  // a store still buffered dies with its object
            s->forget_location(this);
        }
    }
    atomic(const atomic&) = delete;
    atomic& operator=(const atomic&) = delete;

    bool is_lock_free() const noexcept { return true; }

    U load(std::memory_order mo = std::memory_order_seq_cst) const noexcept {
        hb::point(op::load, this);
        if (const scheduler* s = scheduler::active()) {
            if (const buffered_store* e = s->forwarded(this)) {  // store forwarding: the thread's own store
                U v;
                std::memcpy(&v, e->bytes, sizeof(U));
                return v;
            }
        }
        const U v = v_;
        if (hb::acquires(mo)) hb::acquire_at(this);
        return v;
    }
    operator U() const noexcept { return load(); }  // NOLINT: as std::atomic

    void store(U v, std::memory_order mo = std::memory_order_seq_cst) noexcept {
        hb::point(op::store, this);
        scheduler* s = scheduler::active();
        if (s != nullptr && s->buffering() && mo != std::memory_order_seq_cst) {  // a plain MOV: buffered
            buffered_store e;
            e.obj = this;
            e.commit = &commit;
            std::memcpy(e.bytes, &v, sizeof(U));
            e.release = hb::releases(mo);
            if (e.release) {
                e.clk = s->clock_of_self();  // the clock of the moment it executes (see the preamble)
                s->tick_self();
            }
            s->buffer(e);
            return;
        }
        hb::drain_own();  // seq_cst: XCHG, a locked instruction
        v_ = v;
        if (hb::releases(mo))
            hb::release_at(this, false);
        else if (scheduler* s = scheduler::active())
            s->forget_location(this);  // a relaxed store ends every release sequence
    }
    U operator=(U v) noexcept {
        store(v);
        return v;
    }

    U exchange(U v, std::memory_order mo = std::memory_order_seq_cst) noexcept {
        hb::point(op::exchange, this);
        hb::drain_own();
        const U old = v_;
        v_ = v;
        rmw_edges(mo);
        return old;
    }

    bool compare_exchange_strong(U& expected, U desired, std::memory_order success,
                                 std::memory_order failure) noexcept {
        hb::point(op::cas, this);
        hb::drain_own();
        return cas(expected, desired, success, failure);
    }
    bool compare_exchange_strong(U& expected, U desired, std::memory_order mo = std::memory_order_seq_cst) noexcept {
        return compare_exchange_strong(expected, desired, mo, hb::failure_order(mo));
    }
    bool compare_exchange_weak(U& expected, U desired, std::memory_order success,
                               std::memory_order failure) noexcept {
        hb::point(op::cas, this);
        hb::drain_own();
        scheduler* s = scheduler::active();
        if (s != nullptr && s->spurious_chance(16)) {  // a weak CAS may fail although the values are equal
            expected = v_;
            if (hb::acquires(failure)) hb::acquire_at(this);
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

    /// For the futex emulation and the checks: the value in memory, without a
    /// scheduling point.
    U peek() const noexcept { return v_; }

private:
    static_assert(sizeof(U) <= buffered_store::max_bytes, "dsched::atomic<U>: U too large for a store buffer entry");

    static void commit(const buffered_store& e) noexcept {  // a buffered store reaches memory
        auto* self = static_cast<atomic*>(e.obj);
        std::memcpy(&self->v_, e.bytes, sizeof(U));
        if (scheduler* s = scheduler::active()) {
            if (e.release)
                s->location_clock_slot(self) = e.clk;
            else
                s->forget_location(self);  // a relaxed store ends every release sequence
        }
    }

    bool cas(U& expected, U desired, std::memory_order success, std::memory_order failure) noexcept {
        if (std::memcmp(&v_, &expected, sizeof(U)) == 0) {
            v_ = desired;
            rmw_edges(success);
            return true;
        }
        expected = v_;
        if (hb::acquires(failure)) hb::acquire_at(this);
        return false;
    }
    template <class F>
    U rmw(std::memory_order mo, F f) noexcept {
        hb::point(op::rmw, this);
        hb::drain_own();
        const U old = v_;
        v_ = f(old);
        rmw_edges(mo);
        return old;
    }
    void rmw_edges(std::memory_order mo) noexcept {
        if (hb::acquires(mo)) hb::acquire_at(this);
        if (hb::releases(mo)) hb::release_at(this, true);  // a relaxed RMW leaves the release sequence intact
    }

    U v_;
    // The clock an acquire of the current value synchronises with lives in
    // the scheduler (location_clock), keyed by address: sizeof(atomic<U>) is
    // sizeof(U), as for std::atomic, so the storage policies' layout checks
    // (a control word within one cache line) hold for the test family too.
};

class mutex {
public:
    mutex() noexcept = default;
    mutex(const mutex&) = delete;
    mutex& operator=(const mutex&) = delete;

    void lock() noexcept {
        scheduler* s = scheduler::active();
        hb::point(op::lock, this);
        hb::drain_own();
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
        hb::drain_own();
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
        hb::drain_own();
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
        hb::drain_own();
        if (scheduler* s = scheduler::active()) s->wake(this, 1);
    }
    void notify_all() noexcept {
        hb::point(op::cv_notify, this);
        hb::drain_own();
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

/// The family, with its two barriers as template arguments (see the
/// preamble).  `wait_word` is a dsched::atomic<uint32_t> like any other.
template <barrier Light, barrier Heavy>
struct basic_sync {
    template <class U>
    using atomic = dsched::atomic<U>;
    using mutex = dsched::mutex;
    using condition_variable = dsched::condition_variable;
    using clock = dsched::clock;
    using wait_word = dsched::atomic<std::uint32_t>;

    static constexpr barrier light = Light;
    static constexpr barrier heavy = Heavy;

    static void pause() noexcept { hb::point(op::pause, nullptr); }
    static void yield() noexcept {
        hb::point(op::yield, nullptr);
        hb::drain_own();  // sched_yield(2): a system call
    }

    static void light_barrier() noexcept { hb::run_barrier(Light); }
    static void heavy_barrier() noexcept { hb::run_barrier(Heavy); }

    static void wait(wait_word& word, std::uint32_t expected) noexcept {
        scheduler* s = scheduler::active();
        if (s == nullptr || !s->in_thread()) return;  // the main thread never sleeps: a spurious return
        s->point(op::futex_wait, &word);
        s->drain_self();                      // futex(2): a system call
        if (word.peek() != expected) return;  // the kernel's compare, atomic with the sleep
        if (s->spurious_chance(16)) return;   // EINTR: back without sleeping although nothing changed
        s->block(&word, op::futex_wait, nullptr);
    }

    static bool wait_until(wait_word& word, std::uint32_t expected, clock::time_point deadline) noexcept {
        scheduler* s = scheduler::active();
        if (s == nullptr || !s->in_thread()) return clock::now() < deadline;
        s->point(op::futex_wait, &word);
        s->drain_self();
        if (word.peek() != expected) return clock::now() < deadline;
        if (s->spurious_chance(16)) return clock::now() < deadline;  // EINTR, as in wait()
        const std::int64_t d = deadline.time_since_epoch().count();
        if (s->block(&word, op::futex_wait, &d) == wake_reason::timeout) return false;
        return clock::now() < deadline;
    }

    /// wait and wait_until, saying how they ended (reports_wakes): `woken`
    /// when a wake picked the thread; `unwoken` when the compare failed, at
    /// an EINTR before blocking, and at a timeout; a spurious return while
    /// blocked says either (the seed decides), as the kernel's spurious 0 or
    /// EINTR would.
    static msgpool::wait_end wait_reporting(wait_word& word, std::uint32_t expected) noexcept {
        return reporting(word, expected, nullptr);
    }
    static msgpool::wait_end wait_until_reporting(wait_word& word, std::uint32_t expected,
                                                  clock::time_point deadline) noexcept {
        const std::int64_t d = deadline.time_since_epoch().count();
        return reporting(word, expected, &d);
    }

    static void wake_one(wait_word& word) noexcept {
        hb::point(op::futex_wake, &word);
        hb::drain_own();
        if (scheduler* s = scheduler::active()) s->wake(&word, 1);
    }
    static void wake_all(wait_word& word) noexcept {
        hb::point(op::futex_wake, &word);
        hb::drain_own();
        if (scheduler* s = scheduler::active()) s->wake(&word, static_cast<std::size_t>(-1));
    }

private:
    static msgpool::wait_end reporting(wait_word& word, std::uint32_t expected, const std::int64_t* deadline) noexcept {
        using msgpool::wait_end;
        scheduler* s = scheduler::active();
        if (s == nullptr || !s->in_thread()) return wait_end::unwoken;  // the main thread never sleeps
        s->point(op::futex_wait, &word);
        s->drain_self();                                       // futex(2): a system call
        if (word.peek() != expected) return wait_end::unwoken;  // the kernel's compare, atomic with the sleep
        if (s->spurious_chance(16)) return wait_end::unwoken;   // EINTR before blocking
        switch (s->block(&word, op::futex_wait, deadline)) {
            case wake_reason::notified: return wait_end::woken;
            case wake_reason::timeout: return wait_end::unwoken;
            case wake_reason::spurious: return s->spurious_chance(2) ? wait_end::woken : wait_end::unwoken;
        }
        return wait_end::woken;
    }
};

/// membarrier registered: a compiler barrier on the publishing side, a
/// membarrier on the waiting side (the mode of every Linux machine with
/// MEMBARRIER_CMD_PRIVATE_EXPEDITED).
using sync = basic_sync<barrier::compiler, barrier::membarrier>;
/// The fallback: a seq_cst fence on both sides.
using sync_fenced = basic_sync<barrier::fence, barrier::fence>;

static_assert(msgpool::sync_family<sync>, "dsched::sync must be a complete sync family");
static_assert(msgpool::reports_wakes<sync>, "dsched::sync must say how its futex waits end");
static_assert(msgpool::sync_family<sync_fenced>, "dsched::sync_fenced must be a complete sync family");

/// A family for pools that several processes share, as the families of
/// sync/process_shared.hpp: process_shared (so the policies that refuse such
/// a family, wait::condvar and claim::index_queue, refuse this one too) and
/// the barrier pair as template arguments.  Its futex words are keyed by
/// address like every wait_word here, and every process sees the pool at the
/// same address: what the real family gets from shared futex keys and
/// address-free atomics, the model has by construction.
///
/// Deliberately without `longest_sleep`.  The real families bound every
/// sleep (event_count.hpp [EC-B1]): a waiter re-checks at least every
/// 100 ms, so that a process killed between a publish and its notify delays
/// the others instead of hanging them.  With that bound a lost wake-up is a
/// delay, not a hang, and under virtual time (which jumps to the earliest
/// deadline when every thread sleeps) even the delay is invisible: the
/// broken barrier would pass every seed.  The bound is a backstop for dead
/// processes, not a part of the argument that no wake-up is lost, so the
/// model leaves it out, and a lost wake-up stays what it is in process: a
/// waiter asleep for good, reported as a deadlock.
template <barrier Light, barrier Heavy>
struct basic_shared_sync : basic_sync<Light, Heavy> {
    static constexpr bool process_shared = true;
};

/// sync::shared_fenced: a seq_cst fence on both sides of the Dekker pair.
using shared_fenced = basic_shared_sync<barrier::fence, barrier::fence>;
/// sync::shared_membarrier: a compiler barrier on the publishing side,
/// membarrier(GLOBAL_EXPEDITED) on the waiting side.
using shared_membarrier = basic_shared_sync<barrier::compiler, barrier::global_membarrier>;

static_assert(msgpool::sync_family<shared_fenced> && msgpool::process_shared_v<shared_fenced> &&
                  !msgpool::bounded_sleeps<shared_fenced>,
              "dsched::shared_fenced: a process-shared family with unbounded sleeps");
static_assert(msgpool::sync_family<shared_membarrier> && msgpool::process_shared_v<shared_membarrier> &&
                  !msgpool::bounded_sleeps<shared_membarrier>,
              "dsched::shared_membarrier: a process-shared family with unbounded sleeps");

}  // namespace msgpool_test::dsched
