// bench/peer_comparison.hpp - msgpool against its peers in the standard
// cells (msgpool-bench --compare-peers), and the gain of bulk operations
// (--bulk).
//
// --compare-peers sweeps eight cells (1x1, 2x2, 4x4, 8x8, 16x16, 32x32 at
// capacity 1024, and 4x4 at capacities 64 and 16, 8-byte messages): the
// crowds of threads and the tiny pools are where designs differ most.
// Interleaved, 10 repetitions by default, over every msgpool composition,
// moodycamel::ConcurrentQueue with tokens, the original msg-pool (when
// built in, see bench/CMakeLists.txt) and the reference rows.
// Per cell, from medians of that one run:
//   the fastest blocking composition / moodycamel::ConcurrentQueue, in
//   throughput and in CPU per message, and whether that composition's lead
//   over the other blocking ones is beyond the spread (standing.hpp);
//   the default composition / the original msg-pool, in throughput and CPU
//   per message (when the original is built in).
// Then the CPU of 8 readers blocked on an empty structure of capacity 1024
// (run_idle in workload.hpp) for every blocking composition and moodycamel.
//
// --bulk adds, for the default composition and line_pool, the same pool used
// through write_bulk / read_bulk (16 and 32 per call), and
// moodycamel::ConcurrentQueue through enqueue_bulk / try_dequeue_bulk with
// tokens at the same batch sizes; it reports bulk median / single median per
// cell, and each msgpool bulk system's median over moodycamel's bulk one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report.hpp"
#include "results.hpp"
#include "standing.hpp"
#include "sweep.hpp"

namespace msgpool_bench {

/// The standard cells.
std::vector<cell> comparison_cells();

/// What --compare-peers measures, picked from the registry (see above);
/// `bulk` adds the bulk systems.
std::vector<system> comparison_systems(const std::vector<system>& registry, bool bulk);

/// What --bulk alone measures: the bulk systems and their twins.
std::vector<system> bulk_systems(const std::vector<system>& registry);

/// An estimate of the sweep's duration: one calibration run per system and
/// cell at a tenth of the messages (also a warm-up), scaled to the plan.
/// Returns seconds; prints nothing.
double estimate_sweep_seconds(const sweep_plan& plan);

/// A ratio of medians measured in the same run: subject / reference.
struct ratio_row {
    std::size_t cell = 0;
    std::optional<std::size_t> subject, reference;  // indices into results::systems
    std::optional<double> throughput_ratio, cpu_ratio;
    standing subject_standing;  // for the fastest blocking composition: its lead over the other blocking ones
};

struct idle_row {
    std::string system, label;  // name, and name with aliases
    bool sleeps = false;  // msgpool composition with a sleeping wait
    idle_measure measure;
};

struct bulk_row {
    std::size_t cell = 0, bulk = 0, single = 0;  // indices into results
    double gain = 0;       // median throughput, bulk / single
    double cpu_ratio = 0;  // median CPU per message, bulk / single
    std::optional<double> versus_peer;  // msgpool bulk: median / moodycamel's bulk median at the same batch
};

struct comparison {
    std::vector<ratio_row> versus_moodycamel;  // fastest blocking composition / moodycamel::ConcurrentQueue
    std::vector<ratio_row> versus_original;    // default composition / original msg-pool (when built in)
    std::vector<idle_row> idle;
    std::vector<bulk_row> bulk;
    double idle_window = 0;
    bool original_measured = false;
    bool evaluated = false;  // --compare-peers (else only bulk rows)
};

/// Idle runs (for --compare-peers), then the ratios from `r`'s medians.
comparison compare_with_peers(const results& r, bool peers, double idle_seconds, const sweep_plan& plan);

/// The comparison's tables, added to the run's report: versus_moodycamel,
/// versus_original, idle (blocked waiters) and bulk (the parts that exist).
void add_comparison_tables(report& out, const results& r, const comparison& t);

/// Blocked-waiter runs (run_idle in workload.hpp): 8 readers on an empty
/// structure of capacity 1024 for each system, over `seconds`.
std::vector<idle_row> measure_idle(const std::vector<system>& systems, double seconds, const sweep_plan& plan);

}  // namespace msgpool_bench
