// msgpool/detail/attachments.hpp - this process's attachments to shared pools:
// which owner id it uses in each (process_table.hpp), how many of its
// threads wait on each wait channel, and how to run recovery for a pool
// when one of its threads has waited too long.
//
// Process-local state, found from an address inside a pool's memory (the
// claim protocol's or a wait channel's `this`), because the pool's objects
// live in shared memory and cannot hold per-process values:
//   * owner_of(p): the owner id a claim records.  The fast path is a
//     thread-local cache of the last few pools this thread used, checked
//     against a process-wide generation that every attach, detach and fork
//     advances; a miss takes the registry's mutex.
//   * enter_wait / leave_wait: the event count's registration ([EC-P1] in
//     wait/detail/event_count.hpp).  Each pool channel's waiters are a bit
//     set of owner ids and a count (process_waiters below); this process's
//     bit is set while at least one of its threads is registered there,
//     counted here under the attachment's mutex so that a thread's set and
//     another's clear never cross.  So a dead process leaves at most its own
//     bit set, which recovery clears.
//   * long_wait(p, since): the frame's report that a thread has waited on
//     the pool since `since`; once that is recover_after ago, this process
//     runs the pool's recovery (at most once per recover_after).
//
// fork(): the child gets a copy of every attachment but none of the
// parent's threads, table entries or waiter bits.  A pthread_atfork handler
// takes the registry's mutexes around the fork; in the child it clears the
// copies' owner ids and counts, and a child that then uses a pool attaches
// to its table under its own identity on first use.
//
// Unrecorded processes.  An attachment that finds the table full (63
// entries taken) works without an owner id: its claims record owner 0, which
// recovery never touches, and its threads register in the waiters' plain
// count.  If such a process dies holding a slot, that slot stays held; if it
// dies registered, the count keeps its registration, and notifies pay the
// slow path from then on.  A pool of a process-shared family that no handle
// attached (a basic_pool built on such a family in ordinary memory) works the
// same way.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

#include <pthread.h>

#include <msgpool/detail/process_identity.hpp>
#include <msgpool/detail/process_table.hpp>

namespace msgpool::detail {

/// The waiters of one wait channel under a crash-recovering family
/// ([EC-P1]): a bit per owner id, set while a thread of that owner is
/// registered, and a count of registered threads of unrecorded processes.
/// One line; a notify reads both words.
template <template <class> class Atomic>
struct process_waiters {
    Atomic<std::uint64_t> owners{0};
    Atomic<std::uint32_t> unrecorded{0};

    /// [EC-E3] relaxed: the asymmetric barrier pair closes the Dekker pair
    /// (event_count.hpp); either registration is an RMW of one of the two words.
    bool any() const noexcept {
        return (owners.load(std::memory_order_relaxed) | unrecorded.load(std::memory_order_relaxed)) != 0;
    }
};

/// One handle's attachment to a pool, in this process.
struct attachment {
    const std::byte* lo = nullptr;  // the pool's memory in this process: [lo, hi)
    const std::byte* hi = nullptr;
    process_table* table = nullptr;
    std::atomic<unsigned> owner{0};  // 0: unrecorded (the table was full), or a fork child not attached yet
    std::atomic<bool> attach_pending{false};  // a fork child's copy: attach on first use
    process_identity self{};         // the identity the entry was taken under
    std::chrono::milliseconds recover_after{1000};
    void (*recover)(void* context) noexcept = nullptr;  // runs the pool's recovery
    void* context = nullptr;
    std::atomic<std::int64_t> last_recovery{0};  // steady_clock nanoseconds; 0: never
    std::mutex waiting_mutex;
    std::vector<std::pair<const void*, unsigned>> waiting;  // channel -> this process's registered threads
};

class attachments {
public:
    /// Registers `a` (its range, table, callback set); the caller attached
    /// it to the table already.  False, and nothing registered, if this
    /// process has an attachment at the same address already (one pool's
    /// memory attached twice at one address would make two owner ids for the
    /// same claims: the first detach would free an id its slots still name).
    static bool add(attachment& a) noexcept {
        auto& r = registry();
        std::lock_guard<std::mutex> lock(r.mutex);
        for (const attachment* b : r.list)
            if (b->lo < a.hi && a.lo < b->hi) return false;
        r.list.push_back(&a);
        generation().fetch_add(1, std::memory_order_relaxed);  // relaxed: only stales caches; the mutex orders the list
        return true;
    }

