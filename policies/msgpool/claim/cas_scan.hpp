// msgpool/claim/cas_scan.hpp - scan slot states, claim one with compare-and-swap.
//
// When to use: the original library's protocol, and the fastest one here on
// line-grouped storage (storage::line_grouped_slots); also the most robust
// under oversubscription: a thread preempted while it holds a slot blocks
// nobody, because the others simply scan past that slot.  The price is that a
// failing try_ is not linearisable (below).
//
// The idea: every control word holds the states of the K slots it governs
// (K = the storage's slots_per_control, 1 for inline and aligned slots, 7 for
// line-grouped slots, at most 16): bit j is slot j's `busy` bit, bit 16+j its
// `full` bit, so a slot is
//     empty (busy 0, full 0) -> writing (1, 0) -> full (0, 1) -> reading (1, 1) -> empty.
// A claim sets the busy bit of a lane in the state it needs with one CAS on
// the word; a publish flips both bits with one fetch_xor.  A thread scans the
// words starting at its own thread-local cursor (detail/thread_cursor.hpp)
// and stays on the line where it last succeeded, so on the fast path nothing
// shared is written but the line that holds the slot (and, with line-grouped
// storage, its value).  There is no shared message counter: a full pass that
// finds no slot in the needed state is the answer "full" or "empty".
//
// What that costs (design.md, "exactness"): a failing try_write means every
// slot was seen occupied at some instant during the pass, not all at one
// instant, so it can fail while a slot it had already passed became free (and
// likewise try_read).  With no operation running concurrently the answer is
// exact, and was_size() of an idle pool is exact.  Blocking operations lose
// nothing by it: a slot that changes behind a waiter's pass was changed by a
// publish that notifies after it ([E3]), and the waiter registered before its
// pass ([E1]); see "Dekker pair" below.
//
// Ordering contract (tags used below):
//   [W1] writer's CAS empty->writing, acquire: pairs with [R2] (and [A1]), so
//        the previous reader's move out of the element happens before our write.
//   [W2] writer's fetch_xor writing->full, seq_cst: its release part publishes
//        the element and pairs with [R1].
//   [R1] reader's CAS full->reading, acquire: pairs with [W2], so the reader
//        sees everything the writer did before write().
//   [R2] reader's fetch_xor reading->empty, seq_cst: release part pairs with [W1].
//   [A1] abandon_write's fetch_xor writing->empty, seq_cst: as [R2].
//   [S1] the scan's load of a word, seq_cst: when the scan is a waiter's
//        re-check [E2], this load closes the Dekker pair below.
// Dekker pair: a publisher does "[W2]/[R2]/[A1], then look for waiters [E3]"
// and a waiter "register [E1], then scan [S1]".  All four are seq_cst, so in
// their single total order either the scan's load follows the publish (and
// sees it, or a later change made by a thread that progressed) or [E3]
// follows [E1] and the waiter is notified.  On x86 every locked RMW is a full
// barrier and a seq_cst load is a plain load, so seq_cst costs nothing here
// over acquire/release: the publish has to be a read-modify-write anyway,
// because the other lanes of its word change concurrently.
//
// Lanes past capacity in the last word are never claimable: the scan masks
// each word with the lanes its group really has.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>

#include <msgpool/detail/thread_cursor.hpp>

namespace msgpool::claim {

struct cas_scan {
    /// One 32-bit word holds a busy and a full bit for each of up to 16 slots.
    static constexpr std::size_t max_slots_per_control = 16;

    /// A failing try_ is not linearisable (see the preamble): it means each
    /// slot was seen unusable at some moment of the pass.
    static constexpr bool linearizable_try = false;

    template <class Sync>
    using control = typename Sync::template atomic<std::uint32_t>;

    template <class Sync>
    class protocol {
    public:
        struct token {
            std::size_t index;
        };

        explicit protocol(std::size_t capacity) noexcept : capacity_(capacity) {}

        template <class Slots>
        std::optional<token> try_claim_write(Slots& slots) noexcept {
            return take<Slots, writable>(slots, detail::thread_cursor<detail::write_cursor>());
        }

        template <class Slots>
        void publish_write(Slots& slots, token t) noexcept {
            // [W2] seq_cst: release part pairs with [R1]; closes the Dekker pair with a reader's [E1]/[S1].
            slots.control(t.index).fetch_xor(busy_bit<Slots>(t.index) | full_bit<Slots>(t.index),
                                             std::memory_order_seq_cst);
        }

        template <class Slots>
        std::optional<token> try_claim_read(Slots& slots) noexcept {
            return take<Slots, readable>(slots, detail::thread_cursor<detail::read_cursor>());
        }

