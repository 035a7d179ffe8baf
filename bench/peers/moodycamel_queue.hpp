// bench/peers/moodycamel_queue.hpp - moodycamel::ConcurrentQueue with a
// ProducerToken per producer and a ConsumerToken per consumer.
//
// Use: the library's fastest documented use (README, "tokens"): enqueue and
// try_dequeue through per-thread tokens, constructed with the
// (capacity, producers, 0) constructor that pre-allocates blocks for every
// explicit producer.  The queue is *unbounded*: enqueue never waits, it
// allocates another block when its producer's blocks are full, so the
// configured capacity is only a pre-allocation hint and producers may run
// ahead of consumers; this is the peer's natural use, and an advantage over
// every bounded system here.  It cannot block: a consumer that finds it
// empty retries with poll_backoff (spin, then yield).
//
// Shutdown: a done counter.  The queue is FIFO only per producer, so poison
// pills from the last producer could overtake other producers' messages.
// Instead the last producer publishes the number of messages written and
// sets `closed_`; a consumer that then finds the queue empty adds the
// messages it has read since its last report to `consumed_`, and stops when
// `consumed_` equals the number written.  The hot path touches no shared
// counter: reports happen only on an empty queue after close.
//
// moodycamel_bulk_queue<Msg, Batch> is the same queue through its bulk
// operations with the same tokens, the counterpart of msgpool's bulk
// systems (msgpool_adapter.hpp): a producer collects Batch messages and
// hands them over with one enqueue_bulk (unbounded, as enqueue: it never
// waits), and flushes what is left after its last message; a consumer takes
// up to Batch messages per try_dequeue_bulk into its own buffer and serves
// them one by one.  Shutdown is the same done counter.
#pragma once

#include <array>
#include <cstddef>

#include <atomic>
#include <cstdint>

#include <concurrentqueue/concurrentqueue.h>

#include "../adapter.hpp"
#include "../messages.hpp"
#include "moodycamel_traits.hpp"
#include "poll_backoff.hpp"

namespace msgpool_bench {

/// The end of a run for a queue that cannot close (see the preamble): the
/// last producer records how many it wrote, consumers that find the queue
/// empty report what they read since their last report, and stop when the
/// total reaches it.
class done_counter {
public:
    void close(std::uint64_t messages_written) noexcept {
        written_ = messages_written;
        closed_.store(true, std::memory_order_release);  // publishes written_
    }
    /// For a consumer that found the queue empty, with `unreported` messages
    /// read since its last report: true once every message is read.
    bool all_read(std::uint64_t& unreported) noexcept {
        if (!closed_.load(std::memory_order_acquire)) return false;  // pairs with close(): written_ is visible
        // acq_rel: our reads happen before whoever sees the total reach written_.
        const std::uint64_t consumed = consumed_.fetch_add(unreported, std::memory_order_acq_rel) + unreported;
        unreported = 0;
        return consumed == written_ || consumed_.load(std::memory_order_acquire) == written_;
    }

private:
    alignas(64) std::atomic<bool> closed_{false};
    std::uint64_t written_ = 0;
    alignas(64) std::atomic<std::uint64_t> consumed_{0};
};

template <class Msg>
class moodycamel_queue {
    using queue_type = moodycamel::ConcurrentQueue<Msg, moodycamel_counted_traits>;

public:
    using message_type = Msg;
    struct producer {
        moodycamel::ProducerToken token;
    };
    struct consumer {
        moodycamel::ConsumerToken token;
        std::uint64_t unreported = 0;
    };
    static constexpr std::size_t object_bytes = sizeof(queue_type);

    explicit moodycamel_queue(const queue_config& config) : queue_(config.capacity, config.producers, 0) {}

    producer make_producer() { return producer{moodycamel::ProducerToken(queue_)}; }
    consumer make_consumer() { return consumer{moodycamel::ConsumerToken(queue_), 0}; }

    void write(producer& p, Msg&& m) {
        poll_backoff backoff;
        while (!queue_.enqueue(p.token, std::move(m))) backoff.wait();  // fails only if allocation fails
    }

    bool read(consumer& c, Msg& m) {
        poll_backoff backoff;
        for (;;) {
            if (queue_.try_dequeue(c.token, m)) {
                ++c.unreported;
                return true;
            }
            if (done_.all_read(c.unreported)) return false;
            backoff.wait();
        }
    }

    void close(producer&, std::uint64_t messages_written) {
        done_.close(messages_written);
    }

private:
    queue_type queue_;
    done_counter done_;
};

template <class Msg, std::size_t Batch>
class moodycamel_bulk_queue {
    using queue_type = moodycamel::ConcurrentQueue<Msg, moodycamel_counted_traits>;

public:
    using message_type = Msg;
    struct producer {
        moodycamel::ProducerToken token;
        std::array<Msg, Batch> buffer{};
        std::size_t size = 0;
    };
    struct consumer {
        moodycamel::ConsumerToken token;
        std::array<Msg, Batch> buffer{};
        std::size_t next = 0, size = 0;
        std::uint64_t unreported = 0;
    };
    static constexpr std::size_t object_bytes = sizeof(queue_type);

    explicit moodycamel_bulk_queue(const queue_config& config) : queue_(config.capacity, config.producers, 0) {}

    producer make_producer() { return producer{moodycamel::ProducerToken(queue_)}; }
    consumer make_consumer() { return consumer{moodycamel::ConsumerToken(queue_)}; }

    void write(producer& p, Msg&& m) {
        p.buffer[p.size++] = std::move(m);
        if (p.size == Batch) flush(p);
    }
    void flush(producer& p) {
        poll_backoff backoff;
        while (p.size != 0 && !queue_.enqueue_bulk(p.token, p.buffer.data(), p.size))
            backoff.wait();  // fails only if allocation fails
        p.size = 0;
    }

    bool read(consumer& c, Msg& m) {
        if (c.next == c.size && !refill(c)) return false;
        m = std::move(c.buffer[c.next++]);
        return true;
    }

    void close(producer& p, std::uint64_t messages_written) {
        flush(p);
        done_.close(messages_written);
    }

private:
    /// Takes the next batch into c's buffer; false once every message is read.
    bool refill(consumer& c) {
        poll_backoff backoff;
        for (;;) {
            c.size = queue_.try_dequeue_bulk(c.token, c.buffer.data(), Batch);
            c.next = 0;
            if (c.size != 0) {
                c.unreported += c.size;
                return true;
            }
            if (done_.all_read(c.unreported)) return false;
            backoff.wait();
        }
    }

    queue_type queue_;
    done_counter done_;
};

}  // namespace msgpool_bench
