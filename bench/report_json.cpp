// bench/report_json.cpp - results.json, built with Boost.JSON and printed
// indented so that it diffs well.
#include <boost/json.hpp>

#include <fstream>
#include <stdexcept>

#include "report.hpp"

namespace msgpool_bench {
namespace {

namespace json = boost::json;

json::object to_json(const stat& s) { return {{"median", s.median}, {"min", s.min}, {"max", s.max}}; }

json::object to_json(const cell& c) {
    return {{"producers", c.producers}, {"consumers", c.consumers}, {"capacity", c.capacity},
            {"message_bytes", c.message_bytes}, {"name", c.name()}};
}

void print(std::ostream& out, const json::value& v, int indent) {
    const std::string in(static_cast<std::size_t>(indent) * 2, ' '), in2(static_cast<std::size_t>(indent + 1) * 2, ' ');
    if (v.is_object()) {
        const auto& o = v.get_object();
        if (o.empty()) {
            out << "{}";
            return;
        }
        out << "{\n";
        for (auto it = o.begin(); it != o.end(); ++it) {
            out << in2 << json::serialize(json::value(it->key())) << ": ";
            print(out, it->value(), indent + 1);
            out << (std::next(it) == o.end() ? "\n" : ",\n");
        }
        out << in << "}";
    } else if (v.is_array()) {
        const auto& a = v.get_array();
        bool flat = true;  // arrays of scalars on one line
        for (const auto& x : a) flat = flat && !x.is_object() && !x.is_array();
        if (flat) {
            out << json::serialize(v);
            return;
        }
        out << "[\n";
        for (std::size_t i = 0; i < a.size(); ++i) {
            out << in2;
            print(out, a[i], indent + 1);
            out << (i + 1 == a.size() ? "\n" : ",\n");
        }
        out << in << "]";
    } else {
        out << json::serialize(v);
    }
}

}  // namespace

std::filesystem::path write_json(const std::filesystem::path& dir, const results& r) {
    json::object root;
    root["run"] = {{"id", r.info.id},
                   {"timestamp", r.info.timestamp},
                   {"commit", r.info.commit},
                   {"compiler", r.info.compiler},
                   {"cpu", r.info.cpu},
                   {"hardware_threads", r.info.hardware_threads},
                   {"host", r.info.host},
                   {"messages_per_run", r.messages},
                   {"repetitions", r.repetitions},
                   {"wall_seconds", r.wall_seconds},
                   {"exactly_once", r.all_exactly_once()}};
    json::array systems;
    for (const auto& s : r.systems) {
        json::array aliases;
        for (const auto& a : s.aliases) aliases.emplace_back(a);
        systems.push_back(json::object{{"name", s.name},
                                       {"kind", to_string(s.kind)},
                                       {"aliases", std::move(aliases)},
                                       {"default", s.is_default},
                                       {"notes", s.notes}});
    }
    root["systems"] = std::move(systems);

    json::array cells;
    for (std::size_t ci = 0; ci < r.cells.size(); ++ci) {
        json::object c = to_json(r.cells[ci]);
        json::array rows;
        for (std::size_t si = 0; si < r.systems.size(); ++si) {
            const auto& sc = r.table[ci][si];
            if (sc.runs == 0) continue;
            json::object row{{"system", r.systems[si].name},
                             {"runs", sc.runs},
                             {"exactly_once", sc.exactly_once},
                             {"messages_per_second", to_json(sc.throughput)},
                             {"cpu_seconds_per_million", to_json(sc.cpu_per_million)},
                             {"switches_per_million", to_json(sc.switches_per_million)}};
            row["ratio_to_best_peer"] = sc.ratio_to_best_peer ? json::value(*sc.ratio_to_best_peer) : json::value(nullptr);
            rows.push_back(std::move(row));
        }
        c["summary"] = std::move(rows);
        c["best_peer"] = r.best_peer[ci] ? json::value(r.systems[*r.best_peer[ci]].name) : json::value(nullptr);
        c["highest_median_composition"] =
            r.highest_median_composition[ci] ? json::value(r.systems[*r.highest_median_composition[ci]].name) : json::value(nullptr);
        cells.push_back(std::move(c));
    }
    root["cells"] = std::move(cells);

    json::array runs;
    for (const auto& run : r.runs) {
        json::object o{{"cell", run.cell},
                       {"system", r.systems[run.system].name},
                       {"repetition", run.repetition + 1},
                       {"messages", run.messages},
                       {"seconds", run.measure.seconds},
                       {"cpu_seconds", run.measure.cpu_seconds},
                       {"context_switches", run.measure.context_switches},
                       {"exactly_once", run.measure.exactly_once}};
        if (!run.measure.exactly_once) o["failure"] = run.measure.failure;
        runs.push_back(std::move(o));
    }
    root["runs"] = std::move(runs);

    json::array footprints;
    for (const auto& f : r.footprints)
        footprints.push_back(json::object{{"system", r.systems[f.system].name},
                                          {"capacity", f.capacity},
                                          {"message_bytes", f.message_bytes},
                                          {"heap_bytes", f.bytes.heap_bytes},
                                          {"object_bytes", f.bytes.object_bytes},
                                          {"total_bytes", f.bytes.total()},
                                          {"heap_bytes_per_slot", f.bytes_per_slot()}});
    root["footprint"] = std::move(footprints);

    json::object verdict;
    verdict["highest_geomean_composition"] = r.highest_geomean_composition ? json::value(r.systems[*r.highest_geomean_composition].name) : json::value(nullptr);
    if (r.highest_geomean_composition) verdict["highest_geomean_mps"] = r.geomean_throughput[*r.highest_geomean_composition];
    root["verdict"] = std::move(verdict);

    const auto path = dir / "results.json";
    std::ofstream f(path);
    if (!f) throw std::runtime_error("cannot write " + path.string());
    print(f, root, 0);
    f << "\n";
    return path;
}

}  // namespace msgpool_bench
