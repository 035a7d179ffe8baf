// bench/systems_peers.cpp - the peers, each adapted as its documentation
// recommends (see each header in peers/ for the choice and its reasons).
#include "peers/boost_lockfree_queue.hpp"
#include "peers/moodycamel_blocking_queue.hpp"
#include "peers/moodycamel_queue.hpp"
#include "peers/mutex_deque.hpp"
#if MSGPOOL_BENCH_HAVE_ORIGINAL
#include "peers/original_msgpool.hpp"
#endif
#include "peers/tbb_bounded_queue.hpp"
#if MSGPOOL_BENCH_HAVE_XENIUM
#include "peers/xenium_vyukov_queue.hpp"
#endif
#include "composition_list.hpp"
#include "systems.hpp"

namespace msgpool_bench {
namespace {

template <std::size_t Batch>
struct moodycamel_bulk {
    template <class Msg>
    using queue = moodycamel_bulk_queue<Msg, Batch>;
};

template <std::size_t Batch>
system moodycamel_bulk_system() {
    auto s = make_system<moodycamel_bulk<Batch>::template queue>(
        std::string(moodycamel_name) + " bulk" + std::to_string(Batch), system_kind::peer,
        "UNBOUNDED; tokens; enqueue_bulk / try_dequeue_bulk, up to " + std::to_string(Batch) +
            " messages per call; done counter");
    s.batch = Batch;
    return s;
}

}  // namespace

std::vector<system> peer_systems() {
    std::vector<system> peers{
        make_system<mutex_deque_queue>("mutex+condvar+deque", system_kind::peer,
                                       "bounded; blocks on two condition variables; close flag"),
        make_system<boost_lockfree_queue>("boost::lockfree::queue", system_kind::peer,
                                          "bounded (fixed_sized); cannot block: spin, then yield; poison pills"),
        make_system<moodycamel_queue>("moodycamel::ConcurrentQueue", system_kind::peer,
                                      "UNBOUNDED; tokens; cannot block: spin, then yield; done counter"),
        make_system<moodycamel_blocking_queue>(
            "moodycamel::BlockingConcurrentQueue", system_kind::peer,
            "UNBOUNDED; tokens; consumers block (semaphore, timed); done counter + pills"),
        make_system<tbb_bounded_queue>("tbb::concurrent_bounded_queue", system_kind::peer,
                                       "bounded; blocks (TBB monitors); poison pills"),
    };
#if MSGPOOL_BENCH_HAVE_XENIUM
    peers.push_back(make_system<xenium_vyukov_queue>(
        "xenium::vyukov_bounded_queue", system_kind::peer,
        "bounded, capacity rounded up to a power of two; cannot block: spin, then yield; poison pills"));
#endif
#if MSGPOOL_BENCH_HAVE_ORIGINAL
    peers.push_back(make_system<original_msgpool_queue>(
        std::string(original_msgpool_name), system_kind::peer,
        "bounded; the library msgpool rebuilds; blocks (mutex + condvar); pills + done counter"));
#endif
    // Bulk operations, measured beside msgpool's own (--bulk), same batch sizes.
    peers.push_back(moodycamel_bulk_system<composition_list::bulk_batch_small>());
    peers.push_back(moodycamel_bulk_system<composition_list::bulk_batch_large>());
    return peers;
}

}  // namespace msgpool_bench
