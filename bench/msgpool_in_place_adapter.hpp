// bench/msgpool_in_place_adapter.hpp - a msgpool composition used through its
// slot handles: each message is made in its slot and checked there.
//
// msgpool_in_place_queue<Pool> has the write / read every adapter has
// (adapter.hpp; the idle and latency runs use them) and the two in-place
// operations (adapter.hpp, in_place_queue) that the workload uses instead
// whenever an adapter offers them (workload.hpp, produce / consume):
//     q.write_in_place(p, fill)  claim_write() (blocking), fill(*h) on the
//                                slot's element, h.commit();
//     q.read_in_place(c, use)    claim_read() (blocking), use(*h) on the
//                                message where it lies, h.release(); false
//                                once the pool is closed and empty.
// Only for pools with both handle kinds (Pool::has_write_handles and
// has_read_handles: claim::cas_scan, claim::index_queue; not the ring).
//
// What the form measures.  The producer writes into the slot exactly the
// words it writes into its own buffer in the copy form (messages.hpp,
// fill_message): under the default O(1) check the id at both ends, the
// sampled words and every Nth message whole; the words it does not write
// keep what the slot held (an earlier message's), where the copy form would
// have copied its buffer's stale words.  The consumer compares the same words
// in the slot and copies nothing out.  So a message of B bytes costs the
// words the check touches, not B bytes each way: the figure is what a
// program gains that builds its message where it is sent and reads it where
// it arrives, not a faster way to move B bytes; a program that fills every
// word pays for those words (--full-check writes and compares every word of
// every message in place, and measures that).
#pragma once

#include <cstdint>
#include <utility>

#include <msgpool/basic_pool.hpp>

#include "adapter.hpp"

namespace msgpool_bench {

template <class Pool>
    requires(Pool::has_write_handles && Pool::has_read_handles)
class msgpool_in_place_queue {
public:
    using message_type = typename Pool::value_type;
    struct producer {};
    struct consumer {};
    static constexpr std::size_t object_bytes = sizeof(Pool);

    explicit msgpool_in_place_queue(const queue_config& config) : pool_(config.capacity) {}

    producer make_producer() { return {}; }
    consumer make_consumer() { return {}; }

    /// fill(message_type&) on a free slot's element, then published.
    template <class Fill>
    void write_in_place(producer&, Fill&& fill) {
        auto h = pool_.claim_write();  // blocks while full; never fails (writes are allowed after close)
        fill(*h);
        h.commit();
    }
    /// use(const message_type&) on a message in its slot, then the slot is freed.
    template <class Use>
    bool read_in_place(consumer&, Use&& use) {
        auto h = pool_.claim_read();
        if (!h) return false;  // closed and empty
        use(std::as_const(*h));
        h.release();
        return true;
    }

    void write(producer&, message_type&& m) { pool_.write(std::move(m)); }
    bool read(consumer&, message_type& m) { return pool_.read(m); }
    void close(producer&, std::uint64_t /*messages_written*/) { pool_.close(); }

private:
    Pool pool_;
};

}  // namespace msgpool_bench
