// bench/peer_comparison.cpp - ratios to the peers and the bulk gain, from
// one sweep's medians (see peer_comparison.hpp).  Every figure is measured
// in the run it is printed with.
#include "peer_comparison.hpp"

#include <algorithm>
#include <cstdio>

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
    return {cell{1, 1, 1024, 8},  cell{2, 2, 1024, 8},   cell{4, 4, 1024, 8},  cell{8, 8, 1024, 8},
            cell{16, 16, 1024, 8}, cell{32, 32, 1024, 8}, cell{4, 4, 64, 8},    cell{4, 4, 16, 8}};
}

std::vector<system> comparison_systems(const std::vector<system>& registry, bool bulk) {
    std::vector<system> out;
    for (const auto& s : registry) {
        const bool peer = s.kind == system_kind::peer;
        const std::string single = s.name.substr(0, s.name.rfind(" bulk"));  // a bulk system's twin
        const bool pick = s.is_bulk()  ? bulk && (!peer || single == moodycamel_name)
                          : s.in_place ? false  // --systems in_place adds them
                          : peer       ? s.name == moodycamel_name || s.name == original_msgpool_name
                                       : true;  // compositions, aliases, user compositions, reference rows
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
            if (!s.takes(c.capacity)) continue;  // skipped by the sweep as well
            const auto m = run.run(s, c.message_bytes, plan.config(s, c, calibration),
                                   "calibration: " + s.name + " | " + c.name());
            seconds += m.seconds * (static_cast<double>(plan.messages) / static_cast<double>(calibration));
        }
    return seconds * plan.repetitions;
}

std::vector<idle_row> measure_idle(const std::vector<system>& systems, double seconds, const sweep_plan& plan) {
    std::vector<idle_row> out;
    runner run(plan.in_process, plan.run_limit);
    for (const auto& s : systems) {
        if (plan.progress) std::fprintf(stderr, "idle readers: %s\n", s.name.c_str());
        idle_config config;
        config.queue = queue_config{1024, 1, 8};
        config.window = std::chrono::duration<double>(seconds);
        out.push_back({s.name, s.label(), s.sleeps, run.idle(s, config, "idle readers: " + s.name)});
    }
    return out;
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
        std::vector<system> waiting;
        for (const auto& s : r.systems)
            if (!s.is_form() && !s.is_reference() && (s.sleeps || s.name == moodycamel_name)) waiting.push_back(s);
        t.idle = measure_idle(waiting, idle_seconds, plan);
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
                                                             : 0,
                              std::nullopt});
            const auto peer =
                find_named(r, std::string(moodycamel_name) + " bulk" + std::to_string(r.systems[s].batch));
            if (r.systems[s].is_msgpool() && peer && r.table[c][*peer].runs && r.table[c][*peer].throughput.median > 0)
                t.bulk.back().versus_peer = b.throughput.median / r.table[c][*peer].throughput.median;
        }
    }
    return t;
}

