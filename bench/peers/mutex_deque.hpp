// bench/peers/mutex_deque.hpp - the baseline: a std::deque guarded by one
// std::mutex, with two std::condition_variables (not full, not empty).
//
// What a programmer writes first, and what every pool must beat.  Bounded at
// the configured capacity; writers wait on `not_full`, readers on
// `not_empty`; each change is followed by one notify_one, made while holding
// the lock (the simple, always-correct form).  Shutdown: a `closed` flag set
// under the mutex by the last producer, then notify_all to readers; readers
// drain what is left and then stop: the same semantics as msgpool's close().
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <utility>

#include "../adapter.hpp"

namespace msgpool_bench {

template <class Msg>
class mutex_deque_queue {
    struct structure {
        std::size_t capacity;
        std::mutex mutex;
        std::condition_variable not_full;
        std::condition_variable not_empty;
        std::deque<Msg> items;
        bool closed = false;
    };

public:
    using message_type = Msg;
    struct producer {};
    struct consumer {};
    static constexpr std::size_t object_bytes = sizeof(structure);

    explicit mutex_deque_queue(const queue_config& config) : s_{config.capacity, {}, {}, {}, {}, false} {}

    producer make_producer() { return {}; }
    consumer make_consumer() { return {}; }

    void write(producer&, Msg&& m) {
        std::unique_lock lock(s_.mutex);
        s_.not_full.wait(lock, [&] { return s_.items.size() < s_.capacity; });
        s_.items.push_back(std::move(m));
        s_.not_empty.notify_one();
    }

    bool read(consumer&, Msg& m) {
        std::unique_lock lock(s_.mutex);
        s_.not_empty.wait(lock, [&] { return !s_.items.empty() || s_.closed; });
        if (s_.items.empty()) return false;  // closed and drained
        m = std::move(s_.items.front());
        s_.items.pop_front();
        s_.not_full.notify_one();
        return true;
    }

    void close(producer&, std::uint64_t /*messages_written*/) {
        {
            std::lock_guard lock(s_.mutex);
            s_.closed = true;
        }
        s_.not_empty.notify_all();
    }

private:
    structure s_;
};

}  // namespace msgpool_bench
