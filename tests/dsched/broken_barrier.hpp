// tests/dsched/broken_barrier.hpp - the Dekker pair of the fast path broken,
// compiled only into tests/dsched/broken_variants.cpp to prove that the
// scheduler's store-buffer model (x86-TSO, scheduler.hpp) catches the lost
// wake-ups they cause.  Never use them.
//
// The pair (wait/detail/event_count.hpp, sync/asymmetric_barrier.hpp):
//   publisher  [C1] publish store (plain, release)   waiter  [E1] register (locked RMW)
//              light barrier                                 heavy barrier
//              [E3] load the waiter count                    [E2] re-check the slots
// Under TSO the publish store may still sit in the publisher's store buffer
// when [E3] reads memory; only the waiter's heavy barrier (membarrier: every
// buffer drains) or a fence on *both* sides (the fallback) then makes [E2]
// see it.  Every variant below drops one piece of that, and in each the same
// execution loses a wake-up: the publisher's [C1] waits in its buffer, its
// [E3] reads "nobody waits" before [E1], the waiter's [E2] reads the slot
// state from memory ("not full yet") and it sleeps; the store drains later,
// and nobody notifies.  Under sequentially consistent schedules (a) and (c)
// pass: each needs a store buffer.
#pragma once

#include <cstddef>
#include <cstdint>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/wait/detail/event_count.hpp>
#include <msgpool/wait/detail/spin_then_sleep.hpp>
#include <msgpool/wait/futex.hpp>

#include "dsched/broken_claim.hpp"
#include "dsched/broken_wait.hpp"
#include "dsched/scheduler.hpp"
#include "dsched/sync_family.hpp"

