// bench/counting_allocator.hpp - wraps a library's own allocator so that the
// bytes it hands out are counted by heap_meter.
//
// For peers whose default allocator bypasses operator new (oneTBB's
// cache_aligned_allocator uses TBB's scalable allocator; Boost.Lockfree's
// default, boost::alignment::aligned_allocator, calls aligned_alloc): we keep
// the library's allocator, and hence its alignment and speed, and only add the
// count.  Rebinding keeps the wrapper.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "heap_meter.hpp"

namespace msgpool_bench {

template <class Inner>
struct counting_allocator : Inner {
    using value_type = typename std::allocator_traits<Inner>::value_type;
    template <class U>
    struct rebind {
        using other = counting_allocator<typename std::allocator_traits<Inner>::template rebind_alloc<U>>;
    };

    counting_allocator() = default;
    template <class Other>
    counting_allocator(const counting_allocator<Other>& other) noexcept : Inner(static_cast<const Other&>(other)) {}

    value_type* allocate(std::size_t n) {
        value_type* p = Inner::allocate(n);
        heap_meter::note(static_cast<std::int64_t>(n * sizeof(value_type)));
        return p;
    }
    void deallocate(value_type* p, std::size_t n) {
        heap_meter::note(-static_cast<std::int64_t>(n * sizeof(value_type)));
        Inner::deallocate(p, n);
    }

    template <class Other>
    bool operator==(const counting_allocator<Other>&) const noexcept {
        return true;  // both wrapped allocators are stateless
    }
};

}  // namespace msgpool_bench
