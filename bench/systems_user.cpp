// bench/systems_user.cpp - the user's own compositions as systems, from the
// header named by MSGPOOL_BENCH_USER_HEADER (see user_compositions.hpp).
#include <cstddef>
#include <string>
#include <type_traits>

#include "composition_list.hpp"
#include "msgpool_adapter.hpp"
#include "systems.hpp"
#include "user_compositions.hpp"

#ifdef MSGPOOL_BENCH_USER_HEADER
#include MSGPOOL_BENCH_USER_HEADER
#endif

namespace msgpool_bench {
namespace {

template <template <class> class Pool, std::size_t Batch>
struct user_bulk_queue {
    template <class Msg>
    using queue = msgpool_bulk_queue<Pool<Msg>, Batch>;
};

}  // namespace

std::vector<system> user_systems() {
    std::vector<system> out;
#ifdef MSGPOOL_BENCH_USER_HEADER
    for_each_alias(user::compositions{}, [&]<class A>() {
        using pool = typename A::template pool<msg8>;
        out.push_back(make_system<alias_queue<A>::template queue>(std::string(A::name), system_kind::user,
                                                                  "from " MSGPOOL_BENCH_USER_HEADER));
        out.back().type_name = std::string(A::name) + "<T>";
        out.back().sleeps = !std::is_same_v<typename pool::wait_type, msgpool::wait::spin>;
        out.back().latency = latency_workloads_of<alias_queue<A>::template queue>(true, out.back().sleeps);
    });
    for_each_alias(typename user::bulk_list<>::type{}, [&]<class B>() {
        using pool = typename B::template pool<msg8>;
        const auto add = [&]<std::size_t Batch>() {
            const std::string batch = " bulk" + std::to_string(Batch) + " ";
            out.push_back(make_system<user_bulk_queue<B::template pool, Batch>::template queue>(
                std::string(B::twin) + batch + std::string(B::variant), system_kind::user,
                "write_bulk / read_bulk, up to " + std::to_string(Batch) +
                    " messages per call; from " MSGPOOL_BENCH_USER_HEADER));
            out.back().sleeps = !std::is_same_v<typename pool::wait_type, msgpool::wait::spin>;
            out.back().batch = Batch;
        };
        add.template operator()<composition_list::bulk_batch_small>();
        add.template operator()<composition_list::bulk_batch_large>();
    });
#endif
    return out;
}

}  // namespace msgpool_bench
