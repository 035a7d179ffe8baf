// msgpool/claim/cas_scan.hpp - scan slot states, claim one with compare-and-swap.
//
// When to use: the default, on any storage, and the only claim that can
// drive storage::line_grouped_slots: the original library's protocol, one
// locked instruction per operation (its claim) and no shared counter; also
// the most robust under oversubscription: a thread preempted while it holds
// a slot blocks nobody, because the others simply scan past that slot.  The
// price is that a failing try_ is not linearisable (below).
//
// The idea: every slot has a state byte of its own,
//     empty (0) -> writing (1) -> full (2) -> reading (3) -> empty,
// and the states of the K slots a control word governs (K = the storage's
// slots_per_control: 1 for inline and aligned slots, 7 for line-grouped
// slots, at most 8) sit side by side in that word, at the head of the slot
// or line, so a line-grouped line holds the states of its slots followed by
// their values.  A claim is a one-byte CAS from the state it needs to the
// busy state after it: it fails only if *that slot* changed, never because a
// neighbour did.  A publish is a plain release store of the next state: the
// only locked instruction of an operation is its claim.  A thread scans from
// its own thread-local cursor (claim/detail/thread_cursor.hpp): on a group of
// several slots it stays on the group where it last succeeded, on one-slot
// groups it moves on to the next slot (see take()), so on the fast path
// nothing shared is written but the line that holds the slot.  There is no shared
// message counter: a full pass that finds no slot in the needed state is the
// answer "full" or "empty".
//
// What that costs (design.md section 1, "cas_scan keeps no count"): a failing
// try_write means every slot was seen occupied at some instant during the
// pass, not all at one instant, so it can fail while a slot it had already
// passed became free (and likewise try_read).  With no operation running
// concurrently the answer is exact, and was_size() of an idle pool is exact.
// Blocking operations lose nothing by it: a slot that changes behind a
// waiter's pass was changed by a publish that notifies after it ([EC-E3]), and
// the waiter registered before its pass ([EC-E1]); see "Dekker pair" below.
//
// Ordering contract (tags used below):
//   [CS-W1] writer's CAS empty->writing, acquire: pairs with [CS-R2] (and [CS-A1]), so
//        the previous reader's move out of the element happens before our
//        write into it.
//   [CS-W2] writer's store writing->full, release: publishes the element; pairs
//        with [CS-R1].
//   [CS-R1] reader's CAS full->reading, acquire: pairs with [CS-W2], so the reader
//        sees everything the writer did before write().
//   [CS-R2] reader's store reading->empty, release: pairs with [CS-W1].
//   [CS-A1] abandon_write's store writing->empty, release: as [CS-R2].
//   [CS-P1] abandon_read's store reading->full, release: pairs with the next
//        reader's [CS-R1]; the writer's element write happens before it by
//        [CS-W2]->[CS-R1] of the reader that puts it back, and what that
//        reader did to the element in place is ordered by [CS-P1] itself.
//   [CS-L1] the scan's snapshot of a control word's states, relaxed: only a
//        hint of which lanes to try (detail/state_lanes.hpp); the CAS
//        [CS-W1]/[CS-R1] re-reads the state and carries the edge.  On
//        one-slot groups a pass tries its first slot with the CAS alone: a
//        failed CAS (relaxed) is then that slot's look.
//   [CS-L2] a slipping near attempt's load of the slot slip_ places ahead,
//        relaxed: only whether to make the attempt; the attempt's own CASes
//        carry every edge.
//   [CS-D1] is_drained's loads, acquire: pair with every [CS-R2]/[CS-A1], so whoever
//        sees the pool drained also sees every read of it completed.
//   [CS-B1] a bulk claim's CAS of a group's word (detail/state_lanes.hpp,
//        claim_lanes), acquire: for each lane it moves, pairs with what
//        [CS-W1]/[CS-R1] pair with on that lane ([CS-R2]/[CS-A1]/[CS-C1]/[CS-B3]
//        for a write, [CS-W2]/[CS-P1]/[CS-C1]/[CS-B3] for a read).  relaxed on
//        failure: the word changed, and the claim looks again.
//   [CS-B2] after a one-word [CS-B1], an acquire load of each lane it moved:
//        reads the busy state [CS-B1] wrote, which continues the release
//        sequence of the store it replaced, so it synchronises with that
//        store lane by lane (the edge [CS-B1] carries on the hardware, stated
//        for the one-byte atomics).
//   [CS-B3] a bulk publish: one store per claimed lane, release, exactly as
//        [CS-W2] (write: pairs with [CS-R1]/[CS-B1] of the lane's next reader)
//        or [CS-R2] (read: pairs with [CS-W1]/[CS-B1] of its next writer).
//   The single claims pair with the bulk ones the same way: [CS-W1]/[CS-R1]
//   also read stores [CS-B3] made, and [CS-W2]/[CS-R2] also pair with [CS-B1].
// Dekker pair: a publisher does "[CS-W2]/[CS-R2]/[CS-A1]/[CS-P1], light barrier, look for
// waiters [EC-E3]" and a waiter "register [EC-E1], heavy barrier, scan [CS-L1]
// and CASes" (wait/detail/event_count.hpp, sync/asymmetric_barrier.hpp): either the scan
// sees the publish (or a later change made by a thread that progressed) or
// [EC-E3] sees the waiter and notifies it.  The publish needs no fence and no
// locked instruction; only a thread about to sleep pays, once.
//
// Lanes past capacity in the last group are never claimable: the scan stops
// at the lanes its group really has.
//
// Bulk claims (concepts/claim_policy.hpp, claim_protocol_bulk; storage with
// several slots per control word).  try_claim_write_bulk(slots, n) scans
// from the thread's cursor as take() does, and in the first group whose
// snapshot [CS-L1] shows lanes in state empty claims up to n of them
// (the lowest) with one CAS of the whole word from that snapshot [CS-B1];
// the read side likewise from full.  Exactly once: the CAS succeeds only if
// the word still equals the snapshot, so every lane it moves was empty (full)
// at the instant of the CAS and no other thread moved it in between; it
// writes the busy state into exactly the lanes of its mask (the others get
// their own bytes back), and the token names exactly that mask, so the
// caller fills, publishes [CS-B3] and counts exactly the slots it moved and
// nothing else.  A lane is then the caller's alone until its publish, as
// after [CS-W1]/[CS-R1]: every other claim moves a lane only from empty or
// full.  A failed CAS (a lane of the word changed: another thread's step)
// moves nothing, and the claim looks again at the word as the CAS found it
// (a hint, as [CS-L1]); with the one-byte atomics
// (detail/state_lanes.hpp) each lane is its own CAS and the claim keeps the
// lanes it moved.  A bulk claim that finds no lane in the needed state in any
// group fails with nothing taken, meaning what a failing take() means (each
// slot was seen unusable at some moment of the pass: not one instant).
// With one slot per control word a group is one slot, so there is no bulk
// claim (the concept is not modelled) and the frame claims slot by slot.
// Under a crash-recovering family each lane a bulk claim moves holds the
// claimer's owner id, as after a single claim ("Owners"), and a bulk publish
// is one store per lane: a process killed during either leaves every lane in
// a state recover_owner handles lane by lane, as for single claims.
//
// Owners (crash recovery; concepts/sync_family.hpp, crash_recovering).  The
// two low bits of a state byte are the state; the six high bits of a busy
// state (writing, reading) hold the *owner id* of the process that claimed
// it, 1..63 (detail/process_table.hpp), or 0 under a family that records no
// owners.  empty and full carry no owner, so every claim still CASes from
// the exact byte 0 or 2, and every publish still stores 0 or 2: the claim
// that takes a slot records its owner in the same one-byte CAS, with no
// window between "claimed" and "owner known" and no extra instruction.  A
// process killed at any step leaves each slot it touched in a state that says
// what to do: full (it published: the message stays), writing|id (it had
// not: the contents may be torn, the slot goes back to empty unpublished),
// reading|id (it may or may not have moved the message out: the message is
// published again, so it may be delivered twice), empty.  recover_owner(id)
// does exactly that, for an id whose process is proven dead, with a CAS from
// the byte that names the id [CS-C1], so it never touches a slot a live
// thread claimed (another id), and a second recoverer finds nothing to do.
//   [CS-C1] recover_owner's CAS writing|id -> empty and reading|id -> full,
//        release.  Both are RMWs, so they continue the release sequence of
//        the store the dead owner's claim read ([CS-R2]/[CS-A1] resp.
//        [CS-W2]): the next writer's [CS-W1] (reader's [CS-R1]) that reads
//        the recovered byte synchronises with that store, exactly as if the
//        dead owner had never claimed.  Release adds the recoverer's own
//        earlier steps; nothing depends on them.
//   [CS-C2] recover_owner's load of a state byte, relaxed: only which CAS to
//        try; the CAS re-reads.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include <msgpool/claim/detail/slip.hpp>
#include <msgpool/claim/detail/state_lanes.hpp>
#include <msgpool/claim/detail/thread_cursor.hpp>
#include <msgpool/concepts/claim_policy.hpp>
#include <msgpool/concepts/sync_family.hpp>

