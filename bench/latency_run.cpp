// bench/latency_run.cpp - the --latency run, its table and --recommend
// --latency (see latency_run.hpp).
#include "latency_run.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "progress.hpp"
#include "runner.hpp"

namespace msgpool_bench {

const char* to_string(latency_mode m) noexcept {
    switch (m) {
        case latency_mode::round_trip: return "round trip";
        case latency_mode::one_way: return "one-way";
        case latency_mode::wake_up: return "wake-up";
    }
    return "?";
}

bool latency_results::all_delivered() const {
    return std::all_of(rows.begin(), rows.end(), [](const latency_row& x) { return x.measure.failure.empty(); });
}

std::vector<system> latency_systems(const std::vector<system>& registry) {
    std::vector<system> out;
    for (const auto& s : registry)
        if (s.latency.any() && s.is_msgpool() && selects("aliases", s)) out.push_back(s);
    for (const auto& s : registry)
        if (s.latency.any() && s.kind == system_kind::peer) out.push_back(s);
    return out;
}

latency_results run_latency(const latency_plan& plan) {
    latency_results r;
    r.systems = plan.systems;
    const auto start = std::chrono::steady_clock::now();

    // 1. The throughput pass, over the systems that offer one-way latency.
    sweep_plan pass = plan.throughput;
    pass.systems.clear();
    for (const auto& s : plan.systems)
        if (s.latency.one_way) pass.systems.push_back(s);
    pass.cells = plan.one_way_cells;
    if (pass.systems.empty()) pass.cells.clear();
    if (pass.progress && !pass.cells.empty())
        std::fprintf(stderr, "throughput pass: %zu systems x %zu cells x %u repetitions of %llu messages\n",
                     pass.systems.size(), pass.cells.size(), pass.repetitions,
                     static_cast<unsigned long long>(pass.messages));
    r.throughput = run_sweep(pass);
    r.clock_read_ns = latency_detail::clock_read_ns();
    if (std::ifstream source("/sys/devices/system/clocksource/clocksource0/current_clocksource"); source)
        std::getline(source, r.clock_source);

    // The latency runs, counted for the progress line.
    std::size_t total = 0;
    for (const auto& s : plan.systems)
        total += (plan.round_trip && s.latency.round_trip) + (plan.wake_up && s.latency.wake_up);
    const std::size_t one_way_runs = r.throughput.systems.size() * r.throughput.cells.size();
    total += one_way_runs * (plan.loads.size() + pass.repetitions) + plan.wake_up;
    runner run(pass.in_process, pass.run_limit);
    progress line(total, pass.progress);
    std::size_t done = 0;

    // 1b. The calibration: the one-way workload unpaced, interleaved.
    const auto one_way_config = [&](const cell& where, double rate) {
        latency_config config;
        config.queue = queue_config{where.capacity, where.producers, where.consumers};
        config.samples = plan.one_way_samples;
        config.warmup = std::max<std::uint64_t>(100, plan.one_way_samples / 100 / where.producers);
        config.rate = rate;
        return config;
    };
    for (std::size_t c = 0; c < r.throughput.cells.size(); ++c)
        for (std::size_t s = 0; s < r.throughput.systems.size(); ++s)
            r.calibrations.push_back({r.throughput.systems[s].name, r.throughput.cells[c],
                                      r.throughput.table[c][s].throughput.median, {}, 0, {}});
    for (std::size_t c = 0; c < r.throughput.cells.size(); ++c)
        for (unsigned rep = 0; rep < pass.repetitions; ++rep)
            for (std::size_t s = 0; s < r.throughput.systems.size(); ++s) {
                one_way_calibration& k = r.calibrations[c * r.throughput.systems.size() + s];
                const std::string what = k.system + " | one-way unpaced | " + k.where.name() + " | repetition " +
                                         std::to_string(rep + 1);
                line.update(done++, what);
                const latency_measure m = run.latency(r.throughput.systems[s].latency.one_way,
                                                      one_way_config(k.where, 0), what);
                if (!m.failure.empty()) {
                    std::fprintf(stderr, "\nmsgpool-bench: LATENCY RUN FAILED: %s: %s\n", what.c_str(),
                                 m.failure.c_str());
                    if (k.failure.empty()) k.failure = m.failure;
                } else if (m.read_seconds > 0) {
                    k.runs_mps.push_back(static_cast<double>(m.messages) / m.read_seconds);
                }
            }
    for (auto& k : r.calibrations)
        if (k.failure.empty() && !k.runs_mps.empty()) {
            std::vector<double> v = k.runs_mps;
            std::sort(v.begin(), v.end());
            k.median_mps = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
        }
    const auto measure = [&](latency_row row, latency_measure (*workload)(const latency_config&),
                             const latency_config& config) {
        const std::string what = row.system + " | " + to_string(row.mode) + " | " + row.where.name() +
                                 (row.load ? " | load " + fixed(100 * *row.load, 0) + "%" : "");
        line.update(done++, what);
        row.measure = run.latency(workload, config, what);
        if (!row.measure.failure.empty())
            std::fprintf(stderr, "\nmsgpool-bench: LATENCY RUN FAILED: %s: %s\n", what.c_str(),
                         row.measure.failure.c_str());
        r.rows.push_back(std::move(row));
    };

    // 2. Round trip: 8-byte messages, one thread on each side.
    if (plan.round_trip)
        for (const auto& s : plan.systems)
            if (s.latency.round_trip) {
                latency_config config;
                config.queue = queue_config{plan.capacity, 1, 1};
                config.samples = plan.round_trips;
                config.warmup = std::max<std::uint64_t>(1000, plan.round_trips / 10);
                measure({s.name, latency_mode::round_trip, cell{1, 1, plan.capacity, 8}, {}, 0, {}},
                        s.latency.round_trip, config);
            }

    // 3. One-way, open loop, at each load of each system's calibrated rate.
    for (std::size_t c = 0; c < r.throughput.cells.size(); ++c)
        for (const double load : plan.loads)
            for (std::size_t s = 0; s < r.throughput.systems.size(); ++s) {
                const system& sys = r.throughput.systems[s];
                const cell& where = r.throughput.cells[c];
                const double mps = r.calibrations[c * r.throughput.systems.size() + s].median_mps;
                latency_row row{sys.name, latency_mode::one_way, where, load, load * mps, {}, mps};
                if (!(mps > 0)) {
                    row.measure.failure = "no unpaced one-way rate measured to offer a share of";
                    ++done;
                    r.rows.push_back(std::move(row));
                    continue;
                }
                measure(std::move(row), sys.latency.one_way, one_way_config(where, load * mps));
            }

    // 4. Wake-up after at least 1 ms blocked, then the floor.
    if (plan.wake_up) {
        latency_config config;
        config.queue = queue_config{plan.capacity, 1, 1};
        config.samples = plan.wake_ups;
        config.warmup = std::max<std::uint64_t>(10, plan.wake_ups / 100);
        const cell where{1, 1, plan.capacity, 16};
        for (const auto& s : plan.systems)
            if (s.latency.wake_up) measure({s.name, latency_mode::wake_up, where, {}, 0, {}}, s.latency.wake_up, config);
        measure({futex_floor_name, latency_mode::wake_up, cell{1, 1, 0, 4}, {}, 0, {}}, &run_futex_floor, config);
    }
    line.finish();
    r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

namespace {

datum microseconds(std::uint64_t ns) { return datum::number(static_cast<double>(ns) / 1e3, 3); }

std::string cell_name(const latency_row& x) {
    return x.system == futex_floor_name ? "1x1 futex word" : x.where.name();
}

}  // namespace

table latency_table(const latency_results& r) {
    table t;
    t.key = "latency";
    t.title = "latency in microseconds: percentiles of every sample (log-linear histogram, values within 0.8%)";
    const auto us = [](std::string key, std::string heading) { return column{std::move(key), std::move(heading), true}; };
    t.columns = {column{"mode", "mode"},
                 column{"system", "system"},
                 column{"cell", "cell"},
                 us("offered_load_percent", "load %"),
                 us("offered_mps", "offered M msg/s"),
                 us("samples", "samples"),
                 us("p50_us", "p50"),
                 us("p90_us", "p90"),
                 us("p99_us", "p99"),
                 us("p99_9_us", "p99.9"),
                 us("p99_99_us", "p99.99"),
                 us("max_us", "max"),
                 us("pacing_p50_us", "pacing p50"),
                 us("pacing_p99_us", "pacing p99"),
                 us("pacing_max_us", "pacing max"),
                 column{"failure", "failure", false, true},
                 us("base_mps", "100% = M msg/s"),
                 us("sent_mps", "sent M msg/s"),
                 column{"schedule", "schedule"}};
    t.group_by = 0;
    std::vector<std::string> off_schedule;
    for (const auto& x : r.rows) {
        const auto& h = x.measure.latency;
        const bool measured = h.count() > 0;
        const auto pct = [&](double p) { return measured ? microseconds(h.percentile(p)) : datum::none(); };
        const bool paced = x.measure.pacing.count() > 0;
        const auto pacing = [&](double p) { return paced ? microseconds(x.measure.pacing.percentile(p)) : datum::none(); };
        t.add_row({datum::text(to_string(x.mode)), datum::text(x.system), datum::text(cell_name(x)),
                   x.load ? datum::number(100 * *x.load, 0) : datum::none(),
                   x.load ? datum::number(x.offered_mps / 1e6, 3) : datum::none(), datum::count(h.count()),
                   pct(50), pct(90), pct(99), pct(99.9),
                   !measured                         ? datum::none()
                   : h.count() < p9999_min_samples ? datum::text("n/a")
                                                     : pct(99.99),
                   measured ? microseconds(h.max()) : datum::none(), pacing(50), pacing(99),
                   paced ? microseconds(x.measure.pacing.max()) : datum::none(),
                   datum::text(x.measure.failure.empty() ? "" : x.measure.failure),
                   x.load ? datum::number(x.base_mps / 1e6, 3) : datum::none(),
                   x.load && measured ? datum::number(x.schedule().sent_mps / 1e6, 3) : datum::none(),
                   x.load && measured ? datum::text(to_string(x.schedule().state)) : datum::none()});
        if (x.load && measured && x.schedule().state != schedule_state::kept) {
            off_schedule.push_back(x.system + ", " + x.where.name() + ", " + fixed(100 * *x.load, 0) +
                                   "%: " + describe(x.schedule()));
        }
    }
    t.notes.push_back("round trip: write to one structure, the echo from another, one thread on each side, 8-byte "
                      "messages; one-way: latency from the time each message was scheduled to be sent (a fixed "
                      "schedule at the offered load, a share of '100%': the rate the same system sustained in the "
                      "same cell in this run with the one-way run's clock reads and records but no schedule), so a "
                      "stall counts against every message it delays; pacing: how late the sends were (actual minus "
                      "scheduled); sent: the messages over the time to the last write; wake-up: a consumer blocked "
                      "at least 1 ms on the empty structure, from the producer's stamp to the return of read()");
    t.notes.push_back("schedule: kept, or BEHIND (the senders moved under " + fixed(100 * min_sent_share, 0) +
                      "% of the offered rate: the load was not offered) or LATE (the pacing p50 exceeds the gap "
                      "between two sends of one producer: the senders sent in bursts); a row that is not 'kept' "
                      "is not a measurement at its load");
    if (off_schedule.empty()) {
        if (std::any_of(r.rows.begin(), r.rows.end(), [](const latency_row& x) { return x.load.has_value(); }))
            t.notes.push_back("every one-way row kept its schedule");
    } else {
        t.notes.push_back("NOT AT THEIR LOAD: " + std::to_string(off_schedule.size()) +
                          " one-way row(s) did not keep the schedule:");
        for (const auto& x : off_schedule) t.notes.push_back("  " + x);
    }
    if (r.clock_read_ns > 0)
        t.notes.push_back("clock: steady_clock" + (r.clock_source.empty() ? "" : " over '" + r.clock_source + "'") +
                          ", " + fixed(r.clock_read_ns, 1) + " ns of CPU time a read here; a one-way message costs a read on "
                          "each side");
    t.notes.push_back("p99.99 is n/a below " + std::to_string(p9999_min_samples) +
                      " samples.  Figures compare only with figures of the same machine.");
    return t;
}

table latency_calibration_table(const latency_results& r) {
    table t;
    t.key = "latency_calibration";
    t.title = "one-way: what each system sustains with the one-way instrumentation, unpaced (the 100% of the loads)";
    t.columns = {column{"system", "system"},
                 column{"cell", "cell"},
                 column{"pass_mps", "plain pass M msg/s", true},
                 column{"unpaced_mps", "unpaced one-way M msg/s", true},
                 column{"min_mps", "min", true},
                 column{"max_mps", "max", true},
                 column{"share_of_pass", "x plain pass", true},
                 column{"runs", "runs", true},
                 column{"failure", "failure", false, true}};
    for (const auto& k : r.calibrations) {
        const bool ok = k.median_mps > 0;
        const auto [lo, hi] = std::minmax_element(k.runs_mps.begin(), k.runs_mps.end());
        t.add_row({datum::text(k.system), datum::text(k.where.name()), datum::number(k.pass_mps / 1e6, 3),
                   ok ? datum::number(k.median_mps / 1e6, 3) : datum::none(),
                   ok ? datum::number(*lo / 1e6, 3) : datum::none(), ok ? datum::number(*hi / 1e6, 3) : datum::none(),
                   ok && k.pass_mps > 0 ? datum::number(k.median_mps / k.pass_mps, 2) : datum::none(),
                   datum::count(k.runs_mps.size()), datum::text(k.failure)});
    }
    t.notes.push_back("unpaced one-way: the one-way workload with no schedule (each producer stamps each message with "
                      "the clock and writes at once; each consumer reads the clock and records a histogram entry "
                      "per message), median of the repetitions, messages over the time to the last read; the plain "
                      "pass moves the same messages with no clock read");
    return t;
}

void write_latency_recommendation(std::ostream& out, const latency_results& r, double p99_bound_us) {
    const results& pass = r.throughput;
    if (pass.cells.empty()) {
        out << "\nno composition offers one-way latency: no recommendation\n";
        return;
    }
    const cell& where = pass.cells[0];
    struct candidate {
        std::size_t system;
        double mps;
        std::optional<double> p99_us;
        schedule_state schedule = schedule_state::kept;
    };
    std::vector<candidate> all;
    for (std::size_t s = 0; s < pass.systems.size(); ++s) {
        candidate c{s, pass.table[0][s].throughput.median, std::nullopt};
        for (const auto& x : r.rows)
            if (x.system == pass.systems[s].name && x.mode == latency_mode::one_way && x.load &&
                *x.load == 0.5 && x.measure.failure.empty() && x.measure.latency.count()) {
                c.p99_us = static_cast<double>(x.measure.latency.percentile(99)) / 1e3;
                c.schedule = x.schedule().state;
            }
        all.push_back(c);
    }
    const auto schedule_note = [](const candidate& c) {
        return c.p99_us && c.schedule != schedule_state::kept
                   ? std::string("  (schedule ") + to_string(c.schedule) + ": not a measurement at 50% load)"
                   : std::string();
    };
    std::stable_sort(all.begin(), all.end(), [](const candidate& a, const candidate& b) { return a.mps > b.mps; });
    out << "\n== latency recommendation for " << where.producers << " producers x " << where.consumers
        << " consumers, capacity " << where.capacity << ", 16-byte messages: one-way p99 under " << fixed(p99_bound_us, 3)
        << " us at 50% load ==\n"
        << "on " << pass.info.cpu << ", " << pass.info.hardware_threads << " hardware threads, " << pass.info.timestamp
        << "; throughput: median of " << pass.repetitions << " runs of " << pass.messages
        << " messages; each composition offered half of what it sustained in unpaced one-way runs\n";
    const auto winner = std::find_if(all.begin(), all.end(),
                                     [&](const candidate& c) { return c.p99_us && *c.p99_us < p99_bound_us; });
    if (winner != all.end()) {
        const system& s = pass.systems[winner->system];
        out << "fastest under the bound: " << s.label() << "\n  " << mmps(winner->mps) << " M msg/s, one-way p99 "
            << fixed(*winner->p99_us, 3) << " us at 50% load" << schedule_note(*winner) << "\n  use: "
            << (s.aliases.empty() ? s.type_name : "msgpool::" + s.aliases.front() + "<T>") << "\n";
    } else {
        out << "none: no composition's one-way p99 at 50% load is under " << fixed(p99_bound_us, 3) << " us\n";
    }
    out << "\ncandidates, fastest first:\n";
    for (const auto& c : all)
        out << "  " << (c.p99_us && *c.p99_us < p99_bound_us ? "under " : "over  ") << mmps(c.mps) << " M msg/s  p99 "
            << (c.p99_us ? fixed(*c.p99_us, 3) + " us" : std::string("not measured")) << "  "
            << pass.systems[c.system].label() << schedule_note(c) << "\n";
    out << "Figures compare only with figures of the same machine; p99 within 0.8% (the histogram's resolution).\n";
}

}  // namespace msgpool_bench
