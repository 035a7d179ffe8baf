// bench/sweep.hpp - runs the matrix: every cell, every repetition, every
// selected system, interleaved.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "results.hpp"

namespace msgpool_bench {

struct sweep_plan {
    std::vector<system> systems;
    std::vector<cell> cells;
    unsigned repetitions = 5;
    std::uint64_t messages = 0;
    bool progress = true;
    std::chrono::seconds run_limit{600};  // a run longer than this is a hang: abort (watchdog.hpp)
    bool in_process = false;              // --in-process: no child process per run (runner.hpp)
    check_mode check = check_mode::sampled;  // --full-check: check_mode::full (messages.hpp)

    /// The run configuration of `s` in cell `c` (its own check, if it has one).
    run_config config(const system& s, const cell& c, std::uint64_t n) const {
        return run_config{{c.capacity, c.producers, c.consumers}, n, s.check.value_or(check)};
    }
};

/// For each cell, runs repetition after repetition of all systems in turn
/// (A B C A B C ...), so that drift of the machine's speed during a cell
/// hurts every system alike; each run in a fresh process unless
/// plan.in_process (runner.hpp).  Then measures the footprints.  Prints an
/// exactly-once failure on stderr the moment it happens and carries on; the
/// results say whether every run passed.
results run_sweep(const sweep_plan& plan);

}  // namespace msgpool_bench