namespace msgpool::claim {

struct cas_scan {
    /// The name a shared-memory segment records (basic_shared_pool checks it).
    static constexpr std::string_view name = "cas_scan";

    /// One state byte per slot, up to eight slots per control word.
    static constexpr std::size_t max_slots_per_control = 8;

    /// A failing try_ is not linearisable (see the preamble): it means each
    /// slot was seen unusable at some moment of the pass.
    static constexpr bool linearizable_try = false;

    /// A held slot blocks nobody: the others scan past it.  So the pool offers
    /// slot handles (concepts/claim_policy.hpp, claim_policy_read_handles).
    static constexpr bool held_slots_block_nobody = true;

    /// Slot states, in the two low bits of a state byte.  Odd: a thread holds
    /// the slot (busy), and the six high bits name its owner (see "Owners").
    enum state : std::uint8_t { empty = 0, writing = 1, full = 2, reading = 3 };
    static constexpr unsigned owner_shift = 2;
    static constexpr unsigned max_owner = 63;

    /// The control word: one state byte per lane, side by side
    /// (detail/state_lanes.hpp).
    template <class Sync>
    using control = detail::state_lanes<Sync>;

    template <class Sync>
    class protocol {
    public:
        struct token {
            std::size_t index;
        };

        explicit protocol(std::size_t capacity) noexcept
            : capacity_(capacity), slip_(detail::slip_for(capacity)) {}

