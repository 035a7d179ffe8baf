// bench/results.hpp - what a sweep produces: every run, the per-cell
// summaries (median, min, max over repetitions; ratio to the best peer),
// the footprints, and the compositions with the highest median per cell and
// the highest geometric mean over the cells.
// The report writers (report_*.cpp) read only this.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "footprint.hpp"
#include "run_info.hpp"
#include "stats.hpp"
#include "systems.hpp"
#include "workload.hpp"

namespace msgpool_bench {

/// One point of the matrix: thread shape, capacity, message size.
struct cell {
    unsigned producers = 1, consumers = 1;
    std::size_t capacity = 1024;
    std::size_t message_bytes = 8;
    std::string shape() const { return std::to_string(producers) + "x" + std::to_string(consumers); }
    std::string name() const {
        return shape() + " cap " + std::to_string(capacity) + " " + std::to_string(message_bytes) + " B";
    }
};

struct run_record {
    std::size_t cell = 0, system = 0;  // indices into results::cells / systems
    unsigned repetition = 0;
    std::uint64_t messages = 0;
    run_measure measure;
    double messages_per_second() const { return measure.seconds > 0 ? messages / measure.seconds : 0; }
    double cpu_seconds_per_million() const { return measure.cpu_seconds / (messages / 1e6); }
    double switches_per_million() const { return static_cast<double>(measure.context_switches) / (messages / 1e6); }
};

/// One system in one cell, over its repetitions.
struct system_cell {
    unsigned runs = 0;
    bool exactly_once = true;
    stat throughput;            // messages per second
    stat cpu_per_million;       // CPU seconds per million messages
    stat switches_per_million;  // context switches per million messages
    std::optional<double> ratio_to_best_peer;  // median / best peer's median
};

struct footprint_record {
    std::size_t system = 0, capacity = 0, message_bytes = 0;
    footprint bytes;
    double bytes_per_slot() const { return static_cast<double>(bytes.heap_bytes) / capacity; }
};

struct results {
    run_info info;
    std::vector<system> systems;
    std::vector<cell> cells;
    unsigned repetitions = 0;
    std::uint64_t messages = 0;
    check_mode check = check_mode::sampled;  // the run's check (a system may have its own: system::check)
    double wall_seconds = 0;

    std::vector<run_record> runs;
    std::vector<footprint_record> footprints;

    // Filled by summarize():
    std::vector<std::vector<system_cell>> table;            // [cell][system]
    std::vector<std::optional<std::size_t>> best_peer;         // per cell
    std::vector<std::optional<std::size_t>> highest_median_composition;  // per cell, msgpool systems only
    std::optional<std::size_t> highest_geomean_composition;                   // highest geometric mean over cells
    std::vector<double> geomean_throughput;                    // per system, over cells (0 if missing)

    bool all_exactly_once() const {
        for (const auto& r : runs)
            if (!r.measure.exactly_once) return false;
        return true;
    }
};

/// Computes table, best_peer, highest_median_composition, highest_geomean_composition from runs.
void summarize(results& r);

}  // namespace msgpool_bench
