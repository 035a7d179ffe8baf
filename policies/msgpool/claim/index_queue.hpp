// msgpool/claim/index_queue.hpp - free and full slot indices in two
// Boost.Lockfree queues.
//
// When to use: when no per-slot state word is wanted and no thread may wait
// for another's progress: like cas_scan, a thread preempted at any point
// blocks nobody (the Michael-Scott queue is lock-free), and there is no scan.
// It pays for that with two queue operations per message, each on a shared
// head or tail word plus a node of its own, and with two cache-line nodes of
// memory per slot; it is also the baseline that shows what a general-purpose
// lock-free queue costs when it is used to hand out slots.
//
// The idea: slot indices live in exactly one of four places: the `free`
// queue, a writer's hands, the `full` queue, a reader's hands.  A writer pops
// an index from `free`, moves its element in, and pushes the index to `full`
// (or back to `free` if it gives the slot up: abandon_write, a write handle
// dropped without commit); a reader pops it from `full`, moves the element
// out, and pushes it back to `free`.  The queue is the claim: an index
// popped by one thread is popped by no other, so the slot needs no control
// word (the control type is empty and the storage lays out zero bytes for it,
// see storage/detail/slot_array.hpp).
//
// Admission comes first (claim/detail/slot_counter.hpp; of the shipped policies only
// this one has it: cas_scan and fetch_add_ring claim with one CAS on a slot or
// position they have seen ready): a writer reserves a unit of `free_`, a
// reader one of `full_`, and only then pops.  That makes try_ and timed
// failures exact (a failing try_read means the pool was empty at that instant,
// not that a pop raced), and a reserved pop always succeeds:
//
//   Every operation below is seq_cst or linearizable: the counters are
//   seq_cst atomics, and the Boost queue is a Michael-Scott queue, which is
//   linearizable.  Linearizability is local (Herlihy & Wing, 1990), so the
//   whole history has one order that respects happens-before, and in it each
//   push [IQ-W2] precedes its release [SC-C1] and each reservation [SC-C2] precedes its
//   pop [IQ-R1].  At any point of that order,
//       #indices in `full` = #pushes - #pops >= #releases - #pops
//                          >= #reservations - #pops >= 1 for a reserver about to pop,
//   because a counter never goes below zero (#releases >= #reservations) and
//   every earlier pop was made by a reserver.  So the queue is not empty when
//   a reserver's pop takes effect.  The same holds for `free`, which starts
//   with every index and whose counter starts at capacity; its releases come
//   from readers ([IQ-R2]) and from abandoning writers ([IQ-A1]), each after its push.
//
// No allocation after construction.  Both queues are node-based (no
// fixed_sized option: that stores node indices in 16 bits, so it would cap
// capacity at 65535; this policy has no limit but memory).  Each queue gets
// capacity + 1 nodes up front (the Michael-Scott dummy plus one per index),
// and no more are ever needed: every node in use other than the dummy carries
// an index that is either in the queue, being pushed by the thread that holds
// it, or just popped by the thread that now holds it (which frees the old
// dummy before it does anything else), and an index is in one place at a time.
// So push always finds a node on the queue's free list and never calls the
// allocator (tests/unit/claim_protocols.cpp counts).  If that argument were
// wrong push would allocate, not fail; an allocation failure there would end
// the program (publish is noexcept), but it cannot happen.  Footprint: two
// cache-line-sized nodes (Boost aligns them to a line) per slot, allocated
// one by one through ::operator new, not included in slot_bytes().  A
// capacity whose nodes cannot be allocated is a std::length_error naming the
// capacity (the constructor first asks for the whole footprint at once, so an
// impossible request fails there instead of exhausting memory node by node).
//
// Ordering contract (tags used below; verified against Boost 1.81
// boost/lockfree/queue.hpp, which uses std::atomic on GCC and Clang):
//   [IQ-W1] writer's pop from `free`: the pop's acquire load of the head node's
//        `next` pairs with [IQ-R2]'s link, so the previous reader's move out of
//        the element happens before our write.
//   [IQ-W2] writer's push to `full`: the node (holding the index) is filled
//        before the push links it with a seq_cst compare_exchange on the tail
//        node's `next` (release): publishes the element; pairs with [IQ-R1].
//   [IQ-R1] reader's pop from `full`: acquire load of `next`, pairs with [IQ-W2],
//        so the reader sees everything the writer did before write().
//   [IQ-R2] reader's push to `free`: release, as [IQ-W2]; pairs with [IQ-W1].
//   [IQ-A1] abandoning writer's push to `free` (abandon_write, a write handle
//        dropped without commit): release, as [IQ-R2]; pairs with [IQ-W1], so what
//        the writer did to the element happens before the next writer's claim.
//   [IQ-P1] a reader's push back to `full` (abandon_read, a read handle put
//        back): release, as [IQ-W2]; pairs with the next reader's [IQ-R1], so
//        the message and what the reader did to it in place are visible to it.
//   [SC-C2] / [SC-C1] slot_counter::try_acquire / release, seq_cst, before [IQ-W1] /
//        [IQ-R1] and after [IQ-W2] / [IQ-R2] / [IQ-A1] / [IQ-P1] (see slot_counter.hpp).
// Dekker pair: a publisher does "[SC-C1], light barrier, look for waiters [EC-E3]"
// (the frame's notify) and a waiter "register [EC-E1], heavy barrier, re-check
// [SC-C2] (or is_drained's load)" (wait/detail/event_count.hpp,
// sync/asymmetric_barrier.hpp): either the re-check sees the release or [EC-E3]
// sees the waiter and wakes it.
//
// What a preempted thread blocks: nobody.  A thread preempted while it holds
// an index holds one slot that nobody else is waiting for; one preempted
// inside a queue operation leaves the queue in a state that any other thread
// completes (the Michael-Scott queue helps a lagging tail).
//
// ThreadSanitizer: Boost.Lockfree is header-only, so it is instrumented, and
// TSan reports races inside it: its free list keeps a plain link in the first
// word of a recycled node (the word that is the atomic `next` of a queue
// node), and its pops read a node optimistically (the free-list link, the
// `next` word, the payload before the claiming CAS) and validate with a CAS on
// a tagged pointer afterwards, discarding what they read if the node moved.
// Formally data races on queue nodes, benign where aligned 8-byte accesses do
// not tear; none touches a slot, an element or our counters.  Reported
// upstream as boostorg/lockfree#78.  The tests suppress exactly reports with
// a frame in boost::lockfree::queue (tests/support/tsan_boost_lockfree.hpp
// has the analysis of each report); a program that runs index_queue under
// TSan needs the same suppression.
//
// Sync: the counters use Sync's atomics; the queues use Boost's own
// std::atomic, so a deterministic scheduler substituted through Sync does not
// see inside them.
#pragma once

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>

