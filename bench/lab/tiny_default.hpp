// bench/lab/tiny_default.hpp - the default composition (cas_scan + condvar +
// inline_slots) at small capacities: which cache line two threads share when
// one-slot groups are packed several to a line, and whether a scheduled
// attempt that leaves such a line alone moves more messages.  Build and run:
//
//     cmake --build --preset release --target msgpool-bench-tiny-default
//     build/release/bench/msgpool-bench-tiny-default -s 'tiny::*,moodycamel::ConcurrentQueue'
//         --shapes 4x4 --capacities 16,64,1024 -r 11 --messages 1000000   (one command line)
//
// Each row is a composition compiled here, so every ratio compares code built
// the same way.  The product's compositions:
//   tiny::pool           cas_scan + condvar + inline_slots (the default)
//   tiny::futex          cas_scan + futex + inline_slots (futex_pool)
//   tiny::counted        cas_scan + futex_counted + inline_slots
//   tiny::cv aligned     cas_scan + condvar + aligned_slots
//   tiny::fcal           cas_scan + futex_counted + aligned_slots
// and the default with the lab's copy of cas_scan for one-slot groups
// (`line_scan` below; condvar + inline_slots), one rule at a time:
//   tiny::pool copy      the copy with no rule: as the product (checks the copy)
//   tiny::pool busy      a patient attempt (attempt::first and attempt::near)
//                        leaves alone a slot whose cache line holds another slot
//                        in the other side's busy state (a writer: a slot being
//                        read; a reader: a slot being written): that thread is
//                        working on the line, and a CAS there takes the line
//                        from it.  The first slot of the pass too: its line's
//                        states are loaded before its CAS.
//   tiny::pool busy_rest the same, but the first slot of a pass is claimed with
//                        its CAS at once, as in the product; the rule holds for
//                        the rest of the pass.
//   tiny::pool done      a patient attempt takes a slot only from a line the
//                        other side is done with: every slot of the line in this
//                        side's states (a reader: full or reading; a writer:
//                        empty or writing), line-grouped storage's patience
//                        with the line as the group.  The first slot too.
//   tiny::pool done_rest the same from the second slot of the pass on.
//   tiny::pool line_slip a slipping attempt (attempt::near) claims only once the
//                        slot a slip ahead *and the rest of its cache line* are
//                        in the needed state: the other side has left the line
//                        where this thread will claim a slip from now.
// and the product's claim and wait, or a rule, on the lab's inline slots that
// start on a cache line and fill whole lines (line_aligned_inline.hpp):
//   tiny::pool lined     cas_scan + condvar + line_aligned_inline
//   tiny::futex lined    cas_scan + futex + line_aligned_inline
//   tiny::pool lined busy_rest, tiny::pool lined done   the rule on them
//   tiny::pool busy_first  busy for the first slot of a pass only (its line's
//                        states loaded before its CAS); the rest of the pass as
//                        the product
//   tiny::pool busy_small  busy only while the slots take at most 8 cache lines
//                        (capacity 32 of 8-byte messages on inline slots)
//   tiny::pool busy_near  busy_small for attempt::near only: a call's first attempt
//                        CASes at once, as in the product
//   tiny::pool slip2     the slip twice as far (half the capacity, at most 512
//                        slots): a slipping attempt waits until the other side
//                        is two lines' worth of slots further ahead.
//   tiny::pool ahead     a call's scheduled attempts before the last
//                        (attempt::first, attempt::near) look only at the
//                        cursor's slot and the slip's slots after it, as the
//                        ring looks from its position on; attempt::last_near
//                        and the later attempts make the full pass
//   tiny::pool look      the first slot of every pass is loaded before its
//                        CAS, as the others are (no CAS at once)
//   tiny::pool hold      the copy with the channel's own pause steps (7: 127
//                        pauses before the first yield) instead of the product's 4
//   tiny::pool ahead_hold  ahead with the channel's pause steps
//   tiny::pool cursor_hold  every scheduled attempt before the yields
//                        (attempt::first, near, last_near) looks at the cursor's
//                        slot alone, as the ring's near attempts look at their
//                        position alone, with the channel's pause steps; the
//                        attempts after a yield make the full pass
//   tiny::pool lined copy   the copy on line_aligned_inline (beside the next two)
//   tiny::pool lined spread  scan position g is slot (g mod L) * (64 / stride) +
//                        g / L, L the lines the slots fill: consecutive
//                        positions on different lines (where the slots start
//                        on a line and fill whole lines; else no change)
//   tiny::pool lined spread_ahead  both
//   (docs/lab/2026-12-07-default-at-capacity-16-scan-order.md)
// and, to see whether the cell follows the number of cache lines the slots
// take (not a candidate: it changes what inline means), the slots two to a
// line (32-byte stride, half_line_slots below):
//   tiny::pool half      cas_scan + condvar + half_line_slots
//   tiny::counted half   cas_scan + futex_counted + half_line_slots
// attempt::last_near, the full attempts, the re-check before a sleep, the
// attempt after a wake and every try_ form take any slot under every rule, so
// no rule makes a thread sleep with a slot it could have taken (the contract
// of concepts/attempt.hpp: first and near may pass over slots, near may hold
// back).
//
// The lab's claim follows policies/msgpool/claim/cas_scan.hpp for one-slot
// groups (its tags [CS-..] and ordering argument hold unchanged, the rules
// only add relaxed loads that decide which CAS to try, like [CS-L1]); it
// names the product's 4 pause steps (max_pause_steps), so the product's
// condvar makes the same schedule for both, but under the hold rules, which
// leave the channel's own.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include <msgpool/basic_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/detail/slip.hpp>
#include <msgpool/claim/detail/thread_cursor.hpp>
#include <msgpool/concepts/attempt.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/detail/slot_array.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/wait/condvar.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/futex_counted.hpp>

