// msgpool/claim/fetch_add_ring.hpp - a ticket ring: fetch-add counters hand out
// turns, a per-slot turn word says whose turn the slot is in.
//
// When to use: when threads do not outnumber cores (threads pinned, or fewer
// threads than cores): every operation is one admission RMW, one ticket
// fetch-add and one look at its own slot, with no scan, however full the pool
// is; but a thread preempted while it holds a ticket stalls the next user of
// its slot (see "What a preempted thread blocks"), which cas_scan avoids.
//
// The idea (Vyukov's bounded MPMC queue, with admission in front): writers
// take tickets 0, 1, 2, ... from `tail_`, readers from `head_`, both with
// fetch_add.  Ticket t uses slot t % capacity in lap t / capacity, so slot i
// is used by writer i, reader i, writer i + capacity, reader i + capacity, ...
// in that order.  Each slot's control word counts those turns:
//      2 * lap      the slot is free for the writer of this lap,
//      2 * lap + 1  it is full, for the reader of this lap,
// and the reader leaves 2 * (lap + 1) for the writer of the next lap.  A thread
// with a ticket waits until its slot's word reaches its turn, does its move,
// and stores the next turn.  Nothing is rounded to a power of two: the ring
// has exactly `capacity` slots, and `%` and `/` by the runtime capacity (one
// division) find slot and lap.
//
// Why turns and not Vyukov's sequence numbers (seq == t free for ticket t,
// t + 1 full, t + capacity free again): the storage value-initialises control
// words to 0 and the seam has no per-slot initialiser, and with capacity 1
// the value t + 1 would mean both "full for reader t" and "free for writer
// t + 1".  Turn numbers start at 0 in every slot and differ for every turn at
// any capacity; for capacity >= 2 they are an order-preserving renaming of
// Vyukov's (seq = i + lap * capacity  <->  turn = 2 * lap, and +1 for full).
//
// The trap, and how admission closes it (design.md section 4).  A fetch-add
// ticket commits its taker to one slot: if a try_read that found nothing had
// taken ticket t, the message later written under ticket t would wait for a
// reader that has gone away.  So nobody takes a ticket on speculation.  A
// thread first reserves a unit from the admission counters
// (detail/slot_counter.hpp: `free_` for writers, `full_` for readers); that
// step is exact and leaves no trace when it fails, so try_, timed and close
// paths can only fail there.  Only a thread holding a reservation takes a
// ticket, and such a ticket always becomes ready:
//
//   Readiness.  Every operation on free_, full_, head_ and tail_ is seq_cst,
//   so they all sit in one total order S that agrees with each thread's
//   program order and with each counter's modification order.
//   - Writer ticket t.  When [T1] hands out t, writers 0..t have taken
//     tickets, and each reserved [C2] on free_ before (program order), so S
//     holds t + 1 reservations on free_ before [T1].  free_ never goes below
//     zero, so S also holds at least t + 1 - capacity releases [C1] of free_
//     before [T1], each made by a reader after it took its ticket [T2].  So
//     at least t + 1 - capacity reader tickets were taken before [T1]: reader
//     ticket t - capacity, the previous turn of slot t % capacity, is already
//     held (or done) when writer t gets its ticket.
//   - Reader ticket t.  Likewise, t + 1 reservations on full_ need t + 1
//     releases of full_ (it starts at 0), each after a writer's [T1]: writer
//     ticket t, the previous turn of the slot, is already held (or done).
//   - A ticket holder never leaves without publishing (the frame moves the
//     element and publishes, no exit in between), so by induction on t every
//     ticket handed out reaches its turn: the wait is for a peer that already
//     holds the previous turn of the slot (and is moving its element, or is
//     itself waiting for the turn before, which is held too), never for a
//     thread that has yet to arrive.
//
// Ordering contract (tags used below):
//   [C2] slot_counter::try_acquire, seq_cst: the reservation (see slot_counter.hpp).
//   [T1] writer's ticket, tail_.fetch_add, seq_cst: in S, for the proof above.
//   [W1] writer's load of its slot's turn word, acquire: pairs with [R2] of
//        the previous lap's reader, so its move out of the element happens
//        before our write.
//   [W2] writer's store of turn 2 * lap + 1, release: publishes the element;
//        pairs with [R1].
//   [T2] reader's ticket, head_.fetch_add, seq_cst: as [T1].
//   [R1] reader's load of the turn word, acquire: pairs with [W2], so the
//        reader sees everything the writer did before write().
//   [R2] reader's store of turn 2 * (lap + 1), release: pairs with [W1].
//   [C1] slot_counter::release, seq_cst, after [W2] / [R2].
//
// What a preempted thread blocks.  A thread preempted between its ticket and
// its publish holds one turn of one slot.  The next user of that slot (the
// reader of the same ticket if it is a writer, the writer of the next lap if
// it is a reader), if it already has its ticket, spins and then yields
// (detail::backoff) until the preempted thread runs again and publishes; and
// a thread waiting behind that one waits too.  Other slots are not affected:
// threads with other tickets go on.  A thread preempted while it only holds a
// reservation (before its ticket) blocks nobody.  Consequence: a try_ or timed
// operation that got its reservation never fails afterwards, but it may wait
// for such a peer, past its deadline if the peer stays descheduled; it never
// waits for the pool's state (full or empty) to change.
//
// Wraparound: tickets are std::size_t.  At 10^9 tickets a second a 64-bit
// counter wraps after ~584 years; 2^64 is not a multiple of every capacity,
// so t % capacity would jump at the wrap, and that is the one limit of this
// policy.  Turn numbers are taken modulo 2^64 too and stay distinct for the
// 2^64 turns of that range.
//
// Needs one control word per slot (static_assert in claim_turn); Sync must
// provide atomic<std::size_t> (lock-free on every 64-bit target).
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>