        template <class Slots>
        std::optional<token> try_claim_write(Slots& slots) noexcept {
            return take<empty>(slots, detail::thread_cursor<detail::write_cursor>());
        }

        /// The frame's scheduled attempts of a blocking call (concepts/attempt.hpp,
        /// claim_protocol_near).  On line-grouped storage attempt::first and
        /// attempt::near look only at the 16 slots from the cursor's group on,
        /// where the awaited peer most likely works, and patiently (below);
        /// attempt::last_near makes a full pass that takes any slot.  On
        /// one-slot groups every attempt makes a full pass, but attempt::near
        /// slips (claim/detail/slip.hpp): it claims only once the other side
        /// is slip_ slots ahead of the cursor.
        template <class Slots>
        std::optional<token> try_claim_write_near(Slots& slots, attempt kind) noexcept {
            return near<empty>(slots, detail::thread_cursor<detail::write_cursor>(), kind);
        }

        /// The most pause steps a blocking call makes before it yields
        /// (concepts/attempt.hpp, "How many pause steps"; claim_protocol_paced).
        /// On one-slot groups with a short slip (at most short_slip slots)
        /// full_pass_pause_steps (below); with a longer slip, and on
        /// line-grouped storage, the channel's own: a long slip opens only
        /// after the long pause steps, and the patient near attempts of
        /// line-grouped storage use them to let the other side finish a line.
        template <class Slots>
        unsigned max_pause_steps(const Slots&) const noexcept {
            return Slots::slots_per_control == 1 && slip_ <= short_slip ? full_pass_pause_steps : no_pause_limit;
        }

        template <class Slots>
        void publish_write(Slots& slots, token t) noexcept {
            state_of(slots, t.index).store(full, std::memory_order_release);  // [CS-W2] release: pairs with [CS-R1]
        }

        template <class Slots>
        std::optional<token> try_claim_read(Slots& slots) noexcept {
            return take<full>(slots, detail::thread_cursor<detail::read_cursor>());
        }

        template <class Slots>
        std::optional<token> try_claim_read_near(Slots& slots, attempt kind) noexcept {
            return near<full>(slots, detail::thread_cursor<detail::read_cursor>(), kind);
        }

