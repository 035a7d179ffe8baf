// bench/crash_survival/main.cpp - msgpool-crash-survival: how often a queue
// between processes is still usable after a producer process is killed with
// SIGKILL at a random moment (survival.hpp tells one trial;
// docs/benchmarks.md, "Surviving a killed process", is the manual).
#include <sys/prctl.h>

#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "../run_info.hpp"
#include "systems.hpp"

namespace {

namespace po = boost::program_options;
using namespace crash_survival;

struct command_line {
    settings s;
    std::vector<system_entry> systems;
};

std::vector<std::string> split(const std::string& list) {
    std::vector<std::string> out;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

std::string names(const std::vector<system_entry>& registry) {
    std::string out;
    for (const auto& e : registry) out += (out.empty() ? "" : ", ") + e.name;
    return out;
}

std::optional<command_line> parse(int argc, char** argv, const std::vector<system_entry>& registry) {
    std::string systems_help = "\nSystems:\n";
    for (const auto& e : registry)
        systems_help += "  " + e.name + "  " + e.description + "; default --trials " +
                        std::to_string(e.default_trials) + "\n";
    po::options_description options(
        "msgpool-crash-survival: a producer process writes in a loop and is killed with SIGKILL at a random\n"
        "moment; then a surviving process must write and read within a bound, and every message the producer\n"
        "wrote must be read exactly once.  One line per system: trials, survived, failures by kind.\n\n"
        "Options");
    // clang-format off
    options.add_options()
        ("help,h", "this text")
        ("system", po::value<std::string>()->default_value("shared_pool,message_queue"),
         "comma-separated systems (below), each measured in turn")
        ("trials", po::value<std::size_t>(), "trials per system, 1 to 1000000 (default: the system's own)")
        ("seed", po::value<std::uint64_t>(), "seed of the kill delays, the same sequence for every system "
                                             "(default: random, printed)")
        ("scenario", po::value<std::string>()->default_value("produce"),
         "produce: the producer only writes, the survivor reads concurrently; send-receive: the producer writes "
         "one message and reads one, in a loop, and the survivor only checks after the kill")
        ("recovery", po::value<std::string>()->default_value("explicit"),
         "explicit: the survivor calls recover() before its check (systems that have it); automatic: no call, "
         "the queue must recover by itself (msgpool: shared_pool_options::recover_after)")
        ("recover-after", po::value<unsigned>(),
         "--recovery automatic: shared_pool_options::recover_after in ms (default 100; at least 250 below "
         "--bound); the drain waits twice as long and 250 ms more for one more message")
        ("max-delay-us", po::value<unsigned>()->default_value(5000),
         "the kill comes 0 to this many microseconds (uniform) after the producer's first write returned")
        ("bound", po::value<unsigned>()->default_value(2000),
         "ms within which each write and read of the check must complete")
        ("queue", po::value<std::string>()->default_value("shared"),
         "shared: the trials share one queue, a new one after each failed trial; per-trial: a new queue for "
         "every trial (damage that only a later trial would run into then never shows)")
        ("capacity", po::value<std::size_t>()->default_value(64), "the queue's capacity, 1 to 4096 messages of 64 bytes")
        ("verbose,v", "a line for each trial: its outcome, the delay, the ids written, where the survivor was");
    // clang-format on
    po::variables_map vm;  // no notifiers and no required options: store alone
    try {
        po::store(po::parse_command_line(argc, argv, options), vm);
    } catch (const po::error& e) {
        throw std::invalid_argument(e.what());
    }
    if (vm.count("help")) {
        std::cout << options << systems_help
                  << "\nExit status: 0 the trials ran (whatever survived); 1 bad command line; 3 the run itself "
                     "failed (fork, memory, a queue that could not be created).\n";
        return std::nullopt;
    }

    command_line c;
    settings& s = c.s;
    for (const auto& term : split(vm["system"].as<std::string>())) {
        const auto it = std::find_if(registry.begin(), registry.end(), [&](const auto& e) { return e.name == term; });
        if (it == registry.end())
            throw std::invalid_argument("--system: '" + term + "' is none of " + names(registry));
        if (std::none_of(c.systems.begin(), c.systems.end(), [&](const auto& e) { return e.name == term; }))
            c.systems.push_back(*it);
    }
    if (c.systems.empty()) throw std::invalid_argument("--system: empty list (choose from " + names(registry) + ")");
    if (vm.count("trials")) {
        s.trials = vm["trials"].as<std::size_t>();
        if (s.trials == 0 || s.trials > 1'000'000) throw std::invalid_argument("--trials: 1 to 1000000");
    }
    s.seed = vm.count("seed") ? vm["seed"].as<std::uint64_t>() : std::random_device{}();
    const auto scene = vm["scenario"].as<std::string>();
    if (scene == "produce") s.scenario = scenario::produce;
    else if (scene == "send-receive") s.scenario = scenario::send_receive;
    else throw std::invalid_argument("--scenario: '" + scene + "' is neither produce nor send-receive");
    const auto recovery = vm["recovery"].as<std::string>();
    if (recovery == "explicit") s.recovery = recovery_mode::explicit_call;
    else if (recovery == "automatic") s.recovery = recovery_mode::automatic;
    else throw std::invalid_argument("--recovery: '" + recovery + "' is neither explicit nor automatic");
    if (vm.count("recover-after")) {
        if (s.recovery != recovery_mode::automatic)
            throw std::invalid_argument("--recover-after goes with --recovery automatic");
        s.recover_after = std::chrono::milliseconds(vm["recover-after"].as<unsigned>());
        if (s.recover_after.count() == 0) throw std::invalid_argument("--recover-after: at least 1 ms");
    }
    s.max_delay = std::chrono::microseconds(vm["max-delay-us"].as<unsigned>());
    if (s.max_delay > std::chrono::seconds(10)) throw std::invalid_argument("--max-delay-us: at most 10000000");
    s.bound = std::chrono::milliseconds(vm["bound"].as<unsigned>());
    if (s.bound.count() == 0 || s.bound > std::chrono::minutes(1)) throw std::invalid_argument("--bound: 1 to 60000 ms");
    if (s.recovery == recovery_mode::automatic && s.recover_after + std::chrono::milliseconds(250) > s.bound)
        throw std::invalid_argument("--recover-after (" + std::to_string(s.recover_after.count()) +
                                    " ms) must be at least 250 ms below --bound (" + std::to_string(s.bound.count()) +
                                    " ms): a blocked write waits that long, and up to two 100 ms sleeps more, "
                                    "before it recovers");
    const auto queue = vm["queue"].as<std::string>();
    if (queue == "shared") s.queue_per_trial = false;
    else if (queue == "per-trial") s.queue_per_trial = true;
    else throw std::invalid_argument("--queue: '" + queue + "' is neither shared nor per-trial");
    s.capacity = vm["capacity"].as<std::size_t>();
    if (s.capacity == 0 || s.capacity > shared_state::probe_limit)
        throw std::invalid_argument("--capacity: 1 to " + std::to_string(shared_state::probe_limit));
    s.verbose = vm.count("verbose") > 0;
    return c;
}

std::string describe(const settings& s) {
    std::ostringstream out;
    out << (s.scenario == scenario::produce
                ? "produce (the producer writes in a loop; the survivor reads concurrently)"
                : "send-receive (the producer writes one message and reads one, in a loop)")
        << "; capacity " << s.capacity << " x 64 bytes; SIGKILL 0.." << s.max_delay.count()
        << " us after the first write; check: "
        << (s.recovery == recovery_mode::explicit_call
                ? "recover() (where there is one), "
                : "no recovery call (recover_after " + std::to_string(s.recover_after.count()) + " ms), ")
        << "drain, " << s.capacity << " writes and " << s.capacity << " reads, each within " << s.bound.count()
        << " ms; " << (s.queue_per_trial ? "a new queue for every trial" : "trials share a queue until one fails")
        << "; seed " << s.seed;
    return out.str();
}

void print(const system_result& r, const settings& s) {
    std::printf("%s: survived %zu of %zu; failures:", r.name.c_str(), r.survived, r.trials);
    bool any = false;
    for (std::size_t k = 1; k < failure_kinds; ++k)
        if (r.failures[k] != 0) {
            std::printf("%s %s %zu", any ? "," : "", to_string(static_cast<failure>(k)), r.failures[k]);
            any = true;
        }
    if (!any) std::printf(" none");
    if (!r.first_exception.empty()) std::printf(" (first exception: \"%s\")", r.first_exception.c_str());
    if (r.has_recover)
        std::printf("; recover(): %llu calls, %llu processes, %llu writes dropped, %llu messages returned",
                    static_cast<unsigned long long>(r.recovered.calls),
                    static_cast<unsigned long long>(r.recovered.processes),
                    static_cast<unsigned long long>(r.recovered.writes_dropped),
                    static_cast<unsigned long long>(r.recovered.messages_returned));
    else if (s.recovery == recovery_mode::explicit_call)
        std::printf("; no recovery call exists");
    std::printf("; %llu messages written; %.1f s\n", static_cast<unsigned long long>(r.messages_written), r.seconds);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    auto registry = msgpool_systems();
    for (auto& e : message_queue_systems()) registry.push_back(std::move(e));
    std::optional<command_line> c;
    try {
        c = parse(argc, argv, registry);
    } catch (const std::exception& e) {
        std::cerr << "msgpool-crash-survival: " << e.what() << " (see --help)\n";
        return 1;
    }
    if (!c) return 0;
    try {
        install_cleanup();
        ::prctl(PR_SET_TIMERSLACK, 1UL);  // the kill delays are short: no 50 us of slack on each sleep
        const auto info = msgpool_bench::describe_this_run();
        std::printf("scenario: %s\n", describe(c->s).c_str());
        std::printf("machine: %s, %u hardware threads; %s; commit %s; %s\n", info.cpu.c_str(), info.hardware_threads,
                    info.compiler.c_str(), info.commit.c_str(), info.timestamp.c_str());
        std::fflush(stdout);
        shared_state& st = shared_state::make();
        for (const auto& e : c->systems) {
            const std::size_t trials = c->s.trials ? c->s.trials : e.default_trials;
            print(e.run(c->s, trials, st), c->s);
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "msgpool-crash-survival: " << e.what() << "\n";
        return 3;
    }
}