#include <boost/lockfree/queue.hpp>

#include <msgpool/concepts/sync_family.hpp>
#include <msgpool/detail/backoff.hpp>
#include <msgpool/claim/detail/slot_counter.hpp>

namespace msgpool::claim {

struct index_queue {
    /// No per-slot state: the queues are the claim.  Empty, so the storage
    /// gives it zero bytes.
    struct no_control {};

    /// One control word per slot (the storage's slots_per_control must be 1).
    static constexpr std::size_t max_slots_per_control = 1;

    /// A failing try_ is exact: the admission counter was 0 at one instant.
    static constexpr bool linearizable_try = true;

    /// A held slot blocks nobody: its index is simply out of both queues.  So
    /// the pool offers slot handles (concepts/claim_policy.hpp,
    /// claim_policy_read_handles).
    static constexpr bool held_slots_block_nobody = true;

    template <class Sync>
    using control = no_control;

    template <class Sync>
    class protocol {
        static_assert(!process_shared_v<Sync>,
                      "msgpool: claim::index_queue cannot live in shared memory: its Boost.Lockfree queues hold "
                      "their nodes by pointer, allocated from one process's heap; use claim::cas_scan or "
                      "claim::fetch_add_ring");
        // std::allocator: nodes come from the global ::operator new (aligned
        // form: Boost aligns a node to a cache line), which programs can hook
        // and count.
        using queue_type = boost::lockfree::queue<std::size_t, boost::lockfree::allocator<std::allocator<void>>>;
        using node_type = typename queue_type::allocator::value_type;

    public:
        struct token {
            std::size_t index;
        };

        /// Throws std::length_error (mentioning the capacity) if the queue
        /// nodes cannot be allocated.
        explicit protocol(std::size_t capacity)
            : capacity_(checked(capacity)), free_(capacity), full_(0), free_indices_(0), full_indices_(0) {
            // queue(0) holds just its dummy node; reserve() puts each new node
            // on the queue's free list as soon as it is allocated, so a
            // bad_alloc half-way leaves nothing the queue's destructor misses.
            try {
                free_indices_.reserve(capacity);
                full_indices_.reserve(capacity);
            } catch (const std::bad_alloc&) {
                throw too_large(capacity, "could not allocate them");
            }
            for (std::size_t i = 0; i < capacity; ++i) push(free_indices_, i);  // uses the reserved nodes
        }

