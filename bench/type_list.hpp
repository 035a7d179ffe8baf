// bench/type_list.hpp - compile-time lists of named policies and aliases,
// and the loop over every claim x wait x storage combination.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace msgpool_bench {

/// A string usable as a template argument: named<cas_scan, "cas_scan">.
template <std::size_t N>
struct fixed_string {
    char value[N]{};
    constexpr fixed_string(const char (&s)[N]) { std::copy_n(s, N, value); }
    constexpr std::string_view view() const { return {value, N - 1}; }
};

template <class... Ts>
struct type_list {};

/// A policy and the name the benchmark shows for it.
template <class Policy, fixed_string Name>
struct named {
    using type = Policy;
    static constexpr std::string_view name = Name.view();
};

/// A named alias template of the library (msgpool::pool and friends).
template <template <class> class Pool, fixed_string Name>
struct named_alias {
    template <class T>
    using pool = Pool<T>;
    static constexpr std::string_view name = Name.view();
};

/// Calls f.template operator()<Claim, Wait, Storage>() for every combination,
/// claims outermost, in list order.
template <class... Claims, class... Waits, class... Storages, class F>
void for_each_composition(type_list<Claims...>, type_list<Waits...>, type_list<Storages...>, F&& f) {
    const auto per_claim = [&]<class C>() {
        const auto per_wait = [&]<class W>() { (f.template operator()<C, W, Storages>(), ...); };
        (per_wait.template operator()<Waits>(), ...);
    };
    (per_claim.template operator()<Claims>(), ...);
}

template <class... Aliases, class F>
void for_each_alias(type_list<Aliases...>, F&& f) {
    (f.template operator()<Aliases>(), ...);
}

}  // namespace msgpool_bench
