// msgpool/wait/detail/event_count.hpp - the registration half of an event count,
// shared by every wait policy that really sleeps (condvar, futex).
//
// An event count lets a thread wait for a condition it checks itself, without
// a lost wake-up and without making the notifier pay when nobody waits:
//
//   waiter                                  notifier
//   [EC-E1] waiters.fetch_add(1)   seq_cst  [EC-C1] makes the condition true (a
//        Sync::heavy_barrier()                   plain release store may do)
//        key = epoch.load()     seq_cst          Sync::light_barrier()
//   [EC-E2] re-check condition              [EC-E3] waiters.load()   relaxed
//        sleep while epoch == key                if 0: return (no syscall, no
//                                                mutex, no fence, no RMW)
//                                                epoch advance (seq_cst RMW), wake
//
// Why no wake-up is lost.  The pairs "[EC-C1], light barrier, [EC-E3]" and "[EC-E1],
// heavy barrier, [EC-E2]" are the Dekker pair of sync/asymmetric_barrier.hpp:
// if [EC-E3] reads no waiter, [EC-E2] sees [EC-C1] (or later) and the waiter does not
// sleep.  If [EC-E3] does see the waiter, the notifier advances the epoch after
// [EC-E3] with a seq_cst RMW [EC-A1]: either the waiter's key load read the epoch
// before [EC-A1], so its sleep (which compares epoch with key under the blocker's
// mutex or in the kernel's futex compare) either does not start or is woken;
// or the key load read [EC-A1] (or later), which synchronises with [EC-A1] (seq_cst
// RMW, release; seq_cst load, acquire), so [EC-C1], sequenced before [EC-A1],
// happens before [EC-E2], and [EC-E2] sees the condition.  With the fallback
// barriers (seq_cst fences on both sides) the first case is the fence-fence
// rule of [atomics.fences]; nothing else changes.
//
// Events E1, E2, E3 in the terms of concepts/wait_policy.hpp; the Blocker
// (the concept in wait/blocker.hpp, which says what each operation must
// guarantee) supplies only the sleeping and waking on the epoch word.  A blocker
// may keep bits of its own in that word (wait::futex keeps a sleepers bit in
// bit 0 and the epoch above it): the key is then the word as the seq_cst load
// above read it, and the blocker compares only its epoch part.  Whatever the
// blocker does, its advance is one seq_cst read-modify-write [EC-A1] that follows
// [EC-E3] and changes the epoch part, which is all the argument above needs.
//
// [EC-B1] Bounded sleeps.  A family with `longest_sleep` (concepts/sync_family.hpp:
// the process-shared ones) gets a commit_wait that returns after at most that
// long even if nobody notified, so the frame re-registers and re-checks its
// condition ([EC-E1], [EC-E2]).  That is what makes a notifier that died before
// [EC-E3] (another process, killed) cost a waiter a delay instead of a hang.
// Returning early is the spurious return every caller already handles.
//
// [EC-P1] Waiters by process.  Under a crash_recovering family
// (concepts/sync_family.hpp: the process-shared ones) the waiter count is a
// bit set of owner ids and a count, in one line (detail/attachments.hpp,
// process_waiters): bit i is set while some thread of the process attached
// as owner i is registered, and the family keeps the per-process count that
// decides when to clear it; the count holds the registered threads of
// processes without an owner id.  [EC-E1] is still one seq_cst RMW on one of
// the two words (a fetch_or, made even when the bit is set already, or a
// fetch_add) and [EC-E3] reads both, "anyone registered" being either
// non-zero, so the argument above is unchanged: a registered thread's bit (or
// its unit of the count) stays until that thread leaves.  What it adds: a process killed while
// registered leaves only its own bit, which forget_process() clears once the
// process is known dead, so notifies go back to returning at [EC-E3].
#pragma once

#include <atomic>
#include <cstdint>

#include <msgpool/concepts/sync_family.hpp>
#include <msgpool/detail/cache_line.hpp>
#include <msgpool/wait/blocker.hpp>

