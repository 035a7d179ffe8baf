// bench/peers/tbb_bounded_queue.hpp - oneTBB concurrent_bounded_queue.
//
// Use: set_capacity(capacity), then the blocking push and pop: the
// documented way to use the bounded queue, whose waits spin briefly and then
// sleep on TBB's concurrent monitors.  Shutdown: poison pills.  The queue
// hands out push and pop tickets in one order, so the pills the last
// producer pushes after every producer finished come after every real
// message; each consumer stops at its first pill.  (abort() would also wake
// blocked consumers, but by throwing, and it does not say "drained".)
//
// Footprint: pages are counted through the allocator template argument
// (TBB's own cache_aligned_allocator, wrapped to count).  The representation
// block (head/tail counters and micro-queues) comes from TBB's runtime, not
// from the allocator; we count its size as the library declares it, and note
// that the two wait monitors allocated beside it are not counted.
#pragma once

#include <cstdint>

#include <oneapi/tbb/cache_aligned_allocator.h>
#include <oneapi/tbb/concurrent_queue.h>

#include "../adapter.hpp"
#include "../counting_allocator.hpp"
#include "../heap_meter.hpp"
#include "../messages.hpp"

namespace msgpool_bench {

template <class Msg>
class tbb_bounded_queue {
    using allocator_type = counting_allocator<tbb::cache_aligned_allocator<Msg>>;
    using queue_type = tbb::concurrent_bounded_queue<Msg, allocator_type>;
    // The block TBB's runtime allocates for the queue (see above).
    static constexpr std::int64_t rep_bytes = sizeof(tbb::detail::d2::concurrent_queue_rep<Msg, allocator_type>);

public:
    using message_type = Msg;
    struct producer {};
    struct consumer {};
    static constexpr std::size_t object_bytes = sizeof(queue_type);

    explicit tbb_bounded_queue(const queue_config& config) : consumers_(config.consumers) {
        heap_meter::note(rep_bytes);
        queue_.set_capacity(static_cast<typename queue_type::size_type>(config.capacity));
    }
    ~tbb_bounded_queue() { heap_meter::note(-rep_bytes); }
    tbb_bounded_queue(const tbb_bounded_queue&) = delete;
    tbb_bounded_queue& operator=(const tbb_bounded_queue&) = delete;

    producer make_producer() { return {}; }
    consumer make_consumer() { return {}; }

    void write(producer&, Msg&& m) { queue_.push(std::move(m)); }

    bool read(consumer&, Msg& m) {
        queue_.pop(m);
        return !is_pill(m);
    }

    void close(producer& p, std::uint64_t /*messages_written*/) {
        for (unsigned i = 0; i < consumers_; ++i) write(p, make_message<Msg>(pill_id));
    }

private:
    queue_type queue_;
    const unsigned consumers_;
};

}  // namespace msgpool_bench
