// tests/dsched/broken_claim.hpp - deliberately broken claim policies, compiled
// only into tests/dsched/broken_variants.cpp to prove that the deterministic
// suite catches them.  Never use them.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/detail/slot_counter.hpp>
#include <msgpool/claim/detail/thread_cursor.hpp>

namespace msgpool_test::dsched::broken {

/// claim::cas_scan with one step of its protocol replaced: `Protocol<Sync>`
/// derives from cas_scan's protocol and redefines one of its public member
/// functions (the claim protocol's own interface, concepts/claim_policy.hpp),
/// so everything else is cas_scan's own code and what a scenario catches is
/// the replaced step.  States: empty 0 -> writing 1 -> full 2 -> reading 3.
template <template <class> class Protocol>
struct cas_scan_with {
    static constexpr std::size_t max_slots_per_control = msgpool::claim::cas_scan::max_slots_per_control;
    static constexpr bool linearizable_try = msgpool::claim::cas_scan::linearizable_try;
    static constexpr bool held_slots_block_nobody = msgpool::claim::cas_scan::held_slots_block_nobody;
    template <class Sync>
    using control = msgpool::claim::cas_scan::control<Sync>;
    template <class Sync>
    using protocol = Protocol<Sync>;
};

template <class Sync>
using cas_scan_protocol = msgpool::claim::cas_scan::protocol<Sync>;
using cas_state = msgpool::claim::cas_scan::state;

/// The state byte of slot i: lane i % K of its control word, as cas_scan lays
/// it out (claim/detail/state_lanes.hpp, the storage's control(i)).
template <class Slots>
auto& state_of(Slots& slots, std::size_t i) noexcept {
    return slots.control(i).lane[i % Slots::slots_per_control];
}

/// Broken variant 3: a publish with relaxed ordering: cas_scan's [W2] store
/// writing -> full relaxed instead of release.  On x86 the store compiles to
/// the same MOV and every TSO execution still delivers every message; what
/// breaks is happens-before in the C++ model: nothing orders the writer's
/// element write before the reader's element read (a compiler, or an ARM
/// core, may make the state visible before the element).  checked.hpp's
/// vector clocks report the unordered access as a data race.
template <class Sync>
class relaxed_store_publish : public cas_scan_protocol<Sync> {
    using base = cas_scan_protocol<Sync>;

public:
    using typename base::token;
    using base::base;
    template <class Slots>
    void publish_write(Slots& slots, token t) noexcept {
        state_of(slots, t.index).store(cas_state::full, std::memory_order_relaxed);  // BUG: must release ([W2])
    }
};
using relaxed_publish = cas_scan_with<relaxed_store_publish>;

/// Broken variant 5: a claim torn into a load and a store: cas_scan's [W1]
/// CAS empty -> writing done as "load empty, store writing".  Two writers can
/// both load `empty` before either store is visible (between the two steps
/// under any schedule, and for longer under TSO, where the first store waits
/// in its writer's store buffer), and both then own the slot: both write the
/// element (a data race, and one message overwritten: lost) and both publish.
/// Reads keep cas_scan's CAS.
template <class Sync>
class load_then_store_claim : public cas_scan_protocol<Sync> {
    using base = cas_scan_protocol<Sync>;

public:
    using typename base::token;
    explicit load_then_store_claim(std::size_t capacity) noexcept : base(capacity), capacity_(capacity) {}
    template <class Slots>
    std::optional<token> try_claim_write(Slots& slots) noexcept {
        std::size_t& cursor = msgpool::detail::thread_cursor<msgpool::detail::write_cursor>();
        for (std::size_t n = 0; n < capacity_; ++n) {
            const std::size_t i = (cursor + n) % capacity_;
            auto& state = state_of(slots, i);
            if (state.load(std::memory_order_acquire) != cas_state::empty) continue;
            state.store(cas_state::writing, std::memory_order_relaxed);  // BUG: another writer may have claimed it since
            cursor = i;
            return token{i};
        }
        return std::nullopt;
    }
    /// The blocking calls' attempts take the same broken path.
    template <class Slots>
    std::optional<token> try_claim_write_near(Slots& slots, msgpool::attempt) noexcept {
        return try_claim_write(slots);
    }

private:
    const std::size_t capacity_;
};
using torn_claim = cas_scan_with<load_then_store_claim>;

/// Broken variant 7: an abandon that never reports the pool drained: it
/// returns the slot correctly (writing -> empty, release) and a blocked
/// writer is woken, but it answers "not drained", so a wait_until_empty()
/// that sleeps because of the held handle is never woken by the drop that
/// leaves the pool empty.
template <class Sync>
class abandon_says_not_drained : public cas_scan_protocol<Sync> {
    using base = cas_scan_protocol<Sync>;

public:
    using typename base::token;
    using base::base;
    template <class Slots>
    bool abandon_write(Slots& slots, token t) noexcept {
        state_of(slots, t.index).store(cas_state::empty, std::memory_order_release);
        return false;  // BUG: the pool may be drained now (cas_scan cannot tell, so it must say so)
    }
};
using abandon_misses_drained = cas_scan_with<abandon_says_not_drained>;

/// Broken variant 8: an abandon that stores the wrong state: `reading`
/// instead of `empty`, a busy state that only its reader's publish_read
/// would leave, and there is no such reader: the slot is lost, and at
/// capacity 1 the next writer (and wait_until_empty) waits forever.
template <class Sync>
class abandon_stores_reading : public cas_scan_protocol<Sync> {
    using base = cas_scan_protocol<Sync>;

public:
    using typename base::token;
    using base::base;
    template <class Slots>
    bool abandon_write(Slots& slots, token t) noexcept {
        state_of(slots, t.index).store(cas_state::reading, std::memory_order_release);  // BUG: must be empty
        return true;
    }
};
using abandon_loses_slot = cas_scan_with<abandon_stores_reading>;

/// Broken variant 9: an abandon copied from publish_write: it stores `full`,
/// so the dropped element is published as a message that was never
/// committed (a reader receives an id the writer meant to discard).
template <class Sync>
class abandon_stores_full : public cas_scan_protocol<Sync> {
    using base = cas_scan_protocol<Sync>;

public:
    using typename base::token;
    using base::base;
    template <class Slots>
    bool abandon_write(Slots& slots, token t) noexcept {
        state_of(slots, t.index).store(cas_state::full, std::memory_order_release);  // BUG: a publish
        return true;
    }
};
using abandon_publishes = cas_scan_with<abandon_stores_full>;

/// Broken variant 14: a put-back that forgets the notify.  The message goes
/// back correctly (reading -> full, release), but the put-back tells the
/// frame that no reader needs waking, so a reader that went to sleep while
/// the message was claimed (the pool looked empty) sleeps on although a
/// message waits for it.
template <class Sync>
class put_back_without_notify : public cas_scan_protocol<Sync> {
    using base = cas_scan_protocol<Sync>;

public:
    using typename base::token;
    using base::base;
    template <class Slots>
    bool abandon_read(Slots& slots, token t) noexcept {
        state_of(slots, t.index).store(cas_state::full, std::memory_order_release);
        return false;  // BUG: a reader may be asleep waiting for this message
    }
};
using put_back_forgets_notify = cas_scan_with<put_back_without_notify>;

/// Broken variant 15: a put-back written as a read and a write: the slot is
/// freed (reading -> empty), then claimed again and refilled.  For a moment
/// the slot is empty: a wait_until_empty() that looks then returns while the
/// message is still to be read, and a writer that claims the slot then
/// overwrites the message.
template <class Sync>
class put_back_as_read_and_write : public cas_scan_protocol<Sync> {
    using base = cas_scan_protocol<Sync>;

public:
    using typename base::token;
    using base::base;
    template <class Slots>
    bool abandon_read(Slots& slots, token t) noexcept {
        auto& state = state_of(slots, t.index);
        state.store(cas_state::empty, std::memory_order_release);  // BUG: the pool may look drained now
        std::uint8_t expected = cas_state::empty;
        if (!state.compare_exchange_strong(expected, cas_state::writing, std::memory_order_acquire,
                                           std::memory_order_relaxed))
            return true;  // a writer took the slot first: the message is lost (caught as such)
        state.store(cas_state::full, std::memory_order_release);
        return true;
    }
};
using put_back_lets_drain = cas_scan_with<put_back_as_read_and_write>;

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

/// Broken variant 16: a bulk claim that counts a slot it did not check.
/// cas_scan's bulk write claim (one CAS for the empty lanes of a group) adds
/// to its token the lane just above the highest one it moved, without
/// looking at it or moving it: that lane may hold a message (which the bulk
/// then overwrites: lost), or be another writer's (two writers in one slot),
/// and its publish makes whatever is there a message.  Needs storage with
/// several slots per control word, where the bulk claim exists.
template <class Sync>
class bulk_counts_unchecked_protocol : public cas_scan_protocol<Sync> {
    using base = cas_scan_protocol<Sync>;

public:
    using typename base::bulk_token;
    explicit bulk_counts_unchecked_protocol(std::size_t capacity) noexcept : base(capacity), capacity_(capacity) {}
    template <class Slots>
        requires(Slots::slots_per_control > 1)
    std::optional<bulk_token> try_claim_write_bulk(Slots& slots, std::size_t n) noexcept {
        auto b = base::try_claim_write_bulk(slots, n);
        if (!b || b->count >= n) return b;
        const auto above = static_cast<std::size_t>(32 - std::countl_zero(b->lanes));  // the lane above the highest
        if (above < Slots::slots_per_control && b->first + above < capacity_) {
            b->lanes |= std::uint32_t{1} << above;  // BUG: counted, never checked nor moved
            ++b->count;
        }
        return b;
    }

private:
    const std::size_t capacity_;
};
using bulk_counts_unchecked = cas_scan_with<bulk_counts_unchecked_protocol>;

}  // namespace msgpool_test::dsched::broken
