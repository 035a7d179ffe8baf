// bench/footprint.hpp - the memory a system needs for a given capacity.
//
// Method: in one thread, build the structure, fill it with `capacity`
// messages from one producer and read them all back, and record the heap
// bytes (heap_meter balance) it holds when full and after draining; the
// footprint is the larger of the two plus sizeof the structure itself.
// Bounded structures reach their size at construction or when full; the
// unbounded moodycamel queues also allocate per producer (blocks are not
// shared between producers) and when producers run ahead, so their figure is
// what one producer needs for `capacity` messages: a lower bound.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "adapter.hpp"
#include "heap_meter.hpp"
#include "messages.hpp"

namespace msgpool_bench {

struct footprint {
    std::size_t heap_bytes = 0;    // allocated by the structure
    std::size_t object_bytes = 0;  // sizeof the structure
    std::size_t total() const noexcept { return heap_bytes + object_bytes; }
};

template <bench_queue Q>
footprint measure_footprint(std::size_t capacity) {
    using Msg = typename Q::message_type;
    const std::int64_t before = heap_meter::thread_balance();
    std::int64_t peak = 0;
    {
        Q queue(queue_config{capacity, 1, 1});
        auto producer = queue.make_producer();
        auto consumer = queue.make_consumer();
        for (std::uint64_t id = 0; id < capacity; ++id) queue.write(producer, make_message<Msg>(id));
        if constexpr (requires { queue.flush(producer); }) queue.flush(producer);
        peak = heap_meter::thread_balance() - before;
        Msg m{};
        for (std::uint64_t id = 0; id < capacity; ++id) queue.read(consumer, m);
        peak = std::max(peak, heap_meter::thread_balance() - before);
    }
    return {static_cast<std::size_t>(std::max<std::int64_t>(peak, 0)), Q::object_bytes};
}

}  // namespace msgpool_bench