    static void remove(attachment& a) noexcept {
        auto& r = registry();
        std::lock_guard<std::mutex> lock(r.mutex);
        for (auto& p : r.list)
            if (p == &a) {
                p = r.list.back();
                r.list.pop_back();
                break;
            }
        generation().fetch_add(1, std::memory_order_relaxed);  // relaxed: as in add()
    }

    /// The owner id this process claims under in the pool that contains `p`:
    /// on the claim's fast path, a look at this thread's cache only.
    static unsigned owner_of(const void* p) noexcept {
        const auto* b = static_cast<const std::byte*>(p);
        // relaxed: as in find()
        const std::uint64_t g = generation().load(std::memory_order_relaxed);
        const cache_entry& c = cache()[0];
        if (c.generation == g && b >= c.lo && b < c.hi) return c.owner;
        attachment* a = find(p);
        // relaxed: the id is written once, under the registry mutex that find's slow path took.
        return a != nullptr ? a->owner.load(std::memory_order_relaxed) : 0u;
    }

    /// [EC-P1] registration of one of this process's threads on the channel
    /// at `channel` whose waiter word is `word`.
    template <class Waiters>
    static void enter_wait(const void* channel, Waiters& w) noexcept {
        attachment* a = find(channel);
        // relaxed: the id is set once, before (under the registry mutex) find returned it
        const unsigned owner = a != nullptr ? a->owner.load(std::memory_order_relaxed) : 0u;
        if (owner == 0) {
            // [EC-E1] seq_cst: a locked RMW before the heavy barrier (event_count.hpp).
            w.unrecorded.fetch_add(1, std::memory_order_seq_cst);
            return;
        }
        std::lock_guard<std::mutex> lock(a->waiting_mutex);
        ++count_of(*a, channel);
        // [EC-E1] seq_cst: as above.  Always an RMW, even when the bit is set already, so that
        // this thread's registration is a modification the notifier's [EC-E3] load can read.
        w.owners.fetch_or(std::uint64_t{1} << owner, std::memory_order_seq_cst);
    }

    template <class Waiters>
    static void leave_wait(const void* channel, Waiters& w) noexcept {
        attachment* a = find(channel);
        const unsigned owner = a != nullptr ? a->owner.load(std::memory_order_relaxed) : 0u;  // relaxed: as above
        if (owner == 0) {
            w.unrecorded.fetch_sub(1, std::memory_order_relaxed);  // relaxed: leaving publishes nothing
            return;
        }
        std::lock_guard<std::mutex> lock(a->waiting_mutex);
        if (--count_of(*a, channel) == 0)
            // relaxed: leaving publishes nothing (event_count.hpp); under the mutex, so no thread of
            // this process registers between the count reaching 0 and this clear.
            w.owners.fetch_and(~(std::uint64_t{1} << owner), std::memory_order_relaxed);
    }

    /// The frame's report: a thread has waited on the pool containing `p`
    /// since `since`.  Runs the pool's recovery once that is recover_after
    /// ago, at most once per recover_after in this process.
    static void long_wait(const void* p, std::chrono::steady_clock::time_point since) noexcept {
        attachment* a = find(p);
        if (a == nullptr || a->recover == nullptr) return;
        const auto now = std::chrono::steady_clock::now();
        if (now - since < a->recover_after) return;
        const std::int64_t t = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
        const std::int64_t bound = std::chrono::duration_cast<std::chrono::nanoseconds>(a->recover_after).count();
        // relaxed: a process-local rate limit; the CAS only picks one thread to run it.
        std::int64_t last = a->last_recovery.load(std::memory_order_relaxed);
        if (last != 0 && t - last < bound) return;
        if (!a->last_recovery.compare_exchange_strong(last, t, std::memory_order_relaxed)) return;
        a->recover(a->context);
    }

private:
    struct registry_type {
        std::mutex mutex;
        std::vector<attachment*> list;
    };

