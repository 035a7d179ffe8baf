// msgpool/claim/detail/slot_counter.hpp - admission: how many slots of a kind exist.
//
// claim::index_queue keeps two of these: `free` (slots a writer may take)
// and `full` (messages a reader may take); claim::cas_scan and
// claim::fetch_add_ring need none (their claim is one CAS on a slot they have
// seen ready, or on the position of one).  A thread first *reserves*
// one unit with try_acquire, which never commits it to anything when it fails,
// and only then looks for a concrete slot, which is then guaranteed to exist.
// This is what makes try_ and timed operations exact (a failing try_read means
// the pool was empty at that instant) and what keeps an index from ever
// being taken on speculation (design.md section 1).
//
// Ordering: every operation is seq_cst.  acquire/release alone carry the
// happens-before edges between a release and the reservation that reads it
// ([SC-C1] pairs with [SC-C2]); seq_cst puts every counter operation in the single
// total order S in which claim/index_queue.hpp argues that a reserved pop
// finds an index.  The blocking layer's Dekker pair, "release a unit [SC-C1],
// then look for waiters [EC-E3]" against "register [EC-E1], then re-check this
// counter [SC-C2]", is closed by the light and heavy barriers of
// detail/event_count.hpp (sync/asymmetric_barrier.hpp), for which a release
// would do.  On x86 every RMW is a locked instruction anyway and a seq_cst
// load is a plain load, so seq_cst costs nothing there.
#pragma once

#include <atomic>
#include <cstddef>

#include <msgpool/detail/cache_line.hpp>

namespace msgpool::detail {

template <class Sync>
class slot_counter {
public:
    explicit slot_counter(std::size_t initial) noexcept : value_(initial) {}

    /// [SC-C2] Take one unit if there is one.  Never goes below zero, so a failed
    /// attempt leaves no trace that could make another thread's attempt fail.
    bool try_acquire() noexcept {
        std::size_t v = value_.load(std::memory_order_seq_cst);  // [SC-C2] seq_cst: in S (see the preamble)
        while (v != 0) {
            // [SC-C2] seq_cst RMW (acquire part pairs with [SC-C1] of the releaser).
            if (value_.compare_exchange_weak(v, v - 1, std::memory_order_seq_cst, std::memory_order_seq_cst))
                return true;
        }
        return false;
    }

    /// [SC-C1] Give one unit back; returns the new value.
    /// seq_cst: release part pairs with [SC-C2]; in S (see the preamble).  The
    /// caller's notify after it closes the Dekker pair with a waiter.
    std::size_t release() noexcept { return value_.fetch_add(1, std::memory_order_seq_cst) + 1; }

    /// The current value, seq_cst like every operation here.  As
    /// wait_until_empty's re-check it runs after the waiter's heavy barrier,
    /// and its acquire part pairs with [SC-C1], so a drained pool's reads are
    /// complete for whoever sees it drained.
    std::size_t load() const noexcept { return value_.load(std::memory_order_seq_cst); }

private:
    // A line of its own: the two counters of a pool are the hottest words in it.
    // (alignas on the member also rounds the class size up to a whole line.)
    alignas(cache_line_size) typename Sync::template atomic<std::size_t> value_;
};

}  // namespace msgpool::detail
