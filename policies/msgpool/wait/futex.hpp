// msgpool/wait/futex.hpp - wait on a 32-bit futex word; no mutex at all.
//
// When to use: on Linux whenever threads should sleep instead of burning CPU
// while the pool is full or empty: a wake-up is one futex(2) call on the
// epoch word, made only when a thread really sleeps there, with no mutex for
// the waker or the woken thread to fight over.  Elsewhere the sync family's
// Boost.Atomic wait/notify stands in for futex(2).
//
// The idea: the event count of wait/detail/event_count.hpp, whose epoch word *is*
// the futex word, with one more bit in it.  Bit 0 is the *sleepers bit* S: "a
// thread is asleep in the kernel on this word, or about to be, and nobody has
// woken it yet"; bits 1..31 are the epoch.  A waiter that is done spinning
// sets S with a CAS and sleeps with Sync::wait(word, epoch|S), which the
// kernel performs only while the word still holds exactly that value.  A
// notifier advances the epoch and clears S in one CAS, and makes the
// FUTEX_WAKE call only if S was set.  Costs of a notify:
//   * nobody registered: a light barrier and the relaxed load [EC-E3] of
//     event_count.hpp, which returns there: no store;
//   * registered waiters, none asleep (between [EC-E1] and [FX-S1], or already
//     woken and not yet run): one CAS on the word, no system call;
//   * somebody announced sleep since the last wake: the CAS and one
//     FUTEX_WAKE, which wakes *every* sleeper (see [FX-F2]).
// So a notify makes a FUTEX_WAKE call only when the sleepers bit is set: a
// waiter that is registered but not asleep, or woken and not yet run, costs
// notifiers a CAS, never a system call.
//
// Ordering contract (tags used below; [EC-E1]..[EC-E3] are event_count.hpp's, and
// the key is the word as prepare_wait's seq_cst load read it, after [EC-E1] and
// the heavy barrier; only its epoch counts):
//   [FX-S1] the waiter's CAS word: k -> k|S (epoch k = its key, S clear), relaxed.
//        It announces the sleep.  Its partner is [FX-F1]; what ties them is that
//        both are read-modify-writes of one word (each reads the value just
//        before it in the word's modification order), not happens-before, so
//        relaxed is enough.  A waiter that finds S set already skips it.
//   [FX-F1] the notifier's CAS word: e|s -> (e+1)|0, seq_cst: event_count.hpp's
//        advance [EC-A1], made after [EC-E3].  A key load that reads [FX-F1]
//        synchronises with its release, and so does one that reads a later
//        value: every change of the word is a read-modify-write ([FX-S1], [FX-F1]),
//        so each continues [FX-F1]'s release sequence.  A waiter whose key
//        precedes [FX-F1] in the word's modification order holds a stale key
//        from [FX-F1] on.  [FX-F1] advances the epoch and takes S in one
//        indivisible step: no [FX-S1] can fall between "look at S" and "advance"
//        (the split is broken_wait.hpp's variant 3, which the deterministic
//        suite catches).
//   [FX-F2] the notifier's Sync::wake_all, after [FX-F1], only if [FX-F1] read S set.
//        All, even for notify_one: S is one bit, not a count, so once it is
//        clear nobody knows whether another sleeper is still queued; every
//        sleeper's key is stale after [FX-F1] anyway, so every one of them has to
//        wake and re-check ([EC-E2]) at some point, and waking them now is what
//        lets the next notifies skip the system call.  The cost is a herd when
//        several threads sleep on one channel (each loser sleeps again, one
//        FUTEX_WAIT each); wake calls still never outnumber sleeps
//        (docs/policies.md).
//   [FX-F3] the waiter's Sync::wait(word, k|S): the kernel compares the word with
//        k|S and queues the waiter under one futex-bucket lock, and a
//        FUTEX_WAKE issued after a change of the word finds every waiter whose
//        compare read the value before that change (futex(2)'s own ordering).
//   [FX-F4] the waiter's relaxed loads of the word: they only decide whether to
//        announce and sleep (again).  No data is published through the word:
//        after a wake the frame attempts a claim, and before it sleeps again
//        it registers ([EC-E1]), runs the heavy barrier and re-checks ([EC-E2]), all
//        with the claim's own loads and CAS, which carry every edge it relies
//        on; acquire here would buy nothing.
//
// Why no wake-up is lost.  Take a waiter W with key k whose [EC-E2] missed the
// condition.  By event_count.hpp's argument the notifier N of that change saw
// W registered at [EC-E3] (had it not, the asymmetric barrier pair would have
// shown the change to [EC-E2]), so N's advance [FX-F1] comes after that [EC-E3].  W's
// key load either read a value that precedes [FX-F1] in the word's modification
// order (mo), or it read [FX-F1] or later and synchronises with [FX-F1] (the release
// sequence above), so that the change happens before [EC-E2] and [EC-E2] would have
// seen it.  Hence the key precedes [FX-F1] in mo, and after [FX-F1] the epoch is not
// k.  Every access of W to the word after its key load reads a value at or
// after the key's in mo.  W sleeps only at an [FX-F3] whose compare reads exactly
// k|S.  If it reads a value at or after [FX-F1] in mo, the epoch is not k, W does
// not sleep, and its next [FX-F4] load (coherence: not older than what the kernel
// read) returns.  Otherwise the compared value k|S precedes [FX-F1] in mo; let F
// be the first epoch advance after it in mo (F is [FX-F1] or an earlier
// notifier's).  Between the compared value and F the word changes only by
// [FX-S1]s, which never clear S (only an advance does), so F reads S set and its
// notifier makes [FX-F2] after F.  [FX-F3] read the word before F changed it, so
// that FUTEX_WAKE finds W queued and wakes it; W's next [FX-F4] load sees an
// epoch other than k (or, if it still sees k, its next [FX-F3] compare, made
// under the bucket lock the waker held after F, fails) and returns.  An [FX-S1]
// whose CAS fails re-reads: the word changed, so either the epoch moved (W
// returns) or another waiter set S (W sleeps without announcing); the loop
// ends.  A wake meant for an older epoch may hit W while its epoch is current
// ("misdirected"): W finds epoch k and S set (S covers it: nobody cleared S
// without advancing) and simply sleeps again.  Spurious returns and EINTR are
// the same case.
//
// Bookkeeping of the bit: S is cleared only by an advance that also wakes
// everybody queued, so "S clear" implies "nobody is queued on the current
// value"; it is set again only by a thread about to sleep.  A timed wait that
// expires leaves S set (other sleepers may rely on it); the next notify then
// pays one FUTEX_WAKE that may find nobody, and clears it.  A key goes stale
// after 2^31 advances (the epoch wraps); a waiter that slept through exactly
// 2^31 notifies between [EC-E1] and [FX-F3] would sleep on, which is ignored.
//
// Spin phase: wait/detail/sleeping_wait.hpp's, shared with wait::condvar
// (spinning before registering, so that notifiers pay nothing meanwhile).
//
// What a preempted thread can block: nothing.  A waiter preempted between
// [EC-E1] and [FX-F3] costs notifiers a CAS each (and one FUTEX_WAKE if it is past
// [FX-S1]); a notifier preempted between [FX-F1] and [FX-F2] delays the sleepers it
// was about to wake until it runs again (their condition is already true, and
// S is clear, so other notifiers skip the wake: only the preempted one wakes
// them).
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

