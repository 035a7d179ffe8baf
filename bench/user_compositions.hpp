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
#pragma once

#include "composition_list.hpp"

/// Lists the user's compositions: named_alias<alias template, "name"> entries.
#define MSGPOOL_BENCH_USER_COMPOSITIONS(...)                   \
    namespace msgpool_bench::user {                            \
    using compositions = ::msgpool_bench::type_list<__VA_ARGS__>; \
    }
