// msgpool/wait/futex_counted.hpp - wait on a 32-bit futex word that counts its
// sleepers, so that notify_one wakes one of them, not all.
//
// When to use: as wait::futex, where several threads sleep on one channel at
// once (more readers or writers than the pool keeps busy): a notify_one then
// makes one FUTEX_WAKE that wakes one sleeper, where wait::futex wakes every
// sleeper and all but one go back to sleep (a herd: each loser registers
// again, pays the heavy barrier and sleeps again).  With one sleeper at a
// time the two do the same work.  The price: the one sleeper woken must get
// a core itself, where in a herd the first of several to run takes the
// message, so the tail latency can be longer.  Linux futex(2), or the sync
// family's Boost.Atomic wait/notify elsewhere, as wait::futex.
//
// The idea: the event count of wait/detail/event_count.hpp, whose epoch word is
// the futex word, with a sleeper count in its low bits.  Bits 0..7 are the
// *count* C ("units": how many wakes the sleepers of the current epoch and
// the ones left asleep from earlier epochs may still need), bits 8..31 the
// epoch.  C == many (255) is saturated: "any number", and then a notify_one
// wakes every sleeper as wait::futex does.  A waiter that is done spinning
// adds a unit (CAS C+1) and sleeps on the word it wrote; a notify_one advances
// the epoch and takes a unit (C-1) in one CAS and wakes one sleeper; a
// notify_all advances and sets C to 0 and wakes them all.  Costs of a notify:
//   * nobody registered: a light barrier and the relaxed load [EC-E3] of
//     event_count.hpp, which returns there: no store;
//   * registered waiters, no unit (between [EC-E1] and [FC-S1], or already
//     woken and not yet run): one CAS on the word, no system call;
//   * a unit: the CAS and one FUTEX_WAKE of one thread (every thread when C
//     was saturated, or for notify_all).
//
// Ordering contract (tags used below; [EC-E1]..[EC-E3] are event_count.hpp's, and
// the key is the word as prepare_wait's seq_cst load read it, after [EC-E1] and
// the heavy barrier; only its epoch counts):
//   [FC-S1] the waiter's CAS word: k|c -> k|c+1 (epoch k = its key's, c < many),
//        relaxed: it takes a unit.  Partner [FC-F1]: both are read-modify-writes
//        of one word, so each reads the value just before it in the word's
//        modification order (mo); no happens-before is needed, so relaxed is
//        enough.  A waiter that finds C saturated sleeps without a unit.
//   [FC-F1] the notifier's CAS word: e|c -> (e+1)|c', seq_cst, with c' = c-1 for
//        notify_one when 0 < c < many, else 0: event_count.hpp's advance [EC-A1],
//        made after [EC-E3].  Every change of the word is a read-modify-write
//        ([FC-S1], [FC-F1], [FC-T1]), so a key load that reads [FC-F1] or any later
//        value synchronises with [FC-F1]'s release (release sequence).  Advancing
//        and taking the unit is one indivisible step: split in two, a waiter
//        could take its unit between them and sleep on a key the advance then
//        makes stale, while the notifier, which saw no unit, wakes nobody.
//   [FC-F2] the notifier's wake, after [FC-F1]: Sync::wake_one if [FC-F1] took a
//        unit (0 < c < many, notify_one); Sync::wake_all if it read c == many,
//        or c > 0 for notify_all; none if c == 0.
//   [FC-F3] the waiter's sleep on the value it last read or wrote, through the
//        family's reporting wait (concepts/sync_family.hpp, reports_wakes): the
//        kernel compares the word with that value and queues the waiter under
//        one futex-bucket lock, and a FUTEX_WAKE issued after a change of the
//        word finds every waiter whose compare read the value before that change
//        (futex(2)'s own ordering).  It says whether a wake may have ended it
//        (`woken`) or not (the compare failed, a timeout, a signal: `unwoken`).
//   [FC-F4] the waiter's relaxed loads of the word: they only decide whether to
//        sleep (again), take a unit again, or return.  No data is published
//        through the word: after a wake the frame attempts a claim, and before it
//        sleeps again it registers ([EC-E1]), runs the heavy barrier and
//        re-checks ([EC-E2]), all with the claim's own loads and RMWs, which carry
//        every edge it relies on.
//   [FC-T1] a timed waiter whose deadline passed while it was not woken gives
//        its unit back: CAS k|c -> k|c-1, relaxed, only while the epoch is still
//        its key's and 0 < c < many.  Partner [FC-F1], by RMW atomicity as
//        [FC-S1]: if an advance came first the CAS fails and the unit stays.
//
// The rules for a unit (what the proof below needs):
//   [FC-W1] one queueing per unit: a waiter takes a unit ([FC-S1]) before its
//        first sleep, and again after every sleep that reports `woken` if it is
//        to sleep again in the same epoch (the wake it took may have been owed to
//        another sleeper: the kernel wakes a queued thread of its own choosing,
//        not the one whose unit the notifier took);
//        after an `unwoken` return in the same epoch it sleeps again on the
//        unit it holds.
//   [FC-W2] a unit is given back only by [FC-T1]: by a waiter that was not woken,
//        in the epoch it took the unit in.  A waiter that returns because the
//        epoch moved leaves its unit in C (a spare unit: one later notify_one
//        pays a FUTEX_WAKE that may find nobody); so does a killed process's
//        sleeper, until a notify_one takes it or a notify_all or recovery
//        (wake_everyone) clears C.
//
// Why no wake-up is lost.  Call a waiter a *holder* while it holds a unit of
// the current epoch and is not queued in the kernel (it may still queue),
// *queued* while the kernel holds it, and a wake *owed* from a [FC-F1] that took
// a unit until its [FC-F2].  At every instant (C saturated counting as
// unbounded, and a thread queued before a pending wake_all as covered by it):
//   (a) C >= holders + queued threads whose unit is of the current epoch;
//   (b) C + owed wakes >= holders + queued threads.
// [FC-S1] adds one to C and one holder; a queueing moves a holder to queued; a
// wake takes one owed wake and (if anyone is queued) one queued thread; an
// `unwoken` return in the same epoch moves a queued thread back to holder, and
// [FC-T1] then removes that holder and its unit; any return once the epoch
// has moved only removes a queued thread; [FC-F1] moves one unit of C to
// an owed wake (or, with C == 0, changes neither), and makes every holder's
// compare fail (its value carries the old epoch), so the holders of the
// current epoch become none and (a) holds with C' >= 0.  The one step that
// lowers the left side of (b) alone is a wake that finds nobody queued: then
// (b) needs C + owed - 1 >= holders, which (a) gives.  So (a) and (b) hold
// throughout, by [FC-W1] and [FC-W2].
//
// Now take a waiter W with key k whose [EC-E2] missed the condition made true
// by the notifier N.  As in event_count.hpp, N saw W registered at [EC-E3], so
// N's [FC-F1] follows it, W's key precedes [FC-F1] in mo (a later key would
// synchronise with [FC-F1] and [EC-E2] would have seen the change), and from
// [FC-F1] on the epoch is not k.  If W is not queued at [FC-F1], its next
// compare reads a value at or after [FC-F1] (or W has returned already), it
// does not sleep on k, its [FC-F4] load sees the new epoch and it returns to
// the frame, which registers and re-checks after [FC-F1]: it sees the change.
// If W is queued at [FC-F1]: suppose the unit N published is never consumed.
// Then no thread whose key follows [FC-F1] ever sleeps (its re-check would see
// that unit), so nobody queues after [FC-F1]: every later compare reads an epoch
// other than its value's.  By (b) at [FC-F1], C + owed >= queued >= 1, so
// at least one wake follows [FC-F1] ([FC-F1]'s own if C > 0, else an owed one
// made by a notifier whose [FC-F1] came earlier).  That wake finds a queued
// thread (all of them keyed before [FC-F1]), which returns to the frame and
// re-checks after [FC-F1]; or it finds nobody, and then every queued thread
// has left and returned (its epoch moved) to re-check.  A thread that leaves
// the queue after [FC-F1] sees the new epoch: its [FC-F4] load does, or, if
// that load still returns the old value, its [FC-S1] CAS or its next compare
// in the kernel (both read the latest value) fails, and the load after it
// (coherence: not older than what those read) does.  Either way a
// re-check follows [FC-F1] and takes the unit: a contradiction.  With several
// such units each notify_one moves one unit of C into one more wake, and (b)
// bounds the queued threads by C + owed, so min(units, sleepers) of them wake.
// W itself may sleep on (another waiter took the unit), exactly as under
// condvar's notify_one; what never happens is a unit left unconsumed while a
// waiter sleeps.  Spurious returns and EINTR report `unwoken` (or `woken`,
// which only costs a spare unit) and are handled as above.
//
// What each kind of waiter does to C.  A cancelled wait (cancel_wait, or a
// re-check that succeeds) never reached the blocker and took no unit.  A
// sleeper woken and not yet run holds no unit (its notifier took it), so
// notifies meanwhile cost a CAS, no system call.  A spurious return or EINTR
// reports `unwoken` and the sleeper sleeps again on its unit; a spurious 0
// from the kernel reports `woken` and costs a spare unit.  A timed sleeper
// whose deadline passes gives its unit back ([FC-T1]); so does every bounded
// sleep of a process-shared family ([EC-B1]), which is what keeps C from
// growing while a waiter of such a family waits long.
//
// Bookkeeping: units that nobody needs (spare units, [FC-W2]) cost one
// notify_one each a FUTEX_WAKE that finds nobody; they never cost a wake-up.
// C saturates at `many`: a waiter that finds C == many sleeps without a unit,
// and the next notify_one wakes everybody and sets C to 0.  So wake calls
// never outnumber sleeps: a FUTEX_WAKE needs a unit (or C saturated), every
// unit is followed by one wait call of the thread that took it, and a wake
// takes one unit (wake_all: all).  A key goes stale after 2^24 advances (the
// epoch wraps), and [FC-T1] compares epochs too: a waiter that slept through
// exactly a multiple of 2^24 notifies between [EC-E1] and its last [FC-F4]
// load would sleep on or give back a unit that is not its own; that is
// ignored, as wait::futex ignores 2^31.
//
// Spin phase: wait/detail/sleeping_wait.hpp's, shared with wait::futex and
// wait::condvar.
//
// What a preempted thread can block: nothing.  A waiter preempted between
// [EC-E1] and [FC-F3] costs notifiers a CAS each (and one FUTEX_WAKE if it holds
// a unit); a notifier preempted between [FC-F1] and [FC-F2] delays one sleeper
// (the one its wake is owed to) until it runs again.
//
// Crash recovery (event_count.hpp [EC-P1], forget_process): a process killed
// as a holder or queued leaves its units in C (spare units: each costs one
// later notify_one a FUTEX_WAKE, and a notify_all clears them all), and a
// process killed between [FC-F1] and [FC-F2] leaves an owed wake that never
// comes, which recovery's wake_everyone makes up for: it advances, sets C to
// 0 and wakes every sleeper, whatever C said.
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

