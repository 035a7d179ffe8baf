// msgpool/catalog.hpp - every policy and named composition msgpool ships, as
// compile-time lists: the public registry for code that runs over all of them
// (a test suite, a benchmark, a tuning experiment over every composition that
// fits a user's type).  msgpool's own conformance and deterministic tests, the
// testing component (msgpool::testing) and msgpool-bench generate their lists
// from it.  docs/reference.md, "The catalog", documents it.
//
//   claims, waits, storages   each policy with its name: named<claim::cas_scan, "cas_scan">
//   aliases                   each named composition: named_alias<line_pool, "line_pool">
//   compositions<Make, Keep>  std::tuple<Make<Claim, Wait, Storage>...> over every
//                             claim x wait x storage that msgpool::composable accepts
//                             and the filter Keep<Claim, Wait, Storage>::value keeps
//   for_each_composition(f)   the same combinations at run time, as named entries
//
// Adding a policy to msgpool is its header plus one line in its list here;
// every test and the benchmark then cover each composition it makes.
// claim::index_queue is listed when Boost.Lockfree can be included (its
// queues are Boost's); without Boost the rest of the catalog works alone.
#pragma once

#include <msgpool/detail/require_cpp20.hpp>

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include <msgpool/basic_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/compositions.hpp>
#include <msgpool/pool.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/storage/line_grouped_slots.hpp>
#include <msgpool/wait/condvar.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/futex_counted.hpp>
#include <msgpool/wait/spin.hpp>

#if __has_include(<boost/lockfree/queue.hpp>)
#include <msgpool/claim/index_queue.hpp>
#define MSGPOOL_CATALOG_HAS_INDEX_QUEUE 1
#else
#define MSGPOOL_CATALOG_HAS_INDEX_QUEUE 0
#endif

