// msgpool/concepts/claim_policy.hpp - what a claim policy provides.
//
// A claim policy decides which slot a thread gets and how it knows it is the
// only one.  Its protocol object is a state machine over the storage's control
// words plus whatever counters it keeps.  Both halves of an operation are
// separate so that the frame can move the element in between:
//
//     if (auto t = p.try_claim_write(slots)) { /* move into slots.element(t->index) */
//                                              p.publish_write(slots, *t); }
//
// try_claim_* never commits the caller to anything when it fails: it returns
// std::nullopt and leaves no trace (no ticket taken, no state changed).  When
// it succeeds the caller owns the slot until it publishes.  publish_read
// returns true when that release may have left every slot free (the pool
// may be drained): the hint to notify wait_until_empty, which then re-checks
// with is_drained.  It must be true whenever the pool did become drained; a
// policy whose release is a plain store may always say true.  is_drained is
// that re-check: it runs after the waiter's heavy barrier, and its loads are
// acquire (or seq_cst) loads that pair with the policy's releases of slots,
// so whoever sees the pool drained sees every read of it completed.
//
// A policy whose control word governs several slots (claim::cas_scan: eight
// state bytes, seven of them governing the seven values of a line in
// storage::line_grouped_slots) says how many it can with
// `max_slots_per_control`; `composable<Claim, Storage>` checks a pair.
#pragma once

#include <concepts>
#include <cstddef>
#include <optional>

#include <msgpool/concepts/attempt.hpp>
#include <msgpool/concepts/sync_family.hpp>
#include <msgpool/sync/native.hpp>