#include "line_aligned_inline.hpp"

namespace tiny {

using msgpool::attempt;

enum class rule { copy, busy, busy_rest, done, done_rest, line_slip, slip2, busy_first, busy_small, busy_near, ahead, spread, spread_ahead, look, hold, ahead_hold, cursor_hold };

template <rule R>
struct line_scan {
    using base_policy = msgpool::claim::cas_scan;
    static constexpr std::size_t max_slots_per_control = 1;
    static constexpr bool linearizable_try = base_policy::linearizable_try;
    static constexpr bool held_slots_block_nobody = base_policy::held_slots_block_nobody;
    static constexpr std::uint8_t empty = base_policy::empty;
    static constexpr std::uint8_t writing = base_policy::writing;
    static constexpr std::uint8_t full = base_policy::full;
    static constexpr std::uint8_t reading = base_policy::reading;

    template <class Sync>
    using control = base_policy::control<Sync>;

    template <class Sync>
    class protocol {
    public:
        struct token {
            std::size_t index;
        };

        explicit protocol(std::size_t capacity) noexcept
            : capacity_(capacity),
              slip_(R == rule::slip2 ? 2 * msgpool::detail::slip_for(capacity) : msgpool::detail::slip_for(capacity)) {}

        template <class Slots>
        std::optional<token> try_claim_write(Slots& slots) noexcept {
            return take<empty>(slots, msgpool::detail::thread_cursor<msgpool::detail::write_cursor>(), false);
        }
        template <class Slots>
        std::optional<token> try_claim_write_near(Slots& slots, attempt kind) noexcept {
            return near<empty>(slots, msgpool::detail::thread_cursor<msgpool::detail::write_cursor>(), kind);
        }
        template <class Slots>
        unsigned max_pause_steps(const Slots&) const noexcept {
            // the product's full_pass_pause_steps on one-slot groups; the hold rules
            // keep the channel's own (7), as the ring does
            constexpr bool holds = R == rule::hold || R == rule::ahead_hold || R == rule::cursor_hold;
            return holds ? msgpool::no_pause_limit : 4;
        }
        template <class Slots>
        void publish_write(Slots& slots, token t) noexcept {
            lane(slots, t.index).store(full, std::memory_order_release);  // [CS-W2] release: pairs with [CS-R1]
        }
        template <class Slots>
        std::optional<token> try_claim_read(Slots& slots) noexcept {
            return take<full>(slots, msgpool::detail::thread_cursor<msgpool::detail::read_cursor>(), false);
        }
        template <class Slots>
        std::optional<token> try_claim_read_near(Slots& slots, attempt kind) noexcept {
            return near<full>(slots, msgpool::detail::thread_cursor<msgpool::detail::read_cursor>(), kind);
        }
        template <class Slots>
        bool publish_read(Slots& slots, token t) noexcept {
            lane(slots, t.index).store(empty, std::memory_order_release);  // [CS-R2] release: pairs with [CS-W1]
            return true;
        }
        template <class Slots>
        bool abandon_write(Slots& slots, token t) noexcept {
            lane(slots, t.index).store(empty, std::memory_order_release);  // [CS-A1] release: pairs with [CS-W1]
            return true;
        }
        template <class Slots>
        std::size_t was_size(const Slots& slots) const noexcept {
            std::size_t n = 0;
            // relaxed: a statistic, as in cas_scan.
            for (std::size_t i = 0; i < capacity_; ++i) n += lane(slots, i).load(std::memory_order_relaxed) == full;
            return n;
        }
        template <class Slots>
        bool is_drained(const Slots& slots) const noexcept {
            for (std::size_t i = 0; i < capacity_; ++i)
                if (lane(slots, i).load(std::memory_order_acquire) != empty) return false;  // [CS-D1]
            return true;
        }

