// bench/runner.hpp - how each measured run is executed.
//
// By default every run (and every blocked-waiter measurement) happens in a
// fresh child process (child_process.hpp), so a measure does not depend on
// what ran before it in the same process.  --in-process runs them in this
// process instead, one after the other, under a watchdog thread: useful
// under a profiler or a debugger, which then sees every run in one process.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "systems.hpp"
#include "watchdog.hpp"

namespace msgpool_bench {

class runner {
public:
    runner(bool in_process, std::chrono::seconds limit);

    /// One run of `s` with messages of `message_bytes`; `what` names it in
    /// the hang message.  A child that dies without an answer gives a
    /// measure whose exactly-once check failed, with the reason.
    run_measure run(const system& s, std::size_t message_bytes, const run_config& config, const std::string& what);

    /// Readers blocked on an empty structure (workload.hpp, run_idle).
    idle_measure idle(const system& s, const idle_config& config, const std::string& what);

    /// One latency measurement (latency.hpp): `workload` is one of a
    /// system's latency_workloads, or run_futex_floor.  A child that dies
    /// without an answer gives a measure whose failure says why.
    latency_measure latency(latency_measure (*workload)(const latency_config&), const latency_config& config,
                            const std::string& what);

private:
    bool in_process_;
    std::chrono::seconds limit_;
    std::optional<watchdog> dog_;  // in process only: the parent of forked runs stays single-threaded
};

}  // namespace msgpool_bench
