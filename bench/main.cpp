// bench/main.cpp - msgpool-bench: parse the command line, run the sweep,
// build the run's report (report.hpp: the sweep, the peer comparison, the
// goals), print it and write it in every format and the plots into the
// run's folder.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "cli.hpp"
#include "goals.hpp"
#include "latency_run.hpp"
#include "report.hpp"
#include "sweep.hpp"
#include "systems.hpp"
#include "peer_comparison.hpp"
#include "processes_report.hpp"
#include "recommend.hpp"

namespace fs = std::filesystem;
using namespace msgpool_bench;

namespace {

/// output/<run id>/ for the files, and output/latest pointing to it.
fs::path prepare_folder(const fs::path& output, const std::string& run_id) {
    const fs::path dir = output / run_id;
    fs::create_directories(dir);
    const fs::path latest = output / "latest";
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(latest, ec))) fs::remove(latest, ec);
    if (!fs::exists(fs::symlink_status(latest, ec))) fs::create_directory_symlink(run_id, latest, ec);
    return dir;
}

/// --latency and --recommend --latency (latency_run.hpp).
int run_latency_mode(const settings& s) {
    const latency_plan& plan = s.latency_runs;
    std::cout << "plan: throughput pass of " << plan.one_way_cells.size() << " cells x "
              << plan.throughput.repetitions << " repetitions of " << plan.throughput.messages << " messages; "
              << plan.systems.size() << " systems";
    if (plan.round_trip) std::cout << "; " << plan.round_trips << " round trips each";
    std::cout << "; one-way: " << plan.throughput.repetitions << " unpaced runs per cell (the 100%), then "
              << plan.one_way_samples << " samples per cell and load of";
    for (double l : plan.loads) std::cout << " " << fixed(100 * l, 0) << "%";
    if (plan.wake_up) std::cout << "; " << plan.wake_ups << " wake-ups each and the futex floor";
    std::cout << "\n" << std::flush;

    const latency_results lr = run_latency(plan);
    const fs::path dir = prepare_folder(s.output, lr.throughput.info.id);
    report out = sweep_report(lr.throughput);
    if (!lr.calibrations.empty()) out.tables.push_back(latency_calibration_table(lr));
    out.tables.push_back(latency_table(lr));
    write_text(std::cout, out);
    std::cout << "\nlatency run: " << fixed(lr.wall_seconds, 0) << " s\nfiles in " << fs::absolute(dir).string()
              << " (also " << fs::absolute(s.output / "latest").string() << "):\n ";
    for (const auto& f : write_report_files(dir, out)) std::cout << " " << f.filename().string();
    std::cout << "\n";
    if (s.p99_under_us) {
        {
            std::ofstream text(dir / "recommendation.txt");
            write_latency_recommendation(text, lr, *s.p99_under_us);
        }
        write_latency_recommendation(std::cout, lr, *s.p99_under_us);
        std::cout << "\nfiles:  recommendation.txt\n";
    }
    if (s.plots) {
        const auto plots = write_latency_plots(dir, lr);
        if (!plots.files.empty()) {
            std::cout << "plots:";
            for (const auto& f : plots.files) std::cout << "\n  " << fs::relative(f, dir).string();
            std::cout << "\n";
        }
        if (!plots.note.empty()) std::cout << "plots: " << plots.note << "\n";
    }
    if (!lr.throughput.all_exactly_once() || !lr.all_delivered()) {
        std::cerr << "msgpool-bench: FAILED: some runs did not deliver every message exactly once (see above)\n";
        return 2;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) try {
    const auto registry = all_systems();
    const auto parsed = parse_command_line(argc, argv, registry);
    if (!parsed) return 0;
    const settings& s = *parsed;
    if (s.list_only) {
        list_systems(std::cout, registry);
        return 0;
    }

    for (const auto& note : s.notes) std::cout << "note: " << note << "\n";
    if (s.latency) return run_latency_mode(s);

    if (s.compare_peers || s.bulk || s.recommend || s.goals) {
        std::size_t sleeping = 0;
        for (const auto& sys : s.plan.systems) sleeping += sys.sleeps && !sys.is_bulk();
        const std::size_t idle_runs = s.compare_peers ? sleeping + 1
                                      : s.recommend   ? 2
                                      : s.goals && s.goals->needs_idle()
                                          ? goal_idle_systems(*s.goals, s.plan.systems).size()
                                          : 0;
        const double idle = static_cast<double>(idle_runs) * (s.idle_seconds + 0.25);
        std::size_t runs = 0;  // a system above a cell's capacity limit is skipped there (system::takes)
        for (const auto& c : s.plan.cells)
            for (const auto& x : s.plan.systems) runs += x.takes(c.capacity) ? s.plan.repetitions : 0;
        std::cout << "plan: " << s.plan.systems.size() << " systems x " << s.plan.cells.size() << " cells x "
                  << s.plan.repetitions << " repetitions = " << runs << " runs of " << s.plan.messages << " messages";
        if (idle_runs) std::cout << ", then " << idle_runs << " blocked-waiter runs of " << s.idle_seconds << " s";
        std::cout << "\n" << std::flush;
        if (s.estimate_only) {
            const auto total = static_cast<long>(estimate_sweep_seconds(s.plan) + idle + 0.5);
            std::cout << "estimated duration on this machine now: " << total / 60 << " min " << total % 60
                      << " s (calibration: one run per system and cell at a tenth of the messages, scaled)\n";
            return 0;
        }
    }

    const results r = run_sweep(s.plan);

    const fs::path dir = prepare_folder(s.output, r.info.id);
    report out = sweep_report(r);
    std::vector<idle_row> idle;
    if (s.compare_peers || s.bulk) {
        const auto t = compare_with_peers(r, s.compare_peers, s.idle_seconds, s.plan);
        add_comparison_tables(out, r, t);
        idle = t.idle;
    }
    if (s.processes) {  // readers blocked across processes, for every sleeping shared system
        std::vector<msgpool_bench::system> waiting;
        for (const auto& sys : s.plan.systems)
            if (sys.is_process() && sys.sleeps) waiting.push_back(sys);
        add_process_tables(out, r, measure_idle(waiting, s.idle_seconds, s.plan), s.idle_seconds);
    }
    bool goal_missed = false;
    if (s.goals) {
        if (s.goals->needs_idle()) {  // blocked waiters the comparison did not measure
            std::vector<msgpool_bench::system> more;
            for (auto& sys : goal_idle_systems(*s.goals, s.plan.systems))
                if (std::none_of(idle.begin(), idle.end(), [&](const idle_row& i) { return i.system == sys.name; }))
                    more.push_back(std::move(sys));
            for (auto& row : measure_idle(more, s.idle_seconds, s.plan)) idle.push_back(std::move(row));
        }
        const auto rows = evaluate_goals(*s.goals, r, idle);
        out.tables.push_back(goals_table(*s.goals, rows));
        goal_missed = any_missed(rows);
    }
    write_text(std::cout, out);
    std::cout << "\nfiles in " << fs::absolute(dir).string() << " (also " << fs::absolute(s.output / "latest").string()
              << "):\n ";
    for (const auto& f : write_report_files(dir, out)) std::cout << " " << f.filename().string();
    std::cout << "\n";
    if (s.recommend) {
        const auto rec = recommend(r, s.plan, s.asked_bytes, s.idle_seconds);
        {
            std::ofstream text(dir / "recommendation.txt");
            write_recommendation(text, r, rec);
        }
        write_recommendation(std::cout, r, rec);
        std::cout << "\nfiles:  recommendation.txt\n";
    }
    if (s.plots) {
        // --recommend measures one cell: a ranking, not a curve over shapes.
        const auto plots = s.recommend ? write_ranked_chart(dir, r, 0) : write_plots(dir, r);
        if (!plots.files.empty()) {
            std::cout << "plots:";
            for (const auto& f : plots.files) std::cout << "\n  " << fs::relative(f, dir).string();
            std::cout << "\n";
        }
        if (!plots.note.empty()) std::cout << "plots: " << plots.note << "\n";
    }
    if (!r.all_exactly_once()) {
        std::cerr << "msgpool-bench: FAILED: some runs did not deliver every message exactly once (see above)\n";
        return 2;
    }
    if (goal_missed) {
        std::cerr << "msgpool-bench: a goal of " << s.goals->file.string() << " was missed (see the goals table)\n";
        return 4;
    }
    return 0;
} catch (const std::invalid_argument& e) {
    std::cerr << "msgpool-bench: " << e.what() << "\n(try --help)\n";
    return 1;
} catch (const std::exception& e) {
    std::cerr << "msgpool-bench: " << e.what() << "\n";
    return 1;
}
