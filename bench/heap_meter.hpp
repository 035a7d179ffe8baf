// bench/heap_meter.hpp - counts the heap bytes a data structure allocates.
//
// The benchmark binary replaces the global operator new / delete
// (heap_meter.cpp): every block carries its requested size in a small header,
// and each thread keeps the balance of the bytes it allocated minus the bytes
// it freed.  A footprint is then "the calling thread's balance after building
// and filling the structure minus the balance before" (see footprint.hpp).
//
// Peers that do not allocate through operator new are counted through their
// own allocator hooks, which call allocate()/deallocate() below or note():
// moodycamel's Traits::malloc/free and oneTBB's allocator template argument.
#pragma once

#include <cstddef>
#include <cstdint>

namespace msgpool_bench::heap_meter {

/// Bytes allocated minus bytes freed by the calling thread so far.
std::int64_t thread_balance() noexcept;

/// Record `bytes` allocated (positive) or freed (negative) by the caller, for
/// allocations made outside operator new (an allocator that knows its sizes).
void note(std::int64_t bytes) noexcept;

/// malloc / free with the size header, counted; for Traits-style hooks.
void* allocate(std::size_t bytes) noexcept;
void deallocate(void* p) noexcept;

}  // namespace msgpool_bench::heap_meter
