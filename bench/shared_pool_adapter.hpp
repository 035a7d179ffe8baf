// bench/shared_pool_adapter.hpp - a msgpool shared-memory pool as a system
// under --processes (process_workload.hpp).
//
// The run's process creates the segment (a name unique to it) and removes it
// when the run ends; each producer or consumer process opens it by name, as
// an unrelated program would.  Shut-down: close(), as in the process.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include <unistd.h>

#include "adapter.hpp"

namespace msgpool_bench {

/// "<prefix><pid>-<clock>-<n>": a segment name no other run uses, even one in
/// a later process that got the same pid.
inline std::string unique_segment_name(const char* prefix) {
    static std::atomic<unsigned> counter{0};
    const auto clock = std::chrono::steady_clock::now().time_since_epoch().count();
    return std::string(prefix) + std::to_string(::getpid()) + "-" + std::to_string(clock) + "-" +
           std::to_string(counter.fetch_add(1));
}

template <class SharedPool>
class shared_pool_queue {
public:
    using message_type = typename SharedPool::pool_type::value_type;
    struct producer {
        SharedPool pool;
    };
    struct consumer {
        SharedPool pool;
    };
    static constexpr std::size_t object_bytes = sizeof(typename SharedPool::pool_type);

    explicit shared_pool_queue(const queue_config& config)
        : name_(unique_segment_name("/msgpool-bench-")), owner_(SharedPool::create(name_, config.capacity)) {}
    ~shared_pool_queue() { SharedPool::remove(name_); }
    shared_pool_queue(const shared_pool_queue&) = delete;
    shared_pool_queue& operator=(const shared_pool_queue&) = delete;

    producer make_producer() { return {SharedPool::open(name_)}; }
    consumer make_consumer() { return {SharedPool::open(name_)}; }

    void write(producer& p, message_type&& m) { p.pool->write(std::move(m)); }
    bool read(consumer& c, message_type& m) { return c.pool->read(m); }
    void close(producer& p, std::uint64_t /*messages_written*/) { p.pool->close(); }

private:
    std::string name_;
    SharedPool owner_;
};

}  // namespace msgpool_bench
