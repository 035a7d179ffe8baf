// msgpool/claim/fetch_add_ring.hpp - a ring of slots in order: one position
// counter per side, a sequence number per slot.
//
// When to use: for blocking throughput with threads that keep their cores,
// and for the cheapest exact try_: every operation, blocking, try_ or timed, costs one
// compare-and-swap on its side's position counter and touches only the slot
// at that position, however full or empty the pool is, and a failed try_ is
// one instant's answer (linearizable_try).  The price is order: the slots are
// used in ring order, so a thread descheduled between its claim and its
// publish holds up that slot's next user and everyone behind it (see "What a
// preempted thread blocks"), which cas_scan avoids by scanning past a busy
// slot.  That window is a few instructions (docs/policies.md links a run of
// both claims with many more threads than cores).
//
// The idea (Vyukov's bounded MPMC queue).  Writers take positions from
// `head_`, readers from `tail_`; position p uses slot index(p).  Slot i is
// used by writer p, reader p, writer p + P, reader p + P, ... in that order
// (p the first position of slot i, P below).  The slot's control word is a
// sequence number relative to its first position:
//     base(p)       free: the writer of position p may take the slot,
//     base(p) + 1   full: the reader of position p may take it,
// and that reader leaves base(p) + P = base(p + P), free for the next lap.
// A writer loads head_ = p and the word of slot index(p): base(p) means the
// slot is free, and one CAS of head_ from p to next(p) makes it the only
// writer of position p.  Readers likewise on tail_.  That CAS is the only
// read-modify-write of an operation; the publish is a plain release store.
// (The policy keeps the name of the ticket ring it is; a position is taken
// with a CAS rather than a fetch_add so that a claim that finds its slot not
// ready takes nothing.)
//
// Positions: p = lap * P + i with P = max(2, capacity rounded up to a power
// of two) and i < capacity, so index(p) = p & (P - 1) and base(p) = p with
// the low bits cleared: no division.  next(p) is p + 1 within a lap and the
// next lap's first position after slot capacity - 1: positions i >= capacity
// are skipped, which only a CAS (not a fetch_add) can do.  The ring has
// exactly `capacity` slots; P only names positions and is never visible.
// Every word starts at 0 = base of the slot's first position (the storage
// value-initialises control words), and P >= 2 keeps "full for p" (base + 1)
// apart from "free for p + P" (base + P) even at capacity 1.  Positions and
// words wrap modulo 2^64, a multiple of P, so the arithmetic is the same
// after the wrap; positions are compared by signed difference, which is
// right while they are less than 2^63 apart (they are at most P apart).
//
// A claim that finds its slot not ready (write: the slot's previous reader
// has not released it; read: its writer has not published) never takes the
// position.  It looks at the ring:
//   write: is any slot free?  The free slots are the positions q >= head_
//          whose previous reader (q - P) has claimed (q - P < tail_) and
//          released (word == base(q)).
//   read:  is any message published?  Positions tail_ <= q < head_ with
//          word == base(q) + 1.
// None, and the counter it claims from (head_ / tail_) did not move during the
// look: full (empty) at the instant of that look (below), and the claim fails
// with nothing taken: no ticket is ever left behind, so try_, timed and close
// paths fail cleanly (design.md section 1, "Why no claim ever commits on
// speculation").  Some, but not at our position: the slot at our position is
// held by a peer between its claim and its publish (a reader still moving the
// previous message out, a writer still moving its message in); the claim backs
// off (pause, then yield) and tries again, and does not fail.  Failing then
// would be wrong twice: a try_read would report "empty" while a message sat in
// the pool, and a blocking claim that went to sleep would consume a notify_one
// that another sleeper needed (the wake-up would be for a slot only this ring
// position could use).
//
//   Why "none" is one instant's answer (write; read is symmetric).  The look
//   loads tail_, then the words from our position upwards, then head_ again.
//   If head_ still equals p, no writer claimed a position >= p in between,
//   so no free slot stopped being free during the look: slots only became
//   free (readers released them).  Every slot free at the tail_ load was
//   released by a reader that claimed before it, so its position is in the
//   range looked at, and its word said base(q) when loaded.  So none was free
//   at the tail_ load: the pool was full then.
//
// Near attempts (the scheduled attempts of a blocking call before it yields
// or sleeps: attempt::first, near and last_near of concepts/attempt.hpp;
// concepts/claim_policy.hpp, claim_protocol_near).  They look at the slot at
// their position and nothing else (but attempt::near, which slips, also at
// the slot a slip ahead: below): not ready, and they fail at once, with
// nothing taken and no look.  A spinning thread then loads only the word it
// waits for, never the other side's counter, which every peer of that side
// writes at each claim (docs/policies.md links polling against the look).
//
// Slipping (claim/detail/slip.hpp).  attempt::near takes nothing until the
// slot slip_ positions past its side's counter [FR-L2] is ready for that
// position (free for a writer, published for a reader): the other side has
// moved that far ahead.
//
// Ordering contract (tags used below):
//   [FR-H1] the load of head_ / tail_ that picks a position, relaxed: only a
//        guess; the CAS [FR-H2] validates it, and [FR-W1]/[FR-R1] carry the edge.
//   [FR-H2] CAS of head_ / tail_ from p to next(p), relaxed: it makes the
//        caller the only user of position p (atomicity of the RMW alone);
//        it orders nothing else.
//   [FR-W1] writer's load of the slot's word, acquire: pairs with [FR-R2] of the
//        previous lap's reader, so its move out of the element happens
//        before our write into it.
//   [FR-W2] writer's store of base(p) + 1, release: publishes the element;
//        pairs with [FR-R1].
//   [FR-R1] reader's load of the word, acquire: pairs with [FR-W2], so the reader
//        sees everything the writer did before write().
//   [FR-R2] reader's store of base(p) + P, release: pairs with [FR-W1].
//   [FR-L1] the look's loads (the other counter, the words, the counter again),
//        relaxed: a decision only; a claim that follows re-reads through
//        [FR-W1]/[FR-R1].
//   [FR-L2] a slipping near attempt's loads (its side's counter, the word of
//        the slot a slip ahead), relaxed: only whether to attempt; the
//        attempt's own loads and CAS carry every edge.
//   [FR-D1] is_drained's loads, acquire: the word loads pair with every [FR-R2],
//        so whoever sees the pool drained also sees every read of it
//        completed.  The counter loads pair with nothing ([FR-H2] is relaxed);
//        the acquire on the tail_ load keeps the head_ load after it, so
//        equal values mean tail_ == head_ at one instant.
// Dekker pair: a publisher does "[FR-W2]/[FR-R2], light barrier, look for waiters
// [EC-E3]" (the frame's notify), a waiter "register [EC-E1], heavy barrier, claim
// attempt" (wait/detail/event_count.hpp, sync/asymmetric_barrier.hpp).  Either the
// attempt's loads [FR-H1]/[FR-W1]/[FR-R1]/[FR-L1] see the publish (and the counter moves
// before it), or [EC-E3] sees the waiter and wakes it.  A waiter sleeps only
// after a look that saw the pool full (empty) at one instant after its
// registration, so every slot freed (message published) later notifies one
// waiter, and a woken waiter that fails again saw the pool full (empty)
// again: another claim took what it was woken for.
//
// What a preempted thread blocks.  A thread preempted between its CAS [FR-H2]
// and its publish holds one position of one slot.  A writer so preempted:
// the reader of that position, and every reader after it (they all start at
// tail_, which stays at that position), cannot take a message until it runs
// again: they back off while messages published behind it wait (spinning,
// then yielding to the preempted thread), and sleep in the frame once no
// message is published behind it.  Writers go on until the ring comes round
// to that slot.  A reader so preempted: likewise for writers, once head_
// reaches that slot's next lap.  A thread preempted anywhere else (before
// its CAS, or in a look) holds nothing.  A try_ or timed call therefore
// never fails because of such a peer, but it may wait for it, past its
// deadline if the peer stays descheduled; it never waits for the pool's
// state (full, empty) to change.  A slot held for longer (a slot handle)
// would stall the ring the same way, and its holder's own next claim could
// wait for it: hence no handles on the ring (below).
//
// No slot handles (held_slots_block_nobody is left out): a thread holding one
// could wait for itself, as above.  Nor abandon_write: a claimed write
// position cannot be given back.  Its reader comes to it in order and must
// find a message there; publishing a "hole" for it to skip would leave the
// position counted as full until a reader passes, so an empty pool could
// refuse a write.
//
// Bulk claims (concepts/claim_policy.hpp, claim_protocol_bulk; not under a
// crash-recovering family, whose claims record their owner: there the
// protocol does not offer them and the frame claims slot by slot).
// try_claim_write_bulk(slots, n) takes the run of consecutive positions
// p, next(p), ... (at most n, at most capacity, so each a different slot)
// from head_ = p whose slots are free for them, with one CAS of head_ from p
// to the position after the run.
//   [FR-B1] the bulk claim's load of each word of the run, acquire: as
//        [FR-W1] (write: pairs with [FR-R2]) or [FR-R1] (read: pairs with
//        [FR-W2]), one per position.
//   [FR-B2] the CAS of head_ / tail_ from p to the position after the run,
//        relaxed: as [FR-H2], only who owns the positions; [FR-B1] carried
//        the edges.
//   [FR-B3] the bulk publish: one store per position of the run, release,
//        exactly as [FR-W2] (write: pairs with [FR-R1]/[FR-B1] of the
//        position's reader) or [FR-R2] (read: pairs with [FR-W1]/[FR-B1] of
//        the next lap's writer).  The single claims pair with the bulk ones
//        the same way: [FR-W1]/[FR-R1] also read stores [FR-B3] made.
// Exactly once: the CAS succeeds only if head_ still equals p, so no other
// writer took a position >= p between the first [FR-B1] load and the CAS;
// a word that read base(q) (free for q) stays so until the writer of q, the
// caller, publishes it (only the reader of q - P, already done, and the
// writer of q change it from there), so every position of the run is the
// caller's alone with its slot free, and the caller fills and publishes
// exactly those.  Reads mirror it on tail_ with base(q) + 1.  When the slot
// at p itself is not ready, the bulk claim is the single claim
// (claim_write / claim_read with the look), so a failure is the single
// try_'s answer: full (empty) at one instant of the call.
//
// Needs one control word per slot (static_assert in word_of); Sync must
// provide atomic<std::uint64_t> (lock-free on every 64-bit target).
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include <msgpool/claim/detail/slip.hpp>
#include <msgpool/concepts/sync_family.hpp>
#include <msgpool/detail/backoff.hpp>
#include <msgpool/detail/cache_line.hpp>