    private:
        template <class Slots>
        static auto& lane(Slots& slots, std::size_t i) noexcept {
            static_assert(Slots::slots_per_control == 1, "the lab's line_scan is for one-slot groups");
            return slots.control(i).lane[0];
        }

        // The slot at scan position g: g itself, or under the spread rules
        // the slots taken line by line across the lines (position g on line
        // g mod L, L the lines the slots fill), so that consecutive
        // positions lie on different lines.  Identity unless the slots
        // start on a line, fill whole lines, and both L and the slots per
        // line are powers of two (so the map is a mask and two shifts, no
        // division on the claim's path).
        template <class Slots>
        std::size_t at(Slots& slots, std::size_t g) const noexcept {
            if constexpr (R != rule::spread && R != rule::spread_ahead) {
                return g;
            } else {
                int m = spread_map_.load(std::memory_order_relaxed);  // relaxed: every thread computes the same value
                if (m == unset) {
                    m = spread_map_for(slots);
                    spread_map_.store(m, std::memory_order_relaxed);  // relaxed: as above
                }
                if (m == identity) return g;
                const int line_shift = m >> 8, lane_shift = m & 0xff;
                return ((g & ((std::size_t{1} << line_shift) - 1)) << lane_shift) + (g >> line_shift);
            }
        }
        static constexpr int unset = -1, identity = -2;
        template <class Slots>
        int spread_map_for(Slots& slots) const noexcept {
            const std::size_t stride = slots.stride();
            if (stride >= 64 || 64 % stride != 0) return identity;
            const std::size_t per_line = 64 / stride;
            if (capacity_ % per_line != 0 || reinterpret_cast<std::uintptr_t>(&lane(slots, 0)) % 64 != 0) return identity;
            const std::size_t lines = capacity_ / per_line;
            if (!std::has_single_bit(per_line) || !std::has_single_bit(lines)) return identity;
            return std::countr_zero(lines) << 8 | std::countr_zero(per_line);
        }

        // The slots [first, last] that share slot i's cache line, by address
        // (the array need not start on a line).
        template <class Slots>
        void line_of(Slots& slots, std::size_t i, std::size_t& first, std::size_t& last) const noexcept {
            const std::size_t stride = slots.stride();
            if (stride >= 64) {
                first = last = i;
                return;
            }
            const auto a = reinterpret_cast<std::uintptr_t>(&lane(slots, i));
            const std::size_t before = (a % 64) / stride;            // slots of the line before i
            const std::size_t after = (63 - a % 64) / stride;        // slots of the line after i
            first = i >= before ? i - before : 0;
            last = i + after < capacity_ ? i + after : capacity_ - 1;
        }