#include <msgpool/detail/backoff.hpp>
#include <msgpool/detail/cache_line.hpp>
#include <msgpool/detail/slot_counter.hpp>

namespace msgpool::claim {

struct fetch_add_ring {
    /// One control word per slot (the storage's slots_per_control must be 1).
    static constexpr std::size_t max_slots_per_control = 1;

    /// A failing try_ is exact: the admission counter was 0 at one instant.
    static constexpr bool linearizable_try = true;

    template <class Sync>
    using control = typename Sync::template atomic<std::size_t>;  // the slot's turn number

    template <class Sync>
    class protocol {
    public:
        struct token {
            std::size_t index;  ///< the slot
            std::size_t next;   ///< the turn number to publish
        };

        explicit protocol(std::size_t capacity) noexcept : capacity_(capacity), free_(capacity), full_(0) {}

        template <class Slots>
        std::optional<token> try_claim_write(Slots& slots) noexcept {
            if (!free_.try_acquire()) return std::nullopt;  // [C2]: full (exactly, at this instant)
            // [T1] seq_cst: orders the ticket after our [C2] in S (readiness proof above).
            const std::size_t t = tail_.fetch_add(1, std::memory_order_seq_cst);
            const std::size_t lap = t / capacity_;
            return claim_turn(slots, t % capacity_, 2 * lap);  // [W1]
        }

        template <class Slots>
        void publish_write(Slots& slots, token t) noexcept {
            slots.control(t.index).store(t.next, std::memory_order_release);  // [W2] pairs with [R1]
            full_.release();                                                   // [C1]
        }

        template <class Slots>
        std::optional<token> try_claim_read(Slots& slots) noexcept {
            if (!full_.try_acquire()) return std::nullopt;  // [C2]: empty (exactly, at this instant)
            // [T2] seq_cst: orders the ticket after our [C2] in S (readiness proof above).
            const std::size_t t = head_.fetch_add(1, std::memory_order_seq_cst);
            const std::size_t lap = t / capacity_;
            return claim_turn(slots, t % capacity_, 2 * lap + 1);  // [R1]
        }

        template <class Slots>
        bool publish_read(Slots& slots, token t) noexcept {
            slots.control(t.index).store(t.next, std::memory_order_release);  // [R2] pairs with [W1]
            return free_.release() == capacity_;                               // [C1]
        }

        template <class Slots>
        std::size_t was_size(const Slots&) const noexcept { return full_.load(); }
        template <class Slots>
        bool is_drained(const Slots&) const noexcept { return free_.load() == capacity_; }

    private:
        // Wait for slot `index` to reach `turn`, then own it until the
        // caller publishes turn + 1.  Called only with a ticket that the
        // readiness proof guarantees: the wait is for a peer that already
        // holds the previous turn of this slot.  Turn numbers only grow, so
        // the word equals `turn` exactly when that peer has published.
        template <class Slots>
        token claim_turn(Slots& slots, std::size_t index, std::size_t turn) noexcept {
            static_assert(Slots::slots_per_control == 1, "fetch_add_ring needs one control word per slot");
            auto& word = slots.control(index);
            // acquire: [W1] pairs with [R2] (writer), [R1] pairs with [W2] (reader).
            for (unsigned attempt = 0; word.load(std::memory_order_acquire) != turn;) {
                detail::backoff<Sync>(attempt);  // pause, then yield: a preempted peer gets the core back
                if (attempt < detail::spin_limit) ++attempt;
            }
            return token{index, turn + 1};
        }

        const std::size_t capacity_;
        detail::slot_counter<Sync> free_;  // slots a writer may reserve
        detail::slot_counter<Sync> full_;  // messages a reader may reserve
        // Each ticket counter on its own line: writers hit one, readers the other.
        alignas(detail::cache_line_size) typename Sync::template atomic<std::size_t> tail_{0};  // next writer ticket
        alignas(detail::cache_line_size) typename Sync::template atomic<std::size_t> head_{0};  // next reader ticket
    };
};

}  // namespace msgpool::claim
