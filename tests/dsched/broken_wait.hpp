// tests/dsched/broken_wait.hpp - deliberately broken wait policies, compiled
// only into tests/dsched/broken_variants.cpp to prove that the deterministic
// suite catches the lost wake-ups they cause.  Never use them.
//
// The first two reuse the real condvar blocker (the sleeping is fine); what
// they break is the registration protocol of wait/detail/event_count.hpp.  The
// third keeps the registration and breaks wait::futex's sleepers bit; the
// fourth to seventh break wait::futex_counted's sleeper count.  All of them
// sleep at once, without a spin phase (detail::spin_then_sleep with no
// rounds), so that their waits reach the broken part in few steps; and they
// keep event_count's asymmetric barriers, so that the one bug each has is
// the one named (broken_barrier.hpp breaks the barriers).
#pragma once

#include <atomic>
#include <cstdint>

#include <msgpool/wait/detail/event_count.hpp>
#include <msgpool/wait/detail/spin_then_sleep.hpp>
#include <msgpool/wait/condvar.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/futex_counted.hpp>

namespace msgpool_test::dsched::broken {

/// A channel that sleeps as soon as the frame has to wait (no spin rounds).
template <class Sync, class Channel>
using sleeps_at_once = msgpool::detail::spin_then_sleep<Sync, Channel, 0, 0>;

/// Broken variant 1: checks, then sleeps without having registered.
/// prepare_wait only reads the epoch; the waiter registers inside commit_wait,
/// *after* its re-check.  A notifier that runs between the re-check and the
/// registration sees no waiter, skips the epoch advance, and the waiter then
/// sleeps on an epoch that will never move for it: a lost wake-up.
template <class Sync, class Blocker>
class late_registration {
public:
    using key = std::uint32_t;
    key prepare_wait() noexcept { return epoch_.load(std::memory_order_seq_cst); }  // BUG: no [E1] registration
    void cancel_wait() noexcept {}
    void commit_wait(key k) noexcept {
        waiters_.fetch_add(1, std::memory_order_seq_cst);  // too late: the condition was checked before this
        blocker_.sleep_while(epoch_, k);
        waiters_.fetch_sub(1, std::memory_order_seq_cst);
    }
    bool commit_wait_until(key k, typename Sync::clock::time_point deadline) noexcept {
        waiters_.fetch_add(1, std::memory_order_seq_cst);
        const bool in_time = blocker_.sleep_while_until(epoch_, k, deadline);
        waiters_.fetch_sub(1, std::memory_order_seq_cst);
        return in_time;
    }
    void notify_one() noexcept {
        Sync::light_barrier();
        if (waiters_.load(std::memory_order_seq_cst) != 0) blocker_.advance_and_wake_one(epoch_);
    }
    void notify_all() noexcept {
        Sync::light_barrier();
        if (waiters_.load(std::memory_order_seq_cst) != 0) blocker_.advance_and_wake_all(epoch_);
    }

private:
    typename Sync::template atomic<std::uint32_t> waiters_{0};
    typename Sync::wait_word epoch_{0};
    Blocker blocker_;
};

struct wait_registers_late {
    template <class Sync>
    using channel = sleeps_at_once<Sync, late_registration<Sync, msgpool::wait::condvar::blocker<Sync>>>;
};

/// Broken variant 2: a notify skipped when a waiter registered concurrently.
/// Registration is correct, but the notifier reads the waiter count twice and
/// gives up when it changed in between, on the theory that "whoever is
/// registering right now will re-check the condition itself".  The thread
/// that registered does re-check, but a waiter that was already asleep is
/// not woken by anyone.
template <class Sync, class Blocker>
class skip_when_registering {
public:
    using key = std::uint32_t;
    key prepare_wait() noexcept {
        waiters_.fetch_add(1, std::memory_order_seq_cst);
        Sync::heavy_barrier();
        return epoch_.load(std::memory_order_seq_cst);
    }
    void cancel_wait() noexcept { waiters_.fetch_sub(1, std::memory_order_seq_cst); }
    void commit_wait(key k) noexcept {
        blocker_.sleep_while(epoch_, k);
        waiters_.fetch_sub(1, std::memory_order_seq_cst);
    }
    bool commit_wait_until(key k, typename Sync::clock::time_point deadline) noexcept {
        const bool in_time = blocker_.sleep_while_until(epoch_, k, deadline);
        waiters_.fetch_sub(1, std::memory_order_seq_cst);
        return in_time;
    }
    void notify_one() noexcept {
        if (should_notify()) blocker_.advance_and_wake_one(epoch_);
    }
    void notify_all() noexcept {
        if (should_notify()) blocker_.advance_and_wake_all(epoch_);
    }

private:
    bool should_notify() noexcept {
        Sync::light_barrier();
        const std::uint32_t w = waiters_.load(std::memory_order_seq_cst);
        if (w == 0) return false;
        return waiters_.load(std::memory_order_seq_cst) == w;  // BUG: a concurrent (un)registration skips the wake
    }
    typename Sync::template atomic<std::uint32_t> waiters_{0};
    typename Sync::wait_word epoch_{0};
    Blocker blocker_;
};

struct wait_skips_concurrent_notify {
    template <class Sync>
    using channel = sleeps_at_once<Sync, skip_when_registering<Sync, msgpool::wait::condvar::blocker<Sync>>>;
};

/// Broken variant 3: wait::futex's notifier takes the sleepers bit before it
/// advances the epoch, in two read-modify-writes instead of [F1]'s one CAS.
/// A waiter that runs between them still holds the current epoch, finds S
/// clear, sets it [S1] and sleeps on k|S; the advance then moves the epoch
/// (S stays set), but the notifier had found S clear and makes no FUTEX_WAKE:
/// the sleeper's key is stale and nobody wakes it.  The sleeping side is the
/// real futex blocker's.
template <class Sync>
class clear_then_advance : public msgpool::wait::futex::blocker<Sync> {
    using base = msgpool::wait::futex::blocker<Sync>;

public:
    using typename base::word;
    void advance_and_wake_one(word& w) noexcept { advance_and_wake(w); }
    void advance_and_wake_all(word& w) noexcept { advance_and_wake(w); }

private:
    static void advance_and_wake(word& w) noexcept {
        const std::uint32_t old = w.fetch_and(~base::sleepers_bit, std::memory_order_seq_cst);  // takes S...
        w.fetch_add(base::epoch_step, std::memory_order_seq_cst);  // BUG: ...and advances in a second step
        if ((old & base::sleepers_bit) != 0) Sync::wake_all(w);
    }
};

struct futex_clears_then_advances {
    template <class Sync>
    using channel = sleeps_at_once<Sync, msgpool::detail::event_count<Sync, clear_then_advance<Sync>>>;
};

/// Broken variant 4: wait::futex_counted's notify_one takes the last unit
/// ([FC-F1] with C == 1) and makes no wake, on the theory that a lone unit
/// belongs to a waiter not asleep yet, whose compare the advance makes fail.
/// When that waiter is asleep already, nobody wakes it: a unit taken, no
/// wake made.
template <class Sync>
class counted_last_unit_unwoken : public msgpool::wait::futex_counted::blocker<Sync> {
    using base = msgpool::wait::futex_counted::blocker<Sync>;

public:
    using typename base::word;
    void advance_and_wake_one(word& w) noexcept {
        std::uint32_t old = w.load(std::memory_order_relaxed);
        std::uint32_t next = 0;
        do {
            const std::uint32_t c = base::count_of(old);
            next = ((old & ~base::count_mask) + base::epoch_step) | (c != 0 && c != base::many ? c - 1 : 0);
        } while (!w.compare_exchange_weak(old, next, std::memory_order_seq_cst, std::memory_order_relaxed));
        const std::uint32_t c = base::count_of(old);
        if (c == base::many) Sync::wake_all(w);
        else if (c > 1) Sync::wake_one(w);  // BUG: the last unit is taken without a wake
    }
};

struct futex_counted_last_unit_unwoken {
    template <class Sync>
    using channel = sleeps_at_once<Sync, msgpool::detail::event_count<Sync, counted_last_unit_unwoken<Sync>>>;
};

/// Broken variant 5: wait::futex_counted's notify_all clears the count and
/// wakes one sleeper: one wake where every sleeper was owed one (close() must
/// wake every blocked reader).
template <class Sync>
class counted_all_wakes_one : public msgpool::wait::futex_counted::blocker<Sync> {
    using base = msgpool::wait::futex_counted::blocker<Sync>;

public:
    using typename base::word;
    void advance_and_wake_all(word& w) noexcept {
        if (base::count_of(base::advance_clearing(w)) != 0) Sync::wake_one(w);  // BUG: one, not all
    }
};

struct futex_counted_all_wakes_one {
    template <class Sync>
    using channel = sleeps_at_once<Sync, msgpool::detail::event_count<Sync, counted_all_wakes_one<Sync>>>;
};

/// Broken variant 6: a waiter that a wake took off the queue, and that finds
/// the epoch still its key's, sleeps again on the unit it already had instead
/// of taking a new one ([FC-W1]).  The wake it took was owed to a sleeper of an
/// earlier epoch (the kernel wakes any queued thread): that sleeper stays
/// queued, and now two sleepers share one unit, so a later notify_one wakes
/// one of them and leaves C at 0 under the other.
template <class Sync>
class counted_reuses_spent_unit : public msgpool::wait::futex_counted::blocker<Sync> {
    using base = msgpool::wait::futex_counted::blocker<Sync>;

public:
    using typename base::word;
    void sleep_while(word& w, std::uint32_t key) noexcept {
        std::uint32_t seen = 0;
        bool counted = false;
        if (!base::take_unit(w, key, seen, counted)) return;
        for (;;) {
            (void)Sync::wait_reporting(w, seen);
            const std::uint32_t cur = w.load(std::memory_order_relaxed);
            if (!base::same_epoch(cur, key)) return;
            seen = cur;  // BUG: woken or not, the same unit
        }
    }
    bool sleep_while_until(word& w, std::uint32_t key, typename Sync::clock::time_point deadline) noexcept {
        std::uint32_t seen = 0;
        bool counted = false;
        if (!base::take_unit(w, key, seen, counted)) return true;
        for (;;) {
            (void)Sync::wait_until_reporting(w, seen, deadline);
            const std::uint32_t cur = w.load(std::memory_order_relaxed);
            if (!base::same_epoch(cur, key)) return true;
            if (!(Sync::clock::now() < deadline)) return counted ? !base::give_back(w, key) : false;
            seen = cur;  // BUG: as above
        }
    }
};

struct futex_counted_reuses_spent_unit {
    template <class Sync>
    using channel = sleeps_at_once<Sync, msgpool::detail::event_count<Sync, counted_reuses_spent_unit<Sync>>>;
};

/// Broken variant 7: a timed waiter that times out gives its unit back even
/// when the epoch has moved ([FC-W2] and [FC-T1] say: only in its own epoch).
/// A notify_one may have taken that very unit, its wake still to come, while
/// waiters of the new epoch took units of their own: the give-back then takes
/// one of theirs, and a sleeper of the new epoch is left without a unit.
template <class Sync>
class counted_gives_back_late : public msgpool::wait::futex_counted::blocker<Sync> {
    using base = msgpool::wait::futex_counted::blocker<Sync>;

public:
    using typename base::word;
    bool sleep_while_until(word& w, std::uint32_t key, typename Sync::clock::time_point deadline) noexcept {
        std::uint32_t seen = 0;
        bool counted = false;
        if (!base::take_unit(w, key, seen, counted)) return true;
        for (;;) {
            const auto how = Sync::wait_until_reporting(w, seen, deadline);
            const std::uint32_t cur = w.load(std::memory_order_relaxed);
            const bool expired = !(Sync::clock::now() < deadline);
            if (how == msgpool::wait_end::unwoken && counted && (expired || !base::same_epoch(cur, key))) {
                give_back_anyway(w);  // BUG: in whatever epoch
                return base::same_epoch(cur, key) ? false : true;
            }
            if (!base::same_epoch(cur, key)) return true;
            if (how == msgpool::wait_end::woken) {
                if (expired) return false;
                if (!base::take_unit(w, key, seen, counted)) return true;
            } else {
                seen = cur;
            }
        }
    }

private:
    static void give_back_anyway(word& w) noexcept {
        std::uint32_t cur = w.load(std::memory_order_relaxed);
        while (base::count_of(cur) != 0 && base::count_of(cur) != base::many &&
               !w.compare_exchange_weak(cur, cur - 1, std::memory_order_relaxed, std::memory_order_relaxed)) {
        }
    }
};

struct futex_counted_gives_back_late {
    template <class Sync>
    using channel = sleeps_at_once<Sync, msgpool::detail::event_count<Sync, counted_gives_back_late<Sync>>>;
};

}  // namespace msgpool_test::dsched::broken
