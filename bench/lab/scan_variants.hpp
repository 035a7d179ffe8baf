// bench/lab/scan_variants.hpp - a copy of claim::cas_scan's protocol with two
// of its choices made switches, for the fast-path ablation
// (bench/lab/fast_path_ablation.hpp).  The product's cas_scan has no such
// switches; this copy exists so that an ablation can take one choice away
// without a hook in the shipped header.  It follows
// policies/msgpool/claim/cas_scan.hpp (its tags, [CS-..], and its ordering
// argument hold here unchanged); keep the two in step when cas_scan changes.
//
//   Patient   near attempts on line-grouped storage leave alone lines the
//             other side is still working in (cas_scan: yes)
//   CasFirst  on one-slot groups the first slot of a pass is claimed with its
//             CAS at once, without a snapshot (cas_scan: yes)
//   Spread    on one-slot groups a pass visits the slots `step` apart instead
//             of one apart: step is the least whole number >= the slots that
//             share a cache line that is prime to the capacity (1 where that
//             is more than capacity minus those slots), so a pass still visits
//             every slot once, and consecutive slots of the order sit on
//             different lines (cas_scan: no, step 1)
#pragma once

#include <atomic>
#include <bit>
#include <numeric>
#include <cstddef>
#include <cstdint>
#include <optional>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/detail/slip.hpp>
#include <msgpool/claim/detail/thread_cursor.hpp>
#include <msgpool/concepts/attempt.hpp>

namespace msgpool_lab {

template <bool Patient, bool CasFirst, bool Spread = false>
struct scan_variant {
    static constexpr std::size_t max_slots_per_control = msgpool::claim::cas_scan::max_slots_per_control;
    static constexpr bool linearizable_try = msgpool::claim::cas_scan::linearizable_try;
    static constexpr bool held_slots_block_nobody = msgpool::claim::cas_scan::held_slots_block_nobody;
    static constexpr std::uint8_t empty = msgpool::claim::cas_scan::empty;
    static constexpr std::uint8_t full = msgpool::claim::cas_scan::full;

    template <class Sync>
    using control = msgpool::claim::cas_scan::control<Sync>;

    template <class Sync>
    class protocol {
    public:
        struct token {
            std::size_t index;
        };

        explicit protocol(std::size_t capacity) noexcept
            : capacity_(capacity), slip_(msgpool::detail::slip_for(capacity)) {}

        template <class Slots>
        std::optional<token> try_claim_write(Slots& slots) noexcept {
            return take<empty, false>(slots, msgpool::detail::thread_cursor<msgpool::detail::write_cursor>());
        }
        template <class Slots>
        std::optional<token> try_claim_write_near(Slots& slots, msgpool::attempt kind) noexcept {
            return near<empty>(slots, msgpool::detail::thread_cursor<msgpool::detail::write_cursor>(), kind);
        }
        template <class Slots>
        void publish_write(Slots& slots, token t) noexcept {
            state_of(slots, t.index).store(full, std::memory_order_release);  // [CS-W2]
        }
        template <class Slots>
        std::optional<token> try_claim_read(Slots& slots) noexcept {
            return take<full, false>(slots, msgpool::detail::thread_cursor<msgpool::detail::read_cursor>());
        }
        template <class Slots>
        std::optional<token> try_claim_read_near(Slots& slots, msgpool::attempt kind) noexcept {
            return near<full>(slots, msgpool::detail::thread_cursor<msgpool::detail::read_cursor>(), kind);
        }
        template <class Slots>
        bool publish_read(Slots& slots, token t) noexcept {
            state_of(slots, t.index).store(empty, std::memory_order_release);  // [CS-R2]
            return true;
        }
        template <class Slots>
        bool abandon_write(Slots& slots, token t) noexcept {
            state_of(slots, t.index).store(empty, std::memory_order_release);  // [CS-A1]
            return true;
        }
        template <class Slots>
        std::size_t was_size(const Slots& slots) const noexcept {
            std::size_t n = 0;
            for (std::size_t i = 0; i < capacity_; ++i) n += state_of(slots, i).load(std::memory_order_relaxed) == full;
            return n;
        }
        template <class Slots>
        bool is_drained(const Slots& slots) const noexcept {
            for (std::size_t i = 0; i < capacity_; ++i)
                if (state_of(slots, i).load(std::memory_order_acquire) != empty) return false;  // [CS-D1]
            return true;
        }

    private:
        static constexpr std::size_t near_slots = 16;

        template <class Slots>
        static auto& state_of(Slots& slots, std::size_t i) noexcept {
            return slots.control(i).lane[i % Slots::slots_per_control];
        }