#include <msgpool/concepts/sync_family.hpp>
#include <msgpool/wait/detail/sleeping_wait.hpp>

namespace msgpool::wait {

template <class Sync>
class futex_counted_blocker {
    static_assert(reports_wakes<Sync>,
                  "msgpool: wait::futex_counted needs a sync family whose futex waits say whether a wake ended "
                  "them (concepts/sync_family.hpp, reports_wakes: wait_reporting and wait_until_reporting)");

public:
    using word = typename Sync::wait_word;

    /// Bits 0..7: the count of units; `many` (all ones) is saturated.
    static constexpr std::uint32_t count_mask = 0xff;
    static constexpr std::uint32_t many = count_mask;
    /// One epoch step: the epoch lives in bits 8..31.
    static constexpr std::uint32_t epoch_step = count_mask + 1;

    static constexpr std::uint32_t count_of(std::uint32_t w) noexcept { return w & count_mask; }
    static constexpr bool same_epoch(std::uint32_t a, std::uint32_t b) noexcept {
        return ((a ^ b) & ~count_mask) == 0;
    }

    void sleep_while(word& w, std::uint32_t key) noexcept {
        std::uint32_t seen = 0;
        bool counted = false;
        if (!take_unit(w, key, seen, counted)) return;
        for (;;) {
            const wait_end how = Sync::wait_reporting(w, seen);  // [FC-F3]
            const std::uint32_t cur = w.load(std::memory_order_relaxed);  // [FC-F4]
            if (!same_epoch(cur, key)) return;
            if (how == wait_end::woken) {
                if (!take_unit(w, key, seen, counted)) return;  // [FC-W1]: a unit per queueing
            } else {
                seen = cur;  // [FC-W1]: not woken, the unit is still this thread's
            }
        }
    }

