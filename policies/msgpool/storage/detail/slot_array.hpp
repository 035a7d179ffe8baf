// msgpool/storage/detail/slot_array.hpp - capacity slots in groups of [control word |
// PerControl elements], laid out with a chosen stride: the one allocation that
// every storage policy shares.  A storage policy differs only in the minimum
// alignment (and hence stride) of a group and in how many elements one control
// word governs; see storage/inline_slots.hpp, storage/aligned_slots.hpp and
// storage/line_grouped_slots.hpp.
//
// Group g occupies [base + g*stride, base + (g+1)*stride):
//   control word at offset 0 (absent, zero bytes, when the control type is empty),
//   element j of the group at `element_offset + j*element_stride` (the control
//   size rounded up to the element's alignment; the element size rounded up to
//   its alignment).
// Slot i is element i % PerControl of group i / PerControl; the last group may
// have lanes past capacity, which no slot index reaches.
// Elements are *not* constructed here: the frame constructs and destroys them.
//
// Where the groups live (the Placement parameter):
//   on_heap   the array allocates them with ::operator new and keeps a pointer;
//   in_place  the caller hands the memory in (a shared-memory segment, say) and
//             the array keeps only the distance from itself to it, so the array
//             object and its groups mean the same wherever a process maps them,
//             as long as both sit in the one mapping.  plan() says how many bytes
//             and what alignment that memory needs.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <msgpool/concepts/storage_policy.hpp>
#include <msgpool/detail/cache_line.hpp>
#include <msgpool/detail/element_layout.hpp>

namespace msgpool::detail {

template <class Control, std::size_t MinSlotAlign, std::size_t PerControl = 1, class Placement = msgpool::on_heap>
class slot_array {
    static_assert(std::is_nothrow_default_constructible_v<Control> && std::is_nothrow_destructible_v<Control>,
                  "a control word is constructed and destroyed by the storage and must not throw");
    static_assert((MinSlotAlign & (MinSlotAlign - 1)) == 0, "a slot alignment must be a power of two");
    static_assert(PerControl >= 1, "a control word governs at least one slot");

    static constexpr bool has_control = !std::is_empty_v<Control>;

    static constexpr bool placed = std::is_same_v<Placement, msgpool::in_place>;
    static_assert(std::is_same_v<Placement, msgpool::on_heap> || placed, "a slot array is placed on_heap or in_place");

public:
    static constexpr std::size_t slots_per_control = PerControl;

    /// The shape of an array of `capacity` slots of `element`: group stride,
    /// element offsets, alignment and total bytes.  Throws std::length_error
    /// when it cannot exist in this address space.
    struct shape {
        std::size_t groups = 0;
        std::size_t stride = 0;
        std::size_t element_offset = 0;
        std::size_t element_stride = 0;
        std::size_t align = 1;
        std::size_t bytes = 0;
    };
    static shape plan(std::size_t capacity, element_layout element) {
        if (capacity == 0) throw std::invalid_argument("msgpool: capacity must be at least 1, got 0");
        shape sh;
        sh.groups = capacity / PerControl + (capacity % PerControl != 0);
        const std::size_t control_bytes = has_control ? sizeof(Control) : 0;
        sh.align = std::max({has_control ? alignof(Control) : std::size_t{1}, element.align, MinSlotAlign});
        if (!round_up(control_bytes, element.align, sh.element_offset) ||
            !round_up(element.size, element.align, sh.element_stride) ||
            sh.element_stride > (static_cast<std::size_t>(-1) - sh.element_offset) / PerControl ||
            !round_up(sh.element_offset + sh.element_stride * PerControl, sh.align, sh.stride))
            throw std::length_error("msgpool: element of " + std::to_string(element.size) + " bytes is too large");
        if (sh.groups > (static_cast<std::size_t>(PTRDIFF_MAX) - sh.align) / sh.stride)
            throw std::length_error("msgpool: capacity " + std::to_string(capacity) + " is too large: " +
                                    std::to_string(sh.stride) + "-byte slots would overflow the address space");
        sh.bytes = sh.groups * sh.stride;
        return sh;
    }

