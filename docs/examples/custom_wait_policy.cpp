// A wait policy written outside the library: yield a few times, then sleep on
// a mutex and condition variable, with an event count so that a notify costs
// one load when nobody waits.  It models msgpool::wait_policy (its channel,
// msgpool::wait_channel) and plugs into basic_pool next to the library's
// claim and storage policies; 4 producers and 4 consumers then pass messages
// through it, each checked to arrive exactly once.
//
// The protocol the frame relies on (concepts/wait_policy.hpp):
//   waiter:   prepare_wait: [EC-E1] register (waiters_ += 1), Sync::heavy_barrier(),
//             read the epoch as the key; the frame re-checks its condition [EC-E2];
//             commit_wait: sleep while the epoch still equals the key.
//   notifier: makes the condition true, then notify_*: Sync::light_barrier(),
//             [EC-E3] look at waiters_; nobody: return; else advance the epoch
//             under the mutex and signal.
// The barrier pair makes "[EC-E1], heavy barrier, [EC-E2]" and "publish, light
// barrier, [EC-E3]" a Dekker pair: either the waiter's re-check sees the publish
// or the notifier sees the waiter.  The epoch is advanced and compared under
// one mutex, so an advance cannot fall between the compare and the sleep.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <msgpool/basic_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/concepts/wait_policy.hpp>
#include <msgpool/storage/inline_slots.hpp>

struct yield_then_condvar {
    template <class Sync>
    class channel {
    public:
        using key = std::uint32_t;

        /// Rounds of sched_yield before the frame registers and sleeps.
        static constexpr unsigned yield_rounds = 3;

        std::optional<msgpool::attempt> spin(unsigned round) noexcept {
            if (round >= yield_rounds) return std::nullopt;
            Sync::yield();
            return msgpool::attempt::full;
        }

        key prepare_wait() noexcept {
            waiters_.fetch_add(1, std::memory_order_seq_cst);  // [EC-E1]
            Sync::heavy_barrier();                              // pairs with notify's light barrier
            return epoch_.load(std::memory_order_seq_cst);
        }

        void cancel_wait() noexcept { leave(); }

        void commit_wait(key k) noexcept {
            {
                std::unique_lock<typename Sync::mutex> lock(mutex_);
                while (epoch_.load(std::memory_order_relaxed) == k) cv_.wait(lock);  // the mutex orders the load
            }
            leave();
        }

        bool commit_wait_until(key k, typename Sync::clock::time_point deadline) noexcept {
            bool woken = true;
            {
                std::unique_lock<typename Sync::mutex> lock(mutex_);
                while (woken && epoch_.load(std::memory_order_relaxed) == k)
                    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout)
                        woken = epoch_.load(std::memory_order_relaxed) != k;
            }
            leave();
            return woken;
        }

        void notify_one() noexcept {
            if (!has_waiters()) return;
            advance();
            cv_.notify_one();
        }

        void notify_all() noexcept {
            if (!has_waiters()) return;
            advance();
            cv_.notify_all();
        }

    private:
        bool has_waiters() const noexcept {
            Sync::light_barrier();                              // keeps the caller's publish before [EC-E3]
            return waiters_.load(std::memory_order_relaxed) != 0;  // [EC-E3]
        }
        void advance() noexcept {
            std::lock_guard<typename Sync::mutex> lock(mutex_);
            epoch_.fetch_add(1, std::memory_order_seq_cst);
        }
        void leave() noexcept { waiters_.fetch_sub(1, std::memory_order_relaxed); }

        typename Sync::template atomic<std::uint32_t> waiters_{0};
        typename Sync::template atomic<std::uint32_t> epoch_{0};
        typename Sync::mutex mutex_;
        typename Sync::condition_variable cv_;
    };
};

static_assert(msgpool::wait_policy<yield_then_condvar>);

using custom_pool =
    msgpool::basic_pool<std::uint32_t, msgpool::claim::cas_scan, yield_then_condvar, msgpool::storage::inline_slots>;

int main() {
    constexpr unsigned producers = 4, consumers = 4;
    constexpr std::uint32_t per_producer = 10000, messages = producers * per_producer;

    custom_pool pool(64);
    std::vector<std::atomic<std::uint8_t>> seen(messages);
    std::atomic<std::uint32_t> out_of_range{0};

    std::vector<std::thread> threads;
    for (unsigned c = 0; c < consumers; ++c)
        threads.emplace_back([&] {
            std::uint32_t id;
            while (pool.read(id)) {
                if (id < messages)
                    seen[id].fetch_add(1, std::memory_order_relaxed);
                else
                    out_of_range.fetch_add(1, std::memory_order_relaxed);
            }
        });
    for (unsigned p = 0; p < producers; ++p)
        threads.emplace_back([&, p] {
            for (std::uint32_t k = 0; k < per_producer; ++k) pool.write(p * per_producer + k);
        });
    for (unsigned p = 0; p < producers; ++p) threads[consumers + p].join();
    const bool drained = pool.wait_until_empty_for(std::chrono::seconds(30));
    pool.close();
    for (unsigned c = 0; c < consumers; ++c) threads[c].join();

    std::uint32_t wrong = out_of_range.load();
    for (auto& s : seen) wrong += s.load() != 1;
    const bool ok = wrong == 0 && drained && pool.was_empty();
    std::printf("custom_wait_policy: %u producers, %u consumers, %u messages through a yield-then-condvar wait, %s\n",
                producers, consumers, messages, ok ? "each exactly once" : "FAILED");
    return ok ? 0 : 1;
}
