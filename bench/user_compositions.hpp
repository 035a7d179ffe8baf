// bench/user_compositions.hpp - how to measure your own compositions with
// msgpool-bench, without editing the benchmark.
//
// 1. Write a header that names each composition as an alias template over
//    the message type and lists them with MSGPOOL_BENCH_USER_COMPOSITIONS:
//
//        #include "my_wait.hpp"   // your own policies, if any
//
//        namespace mine {
//        template <class T>
//        using order_pool = msgpool::basic_pool<T, msgpool::claim::cas_scan, my::wait::hybrid,
//                                               msgpool::storage::aligned_slots>;
//        }
//        MSGPOOL_BENCH_USER_COMPOSITIONS(msgpool_bench::named_alias<mine::order_pool, "mine::order_pool">)
//
//    The benchmark includes every msgpool header (basic_pool, each policy,
//    the named compositions) and this file before yours; include whatever
//    else your types need.  The name in quotes is what the reports show and
//    what --systems selects; bench/examples/user_compositions.hpp is a
//    complete example.
// 2. Configure with -DMSGPOOL_BENCH_USER_HEADER=/path/to/that/header.hpp and
//    build msgpool-bench.
// 3. Your compositions are systems of kind "user composition": the default
//    sweep runs them, --systems user selects them alone, and --recommend
//    counts them among the candidates.  A composition whose wait policy is
//    not msgpool::wait::spin counts as blocking there.
//
// Each composition is instantiated for every message size of messages.hpp,
// so its element type must accept any trivially copyable message.
//
// Bulk forms of your own: MSGPOOL_BENCH_USER_BULK lists pools measured
// through write_bulk / read_bulk (msgpool_adapter.hpp, msgpool_bulk_queue),
// each as bulk_variant<alias template, "twin", "variant">.  They become the
// bulk systems "<twin> bulk16 <variant>" and "<twin> bulk32 <variant>",
// which --bulk runs and whose bulk table rows give their gain over the
// single operations of the system named "<twin>" (a composition such as
// "fetch_add_ring+futex+inline_slots") and their ratio to moodycamel's bulk
// calls.  A variant is typically a class derived from a basic_pool with
// bulk forms of its own (bench/lab/bulk_ablation.hpp).
#pragma once

#include <string_view>

#include "composition_list.hpp"

/// Lists the user's compositions: named_alias<alias template, "name"> entries.
#define MSGPOOL_BENCH_USER_COMPOSITIONS(...)                   \
    namespace msgpool_bench::user {                            \
    using compositions = ::msgpool_bench::type_list<__VA_ARGS__>; \
    }

namespace msgpool_bench {

/// A pool measured through its bulk forms, named after its single-operation
/// twin and a variant word (see above).
template <template <class> class Pool, msgpool::catalog::fixed_string Twin, msgpool::catalog::fixed_string Variant>
struct bulk_variant {
    template <class T>
    using pool = Pool<T>;
    static constexpr std::string_view twin = Twin.view();
    static constexpr std::string_view variant = Variant.view();
};

namespace user {
/// The bulk variants of MSGPOOL_BENCH_USER_BULK (none unless it is used).
template <int = 0>
struct bulk_list {
    using type = type_list<>;
};
}  // namespace user
}  // namespace msgpool_bench

/// Lists the user's bulk variants: bulk_variant<alias template, "twin", "variant"> entries.
#define MSGPOOL_BENCH_USER_BULK(...)                          \
    namespace msgpool_bench::user {                           \
    template <>                                               \
    struct bulk_list<0> {                                     \
        using type = ::msgpool_bench::type_list<__VA_ARGS__>; \
    };                                                        \
    }
