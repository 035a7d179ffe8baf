// bench/msgpool_adapter.hpp - any msgpool composition as a benchmark system.
//
// Used exactly as the library documents it: blocking write(), blocking read()
// that returns false once the pool is closed and empty, and close() from the
// last producer.  Waiting is the composition's own wait policy; the adapter
// adds nothing.
#pragma once

#include <cstdint>
#include <utility>

#include "adapter.hpp"

namespace msgpool_bench {

template <class Pool>
class msgpool_queue {
public:
    using message_type = typename Pool::value_type;
    struct producer {};
    struct consumer {};
    static constexpr std::size_t object_bytes = sizeof(Pool);

    explicit msgpool_queue(const queue_config& config) : pool_(config.capacity) {}

    producer make_producer() { return {}; }
    consumer make_consumer() { return {}; }

    void write(producer&, message_type&& m) { pool_.write(std::move(m)); }
    bool read(consumer&, message_type& m) { return pool_.read(m); }
    void close(producer&, std::uint64_t /*messages_written*/) { pool_.close(); }

private:
    Pool pool_;
};

}  // namespace msgpool_bench