        template <class Slots>
        bool publish_read(Slots& slots, token t) noexcept {
            const std::uint32_t flip = busy_bit<Slots>(t.index) | full_bit<Slots>(t.index);
            // [R2] seq_cst: release part pairs with [W1]; closes the Dekker pair with a writer's [E1]/[S1].
            const std::uint32_t old = slots.control(t.index).fetch_xor(flip, std::memory_order_seq_cst);
            return (old ^ flip) == 0;  // this word's slots are all free: the pool may be drained
        }

        /// A claimed write slot goes back to empty, unused (a dropped write handle).
        template <class Slots>
        bool abandon_write(Slots& slots, token t) noexcept {
            const std::uint32_t flip = busy_bit<Slots>(t.index);
            // [A1] seq_cst: release part pairs with [W1]; closes the Dekker pair with a writer's [E1]/[S1].
            const std::uint32_t old = slots.control(t.index).fetch_xor(flip, std::memory_order_seq_cst);
            return (old ^ flip) == 0;
        }

        /// Slots in state `full`, counted word by word: exact on an idle pool.
        template <class Slots>
        std::size_t was_size(const Slots& slots) const noexcept {
            std::size_t n = 0;
            for (std::size_t i = 0; i < capacity_; i += Slots::slots_per_control) {
                // relaxed: a statistic, no edge; on an idle pool the caller's own
                // synchronisation (a join) orders it after every publish.
                const std::uint32_t w = slots.control(i).load(std::memory_order_relaxed);
                n += static_cast<std::size_t>(std::popcount((w >> 16) & ~w & 0xFFFFu));
            }
            return n;
        }

        /// Every word all-free.  Each load [S1] is seq_cst: it is the re-check of
        /// wait_until_empty and closes the Dekker pair with [R2]/[A1] + [E3].
        template <class Slots>
        bool is_drained(const Slots& slots) const noexcept {
            for (std::size_t i = 0; i < capacity_; i += Slots::slots_per_control)
                if (slots.control(i).load(std::memory_order_seq_cst) != 0) return false;  // [S1]
            return true;
        }

    private:
        // Lanes of a word in the state a claim needs (bit j: slot j of the word).
        static constexpr std::uint32_t writable(std::uint32_t w) noexcept { return ~(w | (w >> 16)) & 0xFFFFu; }
        static constexpr std::uint32_t readable(std::uint32_t w) noexcept { return (w >> 16) & ~w & 0xFFFFu; }

        template <class Slots>
        static constexpr std::uint32_t busy_bit(std::size_t i) noexcept {
            return std::uint32_t{1} << (i % Slots::slots_per_control);
        }
        template <class Slots>
        static constexpr std::uint32_t full_bit(std::size_t i) noexcept {
            return std::uint32_t{1} << (16 + i % Slots::slots_per_control);
        }

        // One pass over every word from the thread's cursor: claim a lane for
        // which `Ready` holds by setting its busy bit, or report that none was
        // seen.  Lock-free: a CAS fails only because another thread changed
        // the word, which means it made progress.
        template <class Slots, std::uint32_t (*Ready)(std::uint32_t) noexcept>
        std::optional<token> take(Slots& slots, std::size_t& cursor) noexcept {
            constexpr std::size_t k = Slots::slots_per_control;
            static_assert(k <= max_slots_per_control, "cas_scan: at most 16 slots per control word");
            const std::size_t groups = capacity_ / k + (capacity_ % k != 0);
            const std::size_t last = groups - 1;
            const std::uint32_t last_lanes = (std::uint32_t{1} << (capacity_ - last * k)) - 1;  // lanes that exist
            std::size_t g = cursor < groups ? cursor : cursor % groups;
            for (std::size_t n = 0; n < groups; ++n) {
                auto& word = slots.control(g * k);
                const std::uint32_t lanes = g == last ? last_lanes : (std::uint32_t{1} << k) - 1;
                std::uint32_t w = word.load(std::memory_order_seq_cst);  // [S1] seq_cst: see the preamble
                for (std::uint32_t ready; (ready = Ready(w) & lanes) != 0;) {
                    const std::uint32_t lane = static_cast<std::uint32_t>(std::countr_zero(ready));
                    // [W1]/[R1] acquire: pairs with [R2]/[A1] resp. [W2].  relaxed on
                    // failure: `w` is re-read, and by read-read coherence it is no
                    // older than the seq_cst load [S1] above.
                    if (word.compare_exchange_weak(w, w | (std::uint32_t{1} << lane), std::memory_order_acquire,
                                                   std::memory_order_relaxed)) {
                        cursor = g;  // stay on this line: its other lanes are likely next
                        return token{g * k + lane};
                    }
                }
                if (++g == groups) g = 0;
            }
            return std::nullopt;
        }

        const std::size_t capacity_;
    };
};

}  // namespace msgpool::claim