namespace msgpool::claim {

struct fetch_add_ring {
    /// The name a shared-memory segment records (basic_shared_pool checks it).
    static constexpr std::string_view name = "fetch_add_ring";

    /// One control word per slot (the storage's slots_per_control must be 1).
    static constexpr std::size_t max_slots_per_control = 1;

    /// A failing try_ is exact: the pool was full (empty) at one instant of
    /// the call (see "Why none is one instant's answer").
    static constexpr bool linearizable_try = true;

    // No held_slots_block_nobody: slots are used in ring order, so a held slot
    // stalls the ring, and the frame offers no slot handles
    // (concepts/claim_policy.hpp, claim_policy_read_handles).

    template <class Sync>
    using control = typename Sync::template atomic<std::uint64_t>;  // the slot's sequence number

    template <class Sync>
    class protocol {
    public:
        struct token {
            std::size_t index;  ///< the slot
            std::uint64_t next;  ///< the sequence number to publish
        };

        explicit protocol(std::size_t capacity) noexcept
            : capacity_(capacity),
              // Capacities above 2^63 cannot be allocated (the storage throws
              // first); the clamp only keeps this constructor defined for them.
              lap_(capacity <= 2 ? 2 : capacity > (std::uint64_t{1} << 63) ? std::uint64_t{1} << 63 : std::bit_ceil(std::uint64_t{capacity})),
              slip_(detail::slip_for(capacity, slip_smallest)) {}

