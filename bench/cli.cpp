// bench/cli.cpp - options, defaults and system selection.
//
// Defaults are chosen so that the default sweep (what bench/run.sh runs: the
// default composition, the named aliases and the peers over the four thread
// shapes at capacity 1024 and 8-byte messages) takes 2 to 5 minutes on a
// 2-core machine, and --full (every composition and peer over the whole
// matrix) completes within about half an hour (times measured on the
// project's machine: docs/lab/2026-11-26-earlier-design-peers-and-default-sweep.md).
#include "cli.hpp"
#include "peer_comparison.hpp"
#include "recommend.hpp"

#include <boost/program_options.hpp>

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace msgpool_bench {
namespace {

namespace po = boost::program_options;

constexpr std::uint64_t default_messages = 2'000'000;  // per run, default sweep
constexpr std::uint64_t full_messages = 300'000;       // per run, --full
constexpr unsigned default_repetitions = 5;
constexpr std::uint64_t mode_messages = 1'000'000;  // per run, --compare-peers / --bulk / --recommend
constexpr unsigned comparison_repetitions = 10;     // --compare-peers / --bulk: ratios of medians want many

std::vector<system> select_systems(const std::string& list, const std::vector<system>& registry) {
    std::vector<bool> chosen(registry.size(), false);
    for (const auto& term : split_list(list)) {
        bool any = false;
        for (std::size_t i = 0; i < registry.size(); ++i)
            if (selects(term, registry[i])) chosen[i] = any = true;
        if (!any) throw std::invalid_argument("--systems: '" + term + "' matches no system (see --list)");
    }
    std::vector<system> out;
    for (std::size_t i = 0; i < registry.size(); ++i)
        if (chosen[i]) out.push_back(registry[i]);
    return out;
}

std::vector<std::size_t> numbers(const std::string& option, const std::string& list) {
    std::vector<std::size_t> out;
    for (const auto& item : split_list(list)) {
        std::size_t used = 0;
        unsigned long long v = 0;
        try {
            // stoull reads "-3" as 2^64 - 3: only digits count as a number here.
            if (item.find_first_not_of("0123456789") == std::string::npos) v = std::stoull(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != item.size() || v == 0) throw std::invalid_argument(option + ": '" + item + "' is not a positive number");
        out.push_back(static_cast<std::size_t>(v));
    }
    if (out.empty()) throw std::invalid_argument(option + ": empty list");
    return out;
}

/// Message sizes in bytes, each rounded up to a size built in (messages.hpp),
/// with a note for each that was rounded.
std::vector<std::size_t> message_bytes(const std::string& list, std::vector<std::string>& notes) {
    std::vector<std::size_t> out;
    for (const auto asked : numbers("--sizes", list)) {
        const auto built = message_size_for(asked);
        if (!built)
            throw std::invalid_argument("--sizes: " + std::to_string(asked) + " bytes is above the largest message "
                                        "size built in (" + std::to_string(message_sizes.back()) + " bytes)");
        if (*built != asked)
            notes.push_back(std::to_string(asked) + "-byte messages are measured as " + std::to_string(*built) +
                            "-byte messages, the next size built in");
        if (std::find(out.begin(), out.end(), *built) == out.end()) out.push_back(*built);
    }
    return out;
}

std::vector<std::pair<unsigned, unsigned>> shapes(const std::string& list) {
    std::vector<std::pair<unsigned, unsigned>> out;
    for (const auto& item : split_list(list)) {
        const auto x = item.find('x');
        if (x == std::string::npos) throw std::invalid_argument("--shapes: '" + item + "' is not PxC (like 2x2)");
        const auto p = numbers("--shapes", item.substr(0, x)), c = numbers("--shapes", item.substr(x + 1));
        if (p.size() != 1 || c.size() != 1 || p[0] > 256 || c[0] > 256)
            throw std::invalid_argument("--shapes: '" + item + "' is not PxC with 1..256 threads each");
        out.emplace_back(static_cast<unsigned>(p[0]), static_cast<unsigned>(c[0]));
    }
    if (out.empty()) throw std::invalid_argument("--shapes: empty list");
    return out;
}

/// Bytes of physical memory (0 if the system does not say).
std::size_t physical_memory() {
    const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0) return 0;
    return static_cast<std::size_t>(pages) * static_cast<std::size_t>(page);
}

/// Each cell's capacity against the systems and the machine:
///   - some system of the plan takes it (system::max_capacity); the others
///     are skipped in that cell and the results say so;
///   - a pool of that capacity fits in physical memory: capacity x slot
///     bytes, a slot being the message and an 8-byte state word rounded up
///     to a cache line (the widest slot a composition here lays out; peers
///     need about as much per message), so that no run is started that
///     the machine would kill for want of memory.
/// `option` names what set the capacity in the messages.
void check_cells(const std::vector<cell>& cells, const std::vector<system>& systems, const std::string& option) {
    const std::size_t memory = physical_memory();
    for (const auto& c : cells) {
        if (!systems.empty() &&
            std::none_of(systems.begin(), systems.end(), [&](const system& x) { return x.takes(c.capacity); })) {
            std::size_t most = 0;
            for (const auto& x : systems) most = std::max(most, x.max_capacity);
            throw std::invalid_argument(option + ": capacity " + std::to_string(c.capacity) +
                                        " is above the limit of every system selected (the largest takes " +
                                        std::to_string(most) + ")");
        }
        const std::size_t line = 64;
        const std::size_t slot = (c.message_bytes + 8 + line - 1) / line * line;
        if (memory != 0 && c.capacity > memory / slot)
            throw std::invalid_argument(
                option + ": a pool of capacity " + std::to_string(c.capacity) + " with " +
                std::to_string(c.message_bytes) + "-byte messages would not fit in memory (" +
                std::to_string(c.capacity) + " slots x " + std::to_string(slot) + " bytes is more than the " +
                std::to_string(memory / (1024 * 1024)) + " MiB this machine has)");
    }
}

/// The settings every mode shares: repetitions and messages (the mode's
/// defaults unless --reps / --messages say otherwise), progress, the run
/// limit, the process per run, the output folder and plots; the check
/// (--full-check) and the unchecked default (--no-check).
void finish(settings& s, const po::variables_map& vm, const std::vector<system>& registry, unsigned repetitions,
            std::uint64_t messages) {
    s.plan.repetitions = vm["reps"].defaulted() ? repetitions : vm["reps"].as<unsigned>();
    if (s.plan.repetitions == 0) throw std::invalid_argument("--reps: at least 1");
    s.plan.messages = vm.count("messages") ? vm["messages"].as<std::uint64_t>() : messages;
    if (s.plan.messages == 0) throw std::invalid_argument("--messages: at least 1");
    s.plan.progress = vm.count("quiet") == 0;
    s.plan.run_limit = std::chrono::seconds(vm["run-limit"].as<unsigned>());
    s.plan.in_process = vm.count("in-process") > 0;
    s.output = vm["output"].as<std::string>();
    s.plots = vm.count("no-plots") == 0;
    if (vm.count("full-check")) s.plan.check = check_mode::full;
    if (vm.count("no-check")) {  // beside the default composition, wherever the mode put it
        const auto deflt = std::find_if(registry.begin(), registry.end(),
                                        [](const system& x) { return x.is_default && !x.is_bulk(); });
        if (deflt == registry.end()) throw std::invalid_argument("--no-check: this build has no default composition");
        auto variant = unchecked_variant(*deflt);
        const auto at = std::find_if(s.plan.systems.begin(), s.plan.systems.end(),
                                     [&](const system& x) { return x.name == deflt->name; });
        s.plan.systems.insert(at == s.plan.systems.end() ? at : at + 1, std::move(variant));
    }
}

/// A positive, finite number of microseconds (--p99-under).
double positive_microseconds(const std::string& option, const std::string& text) {
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || !(v > 0) || v > 1e12)
        throw std::invalid_argument(option + ": '" + text + "' is not a positive number of microseconds");
    return v;
}

constexpr unsigned latency_pass_repetitions = 3;          // --latency: the throughput pass
constexpr std::uint64_t latency_pass_messages = 1'000'000;  // per run of that pass: as --compare-peers; shorter runs end before a full pool's hand-offs settle

/// --latency and --recommend --latency: the plan (latency_run.hpp).
void parse_latency(settings& s, const po::variables_map& vm, const std::vector<system>& registry) {
    const bool full = vm.count("full") > 0;
    if (s.compare_peers || s.bulk || s.processes || s.goals || full || s.estimate_only || vm.count("no-check") ||
        vm.count("full-check") || !vm["shapes"].defaulted() || vm.count("capacities") || vm.count("sizes"))
        throw std::invalid_argument("--latency runs its own modes and cells: no --compare-peers, --bulk, --processes, "
                                    "--goals, --full, --estimate, --no-check, --full-check, --shapes, --capacities, "
                                    "--sizes");
    latency_plan& plan = s.latency_runs;
    const auto count = [&](const char* option, std::uint64_t fallback) -> std::uint64_t {
        return vm.count(option) ? numbers(std::string("--") + option, vm[option].as<std::string>()).at(0) : fallback;
    };
    plan.one_way_samples = count("one-way-samples", plan.one_way_samples);
    plan.round_trips = count("round-trips", plan.round_trips);
    plan.wake_ups = count("wake-ups", plan.wake_ups);
    if (s.recommend) {
        if (!vm.count("p99-under"))
            throw std::invalid_argument("--recommend --latency needs --p99-under <microseconds>: the bound on the "
                                        "one-way p99 at 50% load");
        if (!vm["size"].defaulted() || vm.count("systems") || vm.count("round-trips") || vm.count("wake-ups"))
            throw std::invalid_argument("--recommend --latency measures one-way latency of 16-byte messages over "
                                        "every composition: no --size, --systems, --round-trips, --wake-ups");
        s.p99_under_us = positive_microseconds("--p99-under", vm["p99-under"].as<std::string>());
        const auto shape = shapes(vm["shape"].as<std::string>());
        const auto capacity = numbers("--capacity", vm["capacity"].as<std::string>());
        if (shape.size() != 1 || capacity.size() != 1)
            throw std::invalid_argument("--recommend --latency: one --shape, one --capacity");
        for (auto& c : recommend_candidates(registry))
            if (c.latency.one_way) plan.systems.push_back(std::move(c));
        plan.one_way_cells = {cell{shape[0].first, shape[0].second, capacity[0], sizeof(stamped_message)}};
        check_cells(plan.one_way_cells, plan.systems, "--capacity");
        plan.loads = {0.5};
        plan.round_trip = plan.wake_up = false;
    } else {
        if (vm.count("p99-under")) throw std::invalid_argument("--p99-under goes with --recommend --latency");
        if (!vm["shape"].defaulted() || !vm["capacity"].defaulted() || !vm["size"].defaulted())
            throw std::invalid_argument("--shape, --capacity and --size go with --recommend");
        if (vm.count("systems")) {
            for (auto& x : select_systems(vm["systems"].as<std::string>(), registry)) {
                if (!x.latency.any())
                    throw std::invalid_argument("--latency: " + x.name + " has no latency workload (--latency "
                                                "measures the msgpool compositions, mutex+condvar+deque, "
                                                "moodycamel's two queues and tbb::concurrent_bounded_queue)");
                plan.systems.push_back(std::move(x));
            }
        } else {
            plan.systems = latency_systems(registry);
        }
        for (const auto& [p, c] : std::vector<std::pair<unsigned, unsigned>>{{1, 1}, {4, 4}})
            plan.one_way_cells.push_back(cell{p, c, plan.capacity, sizeof(stamped_message)});
    }
    finish(s, vm, registry, latency_pass_repetitions, latency_pass_messages);
    plan.throughput = s.plan;
}

}  // namespace