        /// Always "may be drained": a plain store cannot tell whether other
        /// slots emptied at the same moment; the frame's notify of
        /// wait_until_empty then costs one load while nobody waits there.
        template <class Slots>
        bool publish_read(Slots& slots, token t) noexcept {
            state_of(slots, t.index).store(empty, std::memory_order_release);  // [CS-R2] release: pairs with [CS-W1]
            return true;
        }

        /// A claimed write slot goes back to empty, unused (a dropped write handle).
        template <class Slots>
        bool abandon_write(Slots& slots, token t) noexcept {
            state_of(slots, t.index).store(empty, std::memory_order_release);  // [CS-A1] release: pairs with [CS-W1]
            return true;
        }

        /// A claimed message goes back unread (a read handle's put_back):
        /// the slot was never empty, so the pool never looked drained.
        template <class Slots>
        bool abandon_read(Slots& slots, token t) noexcept {
            state_of(slots, t.index).store(full, std::memory_order_release);  // [CS-P1] release: pairs with [CS-R1]
            return true;
        }

        /// One claim for several slots of one group (see "Bulk claims"): the
        /// group's first slot and the mask of the lanes claimed.
        struct bulk_token {
            std::size_t first;     ///< index of the group's lane 0
            std::uint32_t lanes;   ///< bit j: slot first + j is claimed
            std::size_t count;     ///< bits set in `lanes`
        };

        template <class Slots>
            requires(Slots::slots_per_control > 1)
        std::optional<bulk_token> try_claim_write_bulk(Slots& slots, std::size_t n) noexcept {
            return take_bulk<empty>(slots, detail::thread_cursor<detail::write_cursor>(), n);
        }
        template <class Slots>
            requires(Slots::slots_per_control > 1)
        void publish_write_bulk(Slots& slots, const bulk_token& b) noexcept {
            store_lanes<full>(slots, b);  // [CS-B3] pairs with [CS-R1]/[CS-B1]
        }
        template <class Slots>
            requires(Slots::slots_per_control > 1)
        std::optional<bulk_token> try_claim_read_bulk(Slots& slots, std::size_t n) noexcept {
            return take_bulk<full>(slots, detail::thread_cursor<detail::read_cursor>(), n);
        }
        /// Always "may be drained", as publish_read.
        template <class Slots>
            requires(Slots::slots_per_control > 1)
        bool publish_read_bulk(Slots& slots, const bulk_token& b) noexcept {
            store_lanes<empty>(slots, b);  // [CS-B3] pairs with [CS-W1]/[CS-B1]
            return true;
        }
        /// f(index) for each slot of `b`, in index order.
        template <class F>
        void for_each_index(const bulk_token& b, F&& f) const noexcept {
            for (std::uint32_t c = b.lanes; c != 0; c &= c - 1) f(b.first + static_cast<std::size_t>(std::countr_zero(c)));
        }

        /// Releases every claim of owner `owner` (1..63), whose process can
        /// make no further step (see "Owners"; concepts/claim_policy.hpp).
        template <class Slots>
        claim_recovery recover_owner(Slots& slots, unsigned owner) noexcept {
            claim_recovery r;
            if (owner == 0 || owner > max_owner) return r;  // 0: nobody's claims are recorded
            const auto held_writing = static_cast<std::uint8_t>(writing | owner << owner_shift);
            const auto held_reading = static_cast<std::uint8_t>(reading | owner << owner_shift);
            for (std::size_t i = 0; i < capacity_; ++i) {
                auto& lane = state_of(slots, i);
                std::uint8_t seen = lane.load(std::memory_order_relaxed);  // [CS-C2] which CAS to try
                if (seen == held_writing) {
                    // [CS-C1] release (see the preamble).  relaxed on failure: not the dead owner's any more.
                    if (lane.compare_exchange_strong(seen, static_cast<std::uint8_t>(empty), std::memory_order_release,
                                                     std::memory_order_relaxed))
                        ++r.writes_dropped;
                } else if (seen == held_reading) {
                    // [CS-C1] release (see the preamble).  relaxed on failure: as above.
                    if (lane.compare_exchange_strong(seen, static_cast<std::uint8_t>(full), std::memory_order_release,
                                                     std::memory_order_relaxed))
                        ++r.messages_returned;
                }
            }
            return r;
        }