    // A pool this thread used: its range, its attachment (null: no handle
    // attached it) and the owner id, valid while the generation is.  Filled
    // only by find_slow, after a fork child's attachment has attached, so a
    // valid entry's owner id is final.
    struct cache_entry {
        const std::byte* lo = nullptr;
        const std::byte* hi = nullptr;
        attachment* a = nullptr;
        std::uint64_t generation = 0;
        unsigned owner = 0;
    };
    static constexpr std::size_t cache_size = 4;

    // Never destroyed: handles in static objects may detach after it would be.
    static registry_type& registry() noexcept {
        static registry_type* r = [] {
            auto* x = new registry_type;
            ::pthread_atfork(&before_fork, &after_fork_in_parent, &after_fork_in_child);
            return x;
        }();
        return *r;
    }
    static std::atomic<std::uint64_t>& generation() noexcept {
        static std::atomic<std::uint64_t> g{1};
        return g;
    }
    static unsigned& count_of(attachment& a, const void* channel) {
        for (auto& w : a.waiting)
            if (w.first == channel) return w.second;
        a.waiting.emplace_back(channel, 0u);
        return a.waiting.back().second;
    }

    static cache_entry* cache() noexcept {
        static thread_local cache_entry entries[cache_size];
        return entries;
    }

    static attachment* find(const void* p) noexcept {
        cache_entry* cache = attachments::cache();
        const auto* b = static_cast<const std::byte*>(p);
        // relaxed: generation only invalidates; a cache filled under the mutex after the last change
        // holds the value read then.
        const std::uint64_t g = generation().load(std::memory_order_relaxed);
        for (std::size_t i = 0; i < cache_size; ++i) {
            cache_entry& c = cache[i];
            if (c.generation == g && b >= c.lo && b < c.hi) {
                if (i != 0) std::swap(cache[0], c);
                return cache[0].a;  // a pool no handle attached (cached by its exact address), or an attached one
            }
        }
        return find_slow(b, cache);
    }

    // Out of line and cold: the claim's fast path inlines only the cache look.
    [[gnu::noinline, gnu::cold]] static attachment* find_slow(const std::byte* b, cache_entry* cache) noexcept {
        auto& r = registry();
        std::lock_guard<std::mutex> lock(r.mutex);
        for (attachment* a : r.list) {
            if (b < a->lo || b >= a->hi) continue;
            if (a->attach_pending.load(std::memory_order_relaxed)) {  // relaxed: written only under this mutex
                a->self = process_identity::self();
                // No free entry: an unrecorded attachment (see the preamble).
                a->owner.store(a->table->attach(a->self).value_or(0u), std::memory_order_relaxed);  // relaxed: as below
                a->attach_pending.store(false, std::memory_order_relaxed);  // relaxed: read under this mutex, or by
                                                                            // this thread after it
            }
            for (std::size_t i = cache_size - 1; i > 0; --i) cache[i] = cache[i - 1];
            // relaxed: as in find(); the owner id was written above or before, under this mutex
            cache[0] = {a->lo, a->hi, a, generation().load(std::memory_order_relaxed),
                        a->owner.load(std::memory_order_relaxed)};
            return a;
        }
        for (std::size_t i = cache_size - 1; i > 0; --i) cache[i] = cache[i - 1];
        cache[0] = {b, b + 1, nullptr, generation().load(std::memory_order_relaxed), 0u};  // relaxed: as in find()
        return nullptr;
    }

    static void before_fork() noexcept {
        auto& r = registry();
        r.mutex.lock();
        for (attachment* a : r.list) a->waiting_mutex.lock();
    }
    static void after_fork_in_parent() noexcept {
        auto& r = registry();
        for (attachment* a : r.list) a->waiting_mutex.unlock();
        r.mutex.unlock();
    }
    static void after_fork_in_child() noexcept {
        auto& r = registry();
        for (attachment* a : r.list) {
            a->owner.store(0, std::memory_order_relaxed);  // relaxed: the child has one thread now
            a->attach_pending.store(true, std::memory_order_relaxed);  // relaxed: likewise
            a->waiting.clear();
            a->last_recovery.store(0, std::memory_order_relaxed);  // relaxed: likewise
            a->waiting_mutex.unlock();
        }
        generation().fetch_add(1, std::memory_order_relaxed);  // relaxed: one thread
        r.mutex.unlock();
    }
};

}  // namespace msgpool::detail