        template <class Slots>
        std::optional<token> try_claim_write(Slots& slots) noexcept {
            return claim_write<true>(slots);
        }

        template <class Slots>
        void publish_write(Slots& slots, token t) noexcept {
            word_of(slots, t.index).store(t.next, std::memory_order_release);  // [FR-W2] pairs with [FR-R1]
        }

        template <class Slots>
        std::optional<token> try_claim_read(Slots& slots) noexcept {
            return claim_read<true>(slots);
        }

        /// The attempts of a blocking call before it yields or sleeps
        /// (claim_protocol_near): the slot at our position, and nothing else.
        /// Not ready: fail at once with nothing taken and no look, so a thread
        /// spinning for its slot loads that slot's word alone and never the
        /// other side's counter, a line every peer on that side writes at each
        /// claim.  A failure says nothing about the rest of the ring (a slot
        /// behind a held one may be ready); the frame makes full attempts
        /// (try_claim_write/read, which look and back off behind a held slot)
        /// after its yield steps and before it sleeps.  attempt::near
        /// (claim/detail/slip.hpp) first waits for the other side to be slip_
        /// positions ahead.
        template <class Slots>
        std::optional<token> try_claim_write_near(Slots& slots, attempt kind) noexcept {
            // free for its position: base(q) (the preamble)
            if (slip_ != 0 && detail::slips(kind) && !ahead_ready(slots, head_, 0)) return std::nullopt;
            return claim_write<false>(slots);
        }