namespace msgpool_test::dsched::broken {

// --------------------------------------------------------------------------- (a)
/// The family the event count of variant (a) sees: Sync with its heavy
/// barrier replaced by a compiler barrier.  Everything else (atomics,
/// blocking, the light barrier) is Sync's.
template <class Sync>
struct heavy_barrier_skipped : Sync {
    static void heavy_barrier() noexcept { hb::run_barrier(barrier::compiler); }  // BUG: must drain every buffer
};

/// Broken variant 10: the waiter skips the heavy barrier.  prepare_wait
/// registers [E1] and goes straight to the re-check [E2]; the locked RMW
/// drains only the waiter's own buffer, so a publish still buffered on the
/// publisher's core is not seen, while the publisher's [E3] (after a light
/// barrier that drains nothing) already read the count before [E1].  The
/// real wait::futex blocker sleeps; no spin phase.
struct wait_skips_heavy_barrier {
    template <class Sync>
    using channel =
        sleeps_at_once<Sync, msgpool::detail::event_count<heavy_barrier_skipped<Sync>,
                                                           msgpool::wait::futex::blocker<Sync>>>;
};

// --------------------------------------------------------------------------- (b)
/// The publish a thread has made in program order but that the compiler
/// moved below its next load of a waiter count (variant (b)): one per
/// scheduled thread, run by that thread's next notify.
struct sunk_publish {
    void (*run)(void* slots, std::size_t index) noexcept = nullptr;
    void* slots = nullptr;
    std::size_t index = 0;
};
inline sunk_publish pending_publish[max_threads];

inline unsigned running_thread() noexcept {
    const scheduler* s = scheduler::active();
    return s != nullptr ? s->self() : 0;
}

/// cas_scan whose publish_write ([W2], the release store writing -> full) is
/// not executed where the program says but handed to the thread's next
/// notify, which runs it *after* its load of the waiter count: the code a
/// compiler may produce from "store; load" when nothing stops it (a release
/// store orders what precedes it, not the load after it).
template <class Sync>
class publish_sinks_below_notify : public cas_scan_protocol<Sync> {
    using base = cas_scan_protocol<Sync>;

public:
    using typename base::token;
    using base::base;
    template <class Slots>
    void publish_write(Slots& slots, token t) noexcept {
        pending_publish[running_thread()] = sunk_publish{&store_full<Slots>, &slots, t.index};  // BUG (see above)
    }

private:
    template <class Slots>
    static void store_full(void* slots, std::size_t index) noexcept {
        state_of(*static_cast<Slots*>(slots), index).store(cas_state::full, std::memory_order_release);
    }
};

/// event_count's notify without the light barrier: the load of the waiter
/// count [E3] comes first, then the store the frame made before the notify
/// (this thread's sunk publish, if any).  Registration and sleeping are
/// event_count's (with the heavy barrier) and wait::futex's.
template <class Sync, class Blocker>
class notify_loads_first {
public:
    using key = std::uint32_t;
    key prepare_wait() noexcept {
        waiters_.fetch_add(1, std::memory_order_seq_cst);  // [E1]
        Sync::heavy_barrier();
        return epoch_.load(std::memory_order_seq_cst);
    }
    void cancel_wait() noexcept { waiters_.fetch_sub(1, std::memory_order_relaxed); }
    void commit_wait(key k) noexcept {
        blocker_.sleep_while(epoch_, k);
        cancel_wait();
    }
    bool commit_wait_until(key k, typename Sync::clock::time_point deadline) noexcept {
        const bool in_time = blocker_.sleep_while_until(epoch_, k, deadline);
        cancel_wait();
        return in_time;
    }
    void notify_one() noexcept {
        if (has_waiters()) blocker_.advance_and_wake_one(epoch_);
    }
    void notify_all() noexcept {
        if (has_waiters()) blocker_.advance_and_wake_all(epoch_);
    }

private:
    bool has_waiters() noexcept {
        const bool some = waiters_.load(std::memory_order_relaxed) != 0;  // BUG: [E3] before [C1], no light barrier
        sunk_publish& p = pending_publish[running_thread()];
        if (p.run != nullptr) {
            const sunk_publish now = p;
            p = sunk_publish{};
            now.run(now.slots, now.index);  // [C1], too late
        }
        return some;
    }
    typename Sync::template atomic<std::uint32_t> waiters_{0};
    typename Sync::wait_word epoch_{0};
    Blocker blocker_;
};

/// Broken variant 11, the claim half: use with notify_loads_first_wait.
using publish_after_waiters_load = cas_scan_with<publish_sinks_below_notify>;
/// Broken variant 11, the wait half.
struct notify_loads_first_wait {
    template <class Sync>
    using channel = sleeps_at_once<Sync, notify_loads_first<Sync, msgpool::wait::futex::blocker<Sync>>>;
};

// --------------------------------------------------------------------------- (c)
/// Broken variant 12: the fallback half-applied: the heavy side fences (a
/// seq_cst fence, which drains only the waiter's own buffer), the light side
/// stays a compiler barrier, as if the family had fallen back on one side
/// only.  The publisher's store can stay buffered past its [E3].  Use
/// with the real event count and blocker.
using sync_heavy_fence_only = basic_sync<barrier::compiler, barrier::fence>;

/// The mirror image, light side fenced and heavy side a compiler barrier,
/// is *not* a bug on x86: the waiter's [E1] is a locked RMW, a full barrier
/// there, so "store, fence, load" against "locked RMW, load" is a correct
/// Dekker pair under TSO and no schedule of this scheduler can lose a
/// wake-up with it.  It is a bug in the C++ model (a relaxed re-check after
/// a seq_cst RMW may read an older value), and on weaker hardware; the
/// scheduler does not model those (docs/testing.md).
using sync_light_fence_only = basic_sync<barrier::fence, barrier::compiler>;

// --------------------------------------------------------------------------- (d)
/// Broken variant 13: a pool two processes share, on the in-process barrier
/// pair of sync/asymmetric_barrier.hpp: the publisher's light barrier a
/// compiler barrier, the waiter's heavy barrier membarrier(PRIVATE_EXPEDITED),
/// which drains the store buffers of the waiter's own process only.  With
/// the publisher in another process its publish can stay buffered past its
/// [E3] and past the waiter's barrier and re-check, as in (c); with every
/// thread in one process the same family is correct (it is dsched::sync).
/// Sleeps unbounded, as every dsched family (sync_family.hpp says why).  Use
/// with the real event count and blocker, and across_processes.
using shared_private_membarrier = basic_shared_sync<barrier::compiler, barrier::membarrier>;

}  // namespace msgpool_test::dsched::broken
