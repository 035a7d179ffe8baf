// bench/cli.hpp - the command line (Boost.Program_options) and the sweep it
// asks for.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "goals.hpp"
#include "latency_run.hpp"
#include "sweep.hpp"

namespace msgpool_bench {

struct settings {
    sweep_plan plan;
    std::filesystem::path output;  // the results folder; the run writes into output/<run id>/
    bool plots = true;
    bool list_only = false;
    bool compare_peers = false;  // --compare-peers: ratios to the peers in the standard cells (peer_comparison.hpp)
    bool recommend = false;      // --recommend: the composition to use for one cell (recommend.hpp)
    std::size_t asked_bytes = 8; // --recommend: the user's message size (the cell holds the size measured)
    bool bulk = false;           // --bulk: bulk systems and their gain
    bool processes = false;      // --processes: shared pools and peers, a process per producer and consumer
    bool estimate_only = false;  // --estimate: print the plan and its estimated duration, run nothing else
    double idle_seconds = 1.0;   // --idle-seconds: the blocked-waiter window
    bool latency = false;        // --latency: round trip, one-way and wake-up latency (latency_run.hpp)
    latency_plan latency_runs;   // --latency: what to measure (its throughput pass is `plan`)
    std::optional<double> p99_under_us;  // --recommend --latency --p99-under: the bound in microseconds
    std::optional<goal_set> goals;  // --goals FILE: checked against this run (goals.hpp)
    std::vector<std::string> notes;  // what the command line was taken to mean, printed before the run
};

/// Parses argv.  Returns nullopt after printing --help (exit 0) and throws
/// std::invalid_argument with a readable message for bad input.
std::optional<settings> parse_command_line(int argc, char** argv, const std::vector<system>& registry);

/// What --list prints: every system name, its kind, aliases and notes.
void list_systems(std::ostream& out, const std::vector<system>& registry);

}  // namespace msgpool_bench
