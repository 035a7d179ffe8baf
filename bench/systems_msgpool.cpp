// bench/systems_msgpool.cpp - every msgpool composition and alias as a system.
#include <algorithm>
#include <string>
#include <typeindex>
#include <typeinfo>

#include "composition_list.hpp"
#include "msgpool_adapter.hpp"
#include "systems.hpp"

namespace msgpool_bench {
namespace {

template <class Claim, class Wait, class Storage>
struct composition {
    template <class Msg>
    using pool = msgpool::basic_pool<Msg, Claim, Wait, Storage>;
    template <class Msg>
    using queue = msgpool_queue<pool<Msg>>;
};

template <class Alias>
struct alias_queue {
    template <class Msg>
    using queue = msgpool_queue<typename Alias::template pool<Msg>>;
};

}  // namespace

std::vector<system> msgpool_systems() {
    std::vector<system> out;
    std::vector<std::type_index> keys;  // basic_pool<msg8, ...> of each entry, to match aliases
    for_each_composition(composition_list::claims{}, composition_list::waits{}, composition_list::storages{},
                         [&]<class C, class W, class S>() {
                             using comp = composition<typename C::type, typename W::type, typename S::type>;
                             std::string name(C::name);
                             name.append("+").append(W::name).append("+").append(S::name);
                             out.push_back(make_system<comp::template queue>(name, system_kind::composition));
                             out.back().is_default = std::is_same_v<typename comp::template pool<msg8>,
                                                                    composition_list::default_pool<msg8>>;
                             keys.emplace_back(typeid(typename comp::template pool<msg8>));
                         });
    for_each_alias(composition_list::aliases{}, [&]<class A>() {
        const std::type_index key(typeid(typename A::template pool<msg8>));
        for (std::size_t i = 0; i < keys.size(); ++i)
            if (keys[i] == key) {
                out[i].aliases.emplace_back(A::name);
                return;
            }
        out.push_back(make_system<alias_queue<A>::template queue>(std::string(A::name), system_kind::alias));
        out.back().is_default = std::is_same_v<typename A::template pool<msg8>, composition_list::default_pool<msg8>>;
    });
    // The default composition first: it is the library's answer and the table's anchor.
    std::stable_partition(out.begin(), out.end(), [](const system& s) { return s.is_default; });
    return out;
}

}  // namespace msgpool_bench
