// bench/report_markdown.cpp - results.md: the same tables as the text report,
// as Markdown, ready to paste into docs/benchmarks.md (figures are never typed
// by hand).
#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "report.hpp"
#include "standing.hpp"

namespace msgpool_bench {
std::filesystem::path write_markdown(const std::filesystem::path& dir, const results& r) {
    const auto path = dir / "results.md";
    std::ofstream out(path);
    if (!out) throw std::runtime_error("cannot write " + path.string());
    out << "Run `" << r.info.id << "`: commit " << r.info.commit << ", " << r.info.compiler << ", " << r.info.cpu
        << ", " << r.info.hardware_threads << " hardware threads; " << r.messages << " messages per run, median of "
        << r.repetitions << " interleaved repetitions (min..max in brackets).\n";

    // One table per (capacity, message size): rows are systems, columns thread shapes.
    std::vector<std::pair<std::size_t, std::size_t>> groups;
    for (const auto& c : r.cells)
        if (std::find(groups.begin(), groups.end(), std::make_pair(c.capacity, c.message_bytes)) == groups.end())
            groups.emplace_back(c.capacity, c.message_bytes);
    for (const auto& [capacity, bytes] : groups) {
        std::vector<std::size_t> cells;
        for (std::size_t c = 0; c < r.cells.size(); ++c)
            if (r.cells[c].capacity == capacity && r.cells[c].message_bytes == bytes) cells.push_back(c);
        out << "\n**Capacity " << capacity << ", " << bytes
            << "-byte messages: million messages per second (ratio to the best peer)**\n\n| system |";
        for (auto c : cells) out << ' ' << r.cells[c].shape() << " |";
        out << "\n| --- |";
        for (std::size_t i = 0; i < cells.size(); ++i) out << " ---: |";
        out << "\n";
        for (std::size_t s = 0; s < r.systems.size(); ++s) {
            out << "| " << (r.systems[s].is_default ? "**" + r.systems[s].label() + "**" : r.systems[s].label()) << " |";
            for (auto c : cells) {
                const auto& sc = r.table[c][s];
                if (sc.runs == 0) {
                    out << " - |";
                    continue;
                }
                out << ' ' << mmps(sc.throughput.median) << " (" << mmps(sc.throughput.min) << ".."
                    << mmps(sc.throughput.max) << ")";
                if (sc.ratio_to_best_peer) out << " " << fixed(*sc.ratio_to_best_peer, 2) << "x";
                if (!sc.exactly_once) out << " FAILED";
                out << " |";
            }
            out << "\n";
        }
        out << "\n**Capacity " << capacity << ", " << bytes
            << "-byte messages: CPU seconds per million messages; context switches per million messages**\n\n| system |";
        for (auto c : cells) out << ' ' << r.cells[c].shape() << " |";
        out << "\n| --- |";
        for (std::size_t i = 0; i < cells.size(); ++i) out << " ---: |";
        out << "\n";
        for (std::size_t s = 0; s < r.systems.size(); ++s) {
            out << "| " << r.systems[s].label() << " |";
            for (auto c : cells) {
                const auto& sc = r.table[c][s];
                if (sc.runs == 0)
                    out << " - |";
                else
                    out << ' ' << fixed(sc.cpu_per_million.median, 3) << "; "
                        << fixed(sc.switches_per_million.median, 0) << " |";
            }
            out << "\n";
        }
    }

    out << "\n**Memory footprint** (heap bytes the structure allocates, counted through operator new or its "
           "allocator, plus sizeof the structure)\n\n"
           "| system | capacity | message bytes | heap bytes | sizeof | total | heap bytes per slot |\n"
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n";
    for (const auto& f : r.footprints)
        out << "| " << r.systems[f.system].label() << " | " << f.capacity << " | " << f.message_bytes << " | "
            << f.bytes.heap_bytes << " | " << f.bytes.object_bytes << " | " << f.bytes.total() << " | "
            << fixed(f.bytes_per_slot(), 2) << " |\n";

    out << "\n";
    for (const auto& line : summary_lines(r)) out << "- " << line << "\n";
    return path;
}

}  // namespace msgpool_bench