namespace msgpool::detail {

template <class Sync, blocker<Sync> Blocker>
class event_count {
public:
    using key = std::uint32_t;

    key prepare_wait() noexcept {
        if constexpr (crash_recovering<Sync>)
            Sync::enter_wait(this, waiters_);  // [EC-E1] [EC-P1]: a seq_cst fetch_or of this process's bit
        else
            waiters_.fetch_add(1, std::memory_order_seq_cst);  // [EC-E1] seq_cst: a locked RMW, visible before the barrier
        Sync::heavy_barrier();                              // closes the Dekker pair [EC-E1]/[EC-E2] vs [EC-C1]/[EC-E3]
        return epoch_.load(std::memory_order_seq_cst);      // seq_cst: acquire from an advance [EC-A1] (see above)
    }

    void cancel_wait() noexcept { leave(); }

    void commit_wait(key k) noexcept {
        if constexpr (bounded_sleeps<Sync>)  // [EC-B1]
            blocker_.sleep_while_until(epoch_, k, Sync::clock::now() + Sync::longest_sleep);
        else
            blocker_.sleep_while(epoch_, k);
        leave();
    }

    bool commit_wait_until(key k, typename Sync::clock::time_point deadline) noexcept {
        if constexpr (bounded_sleeps<Sync>) {  // [EC-B1]
            const auto bound = Sync::clock::now() + Sync::longest_sleep;
            if (bound < deadline) {
                blocker_.sleep_while_until(epoch_, k, bound);
                leave();
                return true;  // the deadline has not passed: the caller re-checks and waits again
            }
        }
        const bool in_time = blocker_.sleep_while_until(epoch_, k, deadline);
        leave();
        return in_time;
    }

    void notify_one() noexcept {
        if (!has_waiters()) return;
        blocker_.advance_and_wake_one(epoch_);
    }

    void notify_all() noexcept {
        if (!has_waiters()) return;
        blocker_.advance_and_wake_all(epoch_);
    }

    /// [EC-P1] Clears the registrations of owner `owner`, a process known to
    /// be dead, and wakes every sleeper (one of them may have been woken for
    /// a notify the dead process made and then died itself).
    void forget_process(unsigned owner) noexcept
        requires crash_recovering<Sync>
    {
        // relaxed: as leave(); only the dead process could set this bit again.
        waiters_.owners.fetch_and(~(std::uint64_t{1} << owner), std::memory_order_relaxed);
        notify_all();
    }

private:
    bool has_waiters() const noexcept {
        Sync::light_barrier();  // keeps [EC-C1] before [EC-E3]; the waiter's heavy barrier does the rest
        if constexpr (crash_recovering<Sync>)
            return waiters_.any();  // [EC-E3] [EC-P1]: both words, relaxed (as below)
        else
            // [EC-E3] relaxed: the asymmetric barrier pair, not this load's order, closes the Dekker pair.
            return waiters_.load(std::memory_order_relaxed) != 0;
    }

    // relaxed: leaving publishes nothing; a notifier that still sees the old
    // count only pays one unneeded wake.
    void leave() noexcept {
        if constexpr (crash_recovering<Sync>)
            Sync::leave_wait(this, waiters_);  // [EC-P1]; relaxed there too
        else
            waiters_.fetch_sub(1, std::memory_order_relaxed);
    }

    template <class S, bool = crash_recovering<S>>
    struct waiter_word_of {
        using type = typename S::template atomic<std::uint32_t>;  // a count
    };
    template <class S>
    struct waiter_word_of<S, true> {
        using type = typename S::waiter_word;  // a bit set of owner ids and a count [EC-P1]
    };

    // The waiter count is read by every notify (the fast path) and written only
    // by waiters, so it lives on its own line and stays shared in every cache
    // while nobody waits.
    alignas(cache_line_size) typename waiter_word_of<Sync>::type waiters_{};
    alignas(cache_line_size) typename Sync::wait_word epoch_{0};
    [[no_unique_address]] Blocker blocker_;
};

}  // namespace msgpool::detail