namespace msgpool {

namespace detail {
/// Slots of any control type, used to check claim policies in isolation.
template <class Control>
struct slots_archetype {
    static constexpr std::size_t slots_per_control = 1;
    std::size_t capacity() const noexcept;
    Control& control(std::size_t) noexcept;
    const Control& control(std::size_t) const noexcept;
    void* element(std::size_t) noexcept;
};
}  // namespace detail

template <class P, class Slots>
concept claim_protocol = std::constructible_from<P, std::size_t> &&
    requires(P& p, const P& cp, Slots& slots, typename P::token t) {
        { t.index } -> std::convertible_to<std::size_t>;
        { p.try_claim_write(slots) } noexcept -> std::same_as<std::optional<typename P::token>>;
        { p.publish_write(slots, t) } noexcept -> std::same_as<void>;
        { p.try_claim_read(slots) } noexcept -> std::same_as<std::optional<typename P::token>>;
        { p.publish_read(slots, t) } noexcept -> std::same_as<bool>;  // true: may be drained (always if it did)
        { cp.was_size(slots) } noexcept -> std::same_as<std::size_t>;  // messages in the pool (may be stale)
        { cp.is_drained(slots) } noexcept -> std::same_as<bool>;       // every slot free (acquire loads, see above)
    };

/// Optional: the protocol can give back a slot claimed for writing without
/// publishing it (`abandon_write`: writing -> empty, the free unit released;
/// true when the pool may be drained, as for publish_read).  The frame offers
/// write handles (basic_pool::claim_write) exactly when this holds.  A
/// claimed ring position cannot be given back (its reader comes to it in
/// order and must find a message), so claim::fetch_add_ring does not model it.
template <class P, class Slots>
concept claim_protocol_abandon_write = claim_protocol<P, Slots> &&
    requires(P& p, Slots& slots, typename P::token t) {
        { p.abandon_write(slots, t) } noexcept -> std::same_as<bool>;  // true: may be drained, as publish_read
    };

/// Optional: the protocol can put a message claimed for reading back unread
/// (`abandon_read`: reading -> full, the message unchanged but for what the
/// reader did to it in place).  It returns true when a reader may claim the
/// message now, and the frame then wakes one reader; a protocol that puts the
/// message back at once (every shipped one) always says true, the same way
/// cas_scan's publish_read always says "may be drained".  A put-back leaves
/// the slot occupied throughout, so the pool never looks drained in between.
/// Read handles offer put_back() exactly when this holds.  A ring's reader
/// position cannot be handed back (claim::fetch_add_ring has no read
/// handles anyway).
template <class P, class Slots>
concept claim_protocol_abandon_read = claim_protocol<P, Slots> &&
    requires(P& p, Slots& slots, typename P::token t) {
        { p.abandon_read(slots, t) } noexcept -> std::same_as<bool>;  // true: wake a reader
    };

/// What recovering one dead owner's claims did (claim_protocol_recovering).
struct claim_recovery {
    std::size_t writes_dropped = 0;     ///< slots it had claimed to write: free again, never published
    std::size_t messages_returned = 0;  ///< messages it had claimed to read: published again
};

/// Optional: the protocol records in its claims which owner (concepts/
/// sync_family.hpp, crash_recovering: an id of a process attached to a shared
/// pool) holds each claimed slot, and can release every claim of an owner
/// known to be dead: `recover_owner(slots, owner)` frees the slots it had
/// claimed to write and publishes again the messages it had claimed to read.
/// Called only for an owner that can make no further step (its process is
/// dead), and idempotent: a second call for the same owner finds nothing.
/// `visit_held(slots, visit)` calls visit(index, owner, for_writing) for each
/// slot an owner holds, for observers (basic_shared_pool::for_each_held_slot).
template <class P, class Slots>
concept claim_protocol_recovering = claim_protocol<P, Slots> && requires(P& p, const P& cp, Slots& slots, unsigned owner) {
    { p.recover_owner(slots, owner) } noexcept -> std::same_as<claim_recovery>;
    cp.visit_held(slots, [](std::size_t, unsigned, bool) {});
};

/// Optional, with recovery: a read claim may come back with a *hole token*
/// (`is_hole(t)`): the claim passed a position whose writer died (a dead
/// writer's position in ring order, which its readers must pass), and that
/// freed a slot, but there is no message.  The frame treats it as a read
/// that carried nothing: publish_read(t) (which stores nothing for a hole)
/// and its notifications, so a writer waiting for the freed slot is woken,
/// then claims again.  claim::fetch_add_ring models it under a family that
/// records owners.
template <class P, class Slots>
concept claim_protocol_passes_holes = claim_protocol_recovering<P, Slots> &&
    requires(const P& cp, typename P::token t) {
        { cp.is_hole(t) } noexcept -> std::same_as<bool>;
    };

/// Optional: slot handles (basic_pool::claim_write, claim_read), which hold a
/// claimed slot for as long as their owner likes.  A policy offers them by
/// saying that a held slot blocks nobody: `static constexpr bool
/// held_slots_block_nobody = true` (claim::cas_scan scans past a held slot,
/// claim::index_queue hands out other indices).  A policy that hands out slots
/// in ring order (claim::fetch_add_ring) leaves it out: a held slot stalls the
/// ring (once writers come round to it they wait for its release, and readers
/// wait behind them), so a thread holding a slot across its own next claim
/// could wait for itself forever.  Read handles need that alone; write handles
/// also need the protocol to give an unpublished slot back
/// (claim_protocol_abandon_write).  The frame offers each kind exactly when its
/// concept holds, and the diagnostic for a claim_read() or claim_write() on a
/// policy without them prints the line below.
template <class C>
concept claim_policy_read_handles = requires { requires C::held_slots_block_nobody; };  // handles need a policy whose held slot blocks nobody, its holder's own next claim included

template <class C>
concept claim_policy_write_handles = claim_policy_read_handles<C> &&  // as read handles, and the slot can be given back:
    claim_protocol_abandon_write<typename C::template protocol<sync::native>,
                                 detail::slots_archetype<typename C::template control<sync::native>>>;

template <class C>
concept claim_policy_put_back = claim_policy_read_handles<C> &&  // read handles, and the message can go back unread
    claim_protocol_abandon_read<typename C::template protocol<sync::native>,
                                detail::slots_archetype<typename C::template control<sync::native>>>;

/// Optional: the scheduled claim attempts of a blocking call, which may be
/// cheaper than try_claim_* because a full attempt still follows before the
/// caller sleeps.  The frame calls them with the kind of each attempt
/// (concepts/attempt.hpp): attempt::first for the call's first, then the kind
/// its wait channel names after each spin step, except attempt::full, for
/// which it calls try_claim_* (as for the re-check before a sleep, the attempt
/// after a wake and every try_ form).  The protocol acts on the kind alone: it
/// may look only near and, for attempt::first and attempt::near, pass over or
/// hold back from slots it sees; for attempt::last_near it claims whatever it
/// finds where it looks.  Like try_claim_*, they leave no trace when they
/// fail, and a failure says nothing about the rest of the pool, so the frame
/// never registers or sleeps on it alone.
template <class P, class Slots>
concept claim_protocol_near = claim_protocol<P, Slots> && requires(P& p, Slots& slots, attempt kind) {
    { p.try_claim_write_near(slots, kind) } noexcept -> std::same_as<std::optional<typename P::token>>;
    { p.try_claim_read_near(slots, kind) } noexcept -> std::same_as<std::optional<typename P::token>>;
};

/// Optional, with scheduled attempts: the most pause steps a blocking call
/// on this protocol is worth making before it yields
/// (concepts/attempt.hpp, "How many pause steps").  The frame passes
/// `max_pause_steps(slots)` to its wait channel's spin (wait_channel_paced),
/// which makes no more pause steps than that; a protocol without it leaves
/// the channel's own number.  A constant for given storage: the frame may read
/// it once per call.
template <class P, class Slots>
concept claim_protocol_paced = claim_protocol_near<P, Slots> && requires(const P& cp, const Slots& slots) {
    { cp.max_pause_steps(slots) } noexcept -> std::same_as<unsigned>;
};

/// Optional: one claim for several slots (the frame's write_bulk and
/// read_bulk after their first slot).  `try_claim_write_bulk(slots, n)`, n >= 1,
/// claims between 1 and n slots for writing and returns a bulk token `b`
/// (`b.count` of them); `for_each_index(b, f)` calls f(index) once for each
/// claimed slot, in the order their messages should be taken;
/// `publish_write_bulk(slots, b)` publishes every one of them, each exactly
/// as publish_write would, with the same happens-before edge per slot.  The
/// read side mirrors it, and `publish_read_bulk` answers "may be drained" as
/// publish_read does.  Each claimed slot is the caller's alone until the
/// publish, as after try_claim_*; a failure returns std::nullopt, leaves no
/// trace and means what a failure of try_claim_* means for the policy (one
/// instant's answer where linearizable_try says so).  The frame uses them
/// only where this holds; elsewhere it loops over try_claim_*.
template <class P, class Slots>
concept claim_protocol_bulk = claim_protocol<P, Slots> &&
    requires(P& p, const P& cp, Slots& slots, typename P::bulk_token b, std::size_t n) {
        { b.count } -> std::convertible_to<std::size_t>;
        { p.try_claim_write_bulk(slots, n) } noexcept -> std::same_as<std::optional<typename P::bulk_token>>;
        { p.publish_write_bulk(slots, b) } noexcept -> std::same_as<void>;
        { p.try_claim_read_bulk(slots, n) } noexcept -> std::same_as<std::optional<typename P::bulk_token>>;
        { p.publish_read_bulk(slots, b) } noexcept -> std::same_as<bool>;  // true: may be drained, as publish_read
        cp.for_each_index(b, [](std::size_t) noexcept {});
    };

/// A claim policy: `C::control<Sync>` is the per-slot control word it needs and
/// `C::protocol<Sync>` the state machine over those words.
template <class C>
concept claim_policy = claim_protocol<typename C::template protocol<sync::native>,
                                      detail::slots_archetype<typename C::template control<sync::native>>> &&
    requires {
        { C::max_slots_per_control } -> std::convertible_to<std::size_t>;
    };

/// Optional trait: `C::linearizable_try`, true when a failed try_ is one
/// instant's answer (the pool was full, or empty, at one moment during the
/// call), false when it only means each slot was seen unusable at some moment
/// of the pass.  The frame never reads it; it tells users and tests which
/// bound to expect.  A policy that does not say is taken as not exact.
template <class C>
inline constexpr bool linearizable_try_v = [] {
    if constexpr (requires { { C::linearizable_try } -> std::convertible_to<bool>; })
        return static_cast<bool>(C::linearizable_try);
    else
        return false;
}();

/// Whether a storage policy's layout is one the claim policy can drive: its
/// control word may govern at most `Claim::max_slots_per_control` slots.
template <class Claim, class Storage>
concept composable = Storage::template slots<typename Claim::template control<sync::native>>::slots_per_control <=
                     Claim::max_slots_per_control;

}  // namespace msgpool