        template <class Slots>
        std::optional<token> try_claim_read_near(Slots& slots, attempt kind) noexcept {
            // published for its position: base(q) + 1
            if (slip_ != 0 && detail::slips(kind) && !ahead_ready(slots, tail_, 1)) return std::nullopt;
            return claim_read<false>(slots);
        }

        /// Always "may be drained": a plain store cannot tell whether other
        /// slots are still being read; the frame's notify of wait_until_empty
        /// then costs one load while nobody waits there.
        template <class Slots>
        bool publish_read(Slots& slots, token t) noexcept {
            word_of(slots, t.index).store(t.next, std::memory_order_release);  // [FR-R2] pairs with [FR-W1]
            return true;
        }

        /// A run of consecutive positions (see "Bulk claims"): the first, how
        /// many, and what its publish adds to each position's base (1: full,
        /// P: free for the next lap).
        struct bulk_token {
            std::uint64_t first;
            std::size_t count;
            std::uint64_t step;
        };

        template <class Slots>
            requires(!crash_recovering<Sync>)
        std::optional<bulk_token> try_claim_write_bulk(Slots& slots, std::size_t n) noexcept {
            if (const auto run = claim_run(slots, head_, 0, n)) return bulk_token{run->first, run->count, 1};
            if (const auto t = claim_write<true>(slots)) return bulk_token{t->next - 1 + t->index, 1, 1};
            return std::nullopt;
        }
        template <class Slots>
            requires(!crash_recovering<Sync>)
        void publish_write_bulk(Slots& slots, const bulk_token& b) noexcept {
            publish_run(slots, b);  // [FR-B3] as [FR-W2]
        }
        template <class Slots>
            requires(!crash_recovering<Sync>)
        std::optional<bulk_token> try_claim_read_bulk(Slots& slots, std::size_t n) noexcept {
            if (const auto run = claim_run(slots, tail_, 1, n)) return bulk_token{run->first, run->count, lap_};
            if (const auto t = claim_read<true>(slots)) return bulk_token{t->next - lap_ + t->index, 1, lap_};
            return std::nullopt;
        }
        /// Always "may be drained", as publish_read.
        template <class Slots>
            requires(!crash_recovering<Sync>)
        bool publish_read_bulk(Slots& slots, const bulk_token& b) noexcept {
            publish_run(slots, b);  // [FR-B3] as [FR-R2]
            return true;
        }
        /// f(index) for each position of `b`, in ring order.
        template <class F>
        void for_each_index(const bulk_token& b, F&& f) const noexcept {
            std::uint64_t q = b.first;
            for (std::size_t j = 0; j < b.count; ++j, q = next(q)) f(static_cast<std::size_t>(index(q)));
        }

        /// Published messages no reader has claimed yet: slots whose word says
        /// "full for position p" with p not yet taken by a reader.  Exact on an
        /// idle pool, and a write in progress (claimed, not published) is not
        /// counted.
        template <class Slots>
        std::size_t was_size(const Slots& slots) const noexcept {
            // relaxed: a statistic; on an idle pool the caller's own
            // synchronisation (a join) orders it after every publish.
            const std::uint64_t t = tail_.load(std::memory_order_relaxed);
            std::size_t n = 0;
            for (std::size_t i = 0; i < capacity_; ++i) {
                const std::uint64_t seq = word_of(slots, i).load(std::memory_order_relaxed);
                n += (seq & 1) != 0 && distance(seq - 1 + i, t) >= 0;  // full for position seq - 1 + i >= tail_
            }
            return n;
        }

        /// No write or read in progress and no message in the pool: tail_ ==
        /// head_ at one instant, and every slot free for its next writer
        /// (no reader still moving a message out).  Run after the heavy
        /// barrier when it is wait_until_empty's re-check [EC-E2].
        template <class Slots>
        bool is_drained(const Slots& slots) const noexcept {
            const std::uint64_t t = tail_.load(std::memory_order_acquire);  // [FR-D1]
            if (head_.load(std::memory_order_acquire) != t) return false;   // [FR-D1] a write claimed, not yet read
            for (std::size_t i = 0; i < capacity_; ++i)
                if ((word_of(slots, i).load(std::memory_order_acquire) & 1) != 0) return false;  // [FR-D1] mid-read
            return true;
        }