        template <class Slots>
        std::optional<token> try_claim_write(Slots&) noexcept {
            if (!free_.try_acquire()) return std::nullopt;  // [SC-C2]: full (exactly, at this instant)
            return token{pop(free_indices_)};               // [IQ-W1] pairs with [IQ-R2]
        }

        template <class Slots>
        void publish_write(Slots&, token t) noexcept {
            push(full_indices_, t.index);  // [IQ-W2] pairs with [IQ-R1]
            full_.release();               // [SC-C1]
        }

        template <class Slots>
        std::optional<token> try_claim_read(Slots&) noexcept {
            if (!full_.try_acquire()) return std::nullopt;  // [SC-C2]: empty (exactly, at this instant)
            return token{pop(full_indices_)};               // [IQ-R1] pairs with [IQ-W2]
        }

        template <class Slots>
        bool publish_read(Slots&, token t) noexcept {
            push(free_indices_, t.index);          // [IQ-R2] pairs with [IQ-W1]
            return free_.release() == capacity_;   // [SC-C1]
        }

        /// A slot claimed for writing goes back unpublished: its index returns
        /// to `free` and the writer's free unit is released, exactly as a
        /// reader gives a slot back.  The message never existed, so `full`
        /// is untouched.  True when the pool is now drained.
        template <class Slots>
        bool abandon_write(Slots&, token t) noexcept {
            push(free_indices_, t.index);         // [IQ-A1] pairs with [IQ-W1]
            return free_.release() == capacity_;  // [SC-C1]; the frame's notify after it closes the Dekker
                                                  // pair with a waiting writer or wait_until_empty
        }

        /// A message claimed for reading goes back unread: its index returns
        /// to `full` and the reader's message unit is released, as a writer
        /// publishes.  `free` is untouched: the slot never became free, so
        /// the pool never looked drained.  Always true: a reader may take it.
        template <class Slots>
        bool abandon_read(Slots&, token t) noexcept {
            push(full_indices_, t.index);  // [IQ-P1] pairs with [IQ-R1]
            full_.release();               // [SC-C1]; the frame's notify after it closes the Dekker pair
            return true;                   // with a waiting reader
        }

        template <class Slots>
        std::size_t was_size(const Slots&) const noexcept { return full_.load(); }
        template <class Slots>
        bool is_drained(const Slots&) const noexcept { return free_.load() == capacity_; }

    private:
        static std::length_error too_large(std::size_t capacity, const char* why) {
            return std::length_error("msgpool: capacity " + std::to_string(capacity) +
                                     " is too large: index_queue needs 2 x (capacity + 1) queue nodes of " +
                                     std::to_string(sizeof(node_type)) + " bytes and " + why);
        }

        // Boost allocates the nodes one at a time.  An absurd capacity that
        // the slot array happened to survive (tiny elements) would then eat
        // memory node by node until the system kills the process, instead of
        // failing cleanly.  So ask once for the whole footprint and give it
        // back: the allocator (or the kernel's overcommit check) refuses an
        // impossible request at once, as it refuses an impossible slot array.
        static std::size_t checked(std::size_t capacity) {
            constexpr std::size_t max_nodes = static_cast<std::size_t>(PTRDIFF_MAX) / sizeof(node_type);
            if (capacity > max_nodes / 2 - 1) throw too_large(capacity, "they would overflow the address space");
            const std::size_t bytes = 2 * (capacity + 1) * sizeof(node_type);
            constexpr auto align = std::align_val_t{alignof(node_type)};
            void* probe = ::operator new(bytes, align, std::nothrow);
            if (probe == nullptr) throw too_large(capacity, "they could not be allocated");
            ::operator delete(probe, align);
            return capacity;
        }

        // A reserved pop: the proof above says the queue holds an index for
        // us, so the first pop succeeds.  Debug builds check that; release
        // builds would rather wait than invent an index.
        static std::size_t pop(queue_type& q) noexcept {
            std::size_t index = 0;
            for (unsigned step = 0; !q.pop(index);) {
                assert(false && "index_queue: a reserved pop found its queue empty");
                detail::back_off<Sync>(step);
            }
            return index;
        }

        // Never allocates (a reserved node is always free, see above), so
        // never fails: push returns false only when a node cannot be had.
        static void push(queue_type& q, std::size_t index) noexcept {
            [[maybe_unused]] const bool pushed = q.push(index);
            assert(pushed);
        }

        const std::size_t capacity_;
        detail::slot_counter<Sync> free_;  // slots a writer may reserve
        detail::slot_counter<Sync> full_;  // messages a reader may reserve
        queue_type free_indices_;          // indices of free slots
        queue_type full_indices_;          // indices of full slots, in no particular order for the pool
    };
};

}  // namespace msgpool::claim