        // Is slot i one a patient attempt may claim under rule R?
        template <std::uint8_t From, class Slots>
        bool line_allows(Slots& slots, std::size_t i) const noexcept {
            std::size_t first = 0, last = 0;
            line_of(slots, i, first, last);
            constexpr bool message_side = (From & 2u) != 0;
            for (std::size_t j = first; j <= last; ++j) {
                if (j == i) continue;
                // [CS-L1]-like, relaxed: a hint of which slot to try; the CAS carries the edge.
                const std::uint8_t s = lane(slots, j).load(std::memory_order_relaxed);
                if constexpr (R == rule::busy || R == rule::busy_rest || R == rule::busy_first || R == rule::busy_small ||
                              R == rule::busy_near) {
                    if (s == (message_side ? writing : reading)) return false;  // the other side works on the line
                } else {
                    if (((s & 2u) != 0) != message_side) return false;  // the other side is not done with it
                }
            }
            return true;
        }

        template <std::uint8_t From, class Slots>
        std::optional<token> near(Slots& slots, std::size_t& cursor, attempt kind) noexcept {
            if (slip_ != 0 && msgpool::detail::slips(kind) && !ahead_ready<From>(slots, cursor)) return std::nullopt;
            constexpr bool has_patience = R == rule::busy || R == rule::busy_rest || R == rule::done ||
                                         R == rule::done_rest || R == rule::busy_first || R == rule::busy_small ||
                                         R == rule::busy_near;
            bool patient = has_patience && (kind == attempt::first || kind == attempt::near);
            if constexpr (R == rule::busy_small) patient = patient && capacity_ * slots.stride() <= 8 * 64;
            if constexpr (R == rule::busy_near)
                patient = kind == attempt::near && capacity_ * slots.stride() <= 8 * 64;
            if constexpr (R == rule::ahead || R == rule::spread_ahead || R == rule::ahead_hold)
                if (kind != attempt::last_near) return take<From>(slots, cursor, false, slip_ + 1);
            if constexpr (R == rule::cursor_hold) return take<From>(slots, cursor, false, 1);
            return take<From>(slots, cursor, patient);
        }

        template <std::uint8_t From, class Slots>
        bool ahead_ready(Slots& slots, std::size_t cursor) const noexcept {
            std::size_t a = (cursor < capacity_ ? cursor : cursor % capacity_) + slip_;
            if (a >= capacity_) a -= capacity_;
            if (lane(slots, at(slots, a)).load(std::memory_order_relaxed) != From) return false;  // [CS-L2] a hint
            if constexpr (R == rule::line_slip) {
                std::size_t first = 0, last = 0;
                line_of(slots, a, first, last);
                for (std::size_t j = a + 1; j <= last; ++j)
                    if (lane(slots, j).load(std::memory_order_relaxed) != From) return false;  // [CS-L2] a hint
            }
            return true;
        }

        template <std::uint8_t From, class Slots>
        std::optional<token> take(Slots& slots, std::size_t& cursor, bool patient,
                                  std::size_t max_slots = static_cast<std::size_t>(-1)) noexcept {
            std::size_t g = cursor < capacity_ ? cursor : cursor % capacity_;
            const std::size_t passes = max_slots < capacity_ ? max_slots : capacity_;
            constexpr bool first_too =
                R == rule::busy || R == rule::done || R == rule::busy_first || R == rule::busy_small || R == rule::busy_near;
            constexpr bool first_only = R == rule::busy_first;
            for (std::size_t n = 0; n < passes; ++n) {
                auto& word = slots.control(at(slots, g));
                if (n == 0 && !(patient && first_too) && R != rule::look) {  // the cursor's slot: the CAS at once (cas_scan)
                    if (claim<From>(word)) {
                        cursor = g + 1;
                        return token{at(slots, g)};
                    }
                    if (++g == capacity_) g = 0;
                    continue;
                }
                const std::uint64_t seen = word.snapshot();  // [CS-L1]
                if (word.matching_in(seen, From, 1) != 0 && (!patient || (first_only && n != 0) || line_allows<From>(slots, g)) &&
                    claim<From>(word)) {
                    cursor = g + 1;
                    return token{at(slots, g)};
                }
                if (++g == capacity_) g = 0;
            }
            return std::nullopt;
        }

