// bench/systems_user.cpp - the user's own compositions as systems, from the
// header named by MSGPOOL_BENCH_USER_HEADER (see user_compositions.hpp).
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
#endif
    return out;
}

}  // namespace msgpool_bench
