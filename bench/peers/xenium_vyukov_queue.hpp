// bench/peers/xenium_vyukov_queue.hpp - xenium::vyukov_bounded_queue, the
// textbook Vyukov bounded MPMC queue (a CAS on the enqueue or dequeue
// position, a sequence number per cell), as packaged by xenium.
//
// Use: the library's documented interface, try_push / try_pop (the strong
// forms, the default: they fail only on a full or empty queue and otherwise
// spin while the cell's previous user finishes).  The queue cannot block: a
// producer that finds it full and a consumer that finds it empty retry with
// poll_backoff (spin, then yield).
//
// Capacity: the constructor requires a power of two >= 2 (only an assert
// checks it; another size silently breaks the index mask), so this adapter
// rounds the configured capacity up: 1000 becomes 1024, 1 becomes 2.  The
// capacities of the default sweep (64, 1024) are powers of two and run
// unchanged.  Cells are packed (sequence word beside the value, no padding).
//
// Shutdown: poison pills.  The queue is FIFO in position order and the last
// producer pushes one pill per consumer after every producer finished, so
// every real message is dequeued before any pill; each consumer stops at its
// first pill.
#pragma once

#include <bit>
#include <cstdint>
#include <stdexcept>

#include <xenium/vyukov_bounded_queue.hpp>

#include "../adapter.hpp"
#include "../messages.hpp"
#include "poll_backoff.hpp"

namespace msgpool_bench {

template <class Msg>
class xenium_vyukov_queue {
    using queue_type = xenium::vyukov_bounded_queue<Msg>;

public:
    using message_type = Msg;
    struct producer {};
    struct consumer {};
    static constexpr std::size_t object_bytes = sizeof(queue_type);
    // The largest capacity this adapter rounds up (below): 2^40 cells.
    static constexpr std::size_t max_capacity = std::size_t{1} << 40;

    explicit xenium_vyukov_queue(const queue_config& config)
        : queue_(rounded(config.capacity)), consumers_(config.consumers) {}

    producer make_producer() { return {}; }
    consumer make_consumer() { return {}; }

    void write(producer&, Msg&& m) {
        poll_backoff backoff;
        while (!queue_.try_push(std::move(m))) backoff.wait();  // a failed push leaves m untouched
    }

    bool read(consumer&, Msg& m) {
        poll_backoff backoff;
        while (!queue_.try_pop(m)) backoff.wait();
        return !is_pill(m);
    }

    void close(producer& p, std::uint64_t /*messages_written*/) {
        for (unsigned i = 0; i < consumers_; ++i) write(p, make_message<Msg>(pill_id));
    }

private:
    static std::size_t rounded(std::size_t capacity) {
        if (capacity == 0 || capacity > max_capacity)
            throw std::invalid_argument("xenium::vyukov_bounded_queue: capacity must be 1..2^40");
        return capacity < 2 ? 2 : std::bit_ceil(capacity);
    }

    queue_type queue_;
    const unsigned consumers_;
};

}  // namespace msgpool_bench