        template <std::uint8_t From, class Word>
        static bool claim(Word& word) noexcept {
            std::uint8_t expected = From;
            // [CS-W1]/[CS-R1] acquire: pairs with [CS-R2]/[CS-A1] resp. [CS-W2].  relaxed on failure: a hint, as [CS-L1].
            return word.lane[0].compare_exchange_strong(expected, static_cast<std::uint8_t>(From + 1),
                                                        std::memory_order_acquire, std::memory_order_relaxed);
        }

        const std::size_t capacity_;
        const std::size_t slip_;
        mutable std::atomic<int> spread_map_{unset};  // the spread rules' map, once known (at())
    };
};

/// The product's slot array with a 32-byte minimum slot alignment: an 8-byte
/// message and its control word take half a line (lab only).
struct half_line_slots {
    static constexpr std::string_view name = "half_line_slots";
    template <class Control, class Placement = msgpool::on_heap>
    using slots = msgpool::detail::slot_array<Control, 32, 1, Placement>;
};

namespace cl = msgpool::claim;
namespace st = msgpool::storage;
namespace wt = msgpool::wait;
using msgpool::basic_pool;

// clang-format off
template <class T> using pool       = basic_pool<T, cl::cas_scan, wt::condvar, st::inline_slots>;
template <class T> using futex      = basic_pool<T, cl::cas_scan, wt::futex, st::inline_slots>;
template <class T> using counted    = basic_pool<T, cl::cas_scan, wt::futex_counted, st::inline_slots>;
template <class T> using cv_aligned = basic_pool<T, cl::cas_scan, wt::condvar, st::aligned_slots>;
template <class T> using fcal       = basic_pool<T, cl::cas_scan, wt::futex_counted, st::aligned_slots>;
template <class T> using pool_copy      = basic_pool<T, line_scan<rule::copy>, wt::condvar, st::inline_slots>;
template <class T> using pool_busy      = basic_pool<T, line_scan<rule::busy>, wt::condvar, st::inline_slots>;
template <class T> using pool_busy_rest = basic_pool<T, line_scan<rule::busy_rest>, wt::condvar, st::inline_slots>;
template <class T> using pool_done      = basic_pool<T, line_scan<rule::done>, wt::condvar, st::inline_slots>;
template <class T> using pool_done_rest = basic_pool<T, line_scan<rule::done_rest>, wt::condvar, st::inline_slots>;
template <class T> using pool_line_slip = basic_pool<T, line_scan<rule::line_slip>, wt::condvar, st::inline_slots>;
template <class T> using pool_lined     = basic_pool<T, cl::cas_scan, wt::condvar, line_aligned_inline>;
template <class T> using pool_lined_busy_rest = basic_pool<T, line_scan<rule::busy_rest>, wt::condvar, line_aligned_inline>;
template <class T> using pool_lined_done = basic_pool<T, line_scan<rule::done>, wt::condvar, line_aligned_inline>;
template <class T> using pool_slip2     = basic_pool<T, line_scan<rule::slip2>, wt::condvar, st::inline_slots>;
template <class T> using pool_busy_first = basic_pool<T, line_scan<rule::busy_first>, wt::condvar, st::inline_slots>;
template <class T> using pool_busy_small = basic_pool<T, line_scan<rule::busy_small>, wt::condvar, st::inline_slots>;
template <class T> using pool_busy_near = basic_pool<T, line_scan<rule::busy_near>, wt::condvar, st::inline_slots>;
template <class T> using pool_ahead     = basic_pool<T, line_scan<rule::ahead>, wt::condvar, st::inline_slots>;
template <class T> using pool_spread    = basic_pool<T, line_scan<rule::spread>, wt::condvar, line_aligned_inline>;
template <class T> using pool_spread_ahead = basic_pool<T, line_scan<rule::spread_ahead>, wt::condvar, line_aligned_inline>;
template <class T> using pool_lined_copy = basic_pool<T, line_scan<rule::copy>, wt::condvar, line_aligned_inline>;
template <class T> using pool_look      = basic_pool<T, line_scan<rule::look>, wt::condvar, st::inline_slots>;
template <class T> using pool_hold      = basic_pool<T, line_scan<rule::hold>, wt::condvar, st::inline_slots>;
template <class T> using pool_ahead_hold = basic_pool<T, line_scan<rule::ahead_hold>, wt::condvar, st::inline_slots>;
template <class T> using pool_cursor_hold = basic_pool<T, line_scan<rule::cursor_hold>, wt::condvar, st::inline_slots>;
template <class T> using pool_half      = basic_pool<T, cl::cas_scan, wt::condvar, half_line_slots>;
template <class T> using counted_half   = basic_pool<T, cl::cas_scan, wt::futex_counted, half_line_slots>;
template <class T> using futex_lined    = basic_pool<T, cl::cas_scan, wt::futex, line_aligned_inline>;
// clang-format on

}  // namespace tiny

