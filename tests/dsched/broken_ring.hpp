// tests/dsched/broken_ring.hpp - claim::fetch_add_ring broken on purpose,
// compiled only into tests/dsched/broken_variants.cpp to prove that the
// deterministic suite catches each mistake.  Never use them.
//
// Variants 11 to 13 derive from the real protocol and replace one of its
// public member functions (the claim protocol's interface), so what a scenario
// catches is that step.  Variant 10 breaks the way a position is taken, which
// is inside the protocol: it carries its own copy of the ring (ring_copy
// below, the algorithm of claim/fetch_add_ring.hpp without its near attempts),
// with the reader's claim replaced.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>

#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/detail/backoff.hpp>

namespace msgpool_test::dsched::broken {

/// fetch_add_ring with its protocol replaced by Protocol<Sync>.
template <template <class> class Protocol>
struct ring_with {
    static constexpr std::size_t max_slots_per_control = msgpool::claim::fetch_add_ring::max_slots_per_control;
    static constexpr bool linearizable_try = msgpool::claim::fetch_add_ring::linearizable_try;
    template <class Sync>
    using control = msgpool::claim::fetch_add_ring::control<Sync>;
    template <class Sync>
    using protocol = Protocol<Sync>;
};

template <class Sync>
using ring_protocol = msgpool::claim::fetch_add_ring::protocol<Sync>;

/// The ring's positions per lap for a capacity (claim/fetch_add_ring.hpp,
/// "Positions"): capacity rounded up to a power of two, at least 2.
constexpr std::uint64_t ring_lap(std::size_t capacity) noexcept {
    return capacity <= 2 ? 2 : std::bit_ceil(std::uint64_t{capacity});
}

/// Broken variant 10: a ticket taken before the slot is ready.  The reader
/// takes its position unconditionally (a fetch_add in spirit: the CAS loop
/// below cannot fail to advance), then waits a few backoff rounds for the
/// message; a try_ (or any first attempt) that gives up leaves the position
/// behind: the message later written there is never read (the next reader
/// starts past it), and the writer of that slot's next lap waits forever.
/// Everything else is fetch_add_ring's algorithm (its writer's claim and look,
/// both publishes, was_size, is_drained), copied.
template <class Sync>
class ticket_before_ready_protocol {
public:
    struct token {
        std::size_t index;
        std::uint64_t next;
    };

    explicit ticket_before_ready_protocol(std::size_t capacity) noexcept
        : capacity_(capacity), lap_(ring_lap(capacity)) {}

    template <class Slots>
    std::optional<token> try_claim_write(Slots& slots) noexcept {
        std::uint64_t p = head_.load(std::memory_order_relaxed);
        for (unsigned step = 0;;) {
            const std::uint64_t seq = slots.control(index(p)).load(std::memory_order_acquire);
            const std::int64_t d = distance(seq, base(p));
            if (d == 0) {
                if (head_.compare_exchange_weak(p, next(p), std::memory_order_relaxed, std::memory_order_relaxed))
                    return token{static_cast<std::size_t>(index(p)), base(p) + 1};
                continue;
            }
            if (d < 0) {  // the slot's previous reader has not released it: look for a free slot
                const std::uint64_t t = tail_.load(std::memory_order_relaxed);
                bool ours = false, behind = false;
                for (std::uint64_t q = p; distance(t, q - lap_) > 0; q = next(q))
                    if (slots.control(index(q)).load(std::memory_order_relaxed) == base(q)) {
                        (q == p ? ours : behind) = true;
                        break;
                    }
                if (ours) continue;
                if (!behind && head_.load(std::memory_order_relaxed) == p) return std::nullopt;  // full
                if (behind) msgpool::detail::back_off<Sync>(step);
            }
            p = head_.load(std::memory_order_relaxed);
        }
    }

    template <class Slots>
    void publish_write(Slots& slots, token t) noexcept {
        slots.control(t.index).store(t.next, std::memory_order_release);
    }