    private:
        // What a look saw: nothing (full / empty at one instant), our own
        // slot ready, a ready slot behind the peer that holds ours, or the
        // counter moved (someone claimed: look again from the new position).
        enum class seen { none, ours, behind_peer, moved };

        std::uint64_t index(std::uint64_t p) const noexcept { return p & (lap_ - 1); }
        std::uint64_t base(std::uint64_t p) const noexcept { return p & ~(lap_ - 1); }
        std::uint64_t next(std::uint64_t p) const noexcept { return index(p) + 1 == capacity_ ? base(p) + lap_ : p + 1; }
        // a - b as a signed number: positions and sequence numbers wrap modulo 2^64.
        static std::int64_t distance(std::uint64_t a, std::uint64_t b) noexcept { return static_cast<std::int64_t>(a - b); }

        template <class Slots>
        static auto& word_of(Slots& slots, std::uint64_t i) noexcept {
            static_assert(Slots::slots_per_control == 1, "fetch_add_ring needs one control word per slot");
            return slots.control(static_cast<std::size_t>(i));
        }

        // Is the slot slip_ positions past `counter`'s position q ready for q:
        // does its word say base(q) + `state` (0: free, 1: published)?
        template <class Slots, class Counter>
        bool ahead_ready(const Slots& slots, const Counter& counter, std::uint64_t state) const noexcept {
            const std::uint64_t p = counter.load(std::memory_order_relaxed);  // [FR-L2]
            std::uint64_t i = index(p) + slip_, b = base(p);
            if (i >= capacity_) {  // past the last slot: the next lap's positions
                i -= capacity_;
                b += lap_;
            }
            return word_of(slots, i).load(std::memory_order_relaxed) == b + state;  // [FR-L2]
        }

        // A writer's claim: take position p once its slot is free.  Not free:
        // with Look, the look decides (full: fail; free behind a held slot:
        // back off and retry); without it (a near attempt), fail at once.
        template <bool Look, class Slots>
        std::optional<token> claim_write(Slots& slots) noexcept {
            std::uint64_t p = head_.load(std::memory_order_relaxed);  // [FR-H1]
            for (unsigned step = 0;;) {
                const std::uint64_t seq = word_of(slots, index(p)).load(std::memory_order_acquire);  // [FR-W1] pairs with [FR-R2]
                const std::int64_t d = distance(seq, base(p));
                if (d == 0) {
                    // [FR-H2] relaxed: only who owns p; [FR-W1] carried the edge.  On
                    // failure p is the value found, and we look at that one.
                    if (head_.compare_exchange_weak(p, next(p), std::memory_order_relaxed, std::memory_order_relaxed))
                        return token{static_cast<std::size_t>(index(p)), base(p) + 1};
                    continue;
                }
                if (d < 0) {  // the slot's previous reader has not released it
                    if constexpr (!Look)
                        return std::nullopt;  // a near attempt: no look
                    else
                        switch (look_for_free(slots, p)) {
                            case seen::none: return std::nullopt;  // full at one instant
                            case seen::ours: continue;             // our slot became free meanwhile
                            case seen::behind_peer: detail::back_off<Sync>(step); break;  // a peer holds our slot: pause, then yield
                            case seen::moved: break;
                        }
                }
                p = head_.load(std::memory_order_relaxed);  // [FR-H1] p was taken: look at the new head
            }
        }

        // A reader's claim: take position p once its slot is published; the
        // mirror image of claim_write.
        template <bool Look, class Slots>
        std::optional<token> claim_read(Slots& slots) noexcept {
            std::uint64_t p = tail_.load(std::memory_order_relaxed);  // [FR-H1]
            for (unsigned step = 0;;) {
                const std::uint64_t seq = word_of(slots, index(p)).load(std::memory_order_acquire);  // [FR-R1] pairs with [FR-W2]
                const std::int64_t d = distance(seq, base(p) + 1);
                if (d == 0) {
                    // [FR-H2] relaxed: only who owns p; [FR-R1] carried the edge.
                    if (tail_.compare_exchange_weak(p, next(p), std::memory_order_relaxed, std::memory_order_relaxed))
                        return token{static_cast<std::size_t>(index(p)), base(p) + lap_};
                    continue;
                }
                if (d < 0) {  // the slot's writer has not published
                    if constexpr (!Look)
                        return std::nullopt;  // a near attempt: no look
                    else
                        switch (look_for_published(slots, p)) {
                            case seen::none: return std::nullopt;  // empty at one instant
                            case seen::ours: continue;
                            case seen::behind_peer: detail::back_off<Sync>(step); break;
                            case seen::moved: break;
                        }
                }
                p = tail_.load(std::memory_order_relaxed);  // [FR-H1] p was taken: look at the new tail
            }
        }