    bool sleep_while_until(word& w, std::uint32_t key, typename Sync::clock::time_point deadline) noexcept {
        std::uint32_t seen = 0;
        bool counted = false;
        if (!take_unit(w, key, seen, counted)) return true;
        for (;;) {
            const wait_end how = Sync::wait_until_reporting(w, seen, deadline);  // [FC-F3], timed
            const std::uint32_t cur = w.load(std::memory_order_relaxed);         // [FC-F4]
            if (!same_epoch(cur, key)) return true;  // an advance that raced the timeout counts
            const bool expired = !(Sync::clock::now() < deadline);
            if (how == wait_end::woken) {
                if (expired) return false;  // the unit stays in C, a spare one [FC-W2]
                if (!take_unit(w, key, seen, counted)) return true;  // [FC-W1]
            } else if (expired) {
                return counted ? !give_back(w, key) : false;  // [FC-T1]; false: timed out
            } else {
                seen = cur;  // [FC-W1]
            }
        }
    }

    void advance_and_wake_one(word& w) noexcept {
        std::uint32_t old = w.load(std::memory_order_relaxed);  // only a first guess for the CAS
        std::uint32_t next = 0;
        do {
            const std::uint32_t c = count_of(old);
            next = ((old & ~count_mask) + epoch_step) | (c != 0 && c != many ? c - 1 : 0);
            // [FC-F1] seq_cst: event_count.hpp's [EC-A1], after [EC-E3]; its release pairs with the key load.
            // Advances the epoch and takes a unit at once.
        } while (!w.compare_exchange_weak(old, next, std::memory_order_seq_cst, std::memory_order_relaxed));
        const std::uint32_t c = count_of(old);
        if (c == many)
            Sync::wake_all(w);  // [FC-F2]: saturated, nobody knows how many sleep
        else if (c != 0)
            Sync::wake_one(w);  // [FC-F2]: the unit [FC-F1] took
    }

