// msgpool/concepts/attempt.hpp - the attempt schedule: what kind of claim
// attempt a blocking call makes next.
//
// A blocking call claims in attempts.  The frame makes the first one
// (attempt::first); after each failed attempt it asks its wait channel for one
// spin step, and the channel answers with the kind of the attempt that
// follows that step (concepts/wait_policy.hpp, spin): attempt::near after a
// pause step that is not its last, attempt::last_near after its last pause
// step, attempt::full after a yield step, or nothing, and the frame registers,
// re-checks with a full attempt and sleeps.  A claim policy that offers
// scheduled attempts (concepts/claim_policy.hpp, claim_protocol_near) acts on
// the kind alone: it never counts rounds and never reads the channel's
// constants, so any schedule a wait policy chooses keeps every claim's rule.
//
// What each kind allows the claim, and what it owes:
//
//   first      the call's first attempt: nothing is known yet of where the
//              other side is.  It may look only where this thread's next slot
//              most likely is (near its last claim), and it may pass over
//              slots it sees (more attempts follow before any sleep).
//   near       an attempt after a pause step that is not the channel's last:
//              an attempt of this call has failed, so the thread has caught up
//              with the other side.  It may look only near, and it may hold
//              back (take nothing although it saw a usable slot): another near
//              or last_near attempt follows after a longer pause.
//   last_near  the attempt after the channel's last pause step.  It may look
//              only near, but it holds nothing back: it claims whatever it
//              finds, so holding back never lasts into the yield steps (which,
//              with more threads than cores, would hand the core away at every
//              catch-up).
//   full       an attempt after a yield step; also the registered re-check
//              before a sleep, the attempt after a wake and every try_ form,
//              which the frame makes with try_claim_* (never a scheduled
//              attempt).  It looks at every slot and holds nothing back, so a
//              thread never sleeps on a slot it could have taken.
//
// A channel with no pause steps answers no near kind at all; one with a
// single pause step answers last_near after it.  Whatever the numbers, the
// order is first, near..., last_near, full..., then sleep.
//
// How many pause steps: the channel's, or fewer if the claim says so.  What a
// pause buys depends on the claim: a claim whose scheduled attempts already
// look at every slot (claim::cas_scan on one-slot groups) finds nothing after
// a long pause that it would not find after a short one, and with more
// threads than cores the peer it waits for may need this very core, which a
// yield gives and a pause does not; a claim that holds back until the other
// side is far ahead (claim::fetch_add_ring's slip) needs every pause step.  A
// claim protocol may therefore name the most pause steps worth making on it,
// `max_pause_steps(slots)` (concepts/claim_policy.hpp,
// claim_protocol_paced), and the frame passes that number to a channel that
// takes it, `spin(round, max_pause_steps)` (concepts/wait_policy.hpp,
// wait_channel_paced): the channel then makes min(its own, max_pause_steps)
// pause steps, answers last_near after the last of them (or, with none, no
// near kind), and goes on to its yield steps as before.  The claim names a
// number and never counts: the order above holds whatever the two numbers,
// so holding back still ends at the last pause step the call makes.  A
// channel whose spin takes the round alone keeps its own pause steps.
#pragma once

namespace msgpool {

/// The kind of a claim attempt of a blocking call (see above).
enum class attempt : unsigned char {
    first,      ///< the call's first: near, may pass over slots
    near,       ///< after a pause step but the last: near, may hold back
    last_near,  ///< after the last pause step: near, claims whatever it finds
    full,       ///< everywhere, holds nothing back
};

/// A max_pause_steps that leaves a channel's own pause steps as they are
/// (see "How many pause steps" above).
inline constexpr unsigned no_pause_limit = ~0u;

}  // namespace msgpool
