// bench/recommend.hpp - msgpool-bench --recommend: which composition to use
// on this machine for one shape, capacity and message size.
//
// The sweep measures every candidate (each msgpool composition, each alias
// that is not one of them, each user composition) in one cell, interleaved,
// each run in a fresh process.  The answer names two winners, because they
// answer different needs:
//   blocking  the highest median among compositions whose waiters sleep
//             (condvar, futex): an idle thread costs no CPU;
//   spinning  the highest median among wait::spin compositions: a waiting
//             thread keeps its core busy, which pays only when every thread
//             has a core of its own.
// For each: throughput (median, min..max), CPU seconds per million
// messages, whether its lead over the runner-up is beyond the spread
// (standing.hpp; "tied within the spread" otherwise), the CPU its readers
// burn while blocked on an empty pool, and the C++ type to paste.
#pragma once

#include <ostream>
#include <optional>
#include <vector>

#include "results.hpp"
#include "standing.hpp"
#include "sweep.hpp"

namespace msgpool_bench {

/// The candidates, picked from the registry.
std::vector<system> recommend_candidates(const std::vector<system>& registry);

struct recommendation {
    std::size_t asked_bytes = 0;  // the user's message size (the cell holds the size measured)
    standing blocking, spinning;
    std::optional<idle_measure> blocking_idle, spinning_idle;  // the leaders' blocked readers
};

/// From the sweep `r` (one cell): the standings, then the blocked-reader
/// CPU of both leaders over `idle_seconds`.
recommendation recommend(const results& r, const sweep_plan& plan, std::size_t asked_bytes, double idle_seconds);

void write_recommendation(std::ostream& out, const results& r, const recommendation& rec);

}  // namespace msgpool_bench
