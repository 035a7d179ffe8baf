// yield_then_sleep.hpp - a wait policy written outside msgpool, against its
// concepts only (<msgpool/concepts/wait_policy.hpp>); no msgpool::detail.
//
// When to use: when a waiting thread should give its core away at once (a
// couple of sched_yield rounds, no pause loop) and then sleep, and one sleeper
// per notify should wake rather than every sleeper of the channel.
//
// The idea: folly's EventCount in one class.  A waiter count on its own cache
// line and a 32-bit epoch that doubles as the futex word (Sync::wait_word).
//
//   waiter                                     notifier
//   [Y1] waiters.fetch_add(1)     seq_cst      (the caller has made the
//        Sync::heavy_barrier()                  condition true)
//        key = epoch.load()       seq_cst       Sync::light_barrier()
//   (the frame re-checks its condition)        [Y3] waiters.load()   relaxed
//   [Y2] Sync::wait(epoch, key)                     if 0: return (no RMW, no syscall)
//        while epoch == key                    [Y4] epoch.fetch_add(1) seq_cst
//                                                   Sync::wake_one / wake_all
//
// Why no wake-up is lost: [Y1], heavy barrier, re-check against "condition
// store, light barrier, [Y3]" is the Dekker pair of msgpool's asymmetric
// barriers: if [Y3] reads no waiter, the re-check sees the condition.  If it
// reads one, [Y4] advances the epoch after it: a waiter whose key predates [Y4]
// either finds the epoch changed before it sleeps or is queued on the futex
// word before [Y4], so the wake that follows [Y4] finds it; a waiter whose key
// load reads [Y4] synchronises with it (seq_cst RMW, seq_cst load), so the
// condition happens before its re-check.  notify_one wakes one sleeper: every
// sleeper waits on the same condition, and one freed slot (or one message)
// can satisfy one of them; a woken thread that loses the race re-registers.
#pragma once

#include <atomic>
#include <cstdint>
#include <new>
#include <optional>

#include <msgpool/concepts/wait_policy.hpp>

namespace user::wait {

template <unsigned YieldRounds = 2>
struct yield_then_sleep {
    template <class Sync>
    class channel {
    public:
        using key = std::uint32_t;

        /// The first YieldRounds rounds give the core away, unregistered;
        /// then none: time to register and sleep.
        std::optional<msgpool::attempt> spin(unsigned round) noexcept {
            if (round >= YieldRounds) return std::nullopt;
            Sync::yield();
            return msgpool::attempt::full;
        }

        key prepare_wait() noexcept {
            waiters_.fetch_add(1, std::memory_order_seq_cst);  // [Y1] seq_cst: visible before the heavy barrier
            Sync::heavy_barrier();                              // the waiter's side of the Dekker pair
            return epoch_.load(std::memory_order_seq_cst);      // seq_cst: acquires from an advance [Y4]
        }

        // relaxed: leaving publishes nothing; a notifier that still counts us pays one spare wake.
        void cancel_wait() noexcept { waiters_.fetch_sub(1, std::memory_order_relaxed); }

        void commit_wait(key k) noexcept {
            // [Y2] relaxed: only decides whether to sleep again; the frame re-checks with its own orders.
            while (epoch_.load(std::memory_order_relaxed) == k) Sync::wait(epoch_, k);
            cancel_wait();
        }

        bool commit_wait_until(key k, typename Sync::clock::time_point deadline) noexcept {
            bool in_time = true;
            while (epoch_.load(std::memory_order_relaxed) == k) {  // [Y2]
                if (!Sync::wait_until(epoch_, k, deadline)) {
                    // A wake that raced the deadline counts as in time, so the
                    // frame tries once more and a wake_one is never wasted.
                    in_time = epoch_.load(std::memory_order_relaxed) != k;
                    break;
                }
            }
            cancel_wait();
            return in_time;
        }

        void notify_one() noexcept {
            if (has_waiters()) {
                epoch_.fetch_add(1, std::memory_order_seq_cst);  // [Y4]
                Sync::wake_one(epoch_);
            }
        }

        void notify_all() noexcept {
            if (has_waiters()) {
                epoch_.fetch_add(1, std::memory_order_seq_cst);  // [Y4]
                Sync::wake_all(epoch_);
            }
        }

    protected:  // a test derives variants that change one member (dsched.cpp)
        bool has_waiters() const noexcept {
            Sync::light_barrier();  // the notifier's side: the condition's store stays before [Y3]
            return waiters_.load(std::memory_order_relaxed) != 0;  // [Y3] relaxed: the barrier pair orders it
        }

        // Read by every notify, written only by waiters: its own line, shared
        // in every cache while nobody waits.
        alignas(64) typename Sync::template atomic<std::uint32_t> waiters_{0};
        alignas(64) typename Sync::wait_word epoch_{0};
    };
};

static_assert(msgpool::wait_policy<yield_then_sleep<>>, "yield_then_sleep must model msgpool::wait_policy");

}  // namespace user::wait
