// bench/processes_report.hpp - what --processes adds to the report: per cell,
// the fastest shared pool against Boost.Interprocess message_queue, and each
// shared pool against the same composition with threads in one process when
// the run measured it; then the CPU of readers blocked across processes.
#pragma once

#include <vector>

#include "peer_comparison.hpp"
#include "report.hpp"
#include "results.hpp"

namespace msgpool_bench {

inline constexpr std::string_view interprocess_peer_name = "boost::interprocess::message_queue";

/// The in-process composition a shared system ("shm:C+W+S+B") mirrors: "C+W+S".
std::string threaded_twin_name(const system& shared);

void add_process_tables(report& out, const results& r, const std::vector<idle_row>& idle, double idle_seconds);

}  // namespace msgpool_bench