    void advance_and_wake_all(word& w) noexcept {
        if (count_of(advance_clearing(w)) != 0) Sync::wake_all(w);  // [FC-F2]
    }

    /// Crash recovery (wait/blocker.hpp, optional): the advance of notify_all,
    /// and a wake of every sleeper whatever C said: a notifier killed between
    /// its [FC-F1] and its [FC-F2] took a unit and woke nobody.
    void wake_everyone(word& w) noexcept {
        advance_clearing(w);
        Sync::wake_all(w);  // [FC-F2], unconditional
    }

protected:  // the steps by name, for a variant that recombines them (the deterministic suite's broken ones)
    /// [FC-S1]: true with `seen` = the word to sleep on, and `counted` whether
    /// this thread holds a unit (false: C is saturated); false once the epoch
    /// has moved past the key.
    static bool take_unit(word& w, std::uint32_t key, std::uint32_t& seen, bool& counted) noexcept {
        std::uint32_t cur = w.load(std::memory_order_relaxed);  // [FC-F4]
        for (;;) {
            if (!same_epoch(cur, key)) return false;
            if (count_of(cur) == many) {
                counted = false;  // saturated: the next notify_one wakes everybody
                break;
            }
            // [FC-S1] relaxed: partner [FC-F1]; RMW atomicity on the word orders them (see the preamble).
            if (w.compare_exchange_weak(cur, cur + 1, std::memory_order_relaxed, std::memory_order_relaxed)) {
                ++cur;
                counted = true;
                break;
            }
            // failed: `cur` holds the new value ([FC-F4]-like, relaxed); look again
        }
        seen = cur;
        return true;
    }

    /// [FC-T1]: gives this thread's unit back while the epoch is still the
    /// key's; false if an advance came first (the unit then stays in C).
    static bool give_back(word& w, std::uint32_t key) noexcept {
        std::uint32_t cur = w.load(std::memory_order_relaxed);  // [FC-F4]
        for (;;) {
            if (!same_epoch(cur, key)) return false;
            const std::uint32_t c = count_of(cur);
            if (c == 0 || c == many) return true;  // nothing of ours to take (see the preamble, (a))
            // [FC-T1] relaxed: partner [FC-F1]; RMW atomicity on the word orders them.
            if (w.compare_exchange_weak(cur, cur - 1, std::memory_order_relaxed, std::memory_order_relaxed))
                return true;
        }
    }

    /// [FC-F1] with C' = 0; returns the word it replaced.
    static std::uint32_t advance_clearing(word& w) noexcept {
        std::uint32_t old = w.load(std::memory_order_relaxed);  // only a first guess for the CAS
        // [FC-F1] seq_cst: event_count.hpp's [EC-A1], after [EC-E3]; its release pairs with the key load.
        while (!w.compare_exchange_weak(old, (old & ~count_mask) + epoch_step, std::memory_order_seq_cst,
                                        std::memory_order_relaxed)) {
        }
        return old;
    }
};

/// futex_counted_blocker behind the spin phase (pause_rounds, then
/// yield_rounds, unregistered) and the event count; futex_counted::blocker<Sync>
/// names it.
struct futex_counted : detail::sleeping_wait<futex_counted_blocker> {
    /// The name a shared-memory segment records (basic_shared_pool checks it).
    static constexpr std::string_view name = "futex_counted";
};

}  // namespace msgpool::wait
