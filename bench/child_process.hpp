// bench/child_process.hpp - one measured run in a fresh process.
//
// A run measured after other runs in the same process inherits their state:
// the thread-local cursors every pool of a composition shares, the
// allocator's free lists and arenas, where the pages of earlier structures
// landed.  A user's program that creates one pool does not.  So each run
// forks a child from the parent as it stood after parsing the command line;
// the child builds the structure, runs, measures itself (wall time, and its
// own CPU time and context switches through getrusage(RUSAGE_SELF)) and
// writes the outcome back through a pipe; the parent only schedules runs,
// collects outcomes and computes the medians.
//
// The parent does not touch the systems between forks, so every child starts
// from the same state whatever ran before it.
//
// Hangs: the parent waits for the child's answer at most `limit`; past it,
// it kills the child, prints what was running and exits with status 3 (as
// watchdog.hpp does for runs in the process).
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace msgpool_bench {

struct child_outcome {
    bool completed = false;  // the child wrote its answer and exited with status 0
    std::string answer;      // what body() returned, when completed
    std::string failure;     // otherwise: how the child ended ("killed by signal 11 (Segmentation fault)")
};

/// Runs body() in a child process and returns what it returned.  `what`
/// names the run in the hang message.
child_outcome run_in_child(const std::string& what, std::chrono::seconds limit,
                           const std::function<std::string()>& body);

}  // namespace msgpool_bench
