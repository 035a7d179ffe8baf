// msgpool/storage/line_grouped_slots.hpp - one control word and the seven
// elements it governs on one cache line.
//
// When to use: with a claim policy that can govern several slots with one word
// (claim::cas_scan), when memory per message matters: a thread that claims a
// slot and fills it touches exactly one line for an 8-byte message, and the
// reader that takes it moves that one line back.  storage::inline_slots puts
// four 16-byte slots on a line, each with a control word of its own;
// storage::aligned_slots gives each slot a line of its own (a line moved per
// message, but 64 bytes per 8-byte message).  Here a line carries seven
// messages and their states at 64 bytes: 9.1 bytes per 8-byte message, one
// line transfer serves up to seven claims, and one snapshot of the control
// word names every candidate slot of the line.  The price: the seven slots of
// a line share it, so threads working in the same line pass it back and forth;
// each claims with a one-byte CAS on its own slot's state byte, which a
// neighbour's change does not fail (they share the line, not a CAS target).
// The per-thread cursors start threads at different lines.
//
// Layout: group g = [control word | padding to the element's alignment |
// elements 7g .. 7g+6 | padding to a whole number of lines], groups back to
// back from a base aligned on a line (detail::slot_array with
// slots_per_control = 7 and a minimum group alignment of a line).  With
// cas_scan's control word (eight state bytes, seven of them used) and 8-byte
// elements the group is exactly one line: 8 + 7 x 8 = 64 bytes.  Wider
// elements make a group span several lines (still one control word per seven
// elements); a capacity that is not a multiple of seven leaves unused lanes in
// the last group, which the claim policy never hands out.
//
// Ordering contract: none of its own.  The storage only lays out memory; the
// claim policy's operations on the control words carry every edge.
#pragma once

#include <cstddef>
#include <string_view>

#include <msgpool/detail/cache_line.hpp>
#include <msgpool/storage/detail/slot_array.hpp>

namespace msgpool::storage {

struct line_grouped_slots {
    /// The name a shared-memory segment records (basic_shared_pool checks it).
    static constexpr std::string_view name = "line_grouped_slots";

    /// Elements per control word: as many 8-byte elements as fit on a 64-byte
    /// line beside a control word of up to 8 bytes.
    static constexpr std::size_t slots_per_line = 7;

    /// Placement: on_heap, or in_place for memory the caller provides
    /// (concepts/storage_policy.hpp).
    template <class Control, class Placement = on_heap>
    class slots : public detail::slot_array<Control, detail::cache_line_size, slots_per_line, Placement> {
        // A control word wider than 8 bytes (an instrumented atomic in the
        // deterministic tests) still works: the group just spans more lines.
        using base_type = detail::slot_array<Control, detail::cache_line_size, slots_per_line, Placement>;

    public:
        using base_type::base_type;
    };
};

}  // namespace msgpool::storage
