// bench/peers/interprocess_message_queue.hpp - Boost.Interprocess
// message_queue, the packaged bounded queue between processes, as the peer
// of the shared pools under --processes.
//
// One process-shared mutex and two condition variables in the segment; each
// send and receive copies the message under the mutex.  It has no close, so
// the last producer sends one poison pill per consumer (messages.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/interprocess/ipc/message_queue.hpp>

#include "../adapter.hpp"
#include "../messages.hpp"
#include "../shared_pool_adapter.hpp"

namespace msgpool_bench {

template <class Msg>
class interprocess_message_queue {
    using queue_type = boost::interprocess::message_queue;

public:
    using message_type = Msg;
    struct producer {
        std::unique_ptr<queue_type> queue;
    };
    struct consumer {
        std::unique_ptr<queue_type> queue;
    };
    static constexpr std::size_t object_bytes = sizeof(queue_type);

    explicit interprocess_message_queue(const queue_config& config)
        : name_(unique_segment_name("msgpool-bench-mq-")), consumers_(config.consumers) {
        queue_type::remove(name_.c_str());
        owner_ = std::make_unique<queue_type>(boost::interprocess::create_only, name_.c_str(), config.capacity,
                                              sizeof(Msg));
    }
    ~interprocess_message_queue() {
        owner_.reset();
        queue_type::remove(name_.c_str());
    }
    interprocess_message_queue(const interprocess_message_queue&) = delete;
    interprocess_message_queue& operator=(const interprocess_message_queue&) = delete;

    producer make_producer() { return {open()}; }
    consumer make_consumer() { return {open()}; }

    void write(producer& p, Msg&& m) { p.queue->send(&m, sizeof m, 0); }
    bool read(consumer& c, Msg& m) {
        std::size_t got = 0;
        unsigned priority = 0;
        c.queue->receive(&m, sizeof m, got, priority);
        return !is_pill(m);
    }
    void close(producer& p, std::uint64_t /*messages_written*/) {
        const Msg pill = make_message<Msg>(pill_id);
        for (unsigned i = 0; i < consumers_; ++i) p.queue->send(&pill, sizeof pill, 0);
    }

private:
    std::unique_ptr<queue_type> open() {
        return std::make_unique<queue_type>(boost::interprocess::open_only, name_.c_str());
    }
    std::string name_;
    unsigned consumers_;
    std::unique_ptr<queue_type> owner_;
};

}  // namespace msgpool_bench