MSGPOOL_BENCH_USER_COMPOSITIONS(
    msgpool_bench::named_alias<tiny::pool, "tiny::pool">,
    msgpool_bench::named_alias<tiny::futex, "tiny::futex">,
    msgpool_bench::named_alias<tiny::counted, "tiny::counted">,
    msgpool_bench::named_alias<tiny::cv_aligned, "tiny::cv aligned">,
    msgpool_bench::named_alias<tiny::fcal, "tiny::fcal">,
    msgpool_bench::named_alias<tiny::pool_copy, "tiny::pool copy">,
    msgpool_bench::named_alias<tiny::pool_busy, "tiny::pool busy">,
    msgpool_bench::named_alias<tiny::pool_busy_rest, "tiny::pool busy_rest">,
    msgpool_bench::named_alias<tiny::pool_done, "tiny::pool done">,
    msgpool_bench::named_alias<tiny::pool_done_rest, "tiny::pool done_rest">,
    msgpool_bench::named_alias<tiny::pool_line_slip, "tiny::pool line_slip">,
    msgpool_bench::named_alias<tiny::pool_lined, "tiny::pool lined">,
    msgpool_bench::named_alias<tiny::pool_lined_busy_rest, "tiny::pool lined busy_rest">,
    msgpool_bench::named_alias<tiny::pool_lined_done, "tiny::pool lined done">,
    msgpool_bench::named_alias<tiny::futex_lined, "tiny::futex lined">,
    msgpool_bench::named_alias<tiny::pool_slip2, "tiny::pool slip2">,
    msgpool_bench::named_alias<tiny::pool_half, "tiny::pool half">,
    msgpool_bench::named_alias<tiny::counted_half, "tiny::counted half">,
    msgpool_bench::named_alias<tiny::pool_busy_first, "tiny::pool busy_first">,
    msgpool_bench::named_alias<tiny::pool_busy_small, "tiny::pool busy_small">,
    msgpool_bench::named_alias<tiny::pool_busy_near, "tiny::pool busy_near">,
    msgpool_bench::named_alias<tiny::pool_ahead, "tiny::pool ahead">,
    msgpool_bench::named_alias<tiny::pool_spread, "tiny::pool lined spread">,
    msgpool_bench::named_alias<tiny::pool_spread_ahead, "tiny::pool lined spread_ahead">,
    msgpool_bench::named_alias<tiny::pool_lined_copy, "tiny::pool lined copy">,
    msgpool_bench::named_alias<tiny::pool_look, "tiny::pool look">,
    msgpool_bench::named_alias<tiny::pool_hold, "tiny::pool hold">,
    msgpool_bench::named_alias<tiny::pool_ahead_hold, "tiny::pool ahead_hold">,
    msgpool_bench::named_alias<tiny::pool_cursor_hold, "tiny::pool cursor_hold">)