#include <msgpool/wait/detail/sleeping_wait.hpp>

namespace msgpool::wait {

template <class Sync>
class futex_blocker {
public:
    using word = typename Sync::wait_word;

    /// Bit 0 of the word: somebody sleeps (or is about to) and is not woken yet.
    static constexpr std::uint32_t sleepers_bit = 1;
    /// One epoch step: the epoch lives in bits 1..31.
    static constexpr std::uint32_t epoch_step = 2;

    static constexpr bool same_epoch(std::uint32_t a, std::uint32_t b) noexcept {
        return ((a ^ b) & ~sleepers_bit) == 0;
    }

    void sleep_while(word& w, std::uint32_t key) noexcept {
        std::uint32_t seen = 0;
        while (announce(w, key, seen)) Sync::wait(w, seen);  // [FX-F3]
    }

    bool sleep_while_until(word& w, std::uint32_t key, typename Sync::clock::time_point deadline) noexcept {
        std::uint32_t seen = 0;
        while (announce(w, key, seen)) {
            if (!Sync::wait_until(w, seen, deadline))  // [FX-F3], timed; S stays set (see the preamble)
                return !same_epoch(w.load(std::memory_order_relaxed), key);  // [FX-F4]: a wake that raced the timeout counts
        }
        return true;
    }

    void advance_and_wake_one(word& w) noexcept { advance_and_wake(w); }  // wakes all sleepers: see [FX-F2]
    void advance_and_wake_all(word& w) noexcept { advance_and_wake(w); }

    /// Crash recovery (wait/blocker.hpp, optional): the advance, and [FX-F2]
    /// whether or not S was set.  A notifier killed between its [FX-F1] and
    /// its [FX-F2] took S and woke nobody, and every later notify skips the
    /// wake (S is clear): its sleepers would wait for their bounded sleep.
    void wake_everyone(word& w) noexcept {
        advance(w);
        Sync::wake_all(w);  // [FX-F2], unconditional
    }

private:
    /// True with `seen` = k|S when the caller should sleep on that value;
    /// false once the epoch has moved past the key.
    static bool announce(word& w, std::uint32_t key, std::uint32_t& seen) noexcept {
        std::uint32_t cur = w.load(std::memory_order_relaxed);  // [FX-F4]
        for (;;) {
            if (!same_epoch(cur, key)) return false;
            if ((cur & sleepers_bit) != 0) break;  // somebody announced already: S covers us too
            // [FX-S1] relaxed: partner [FX-F1]; RMW atomicity on the word orders them (see the preamble).
            if (w.compare_exchange_weak(cur, cur | sleepers_bit, std::memory_order_relaxed,
                                        std::memory_order_relaxed)) {
                cur |= sleepers_bit;
                break;
            }
            // failed: `cur` holds the new value ([FX-F4]-like, relaxed); look again
        }
        seen = cur;
        return true;
    }

    static void advance_and_wake(word& w) noexcept {
        if ((advance(w) & sleepers_bit) != 0) Sync::wake_all(w);  // [FX-F2]
    }

    /// [FX-F1]; returns the word it replaced.
    static std::uint32_t advance(word& w) noexcept {
        std::uint32_t old = w.load(std::memory_order_relaxed);  // only a first guess for the CAS
        // [FX-F1] seq_cst: event_count.hpp's [EC-A1], after [EC-E3]; its release pairs with the key load (preamble).
        // Advances the epoch and takes S at once.
        while (!w.compare_exchange_weak(old, (old | sleepers_bit) + 1, std::memory_order_seq_cst,
                                        std::memory_order_relaxed)) {
        }
        return old;
    }
};

/// futex_blocker behind the spin phase (pause_rounds, then yield_rounds,
/// unregistered) and the event count; futex::blocker<Sync> names it.
struct futex : detail::sleeping_wait<futex_blocker> {
    /// The name a shared-memory segment records (basic_shared_pool checks it).
    static constexpr std::string_view name = "futex";
};

}  // namespace msgpool::wait