        template <std::uint8_t From, class Slots>
        std::optional<token> near(Slots& slots, std::size_t& cursor, msgpool::attempt kind) noexcept {
            constexpr std::size_t k = Slots::slots_per_control;
            if constexpr (k > 1) {
                constexpr std::size_t groups = (near_slots + k - 1) / k;
                if (kind != msgpool::attempt::last_near) return take<From, Patient>(slots, cursor, groups);
            } else {
                if (slip_ != 0 && msgpool::detail::slips(kind) && !ahead_ready<From>(slots, cursor)) return std::nullopt;
            }
            return take<From, false>(slots, cursor);
        }

        template <std::uint8_t From, class Slots>
        bool ahead_ready(Slots& slots, std::size_t cursor) noexcept {
            std::size_t a = (cursor < capacity_ ? cursor : cursor % capacity_) + slip_;
            if (a >= capacity_) a -= capacity_;
            if constexpr (Spread) a = ((cursor % capacity_) + slip_ * step_of(slots)) % capacity_;
            return slots.control(a).lane[0].load(std::memory_order_relaxed) == From;  // [CS-L2]
        }

        template <std::uint8_t From, bool Patience, class Slots>
        std::optional<token> take(Slots& slots, std::size_t& cursor,
                                  std::size_t max_groups = static_cast<std::size_t>(-1)) noexcept {
            constexpr std::size_t k = Slots::slots_per_control;
            const std::size_t groups = capacity_ / k + (capacity_ % k != 0);
            const std::size_t last_lanes = capacity_ - (groups - 1) * k;
            std::size_t g = cursor < groups ? cursor : cursor % groups;
            const std::size_t passes = groups < max_groups ? groups : max_groups;
            const std::size_t s = k == 1 && Spread ? step_of(slots) : 1;
            for (std::size_t n = 0; n < passes; ++n) {
                auto& word = slots.control(g * k);
                if constexpr (k == 1 && CasFirst) {
                    if (n == 0) {
                        if (claim_lane<From>(word, 0)) {
                            cursor = next(g, s, groups);
                            return token{g};
                        }
                        g = next(g, s, groups);
                        continue;
                    }
                }
                if constexpr (k == 1 && Spread) {
                    const std::uint64_t seen1 = word.snapshot();  // [CS-L1]
                    if (word.matching_in(seen1, From, 1) != 0 && claim_lane<From>(word, 0)) {
                        cursor = next(g, s, groups);
                        return token{g};
                    }
                    g = next(g, s, groups);
                    continue;
                }
                const std::size_t lanes = g == groups - 1 ? last_lanes : k;
                const std::uint64_t seen = word.snapshot();  // [CS-L1]
                if constexpr (Patience) {
                    constexpr bool message_side = (From & 2u) != 0;
                    const std::uint32_t all = (std::uint32_t{1} << lanes) - 1;
                    if (n != 0 && word.bit_in(seen, 1, lanes) != (message_side ? all : 0u)) {
                        if (++g == groups) g = 0;
                        continue;
                    }
                }
                for (std::uint32_t c = word.matching_in(seen, From, lanes); c != 0; c &= c - 1) {
                    const std::size_t j = static_cast<std::size_t>(std::countr_zero(c));
                    if (claim_lane<From>(word, j)) {
                        cursor = k == 1 ? g + 1 : g;
                        return token{g * k + j};
                    }
                }
                if (++g == groups) g = 0;
            }
            return std::nullopt;
        }

        static std::size_t next(std::size_t g, std::size_t s, std::size_t groups) noexcept {
            g += s;
            return g >= groups ? g - groups : g;
        }

        // The spread step (see Spread above), from the storage's slot stride,
        // worked out once.
        template <class Slots>
        std::size_t step_of(Slots& slots) noexcept {
            std::size_t s = step_.load(std::memory_order_relaxed);  // relaxed: every thread computes the same value
            if (s != 0) return s;
            s = 1;
            if (capacity_ > 1) {
                const auto stride = static_cast<std::size_t>(static_cast<const char*>(slots.element(1)) -
                                                             static_cast<const char*>(slots.element(0)));
                const std::size_t per_line = stride < 64 ? 64 / stride : 1;
                std::size_t c = per_line;
                while (c < capacity_ && std::gcd(c, capacity_) != 1) ++c;
                s = per_line > 1 && c + per_line <= capacity_ ? c : 1;
            }
            step_.store(s, std::memory_order_relaxed);  // relaxed: as above
            return s;
        }

        template <std::uint8_t From, class Word>
        static bool claim_lane(Word& word, std::size_t j) noexcept {
            std::uint8_t expected = From;
            // [CS-W1]/[CS-R1] acquire; relaxed on failure, as in cas_scan.
            return word.lane[j].compare_exchange_strong(expected, static_cast<std::uint8_t>(From + 1),
                                                        std::memory_order_acquire, std::memory_order_relaxed);
        }

        const std::size_t capacity_;
        const std::size_t slip_;
        std::atomic<std::size_t> step_{0};
    };
};

}  // namespace msgpool_lab
