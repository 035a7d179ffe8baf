// msgpool/claim/detail/state_lanes.hpp - up to eight one-byte slot states
// side by side in one 8-byte word, and which of them hold a given state.
//
// claim::cas_scan claims a slot with a one-byte CAS on its own lane, so a
// neighbour's change never fails it; but to *find* a candidate it wants all
// the lanes of a control word at once.  `snapshot()` reads them as one word
// (lane j in byte j): in one 8-byte load where the family's atomics are the
// standard ones on a little-endian machine, lane by lane otherwise (the
// deterministic scheduler's instrumented atomics).  `matching_in(word, state,
// lanes)` turns a snapshot into a bit mask (bit j: lane j holds `state`), and
// `bit_in(word, b, lanes)` gathers bit b of each lane.
//
// Ordering: the snapshot is relaxed and only a hint.  Whatever it says, the
// caller's CAS on the lane re-reads the state and carries every edge.  An
// 8-byte load that overlaps 1-byte atomic accesses is outside the C++
// object model (mixed-size access) but exact on the hardware: an aligned
// 8-byte load is single-copy atomic on x86-64 and AArch64, so it returns the
// eight lanes as they were at one instant, which is no weaker than eight
// relaxed loads; GCC and Clang emit a plain load for __atomic_load_n.
// Where that cannot be guaranteed (the instrumented atomics, big-endian
// targets), eight relaxed loads are used instead.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace msgpool::detail {

template <class Sync>
struct alignas(8) state_lanes {
    static constexpr std::size_t count = 8;
    using lane_type = typename Sync::template atomic<std::uint8_t>;

    lane_type lane[count];

    /// The lanes as one word, lane j in byte j.  [L1] relaxed: a hint.
    std::uint64_t snapshot() const noexcept {
        if constexpr (snapshot_in_one_load) {
            // One relaxed 8-byte load of all lanes (see the preamble).
            return __atomic_load_n(reinterpret_cast<const std::uint64_t*>(static_cast<const void*>(lane)),
                                   __ATOMIC_RELAXED);
        } else {
            std::uint64_t w = 0;
            for (std::size_t j = 0; j < count; ++j)
                w |= std::uint64_t{lane[j].load(std::memory_order_relaxed)} << (8 * j);  // [L1] relaxed: a hint
            return w;
        }
    }

    /// Bit j set: byte j (of the first `lanes`) of snapshot `w` equals `state`.
    static std::uint32_t matching_in(std::uint64_t w, std::uint8_t state, std::size_t lanes) noexcept {
        const std::uint64_t x = w ^ (0x0101010101010101ull * state);  // lanes holding `state` become 0
        // High bit of each byte set exactly where that byte of x is zero.
        const std::uint64_t zero = ~(((x & 0x7F7F7F7F7F7F7F7Full) + 0x7F7F7F7F7F7F7F7Full) | x | 0x7F7F7F7F7F7F7F7Full);
        // Gather bit 8j+7 into bit j.
        const std::uint32_t mask = static_cast<std::uint32_t>(((zero >> 7) * 0x0102040810204080ull) >> 56);
        return mask & ((std::uint32_t{1} << lanes) - 1);
    }

    /// Bit j set: bit `b` of byte j (of the first `lanes`) of snapshot `w` is set.
    static std::uint32_t bit_in(std::uint64_t w, unsigned b, std::size_t lanes) noexcept {
        const std::uint64_t bits = (w >> b) & 0x0101010101010101ull;
        return static_cast<std::uint32_t>((bits * 0x0102040810204080ull) >> 56) & ((std::uint32_t{1} << lanes) - 1);
    }

private:
    static constexpr bool snapshot_in_one_load =
        std::is_same_v<lane_type, std::atomic<std::uint8_t>> && std::endian::native == std::endian::little &&
        sizeof(lane_type) == 1 && std::atomic<std::uint64_t>::is_always_lock_free;
};

}  // namespace msgpool::detail
