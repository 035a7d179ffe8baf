// bench/processes_report.cpp - the --processes tables (processes_report.hpp).
#include "processes_report.hpp"

#include <optional>
#include <string>

namespace msgpool_bench {

std::string threaded_twin_name(const system& shared) {
    std::string n = shared.name;
    if (n.rfind("shm:", 0) == 0) n.erase(0, 4);
    const auto last = n.rfind('+');
    return last == std::string::npos ? n : n.substr(0, last);
}

namespace {

std::optional<std::size_t> find_system(const results& r, std::string_view name) {
    for (std::size_t s = 0; s < r.systems.size(); ++s)
        if (r.systems[s].name == name) return s;
    return std::nullopt;
}

}  // namespace

void add_process_tables(report& out, const results& r, const std::vector<idle_row>& idle, double idle_seconds) {
    const auto peer = find_system(r, interprocess_peer_name);
    table best;
    best.key = "processes";
    best.title = "across processes: fastest shared pool vs " + std::string(interprocess_peer_name) +
                 ", medians of this run";
    best.columns = {{"cell", "cell"},
                    {"shared", "fastest shared pool"},
                    {"mps_shared", "M msg/s", true},
                    {"mps_peer", "message_queue M msg/s", true},
                    {"ratio", "ratio", true}};
    table twins;
    twins.key = "processes_vs_threads";
    twins.title = "each shared pool vs the same composition with threads in one process, medians of this run";
    twins.columns = {{"cell", "cell"},
                     {"shared", "shared pool"},
                     {"threaded", "threads in one process"},
                     {"mps_shared", "shared M msg/s", true},
                     {"mps_threaded", "threads M msg/s", true},
                     {"ratio", "ratio", true}};
    for (std::size_t c = 0; c < r.cells.size(); ++c) {
        std::optional<std::size_t> leader;
        for (std::size_t s = 0; s < r.systems.size(); ++s) {
            if (r.systems[s].kind != system_kind::shared || !r.table[c][s].runs) continue;
            if (!leader || r.table[c][s].throughput.median > r.table[c][*leader].throughput.median) leader = s;
            const auto twin = find_system(r, threaded_twin_name(r.systems[s]));
            if (!twin || !r.table[c][*twin].runs) continue;
            const double a = r.table[c][s].throughput.median, b = r.table[c][*twin].throughput.median;
            twins.add_row({datum::text(r.cells[c].name()), datum::text(r.systems[s].name),
                           datum::text(r.systems[*twin].label()), datum::number(a, 6).as(mmps(a)),
                           datum::number(b, 6).as(mmps(b)),
                           b > 0 ? datum::number(a / b, 6).as(fixed(a / b, 2) + "x") : datum::none()});
        }
        if (!leader) continue;
        const double a = r.table[c][*leader].throughput.median;
        const bool have_peer = peer && r.table[c][*peer].runs;
        const double b = have_peer ? r.table[c][*peer].throughput.median : 0;
        best.add_row({datum::text(r.cells[c].name()), datum::text(r.systems[*leader].name),
                      datum::number(a, 6).as(mmps(a)), have_peer ? datum::number(b, 6).as(mmps(b)) : datum::none(),
                      have_peer && b > 0 ? datum::number(a / b, 6).as(fixed(a / b, 2) + "x") : datum::none()});
    }
    if (!peer) best.notes.push_back(std::string(interprocess_peer_name) + " was not selected: no ratio");
    out.tables.push_back(std::move(best));
    if (!twins.rows.empty()) out.tables.push_back(std::move(twins));
    if (!idle.empty()) {
        table t;
        t.key = "processes_idle";
        t.title = "blocked waiters across processes: 8 reader processes on an empty structure of capacity 1024, CPU "
                  "over " + fixed(idle_seconds, 2) + " s after a 0.2 s settle";
        t.columns = {{"system", "system"}, {"cpu_seconds", "CPU s", true}, {"cores", "cores", true}};
        for (const auto& i : idle)
            t.add_row({datum::text(i.system).as(i.label), datum::number(i.measure.cpu_seconds, 4),
                       datum::number(i.measure.cpu_share(), 4)});
        out.tables.push_back(std::move(t));
    }
}

}  // namespace msgpool_bench
