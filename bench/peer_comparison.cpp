// bench/peer_comparison.cpp - ratios to the peers and the bulk gain, from
// one sweep's medians (see peer_comparison.hpp).  Every figure is measured
// in the run it is printed with.
#include "peer_comparison.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "report.hpp"
#include "runner.hpp"

namespace msgpool_bench {
namespace {

/// The single-operation twin of a bulk system: the same name without " bulkN".
std::optional<std::size_t> twin_of(const std::vector<system>& systems, const system& bulk) {
    const auto cut = bulk.name.rfind(" bulk");
    if (cut == std::string::npos) return std::nullopt;
    for (std::size_t i = 0; i < systems.size(); ++i)
        if (!systems[i].is_bulk() && systems[i].name == bulk.name.substr(0, cut)) return i;
    return std::nullopt;
}

std::optional<std::size_t> find_named(const results& r, std::string_view name) {
    for (std::size_t s = 0; s < r.systems.size(); ++s)
        if (r.systems[s].name == name) return s;
    return std::nullopt;
}

std::optional<std::size_t> find_default(const results& r) {
    for (std::size_t s = 0; s < r.systems.size(); ++s)
        if (r.systems[s].is_default && !r.systems[s].is_bulk()) return s;
    return std::nullopt;
}

std::string where(const cell& c) { return c.shape() + " cap " + std::to_string(c.capacity); }

std::string pad(std::string s, std::size_t width) {
    if (s.size() < width) s.append(width - s.size(), ' ');
    return s;
}

ratio_row ratio_of(const results& r, std::size_t c, std::optional<std::size_t> subject,
                   std::optional<std::size_t> reference) {
    ratio_row row;
    row.cell = c;
    row.subject = subject;
    row.reference = reference;
    if (!subject || !reference || !r.table[c][*subject].runs || !r.table[c][*reference].runs) return row;
    const auto &a = r.table[c][*subject], &b = r.table[c][*reference];
    if (b.throughput.median > 0) row.throughput_ratio = a.throughput.median / b.throughput.median;
    if (b.cpu_per_million.median > 0) row.cpu_ratio = a.cpu_per_million.median / b.cpu_per_million.median;
    return row;
}

std::string ratio_text(const std::optional<double>& v) { return v ? fixed(*v, 2) + "x" : "-"; }

std::string median_text(const results& r, const ratio_row& row, const std::optional<std::size_t>& s) {
    return s && r.table[row.cell][*s].runs ? mmps(r.table[row.cell][*s].throughput.median) : "-";
}

std::string name_of(const results& r, const std::optional<std::size_t>& s) {
    return s ? r.systems[*s].label() : "-";
}

std::string lead_text(const ratio_row& row) {
    const auto& s = row.subject_standing;
    if (!s.runner_up) return "only candidate";
    if (!s.spread_known) return "too few repetitions";
    return s.tied.empty() ? "beyond the spread" : "tied with " + std::to_string(s.tied.size()) + " within the spread";
}

}  // namespace

std::vector<cell> comparison_cells() {
    return {cell{1, 1, 1024, 8}, cell{2, 2, 1024, 8}, cell{4, 4, 1024, 8}, cell{8, 8, 1024, 8}, cell{4, 4, 64, 8}};
}

std::vector<system> comparison_systems(const std::vector<system>& registry, bool bulk) {
    std::vector<system> out;
    for (const auto& s : registry) {
        const bool pick = s.is_bulk()                       ? bulk
                          : s.kind == system_kind::peer ? s.name == moodycamel_name || s.name == original_msgpool_name
                                                        : true;
        if (pick) out.push_back(s);
    }
    return out;
}

std::vector<system> bulk_systems(const std::vector<system>& registry) {
    std::vector<bool> chosen(registry.size(), false);
    for (std::size_t i = 0; i < registry.size(); ++i)
        if (registry[i].is_bulk()) {
            chosen[i] = true;
            if (const auto t = twin_of(registry, registry[i])) chosen[*t] = true;
        }
    std::vector<system> out;
    for (std::size_t i = 0; i < registry.size(); ++i)
        if (chosen[i]) out.push_back(registry[i]);
    return out;
}

double estimate_sweep_seconds(const sweep_plan& plan) {
    const std::uint64_t calibration = std::max<std::uint64_t>(1000, plan.messages / 10);
    double seconds = 0;
    runner run(plan.in_process, plan.run_limit);
    for (const auto& c : plan.cells)
        for (const auto& s : plan.systems) {
            const auto m = run.run(s, c.message_bytes, run_config{{c.capacity, c.producers, c.consumers}, calibration},
                                   "calibration: " + s.name + " | " + c.name());
            seconds += m.seconds * (static_cast<double>(plan.messages) / static_cast<double>(calibration));
        }
    return seconds * plan.repetitions;
}

comparison compare_with_peers(const results& r, bool peers, double idle_seconds, const sweep_plan& plan) {
    comparison t;
    t.evaluated = peers;
    t.idle_window = idle_seconds;
    const auto moody = find_named(r, moodycamel_name);
    const auto original = find_named(r, original_msgpool_name);
    const auto deflt = find_default(r);
    t.original_measured = original.has_value();

    if (peers) {
        // Blocked waiters: every sleeping composition, and moodycamel (which polls) for contrast.
        runner run(plan.in_process, plan.run_limit);
        for (const auto& s : r.systems) {
            if (s.is_bulk() || !(s.sleeps || s.name == moodycamel_name)) continue;
            if (plan.progress) std::fprintf(stderr, "idle readers: %s\n", s.name.c_str());
            idle_config config;
            config.queue = queue_config{1024, 1, 8};
            config.window = std::chrono::duration<double>(idle_seconds);
            t.idle.push_back({s.label(), s.sleeps, run.idle(s, config, "idle readers: " + s.name)});
        }
        for (std::size_t c = 0; c < r.cells.size(); ++c) {
            const standing blocking = rank_cell(r, c, is_blocking_candidate);
            auto row = ratio_of(r, c, blocking.leader, moody);
            row.subject_standing = blocking;
            t.versus_moodycamel.push_back(std::move(row));
            if (original) t.versus_original.push_back(ratio_of(r, c, deflt, original));
        }
    }

    // Bulk: each bulk system against its single-operation twin, per cell.
    for (std::size_t s = 0; s < r.systems.size(); ++s) {
        if (!r.systems[s].is_bulk()) continue;
        const auto twin = twin_of(r.systems, r.systems[s]);
        if (!twin) continue;
        for (std::size_t c = 0; c < r.cells.size(); ++c) {
            const auto &b = r.table[c][s], &one = r.table[c][*twin];
            if (!b.runs || !one.runs || one.throughput.median <= 0) continue;
            t.bulk.push_back({c, s, *twin, b.throughput.median / one.throughput.median,
                              one.cpu_per_million.median > 0 ? b.cpu_per_million.median / one.cpu_per_million.median
                                                             : 0});
        }
    }
    return t;
}

void write_comparison_text(std::ostream& out, const results& r, const comparison& t) {
    if (t.evaluated) {
        out << "\n== msgpool against its peers | run " << r.info.id << " | " << r.messages
            << " messages per run, median of " << r.repetitions << " interleaved repetitions, 8-byte messages ==\n"
            << "ratios are subject median / reference median from this run: throughput (higher is better), "
               "CPU per message (lower is better)\n";
        out << "\nfastest blocking composition vs " << moodycamel_name << " (tokens):\n";
        for (const auto& row : t.versus_moodycamel)
            out << "  " << pad(where(r.cells[row.cell]), 14) << pad(name_of(r, row.subject), 52) << " "
                << median_text(r, row, row.subject) << " vs " << median_text(r, row, row.reference)
                << " M msg/s = " << ratio_text(row.throughput_ratio) << ", CPU/message " << ratio_text(row.cpu_ratio)
                << "; lead over other blocking compositions: " << lead_text(row) << "\n";
        out << "\ndefault composition vs " << original_msgpool_name << ":\n";
        if (!t.original_measured)
            out << "  not measured: the original msg-pool is not built in (see MSGPOOL_BENCH_ORIGINAL_MSGPOOL_H in "
                   "bench/CMakeLists.txt)\n";
        for (const auto& row : t.versus_original)
            out << "  " << pad(where(r.cells[row.cell]), 14) << median_text(r, row, row.subject) << " vs "
                << median_text(r, row, row.reference) << " M msg/s = " << ratio_text(row.throughput_ratio)
                << ", CPU/message " << ratio_text(row.cpu_ratio) << "\n";
        out << "\n== blocked waiters: 8 readers on an empty structure of capacity 1024, CPU over "
            << fixed(t.idle_window, 2) << " s after a 0.2 s settle ==\n";
        for (const auto& i : t.idle)
            out << pad(i.system, 56) << fixed(i.measure.cpu_seconds, 4) << " CPU s = "
                << fixed(i.measure.cpu_share(), 4) << " cores, " << i.measure.context_switches << " context switches"
                << (i.sleeps ? "" : "  (polls: for contrast)") << "\n";
    }
    if (!t.bulk.empty()) {
        out << "\n== bulk operations: median throughput of write_bulk/read_bulk over single write/read, same run ==\n";
        for (const auto& b : t.bulk)
            out << pad(r.systems[b.bulk].label(), 64) << pad(where(r.cells[b.cell]), 14)
                << mmps(r.table[b.cell][b.bulk].throughput.median) << " vs "
                << mmps(r.table[b.cell][b.single].throughput.median) << " M msg/s = " << fixed(b.gain, 2)
                << "x; CPU/message " << fixed(b.cpu_ratio, 2) << "x\n";
    }
}

std::vector<std::filesystem::path> write_comparison_files(const std::filesystem::path& dir, const results& r,
                                                          const comparison& t) {
    namespace json = boost::json;
    std::vector<std::filesystem::path> files;
    const auto open = [&](const char* name) {
        files.push_back(dir / name);
        std::ofstream f(files.back());
        if (!f) throw std::runtime_error("cannot write " + files.back().string());
        return f;
    };
    const auto csv = [](const std::string& s) {
        if (s.find_first_of(",\"\n") == std::string::npos) return s;
        std::string q = "\"";
        for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        return q + "\"";
    };
    const auto optional_number = [](const std::optional<double>& v) { return v ? fixed(*v, 6) : std::string(); };

    {
        auto md = open(t.evaluated ? "comparison.md" : "bulk.md");
        md << "Run `" << r.info.id << "`: commit " << r.info.commit << ", " << r.info.compiler << ", " << r.info.cpu
           << ", " << r.info.hardware_threads << " hardware threads; " << r.messages
           << " messages per run, 8-byte messages, median of " << r.repetitions
           << " interleaved repetitions; every ratio from medians of this run.\n";
        if (t.evaluated) {
            md << "\n| cell | fastest blocking composition | M msg/s | " << moodycamel_name
               << " | ratio | CPU/message ratio | lead over other blocking compositions |\n"
                  "| --- | --- | ---: | ---: | ---: | ---: | --- |\n";
            for (const auto& row : t.versus_moodycamel)
                md << "| " << where(r.cells[row.cell]) << " | " << name_of(r, row.subject) << " | "
                   << median_text(r, row, row.subject) << " | " << median_text(r, row, row.reference) << " | "
                   << ratio_text(row.throughput_ratio) << " | " << ratio_text(row.cpu_ratio) << " | "
                   << lead_text(row) << " |\n";
            if (t.original_measured) {
                md << "\n| cell | default composition M msg/s | " << original_msgpool_name
                   << " | ratio | CPU/message ratio |\n| --- | ---: | ---: | ---: | ---: |\n";
                for (const auto& row : t.versus_original)
                    md << "| " << where(r.cells[row.cell]) << " | " << median_text(r, row, row.subject) << " | "
                       << median_text(r, row, row.reference) << " | " << ratio_text(row.throughput_ratio) << " | "
                       << ratio_text(row.cpu_ratio) << " |\n";
            } else {
                md << "\nThe original msg-pool was not built into this run: no default / original ratio.\n";
            }
            md << "\n**Blocked waiters**: 8 readers on an empty structure of capacity 1024, process CPU over "
               << fixed(t.idle_window, 2)
               << " s\n\n| system | CPU s | cores | context switches |\n| --- | ---: | ---: | ---: |\n";
            for (const auto& i : t.idle)
                md << "| " << i.system << (i.sleeps ? "" : " (polls)") << " | " << fixed(i.measure.cpu_seconds, 4)
                   << " | " << fixed(i.measure.cpu_share(), 4) << " | " << i.measure.context_switches << " |\n";
        }
        if (!t.bulk.empty()) {
            md << "\n**Bulk operations** (median M msg/s; gain = bulk / single, same run)\n\n"
                  "| system | cell | bulk | single | gain | CPU/message ratio |\n| --- | --- | ---: | ---: | ---: | ---: |\n";
            for (const auto& b : t.bulk)
                md << "| " << r.systems[b.bulk].label() << " | " << where(r.cells[b.cell]) << " | "
                   << mmps(r.table[b.cell][b.bulk].throughput.median) << " | "
                   << mmps(r.table[b.cell][b.single].throughput.median) << " | " << fixed(b.gain, 2) << "x | "
                   << fixed(b.cpu_ratio, 2) << "x |\n";
        }
    }
    if (t.evaluated) {
        {
            auto f = open("comparison.csv");
            f << "run_id,comparison,producers,consumers,capacity,subject,reference,mps_subject,mps_reference,"
                 "throughput_ratio,cpu_ratio,lead\n";
            const auto rows = [&](const char* what, const std::vector<ratio_row>& list, bool with_lead) {
                for (const auto& row : list) {
                    const auto& c = r.cells[row.cell];
                    f << r.info.id << ',' << what << ',' << c.producers << ',' << c.consumers << ',' << c.capacity
                      << ',' << csv(name_of(r, row.subject)) << ',' << csv(name_of(r, row.reference)) << ','
                      << median_text(r, row, row.subject) << ',' << median_text(r, row, row.reference) << ','
                      << optional_number(row.throughput_ratio) << ',' << optional_number(row.cpu_ratio) << ','
                      << (with_lead ? csv(lead_text(row)) : "") << '\n';
                }
            };
            rows("fastest_blocking_vs_moodycamel", t.versus_moodycamel, true);
            rows("default_vs_original", t.versus_original, false);
        }
        {
            auto f = open("idle.csv");
            f << "run_id,system,sleeps,window_seconds,cpu_seconds,cores,context_switches\n";
            for (const auto& i : t.idle)
                f << r.info.id << ',' << csv(i.system) << ',' << (i.sleeps ? "true" : "false") << ','
                  << fixed(i.measure.window_seconds, 6) << ',' << fixed(i.measure.cpu_seconds, 6) << ','
                  << fixed(i.measure.cpu_share(), 6) << ',' << i.measure.context_switches << '\n';
        }
    }
    if (!t.bulk.empty()) {
        auto f = open("bulk.csv");
        f << "run_id,producers,consumers,capacity,system,batch,single,mps_bulk,mps_single,gain,cpu_ratio\n";
        for (const auto& b : t.bulk) {
            const auto& c = r.cells[b.cell];
            f << r.info.id << ',' << c.producers << ',' << c.consumers << ',' << c.capacity << ','
              << csv(r.systems[b.bulk].name) << ',' << r.systems[b.bulk].batch << ',' << csv(r.systems[b.single].name)
              << ',' << fixed(r.table[b.cell][b.bulk].throughput.median, 6) << ','
              << fixed(r.table[b.cell][b.single].throughput.median, 6) << ',' << fixed(b.gain, 6) << ','
              << fixed(b.cpu_ratio, 6) << '\n';
        }
    }
    {
        json::object root;
        root["run_id"] = r.info.id;
        root["messages_per_run"] = r.messages;
        root["repetitions"] = r.repetitions;
        root["original_measured"] = t.original_measured;
        const auto ratios = [&](const std::vector<ratio_row>& list) {
            json::array a;
            for (const auto& row : list)
                a.push_back(json::object{
                    {"cell", r.cells[row.cell].name()},
                    {"subject", name_of(r, row.subject)},
                    {"reference", name_of(r, row.reference)},
                    {"throughput_ratio", row.throughput_ratio ? json::value(*row.throughput_ratio) : json::value(nullptr)},
                    {"cpu_ratio", row.cpu_ratio ? json::value(*row.cpu_ratio) : json::value(nullptr)}});
            return a;
        };
        root["fastest_blocking_vs_moodycamel"] = ratios(t.versus_moodycamel);
        root["default_vs_original"] = ratios(t.versus_original);
        json::array idle;
        for (const auto& i : t.idle)
            idle.push_back(json::object{{"system", i.system},
                                        {"sleeps", i.sleeps},
                                        {"window_seconds", i.measure.window_seconds},
                                        {"cpu_seconds", i.measure.cpu_seconds},
                                        {"cores", i.measure.cpu_share()},
                                        {"context_switches", i.measure.context_switches}});
        root["idle"] = std::move(idle);
        json::array bulk;
        for (const auto& b : t.bulk)
            bulk.push_back(json::object{{"system", r.systems[b.bulk].name},
                                        {"batch", r.systems[b.bulk].batch},
                                        {"single", r.systems[b.single].name},
                                        {"cell", r.cells[b.cell].name()},
                                        {"mps_bulk", r.table[b.cell][b.bulk].throughput.median},
                                        {"mps_single", r.table[b.cell][b.single].throughput.median},
                                        {"gain", b.gain},
                                        {"cpu_ratio", b.cpu_ratio}});
        root["bulk"] = std::move(bulk);
        auto f = open(t.evaluated ? "comparison.json" : "bulk.json");
        f << json::serialize(root) << "\n";
    }
    return files;
}

}  // namespace msgpool_bench
