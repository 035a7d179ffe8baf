// bench/report_results.cpp - the sweep's tables (report.hpp): per-cell
// summary, every run, footprints, the systems, and the standings as notes.
#include <fstream>
#include <stdexcept>

#include "report.hpp"
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
                 col("ratio_to_best_peer", "x best peer", true), data("best_peer"),
                 col("cpu_s_per_million_median", "CPU s/M msg", true), data("cpu_s_per_million_min"),
                 data("cpu_s_per_million_max"),
                 col("switches_per_million_median", "ctx sw/M msg", true), data("switches_per_million_min"),
                 data("switches_per_million_max")};
    t.group_by = 0;
    for (std::size_t ci = 0; ci < r.cells.size(); ++ci)
        for (std::size_t si = 0; si < r.systems.size(); ++si) {
            const auto& sc = r.table[ci][si];
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
                       sc.ratio_to_best_peer ? datum::number(*sc.ratio_to_best_peer, 6).as(fixed(*sc.ratio_to_best_peer, 2) + "x")
                                             : datum::none(),
                       r.best_peer[ci] ? datum::text(r.systems[*r.best_peer[ci]].name) : datum::none(),
                       datum::number(sc.cpu_per_million.median, 3), datum::number(sc.cpu_per_million.min, 3),
                       datum::number(sc.cpu_per_million.max, 3), datum::number(sc.switches_per_million.median, 0),
                       datum::number(sc.switches_per_million.min, 0), datum::number(sc.switches_per_million.max, 0)});
        }
    std::size_t failed = 0;
    for (const auto& run : r.runs) failed += !run.measure.exactly_once;
    t.notes.push_back(failed == 0 ? "exactly-once: all " + std::to_string(r.runs.size()) +
                                        " runs delivered every message once (count, id sums, payloads)"
                                  : "exactly-once: " + std::to_string(failed) + " of " + std::to_string(r.runs.size()) +
                                        " runs FAILED (see stderr)");
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
        "commit " + r.info.commit + ", " + r.info.compiler + ", " + r.info.cpu + ", " +
            std::to_string(r.info.hardware_threads) + " hardware threads, host " + r.info.host,
        std::to_string(r.systems.size()) + " systems x " + std::to_string(r.cells.size()) + " cells x " +
            std::to_string(r.repetitions) + " repetitions (interleaved), " + std::to_string(r.messages) +
            " messages per run, " + fixed(r.wall_seconds, 0) + " s",
        "columns: median million messages per second, min and max over repetitions; ratio of the median to the "
        "best peer's median in the same cell; CPU seconds (user + system, all threads) per million messages; "
        "context switches per million messages"};
    if (r.repetitions < 5)
        out.preamble.push_back("NOTE: " + std::to_string(r.repetitions) +
                               " repetition(s) per cell: a smoke run, not the method (median of at least 5)");
    out.tables = {summary_table(r), footprint_table(r), systems_table(r), runs_table(r)};
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
