// bench/msgpool_adapter.hpp - any msgpool composition as a benchmark system.
//
// Used exactly as the library documents it: blocking write(), blocking read()
// that returns false once the pool is closed and empty, and close() from the
// last producer.  Waiting is the composition's own wait policy; the adapter
// adds nothing.
//
// msgpool_bulk_queue<Pool, Batch> is the same pool used through its bulk
// operations: a producer collects Batch messages and hands them over with
// write_bulk (repeated until all are taken; write_bulk blocks for the first
// free slot only), and flushes what is left after its last message; a
// consumer takes up to Batch messages per read_bulk into its own buffer and
// serves them one by one.  It measures what a user who batches gains.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include <msgpool/basic_pool.hpp>

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

/// msgpool_queue over an alias template's pool (Alias::pool<Msg>, as msgpool::catalog::named_alias).
template <class Alias>
struct alias_queue {
    template <class Msg>
    using queue = msgpool_queue<typename Alias::template pool<Msg>>;
};

/// msgpool_queue over one claim x wait x storage combination.
template <class Claim, class Wait, class Storage>
struct composition {
    template <class Msg>
    using pool = msgpool::basic_pool<Msg, Claim, Wait, Storage>;
    template <class Msg>
    using queue = msgpool_queue<pool<Msg>>;
};

template <class Pool, std::size_t Batch>
class msgpool_bulk_queue {
public:
    using message_type = typename Pool::value_type;
    struct producer {
        std::array<message_type, Batch> buffer{};
        std::size_t size = 0;
    };
    struct consumer {
        std::array<message_type, Batch> buffer{};
        std::size_t next = 0, size = 0;
    };
    static constexpr std::size_t object_bytes = sizeof(Pool);

    explicit msgpool_bulk_queue(const queue_config& config) : pool_(config.capacity) {}

    producer make_producer() { return {}; }
    consumer make_consumer() { return {}; }

    void write(producer& p, message_type&& m) {
        p.buffer[p.size++] = std::move(m);
        if (p.size == Batch) flush(p);
    }
    void flush(producer& p) {
        for (std::size_t done = 0; done < p.size;)
            done += pool_.write_bulk(std::span<message_type>(p.buffer.data() + done, p.size - done));
        p.size = 0;
    }
    bool read(consumer& c, message_type& m) {
        if (c.next == c.size) {
            c.size = pool_.read_bulk(std::span<message_type>(c.buffer));
            c.next = 0;
            if (c.size == 0) return false;  // closed and empty
        }
        m = std::move(c.buffer[c.next++]);
        return true;
    }
    void close(producer& p, std::uint64_t /*messages_written*/) {
        flush(p);
        pool_.close();
    }

private:
    Pool pool_;
};

}  // namespace msgpool_bench
