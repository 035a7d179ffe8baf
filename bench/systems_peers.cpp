// bench/systems_peers.cpp - the peers, each adapted as its documentation
// recommends (see each header in peers/ for the choice and its reasons).
#include "peers/boost_lockfree_queue.hpp"
#include "peers/moodycamel_blocking_queue.hpp"
#include "peers/moodycamel_queue.hpp"
#include "peers/mutex_deque.hpp"
#include "peers/tbb_bounded_queue.hpp"
#include "systems.hpp"

namespace msgpool_bench {

std::vector<system> peer_systems() {
    return {
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
}

}  // namespace msgpool_bench
