// tests/dsched/crash_model.hpp - crash recovery (design.md section 6, "Crash
// recovery") under the deterministic scheduler: a process-shared family that
// records owners, the process table's recovery on the family's atomics, and
// a pool that the scenarios (crash_scenarios.hpp) can recover.
//
// The family.  basic_crash_sync<Light, Heavy> is basic_shared_sync (the
// shared families of sync_family.hpp: their barrier pairs, unbounded sleeps)
// plus what concepts/sync_family.hpp's crash_recovering asks for:
//   * owner_of(p): the owner id of the calling thread's *process*.  In the
//     model a process's owner id is its number (scheduler::run's process of
//     each thread), 1..7; the main thread (set-up, checks) is process 0, an
//     unrecorded one: its claims record owner 0, as the real family's do in
//     a process the table had no room for.
//   * enter_wait / leave_wait: detail/attachments.hpp's, on the model's
//     primitives: each process counts its registered threads per wait
//     channel under a mutex of its own (a dsched::mutex, so the lock and the
//     count are scheduling points as the real std::mutex's are), and sets or
//     clears its bit of the channel's process_waiters word with the same
//     RMWs and orders.  The counts live in `registrations`, one object per
//     seed, which the scenario makes before its pool.
//   * long_wait: nothing.  The real family runs recovery from a waiter that
//     has waited `recover_after`; here the scenarios run it explicitly, from
//     a thread of their own, so that each run says when.
//
// The process table.  detail/process_table.hpp's entries are std::atomic
// words, which the scheduler cannot interleave, so table_model is its
// recover() loop (and its entry words: free, live|process, recovering|
// process) on dsched atomics, with the model's proof of death
// (scheduler::proven_dead) where the real one reads /proc.  Its ordering tags
// are the table's ([PT-L1], [PT-R1], [PT-F1]).  recover() below is
// basic_shared_pool::recover_pool with it: for each entry whose process (or
// whose recoverer) is dead, take it, call the pool's recover_owner(id),
// free it.
//
// The pool.  crash_pool<C> is C's basic_pool of copied_msg (checked.hpp: a
// move copies, as a trivially copyable element in a segment does) with
// pool_core's recovery members (recover_owner, visit_held), protected there
// for basic_shared_pool, made public for the scenarios by a derived class.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <utility>

#include <msgpool/basic_pool.hpp>
#include <msgpool/concepts/claim_policy.hpp>
#include <msgpool/concepts/sync_family.hpp>
#include <msgpool/detail/attachments.hpp>

#include "checked.hpp"
#include "scheduler.hpp"
#include "sync_family.hpp"

namespace msgpool_test::dsched {

/// Each process's count of its registered threads per wait channel, and the
/// mutex of that process that guards it (detail/attachments.hpp keeps the
/// same per real process).  One per seed: made by the scenario before its
/// pool, found by the family while it lives.
class registrations {
public:
    struct count {
        mutex m;
        unsigned threads = 0;
    };

    registrations() noexcept { active() = this; }
    ~registrations() { active() = nullptr; }
    registrations(const registrations&) = delete;
    registrations& operator=(const registrations&) = delete;

    /// Process `process`'s count for the channel at `channel`.
    static count& of(const void* channel, unsigned process) noexcept {
        registrations* r = active();
        if (r == nullptr) {
            std::fprintf(stderr, "dsched: a crash-recovering pool registers a waiter, and no registrations exist\n");
            std::abort();
        }
        return r->counts_[{channel, process}];
    }

private:
    static registrations*& active() noexcept {
        static registrations* a = nullptr;
        return a;
    }
    std::map<std::pair<const void*, unsigned>, count> counts_;
};

template <barrier Light, barrier Heavy>
struct basic_crash_sync : basic_shared_sync<Light, Heavy> {
    using waiter_word = msgpool::detail::process_waiters<dsched::atomic>;

    /// The calling thread's process (0 on the main thread: unrecorded).
    static unsigned owner_of(const void*) noexcept {
        const scheduler* s = scheduler::active();
        if (s == nullptr || !s->in_thread()) return 0;
        return s->process_of(s->self());
    }

    /// [EC-P1] as attachments::enter_wait.
    static void enter_wait(const void* channel, waiter_word& w) noexcept {
        const unsigned owner = owner_of(channel);
        if (owner == 0) {
            w.unrecorded.fetch_add(1, std::memory_order_seq_cst);  // [EC-E1] seq_cst: a locked RMW before the barrier
            return;
        }
        registrations::count& c = registrations::of(channel, owner);
        std::lock_guard<mutex> lock(c.m);
        ++c.threads;
        // [EC-E1] seq_cst: as above; an RMW even when the bit is set already (attachments.hpp).
        w.owners.fetch_or(std::uint64_t{1} << owner, std::memory_order_seq_cst);
    }

