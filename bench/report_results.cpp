// bench/report_results.cpp - the sweep's tables (report.hpp): per-cell
// summary, every run, footprints, the systems, and the standings as notes.
#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "report.hpp"
#include "run_length.hpp"
#include "standing.hpp"

namespace msgpool_bench {
namespace {

column col(std::string key, std::string heading, bool numeric = false) { return {std::move(key), std::move(heading), numeric}; }
column data(std::string key) { return {key, key, false, true}; }

std::string aliases_of(const system& s) {
    std::string out;
    for (const auto& a : s.aliases) out += (out.empty() ? "" : ";") + a;
    return out;
}

datum mps(double v) { return datum::number(v, 6).as(mmps(v)); }

/// Gigabytes (1e9 bytes) of messages per second.
datum gbps(double messages_per_second, std::size_t message_bytes) {
    const double v = messages_per_second * static_cast<double>(message_bytes) / 1e9;
    return datum::number(v, 6).as(fixed(v, v < 1 ? 3 : 2));
}

std::optional<std::size_t> default_of(const results& r) {
    for (std::size_t s = 0; s < r.systems.size(); ++s)
        if (r.systems[s].is_default && !r.systems[s].is_bulk()) return s;
    return std::nullopt;
}

/// Per cell, each reference row beside the composition with the highest
/// median: its share of that composition's CPU per message, and the
/// default composition's throughput over the row's.
table references_table(const results& r) {
    table t;
    t.key = "references";
    t.title = "reference rows: the run without a pool, medians of this run";
    t.columns = {col("cell", "cell"),
                 col("reference", "reference"),
                 col("mps_median", "M msg/s", true),
                 col("gbps_median", "GB/s", true),
                 col("cpu_s_per_million_median", "CPU s/M msg", true),
                 data("fastest_composition"),
                 col("cpu_share_of_fastest", "CPU/msg / fastest composition's", true),
                 col("default_over_reference", "default M msg/s / this", true)};
    t.group_by = 0;
    const auto deflt = default_of(r);
    for (std::size_t ci = 0; ci < r.cells.size(); ++ci) {
        const auto fastest = r.highest_median_composition[ci];
        for (std::size_t si = 0; si < r.systems.size(); ++si) {
            const auto& sc = r.table[ci][si];
            if (!r.systems[si].is_reference() || sc.runs == 0) continue;
            const auto& f = fastest ? r.table[ci][*fastest] : sc;
            const auto& d = deflt ? r.table[ci][*deflt] : sc;
            const bool have_f = fastest && f.runs && f.cpu_per_million.median > 0;
            const bool have_d = deflt && d.runs && sc.throughput.median > 0;
            t.add_row({datum::text(r.cells[ci].name()), datum::text(r.systems[si].name).as(r.systems[si].label()),
                       mps(sc.throughput.median), gbps(sc.throughput.median, r.cells[ci].message_bytes),
                       datum::number(sc.cpu_per_million.median, 3),
                       fastest ? datum::text(r.systems[*fastest].name) : datum::none(),
                       have_f ? datum::number(sc.cpu_per_million.median / f.cpu_per_million.median, 6)
                                    .as(fixed(100 * sc.cpu_per_million.median / f.cpu_per_million.median, 1) + "%")
                              : datum::none(),
                       have_d ? datum::number(d.throughput.median / sc.throughput.median, 6)
                                    .as(fixed(d.throughput.median / sc.throughput.median, 2) + "x")
                              : datum::none()});
        }
    }
    t.notes.push_back("workload only: one thread fills and checks each message (the tool's own cost); copy "
                      "through a buffer: one thread copies each message into and out of a buffer of the "
                      "capacity; halves hand-off: two threads hand halves of such a buffer, one flag per half");
    t.notes.push_back("CPU/msg / fastest composition's: the row's median CPU per message over that of the "
                      "composition with the highest median in the cell; default M msg/s / this: the default "
                      "composition's median throughput over the row's");
    return t;
}

std::string check_text(check_mode m) {
    switch (m) {
        case check_mode::sampled:
            return "messages checked in O(1): the id at both ends, " + std::to_string(sampled_words) +
                   " payload words at positions derived from the id, and every " +
                   std::to_string(full_check_period<message_of<64>>) + "th (at 64 bytes) to " +
                   std::to_string(full_check_period<message_of<4096>>) +
                   "th (at 4096 bytes) message whole (--full-check: every word of every message)";
        case check_mode::full: return "every word of every message written and checked (--full-check)";
        case check_mode::none: return "messages carry their id alone; nothing but the id is checked";
    }
    return "?";
}

table summary_table(const results& r) {
    table t;
    t.key = "summary";
    t.title = "median over " + std::to_string(r.repetitions) + " repetitions of " + std::to_string(r.messages) +
              " messages";
    t.columns = {col("cell", "cell"),
                 data("producers"), data("consumers"), data("capacity"), data("message_bytes"),
                 col("system", "system"), data("kind"), data("aliases"), data("default"), data("runs"),
                 col("exactly_once", "exactly once"),
                 col("mps_median", "M msg/s", true), col("mps_min", "min", true), col("mps_max", "max", true),
                 col("gbps_median", "GB/s", true),
                 col("ratio_to_best_peer", "x best peer", true), data("best_peer"),
                 col("cpu_s_per_million_median", "CPU s/M msg", true), data("cpu_s_per_million_min"),
                 data("cpu_s_per_million_max"),
                 col("switches_per_million_median", "ctx sw/M msg", true), data("switches_per_million_min"),
                 data("switches_per_million_max")};
    t.group_by = 0;
    // A system skipped in a cell (system::takes) gets a row that says why, in
    // a column that only a run with such a cell has.
    bool skips = false;
    for (const auto& c : r.cells)
        for (const auto& s : r.systems) skips = skips || !s.takes(c.capacity);
    if (skips) t.columns.push_back(col("note", "note"));
    std::vector<std::string> skipped;  // notes, after the exactly-once line
    for (std::size_t ci = 0; ci < r.cells.size(); ++ci)
        for (std::size_t si = 0; si < r.systems.size(); ++si) {
            const auto& sc = r.table[ci][si];
            if (!r.systems[si].takes(r.cells[ci].capacity)) {
                const auto& c = r.cells[ci];
                const auto& s = r.systems[si];
                const auto why = s.not_measured_note(c.capacity);
                std::vector<datum> row{datum::text(c.name()), datum::count(c.producers), datum::count(c.consumers),
                                       datum::count(c.capacity), datum::count(c.message_bytes),
                                       datum::text(s.name).as(s.label()), datum::text(to_string(s.kind)),
                                       datum::text(aliases_of(s)), datum::flag(s.is_default), datum::count(0)};
                row.resize(t.columns.size() - 1, datum::none());
                row.push_back(datum::text(why));
                t.add_row(std::move(row));
                skipped.push_back(s.name + " in " + c.name() + ": " + why);
                continue;
            }
            if (sc.runs == 0) continue;
            const auto& c = r.cells[ci];
            const auto& s = r.systems[si];
            const bool best = r.best_peer[ci] == si;
            t.add_row({datum::text(c.name()), datum::count(c.producers), datum::count(c.consumers),
                       datum::count(c.capacity), datum::count(c.message_bytes),
                       datum::text(s.name).as(s.label() + (best ? " (best peer)" : "")), datum::text(to_string(s.kind)),
                       datum::text(aliases_of(s)), datum::flag(s.is_default), datum::count(sc.runs),
                       datum::flag(sc.exactly_once).as(sc.exactly_once ? "yes" : "FAILED"),
                       mps(sc.throughput.median), mps(sc.throughput.min), mps(sc.throughput.max),
                       gbps(sc.throughput.median, c.message_bytes),
                       sc.ratio_to_best_peer ? datum::number(*sc.ratio_to_best_peer, 6).as(fixed(*sc.ratio_to_best_peer, 2) + "x")
                                             : datum::none(),
                       r.best_peer[ci] ? datum::text(r.systems[*r.best_peer[ci]].name) : datum::none(),
                       datum::number(sc.cpu_per_million.median, 3), datum::number(sc.cpu_per_million.min, 3),
                       datum::number(sc.cpu_per_million.max, 3), datum::number(sc.switches_per_million.median, 0),
                       datum::number(sc.switches_per_million.min, 0), datum::number(sc.switches_per_million.max, 0)});
            if (skips) t.rows.back().push_back(datum::text(""));
        }
    std::size_t failed = 0;
    for (const auto& run : r.runs) failed += !run.measure.exactly_once;
    t.notes.push_back(failed == 0 ? "exactly-once: all " + std::to_string(r.runs.size()) +
                                        " runs delivered every message once (count, id sums, payloads)"
                                  : "exactly-once: " + std::to_string(failed) + " of " + std::to_string(r.runs.size()) +
                                        " runs FAILED (see stderr)");
    t.notes.insert(t.notes.end(), skipped.begin(), skipped.end());
    const auto standings = summary_lines(r);
    if (!standings.empty())
        t.notes.push_back("msgpool compositions in this run (a lead counts only when the min..max ranges do not "
                          "overlap):");
    for (const auto& line : standings) t.notes.push_back("  " + line);
    return t;
}

table runs_table(const results& r) {
    table t;
    t.key = "runs";
    t.title = "every run";
    t.data_only = true;
    for (const char* k : {"producers", "consumers", "capacity", "message_bytes", "system", "kind", "repetition",
                          "messages", "seconds", "messages_per_second", "cpu_seconds", "cpu_seconds_per_million",
                          "context_switches", "switches_per_million", "exactly_once", "failure"})
        t.columns.push_back(data(k));
    for (const auto& run : r.runs) {
        const auto& c = r.cells[run.cell];
        const auto& s = r.systems[run.system];
        t.add_row({datum::count(c.producers), datum::count(c.consumers), datum::count(c.capacity),
                   datum::count(c.message_bytes), datum::text(s.name), datum::text(to_string(s.kind)),
                   datum::count(run.repetition + 1), datum::count(run.messages), datum::number(run.measure.seconds, 6),
                   datum::number(run.messages_per_second(), 6), datum::number(run.measure.cpu_seconds, 6),
                   datum::number(run.cpu_seconds_per_million(), 6), datum::count(run.measure.context_switches),
                   datum::number(run.switches_per_million(), 6), datum::flag(run.measure.exactly_once),
                   datum::text(run.measure.failure)});
    }
    return t;
}

table footprint_table(const results& r) {
    table t;
    t.key = "footprint";
    t.title = "memory footprint: heap bytes the structure allocates (counted through operator new or its "
              "allocator) + sizeof";
    t.columns = {col("system", "system"), data("kind"), data("default"), col("capacity", "capacity", true),
                 col("message_bytes", "msg B", true), col("heap_bytes", "heap B", true),
                 col("object_bytes", "sizeof B", true), col("total_bytes", "total B", true),
                 col("heap_bytes_per_slot", "heap B/slot", true)};
    for (const auto& f : r.footprints) {
        const auto& s = r.systems[f.system];
        t.add_row({datum::text(s.name).as(s.label()), datum::text(to_string(s.kind)), datum::flag(s.is_default),
                   datum::count(f.capacity), datum::count(f.message_bytes), datum::count(f.bytes.heap_bytes),
                   datum::count(f.bytes.object_bytes), datum::count(f.bytes.total()),
                   datum::number(f.bytes_per_slot(), 2)});
        if (s.is_default && f.message_bytes == 8)
            t.notes.push_back("default composition, capacity " + std::to_string(f.capacity) + ", 8-byte messages: " +
                              fixed(f.bytes_per_slot(), 2) +
                              " heap bytes per slot (design limit 16; the original msg-pool used 9): " +
                              (f.bytes_per_slot() <= 16.0 ? "within the limit" : "OVER THE LIMIT"));
    }
    return t;
}

table systems_table(const results& r) {
    table t;
    t.key = "systems";
    t.title = "systems, and how each peer is used";
    t.columns = {col("name", "system"), col("kind", "kind"), col("aliases", "aliases"), data("default"),
                 col("notes", "notes")};
    for (const auto& s : r.systems)
        t.add_row({datum::text(s.name), datum::text(to_string(s.kind)), datum::text(aliases_of(s)),
                   datum::flag(s.is_default), datum::text(s.notes)});
    return t;
}

}  // namespace

report sweep_report(const results& r) {
    report out;
    out.run_id = r.info.id;
    out.title = "msgpool-bench run " + r.info.id;
    out.run = {{"id", datum::text(r.info.id)},
               {"timestamp", datum::text(r.info.timestamp)},
               {"commit", datum::text(r.info.commit)},
               {"compiler", datum::text(r.info.compiler)},
               {"cpu", datum::text(r.info.cpu)},
               {"hardware_threads", datum::count(r.info.hardware_threads)},
               {"host", datum::text(r.info.host)},
               {"messages_per_run", datum::count(r.messages)},
               {"repetitions", datum::count(r.repetitions)},
               {"wall_seconds", datum::number(r.wall_seconds, 1)},
               {"exactly_once", datum::flag(r.all_exactly_once())}};
    out.preamble = {
        "run " + r.info.timestamp + ": commit " + r.info.commit + ", " + r.info.compiler + ", " + r.info.cpu + ", " +
            std::to_string(r.info.hardware_threads) + " hardware threads, host " + r.info.host,
        std::to_string(r.systems.size()) + " systems x " + std::to_string(r.cells.size()) + " cells x " +
            std::to_string(r.repetitions) + " repetitions (interleaved), " + std::to_string(r.messages) +
            " messages per run, " + fixed(r.wall_seconds, 0) + " s",
        "columns: median million messages per second, min and max over repetitions; ratio of the median to the "
        "best peer's median in the same cell; CPU seconds (user + system, all threads) per million messages; "
        "context switches per million messages"};
    out.preamble.push_back(check_text(r.check));
    if (r.repetitions < 5)
        out.preamble.push_back("NOTE: " + std::to_string(r.repetitions) +
                               " repetition(s) per cell: a smoke run, not the method (median of at least 5)");
    for (std::size_t c = 0; c < r.cells.size() && c < r.table.size(); ++c) {  // run_length.hpp
        std::vector<std::pair<std::string, double>> seconds;
        for (std::size_t s = 0; s < r.systems.size() && s < r.table[c].size(); ++s)
            // A reference row runs one or two threads of its own, not the cell's P + C.
            if (const double mps = r.table[c][s].throughput.median; mps > 0 && !r.systems[s].is_reference())
                seconds.emplace_back(r.systems[s].name, static_cast<double>(r.messages) / mps);
        if (auto w = short_run_warning(r.cells[c].name(), r.cells[c].producers + r.cells[c].consumers, r.messages,
                                       seconds))
            out.preamble.push_back(std::move(*w));
    }
    out.tables = {summary_table(r)};
    if (std::any_of(r.systems.begin(), r.systems.end(), [](const system& s) { return s.is_reference(); }))
        out.tables.push_back(references_table(r));
    for (auto* t : {&footprint_table, &systems_table, &runs_table}) out.tables.push_back((*t)(r));
    return out;
}

std::vector<std::filesystem::path> write_report_files(const std::filesystem::path& dir, const report& r) {
    std::vector<std::filesystem::path> files;
    const auto write = [&](const char* name, void (*writer)(std::ostream&, const report&)) {
        files.push_back(dir / name);
        std::ofstream f(files.back());
        if (!f) throw std::runtime_error("cannot write " + files.back().string());
        writer(f, r);
    };
    write("results.txt", &write_text);
    write("results.md", &write_markdown);
    write("results.json", &write_json);
    for (auto& f : write_csv(dir, r)) files.push_back(std::move(f));
    return files;
}

}  // namespace msgpool_bench
