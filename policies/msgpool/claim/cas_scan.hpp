// msgpool/claim/cas_scan.hpp - scan slot states, claim one with compare-and-swap.
//
// When to use: the original library's protocol and the most robust one under
// oversubscription: a thread preempted while it holds a slot blocks nobody,
// because the others simply scan past that slot.  It pays for this with a scan
// (short when the pool is neither nearly full nor nearly empty) and one CAS on
// the slot's state word.
//
// The idea: every slot has a 32-bit state, empty -> writing -> full -> reading
// -> empty.  Admission is counted first (detail/slot_counter.hpp): a writer
// reserves one of the `free` units, a reader one of the `full` units, and only
// then scans, starting at a thread-local cursor, for a slot in the state it
// needs, which its reservation guarantees exists.  Failure (try_, timeout,
// close) therefore happens only at the reservation and leaves nothing behind.
//
// Ordering contract (tags used below):
//   [W1] writer's CAS empty->writing, acquire: pairs with [R2], so the
//        previous reader's move out of the element happens before our write.
//   [W2] writer's store `full`, release: publishes the element; pairs with [R1].
//   [R1] reader's CAS full->reading, acquire: pairs with [W2], so the reader
//        sees everything the writer did before write().
//   [R2] reader's store `empty`, release: pairs with [W1].
//   Then [C1] (slot_counter::release) makes the unit available; it is seq_cst
//   and ordered after W2/R2, and the reservation [C2] that reads it happens
//   after them, which is why a reserver's scan is guaranteed to find the slot.
//
// Invariant behind "the scan always finds a slot": at every instant,
//   #slots in state `empty` >= free.value + #writers holding an unused reservation,
// and the same for `full` and readers, because a slot enters a state before its
// unit is released and a reservation is used by leaving that state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include <msgpool/detail/slot_counter.hpp>
#include <msgpool/detail/thread_cursor.hpp>

namespace msgpool::claim {

struct cas_scan {
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
            if (!free_.try_acquire()) return std::nullopt;  // [C2]: full (exactly, at this instant)
            return token{take(slots, detail::thread_cursor<detail::write_cursor>(), empty, writing)};
        }

        template <class Slots>
        void publish_write(Slots& slots, token t) noexcept {
            slots.control(t.index).store(full, std::memory_order_release);  // [W2] pairs with [R1]
            full_.release();                                                // [C1]
        }

        template <class Slots>
        std::optional<token> try_claim_read(Slots& slots) noexcept {
            if (!full_.try_acquire()) return std::nullopt;  // [C2]: empty (exactly, at this instant)
            return token{take(slots, detail::thread_cursor<detail::read_cursor>(), full, reading)};
        }

        template <class Slots>
        bool publish_read(Slots& slots, token t) noexcept {
            slots.control(t.index).store(empty, std::memory_order_release);  // [R2] pairs with [W1]
            return free_.release() == capacity_;                              // [C1]
        }

        std::size_t was_size() const noexcept { return full_.load(); }
        bool is_drained() const noexcept { return free_.load() == capacity_; }

    private:
        static constexpr std::uint32_t empty = 0, writing = 1, full = 2, reading = 3;

        // Find a slot in state `from` and move it to `to`.  Called only with a
        // reservation in hand, so such a slot exists (see the invariant above);
        // other reservers may take the one we are looking at, but then they
        // progressed, so the loop is lock-free.
        template <class Slots>
        std::size_t take(Slots& slots, std::size_t& cursor, std::uint32_t from, std::uint32_t to) noexcept {
            static_assert(Slots::slots_per_control == 1, "cas_scan needs one control word per slot");
            std::size_t i = cursor < capacity_ ? cursor : cursor % capacity_;
            for (;;) {
                auto& state = slots.control(i);
                std::uint32_t expected = from;
                // relaxed pre-check: only skips slots; the CAS re-validates.
                // CAS acquire: [W1] pairs with [R2], [R1] pairs with [W2].
                if (state.load(std::memory_order_relaxed) == from &&
                    state.compare_exchange_strong(expected, to, std::memory_order_acquire, std::memory_order_relaxed)) {
                    cursor = i + 1;
                    return i;
                }
                if (++i == capacity_) i = 0;
            }
        }

        const std::size_t capacity_;
        detail::slot_counter<Sync> free_;
        detail::slot_counter<Sync> full_;
    };
};

}  // namespace msgpool::claim
