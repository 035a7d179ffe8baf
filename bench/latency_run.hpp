// bench/latency_run.hpp - msgpool-bench --latency: the plan, the run, its
// table (latency.csv), its plots and --recommend --latency.
//
// A run is, in this order:
//   1. a short throughput pass (a sweep, sweep.hpp) of every system that
//      offers one-way latency, in the one-way cells (1x1 and 4x4 by
//      default, capacity 1024, 16-byte messages): its tables are the usual
//      ones (summary.csv, runs.csv, ...);
//   1b. the calibration of the loads: the one-way workload unpaced (every
//      producer stamps and writes as fast as it can, latency.hpp) per cell,
//      repetition and system, interleaved; its median rate (messages over
//      the time to the last read) is the 100% of step 3.  The pass of step
//      1 moves plain messages with no clock read: its rate is not one the
//      one-way run's senders and consumers, who read the clock and record
//      a histogram entry per message, can reach;
//   2. the round trip of every system that offers it;
//   3. one-way latency per cell, per offered load (a fraction of the
//      calibrated rate of the same system in that cell), per system,
//      systems interleaved within a load; each row carries the verdict on
//      its schedule (latency_schedule.hpp): only a "kept" row is a
//      measurement at its load;
//   4. wake-up latency of every system that offers it, then the floor (a
//      bare futex wait/wake pair).
// Every measurement runs in a fresh child process, as the sweep's runs do
// (runner.hpp).  The workloads themselves are described in latency.hpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "latency_schedule.hpp"
#include "report.hpp"
#include "results.hpp"
#include "sweep.hpp"

namespace msgpool_bench {

enum class latency_mode { round_trip, one_way, wake_up };
const char* to_string(latency_mode m) noexcept;  // "round trip", "one-way", "wake-up"

/// The name of the wake-up floor's row.
inline constexpr const char* futex_floor_name = "futex wait/wake (floor)";

/// A p99.99 from fewer samples than this shows as "n/a".
inline constexpr std::uint64_t p9999_min_samples = 1'000'000;

struct latency_plan {
    std::vector<system> systems;           // each with at least one latency workload
    std::vector<cell> one_way_cells;       // 16-byte messages
    std::vector<double> loads{0.1, 0.5, 0.9};
    bool round_trip = true, wake_up = true;  // --recommend --latency measures one-way alone
    std::size_t capacity = 1024;           // round trip and wake-up
    std::uint64_t one_way_samples = 1'000'000, round_trips = 100'000, wake_ups = 10'000;
    sweep_plan throughput;                 // the pass of step 1: repetitions, messages, progress, limits
};

struct latency_row {
    std::string system;  // a system's name, or futex_floor_name
    latency_mode mode = latency_mode::round_trip;
    cell where;
    std::optional<double> load;  // one-way: the fraction of the system's calibrated rate offered
    double offered_mps = 0;      // one-way: messages per second offered, all producers together
    latency_measure measure;
    double base_mps = 0;         // one-way: the calibrated rate (step 1b) the load is a share of
    /// One-way: whether the senders kept the schedule (latency_schedule.hpp).
    schedule_verdict schedule() const { return judge_schedule(measure, offered_mps, where.producers); }
};

/// Step 1b for one system and cell: the unpaced one-way runs.
struct one_way_calibration {
    std::string system;
    cell where;
    double pass_mps = 0;           // the median of the plain throughput pass (step 1), for comparison
    std::vector<double> runs_mps;  // each unpaced run: messages over the time to the last read
    double median_mps = 0;         // 0 when no run delivered every message
    std::string failure;           // the first failed run's
};

struct latency_results {
    std::vector<system> systems;  // the plan's
    results throughput;  // step 1, summarized (results.hpp)
    std::vector<one_way_calibration> calibrations;  // step 1b, per cell then system
    double clock_read_ns = 0;   // what one read of the one-way clock costs here (latency_detail::now_ns)
    std::string clock_source;   // the kernel's clock source, when it says
    std::vector<latency_row> rows;
    double wall_seconds = 0;
    bool all_delivered() const;  // every latency run delivered every message once
};

/// The systems --latency measures by default: the msgpool aliases, then
/// the peers that offer a latency workload.
std::vector<system> latency_systems(const std::vector<system>& registry);

latency_results run_latency(const latency_plan& plan);

/// latency.csv: one row per system, cell, mode and load.
table latency_table(const latency_results& r);

/// latency_calibration.csv: per system and cell, the plain pass's median
/// beside the unpaced one-way runs' (the 100% of the loads).
table latency_calibration_table(const latency_results& r);

/// Per mode and cell, the percentile distribution of every system on log
/// axes (one panel per load for one-way): plots/latency_<mode>_<cell>.{png,svg}.
plot_outcome write_latency_plots(const std::filesystem::path& dir, const latency_results& r);

/// --recommend --latency: the composition with the highest median
/// throughput (step 1) whose one-way p99 at 50% load is under `p99_bound_us`,
/// or that none is; every candidate's figures below.
void write_latency_recommendation(std::ostream& out, const latency_results& r, double p99_bound_us);

}  // namespace msgpool_bench
