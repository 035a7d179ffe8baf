// bench/examples/user_compositions.hpp - an example of the header that
// -DMSGPOOL_BENCH_USER_HEADER names (see bench/user_compositions.hpp): a
// project that ships its own compositions measures them beside msgpool's.
//
// Here a service keeps two pools of its own: one for orders, whose waiting
// readers must not burn CPU (futex, one slot per cache line so the
// producers' writes never share a line), and one for market ticks, where a
// reader is always waiting and spinning pays (spin, dense slots).
#pragma once

namespace example_service {

template <class T>
using order_pool = msgpool::basic_pool<T, msgpool::claim::cas_scan, msgpool::wait::futex,
                                       msgpool::storage::aligned_slots>;

template <class T>
using tick_pool = msgpool::basic_pool<T, msgpool::claim::fetch_add_ring, msgpool::wait::spin,
                                      msgpool::storage::inline_slots>;

}  // namespace example_service

MSGPOOL_BENCH_USER_COMPOSITIONS(msgpool_bench::named_alias<example_service::order_pool, "example_service::order_pool">,
                                msgpool_bench::named_alias<example_service::tick_pool, "example_service::tick_pool">)