        /// Calls visit(index, owner, for_writing) for each slot a recorded
        /// owner holds (busy, owner id not 0).  Relaxed loads: a snapshot for
        /// an observer, exact when the owners in question make no step.
        template <class Slots, class Visit>
        void visit_held(const Slots& slots, Visit&& visit) const noexcept {
            for (std::size_t i = 0; i < capacity_; ++i) {
                const std::uint8_t seen = state_of(slots, i).load(std::memory_order_relaxed);  // [CS-C2]-like: a look
                if ((seen & 1) != 0 && (seen >> owner_shift) != 0)
                    visit(i, static_cast<unsigned>(seen >> owner_shift), (seen & 3) == writing);
            }
        }

        /// Slots in state `full`: exact on an idle pool.
        template <class Slots>
        std::size_t was_size(const Slots& slots) const noexcept {
            std::size_t n = 0;
            for (std::size_t i = 0; i < capacity_; ++i)
                // relaxed: a statistic, no edge; on an idle pool the caller's own
                // synchronisation (a join) orders it after every publish.
                n += state_of(slots, i).load(std::memory_order_relaxed) == full;
            return n;
        }

        /// Every slot empty.  Run after the heavy barrier when it is
        /// wait_until_empty's re-check [EC-E2].
        template <class Slots>
        bool is_drained(const Slots& slots) const noexcept {
            for (std::size_t i = 0; i < capacity_; ++i)
                if (state_of(slots, i).load(std::memory_order_acquire) != empty) return false;  // [CS-D1]
            return true;
        }

    private:
        template <class Slots>
        static auto& state_of(Slots& slots, std::size_t i) noexcept {
            return slots.control(i).lane[i % Slots::slots_per_control];
        }

        /// Slots a near attempt looks at, from the start of the cursor's group.
        static constexpr std::size_t near_slots = 16;

        // Pause steps of a blocking call on one-slot groups whose slip is
        // short: 1 + 2 + 4 + 8 pauses, then the channel's yields.  There every
        // scheduled attempt is a full pass, so a long pause finds nothing a
        // short one would not, and it only delays the yield that, with more
        // threads than cores, lets the peer this call waits for run on this
        // core.  The slip holds back in the first three (1 + 2 + 4 pauses) and
        // the attempt after the fourth claims whatever it finds
        // (concepts/attempt.hpp).  That is long enough for a short slip: the
        // other side moves about a slot in the time of a pause, so a slip of
        // short_slip slots (capacities up to 67) opens within those pauses.
        // A longer slip (a quarter of the capacity, up to 256 slots) would be
        // cut short by them: every catch-up would then end in a claim right
        // behind the other side, on its lines, or in a yield; there the
        // channel's own pause steps stay, as on the ring.
        static constexpr unsigned full_pass_pause_steps = 4;
        static constexpr std::size_t short_slip = 16;

        // A near attempt, on line-grouped storage, is also *patient*: it
        // leaves alone every group but the thread's own (its cursor's) in
        // which some lane is in the other side's states (a reader skips a
        // line that still has an empty or writing lane; a writer, one that
        // still has a full or reading lane).  Such a line is one the other
        // side is still filling or draining, and taking from it makes the
        // line cross between the two cores once per message ("chasing").
        // Waiting the pauses between near attempts lets the other side
        // finish the line, which then crosses once for all its slots.  Only
        // attempt::first and attempt::near are patient: attempt::last_near,
        // the full attempts, the registered re-check before a sleep, the
        // attempt after a wake and every try_ form take any slot, so patience
        // delays a claim by at most the channel's pause steps and never makes
        // a thread sleep with a message it could have taken.
        //
        // With one slot per control word (inline and aligned slots) a near
        // attempt would look at a handful of slots that a pause rarely
        // changes: there every attempt is a full pass (docs/policies.md
        // links the comparison).
        //
        // Slipping (one-slot groups; claim/detail/slip.hpp).  attempt::near
        // takes nothing until the slot slip_ places past the cursor [CS-L2]
        // is in the state it needs: the other side has moved that far ahead
        // of this thread's next claim.  (Line-grouped storage has patience
        // instead.)
        template <std::uint8_t From, class Slots>
        std::optional<token> near(Slots& slots, std::size_t& cursor, attempt kind) noexcept {
            constexpr std::size_t k = Slots::slots_per_control;
            if constexpr (k > 1) {
                constexpr std::size_t groups = (near_slots + k - 1) / k;
                if (kind != attempt::last_near) return take<From, true>(slots, cursor, groups);
            } else {
                if (slip_ != 0 && detail::slips(kind) && !ahead_ready<From>(slots, cursor)) return std::nullopt;
            }
            return take<From>(slots, cursor);
        }

