// bench/run_length.hpp - whether the runs of a throughput cell are long
// enough for their thread shape.
//
// A run's clock (workload.hpp) covers releasing its P + C threads, the
// messages, then close() (which wakes every blocked consumer) and joining
// every thread.  The release and the end cost a time that grows with the
// number of threads and not with the messages, and with more threads than
// cores each woken thread waits for a core, so it grows further when the
// machine is busy.  In a run too short for its shape that time is a large
// and erratic share of the run, and it is not the same share for every
// system (their waiters sleep and wake differently), so medians and ratios
// move from one run of the tool to the next.
//
// The rule: a system's median run in a cell should last at least
// min_run_seconds_per_thread for each of the cell's threads, which keeps
// the start and the end to about a tenth of the run where they cost about
// a tenth of that per thread (docs/benchmarks.md, "Runs too short for their
// shape").  short_run_warning() names the systems under it and the message
// count that would bring the shortest of them over it.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace msgpool_bench {

/// The least median run time per thread of the cell (seconds).
inline constexpr double min_run_seconds_per_thread = 300e-6;

/// A warning line for a cell whose systems' median runs
/// (`median_seconds`: name, seconds) are too short for `threads` threads,
/// or none.  `messages`: messages per run.
inline std::optional<std::string> short_run_warning(const std::string& cell_name, unsigned threads,
                                                    std::uint64_t messages,
                                                    const std::vector<std::pair<std::string, double>>& median_seconds) {
    const double bound = min_run_seconds_per_thread * threads;
    std::vector<std::string> short_ones;
    double shortest = 0;
    for (const auto& [name, seconds] : median_seconds)
        if (seconds > 0 && seconds < bound) {
            short_ones.push_back(name);
            shortest = shortest > 0 ? std::min(shortest, seconds) : seconds;
        }
    if (short_ones.empty()) return std::nullopt;
    // The message count that makes the shortest median run last `bound`,
    // rounded up to two significant digits.
    const double wanted = static_cast<double>(messages) * bound / shortest;
    const double unit = std::pow(10.0, std::floor(std::log10(wanted)) - 1);
    const auto suggested = static_cast<std::uint64_t>(std::ceil(wanted / unit) * unit);
    const auto ms = [](double s) {
        const double v = std::round(s * 1e4) / 10;  // one decimal, in ms
        std::string t = std::to_string(v);
        return t.substr(0, t.find('.') + 2);
    };
    std::string line = "NOTE: " + cell_name + ": runs too short for " + std::to_string(threads) +
                       " threads: the median run of ";
    for (std::size_t i = 0; i < short_ones.size(); ++i)
        line += (i ? (i + 1 == short_ones.size() ? " and " : ", ") : "") + short_ones[i];
    line += " lasts under " + ms(bound) + " ms (the shortest " + ms(shortest) +
            " ms), so starting and stopping the threads is a large, erratic share of it; use --messages " +
            std::to_string(suggested) + " or more for this shape";
    return line;
}

}  // namespace msgpool_bench
