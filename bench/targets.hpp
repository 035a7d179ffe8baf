// bench/targets.hpp - issue 7's "Targets" as one run of the tool
// (msgpool-bench --targets), and the gain of bulk operations (--bulk).
//
// --targets sweeps the five target cells (1x1, 2x2, 4x4, 8x8 at capacity
// 1024 and 4x4 at capacity 64, 8-byte messages), interleaved, 10 repetitions
// by default, over: moodycamel::ConcurrentQueue with tokens (the reference),
// the original msg-pool (when built in, see bench/CMakeLists.txt), the default
// composition, every named alias, and the candidates: every composition with
// line_grouped_slots and every composition with wait::spin.  It then measures
// blocked waiters (run_idle in workload.hpp: 8 readers on an empty structure
// of capacity 1024) for every sleeping composition of the set and for
// moodycamel, and evaluates each target from medians of this run:
//
//   best composition / moodycamel     >= 1.3 at 2x2, 4x4, 8x8 cap 1024,
//                                     >= 2.5 at 1x1 cap 1024, >= 1.0 at 4x4 cap 64
//   default composition / original    >= 5 at each cap-1024 cell, >= 3 at cap 64
//                                     (plus the fixed figures for context)
//   CPU per message at 8x8 cap 1024:  best sleeping composition / moodycamel <= 0.5
//   blocked waiters:                  CPU of every sleeping composition's idle
//                                     readers <= 1% of one core over the window
//
// --bulk adds, for the default composition and line_pool, the same pool used
// through write_bulk / read_bulk (16 and 32 per call) and reports bulk
// median / single median per cell.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "results.hpp"
#include "sweep.hpp"

namespace msgpool_bench {

/// The target cells, in the order.
std::vector<cell> target_cells();

/// The systems --targets measures, picked from the registry (see above);
/// `bulk` adds the bulk systems and their single-operation twins.
std::vector<system> target_systems(const std::vector<system>& registry, bool bulk);

/// The systems --bulk alone measures: the bulk systems and their twins.
std::vector<system> bulk_systems(const std::vector<system>& registry);

/// An estimate of the sweep's duration: one calibration run per system and
/// cell at a tenth of the messages (also a warm-up), scaled to the plan.
/// Returns seconds; prints nothing.
double estimate_sweep_seconds(const sweep_plan& plan);

struct target_row {
    std::string target;     // "best composition vs moodycamel (tokens)"
    std::string where;      // "2x2 cap 1024", "8 readers, cap 1024"
    std::string subject;    // the system measured (for "best": the best one)
    std::string reference;  // what it is compared with
    double subject_value = 0, reference_value = 0;
    std::string unit;       // "M msg/s", "CPU s/M msg", "CPU s"
    std::optional<double> ratio;  // subject / reference
    double goal = 0;
    bool at_least = true;   // ratio >= goal (else <= goal)
    std::string verdict;    // PASS, MISS, n/a
    std::string context;    // the fixed figure, when there is one
};

struct idle_row {
    std::string system;
    bool sleeps = false;  // msgpool composition with a sleeping wait
    idle_measure measure;
};

struct bulk_row {
    std::size_t cell = 0, bulk = 0, single = 0;  // indices into results
    double gain = 0;       // median throughput, bulk / single
    double cpu_ratio = 0;  // median CPU per message, bulk / single
};

struct targets_outcome {
    std::vector<target_row> targets;
    std::vector<idle_row> idle;
    std::vector<bulk_row> bulk;
    double idle_window = 0;
    bool original_measured = false;
    bool evaluated = false;  // --targets (else only bulk rows)
};

/// Idle runs (for --targets), then the evaluation from `r`'s medians.
targets_outcome evaluate_targets(const results& r, bool targets, double idle_seconds, const sweep_plan& plan);

/// The text report (stdout and targets.txt).
void write_targets_text(std::ostream& out, const results& r, const targets_outcome& t);

/// targets.md, targets.csv, idle.csv, bulk.csv, targets.json (the parts that
/// exist); returns the files written.
std::vector<std::filesystem::path> write_targets_files(const std::filesystem::path& dir, const results& r,
                                                       const targets_outcome& t);

}  // namespace msgpool_bench