        // Is the slot slip_ places past the cursor in state From (one-slot groups)?
        template <std::uint8_t From, class Slots>
        bool ahead_ready(const Slots& slots, std::size_t cursor) const noexcept {
            std::size_t a = (cursor < capacity_ ? cursor : cursor % capacity_) + slip_;
            if (a >= capacity_) a -= capacity_;
            return slots.control(a).lane[0].load(std::memory_order_relaxed) == From;  // [CS-L2] a hint
        }

        // One pass over every group (at most `max_groups`) from the thread's
        // cursor: claim a lane in state `From` by moving it to From + 1 (busy),
        // or report that none was seen.  Lock-free: a CAS fails only because
        // another thread changed that very lane, which means it made progress.
        //
        // Where the next pass starts.  On a group of several lanes the thread
        // stays on the group it took from: its other lanes are likely next,
        // and they share its line.  On one-slot groups (inline and aligned
        // slots) the group just taken is the one slot certain to be in the
        // wrong state for this side's next claim (a writer just filled it, a
        // reader just emptied it), and by then the other side may have taken
        // it, with its line: starting there costs a load, often a cache miss,
        // to learn nothing.  So the next pass starts one slot further, where
        // a thread that follows (a reader behind a writer, a writer behind a
        // reader) finds its next slot.
        //
        // The CAS first (one-slot groups).  That first slot of the pass is
        // then most likely the one this thread gets, so it is claimed with
        // its CAS at once, without a snapshot: the line was last written by
        // the other side, a snapshot would fetch it shared and the CAS after
        // it fetch it again for ownership, two transfers where the CAS alone
        // makes one.  A CAS that fails has read the lane as a load would
        // (relaxed, like [CS-L1]), so the pass loses nothing; the other slots
        // of the pass are snapshotted first, because a CAS takes its line for
        // itself even when it fails, and a pass over lines the other side is
        // using would pull each one away from it.
        template <std::uint8_t From, bool Patient = false, class Slots>
        std::optional<token> take(Slots& slots, std::size_t& cursor,
                                  std::size_t max_groups = static_cast<std::size_t>(-1)) noexcept {
            constexpr std::size_t k = Slots::slots_per_control;
            static_assert(k <= max_slots_per_control, "cas_scan: at most 8 slots per control word");
            const std::size_t groups = capacity_ / k + (capacity_ % k != 0);
            const std::size_t last_lanes = capacity_ - (groups - 1) * k;  // lanes that exist in the last group
            std::size_t g = cursor < groups ? cursor : cursor % groups;
            const std::size_t passes = groups < max_groups ? groups : max_groups;
            const std::uint8_t busy = busy_state<From>();
            for (std::size_t n = 0; n < passes; ++n) {
                auto& word = slots.control(g * k);
                if constexpr (k == 1) {
                    if (n == 0) {  // the cursor's slot: the CAS at once (above)
                        if (claim_lane<From>(word, 0, busy)) {
                            cursor = g + 1;
                            return token{g};
                        }
                        if (++g == groups) g = 0;
                        continue;
                    }
                }
                const std::size_t lanes = g == groups - 1 ? last_lanes : k;
                // Candidates from one snapshot [CS-L1]; each claimed in turn without
                // reloading the others (a lost CAS says nothing about them).
                const std::uint64_t seen = word.snapshot();  // [CS-L1]
                if constexpr (Patient) {
                    // Bit 1 of a state is set for full and reading (a message's
                    // side), clear for empty and writing (a free slot's side): a
                    // group the other side is done with has every lane's bit 1
                    // equal to From's.  n == 0 is the cursor's own group.
                    constexpr bool message_side = (From & 2u) != 0;
                    const std::uint32_t all = (std::uint32_t{1} << lanes) - 1;
                    if (n != 0 && word.bit_in(seen, 1, lanes) != (message_side ? all : 0u)) {
                        if (++g == groups) g = 0;
                        continue;
                    }
                }
                for (std::uint32_t c = word.matching_in(seen, From, lanes); c != 0; c &= c - 1) {
                    const std::size_t j = static_cast<std::size_t>(std::countr_zero(c));
                    if (claim_lane<From>(word, j, busy)) {
                        cursor = k == 1 ? g + 1 : g;  // where this thread's next claim is likely (above)
                        return token{g * k + j};
                    }
                }
                if (++g == groups) g = 0;
            }
            return std::nullopt;
        }

