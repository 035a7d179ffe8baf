// bench/report.hpp - the outputs of a sweep: the table on stdout (and in
// table.txt), CSV, JSON and gnuplot plots in the run's output folder.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "results.hpp"

namespace msgpool_bench {

/// The per-cell tables, the footprint table, the exactly-once status and
/// the verdict (best composition per cell, then overall, as the last line).
void write_table(std::ostream& out, const results& r);

/// runs.csv (one row per run), summary.csv (one per cell and system),
/// footprint.csv (one per system, capacity and message size).
std::vector<std::filesystem::path> write_csv(const std::filesystem::path& dir, const results& r);

/// results.json: the run's identity, systems, cells, runs, summaries,
/// footprints and verdict (Boost.JSON).
std::filesystem::path write_json(const std::filesystem::path& dir, const results& r);

/// results.md: the tables as Markdown, for docs/benchmarks.md.
std::filesystem::path write_markdown(const std::filesystem::path& dir, const results& r);

struct plot_outcome {
    std::vector<std::filesystem::path> files;  // PNG and SVG images written
    std::string note;                          // why plots are missing, if they are
};

/// Per capacity and message size: throughput against thread shape, and CPU
/// per message against thread shape, one line per system; PNG and SVG via
/// gnuplot, skipped with a note when gnuplot is not installed.
plot_outcome write_plots(const std::filesystem::path& dir, const results& r);

/// Formatting shared by the writers.
std::string fixed(double value, int decimals);
std::string mmps(double messages_per_second);  // million messages per second, "12.3" or "4.56"
std::string shape_group(std::size_t capacity, std::size_t message_bytes);  // "cap1024_8B"

}  // namespace msgpool_bench
