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
// Two of one side.  A claim of a ready position that loses its CAS (the
// counter's [FR-H2], or the word's [FR-O1] where owners are recorded) lost it
// to a peer of its own side that is claiming at this very instant: another
// writer (reader) is running.  Two writers on two cores take turns at
// head_'s line, which then moves between the cores at every claim, and
// nothing ends that while the pool is neither full nor empty: with more
// threads than cores, two writers (or two readers) can share the machine for
// a whole scheduler slice, at a fraction of what a writer and a reader move
// together.  So a claim that loses pauses once (the peer's claim may be a
// lone one) and, losing again in the same attempt, yields the core at each
// further loss: a core whose thread gives way runs another thread, often one
// of the other side, whose counter nobody else is using.  With one thread a
// side, or threads that each have a core of their own and rarely meet at the
// counter, a claim seldom loses twice and nothing changes.  A yield is no
// wait for the other side (that is the attempt schedule's, and the frame's,
// concepts/attempt.hpp): the claim takes the next ready position after it, a
// near attempt as much as a full one, and fails only as it did before.
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
// Owners (crash recovery; concepts/sync_family.hpp, crash_recovering).  Under
// a family that records owners, a claim must name its process in the same
// step that makes it the position's only user, so that a process killed at
// any instruction leaves every position it held marked with its owner id.
// The counter CAS above names nobody, so these pools claim the *word*
// instead, and the counters become hints that anyone advances:
//   * A word is base(p) | state | owner << 2, with state free 0, full 1,
//     writing 2, reading 3 in the two low bits and the owner id (1..63, 0
//     for an unrecorded process) in the next six; P is at least 256 here so
//     that base(p) leaves those eight bits clear.  free for p is still
//     base(p) and full for p still base(p) + 1, as above; a full word never
//     names an owner, but two marks in its owner bits: a *hole* (a position
//     whose writer died: nothing to read) and a *returned* message (its
//     reader died before releasing it).
//   * A writer at p CASes the word from base(p) to base(p) | writing | owner
//     [FR-O1]: that CAS, not the counter's, makes it p's only writer.  Then it
//     moves head_ from p to next(p) [FR-O2], one CAS that fails only when
//     someone already did.  A claim that finds its position *taken* (the word
//     past free for p) moves the counter on itself, the same CAS, and looks
//     at the next position: a claimer killed between its two CASes stalls
//     nobody.  Readers likewise: full -> base(p) | reading | owner, tail_.
//   * publish_write and publish_read stay plain release stores: a live
//     owner's word is changed only by that owner.  Recovery [FR-C1] CASes a
//     word only from writing|id or reading|id with id the dead owner's, and
//     an owner is dead only when proven (basic_shared_pool, process table),
//     so no recovery races a live publish, and a stopped process's positions
//     stay its own.
//   * A dead writer's position becomes a hole for its lap: its torn element
//     is never read.  The reader that comes to the hole in order passes it
//     [FR-C5] (hole -> free for the next lap, tail_ on) and gets a *hole
//     token* instead of a message; the frame releases it as a read (so one
//     waiting writer is woken for the freed slot) and claims again
//     (claim_protocol_passes_holes).  Recovery passes a hole that is already
//     at tail_ itself.  Until a reader passes it, a hole occupies its slot.
//   * A dead reader's message becomes returned at its own position, behind
//     tail_.  The ring stays as it was: the slot is occupied, and its next
//     writer waits for the release as it would for a slow reader.  Any
//     reader whose look finds nothing in order takes a returned message
//     [FR-C6] (returned -> reading | owner) and releases it as the dead
//     reader would have (free for the next lap).  Recovery counts the
//     returns it makes [FR-C3]; a reader scans the ring for them only when
//     that count moved since a scan that found none [FR-C4], so the scan is
//     paid once per recovery, never on the path of a claim that succeeds.
//   * The look is the same with one more rule: a word at our own position
//     that says taken answers "moved" (a claim of p changes the word before
//     the counter, so "the counter did not move" alone no longer proves that
//     nobody claimed p during the look).  A claim of any later position q
//     needs the counter at q first, which the final counter load sees.
//   * was_size counts full words (holes aside) and returned ones; is_drained
//     asks for every word free or a hole, with no counter: a claim in
//     progress shows in its word.
// The price is a second CAS per claim (word, then counter); pools of other
// families keep the one counter CAS above (docs/design.md, "Crash recovery").
//   [FR-O1] the claim's CAS of the word, acquire: pairs with [FR-W2]/[FR-R2]
//        (and [FR-C1]/[FR-C5], read-modify-writes in their release sequence),
//        as [FR-W1]/[FR-R1] do for the counter claim.  relaxed on failure:
//        the loop loads the word again.
//   [FR-O3] a claim's first try is that CAS with no load before it, from the
//        word the claim expects (free for p; full for p): loading first would
//        fetch the word's line shared and then again for ownership, two
//        transfers where the CAS alone is one.  relaxed on failure: the value
//        found only decides, as a load would have ([FR-W1]/[FR-R1]'s edge is
//        carried by the claim's CAS, which is acquire).  Only a claim's first
//        try, and a near attempt's only when it is the call's first
//        (attempt::first): a thread spinning for its slot loads it and never
//        takes its line away from the peer about to publish or release it.
//   [FR-O2] the CAS that moves a counter past a taken position, relaxed: the
//        counter only names where the next claim looks; the words carry every
//        edge.
//   [FR-C1] recovery's CAS writing|id -> hole, reading|id -> returned,
//        release: a read-modify-write, so it continues the release sequence
//        of the store the dead claim read, and the next claimant of the word
//        synchronises with that store, exactly as if the dead owner had
//        never claimed.  relaxed on failure: not the dead owner's any more.
//   [FR-C2] recovery's and observers' loads of a word, relaxed: only which CAS
//        to try.
//   [FR-C3] recovery's increment of returned_made_, release: pairs with
//        [FR-C4], so a reader that sees the count sees the words [FR-C1]
//        changed before it.
//   [FR-C4] a reader's load of returned_made_, acquire: pairs with [FR-C3].
//        returned_seen_ (how far a scan that found nothing got) is read and
//        advanced relaxed: a hint that skips a scan, and a scan that finds
//        nothing proves every return counted before its [FR-C4] load taken.
//   [FR-C5] passing a hole, hole -> free for the next lap, release: a
//        read-modify-write in the release sequence of the store the dead
//        writer's claim read, which the next writer's [FR-W1] load pairs with.
//   [FR-C6] taking a returned message, returned -> reading | owner, acquire:
//        pairs with the writer's [FR-W2] through the release sequence that
//        the dead reader's claim and [FR-C1] continued.
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
#include <type_traits>

