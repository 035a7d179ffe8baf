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
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <msgpool/detail/cache_line.hpp>
#include <msgpool/detail/element_layout.hpp>

namespace msgpool::detail {

template <class Control, std::size_t MinSlotAlign, std::size_t PerControl = 1>
class slot_array {
    static_assert(std::is_nothrow_default_constructible_v<Control> && std::is_nothrow_destructible_v<Control>,
                  "a control word is constructed and destroyed by the storage and must not throw");
    static_assert((MinSlotAlign & (MinSlotAlign - 1)) == 0, "a slot alignment must be a power of two");
    static_assert(PerControl >= 1, "a control word governs at least one slot");

    static constexpr bool has_control = !std::is_empty_v<Control>;

public:
    static constexpr std::size_t slots_per_control = PerControl;

    slot_array(std::size_t capacity, element_layout element)
        : capacity_(capacity), groups_(capacity / PerControl + (capacity % PerControl != 0)) {
        if (capacity == 0) throw std::invalid_argument("msgpool: capacity must be at least 1, got 0");
        const std::size_t control_bytes = has_control ? sizeof(Control) : 0;
        align_ = std::max({has_control ? alignof(Control) : std::size_t{1}, element.align, MinSlotAlign});
        std::size_t raw = 0;
        if (!round_up(control_bytes, element.align, element_offset_) ||
            !round_up(element.size, element.align, element_stride_) ||
            element_stride_ > (static_cast<std::size_t>(-1) - element_offset_) / PerControl ||
            !round_up(element_offset_ + element_stride_ * PerControl, align_, stride_))
            throw std::length_error("msgpool: element of " + std::to_string(element.size) + " bytes is too large");
        if (groups_ > (static_cast<std::size_t>(PTRDIFF_MAX) - align_) / stride_)
            throw std::length_error("msgpool: capacity " + std::to_string(capacity) + " is too large: " +
                                    std::to_string(stride_) + "-byte slots would overflow the address space");
        raw = groups_ * stride_;
        base_ = static_cast<std::byte*>(::operator new(raw, std::align_val_t(align_), std::nothrow));
        if (base_ == nullptr)
            throw std::length_error("msgpool: capacity " + std::to_string(capacity) + " needs " + std::to_string(raw) +
                                    " bytes, which could not be allocated");
        bytes_ = raw;
        if constexpr (has_control)
            for (std::size_t g = 0; g < groups_; ++g) ::new (static_cast<void*>(base_ + g * stride_)) Control();
    }

    ~slot_array() {
        if constexpr (has_control)
            for (std::size_t g = 0; g < groups_; ++g) std::destroy_at(&control(g * PerControl));
        ::operator delete(base_, std::align_val_t(align_));
    }

    slot_array(const slot_array&) = delete;
    slot_array& operator=(const slot_array&) = delete;

    std::size_t capacity() const noexcept { return capacity_; }

    /// The control word governing slot i (that of its group).
    Control& control(std::size_t i) noexcept {
        if constexpr (has_control)
            return *std::launder(reinterpret_cast<Control*>(base_ + i / PerControl * stride_));
        else
            return empty_control_;
    }
    const Control& control(std::size_t i) const noexcept { return const_cast<slot_array&>(*this).control(i); }

    void* element(std::size_t i) noexcept {
        return base_ + i / PerControl * stride_ + element_offset_ + i % PerControl * element_stride_;
    }

    std::size_t footprint_bytes() const noexcept { return bytes_; }
    /// Bytes from one group (one control word and its elements) to the next.
    std::size_t stride() const noexcept { return stride_; }

private:
    std::byte* base_ = nullptr;
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
