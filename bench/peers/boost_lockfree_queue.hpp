// bench/peers/boost_lockfree_queue.hpp - boost::lockfree::queue, bounded.
//
// Use: `fixed_sized<true>` with the node pool sized at construction to the
// configured capacity, so the queue is bounded and never allocates after
// construction (the Boost.Lockfree documentation's advice for real-time
// use); bounded_push / pop.  The queue is lock-free and has no way to wait:
// a producer that finds it full and a consumer that finds it empty retry
// with poll_backoff (spin, then yield).  Shutdown: poison pills.  The queue is
// a linearizable FIFO (Michael-Scott), and the last producer pushes one pill
// per consumer after every producer finished, so every real message is
// dequeued before any pill; each consumer stops at its first pill.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <boost/align/aligned_allocator.hpp>
#include <boost/lockfree/queue.hpp>

#include "../adapter.hpp"
#include "../counting_allocator.hpp"
#include "../messages.hpp"
#include "poll_backoff.hpp"

namespace msgpool_bench {

template <class Msg>
class boost_lockfree_queue {
    // The library's default allocator (cache-line aligned), wrapped to count.
    using allocator_type = counting_allocator<boost::alignment::aligned_allocator<Msg, BOOST_LOCKFREE_CACHELINE_BYTES>>;
    using queue_type =
        boost::lockfree::queue<Msg, boost::lockfree::fixed_sized<true>, boost::lockfree::allocator<allocator_type>>;

public:
    using message_type = Msg;
    struct producer {};
    struct consumer {};
    static constexpr std::size_t object_bytes = sizeof(queue_type);
    // fixed_sized nodes are addressed by 16-bit indices, one of which is the
    // dummy node: the largest capacity the queue takes.
    static constexpr std::size_t max_capacity = 65534;

    explicit boost_lockfree_queue(const queue_config& config)
        : queue_(checked(config.capacity)), consumers_(config.consumers) {}

    producer make_producer() { return {}; }
    consumer make_consumer() { return {}; }

    void write(producer&, Msg&& m) {
        poll_backoff backoff;
        while (!queue_.bounded_push(m)) backoff.wait();
    }

    bool read(consumer&, Msg& m) {
        poll_backoff backoff;
        while (!queue_.pop(m)) backoff.wait();
        return !is_pill(m);
    }

    void close(producer& p, std::uint64_t /*messages_written*/) {
        for (unsigned i = 0; i < consumers_; ++i) write(p, make_message<Msg>(pill_id));
    }

private:
    static std::size_t checked(std::size_t capacity) {
        if (capacity == 0 || capacity > max_capacity)
            throw std::invalid_argument("boost::lockfree::queue (fixed_sized): capacity must be 1.." +
                                        std::to_string(max_capacity));
        return capacity;
    }

    queue_type queue_;
    const unsigned consumers_;
};

}  // namespace msgpool_bench
