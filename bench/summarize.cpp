// bench/summarize.cpp - from runs to the per-cell table and the verdict.
//
// Ratios compare medians measured in the same sweep, interleaved, so machine
// drift affects numerator and denominator alike.  The geometric mean of
// median throughput over the cells swept weighs a 2x win in a slow cell as
// much as a 2x win in a fast one.  Bulk and in-place systems use another API
// of a composition already in the table, and reference rows (references.hpp)
// measure no pool of their own: they get medians and ratios but never count
// as the composition with the highest median or as the best peer.  Whether a highest
// median is a lead beyond the spread is standing.hpp's question.
#include <cmath>

#include "results.hpp"

namespace msgpool_bench {

void summarize(results& r) {
    const std::size_t ncells = r.cells.size(), nsys = r.systems.size();
    r.table.assign(ncells, std::vector<system_cell>(nsys));
    std::vector<std::vector<std::vector<double>>> tput(ncells, std::vector<std::vector<double>>(nsys)), cpu = tput,
                                                  sw = tput;
    for (const auto& run : r.runs) {
        auto& sc = r.table[run.cell][run.system];
        ++sc.runs;
        sc.exactly_once = sc.exactly_once && run.measure.exactly_once;
        tput[run.cell][run.system].push_back(run.messages_per_second());
        cpu[run.cell][run.system].push_back(run.cpu_seconds_per_million());
        sw[run.cell][run.system].push_back(run.switches_per_million());
    }
    r.best_peer.assign(ncells, std::nullopt);
    r.highest_median_composition.assign(ncells, std::nullopt);
    for (std::size_t c = 0; c < ncells; ++c) {
        for (std::size_t s = 0; s < nsys; ++s) {
            auto& sc = r.table[c][s];
            if (sc.runs == 0) continue;
            sc.throughput = median_min_max(tput[c][s]);
            sc.cpu_per_million = median_min_max(cpu[c][s]);
            sc.switches_per_million = median_min_max(sw[c][s]);
            if (r.systems[s].is_form() || r.systems[s].is_reference()) continue;  // see above
            auto& best = r.systems[s].is_msgpool() ? r.highest_median_composition[c] : r.best_peer[c];
            if (!best || sc.throughput.median > r.table[c][*best].throughput.median) best = s;
        }
        if (const auto bp = r.best_peer[c]; bp && r.table[c][*bp].throughput.median > 0)
            for (auto& sc : r.table[c])
                if (sc.runs) sc.ratio_to_best_peer = sc.throughput.median / r.table[c][*bp].throughput.median;
    }
    r.geomean_throughput.assign(nsys, 0);
    r.highest_geomean_composition.reset();
    for (std::size_t s = 0; s < nsys; ++s) {
        double log_sum = 0;
        std::size_t n = 0;
        bool complete = true;
        for (std::size_t c = 0; c < ncells; ++c) {
            const auto& sc = r.table[c][s];
            if (sc.runs == 0 || sc.throughput.median <= 0) {
                complete = false;
                continue;
            }
            log_sum += std::log(sc.throughput.median);
            ++n;
        }
        if (n == 0 || !complete) continue;
        r.geomean_throughput[s] = std::exp(log_sum / static_cast<double>(n));
        if (r.systems[s].is_msgpool() && !r.systems[s].is_form() &&
            (!r.highest_geomean_composition || r.geomean_throughput[s] > r.geomean_throughput[*r.highest_geomean_composition]))
            r.highest_geomean_composition = s;
    }
}

}  // namespace msgpool_bench