namespace msgpool::catalog {

/// A string usable as a template argument: named<claim::cas_scan, "cas_scan">.
template <std::size_t N>
struct fixed_string {
    char value[N]{};
    constexpr fixed_string(const char (&s)[N]) { std::copy_n(s, N, value); }
    constexpr std::string_view view() const { return {value, N - 1}; }
};

template <class... Ts>
struct type_list {};

/// A policy and its name (the name of its type in its namespace).
template <class Policy, fixed_string Name>
struct named {
    using type = Policy;
    static constexpr std::string_view name = Name.view();
};

/// A named composition: an alias template over the element type.
template <template <class> class Pool, fixed_string Name>
struct named_alias {
    template <class T>
    using pool = Pool<T>;
    static constexpr std::string_view name = Name.view();
};

// The lists.  The first entry of each axis is the one a test picks when it
// needs just one policy of that axis.

using claims = type_list<named<claim::cas_scan, "cas_scan">,
                         named<claim::fetch_add_ring, "fetch_add_ring">
#if MSGPOOL_CATALOG_HAS_INDEX_QUEUE
                         , named<claim::index_queue, "index_queue">
#endif
                         >;

using waits = type_list<named<wait::condvar, "condvar">,
                        named<wait::futex, "futex">,
                        named<wait::futex_counted, "futex_counted">,
                        named<wait::spin, "spin">>;

using storages = type_list<named<storage::inline_slots, "inline_slots">,
                           named<storage::aligned_slots, "aligned_slots">,
                           named<storage::line_grouped_slots, "line_grouped_slots">>;

using aliases = type_list<named_alias<pool, "pool">,
                          named_alias<line_pool, "line_pool">,
                          named_alias<futex_pool, "futex_pool">,
                          named_alias<ring_pool, "ring_pool">,
                          named_alias<spin_pool, "spin_pool">>;

/// The default composition (msgpool::pool).
template <class T>
using default_pool = pool<T>;

// Filters for compositions<Make, Keep>: each is a template <class Claim,
// class Wait, class Storage> with a constexpr bool value.

/// Every combination.
template <class, class, class>
struct any : std::true_type {};

/// One slot per control word: the layout every claim policy drives.
template <class Claim, class Storage>
inline constexpr bool one_slot_per_control =
    Storage::template slots<typename Claim::template control<sync::native>>::slots_per_control == 1;

/// The combinations every filter of Keeps keeps.
template <template <class, class, class> class... Keeps>
struct all_of {
    template <class Claim, class Wait, class Storage>
    struct keep : std::conjunction<Keeps<Claim, Wait, Storage>...> {};
};

/// The combinations of one claim policy, picked by its name in `claims`.
template <fixed_string Name>
struct claim_named {
    template <class Claim, class Wait, class Storage>
    struct keep;
};

/// Storage with one slot per control word (`grouped == false`) or with
/// several (`grouped == true`), so that a test may split the two.
template <bool Grouped>
struct grouped_storage {
    template <class Claim, class Wait, class Storage>
    struct keep : std::bool_constant<Grouped != one_slot_per_control<Claim, Storage>> {};
};

namespace detail {

template <class Policy, class List>
struct name_in;
template <class Policy, class... Entries>
struct name_in<Policy, type_list<Entries...>> {
    static constexpr std::string_view value = [] {
        std::string_view found;
        ((std::is_same_v<Policy, typename Entries::type> ? (found = Entries::name, true) : false) || ...);
        return found;
    }();
};

template <template <class, class, class> class Make, template <class, class, class> class Keep, class C, class W,
          class S>
using one = std::conditional_t<composable<typename C::type, typename S::type> &&
                                   Keep<typename C::type, typename W::type, typename S::type>::value,
                               std::tuple<Make<typename C::type, typename W::type, typename S::type>>, std::tuple<>>;

template <template <class, class, class> class Make, template <class, class, class> class Keep, class C, class W,
          class... Ss>
auto over_storages(type_list<Ss...>) -> decltype(std::tuple_cat(std::declval<one<Make, Keep, C, W, Ss>>()...));

template <template <class, class, class> class Make, template <class, class, class> class Keep, class C,
          class Storages, class... Ws>
auto over_waits(type_list<Ws...>)
    -> decltype(std::tuple_cat(std::declval<decltype(over_storages<Make, Keep, C, Ws>(Storages{}))>()...));

template <template <class, class, class> class Make, template <class, class, class> class Keep, class Waits,
          class Storages, class... Cs>
auto over_claims(type_list<Cs...>)
    -> decltype(std::tuple_cat(std::declval<decltype(over_waits<Make, Keep, Cs, Storages>(Waits{}))>()...));

}  // namespace detail

/// The name the catalog gives a policy ("" if it lists no such policy).
template <class Policy>
inline constexpr std::string_view name_of =
    detail::name_in<Policy, claims>::value.empty()
        ? (detail::name_in<Policy, waits>::value.empty() ? detail::name_in<Policy, storages>::value
                                                         : detail::name_in<Policy, waits>::value)
        : detail::name_in<Policy, claims>::value;

template <fixed_string Name>
template <class Claim, class Wait, class Storage>
struct claim_named<Name>::keep : std::bool_constant<name_of<Claim> == Name.view()> {};

/// std::tuple<Make<Claim, Wait, Storage>...>: every composable combination of
/// the lists (claims outermost, in list order) that Keep keeps.
template <template <class, class, class> class Make, template <class, class, class> class Keep = any,
          class Claims = claims, class Waits = waits, class Storages = storages>
using compositions = decltype(detail::over_claims<Make, Keep, Waits, Storages>(Claims{}));

/// Calls f.template operator()<C, W, S>() with the named entries of every
/// composable combination, claims outermost, in list order.
template <class F>
void for_each_composition(F&& f) {
    [&]<class... Cs>(type_list<Cs...>) {
        const auto per_claim = [&]<class C>() {
            [&]<class... Ws>(type_list<Ws...>) {
                const auto per_wait = [&]<class W>() {
                    [&]<class... Ss>(type_list<Ss...>) {
                        const auto per_storage = [&]<class S>() {
                            if constexpr (composable<typename C::type, typename S::type>)
                                f.template operator()<C, W, S>();
                        };
                        (per_storage.template operator()<Ss>(), ...);
                    }(storages{});
                };
                (per_wait.template operator()<Ws>(), ...);
            }(waits{});
        };
        (per_claim.template operator()<Cs>(), ...);
    }(claims{});
}

/// Calls f.template operator()<A>() for every entry of a list of named_alias.
template <class... Aliases, class F>
void for_each_alias(type_list<Aliases...>, F&& f) {
    (f.template operator()<Aliases>(), ...);
}

}  // namespace msgpool::catalog
