// bench/composition_list.hpp - THE list of what msgpool-bench measures of
// msgpool: every policy of every axis, and every named alias.
//
// The benchmark instantiates every claim x wait x storage combination of
// these lists that msgpool::composable accepts (systems_msgpool.cpp; a
// storage that groups slots under one control word needs a claim policy
// that can drive it, so line_grouped_slots pairs with cas_scan only) and
// names it "claim+wait+storage".
// Adding a policy is two lines here: its #include and its entry.  An alias
// that names one of those combinations is shown as that composition's
// label (and selectable by its name); any other alias becomes a system of
// its own.
#pragma once

#include <msgpool/basic_pool.hpp>
#include <msgpool/compositions.hpp>
#include <msgpool/pool.hpp>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/claim/index_queue.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/storage/line_grouped_slots.hpp>
#include <msgpool/wait/condvar.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/spin.hpp>

#include "type_list.hpp"

namespace msgpool_bench::composition_list {

using claims = type_list<
    named<msgpool::claim::cas_scan, "cas_scan">,
    named<msgpool::claim::fetch_add_ring, "fetch_add_ring">,
    named<msgpool::claim::index_queue, "index_queue">>;

using waits = type_list<
    named<msgpool::wait::condvar, "condvar">,
    named<msgpool::wait::futex, "futex">,
    named<msgpool::wait::spin, "spin">>;

using storages = type_list<
    named<msgpool::storage::inline_slots, "inline_slots">,
    named<msgpool::storage::aligned_slots, "aligned_slots">,
    named<msgpool::storage::line_grouped_slots, "line_grouped_slots">>;

using aliases = type_list<
    named_alias<msgpool::pool, "pool">,
    named_alias<msgpool::line_pool, "line_pool">,
    named_alias<msgpool::futex_pool, "futex_pool">,
    named_alias<msgpool::ring_pool, "ring_pool">,
    named_alias<msgpool::spin_pool, "spin_pool">>;

/// Measured also through write_bulk / read_bulk ("<composition> bulk16",
/// "... bulk32"; msgpool_adapter.hpp), so that the gain of batching is one
/// ratio in the same run (--bulk).
using bulk = type_list<
    named_alias<msgpool::pool, "pool">,
    named_alias<msgpool::line_pool, "line_pool">>;
inline constexpr std::size_t bulk_batch_small = 16, bulk_batch_large = 32;

/// The default composition (shown first, and the one the footprint rule
/// "at most 16 bytes per 8-byte slot" applies to).
template <class T>
using default_pool = msgpool::pool<T>;

}  // namespace msgpool_bench::composition_list
