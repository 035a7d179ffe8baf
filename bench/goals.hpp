// bench/goals.hpp - goals read from a file (msgpool-bench --goals FILE): what
// a run should show, each checked against figures measured in that run.
//
// A goals file is JSON (docs/benchmarks.md, "Goals"; the project's own
// is bench/goals/peer-comparison.json):
//
//   { "goals": [ { "name": "...",
//                  "measure": "throughput_ratio" | "cpu_ratio" | "idle_cores",
//                  "subject": SELECTOR, "reference": SELECTOR,   (no reference for idle_cores)
//                  "cells": [ { "shape": "4x4", "capacity": 64, "message_bytes": 8 }, ... ],
//                  "at_least": X  or  "at_most": X } ] }
//
// SELECTOR is a string (every system it names: a name, an alias, a '*'
// pattern or a group of --systems, comma-separated; each is its own row) or
// { "best_of": "..." } (per cell, the one of those with the highest median
// throughput; for idle_cores the one with the fewest cores).
//
//   throughput_ratio  subject median messages per second / reference's, per cell
//   cpu_ratio         subject median CPU per message / reference's, per cell
//   idle_cores        CPU of the subject's readers blocked on an empty
//                     structure (run_idle: 8 readers, capacity 1024), in cores
//
// Each row is met, missed, or not measured: a system the build does not
// have (a peer not built in), a cell the run did not sweep, or a run with no
// blocked-waiter measurement is "not measured", never met.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "peer_comparison.hpp"
#include "report.hpp"
#include "results.hpp"

namespace msgpool_bench {

struct selector {
    std::string terms;   // as in --systems
    bool best = false;   // { "best_of": terms }
    std::string text() const { return best ? "best of " + terms : terms; }
};

enum class goal_measure { throughput_ratio, cpu_ratio, idle_cores };

struct goal {
    std::string name;
    goal_measure measure = goal_measure::throughput_ratio;
    selector subject;
    std::optional<selector> reference;  // ratios only
    std::vector<cell> cells;            // ratios only
    double bound = 0;
    bool at_least = true;  // measured >= bound (else <= bound)
};

struct goal_set {
    std::filesystem::path file;
    std::vector<goal> goals;
    bool needs_idle() const;
};

/// Reads and checks a goals file; throws std::invalid_argument naming the
/// file, the goal and what is wrong.
goal_set read_goals(const std::filesystem::path& file);

/// What the goals need measured: the cells of their ratios (in file order,
/// once each), and the registry's systems their selectors name.
std::vector<cell> goal_cells(const goal_set& g);
std::vector<system> goal_systems(const goal_set& g, const std::vector<system>& registry);
/// The systems whose blocked waiters idle_cores goals read.
std::vector<system> goal_idle_systems(const goal_set& g, const std::vector<system>& registry);

enum class goal_status { met, missed, not_measured };

struct goal_row {
    std::size_t goal = 0;
    std::optional<cell> where;  // ratios
    std::string subject, reference;
    std::optional<double> measured;
    goal_status status = goal_status::not_measured;
    std::string why;  // not measured: the reason
};

/// Each goal against the run: `idle` the blocked-waiter runs made, if any.
std::vector<goal_row> evaluate_goals(const goal_set& g, const results& r, const std::vector<idle_row>& idle);

/// The goals table (key "goals") with a met / missed / not measured count as its note.
table goals_table(const goal_set& g, const std::vector<goal_row>& rows);

bool any_missed(const std::vector<goal_row>& rows);

}  // namespace msgpool_bench
