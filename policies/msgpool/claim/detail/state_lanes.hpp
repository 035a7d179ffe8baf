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
//
// `claim_lanes(seen, mask, from, busy)` moves the lanes of `mask`, which the
// snapshot `seen` shows in state `from`, to `busy` (claim::cas_scan's bulk
// claims):
// where the snapshot is one load, with one 8-byte CAS of the whole word from
// `seen`, which succeeds only if no lane of the word changed since the
// snapshot, so every lane of `mask` still held its state at the instant of
// the CAS and moves at that instant; elsewhere with one one-byte CAS per lane.
// Either way the result is the set of lanes it moved, each by a
// read-modify-write that read the state it expected, and no other lane's
// byte changes (the 8-byte CAS writes their bytes back as they were, which
// is no change: an RMW on a byte that another thread changed since would
// have failed).  The ordering arguments, tagged [CS-B1]/[CS-B2], are in
// claim/cas_scan.hpp.  The mixed-size CAS is outside the C++ object model
// like the snapshot and exact on the hardware for the same reason: an
// aligned 8-byte locked CMPXCHG (x86-64) or CASAL / LDAXR-STLXR (AArch64) is
// single-copy atomic over all eight bytes and ordered with the one-byte
// atomics on any of them.
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

    /// The lanes as one word, lane j in byte j.  [CS-L1] relaxed: a hint.
    std::uint64_t snapshot() const noexcept {
        if constexpr (snapshot_in_one_load) {
            // [CS-L1] relaxed 8-byte snapshot of all lanes (see the preamble).
            return __atomic_load_n(reinterpret_cast<const std::uint64_t*>(static_cast<const void*>(lane)),
                                   __ATOMIC_RELAXED);
        } else {
            std::uint64_t w = 0;
            for (std::size_t j = 0; j < count; ++j)
                w |= std::uint64_t{lane[j].load(std::memory_order_relaxed)} << (8 * j);  // [CS-L1] relaxed: a hint
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

    /// Moves each lane j of `mask` (lanes the snapshot `seen` shows in state
    /// `from`) to `busy`; returns the lanes moved (0 when none moved; `seen`
    /// then holds the word as found).  See the preamble.
    std::uint32_t claim_lanes(std::uint64_t& seen, std::uint32_t mask, std::uint8_t from, std::uint8_t busy) noexcept {
        if constexpr (snapshot_in_one_load) {
            (void)from;  // the snapshot says it, and the CAS compares the whole word
            const std::uint64_t bytes = spread(mask) * 0xFFu;  // 0xFF in each byte of `mask`
            const std::uint64_t desired = (seen & ~bytes) | ((0x0101010101010101ull * busy) & bytes);
            // [CS-B1] acquire: pairs with the release store (or recovery RMW) that left
            // each lane of `mask` in its state, as [CS-W1]/[CS-R1] do per lane.  relaxed
            // on failure: a lane of the word changed (another thread's step); `seen`
            // is the word as found, a hint as [CS-L1].
            if (!__atomic_compare_exchange_n(reinterpret_cast<std::uint64_t*>(static_cast<void*>(lane)), &seen,
                                             desired, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
                return 0;
            // [CS-B2] acquire: each reads `busy`, the value the CAS above wrote into its
            // lane, which continues the release sequence of the store it replaced, so it
            // synchronises with that store lane by lane (the per-byte edge, for models
            // and tools that track atomics byte by byte).
            for (std::uint32_t c = mask; c != 0; c &= c - 1)
                (void)lane[std::countr_zero(c)].load(std::memory_order_acquire);
            return mask;
        } else {
            std::uint32_t moved = 0;
            for (std::uint32_t c = mask; c != 0; c &= c - 1) {
                const auto j = static_cast<std::size_t>(std::countr_zero(c));
                std::uint8_t expected = from;
                // [CS-B1] lane by lane: acquire, pairs as [CS-W1]/[CS-R1].  relaxed on
                // failure: that lane changed (another thread's step).
                if (lane[j].compare_exchange_strong(expected, busy, std::memory_order_acquire,
                                                    std::memory_order_relaxed))
                    moved |= std::uint32_t{1} << j;
            }
            if (moved == 0) seen = snapshot();  // [CS-L1] relaxed: a hint for the caller's next try
            return moved;
        }
    }

private:
    /// Bit j of `mask` to bit 8j (the low bit of byte j).
    static std::uint64_t spread(std::uint32_t mask) noexcept {
        std::uint64_t w = 0;
        for (std::uint32_t c = mask; c != 0; c &= c - 1) w |= std::uint64_t{1} << (8 * std::countr_zero(c));
        return w;
    }

    static constexpr bool snapshot_in_one_load =
        std::is_same_v<lane_type, std::atomic<std::uint8_t>> && std::endian::native == std::endian::little &&
        sizeof(lane_type) == 1 && std::atomic<std::uint64_t>::is_always_lock_free;
};

}  // namespace msgpool::detail
