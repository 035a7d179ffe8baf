// bench/report_table.cpp - the human-readable report.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report.hpp"
#include "standing.hpp"

namespace msgpool_bench {

std::string fixed(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

std::string shape_group(std::size_t capacity, std::size_t message_bytes) {
    return "cap" + std::to_string(capacity) + "_" + std::to_string(message_bytes) + "B";
}

// Enough digits for slow and fast systems alike.
std::string mmps(double mps) { return fixed(mps / 1e6, mps < 1e7 ? 2 : 1); }

namespace {

std::string pad(std::string s, std::size_t width, bool right = false) {
    if (s.size() >= width) return s;
    return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

// "(min..max)"; built by appends (GCC 12 warns falsely on "(" + std::string&&).
std::string range(const stat& s) {
    std::string out("(");
    out.append(mmps(s.min)).append("..").append(mmps(s.max)).append(")");
    return out;
}

void cell_table(std::ostream& out, const results& r, std::size_t c, std::size_t name_width) {
    const cell& where = r.cells[c];
    out << "\n== " << where.shape() << " (producers x consumers) | capacity " << where.capacity << " | "
        << where.message_bytes << "-byte messages | " << r.messages << " messages, median of " << r.repetitions
        << " ==\n";
    out << pad("system", name_width) << pad("M msg/s", 9, true) << "  " << pad("(min..max)", 15) << pad("x best peer", 12, true)
        << pad("CPU s/M msg", 13, true) << pad("ctx sw/M msg", 14, true) << "\n";
    for (std::size_t s = 0; s < r.systems.size(); ++s) {
        const auto& sc = r.table[c][s];
        if (sc.runs == 0) continue;
        std::string name = r.systems[s].label();
        if (r.best_peer[c] == s) name += " (best peer)";
        out << pad(name, name_width) << pad(mmps(sc.throughput.median), 9, true) << "  "
            << pad(range(sc.throughput), 15)
            << pad(sc.ratio_to_best_peer ? fixed(*sc.ratio_to_best_peer, 2) + "x" : "-", 12, true)
            << pad(fixed(sc.cpu_per_million.median, 3), 13, true)
            << pad(fixed(sc.switches_per_million.median, 0), 14, true)
            << (sc.exactly_once ? "" : "  EXACTLY-ONCE FAILED") << "\n";
    }
}

void footprint_table(std::ostream& out, const results& r, std::size_t name_width) {
    out << "\n== memory footprint: heap bytes the structure allocates (counted through operator new or its "
           "allocator) + sizeof ==\n";
    out << pad("system", name_width) << pad("capacity", 9, true) << pad("msg B", 7, true) << pad("heap B", 10, true)
        << pad("sizeof B", 10, true) << pad("total B", 10, true) << pad("heap B/slot", 13, true) << "\n";
    for (const auto& f : r.footprints)
        out << pad(r.systems[f.system].label(), name_width) << pad(std::to_string(f.capacity), 9, true)
            << pad(std::to_string(f.message_bytes), 7, true) << pad(std::to_string(f.bytes.heap_bytes), 10, true)
            << pad(std::to_string(f.bytes.object_bytes), 10, true) << pad(std::to_string(f.bytes.total()), 10, true)
            << pad(fixed(f.bytes_per_slot(), 2), 13, true) << "\n";
    for (const auto& f : r.footprints)
        if (r.systems[f.system].is_default && f.message_bytes == 8)
            out << "default composition, capacity " << f.capacity << ", 8-byte messages: " << fixed(f.bytes_per_slot(), 2)
                << " heap bytes per slot (design limit 16; the original msg-pool used 9): "
                << (f.bytes_per_slot() <= 16.0 ? "within the limit" : "OVER THE LIMIT") << "\n";
}

}  // namespace

void write_table(std::ostream& out, const results& r) {
    std::size_t name_width = 8;
    for (const auto& s : r.systems) name_width = std::max(name_width, s.label().size() + 13);
    out << "msgpool-bench run " << r.info.id << "\n"
        << "  commit " << r.info.commit << ", " << r.info.compiler << ", " << r.info.cpu << ", "
        << r.info.hardware_threads << " hardware threads, host " << r.info.host << "\n"
        << "  " << r.systems.size() << " systems x " << r.cells.size() << " cells x " << r.repetitions
        << " repetitions (interleaved), " << r.messages << " messages per run, " << fixed(r.wall_seconds, 0)
        << " s\n";
    out << "  columns: median messages per second (min..max over repetitions); ratio of the median to the best "
           "peer's median in the same cell; CPU seconds (user + system, all threads) per million messages; "
           "context switches per million messages\n";
    if (r.repetitions < 5)
        out << "  NOTE: " << r.repetitions << " repetition(s) per cell: a smoke run, not the method (median of at "
            << "least 5)\n";
    for (std::size_t c = 0; c < r.cells.size(); ++c) cell_table(out, r, c, name_width);
    footprint_table(out, r, name_width);

    out << "\npeers, and how each is used:\n";
    for (const auto& s : r.systems)
        if (!s.is_msgpool()) out << "  " << pad(s.name, 38) << s.notes << "\n";

    std::size_t failed = 0;
    for (const auto& run : r.runs) failed += !run.measure.exactly_once;
    if (failed == 0)
        out << "\nexactly-once: all " << r.runs.size() << " runs delivered every message once (count, id sums, payloads)\n";
    else
        out << "\nexactly-once: " << failed << " of " << r.runs.size() << " runs FAILED (see stderr)\n";

    const auto summary = summary_lines(r);
    if (!summary.empty())
        out << "\nmsgpool compositions on this machine (a lead counts only when the min..max ranges do not overlap):\n";
    for (const auto& line : summary) out << "  " << line << "\n";
}

}  // namespace msgpool_bench