#include <msgpool/claim/detail/slip.hpp>
#include <msgpool/concepts/claim_policy.hpp>
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
        // Claims record their owner in the word exactly when the family
        // records owners ("Owners").
        static constexpr bool records_owners = crash_recovering<Sync>;

    public:
        struct token {
            std::size_t index;  ///< the slot
            std::uint64_t next;  ///< the sequence number to publish (passed_hole: nothing to publish)
        };

        explicit protocol(std::size_t capacity) noexcept
            : capacity_(capacity), lap_(lap_for(capacity)), slip_(detail::slip_for(capacity)) {}

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
            return claim_write<false>(slots, kind == attempt::first);
        }

        template <class Slots>
        std::optional<token> try_claim_read_near(Slots& slots, attempt kind) noexcept {
            // published for its position: base(q) + 1
            if (slip_ != 0 && detail::slips(kind) && !ahead_ready(slots, tail_, 1)) return std::nullopt;
            return claim_read<false>(slots, kind == attempt::first);
        }

        /// Always "may be drained": a plain store cannot tell whether other
        /// slots are still being read; the frame's notify of wait_until_empty
        /// then costs one load while nobody waits there.  A hole token's
        /// slot was released when the hole was passed [FR-C5].
        template <class Slots>
        bool publish_read(Slots& slots, token t) noexcept {
            if constexpr (records_owners)
                if (t.next == passed_hole) return true;
            word_of(slots, t.index).store(t.next, std::memory_order_release);  // [FR-R2] pairs with [FR-W1]
            return true;
        }

        /// A read claim that passed a dead writer's position: no message,
        /// one slot freed ("Owners"; concepts/claim_policy.hpp,
        /// claim_protocol_passes_holes).
        bool is_hole(token t) const noexcept
            requires records_owners
        {
            return t.next == passed_hole;
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
        /// "full for position p" with p not yet taken by a reader (and, where
        /// owners are recorded, returned messages).  Exact on an idle pool, and
        /// a write in progress (claimed, not published) is not counted.
        template <class Slots>
        std::size_t was_size(const Slots& slots) const noexcept {
            std::size_t n = 0;
            if constexpr (records_owners) {
                for (std::size_t i = 0; i < capacity_; ++i) {
                    // relaxed: a statistic, as below.
                    const std::uint64_t low = word_of(slots, i).load(std::memory_order_relaxed) & low_mask;
                    n += low == st_full || low == returned_bits;
                }
                return n;
            }
            // relaxed: a statistic; on an idle pool the caller's own
            // synchronisation (a join) orders it after every publish.
            const std::uint64_t t = tail_.load(std::memory_order_relaxed);
            for (std::size_t i = 0; i < capacity_; ++i) {
                const std::uint64_t seq = word_of(slots, i).load(std::memory_order_relaxed);
                n += (seq & 1) != 0 && distance(seq - 1 + i, t) >= 0;  // full for position seq - 1 + i >= tail_
            }
            return n;
        }

        /// No write or read in progress and no message in the pool: tail_ ==
        /// head_ at one instant, and every slot free for its next writer
        /// (no reader still moving a message out); where owners are recorded,
        /// every word free or a hole ("Owners").  Run after the heavy barrier
        /// when it is wait_until_empty's re-check [EC-E2].
        template <class Slots>
        bool is_drained(const Slots& slots) const noexcept {
            if constexpr (records_owners) {
                for (std::size_t i = 0; i < capacity_; ++i) {
                    const std::uint64_t low = word_of(slots, i).load(std::memory_order_acquire) & low_mask;  // [FR-D1]
                    if (low != st_free && low != hole_bits) return false;
                }
                return true;
            }
            const std::uint64_t t = tail_.load(std::memory_order_acquire);  // [FR-D1]
            if (head_.load(std::memory_order_acquire) != t) return false;   // [FR-D1] a write claimed, not yet read
            for (std::size_t i = 0; i < capacity_; ++i)
                if ((word_of(slots, i).load(std::memory_order_acquire) & 1) != 0) return false;  // [FR-D1] mid-read
            return true;
        }

        /// Releases every claim of owner `owner` (1..63), whose process can
        /// make no further step ("Owners"; concepts/claim_policy.hpp): its
        /// write positions become holes, its read claims returned messages.
        /// Then passes the holes at tail_, so that an empty pool whose last
        /// position a dead writer held is whole again at once.
        template <class Slots>
        claim_recovery recover_owner(Slots& slots, unsigned owner) noexcept
            requires records_owners
        {
            claim_recovery r;
            if (owner == 0 || owner > max_owner) return r;  // 0: nobody's claims are recorded
            const std::uint64_t held_writing = st_writing | std::uint64_t{owner} << owner_shift;
            const std::uint64_t held_reading = st_reading | std::uint64_t{owner} << owner_shift;
            for (std::size_t i = 0; i < capacity_; ++i) {
                auto& word = word_of(slots, i);
                std::uint64_t w = word.load(std::memory_order_relaxed);  // [FR-C2]
                if ((w & low_mask) == held_writing) {
                    // [FR-C1] release (see the preamble).  relaxed on failure: not the dead owner's any more.
                    if (word.compare_exchange_strong(w, (w & ~low_mask) | hole_bits, std::memory_order_release,
                                                     std::memory_order_relaxed))
                        ++r.writes_dropped;
                } else if ((w & low_mask) == held_reading) {
                    // [FR-C1] release (see the preamble).  relaxed on failure: as above.
                    if (word.compare_exchange_strong(w, (w & ~low_mask) | returned_bits, std::memory_order_release,
                                                     std::memory_order_relaxed))
                        ++r.messages_returned;
                }
            }
            // [FR-C3] pairs with [FR-C4].  Counted by every recovery, with returns
            // or without: a recoverer killed between its [FR-C1] and here is
            // recovered in turn, and the dead owner's recovery runs again and
            // counts the returns it made.
            returns_.made.fetch_add(1, std::memory_order_release);
            // Move head_ past a position whose claimer died before moving it, as
            // the next writer would; then pass the holes (and such positions)
            // at the reader's position, at most one lap of them.
            std::uint64_t h = head_.load(std::memory_order_relaxed);  // [FR-H1]
            for (std::size_t n = 0; n < capacity_; ++n) {
                if (classify_write(word_of(slots, index(h)).load(std::memory_order_relaxed), h) != found::taken)  // [FR-C2]
                    break;
                advance(head_, h);
            }
            for (std::size_t n = 0; n < capacity_; ++n) {
                std::uint64_t p = tail_.load(std::memory_order_relaxed);  // [FR-H1]
                auto& word = word_of(slots, index(p));
                std::uint64_t w = word.load(std::memory_order_relaxed);  // [FR-C2]
                const found f = classify_read(w, p);
                if (f == found::hole)
                    pass_hole(word, w, p);
                else if (f == found::taken)
                    advance(tail_, p);
                else
                    break;
            }
            return r;
        }

        /// Calls visit(index, owner, for_writing) for each slot a recorded
        /// owner holds (writing or reading, owner id not 0).  Relaxed loads: a
        /// snapshot for an observer, exact when the owners in question make
        /// no step.
        template <class Slots, class Visit>
        void visit_held(const Slots& slots, Visit&& visit) const noexcept
            requires records_owners
        {
            for (std::size_t i = 0; i < capacity_; ++i) {
                const std::uint64_t w = word_of(slots, i).load(std::memory_order_relaxed);  // [FR-C2]
                const std::uint64_t state = w & state_mask;
                const auto owner = static_cast<unsigned>((w & low_mask) >> owner_shift);
                if ((state == st_writing || state == st_reading) && owner != 0) visit(i, owner, state == st_writing);
            }
        }

    private:
        // What a look saw: nothing (full / empty at one instant), our own
        // slot ready, a ready slot behind the peer that holds ours, or the
        // counter moved (someone claimed: look again from the new position).
        enum class seen { none, ours, behind_peer, moved };

        // What a word says to a claim of position p: ready for it, taken (p is
        // past: another claim has it, or a later lap), not ready yet, or (a
        // reader's, "Owners") a dead writer's hole to pass.
        enum class found { ready, taken, not_ready, hole };

        // The word's low bits where owners are recorded ("Owners").
        static constexpr std::uint64_t low_mask = 0xff, state_mask = 3;
        static constexpr unsigned owner_shift = 2;
        static constexpr unsigned max_owner = 63;
        static constexpr std::uint64_t st_free = 0, st_full = 1, st_writing = 2, st_reading = 3;
        static constexpr std::uint64_t hole_bits = st_full | std::uint64_t{63} << owner_shift;
        static constexpr std::uint64_t returned_bits = st_full | std::uint64_t{62} << owner_shift;
        // A read token's `next` is base + P, whose low eight bits are clear:
        // never this.
        static constexpr std::uint64_t passed_hole = ~std::uint64_t{0};

        // P: a power of two >= capacity, >= 2; >= 256 where the low eight bits
        // of a word hold a state and an owner.
        static std::uint64_t lap_for(std::size_t capacity) noexcept {
            constexpr std::uint64_t smallest = records_owners ? 256 : 2;
            // Capacities above 2^63 cannot be allocated (the storage throws
            // first); the clamp only keeps this constructor defined for them.
            if (capacity <= smallest) return smallest;
            if (capacity > (std::uint64_t{1} << 63)) return std::uint64_t{1} << 63;
            return std::bit_ceil(std::uint64_t{capacity});
        }

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

        // A writer's view of word `seq` at position p.
        found classify_write(std::uint64_t seq, std::uint64_t p) const noexcept {
            if constexpr (records_owners) {
                if (seq == base(p)) return found::ready;
                // the same lap, claimed (any state but free), or a later lap: taken
                return distance(seq & ~low_mask, base(p)) < 0 ? found::not_ready : found::taken;
            } else {
                const std::int64_t d = distance(seq, base(p));
                return d == 0 ? found::ready : d < 0 ? found::not_ready : found::taken;
            }
        }

        // A reader's view of word `seq` at position p.
        found classify_read(std::uint64_t seq, std::uint64_t p) const noexcept {
            if constexpr (records_owners) {
                if (seq == base(p) + st_full) return found::ready;
                if (seq == (base(p) | hole_bits)) return found::hole;
                const std::int64_t d = distance(seq & ~low_mask, base(p));
                if (d != 0) return d < 0 ? found::not_ready : found::taken;
                // this lap: being read (or its reader died: returned) is taken;
                // free or being written is not ready
                return (seq & state_mask) == st_reading || (seq & low_mask) == returned_bits ? found::taken
                                                                                             : found::not_ready;
            } else {
                const std::int64_t d = distance(seq, base(p) + 1);
                return d == 0 ? found::ready : d < 0 ? found::not_ready : found::taken;
            }
        }

        // This process's owner id in a busy word ("Owners"; 0 where the
        // process is not recorded).
        std::uint64_t owner_bits() const noexcept {
            const unsigned owner = Sync::owner_of(this);
            return std::uint64_t{owner <= max_owner ? owner : 0u} << owner_shift;
        }

        // Move `counter` past position p, which is taken ([FR-O2]): one CAS,
        // which fails only when someone moved it already.  p becomes the
        // counter's position after the attempt.
        template <class Counter>
        void advance(Counter& counter, std::uint64_t& p) const noexcept {
            if (counter.compare_exchange_strong(p, next(p), std::memory_order_relaxed, std::memory_order_relaxed))
                p = next(p);
        }

        // The claim of position p where owners are recorded ("Owners"): the
        // word from `seq` to `state` with this process's owner id, which makes
        // the caller p's only writer (reader), then `counter` past p.  The
        // token publishes `publish`.  Nothing when the word did not hold `seq`,
        // and then seq is the word as found.
        template <class Word, class Counter>
        std::optional<token> claim_word(Word& word, std::uint64_t& seq, std::uint64_t p, std::uint64_t state,
                                        std::uint64_t publish, Counter& counter) noexcept {
            // [FR-O1] acquire (see the preamble).  relaxed on failure: the caller decides from seq.
            if (!word.compare_exchange_strong(seq, base(p) | state | owner_bits(), std::memory_order_acquire,
                                              std::memory_order_relaxed))
                return std::nullopt;
            const token t{static_cast<std::size_t>(index(p)), publish};
            advance(counter, p);  // [FR-O2]
            return t;
        }

        // Pass the hole `seq` at reader position p ([FR-C5]): free for the next
        // lap, and tail_ on.  False when the word changed (someone passed it).
        template <class Word>
        bool pass_hole(Word& word, std::uint64_t seq, std::uint64_t p) noexcept {
            // [FR-C5] release (see the preamble).  relaxed on failure: another reader passed it.
            if (!word.compare_exchange_strong(seq, base(p) + lap_, std::memory_order_release, std::memory_order_relaxed))
                return false;
            advance(tail_, p);
            return true;
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

        // After a claim of a ready position lost to a peer of the same side
        // (see "Two of one side"): the attempt's first loss pauses once, each
        // later loss yields the core.
        static void after_lost_claim(unsigned& losses) noexcept {
            if (losses++ == 0)
                detail::backoff<Sync>(0);  // one pause
            else
                Sync::yield();
        }

        // A writer's claim: take position p once its slot is free.  Not free:
        // with Look, the look decides (full: fail; free behind a held slot:
        // back off and retry); without it (a near attempt), fail at once.
        // `guess`: where owners are recorded, the first try is the claim's CAS
        // itself, from "free for p", with no load before it ("Owners", [FR-O3]).
        template <bool Look, class Slots>
        std::optional<token> claim_write(Slots& slots, bool guess = true) noexcept {
            std::uint64_t p = head_.load(std::memory_order_relaxed);  // [FR-H1]
            unsigned losses = 0;  // claims of a ready position lost to a writer (see "Two of one side")
            for (unsigned step = 0;; guess = false) {
                auto& word = word_of(slots, index(p));
                std::uint64_t seq = base(p);
                if constexpr (records_owners) {
                    if (guess) {
                        // [FR-O3]: on failure seq is the word as found.
                        if (auto t = claim_word(word, seq, p, st_writing, base(p) + 1, head_)) return t;
                    } else {
                        seq = word.load(std::memory_order_acquire);  // [FR-W1] pairs with [FR-R2]
                    }
                } else {
                    seq = word.load(std::memory_order_acquire);  // [FR-W1] pairs with [FR-R2]
                }
                switch (classify_write(seq, p)) {
                    case found::ready:
                        if constexpr (records_owners) {
                            if (auto t = claim_word(word, seq, p, st_writing, base(p) + 1, head_)) return t;
                        } else {
                            // [FR-H2] relaxed: only who owns p; [FR-W1] carried the edge.  On
                            // failure p is the value found, and we look at that one.  Strong:
                            // a failure is a writer's claim of p, which after_lost_claim counts
                            // (a spurious one, on LL/SC machines, would count as a loss).
                            if (head_.compare_exchange_strong(p, next(p), std::memory_order_relaxed,
                                                              std::memory_order_relaxed))
                                return token{static_cast<std::size_t>(index(p)), base(p) + 1};
                        }
                        after_lost_claim(losses);
                        continue;
                    case found::taken:
                        if constexpr (records_owners) {
                            advance(head_, p);  // [FR-O2] help: its claimer may be gone
                            continue;
                        }
                        break;  // p was taken: look at the new head
                    case found::not_ready:  // the slot's previous reader has not released it
                        if constexpr (!Look)
                            return std::nullopt;  // a near attempt: no look
                        else
                            switch (look_for_free(slots, p)) {
                                case seen::none: return std::nullopt;  // full at one instant
                                case seen::ours: continue;             // our slot became free meanwhile
                                case seen::behind_peer: detail::back_off<Sync>(step); break;  // a peer holds our slot: pause, then yield
                                case seen::moved: break;
                            }
                        break;
                    case found::hole: break;  // a reader's view only
                }
                p = head_.load(std::memory_order_relaxed);  // [FR-H1] p was taken: look at the new head
            }
        }

        // A reader's claim: take position p once its slot is published; the
        // mirror image of claim_write, and where owners are recorded, a hole
        // at p is passed (a hole token) and a returned message is taken when
        // nothing is published in order.
        template <bool Look, class Slots>
        std::optional<token> claim_read(Slots& slots, bool guess = true) noexcept {
            std::uint64_t p = tail_.load(std::memory_order_relaxed);  // [FR-H1]
            unsigned losses = 0;  // claims of a ready position lost to a reader (see "Two of one side")
            for (unsigned step = 0;; guess = false) {
                auto& word = word_of(slots, index(p));
                std::uint64_t seq = base(p) + st_full;
                if constexpr (records_owners) {
                    if (guess) {
                        // [FR-O3]: on failure seq is the word as found.
                        if (auto t = claim_word(word, seq, p, st_reading, base(p) + lap_, tail_)) return t;
                    } else {
                        seq = word.load(std::memory_order_acquire);  // [FR-R1] pairs with [FR-W2]
                    }
                } else {
                    seq = word.load(std::memory_order_acquire);  // [FR-R1] pairs with [FR-W2]
                }
                switch (classify_read(seq, p)) {
                    case found::ready:
                        if constexpr (records_owners) {
                            if (auto t = claim_word(word, seq, p, st_reading, base(p) + lap_, tail_)) return t;
                        } else {
                            // [FR-H2] relaxed: only who owns p; [FR-R1] carried the edge.
                            // Strong, as the writer's: a failure is a reader's claim of p.
                            if (tail_.compare_exchange_strong(p, next(p), std::memory_order_relaxed,
                                                              std::memory_order_relaxed))
                                return token{static_cast<std::size_t>(index(p)), base(p) + lap_};
                        }
                        after_lost_claim(losses);
                        continue;
                    case found::hole:
                        if constexpr (records_owners) {
                            const auto i = static_cast<std::size_t>(index(p));
                            if (pass_hole(word, seq, p)) return token{i, passed_hole};
                        }
                        continue;
                    case found::taken:
                        if constexpr (records_owners) {
                            advance(tail_, p);  // [FR-O2] help: its claimer may be gone
                            continue;
                        }
                        break;
                    case found::not_ready:  // the slot's writer has not published
                        if constexpr (!Look)
                            return std::nullopt;  // a near attempt: no look
                        else
                            switch (look_for_published(slots, p)) {
                                case seen::none:  // empty at one instant, but for returned messages
                                    if constexpr (records_owners)
                                        return take_returned(slots);
                                    else
                                        return std::nullopt;
                                case seen::ours: continue;
                                case seen::behind_peer: detail::back_off<Sync>(step); break;
                                case seen::moved: break;
                            }
                        break;
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
            for (std::uint64_t q = p; distance(t, q - lap_) > 0; q = next(q)) {
                const std::uint64_t w = word_of(slots, index(q)).load(std::memory_order_relaxed);  // [FR-L1]
                if (w == base(q)) return q == p ? seen::ours : seen::behind_peer;
                if constexpr (records_owners)
                    if (q == p && classify_write(w, p) == found::taken) return seen::moved;  // claimed during the look
            }
            return head_.load(std::memory_order_relaxed) == p ? seen::none : seen::moved;  // [FR-L1]
        }

        // The reader's look: is any message published, from position p on?
        template <class Slots>
        seen look_for_published(Slots& slots, std::uint64_t p) const noexcept {
            const std::uint64_t h = head_.load(std::memory_order_relaxed);  // [FR-L1]
            for (std::uint64_t q = p; distance(h, q) > 0; q = next(q)) {
                const std::uint64_t w = word_of(slots, index(q)).load(std::memory_order_relaxed);  // [FR-L1]
                if (w == base(q) + 1) return q == p ? seen::ours : seen::behind_peer;
                if constexpr (records_owners)
                    if (q == p && classify_read(w, p) != found::not_ready)  // a hole to pass, or claimed during the look
                        return classify_read(w, p) == found::hole ? seen::ours : seen::moved;
            }
            return tail_.load(std::memory_order_relaxed) == p ? seen::none : seen::moved;  // [FR-L1]
        }

        // A returned message ("Owners"), when a recovery returned one since
        // the last scan that found none: the first one found, taken.
        template <class Slots>
        std::optional<token> take_returned(Slots& slots) noexcept
            requires records_owners
        {
            const std::uint64_t made = returns_.made.load(std::memory_order_acquire);  // [FR-C4] pairs with [FR-C3]
            std::uint64_t scanned = returns_.scanned.load(std::memory_order_relaxed);  // [FR-C4] a hint
            if (scanned == made) return std::nullopt;
            for (std::size_t i = 0; i < capacity_; ++i) {
                auto& word = word_of(slots, i);
                std::uint64_t w = word.load(std::memory_order_relaxed);  // [FR-C2]
                // [FR-C6] acquire (see the preamble).  relaxed on failure: another reader took it.
                if ((w & low_mask) == returned_bits &&
                    word.compare_exchange_strong(w, (w & ~low_mask) | st_reading | owner_bits(),
                                                 std::memory_order_acquire, std::memory_order_relaxed))
                    return token{i, (w & ~low_mask) + lap_};
            }
            // None: every return counted up to `made` is taken.  [FR-C4] relaxed.
            while (distance(made, scanned) > 0 &&
                   !returns_.scanned.compare_exchange_weak(scanned, made, std::memory_order_relaxed,
                                                           std::memory_order_relaxed)) {
            }
            return std::nullopt;
        }

        // The returns a recovery made, and how many a scan has seen taken
        // ("Owners"); nothing where owners are not recorded.
        struct returns_counted {
            alignas(detail::cache_line_size) typename Sync::template atomic<std::uint64_t> made{0};
            typename Sync::template atomic<std::uint64_t> scanned{0};
        };
        struct returns_none {};

        const std::size_t capacity_;
        const std::uint64_t lap_;  // P: positions per lap (lap_for)
        const std::size_t slip_;   // positions the other side must be ahead before a slipping claim
        // Each position counter on its own line: writers hit one, readers the other.
        alignas(detail::cache_line_size) typename Sync::template atomic<std::uint64_t> head_{0};  // next write position
        alignas(detail::cache_line_size) typename Sync::template atomic<std::uint64_t> tail_{0};  // next read position
        [[no_unique_address]] std::conditional_t<records_owners, returns_counted, returns_none> returns_;
    };
};

}  // namespace msgpool::claim