        // A bulk claim (see "Bulk claims"): one pass from the cursor; in the
        // first group with lanes in state From, up to n of them (the lowest)
        // with one CAS of the word [CS-B1], again with the word as found while
        // it still shows such lanes.  The cursor stays on that group.
        template <std::uint8_t From, class Slots>
        std::optional<bulk_token> take_bulk(Slots& slots, std::size_t& cursor, std::size_t n) noexcept {
            constexpr std::size_t k = Slots::slots_per_control;
            const std::size_t groups = capacity_ / k + (capacity_ % k != 0);
            const std::size_t last_lanes = capacity_ - (groups - 1) * k;  // lanes that exist in the last group
            std::size_t g = cursor < groups ? cursor : cursor % groups;
            const std::uint8_t busy = busy_state<From>();
            for (std::size_t pass = 0; pass < groups; ++pass) {
                auto& word = slots.control(g * k);
                const std::size_t lanes = g == groups - 1 ? last_lanes : k;
                std::uint64_t seen = word.snapshot();  // [CS-L1]
                for (std::uint32_t c; (c = word.matching_in(seen, From, lanes)) != 0;) {
                    std::uint32_t mask = 0;  // the lowest n candidates
                    for (std::size_t taken = 0; c != 0 && taken < n; ++taken, c &= c - 1) mask |= c & (~c + 1);
                    if (const std::uint32_t moved = word.claim_lanes(seen, mask, From, busy)) {  // [CS-B1], [CS-B2]
                        cursor = g;
                        return bulk_token{g * k, moved, static_cast<std::size_t>(std::popcount(moved))};
                    }
                }
                if (++g == groups) g = 0;
            }
            return std::nullopt;
        }

        // A bulk publish: each lane of `b` to State, one release store a lane
        // ([CS-B3]).
        template <std::uint8_t State, class Slots>
        static void store_lanes(Slots& slots, const bulk_token& b) noexcept {
            auto& word = slots.control(b.first);
            for (std::uint32_t c = b.lanes; c != 0; c &= c - 1)
                word.lane[std::countr_zero(c)].store(State, std::memory_order_release);  // [CS-B3] see the callers
        }

        // The busy state a claim from From moves to: From + 1, with this
        // process's owner id where the family records one ("Owners").
        template <std::uint8_t From>
        std::uint8_t busy_state() const noexcept {
            if constexpr (crash_recovering<Sync>) {
                const unsigned owner = Sync::owner_of(this);
                return static_cast<std::uint8_t>((From + 1) | (owner <= max_owner ? owner : 0u) << owner_shift);
            } else {
                return static_cast<std::uint8_t>(From + 1);
            }
        }

        // The claim: lane j from From to `busy` (From + 1 and the owner).
        template <std::uint8_t From, class Word>
        static bool claim_lane(Word& word, std::size_t j, std::uint8_t busy) noexcept {
            std::uint8_t expected = From;
            // [CS-W1]/[CS-R1] acquire: pairs with [CS-R2]/[CS-A1] resp. [CS-W2] (or [CS-C1]).  relaxed
            // on failure: the lane changed under us (another thread progressed), or, as the
            // first CAS of a pass on one-slot groups, it was not in state From: a hint, as [CS-L1].
            return word.lane[j].compare_exchange_strong(expected, busy, std::memory_order_acquire,
                                                        std::memory_order_relaxed);
        }

        const std::size_t capacity_;
        const std::size_t slip_;  // slots the other side must be ahead before a slipping claim (near())
    };
};

}  // namespace msgpool::claim
