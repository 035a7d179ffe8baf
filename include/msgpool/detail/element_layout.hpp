// msgpool/detail/element_layout.hpp - the size and alignment of one element,
// known at run time, so that one storage template serves a compile-time `T`
// and the C API's runtime element size alike.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace msgpool::detail {

struct element_layout {
    std::size_t size;   ///< bytes of one element (> 0)
    std::size_t align;  ///< a power of two

    template <class T>
    static constexpr element_layout of() noexcept { return {sizeof(T), alignof(T)}; }

    /// The layout of an untyped element of `size` bytes: naturally aligned for
    /// its size (8-byte elements on 8 bytes), never more than max_align_t.
    static element_layout bytes(std::size_t size) {
        if (size == 0) throw std::invalid_argument("msgpool: element size must be at least 1 byte, got 0");
        std::size_t align = size & (~size + 1);  // lowest set bit: the natural alignment of the size
        if (align > alignof(std::max_align_t)) align = alignof(std::max_align_t);
        return {size, align};
    }
};

}  // namespace msgpool::detail