    template <class Slots>
    std::optional<token> try_claim_read(Slots& slots) noexcept {
        std::uint64_t p = tail_.load(std::memory_order_relaxed);
        while (!tail_.compare_exchange_weak(p, next(p), std::memory_order_relaxed, std::memory_order_relaxed)) {
        }  // BUG: the position is taken before its slot is known to be ready
        auto& word = slots.control(index(p));
        for (unsigned step = 0; step < 4;) {
            if (word.load(std::memory_order_acquire) == base(p) + 1)
                return token{static_cast<std::size_t>(index(p)), base(p) + lap_};
            msgpool::detail::back_off<Sync>(step);
        }
        return std::nullopt;  // ...and left behind
    }

    template <class Slots>
    bool publish_read(Slots& slots, token t) noexcept {
        slots.control(t.index).store(t.next, std::memory_order_release);
        return true;
    }

    template <class Slots>
    std::size_t was_size(const Slots& slots) const noexcept {
        const std::uint64_t t = tail_.load(std::memory_order_relaxed);
        std::size_t n = 0;
        for (std::size_t i = 0; i < capacity_; ++i) {
            const std::uint64_t seq = slots.control(i).load(std::memory_order_relaxed);
            n += (seq & 1) != 0 && distance(seq - 1 + i, t) >= 0;
        }
        return n;
    }

    template <class Slots>
    bool is_drained(const Slots& slots) const noexcept {
        const std::uint64_t t = tail_.load(std::memory_order_acquire);
        if (head_.load(std::memory_order_acquire) != t) return false;
        for (std::size_t i = 0; i < capacity_; ++i)
            if ((slots.control(i).load(std::memory_order_acquire) & 1) != 0) return false;
        return true;
    }

protected:  // variant 18 below reuses the copy
    std::uint64_t index(std::uint64_t p) const noexcept { return p & (lap_ - 1); }
    std::uint64_t base(std::uint64_t p) const noexcept { return p & ~(lap_ - 1); }
    std::uint64_t next(std::uint64_t p) const noexcept { return index(p) + 1 == capacity_ ? base(p) + lap_ : p + 1; }
    static std::int64_t distance(std::uint64_t a, std::uint64_t b) noexcept { return static_cast<std::int64_t>(a - b); }

    const std::size_t capacity_;
    const std::uint64_t lap_;
    typename Sync::template atomic<std::uint64_t> head_{0};
    typename Sync::template atomic<std::uint64_t> tail_{0};
};
using ticket_before_ready = ring_with<ticket_before_ready_protocol>;

/// Broken variant 18: a read claim that loses its position to another reader
/// gives up.  The ring's rule for a lost claim (claim/fetch_add_ring.hpp, "Two
/// of one side") pauses or yields and then takes the next ready position; this
/// reader instead answers "nothing" at once, so a try_read that races another
/// reader for the first of two messages reports the pool empty while the
/// second sits in it.  Otherwise the reader's claim of fetch_add_ring with its
/// look (a mirror of the copy's writer above), and the copy's writer.
template <class Sync>
struct gives_up_after_lost_read_protocol : ticket_before_ready_protocol<Sync> {
    using base_t = ticket_before_ready_protocol<Sync>;
    using typename base_t::token;
    using base_t::base_t;

    template <class Slots>
    std::optional<token> try_claim_read(Slots& slots) noexcept {
        std::uint64_t p = this->tail_.load(std::memory_order_relaxed);
        for (unsigned step = 0;;) {
            const std::uint64_t seq = slots.control(this->index(p)).load(std::memory_order_acquire);
            const std::int64_t d = base_t::distance(seq, this->base(p) + 1);
            if (d == 0) {
                if (this->tail_.compare_exchange_weak(p, this->next(p), std::memory_order_relaxed,
                                                      std::memory_order_relaxed))
                    return token{static_cast<std::size_t>(this->index(p)), this->base(p) + this->lap_};
                return std::nullopt;  // BUG: lost to another reader, and gives up
            }
            if (d < 0) {  // not published: look for a message behind a held slot
                const std::uint64_t h = this->head_.load(std::memory_order_relaxed);
                bool ours = false, behind = false;
                for (std::uint64_t q = p; base_t::distance(h, q) > 0; q = this->next(q))
                    if (slots.control(this->index(q)).load(std::memory_order_relaxed) == this->base(q) + 1) {
                        (q == p ? ours : behind) = true;
                        break;
                    }
                if (ours) continue;
                if (!behind && this->tail_.load(std::memory_order_relaxed) == p) return std::nullopt;  // empty
                if (behind) msgpool::detail::back_off<Sync>(step);
            }
            p = this->tail_.load(std::memory_order_relaxed);
        }
    }
};
using gives_up_after_lost_read = ring_with<gives_up_after_lost_read_protocol>;

/// Broken variant 11: a publish with relaxed ordering ([W2] relaxed instead
/// of release).  Every SC interleaving still delivers every message; what
/// breaks is happens-before, which checked.hpp's vector clocks report as an
/// unordered access to the element.
template <class Sync>
struct relaxed_ring_publish_protocol : ring_protocol<Sync> {
    using base_t = ring_protocol<Sync>;
    using typename base_t::token;
    using base_t::base_t;

