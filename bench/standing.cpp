// bench/standing.cpp - leader, runner-up and ties (see standing.hpp).
#include "standing.hpp"

#include <algorithm>

#include "report.hpp"

namespace msgpool_bench {

standing rank_cell(const results& r, std::size_t cell, const std::function<bool(const system&)>& candidate) {
    std::vector<std::size_t> order;
    for (std::size_t s = 0; s < r.systems.size(); ++s)
        if (candidate(r.systems[s]) && r.table[cell][s].runs > 0) order.push_back(s);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return r.table[cell][a].throughput.median > r.table[cell][b].throughput.median;
    });
    standing out;
    if (order.empty()) return out;
    out.leader = order[0];
    if (order.size() > 1) out.runner_up = order[1];
    const auto& lead = r.table[cell][order[0]];
    out.spread_known = lead.runs >= 3;
    for (std::size_t i = 1; i < order.size(); ++i)
        if (r.table[cell][order[i]].throughput.max >= lead.throughput.min) out.tied.push_back(order[i]);
    return out;
}

bool is_blocking_candidate(const system& s) { return selects("blocking", s); }
bool is_spinning_candidate(const system& s) { return selects("spinning", s); }
bool is_in_place_blocking_candidate(const system& s) { return s.in_place && s.sleeps; }

namespace {

std::string figure(const results& r, std::size_t cell, std::size_t s) {
    const auto& t = r.table[cell][s].throughput;
    return r.systems[s].label() + " " + mmps(t.median) + " M msg/s (" + mmps(t.min) + ".." + mmps(t.max) + ")";
}

}  // namespace

std::string describe_standing(const results& r, std::size_t cell, const standing& s) {
    if (!s.leader) return "none measured";
    std::string out = figure(r, cell, *s.leader);
    if (!s.runner_up) return out + ", the only candidate";
    if (!s.spread_known)
        return out + ", then " + figure(r, cell, *s.runner_up) + ": too few repetitions to tell a lead from noise";
    if (s.tied.empty()) return out + ", ahead of " + figure(r, cell, *s.runner_up) + " beyond the spread";
    out += ", tied within the spread with ";
    for (std::size_t i = 0; i < s.tied.size(); ++i) {
        if (i == 3) {
            out += " and " + std::to_string(s.tied.size() - 3) + " more";
            break;
        }
        out += (i ? ", " : "") + figure(r, cell, s.tied[i]);
    }
    return out;
}

std::vector<std::string> summary_lines(const results& r) {
    std::vector<std::string> out;
    const std::pair<const char*, bool (*)(const system&)> kinds[] = {
        {"blocking", &is_blocking_candidate},
        {"spinning (a waiting thread keeps its core busy)", &is_spinning_candidate},
        {"blocking, in place (made and checked in the slot, no copy)", &is_in_place_blocking_candidate}};
    for (std::size_t c = 0; c < r.cells.size(); ++c)
        for (const auto& [kind, pick] : kinds) {
            const standing s = rank_cell(r, c, pick);
            if (s.leader)
                out.push_back(r.cells[c].name() + ", highest median " + kind + ": " + describe_standing(r, c, s));
        }
    for (const auto& [kind, pick] : kinds) {
        std::optional<std::size_t> top;
        for (std::size_t s = 0; s < r.systems.size(); ++s)
            if (pick(r.systems[s]) && r.geomean_throughput[s] > 0 &&
                (!top || r.geomean_throughput[s] > r.geomean_throughput[*top]))
                top = s;
        if (top && r.cells.size() > 1)
            out.push_back("highest geometric mean of medians over the " + std::to_string(r.cells.size()) + " cells, " +
                          kind + ": " + r.systems[*top].label() + " (" + mmps(r.geomean_throughput[*top]) +
                          " M msg/s; the per-cell lines say where its lead is within the spread)");
    }
    return out;
}

}  // namespace msgpool_bench
