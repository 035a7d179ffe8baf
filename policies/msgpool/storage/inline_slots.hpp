// msgpool/storage/inline_slots.hpp - slots packed densely, each control word
// right beside its element.
//
// When to use: the default; the least memory (16 bytes per slot for an 8-byte
// message with cas_scan's 8-byte control word) and the most slots per cache
// line, which suits pools whose threads mostly touch different regions of the
// array.  Neighbouring slots share cache lines, so threads working on adjacent
// slots contend on the line (false sharing); storage::aligned_slots trades
// memory for that.
//
// Layout: slot i = [control | padding to the element's alignment | element |
// padding to the slot's alignment], slots back to back.  The claim policy's
// control word and the element are on the same line whenever the slot fits in
// one, so a thread that claims a slot already holds the line it writes.
//
// Ordering contract: none of its own.  The storage only lays out memory; the
// claim policy's operations on the control words carry every edge.
#pragma once

#include <cstddef>
#include <string_view>

#include <msgpool/storage/detail/slot_array.hpp>

namespace msgpool::storage {

struct inline_slots {
    /// The name a shared-memory segment records (basic_shared_pool checks it).
    static constexpr std::string_view name = "inline_slots";

    /// Placement: on_heap, or in_place for memory the caller provides
    /// (concepts/storage_policy.hpp).
    template <class Control, class Placement = on_heap>
    using slots = detail::slot_array<Control, 1, 1, Placement>;  // no alignment beyond what control and element need
};

}  // namespace msgpool::storage
