// bench/report_csv.cpp - runs.csv, summary.csv, footprint.csv.
//
// Plain RFC 4180 CSV with a header row; every row carries the run id so that
// files from several runs can be concatenated.
#include <fstream>
#include <stdexcept>

#include "report.hpp"

namespace msgpool_bench {
namespace {

std::string quoted(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ";") + x;
    return s;
}

std::string num(double v) { return fixed(v, 6); }

std::ofstream open(const std::filesystem::path& path) {
    std::ofstream f(path);
    if (!f) throw std::runtime_error("cannot write " + path.string());
    return f;
}

}  // namespace

std::vector<std::filesystem::path> write_csv(const std::filesystem::path& dir, const results& r) {
    const auto runs_path = dir / "runs.csv", summary_path = dir / "summary.csv", footprint_path = dir / "footprint.csv";
    {
        auto f = open(runs_path);
        f << "run_id,producers,consumers,capacity,message_bytes,system,kind,repetition,messages,seconds,"
             "messages_per_second,cpu_seconds,cpu_seconds_per_million,context_switches,switches_per_million,"
             "exactly_once,failure\n";
        for (const auto& run : r.runs) {
            const auto& c = r.cells[run.cell];
            const auto& s = r.systems[run.system];
            f << r.info.id << ',' << c.producers << ',' << c.consumers << ',' << c.capacity << ',' << c.message_bytes
              << ',' << quoted(s.name) << ',' << to_string(s.kind) << ',' << run.repetition + 1 << ','
              << run.messages << ',' << num(run.measure.seconds) << ',' << num(run.messages_per_second()) << ','
              << num(run.measure.cpu_seconds) << ',' << num(run.cpu_seconds_per_million()) << ','
              << run.measure.context_switches << ',' << num(run.switches_per_million()) << ','
              << (run.measure.exactly_once ? "true" : "false") << ',' << quoted(run.measure.failure) << '\n';
        }
    }
    {
        auto f = open(summary_path);
        f << "run_id,producers,consumers,capacity,message_bytes,system,kind,aliases,default,runs,exactly_once,"
             "mps_median,mps_min,mps_max,ratio_to_best_peer,best_peer,cpu_s_per_million_median,"
             "cpu_s_per_million_min,cpu_s_per_million_max,switches_per_million_median,switches_per_million_min,"
             "switches_per_million_max\n";
        for (std::size_t ci = 0; ci < r.cells.size(); ++ci)
            for (std::size_t si = 0; si < r.systems.size(); ++si) {
                const auto& sc = r.table[ci][si];
                if (sc.runs == 0) continue;
                const auto& c = r.cells[ci];
                const auto& s = r.systems[si];
                f << r.info.id << ',' << c.producers << ',' << c.consumers << ',' << c.capacity << ','
                  << c.message_bytes << ',' << quoted(s.name) << ',' << to_string(s.kind) << ','
                  << quoted(joined(s.aliases)) << ',' << (s.is_default ? "true" : "false") << ',' << sc.runs << ','
                  << (sc.exactly_once ? "true" : "false") << ',' << num(sc.throughput.median) << ','
                  << num(sc.throughput.min) << ',' << num(sc.throughput.max) << ','
                  << (sc.ratio_to_best_peer ? num(*sc.ratio_to_best_peer) : "") << ','
                  << (r.best_peer[ci] ? quoted(r.systems[*r.best_peer[ci]].name) : "") << ','
                  << num(sc.cpu_per_million.median) << ',' << num(sc.cpu_per_million.min) << ','
                  << num(sc.cpu_per_million.max) << ',' << num(sc.switches_per_million.median) << ','
                  << num(sc.switches_per_million.min) << ',' << num(sc.switches_per_million.max) << '\n';
            }
    }
    {
        auto f = open(footprint_path);
        f << "run_id,system,kind,default,capacity,message_bytes,heap_bytes,object_bytes,total_bytes,"
             "heap_bytes_per_slot\n";
        for (const auto& fp : r.footprints) {
            const auto& s = r.systems[fp.system];
            f << r.info.id << ',' << quoted(s.name) << ',' << to_string(s.kind) << ','
              << (s.is_default ? "true" : "false") << ',' << fp.capacity << ',' << fp.message_bytes << ','
              << fp.bytes.heap_bytes << ',' << fp.bytes.object_bytes << ',' << fp.bytes.total() << ','
              << num(fp.bytes_per_slot()) << '\n';
        }
    }
    return {runs_path, summary_path, footprint_path};
}

}  // namespace msgpool_bench
