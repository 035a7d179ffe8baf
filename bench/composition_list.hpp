// bench/composition_list.hpp - what msgpool-bench measures of msgpool: the
// catalog (<msgpool/catalog.hpp>, the one list of policies and named
// compositions) and the few the bulk and in-place systems use.
//
// The benchmark instantiates every claim x wait x storage combination of the
// catalog that msgpool::composable accepts (systems_msgpool.cpp) and names it
// "claim+wait+storage".  A policy added to the catalog is measured with no
// edit here.  An alias that names one of those combinations is shown as
// that composition's label (and selectable by its name); any other alias
// becomes a system of its own.
#pragma once

#include <cstddef>

#include <msgpool/catalog.hpp>

namespace msgpool_bench {

// The catalog's list machinery, by the names the benchmark's user headers
// use (user_compositions.hpp): msgpool_bench::named_alias<alias, "name">.
using msgpool::catalog::for_each_alias;
using msgpool::catalog::named_alias;
using msgpool::catalog::type_list;

namespace composition_list {

/// Measured also through write_bulk / read_bulk ("<composition> bulk16",
/// "... bulk32"; msgpool_adapter.hpp), so that the gain of batching is one
/// ratio in the same run (--bulk): the default, which claims slot by slot,
/// and the three named compositions whose bulk forms claim several slots at
/// once (line_pool: a group's lanes per CAS; ring_pool, spin_pool: a run of
/// ring positions per CAS).
using bulk = type_list<named_alias<msgpool::pool, "pool">, named_alias<msgpool::line_pool, "line_pool">,
                       named_alias<msgpool::ring_pool, "ring_pool">, named_alias<msgpool::spin_pool, "spin_pool">>;
inline constexpr std::size_t bulk_batch_small = 16, bulk_batch_large = 32;

/// Measured also in place ("<composition> in place";
/// msgpool_in_place_adapter.hpp): each message made in the slot through a
/// write handle and checked there through a read handle, no copy either way.
/// The named compositions whose claim offers slot handles (cas_scan).
using in_place = type_list<named_alias<msgpool::pool, "pool">, named_alias<msgpool::futex_pool, "futex_pool">,
                           named_alias<msgpool::line_pool, "line_pool">>;

}  // namespace composition_list
}  // namespace msgpool_bench