void add_comparison_tables(report& out, const results& r, const comparison& t) {
    const auto where_datum = [&](std::size_t c) { return datum::text(r.cells[c].name()).as(where(r.cells[c])); };
    const auto median = [&](const ratio_row& row, const std::optional<std::size_t>& s) {
        return s && r.table[row.cell][*s].runs ? datum::number(r.table[row.cell][*s].throughput.median, 6)
                                                     .as(median_text(r, row, s))
                                               : datum::none();
    };
    const auto ratio = [](const std::optional<double>& v) {
        return v ? datum::number(*v, 6).as(ratio_text(v)) : datum::none();
    };
    const auto ratio_table = [&](const char* key, std::string title, const std::vector<ratio_row>& list,
                                 bool with_lead) {
        table tb;
        tb.key = key;
        tb.title = std::move(title);
        tb.columns = {{"cell", "cell"},
                      {"subject", "subject"},
                      {"reference", "reference"},
                      {"mps_subject", "M msg/s", true},
                      {"mps_reference", "reference M msg/s", true},
                      {"throughput_ratio", "ratio", true},
                      {"cpu_ratio", "CPU/message ratio", true}};
        if (with_lead) tb.columns.push_back({"lead", "lead over other blocking compositions"});
        for (const auto& row : list) {
            std::vector<datum> d{where_datum(row.cell),
                                 datum::text(name_of(r, row.subject)),
                                 datum::text(name_of(r, row.reference)),
                                 median(row, row.subject),
                                 median(row, row.reference),
                                 ratio(row.throughput_ratio),
                                 ratio(row.cpu_ratio)};
            if (with_lead) d.push_back(datum::text(lead_text(row)));
            tb.add_row(std::move(d));
        }
        return tb;
    };
    if (t.evaluated) {
        auto vm = ratio_table("versus_moodycamel",
                              "fastest blocking composition vs " + std::string(moodycamel_name) +
                                  " (tokens): medians of this run",
                              t.versus_moodycamel, true);
        vm.notes.push_back("ratios are subject median / reference median from this run: throughput (higher is "
                           "better), CPU per message (lower is better)");
        out.tables.push_back(std::move(vm));
        auto vo = ratio_table("versus_original", "default composition vs " + std::string(original_msgpool_name),
                              t.versus_original, false);
        if (!t.original_measured)
            vo.notes.push_back("not measured: the original msg-pool is not built in (see "
                               "MSGPOOL_BENCH_ORIGINAL_MSGPOOL_H in bench/CMakeLists.txt)");
        out.tables.push_back(std::move(vo));
        table idle;
        idle.key = "idle";
        idle.title = "blocked waiters: 8 readers on an empty structure of capacity 1024, CPU over " +
                     fixed(t.idle_window, 2) + " s after a 0.2 s settle";
        idle.columns = {{"system", "system"},
                        {"sleeps", "sleeps"},
                        {"window_seconds", "window s", true, true},
                        {"cpu_seconds", "CPU s", true},
                        {"cores", "cores", true},
                        {"context_switches", "context switches", true}};
        for (const auto& i : t.idle)
            idle.add_row({datum::text(i.system).as(i.label), datum::flag(i.sleeps).as(i.sleeps ? "yes" : "no (polls: for contrast)"),
                          datum::number(i.measure.window_seconds, 2), datum::number(i.measure.cpu_seconds, 4),
                          datum::number(i.measure.cpu_share(), 4), datum::count(i.measure.context_switches)});
        out.tables.push_back(std::move(idle));
    }
    if (!t.bulk.empty()) {
        table bulk;
        bulk.key = "bulk";
        bulk.title = "bulk operations: median throughput of bulk calls over single operations, same run";
        bulk.columns = {{"system", "system"},        {"batch", "batch", true, true},
                        {"single", "single", false, true}, {"cell", "cell"},
                        {"mps_bulk", "bulk M msg/s", true}, {"mps_single", "single M msg/s", true},
                        {"gain", "gain", true},            {"cpu_ratio", "CPU/message ratio", true},
                        {"versus_moodycamel_bulk", "x moodycamel bulk", true}};
        for (const auto& b : t.bulk)
            bulk.add_row({datum::text(r.systems[b.bulk].name).as(r.systems[b.bulk].label()),
                          datum::count(r.systems[b.bulk].batch), datum::text(r.systems[b.single].name),
                          where_datum(b.cell),
                          datum::number(r.table[b.cell][b.bulk].throughput.median, 6)
                              .as(mmps(r.table[b.cell][b.bulk].throughput.median)),
                          datum::number(r.table[b.cell][b.single].throughput.median, 6)
                              .as(mmps(r.table[b.cell][b.single].throughput.median)),
                          datum::number(b.gain, 6).as(fixed(b.gain, 2) + "x"),
                          datum::number(b.cpu_ratio, 6).as(fixed(b.cpu_ratio, 2) + "x"),
                          b.versus_peer ? datum::number(*b.versus_peer, 6).as(fixed(*b.versus_peer, 2) + "x")
                                        : datum::none()});
        bulk.notes.push_back("x moodycamel bulk: a msgpool bulk system's median over that of " +
                             std::string(moodycamel_name) + " with enqueue_bulk / try_dequeue_bulk at the same "
                             "batch size, same cell");
        out.tables.push_back(std::move(bulk));
    }
}

}  // namespace msgpool_bench
