// bench/lab/line_aligned_inline.hpp - inline slots (packed, the same stride as
// storage::inline_slots) in an allocation that starts on a cache line and
// fills whole lines, so no line of the array is shared with other heap data
// and every line holds the same slots (64 / stride of them, from a multiple
// of that on).  storage::inline_slots asks ::operator new for the element's
// and control word's alignment only, so its array may start anywhere on a
// line: its first and last lines may then hold another allocation's bytes,
// and a line's slots are not those a fixed count divides.
//
// A lab storage for bench/lab/tiny_default.hpp (on the heap only): it places
// the product's slot array (storage/detail/slot_array.hpp, in_place) in memory
// it allocates itself, so the layout inside the array is inline_slots' own.
#pragma once

#include <cstddef>
#include <new>
#include <string_view>

#include <msgpool/concepts/storage_policy.hpp>
#include <msgpool/detail/cache_line.hpp>
#include <msgpool/detail/element_layout.hpp>
#include <msgpool/storage/detail/slot_array.hpp>

namespace tiny {

template <class Control>
class line_memory {
protected:
    using array = msgpool::detail::slot_array<Control, 1, 1, msgpool::in_place>;
    static constexpr std::size_t line = msgpool::detail::cache_line_size;

    line_memory(std::size_t capacity, msgpool::detail::element_layout element)
        : bytes_((array::plan(capacity, element).bytes + line - 1) / line * line),
          memory_(::operator new(bytes_, std::align_val_t(line))) {}
    ~line_memory() { ::operator delete(memory_, std::align_val_t(line)); }
    line_memory(const line_memory&) = delete;
    line_memory& operator=(const line_memory&) = delete;

    std::size_t bytes_;
    void* memory_;
};

struct line_aligned_inline {
    static constexpr std::string_view name = "line_aligned_inline";

    template <class Control, class Placement = msgpool::on_heap>
    class slots : private line_memory<Control>, public line_memory<Control>::array {
        static_assert(std::is_same_v<Placement, msgpool::on_heap>, "the lab's line-aligned slots live on the heap");
        using memory = line_memory<Control>;
        using array = typename memory::array;

    public:
        slots(std::size_t capacity, msgpool::detail::element_layout element)
            : memory(capacity, element), array(capacity, element, this->memory_) {}
        std::size_t footprint_bytes() const noexcept { return this->bytes_; }
    };
};

}  // namespace tiny
