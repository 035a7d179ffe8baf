// bench/sweep.cpp - the interleaved sweep.
#include "sweep.hpp"

#include <cstdio>
#include <set>
#include <utility>

#include "progress.hpp"
#include "runner.hpp"

namespace msgpool_bench {

results run_sweep(const sweep_plan& plan) {
    results r;
    r.info = describe_this_run();
    r.systems = plan.systems;
    r.cells = plan.cells;
    r.repetitions = plan.repetitions;
    r.messages = plan.messages;
    r.check = plan.check;
    const auto start = std::chrono::steady_clock::now();

    runner run(plan.in_process, plan.run_limit);
    std::size_t planned = 0;  // runs of systems that take the cell's capacity (the others are skipped)
    for (const auto& c : plan.cells)
        for (const auto& sys : plan.systems) planned += sys.takes(c.capacity) ? plan.repetitions : 0;
    progress line(planned, plan.progress);
    std::size_t done = 0;
    for (std::size_t c = 0; c < plan.cells.size(); ++c) {
        const cell& where = plan.cells[c];
        for (unsigned rep = 0; rep < plan.repetitions; ++rep)
            for (std::size_t s = 0; s < plan.systems.size(); ++s) {
                const system& sys = plan.systems[s];
                if (!sys.takes(where.capacity)) continue;  // the report says why (system::not_measured_note)
                const std::string what = sys.name + " | " + where.name() + " | rep " + std::to_string(rep + 1) +
                                         "/" + std::to_string(plan.repetitions);
                line.update(done, what);
                const run_config config = plan.config(sys, where, plan.messages);
                run_record rec{c, s, rep, plan.messages, run.run(sys, where.message_bytes, config, what)};
                if (!rec.measure.exactly_once)
                    std::fprintf(stderr, "\nmsgpool-bench: EXACTLY-ONCE FAILURE: %s: %s\n", what.c_str(),
                                 rec.measure.failure.c_str());
                r.runs.push_back(std::move(rec));
                ++done;
            }
    }
    line.finish();

    // Footprint: once per system, capacity and message size swept; after the
    // runs, so that no structure was ever built in the process runs fork from.
    std::set<std::pair<std::size_t, std::size_t>> sizes;  // (capacity, message bytes)
    for (const auto& c : plan.cells) sizes.emplace(c.capacity, c.message_bytes);
    for (std::size_t s = 0; s < plan.systems.size(); ++s)
        for (const auto& [capacity, bytes] : sizes)
            if (plan.systems[s].takes(capacity))
                r.footprints.push_back({s, capacity, bytes, plan.systems[s].memory(bytes, capacity)});
    r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    summarize(r);
    return r;
}

}  // namespace msgpool_bench