    /// [EC-P1] as attachments::leave_wait.
    static void leave_wait(const void* channel, waiter_word& w) noexcept {
        const unsigned owner = owner_of(channel);
        if (owner == 0) {
            w.unrecorded.fetch_sub(1, std::memory_order_relaxed);  // relaxed: leaving publishes nothing
            return;
        }
        registrations::count& c = registrations::of(channel, owner);
        std::lock_guard<mutex> lock(c.m);
        if (--c.threads == 0)
            // relaxed: leaving publishes nothing; under the process's mutex, as in attachments.hpp.
            w.owners.fetch_and(~(std::uint64_t{1} << owner), std::memory_order_relaxed);
    }

    /// Recovery runs where a scenario calls it, not from a long wait.
    static void long_wait(const void*, clock::time_point) noexcept {}
};

/// sync::shared_fenced with owners: a seq_cst fence on both sides.
using crash_fenced = basic_crash_sync<barrier::fence, barrier::fence>;
/// sync::shared_membarrier with owners: compiler barrier, membarrier(GLOBAL_EXPEDITED).
using crash_membarrier = basic_crash_sync<barrier::compiler, barrier::global_membarrier>;

static_assert(msgpool::crash_recovering<crash_fenced> && msgpool::process_shared_v<crash_fenced> &&
                  !msgpool::bounded_sleeps<crash_fenced>,
              "dsched::crash_fenced: a crash-recovering process-shared family with unbounded sleeps");
static_assert(msgpool::crash_recovering<crash_membarrier> && msgpool::process_shared_v<crash_membarrier>,
              "dsched::crash_membarrier: a crash-recovering process-shared family");

/// detail/process_table.hpp on the model's atomics: entry i is owner id i,
/// which in the model is process i.  Words: tag in the two low bits (free 0,
/// live 1, recovering 2), the process above them.
class table_model {
public:
    static constexpr std::uint64_t free_tag = 0, live_tag = 1, recovering_tag = 2;

    /// Attaches processes 1..processes-1 (on the main thread, before any run).
    explicit table_model(unsigned processes) noexcept : n_(processes) {
        for (unsigned p = 1; p < n_; ++p) entries_[p].store(pack(live_tag, p), std::memory_order_relaxed);  // set-up
    }

    /// process_table::recover: for each entry whose process is proven dead,
    /// take it, release(id), free it; returns how many it recovered.
    template <class Release>
    std::size_t recover(Release&& release) noexcept {
        scheduler* s = scheduler::active();
        const std::uint64_t me = pack(recovering_tag, s->process_of(s->self()));
        std::size_t recovered = 0;
        for (unsigned i = 1; i < n_; ++i) {
            std::uint64_t w = entries_[i].load(std::memory_order_acquire);  // [PT-L1] pairs with [PT-F1]
            if ((w & 3) == free_tag || !s->proven_dead(static_cast<unsigned>(w >> 2))) continue;
            // [PT-R1] acquire: pairs with the [PT-F1] before the dead attachment's attach; nothing of the
            // dead process is needed from it (proven_dead acquired that).  relaxed on failure: taken or freed.
            if (!entries_[i].compare_exchange_strong(w, me, std::memory_order_acquire, std::memory_order_relaxed))
                continue;
            release(i);
            entries_[i].store(free_tag, std::memory_order_release);  // [PT-F1] pairs with [PT-L1]
            ++recovered;
        }
        return recovered;
    }

    /// Whether some entry names a dead process (its attachment, or its
    /// recoverer): what a recovery would take.  For watch() conditions: no
    /// scheduling point.
    bool needs_recovery(const scheduler& s) const noexcept {
        for (unsigned i = 1; i < n_; ++i)
            if (const std::uint64_t w = entries_[i].peek();
                (w & 3) != free_tag && s.dead(static_cast<unsigned>(w >> 2)))
                return true;
        return false;
    }

    /// Whether entry `id` is in use (live or being recovered); for checks.
    bool attached(unsigned id) const noexcept { return entries_[id].peek() != free_tag; }

private:
    static std::uint64_t pack(std::uint64_t tag, unsigned process) noexcept {
        return tag | std::uint64_t{process} << 2;
    }

    unsigned n_;
    atomic<std::uint64_t> entries_[max_processes]{};
};

/// C's pool of copied_msg, with pool_core's recovery members public.
template <class C>
class crash_pool : public C::template pool<copied_msg> {
    using base = typename C::template pool<copied_msg>;

public:
    using base::base;
    using base::recover_owner;
    using base::visit_held;
};

/// What one recovery released (basic_shared_pool's recovery_report), and
/// per owner id.
struct recovery_totals {
    std::size_t processes = 0;
    std::array<msgpool::claim_recovery, max_processes> of{};
};

/// basic_shared_pool::recover_pool on the model's table, from a scheduled
/// thread.  `first(id)` runs once the entry is taken and before anything of
/// the dead owner is released: where a checker reads the owner records.
template <class Pool, class First>
recovery_totals recover(Pool& pool, table_model& table, First&& first) noexcept {
    recovery_totals r;
    r.processes = table.recover([&](unsigned id) {
        first(id);
        const msgpool::claim_recovery c = pool.recover_owner(id);
        r.of[id].writes_dropped += c.writes_dropped;
        r.of[id].messages_returned += c.messages_returned;
    });
    return r;
}

}  // namespace msgpool_test::dsched
