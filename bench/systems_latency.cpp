// bench/systems_latency.cpp - the latency workloads (latency.hpp) of each
// system that --latency measures, attached to the registry's entries by name.
// Kept out of systems_msgpool.cpp and systems_peers.cpp so that the three
// workloads over every composition compile in a unit of their own.
#include <string>
#include <type_traits>

#include "composition_list.hpp"
#include "msgpool_adapter.hpp"
#include "peers/moodycamel_blocking_queue.hpp"
#include "peers/moodycamel_queue.hpp"
#include "peers/mutex_deque.hpp"
#include "peers/tbb_bounded_queue.hpp"
#include "systems.hpp"

namespace msgpool_bench {
namespace {

void attach(std::vector<system>& systems, const std::string& name, const latency_workloads& w) {
    for (auto& s : systems)
        if (s.name == name && !s.is_bulk()) s.latency = w;
}

}  // namespace

void attach_latency(std::vector<system>& systems) {
    msgpool::catalog::for_each_composition([&]<class C, class W, class S>() {
        using comp = composition<typename C::type, typename W::type, typename S::type>;
        const bool sleeps = !std::is_same_v<typename W::type, msgpool::wait::spin>;
        attach(systems, std::string(C::name) + "+" + std::string(W::name) + "+" + std::string(S::name),
               latency_workloads_of<comp::template queue>(true, sleeps));
    });
    // An alias that is none of the combinations above is a system of its own.
    for_each_alias(msgpool::catalog::aliases{}, [&]<class A>() {
        const bool sleeps = !std::is_same_v<typename A::template pool<msg8>::wait_type, msgpool::wait::spin>;
        attach(systems, std::string(A::name), latency_workloads_of<alias_queue<A>::template queue>(true, sleeps));
    });
    attach(systems, "mutex+condvar+deque", latency_workloads_of<mutex_deque_queue>(true, true));
    attach(systems, "moodycamel::BlockingConcurrentQueue", latency_workloads_of<moodycamel_blocking_queue>(true, true));
    attach(systems, "tbb::concurrent_bounded_queue", latency_workloads_of<tbb_bounded_queue>(true, true));
    attach(systems, std::string(moodycamel_name), latency_workloads_of<moodycamel_queue>(false, false));
}

}  // namespace msgpool_bench