    /// On the heap: allocates the groups.
    slot_array(std::size_t capacity, element_layout element)
        requires(!placed)
        : slot_array(capacity, plan(capacity, element)) {
        std::byte* base = static_cast<std::byte*>(::operator new(bytes_, std::align_val_t(align_), std::nothrow));
        if (base == nullptr)
            throw std::length_error("msgpool: capacity " + std::to_string(capacity) + " needs " +
                                    std::to_string(bytes_) + " bytes, which could not be allocated");
        where_ = base;
        construct_controls();
    }

    /// In place: the groups go to `memory`, which holds plan().bytes bytes
    /// aligned to plan().align and lies in the same mapping as this object.
    slot_array(std::size_t capacity, element_layout element, void* memory)
        requires placed
        : slot_array(capacity, plan(capacity, element)) {
        if (memory == nullptr || reinterpret_cast<std::uintptr_t>(memory) % align_ != 0)
            throw std::invalid_argument("msgpool: slot memory must be aligned to " + std::to_string(align_) +
                                        " bytes");
        where_ = reinterpret_cast<std::intptr_t>(memory) - reinterpret_cast<std::intptr_t>(this);
        construct_controls();
    }

    ~slot_array() {
        // A constructor that throws after the delegated one has run (the
        // allocation failed, the memory was misaligned) still runs this
        // destructor: no group was set up then.
        if (where_ == decltype(where_){}) return;
        if constexpr (has_control)
            for (std::size_t g = 0; g < groups_; ++g) std::destroy_at(&control(g * PerControl));
        if constexpr (!placed) ::operator delete(where_, std::align_val_t(align_));
    }

    slot_array(const slot_array&) = delete;
    slot_array& operator=(const slot_array&) = delete;

    std::size_t capacity() const noexcept { return capacity_; }

    /// The control word governing slot i (that of its group).
    Control& control(std::size_t i) noexcept {
        // Checked (debug) builds bound every slot index, shared memory included.
        assert(i < capacity_ && "msgpool: slot index out of range");
        if constexpr (has_control)
            return *std::launder(reinterpret_cast<Control*>(base() + i / PerControl * stride_));
        else
            return empty_control_;
    }
    const Control& control(std::size_t i) const noexcept { return const_cast<slot_array&>(*this).control(i); }

    void* element(std::size_t i) noexcept {
        assert(i < capacity_ && "msgpool: slot index out of range");
        return base() + i / PerControl * stride_ + element_offset_ + i % PerControl * element_stride_;
    }

    std::size_t footprint_bytes() const noexcept { return bytes_; }
    /// Bytes from one group (one control word and its elements) to the next.
    std::size_t stride() const noexcept { return stride_; }

private:
    slot_array(std::size_t capacity, const shape& sh) noexcept
        : capacity_(capacity),
          groups_(sh.groups),
          stride_(sh.stride),
          element_offset_(sh.element_offset),
          element_stride_(sh.element_stride),
          align_(sh.align),
          bytes_(sh.bytes) {}

    void construct_controls() noexcept {
        if constexpr (has_control)
            for (std::size_t g = 0; g < groups_; ++g) ::new (static_cast<void*>(base() + g * stride_)) Control();
    }

    std::byte* base() noexcept {
        if constexpr (placed)
            return reinterpret_cast<std::byte*>(reinterpret_cast<std::intptr_t>(this) + where_);
        else
            return where_;
    }

    // on_heap: the groups' address; in_place: their distance from this object.
    std::conditional_t<placed, std::intptr_t, std::byte*> where_{};
    std::size_t capacity_;
    std::size_t groups_;
    std::size_t stride_ = 0;
    std::size_t element_offset_ = 0;
    std::size_t element_stride_ = 0;
    std::size_t align_ = 1;
    std::size_t bytes_ = 0;
    [[no_unique_address]] Control empty_control_{};  // the one instance an empty control type needs
};

}  // namespace msgpool::detail
