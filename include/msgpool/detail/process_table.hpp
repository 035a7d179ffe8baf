// msgpool/detail/process_table.hpp - the processes attached to a shared pool,
// in the pool's own memory: who may hold a slot, and who is known dead.
//
// Each attachment of a process to a pool (a basic_shared_pool handle, or a
// fork() child using its parent's) holds one entry of this table, and the
// entry's index, 1 to 63, is its *owner id*: the claims that record an owner
// (claim::cas_scan's busy states) carry it, and so do the waiter bits of the
// event count (wait/detail/event_count.hpp, [EC-P1]).  Id 0 means "nobody".
//
// An entry is one 64-bit word, changed only by CAS, so that a process killed
// at any instruction leaves it in one of three states, each meaningful:
//     free                          nobody; the id is unused everywhere
//     live       | pid | start      the attachment of that process
//     recovering | pid | start      that process is releasing what a dead
//                                   attachment held (the dead one's identity
//                                   is no longer needed: the index names it)
// with pid in 22 bits (Linux pids are below 2^22) and the start time (clock
// ticks since boot, process_identity.hpp) in its low 40 bits (some 348 years
// at 100 Hz).  So attaching is one CAS free -> live|identity with nothing
// before it, and a process killed during its attach either holds an entry
// under its full identity or holds none.
//
// Recovery (recover()): an entry whose process is proven dead (its pid has
// gone, is a zombie, or is another process now: process_identity.hpp) is
// taken by one CAS live|dead -> recovering|me; the taker releases what the
// dead attachment held (the callback: the pool's claims and waiter bits for
// that id) and frees the entry with a release store.  Exactly one process
// recovers an entry at a time; a recoverer that dies is itself a dead
// identity in a recovering entry, and the next recover() takes the entry over
// and runs the callback again, which is idempotent (every step is a CAS from
// a value that names the dead id, or a clear of its bit).  An id is never
// reused while a claim or waiter bit still names it: the entry turns free only
// after the callback released them all.
//
// A stopped process (SIGSTOP, a debugger, a cgroup freezer) is alive: its
// entry, and every slot it holds, stays its own until it runs on or dies.
//
// Ordering:
//   [PT-A1] attach's CAS free -> live, acquire: pairs with [PT-F1] of the
//        recovery or detach that freed the entry, so the releases that
//        recovery made happen before this attachment's first claim.
//   [PT-F1] the store of free (detach, end of recovery), release: pairs with
//        [PT-A1] and [PT-L1].
//   [PT-L1] recover's load of an entry, acquire: pairs with [PT-F1]; a stale
//        value only makes its CAS fail.
//   [PT-R1] the CAS live|recovering -> recovering|me, acquire: pairs with the
//        [PT-F1] before the dead attachment's [PT-A1] (release sequence), and
//        with nothing of the dead process, whose stores are all visible once
//        it is dead (its exit passed a full barrier in the kernel before the
//        kernel released its pid).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>

#include <msgpool/detail/process_identity.hpp>

namespace msgpool::detail {

struct alignas(64) process_table {
    /// Owner ids 1..max_owners; index 0 is unused (id 0: nobody).
    static constexpr unsigned max_owners = 63;

    enum tag : std::uint64_t { free_tag = 0, live_tag = 1, recovering_tag = 2 };

    struct alignas(64) entry {
        std::atomic<std::uint64_t> word;
    };
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "process entries are lock-free words");

    entry entries[max_owners + 1];  // value-initialised: every entry free

    static constexpr std::uint64_t start_mask = (std::uint64_t{1} << 40) - 1;

    static std::uint64_t pack(tag t, const process_identity& p) noexcept {
        return std::uint64_t{t} | (static_cast<std::uint64_t>(p.pid) & 0x3FFFFF) << 2 | (p.start & start_mask) << 24;
    }
    static tag tag_of(std::uint64_t w) noexcept { return static_cast<tag>(w & 3); }
    static process_identity identity_of(std::uint64_t w) noexcept {
        return {static_cast<std::int64_t>((w >> 2) & 0x3FFFFF), w >> 24};
    }
    /// Whether the process a word names still runs (compares the start time
    /// in the 40 bits the word keeps).
    static bool alive(std::uint64_t w) noexcept {
        const process_identity p = identity_of(w);
        const std::uint64_t now = process_identity::start_of(p.pid);
        return now != 0 && (now & start_mask) == p.start;
    }

    /// Takes a free entry for `self`; its index is the owner id.  None free:
    /// nullopt (63 attachments already; the caller goes unrecorded).
    std::optional<unsigned> attach(const process_identity& self) noexcept {
        const std::uint64_t mine = pack(live_tag, self);
        for (unsigned i = 1; i <= max_owners; ++i) {
            std::uint64_t expected = 0;
            // [PT-A1] acquire: pairs with the [PT-F1] that freed it.  relaxed on failure: taken, try the next.
            if (entries[i].word.compare_exchange_strong(expected, mine, std::memory_order_acquire,
                                                        std::memory_order_relaxed))
                return i;
        }
        return std::nullopt;
    }

    /// Frees `id`, attached by `self` (a handle's detach).  A no-op if the
    /// entry is no longer self's (a recovery took it: self was judged dead,
    /// which a live process never is).
    void detach(unsigned id, const process_identity& self) noexcept {
        std::uint64_t expected = pack(live_tag, self);
        // [PT-F1] release: pairs with the next [PT-A1] / [PT-L1].  relaxed on failure: not ours any more.
        entries[id].word.compare_exchange_strong(expected, 0, std::memory_order_release, std::memory_order_relaxed);
    }

    /// Releases what every dead attachment held: for each entry whose
    /// process (or whose recoverer) is dead, take it, call release(id), free
    /// it.  Returns how many entries were recovered.  `self` is the caller.
    template <class Release>
    std::size_t recover(const process_identity& self, Release&& release) noexcept {
        const std::uint64_t me = pack(recovering_tag, self);
        std::size_t recovered = 0;
        for (unsigned i = 1; i <= max_owners; ++i) {
            std::uint64_t w = entries[i].word.load(std::memory_order_acquire);  // [PT-L1] pairs with [PT-F1]
            if (tag_of(w) == free_tag || alive(w)) continue;
            // [PT-R1] acquire (see the preamble).  relaxed on failure: another process took or freed it.
            if (!entries[i].word.compare_exchange_strong(w, me, std::memory_order_acquire, std::memory_order_relaxed))
                continue;
            release(i);
            entries[i].word.store(0, std::memory_order_release);  // [PT-F1] pairs with [PT-A1] / [PT-L1]
            ++recovered;
        }
        return recovered;
    }

    /// Entries in use (live or being recovered); for observers and tests.
    std::size_t attached() const noexcept {
        std::size_t n = 0;
        for (unsigned i = 1; i <= max_owners; ++i)
            n += entries[i].word.load(std::memory_order_relaxed) != 0;  // relaxed: a statistic
        return n;
    }
};

}  // namespace msgpool::detail
