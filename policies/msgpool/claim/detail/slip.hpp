// msgpool/claim/detail/slip.hpp - temporal slipping: a waiter that has caught
// up with the other side lets it get ahead before it claims again.
//
// A blocking call whose first attempt found nothing has caught up with the
// other side: a writer with the readers (the pool is full where it writes), a
// reader with the writers.  Claiming each slot the moment the other side
// frees it keeps the two sides a slot or two apart, on the same cache lines,
// and every message then moves its line between the cores: the two sides run
// in lockstep, at the speed of those transfers.  A slipping claim instead
// takes nothing until the slot `slip` places ahead of its own position is in
// the state it needs: the other side has moved that far ahead, and the claim
// then takes a run of slots on lines the other side has left.  The idea is
// FastForward's "temporal slipping" (Giacomoni, Moseley and Vachharajani,
// PPoPP 2008).
//
// Which attempts slip: attempt::near only (concepts/attempt.hpp), the attempts
// after each pause step of the wait channel but the last, which the channel
// names and the claim never counts.  attempt::last_near, after the last pause
// step, claims whatever it finds: a slip that waited on into the yield steps
// would, with more threads than cores, hand the core to another thread at
// every catch-up.  attempt::first (a call's first attempt: it has not caught
// up yet), the full attempts after the yield steps, the registered re-check
// before a sleep, the attempt after a wake and every try_ take any slot, so a
// slipping thread never sleeps on a slot it could have taken, and a claim
// waits for the slip at most the channel's pause steps.  That is the price: a
// spinning reader takes a lone message (no slot a slip ahead ever fills) only
// after those pauses.
//
// How far: a quarter of the capacity, at most max_slip slots, and no slip
// below 16 slots (a slip of at least 4: a shorter one would leave both sides
// on one line of inline slots).  Both claim policies slip from 16 slots on.
// What "the slot a slip ahead" is, and the relaxed load that looks at it (a
// hint only: the claim's own operations carry every edge), is each claim
// policy's (claim/cas_scan.hpp [CS-L2], claim/fetch_add_ring.hpp [FR-L2]).
// docs/policies.md links the comparison with and without it.
#pragma once

#include <cstddef>

#include <msgpool/concepts/attempt.hpp>

namespace msgpool::detail {

/// The largest slip, in slots.
inline constexpr std::size_t max_slip = 256;

/// Slots the other side must be ahead before a slipping claim takes one: a
/// quarter of the capacity, at most max_slip; 0 (no slip) below 16 slots.
constexpr std::size_t slip_for(std::size_t capacity) noexcept {
    const std::size_t quarter = capacity / 4;
    return quarter < 4 ? 0 : quarter < max_slip ? quarter : max_slip;
}

/// Whether an attempt of this kind slips (see above).
constexpr bool slips(attempt kind) noexcept { return kind == attempt::near; }

}  // namespace msgpool::detail
