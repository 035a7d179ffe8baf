// bench/systems_msgpool.cpp - every msgpool composition and alias as a system,
// the bulk systems (composition_list::bulk through write_bulk / read_bulk),
// and then the in-place ones (systems_in_place.cpp).
#include <algorithm>
#include <string>
#include <typeindex>
#include <typeinfo>

#include "composition_list.hpp"
#include "msgpool_adapter.hpp"
#include "systems.hpp"
#include "systems_in_place.hpp"

namespace msgpool_bench {
namespace {

template <template <class> class Pool, std::size_t Batch>
struct bulk_queue {
    template <class Msg>
    using queue = msgpool_bulk_queue<Pool<Msg>, Batch>;
};

/// Bulk systems of one pool: "<composition> bulk<N>", aliased "<alias> bulk<N>".
template <class Alias, std::size_t... Batches>
void add_bulk(std::vector<system>& out, const std::vector<std::type_index>& keys) {
    const std::type_index key(typeid(typename Alias::template pool<msg8>));
    const auto at = std::find(keys.begin(), keys.end(), key);
    if (at == keys.end()) return;
    const system single = out[static_cast<std::size_t>(at - keys.begin())];
    (
        [&] {
            const std::string suffix = " bulk" + std::to_string(Batches);
            system s = make_system<bulk_queue<Alias::template pool, Batches>::template queue>(
                single.name + suffix, system_kind::composition,
                "write_bulk / read_bulk, up to " + std::to_string(Batches) + " messages per call");
            for (const auto& a : single.aliases) s.aliases.push_back(a + suffix);
            s.sleeps = single.sleeps;
            s.batch = Batches;
            out.push_back(std::move(s));
        }(),
        ...);
}

}  // namespace

std::vector<system> msgpool_systems() {
    std::vector<system> out;
    std::vector<std::type_index> keys;  // basic_pool<msg8, ...> of each entry, to match aliases
    msgpool::catalog::for_each_composition([&]<class C, class W, class S>() {  // composable pairs only
        using comp = composition<typename C::type, typename W::type, typename S::type>;
        std::string name(C::name);
        name.append("+").append(W::name).append("+").append(S::name);
        out.push_back(make_system<comp::template queue>(name, system_kind::composition));
        out.back().type_name = "msgpool::basic_pool<T, msgpool::claim::" + std::string(C::name) +
                               ", msgpool::wait::" + std::string(W::name) + ", msgpool::storage::" +
                               std::string(S::name) + ">";
        out.back().is_default =
            std::is_same_v<typename comp::template pool<msg8>, msgpool::catalog::default_pool<msg8>>;
        out.back().sleeps = !std::is_same_v<typename W::type, msgpool::wait::spin>;
        keys.emplace_back(typeid(typename comp::template pool<msg8>));
    });
    for_each_alias(msgpool::catalog::aliases{}, [&]<class A>() {
        const std::type_index key(typeid(typename A::template pool<msg8>));
        for (std::size_t i = 0; i < keys.size(); ++i)
            if (keys[i] == key) {
                out[i].aliases.emplace_back(A::name);
                return;
            }
        out.push_back(make_system<alias_queue<A>::template queue>(std::string(A::name), system_kind::alias));
        out.back().type_name = "msgpool::" + std::string(A::name) + "<T>";
        out.back().sleeps = !std::is_same_v<typename A::template pool<msg8>::wait_type, msgpool::wait::spin>;
        out.back().is_default = std::is_same_v<typename A::template pool<msg8>, msgpool::catalog::default_pool<msg8>>;
        keys.push_back(key);
    });
    for_each_alias(composition_list::bulk{}, [&]<class A>() {
        add_bulk<A, composition_list::bulk_batch_small, composition_list::bulk_batch_large>(out, keys);
    });
    add_in_place_systems(out, keys);
    // The default composition first: it is the library's answer and the table's anchor.
    std::stable_partition(out.begin(), out.end(), [](const system& s) { return s.is_default; });
    return out;
}

}  // namespace msgpool_bench
