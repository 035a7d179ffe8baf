// bench/peers/moodycamel_traits.hpp - moodycamel's default traits, with its
// malloc/free hooks routed through heap_meter so that its footprint is
// counted through its own allocator.  Everything else (block size, index
// sizes, semaphore spins) is the library default: we benchmark the queue as
// shipped.
#pragma once

#include <cstddef>

#include <concurrentqueue/concurrentqueue.h>

#include "../heap_meter.hpp"

namespace msgpool_bench {

struct moodycamel_counted_traits : moodycamel::ConcurrentQueueDefaultTraits {
    static void* malloc(std::size_t size) { return heap_meter::allocate(size); }
    static void free(void* ptr) { heap_meter::deallocate(ptr); }
};

}  // namespace msgpool_bench
