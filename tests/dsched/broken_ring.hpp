// tests/dsched/broken_ring.hpp - claim::fetch_add_ring broken on purpose,
// compiled only into tests/dsched/broken_variants.cpp to prove that the
// deterministic suite catches each mistake.  Never use them.
//
// Each variant derives from the real protocol and replaces one step, so what
// a scenario catches is that step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include <msgpool/claim/fetch_add_ring.hpp>

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

/// Broken variant 10: a ticket taken before the slot is ready.  The reader
/// takes its position unconditionally (a fetch_add in spirit: the CAS loop
/// below cannot fail to advance), then waits a few backoff rounds for the
/// message; a try_ (or any first attempt) that gives up leaves the position
/// behind: the message later written there is never read (the next reader
/// starts past it), and the writer of that slot's next lap waits forever.
template <class Sync>
struct ticket_before_ready_protocol : ring_protocol<Sync> {
    using base_t = ring_protocol<Sync>;
    using typename base_t::token;
    using base_t::base_t;

    template <class Slots>
    std::optional<token> try_claim_read(Slots& slots) noexcept {
        std::uint64_t p = this->tail_.load(std::memory_order_relaxed);
        while (!this->tail_.compare_exchange_weak(p, this->next(p), std::memory_order_relaxed,
                                                  std::memory_order_relaxed)) {
        }  // BUG: the position is taken before its slot is known to be ready
        auto& word = base_t::word_of(slots, this->index(p));
        for (unsigned step = 0; step < 4;) {
            if (word.load(std::memory_order_acquire) == this->base(p) + 1)
                return token{static_cast<std::size_t>(this->index(p)), this->base(p) + this->lap_};
            msgpool::detail::back_off<Sync>(step);
        }
        return std::nullopt;  // ...and left behind
    }
    template <class Slots>
    std::optional<token> try_claim_read_near(Slots& slots, msgpool::attempt) noexcept {
        return try_claim_read(slots);  // the blocking call's first attempts take the position early too
    }
};
using ticket_before_ready = ring_with<ticket_before_ready_protocol>;

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
    using base_t::base_t;

    template <class Slots>
    bool publish_read(Slots& slots, token t) noexcept {
        const std::uint64_t next = t.next - this->lap_ + this->capacity_;  // BUG: the stride is lap_, not capacity_
        slots.control(t.index).store(next, std::memory_order_release);
        return true;
    }
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

}  // namespace msgpool_test::dsched::broken
