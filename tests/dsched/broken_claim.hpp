// tests/dsched/broken_claim.hpp - deliberately broken claim policies, compiled
// only into tests/dsched/broken_variants.cpp to prove that the deterministic
// suite catches them.  Never use them.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>

#include <msgpool/detail/slot_counter.hpp>
#include <msgpool/detail/thread_cursor.hpp>

namespace msgpool_test::dsched::broken {

/// Broken variant 3: a publish with relaxed ordering.  claim::cas_scan with
/// its [W2] store `full` relaxed instead of release.  Every SC interleaving
/// still delivers every message; what breaks is happens-before: a reader
/// whose reservation came from another writer can take this slot before its
/// writer's [C1], and then nothing orders the writer's element write before
/// the reader's element read.  The scheduler cannot show stale data (SC only);
/// checked.hpp's vector clocks report the unordered access as a data race.
struct relaxed_publish {
    template <class Sync>
    using control = typename Sync::template atomic<std::uint32_t>;

    template <class Sync>
    class protocol {
    public:
        struct token {
            std::size_t index;
        };
        explicit protocol(std::size_t capacity) noexcept : capacity_(capacity), free_(capacity), full_(0) {}

        template <class Slots>
        std::optional<token> try_claim_write(Slots& slots) noexcept {
            if (!free_.try_acquire()) return std::nullopt;
            return token{take(slots, msgpool::detail::thread_cursor<msgpool::detail::write_cursor>(), empty, writing)};
        }
        template <class Slots>
        void publish_write(Slots& slots, token t) noexcept {
            slots.control(t.index).store(full, std::memory_order_relaxed);  // BUG: must be release ([W2])
            full_.release();
        }
        template <class Slots>
        std::optional<token> try_claim_read(Slots& slots) noexcept {
            if (!full_.try_acquire()) return std::nullopt;
            return token{take(slots, msgpool::detail::thread_cursor<msgpool::detail::read_cursor>(), full, reading)};
        }
        template <class Slots>
        bool publish_read(Slots& slots, token t) noexcept {
            slots.control(t.index).store(empty, std::memory_order_release);
            return free_.release() == capacity_;
        }
        std::size_t was_size() const noexcept { return full_.load(); }
        bool is_drained() const noexcept { return free_.load() == capacity_; }

    private:
        static constexpr std::uint32_t empty = 0, writing = 1, full = 2, reading = 3;
        template <class Slots>
        std::size_t take(Slots& slots, std::size_t& cursor, std::uint32_t from, std::uint32_t to) noexcept {
            std::size_t i = cursor % capacity_;
            for (;;) {
                auto& state = slots.control(i);
                std::uint32_t expected = from;
                if (state.compare_exchange_strong(expected, to, std::memory_order_acquire, std::memory_order_relaxed)) {
                    cursor = i + 1;
                    return i;
                }
                if (++i == capacity_) i = 0;
            }
        }
        const std::size_t capacity_;
        msgpool::detail::slot_counter<Sync> free_;
        msgpool::detail::slot_counter<Sync> full_;
    };
};

/// Broken variant 4: a ticket left behind.  A fetch-add ticket ring whose
/// reader takes its ticket *before* its reservation; when the reservation
/// fails (try_read, a timed-out read, the first attempt of any read) it
/// hands the ticket back only if nobody took a later one, and otherwise leaves
/// it behind: the message that later lands in that ticket's slot is never
/// read, and the reader holding the next ticket waits forever.
struct ticket_left_behind {
    template <class Sync>
    using control = typename Sync::template atomic<std::size_t>;  // the slot's turn

    template <class Sync>
    class protocol {
    public:
        struct token {
            std::size_t index;
            std::size_t next;
        };
        explicit protocol(std::size_t capacity) noexcept : capacity_(capacity), free_(capacity), full_(0) {}

        template <class Slots>
        std::optional<token> try_claim_write(Slots& slots) noexcept {
            if (!free_.try_acquire()) return std::nullopt;
            const std::size_t t = tail_.fetch_add(1, std::memory_order_seq_cst);
            return turn(slots, t % capacity_, 2 * (t / capacity_));
        }
        template <class Slots>
        void publish_write(Slots& slots, token t) noexcept {
            slots.control(t.index).store(t.next, std::memory_order_release);
            full_.release();
        }
        template <class Slots>
        std::optional<token> try_claim_read(Slots& slots) noexcept {
            const std::size_t t = head_.fetch_add(1, std::memory_order_seq_cst);  // BUG: ticket before reservation
            if (!full_.try_acquire()) {
                std::size_t expected = t + 1;
                head_.compare_exchange_strong(expected, t, std::memory_order_seq_cst);  // undone only if still last
                return std::nullopt;
            }
            return turn(slots, t % capacity_, 2 * (t / capacity_) + 1);
        }
        template <class Slots>
        bool publish_read(Slots& slots, token t) noexcept {
            slots.control(t.index).store(t.next, std::memory_order_release);
            return free_.release() == capacity_;
        }
        std::size_t was_size() const noexcept { return full_.load(); }
        bool is_drained() const noexcept { return free_.load() == capacity_; }

    private:
        template <class Slots>
        token turn(Slots& slots, std::size_t index, std::size_t want) noexcept {
            while (slots.control(index).load(std::memory_order_acquire) != want) Sync::yield();
            return token{index, want + 1};
        }
        const std::size_t capacity_;
        msgpool::detail::slot_counter<Sync> free_;
        msgpool::detail::slot_counter<Sync> full_;
        typename Sync::template atomic<std::size_t> tail_{0};
        typename Sync::template atomic<std::size_t> head_{0};
    };
};

}  // namespace msgpool_test::dsched::broken
