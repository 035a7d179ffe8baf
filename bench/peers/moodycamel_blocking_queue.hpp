// bench/peers/moodycamel_blocking_queue.hpp - moodycamel::BlockingConcurrentQueue
// with producer and consumer tokens.
//
// Use: enqueue through a ProducerToken, wait_dequeue_timed through a
// ConsumerToken: the library's blocking form (a lightweight semaphore that
// spins briefly, then sleeps in the kernel), built with the
// (capacity, producers, 0) constructor.  Like ConcurrentQueue it is
// *unbounded*: enqueue never waits, so producers may run ahead of consumers
// and the capacity is only a pre-allocation hint.
//
// Shutdown: the README's advice for waking blocked consumers is a timed wait
// or a sentinel; we use both, around the same done counter as
// moodycamel_queue.hpp (the queue is FIFO only per producer, so a sentinel
// cannot mean "nothing follows").  The last producer publishes the number of
// messages written, sets `closed_`, and enqueues one pill per consumer to wake
// sleepers.  A consumer that receives a pill, or whose timed wait expires after
// close, switches to draining: try_dequeue until empty, report its count, stop
// once the reports add up to the number written.  A drainer may swallow a pill
// meant for a sleeper; the sleeper's timed wait (`wake_timeout`) ends its sleep
// anyway, so the run's tail is at most that long in this rare case.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include <concurrentqueue/blockingconcurrentqueue.h>

#include "../adapter.hpp"
#include "../messages.hpp"
#include "moodycamel_traits.hpp"
#include "poll_backoff.hpp"

namespace msgpool_bench {

template <class Msg>
class moodycamel_blocking_queue {
    using queue_type = moodycamel::BlockingConcurrentQueue<Msg, moodycamel_counted_traits>;
    static constexpr std::chrono::milliseconds wake_timeout{1};

public:
    using message_type = Msg;
    struct producer {
        moodycamel::ProducerToken token;
    };
    struct consumer {
        moodycamel::ConsumerToken token;
        std::uint64_t unreported = 0;
        bool draining = false;
    };
    static constexpr std::size_t object_bytes = sizeof(queue_type);

    explicit moodycamel_blocking_queue(const queue_config& config)
        : queue_(config.capacity, config.producers, 0), consumers_(config.consumers) {}

    producer make_producer() { return producer{moodycamel::ProducerToken(queue_)}; }
    consumer make_consumer() { return consumer{moodycamel::ConsumerToken(queue_), 0, false}; }

    void write(producer& p, Msg&& m) {
        poll_backoff backoff;
        while (!queue_.enqueue(p.token, std::move(m))) backoff.wait();  // fails only if allocation fails
    }

    bool read(consumer& c, Msg& m) {
        while (!c.draining) {
            if (queue_.wait_dequeue_timed(c.token, m, wake_timeout)) {
                if (!is_pill(m)) {
                    ++c.unreported;
                    return true;
                }
                c.draining = true;  // a pill: every producer has finished
            } else if (closed_.load(std::memory_order_acquire)) {
                c.draining = true;
            }
        }
        poll_backoff backoff;
        for (;;) {
            if (queue_.try_dequeue(c.token, m)) {
                if (is_pill(m)) continue;
                ++c.unreported;
                return true;
            }
            // closed_ was seen (directly, or through a pill enqueued after it was set).
            const std::uint64_t consumed = consumed_.fetch_add(c.unreported, std::memory_order_acq_rel) + c.unreported;
            c.unreported = 0;
            if (consumed == written_ || consumed_.load(std::memory_order_acquire) == written_) return false;
            backoff.wait();
        }
    }

    void close(producer& p, std::uint64_t messages_written) {
        written_ = messages_written;
        closed_.store(true, std::memory_order_release);  // publishes written_
        for (unsigned i = 0; i < consumers_; ++i) write(p, make_message<Msg>(pill_id));
    }

private:
    queue_type queue_;
    const unsigned consumers_;
    alignas(64) std::atomic<bool> closed_{false};
    std::uint64_t written_ = 0;
    alignas(64) std::atomic<std::uint64_t> consumed_{0};
};

}  // namespace msgpool_bench