void list_systems(std::ostream& out, const std::vector<system>& registry) {
    for (const auto& s : registry) {
        out << s.name << "  (" << to_string(s.kind) << (s.is_default ? ", default" : "");
        if (!s.aliases.empty()) {
            out << ", alias";
            for (const auto& a : s.aliases) out << " " << a;
        }
        out << ")";
        if (!s.notes.empty()) out << "  " << s.notes;
        out << "\n";
    }
}

std::optional<settings> parse_command_line(int argc, char** argv, const std::vector<system>& registry) {
    po::options_description options(
        "msgpool-bench: P producers and C consumers move N messages through one pool or queue; every run checks\n"
        "exactly-once delivery.  Systems run interleaved, median of the repetitions, ratio to the best peer.\n\n"
        "Options");
    // clang-format off
    options.add_options()
        ("help,h", "this text")
        ("list", "list the systems (names, aliases, kinds) and exit")
        ("full", "the whole matrix over every system: shapes 1x1,2x2,4x4,8x8, capacities 64,1024, sizes 8,64; "
                 "fewer messages per run (see --messages)")
        ("recommend", "which composition to use on this machine for one --shape, --capacity and --size: measures "
                      "every msgpool composition (and yours, see MSGPOOL_BENCH_USER_HEADER) and names the fastest "
                      "blocking and the fastest spinning one, whether each lead is beyond the spread, and the C++ "
                      "type; 5 repetitions of 1000000 messages unless --reps / --messages say otherwise")
        ("latency", "latency instead of throughput: round trip (ping-pong through two structures, 8-byte "
                    "messages), one-way latency from a fixed send schedule at 10%, 50% and 90% of what each "
                    "system sustains with the one-way run's own clock reads and records (measured first, "
                    "unpaced, after a short plain throughput pass) at 1x1 and 4x4, capacity 1024, 16-byte "
                    "messages, each one-way row marked kept, LATE or BEHIND by whether its senders kept the "
                    "schedule (a row that did not is not a measurement at its load), and wake-up latency of a "
                    "consumer blocked 1 ms, beside a bare futex pair; the msgpool aliases and the peers "
                    "(--systems chooses others); writes latency.csv, latency_calibration.csv and a "
                    "percentile plot per mode and cell.  The default run takes 5 to 6 minutes on a busy 2-core machine "
                    "(most of it the 10000 wake-ups of 1 ms per blocking system and the unpaced one-way runs); "
                    "--one-way-samples, --round-trips and --wake-ups shorten it")
        ("one-way-samples", po::value<std::string>(),
         "--latency: one-way samples per system, cell and load (default 1000000; p99.99 needs 1000000)")
        ("round-trips", po::value<std::string>(), "--latency: recorded round trips per system (default 100000)")
        ("wake-ups", po::value<std::string>(), "--latency: recorded wake-ups per system (default 10000)")
        ("p99-under", po::value<std::string>(),
         "--recommend --latency: names the fastest composition whose one-way p99 at 50% of what it sustains "
         "unpaced in one-way runs is under this many microseconds (in --shape, --capacity, 16-byte messages), "
         "or says that none is; a candidate whose senders did not keep the schedule is marked")
        ("shape", po::value<std::string>()->default_value("4x4"), "--recommend: producers x consumers")
        ("capacity", po::value<std::string>()->default_value("1024"),
         "--recommend: the pool's capacity (refused when the pool would not fit in memory, as --capacities)")
        ("size", po::value<std::string>()->default_value("8"), "--recommend: the message size in bytes (1 to 4096)")
        ("compare-peers", "msgpool against its peers in the standard cells (1x1, 2x2, 4x4, 8x8, 16x16, 32x32 at "
                          "capacity 1024, 4x4 at 64 and at 16, 8-byte messages), with the reference rows: per "
                          "cell the best blocking composition / moodycamel ConcurrentQueue and the default / the "
                          "original msg-pool (if built in), throughput and CPU per message; then the CPU of readers "
                          "blocked on an empty structure; --systems adds systems; 10 repetitions of 1000000 messages "
                          "unless --reps / --messages say otherwise")
        ("bulk", "bulk operations against single ones, 16 and 32 messages per call: write_bulk/read_bulk of the "
                 "default, line_pool, ring_pool and spin_pool (and of a user header's bulk variants), and "
                 "moodycamel ConcurrentQueue's enqueue_bulk/try_dequeue_bulk with tokens, over the "
                 "--compare-peers cells (with --compare-peers: in the same run)")
        ("full-check", "write and check every word of every message (default: O(1) per message: the id at both "
                       "ends, four words at positions derived from the id, and every 16th to 128th message whole, "
                       "fewer the larger the message)")
        ("no-check", "add the default composition with the check off (messages carry their id alone) as a "
                     "reference row, to see what the check costs in the same run")
        ("goals", po::value<std::string>(),
         "a goals file (JSON; docs/benchmarks.md says how to write one; bench/goals/peer-comparison.json is the "
         "project's own): after the run, each goal with the figure measured in this run and met, missed or not "
         "measured, also in the results files.  Alone it measures the cells and systems its goals name; with "
         "--compare-peers or --bulk it adds their systems to that run.  Exit status 4 when a goal is missed")
        ("processes", "across processes: msgpool's shared-memory pools and Boost.Interprocess message_queue, each "
                      "producer and each consumer a process of its own, over --shapes, --capacities, --sizes; "
                      "--systems adds systems (name an in-process composition such as cas_scan+futex+inline_slots "
                      "to see what crossing processes costs); then the CPU of readers blocked across processes")
        ("estimate", "with --compare-peers / --bulk / --recommend: print the plan and its estimated duration (a "
                     "calibration pass of a few seconds), then exit")
        ("idle-seconds", po::value<double>()->default_value(1.0),
         "--compare-peers, --recommend: how long readers block on an empty structure while their CPU is measured")
        ("systems,s", po::value<std::string>(),
         "comma-separated names, aliases, '*' patterns or groups: default, compositions, aliases, msgpool, peers, "
         "bulk, in_place (claim_write / claim_read: each message made and checked in its slot, no copy; see "
         "docs/benchmarks.md for what that measures), user, references, blocking, spinning, all (default: "
         "default,aliases,user,peers,references; "
         "--full: all)")
        ("shapes", po::value<std::string>()->default_value("1x1,2x2,4x4,8x8"), "thread shapes, producers x consumers")
        ("capacities", po::value<std::string>(),
         "capacities (default: 1024; --full: 64,1024).  A system whose own limit is lower (boost::lockfree::queue: "
         "65534) is not measured in that cell and the results say so; refused when no system selected takes the "
         "capacity, or when capacity x slot bytes (message + 8, rounded up to 64) exceeds the physical memory")
        ("sizes", po::value<std::string>(),
         "message sizes in bytes, any from 1 to 4096; a size between two powers of two is measured with the next "
         "power of two (default: 8; --full: 8,64)")
        ("reps,r", po::value<unsigned>()->default_value(default_repetitions),
         "repetitions per cell and system (the method asks for at least 5)")
        ("messages,n", po::value<std::uint64_t>(),
         ("messages per run (default: " + std::to_string(default_messages) + "; --full: " +
          std::to_string(full_messages) + ")").c_str())
        ("output,o", po::value<std::string>()->default_value("msgpool-bench-results"),
         "results folder (default: msgpool-bench-results in the current directory); each run writes into a "
         "subfolder named by its run id, and 'latest' points to it")
        ("no-plots", "do not run gnuplot")
        ("quiet,q", "no progress line on stderr")
        ("run-limit", po::value<unsigned>()->default_value(600),
         "seconds after which one run counts as hung: the benchmark then aborts with exit status 3")
        ("in-process", "run every measurement in this process, one after the other, instead of each in a fresh "
                       "child process (for a profiler or debugger; measures then depend on what ran before)");
    // clang-format on

    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(options).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw std::invalid_argument(e.what());
    }
    if (vm.count("help")) {
        std::cout << options << "\nExit status: 0 ok; 1 bad command line; 2 an exactly-once check failed; "
                                "3 a run hung (--run-limit); 4 a goal (--goals) was missed.\n";
        return std::nullopt;
    }

    settings s;
    s.list_only = vm.count("list") > 0;
    const bool full = vm.count("full") > 0;
    s.compare_peers = vm.count("compare-peers") > 0;
    s.recommend = vm.count("recommend") > 0;
    s.bulk = vm.count("bulk") > 0;
    s.idle_seconds = vm["idle-seconds"].as<double>();
    s.estimate_only = vm.count("estimate") > 0;
    s.processes = vm.count("processes") > 0;
    if (vm.count("goals")) s.goals = read_goals(vm["goals"].as<std::string>());
    s.latency = vm.count("latency") > 0;
    if (!s.latency) {
        if (vm.count("p99-under")) throw std::invalid_argument("--p99-under goes with --recommend --latency");
        for (const char* option : {"one-way-samples", "round-trips", "wake-ups"})
            if (vm.count(option)) throw std::invalid_argument(std::string("--") + option + " goes with --latency");
    } else {
        parse_latency(s, vm, registry);
        return s;
    }
    const bool goals_alone = s.goals && !(s.compare_peers || s.bulk || s.recommend);
    const bool fixed_cells = s.compare_peers || s.bulk || s.recommend || goals_alone;
    if (s.estimate_only && !fixed_cells)
        throw std::invalid_argument("--estimate goes with --compare-peers, --bulk, --recommend or --goals");
    if (s.recommend && s.goals) throw std::invalid_argument("--recommend runs alone: no --goals");
    if (s.processes && (fixed_cells || full))
        throw std::invalid_argument("--processes runs its own sweep: no --compare-peers, --bulk, --recommend, "
                                    "--goals, --full");
    if (!(s.idle_seconds > 0 && s.idle_seconds <= 60)) throw std::invalid_argument("--idle-seconds: 0 to 60 seconds");
    if (fixed_cells && (full || !vm["shapes"].defaulted() || vm.count("capacities") || vm.count("sizes")))
        throw std::invalid_argument(
            "--compare-peers, --bulk, --recommend and --goals fix their cells: no --full, --shapes, --capacities, "
            "--sizes");
    if (s.recommend && vm.count("no-check"))
        throw std::invalid_argument("--no-check is a reference row for sweeps and --compare-peers, not a --recommend "
                                    "candidate");
    if (s.recommend && (s.compare_peers || s.bulk))
        throw std::invalid_argument("--recommend runs alone: no --compare-peers, --bulk");
    if (!s.recommend && (!vm["shape"].defaulted() || !vm["capacity"].defaulted() || !vm["size"].defaulted()))
        throw std::invalid_argument("--shape, --capacity and --size go with --recommend (a sweep takes --shapes, "
                                    "--capacities, --sizes)");
    if (fixed_cells) {
        if (s.recommend) {
            const auto shape = shapes(vm["shape"].as<std::string>());
            const auto capacity = numbers("--capacity", vm["capacity"].as<std::string>());
            const auto asked = numbers("--size", vm["size"].as<std::string>());
            if (shape.size() != 1 || capacity.size() != 1 || asked.size() != 1)
                throw std::invalid_argument("--recommend: one --shape, one --capacity, one --size");
            s.asked_bytes = asked[0];
            const auto bytes = message_bytes(std::to_string(asked[0]), s.notes);
            s.plan.systems = recommend_candidates(registry);
            s.plan.cells = {cell{shape[0].first, shape[0].second, capacity[0], bytes[0]}};
        } else if (goals_alone) {
            s.plan.systems = goal_systems(*s.goals, registry);
            s.plan.cells = goal_cells(*s.goals);
            if (s.plan.cells.empty()) s.plan.cells = comparison_cells();  // idle_cores goals only: a small sweep
            if (s.plan.systems.empty())
                throw std::invalid_argument("--goals: no goal in " + s.goals->file.string() +
                                            " names a system this build has (see --list)");
        } else {
            s.plan.systems = s.compare_peers ? comparison_systems(registry, s.bulk) : bulk_systems(registry);
            s.plan.cells = comparison_cells();
        }
        if (s.goals)  // the systems the goals name, after the mode's own
            for (auto& extra : goal_systems(*s.goals, registry))
                if (std::none_of(s.plan.systems.begin(), s.plan.systems.end(),
                                 [&](const system& x) { return x.name == extra.name; }))
                    s.plan.systems.push_back(std::move(extra));
        if (vm.count("systems"))  // extra systems, after the mode's own
            for (auto& extra : select_systems(vm["systems"].as<std::string>(), registry))
                if (std::none_of(s.plan.systems.begin(), s.plan.systems.end(),
                                 [&](const system& x) { return x.name == extra.name; }))
                    s.plan.systems.push_back(std::move(extra));
        check_cells(s.plan.cells, s.plan.systems, s.recommend ? "--capacity" : "--goals");
        finish(s, vm, registry, s.recommend ? default_repetitions : comparison_repetitions, mode_messages);
        return s;
    }
    const bool any_user =
        std::any_of(registry.begin(), registry.end(), [](const system& x) { return x.kind == system_kind::user; });
    s.plan.systems = select_systems(s.processes          ? "processes" + (vm.count("systems") ? "," + vm["systems"].as<std::string>() : std::string())
                                    : vm.count("systems") ? vm["systems"].as<std::string>()
                                    : full             ? "all"
                                    : any_user         ? "default,aliases,user,peers,references"
                                                       : "default,aliases,peers,references",
                                    registry);
    const auto capacities = numbers("--capacities", vm.count("capacities") ? vm["capacities"].as<std::string>()
                                                     : full                  ? "64,1024"
                                                                             : "1024");
    const auto sizes =
        message_bytes(vm.count("sizes") ? vm["sizes"].as<std::string>() : full ? "8,64" : "8", s.notes);
    const auto thread_shapes = shapes(vm["shapes"].as<std::string>());
    for (auto capacity : capacities)
        for (auto bytes : sizes)
            for (auto [p, c] : thread_shapes) s.plan.cells.push_back(cell{p, c, capacity, bytes});
    check_cells(s.plan.cells, s.plan.systems, "--capacities");

    finish(s, vm, registry, default_repetitions, full ? full_messages : default_messages);
    return s;
}

}  // namespace msgpool_bench
