// tests/dsched/broken_claim.hpp - deliberately broken claim policies, compiled
// only into tests/dsched/broken_variants.cpp to prove that the deterministic
// suite catches them.  Never use them.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/detail/slot_counter.hpp>

namespace msgpool_test::dsched::broken {

/// The scan protocol with one publish replaced; everything else is
/// claim::cas_scan's own code (inherited), so what a scenario catches is the
/// replaced publish.
template <template <class> class Publish>
struct cas_scan_with {
    static constexpr std::size_t max_slots_per_control = msgpool::claim::cas_scan::max_slots_per_control;
    static constexpr bool linearizable_try = msgpool::claim::cas_scan::linearizable_try;
    template <class Sync>
    using control = msgpool::claim::cas_scan::control<Sync>;

    template <class Sync>
    class protocol : public msgpool::claim::cas_scan::protocol<Sync> {
        using base = typename msgpool::claim::cas_scan::protocol<Sync>;

    public:
        using typename base::token;
        using base::base;
        template <class Slots>
        void publish_write(Slots& slots, token t) noexcept {
            const std::uint32_t lane = static_cast<std::uint32_t>(t.index % Slots::slots_per_control);
            Publish<Sync>::apply(slots.control(t.index), (std::uint32_t{1} << lane) | (std::uint32_t{1} << (16 + lane)));
        }
    };
};

/// Broken variant 3: a publish with relaxed ordering: cas_scan's [W2]
/// fetch_xor relaxed instead of seq_cst.  Every SC interleaving still delivers
/// every message; what breaks is happens-before: nothing orders the writer's
/// element write before the reader's element read.  The scheduler cannot show
/// stale data (SC only); checked.hpp's vector clocks report the unordered
/// access as a data race.
template <class Sync>
struct relaxed_xor {
    template <class Word>
    static void apply(Word& word, std::uint32_t flip) noexcept {
        word.fetch_xor(flip, std::memory_order_relaxed);  // BUG: must release (seq_cst, [W2])
    }
};
using relaxed_publish = cas_scan_with<relaxed_xor>;

/// Broken variant 5: a torn publish: cas_scan's [W2] done as a load and a
/// store instead of one read-modify-write.  Harmless with one slot per word;
/// with line-grouped slots another lane of the word can change between the
/// load and the store (a writer claims it, a reader releases it), and the
/// store undoes that change: a claimed slot looks free again (two writers in
/// one slot, a message overwritten) or a freed slot stays busy forever.
template <class Sync>
struct load_then_store {
    template <class Word>
    static void apply(Word& word, std::uint32_t flip) noexcept {
        const std::uint32_t w = word.load(std::memory_order_seq_cst);
        word.store(w ^ flip, std::memory_order_seq_cst);  // BUG: the word may have changed since the load
    }
};
using torn_publish = cas_scan_with<load_then_store>;

/// The scan protocol with abandon_write replaced (a write handle dropped
/// without commit); everything else is claim::cas_scan's own code, as in
/// cas_scan_with.  `Abandon<Sync>::apply(word, busy, full)` gets the lane's
/// two bits and returns what abandon_write returns ("the pool may be drained").
template <template <class> class Abandon>
struct cas_scan_abandon_with {
    static constexpr std::size_t max_slots_per_control = msgpool::claim::cas_scan::max_slots_per_control;
    static constexpr bool linearizable_try = msgpool::claim::cas_scan::linearizable_try;
    template <class Sync>
    using control = msgpool::claim::cas_scan::control<Sync>;

    template <class Sync>
    class protocol : public msgpool::claim::cas_scan::protocol<Sync> {
        using base = typename msgpool::claim::cas_scan::protocol<Sync>;

    public:
        using typename base::token;
        using base::base;
        template <class Slots>
        bool abandon_write(Slots& slots, token t) noexcept {
            const std::uint32_t lane = static_cast<std::uint32_t>(t.index % Slots::slots_per_control);
            return Abandon<Sync>::apply(slots.control(t.index), std::uint32_t{1} << lane,
                                        std::uint32_t{1} << (16 + lane));
        }
    };
};

/// Broken variant 7: an abandon that never reports the pool drained: it tests
/// the word as it was before the flip (which still has the abandoned slot's
/// busy bit) instead of after.  The slot is returned correctly and a blocked
/// writer is woken, but a wait_until_empty() that is asleep because of the
/// held handle is not woken when the drop leaves the pool empty.
template <class Sync>
struct drained_tested_before_flip {
    template <class Word>
    static bool apply(Word& word, std::uint32_t busy, std::uint32_t) noexcept {
        const std::uint32_t old = word.fetch_xor(busy, std::memory_order_seq_cst);
        return old == 0;  // BUG: must be (old ^ busy) == 0; `old` has the busy bit, so never true
    }
};
using abandon_misses_drained = cas_scan_abandon_with<drained_tested_before_flip>;

/// Broken variant 8: an abandon that flips the wrong bit: the lane's full bit
/// instead of its busy bit, taking the slot from writing (busy) to reading
/// (busy + full), a state nothing ever leaves: the slot is lost, and at
/// capacity 1 the next writer (and wait_until_empty) waits forever.
template <class Sync>
struct flips_full_bit {
    template <class Word>
    static bool apply(Word& word, std::uint32_t, std::uint32_t full) noexcept {
        const std::uint32_t old = word.fetch_xor(full, std::memory_order_seq_cst);  // BUG: must flip `busy`
        return (old ^ full) == 0;
    }
};
using abandon_loses_slot = cas_scan_abandon_with<flips_full_bit>;

/// Broken variant 9: an abandon copied from publish_write: it flips busy and
/// full, so the dropped element is published as a message that was never
/// committed (a reader receives an id the writer meant to discard).
template <class Sync>
struct flips_as_publish {
    template <class Word>
    static bool apply(Word& word, std::uint32_t busy, std::uint32_t full) noexcept {
        const std::uint32_t old = word.fetch_xor(busy | full, std::memory_order_seq_cst);  // BUG: a publish
        return (old ^ (busy | full)) == 0;
    }
};
using abandon_publishes = cas_scan_abandon_with<flips_as_publish>;

/// Broken variant 4: a ticket left behind.  A fetch-add ticket ring whose
/// reader takes its ticket *before* its reservation; when the reservation
/// fails (try_read, a timed-out read, the first attempt of any read) it
/// hands the ticket back only if nobody took a later one, and otherwise leaves
/// it behind: the message that later lands in that ticket's slot is never
/// read, and the reader holding the next ticket waits forever.
struct ticket_left_behind {
    static constexpr std::size_t max_slots_per_control = 1;
    static constexpr bool linearizable_try = true;
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
        template <class Slots>
        std::size_t was_size(const Slots&) const noexcept { return full_.load(); }
        template <class Slots>
        bool is_drained(const Slots&) const noexcept { return free_.load() == capacity_; }

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
