// msgpool/storage/aligned_slots.hpp - each slot (control word and element) on
// cache lines of its own.
//
// When to use: when many threads work on neighbouring slots at once (small
// pools, ring policies such as claim::fetch_add_ring that hand out
// consecutive slots) and the writes of one thread must not invalidate the
// line another is reading: no two slots ever share a line (no false
// sharing).  It costs memory: an 8-byte message with cas_scan's 8-byte
// control word takes a whole 64-byte line instead of 16 bytes
// (storage::inline_slots), so fewer slots fit in the caches.
//
// Layout: slot i = [control | padding to the element's alignment | element |
// padding to a whole number of lines], slots back to back from a base aligned
// on a line: detail::slot_array with a minimum slot alignment of
// detail::cache_line_size, which makes the stride a multiple of the line.  A
// slot that fits in one line (control + element <= 64 bytes on x86-64) is
// exactly one line, so a thread that claims it touches no other line.
//
// Ordering contract: none of its own.  The storage only lays out memory; the
// claim policy's operations on the control words carry every edge.
#pragma once

#include <cassert>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include <msgpool/detail/cache_line.hpp>
#include <msgpool/detail/element_layout.hpp>
#include <msgpool/storage/detail/slot_array.hpp>

namespace msgpool::storage {

struct aligned_slots {
    /// The name a shared-memory segment records (basic_shared_pool checks it).
    static constexpr std::string_view name = "aligned_slots";

    /// Placement: on_heap, or in_place for memory the caller provides
    /// (concepts/storage_policy.hpp).
    template <class Control, class Placement = on_heap>
    class slots : public detail::slot_array<Control, detail::cache_line_size, 1, Placement> {
        using base_type = detail::slot_array<Control, detail::cache_line_size, 1, Placement>;

        static_assert((detail::cache_line_size & (detail::cache_line_size - 1)) == 0,
                      "aligned_slots: the cache-line size must be a power of two, or aligning slots on it (an "
                      "alignment request) is impossible");
        // A control word wider than a line (the instrumented atomics of the
        // deterministic tests) still works: the slot just spans more lines.

    public:
        /// (capacity, element layout), and for in_place the memory.
        template <class... Memory>
            requires std::constructible_from<base_type, std::size_t, detail::element_layout, Memory...>
        slots(std::size_t capacity, detail::element_layout element, Memory... memory)
            : base_type(capacity, element, memory...) {
            // The layout claims no type can check (the stride and base are
            // known only at run time, from the element layout):
            assert(this->stride() % detail::cache_line_size == 0 && "aligned_slots: a slot must be whole lines");
            assert(reinterpret_cast<std::uintptr_t>(line_base()) % detail::cache_line_size == 0 &&
                   "aligned_slots: slot 0 must start on a line");
        }

    private:
        // Where slot 0 begins: its control word, or (for an empty control
        // type, which takes no bytes) its element, which is then at offset 0.
        const void* line_base() noexcept {
            if constexpr (std::is_empty_v<Control>)
                return this->element(0);
            else
                return &this->control(0);
        }
    };
};

}  // namespace msgpool::storage
