// bench/peers/original_msgpool.hpp - the original msg-pool (C, 2014), the
// library msgpool rebuilds, measured on the same harness, so that the default
// composition's ratio to it comes from one run.  Present only when the build
// was given the original's header (bench/CMakeLists.txt says how); otherwise
// the benchmark says so and --compare-peers leaves that ratio out.
//
// Use: as its README shows: msgpool_alloc(capacity, sizeof message,
// producers, consumers), blocking msgpool_write / msgpool_read with no swap
// buffer.  Waiting is the original's own (mutex + condition variable).
// Shutdown: poison pills and a done counter.  The original's close() sets a
// flag that a reader can miss between its check and its sleep, and its
// read() return value differs between versions, so the last producer
// publishes the number of messages written and then writes one pill per
// consumer (ordinary writes, woken like any other).  A pool has no order, so
// a pill can be read while real messages remain: a consumer that reads a pill
// adds the messages it read since its last report to a shared count; if the
// count is complete it stops (keeping the pill), otherwise it writes the pill
// back and reads on.  The hot path touches no shared counter.  Memory: the
// original allocates with calloc, which the heap meter does not see; the
// adapter notes the bytes msgpool_alloc takes (one state byte per element).
#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <thread>

#include "../adapter.hpp"
#include "../heap_meter.hpp"
#include "../messages.hpp"
#include "original_msgpool.h"

namespace msgpool_bench {

template <class Msg>
class original_msgpool_queue {
public:
    using message_type = Msg;
    struct producer {};
    struct consumer {
        std::uint64_t unreported = 0;
    };
    static inline const std::size_t object_bytes = bench_original_object_bytes();

    explicit original_msgpool_queue(const queue_config& config)
        : pool_(make(config)), heap_(static_cast<std::int64_t>(bench_original_heap_bytes(config.capacity, sizeof(Msg)))),
          consumers_(config.consumers) {
        heap_meter::note(heap_);
    }
    ~original_msgpool_queue() {
        bench_original_delete(pool_);
        heap_meter::note(-heap_);
    }
    original_msgpool_queue(const original_msgpool_queue&) = delete;
    original_msgpool_queue& operator=(const original_msgpool_queue&) = delete;

    producer make_producer() { return {}; }
    consumer make_consumer() { return {}; }

    void write(producer&, Msg&& m) { bench_original_write(pool_, &m); }
    bool read(consumer& c, Msg& m) {
        for (;;) {
            bench_original_read(pool_, &m);
            if (!is_pill(m)) {
                ++c.unreported;
                return true;
            }
            const std::uint64_t total = consumed_.fetch_add(c.unreported, std::memory_order_acq_rel) + c.unreported;
            c.unreported = 0;
            if (total == written_.load(std::memory_order_acquire)) return false;
            bench_original_write(pool_, &m);  // messages remain: give the pill back for a later reader
            std::this_thread::yield();
        }
    }
    void close(producer& p, std::uint64_t messages_written) {
        written_.store(messages_written, std::memory_order_release);
        for (unsigned i = 0; i < consumers_; ++i) write(p, make_message<Msg>(pill_id));
    }

private:
    static bench_original_pool* make(const queue_config& config) {
        // The original asserts 0 < producers, consumers < capacity.
        if (config.producers >= config.capacity || config.consumers >= config.capacity)
            throw std::invalid_argument("original msg-pool: producers and consumers must be fewer than the capacity");
        auto* q = bench_original_new(config.capacity, sizeof(Msg), config.producers, config.consumers);
        if (!q) throw std::bad_alloc();
        return q;
    }

    bench_original_pool* pool_;
    std::int64_t heap_;
    unsigned consumers_;
    std::atomic<std::uint64_t> written_{~std::uint64_t{0}}, consumed_{0};
};

}  // namespace msgpool_bench
