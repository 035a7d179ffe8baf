// bench/systems_in_place.cpp - the in-place systems: composition_list::in_place
// through claim_write / claim_read (msgpool_in_place_adapter.hpp).  A unit of
// its own, so that systems_msgpool.cpp, which instantiates every composition,
// does not grow past GCC's inlining budget by them (CMakeLists.txt, "How a run
// is compiled" in docs/benchmarks.md).
#include <algorithm>
#include <string>
#include <typeindex>
#include <typeinfo>

#include "composition_list.hpp"
#include "msgpool_in_place_adapter.hpp"
#include "systems_in_place.hpp"

namespace msgpool_bench {
namespace {

template <template <class> class Pool>
struct in_place_queue_of {
    template <class Msg>
    using queue = msgpool_in_place_queue<Pool<Msg>>;
};

/// The in-place system of one pool: "<composition> in place", aliased "<alias> in place".
template <class Alias>
void add_in_place(std::vector<system>& out, const std::vector<std::type_index>& keys) {
    const std::type_index key(typeid(typename Alias::template pool<msg8>));
    const auto at = std::find(keys.begin(), keys.end(), key);
    if (at == keys.end()) return;
    const system single = out[static_cast<std::size_t>(at - keys.begin())];
    const std::string suffix = " in place";
    system s = make_system<in_place_queue_of<Alias::template pool>::template queue>(
        single.name + suffix, system_kind::composition,
        "claim_write / claim_read: each message made and checked in its slot, no copy (the words the check "
        "touches, not the whole message)");
    for (const auto& a : single.aliases) s.aliases.push_back(a + suffix);
    s.type_name = single.type_name;
    s.sleeps = single.sleeps;
    s.in_place = true;
    out.push_back(std::move(s));
}

}  // namespace

void add_in_place_systems(std::vector<system>& out, const std::vector<std::type_index>& keys) {
    for_each_alias(composition_list::in_place{}, [&]<class A>() { add_in_place<A>(out, keys); });
}

}  // namespace msgpool_bench