    template <class Slots>
    void publish_write(Slots& slots, token t) noexcept {
        slots.control(t.index).store(t.next, std::memory_order_relaxed);  // BUG: must release ([W2])
    }
};
using relaxed_ring_publish = ring_with<relaxed_ring_publish_protocol>;

/// Broken variant 12: the reader frees the slot for the next lap at
/// base + capacity instead of base + P (the position stride, capacity
/// rounded up to a power of two).  Right whenever capacity is a power of
/// two; at capacity 3 the word reads "base + 3", which the next lap's writer
/// (expecting base + 4) takes for a slot still held: the slot is lost, and
/// writers hang on a pool with free space (or a try_write fails on it).
template <class Sync>
struct release_by_capacity_protocol : ring_protocol<Sync> {
    using base_t = ring_protocol<Sync>;
    using typename base_t::token;
    explicit release_by_capacity_protocol(std::size_t capacity) noexcept : base_t(capacity), capacity_(capacity) {}

    template <class Slots>
    bool publish_read(Slots& slots, token t) noexcept {
        const std::uint64_t next = t.next - ring_lap(capacity_) + capacity_;  // BUG: the stride is the lap, not capacity
        slots.control(t.index).store(next, std::memory_order_release);
        return true;
    }

private:
    const std::size_t capacity_;
};
using release_by_capacity = ring_with<release_by_capacity_protocol>;

/// Broken variant 13: an impatient claim (Vyukov's "weak" try, xenium's
/// try_pop_weak): a read whose own slot is not ready fails at once, even
/// when messages are published behind the writer that holds it.  A try_read
/// then reports "empty" on a pool that holds a message (and a blocking
/// reader may go to sleep on a notify it cannot use, which another sleeper
/// needed: a lost wake-up in rarer schedules).
template <class Sync>
struct impatient_read_protocol : ring_protocol<Sync> {
    using base_t = ring_protocol<Sync>;
    using typename base_t::token;
    using base_t::base_t;

    template <class Slots>
    std::optional<token> try_claim_read(Slots& slots) noexcept {
        return base_t::try_claim_read_near(slots, msgpool::attempt::first);  // BUG: no look: a writer between claim and publish is not "empty"
    }
};
using impatient_read = ring_with<impatient_read_protocol>;

/// Broken variant 17: a bulk claim that counts a position it did not check
/// nor take: fetch_add_ring's bulk write claim asks for one position fewer
/// and reports one more, the position after its run, which its CAS of head_
/// left to the next writer.  Two writers then fill one slot (the element
/// check reports the race) and publish it twice, or the extra one writes a
/// slot whose previous message is still unread (lost).
template <class Sync>
struct bulk_counts_unchecked_run_protocol : ring_protocol<Sync> {
    using base_t = ring_protocol<Sync>;
    using typename base_t::bulk_token;
    explicit bulk_counts_unchecked_run_protocol(std::size_t capacity) noexcept
        : base_t(capacity), capacity_(capacity) {}

    template <class Slots>
    std::optional<bulk_token> try_claim_write_bulk(Slots& slots, std::size_t n) noexcept {
        if (n < 2 || capacity_ < 2) return base_t::try_claim_write_bulk(slots, n);
        auto b = base_t::try_claim_write_bulk(slots, n - 1);
        if (b && b->count < capacity_) ++b->count;  // BUG: the position after the run, neither checked nor taken
        return b;
    }

private:
    const std::size_t capacity_;
};
using bulk_counts_unchecked_run = ring_with<bulk_counts_unchecked_run_protocol>;

}  // namespace msgpool_test::dsched::broken