        // A bulk claim's run (see "Bulk claims"): from `counter`'s position p,
        // the positions whose words say base(q) + `state` (0: free, 1:
        // published), at most n and at most capacity; one CAS of `counter`
        // takes them all.  Empty when the slot at p is not ready.
        struct run {
            std::uint64_t first;
            std::size_t count;
        };
        template <class Slots, class Counter>
        std::optional<run> claim_run(Slots& slots, Counter& counter, std::uint64_t state, std::size_t n) noexcept {
            const std::size_t most = n < capacity_ ? n : capacity_;
            std::uint64_t p = counter.load(std::memory_order_relaxed);  // [FR-H1]
            for (;;) {
                std::uint64_t q = p;
                std::size_t m = 0;
                // [FR-B1] acquire: pairs with [FR-R2] (write) / [FR-W2] (read), per position.
                while (m < most && word_of(slots, index(q)).load(std::memory_order_acquire) == base(q) + state) {
                    q = next(q);
                    ++m;
                }
                if (m == 0) return std::nullopt;
                // [FR-B2] relaxed: only who owns p .. q; [FR-B1] carried the edges.  On
                // failure p is the value found, and the run is looked at again from there.
                if (counter.compare_exchange_weak(p, q, std::memory_order_relaxed, std::memory_order_relaxed))
                    return run{p, m};
            }
        }
        template <class Slots>
        void publish_run(Slots& slots, const bulk_token& b) noexcept {
            std::uint64_t q = b.first;
            for (std::size_t j = 0; j < b.count; ++j, q = next(q))
                // [FR-B3] release: pairs with [FR-R1]/[FR-B1] (write) or [FR-W1]/[FR-B1] (read)
                word_of(slots, index(q)).store(base(q) + b.step, std::memory_order_release);
        }

        // The writer's look (preamble): is any slot free, from position p on?
        template <class Slots>
        seen look_for_free(Slots& slots, std::uint64_t p) const noexcept {
            const std::uint64_t t = tail_.load(std::memory_order_relaxed);  // [FR-L1]
            // q's previous reader (q - P) has claimed iff tail_ is past it.
            for (std::uint64_t q = p; distance(t, q - lap_) > 0; q = next(q))
                if (word_of(slots, index(q)).load(std::memory_order_relaxed) == base(q))  // [FR-L1]
                    return q == p ? seen::ours : seen::behind_peer;
            return head_.load(std::memory_order_relaxed) == p ? seen::none : seen::moved;  // [FR-L1]
        }

        // The reader's look: is any message published, from position p on?
        template <class Slots>
        seen look_for_published(Slots& slots, std::uint64_t p) const noexcept {
            const std::uint64_t h = head_.load(std::memory_order_relaxed);  // [FR-L1]
            for (std::uint64_t q = p; distance(h, q) > 0; q = next(q))
                if (word_of(slots, index(q)).load(std::memory_order_relaxed) == base(q) + 1)  // [FR-L1]
                    return q == p ? seen::ours : seen::behind_peer;
            return tail_.load(std::memory_order_relaxed) == p ? seen::none : seen::moved;  // [FR-L1]
        }

        const std::size_t capacity_;
        const std::uint64_t lap_;  // P: positions per lap, a power of two >= capacity, >= 2
        // No slip below 256 slots: smaller rings lose more to the pauses than
        // the runs win back (docs/policies.md links the comparison).
        static constexpr std::size_t slip_smallest = 256;
        const std::size_t slip_;   // positions the other side must be ahead before a slipping claim
        // Each position counter on its own line: writers hit one, readers the other.
        alignas(detail::cache_line_size) typename Sync::template atomic<std::uint64_t> head_{0};  // next write position
        alignas(detail::cache_line_size) typename Sync::template atomic<std::uint64_t> tail_{0};  // next read position
    };
};

}  // namespace msgpool::claim
