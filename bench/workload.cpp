// bench/workload.cpp - the exactly-once verdict for one run.
#include "workload.hpp"

namespace msgpool_bench {

const char* to_string(check_mode m) noexcept {
    switch (m) {
        case check_mode::sampled: return "sampled";
        case check_mode::full: return "full";
        case check_mode::none: return "none";
    }
    return "?";
}

namespace detail {

run_measure finish_run(std::chrono::steady_clock::time_point t0, std::chrono::steady_clock::time_point t1,
                       const usage& u0, const usage& u1, std::uint64_t messages, std::uint64_t modulus,
                       const std::vector<tally>& tallies) {
    run_measure r;
    r.seconds = std::chrono::duration<double>(t1 - t0).count();
    r.cpu_seconds = u1.cpu_seconds - u0.cpu_seconds;
    r.context_switches = u1.switches - u0.switches;
    r.failure = check_exactly_once(messages, modulus, tallies);
    r.exactly_once = r.failure.empty();
    return r;
}

std::string check_exactly_once(std::uint64_t messages, std::uint64_t modulus, const std::vector<tally>& tallies) {
    tally total;
    for (const auto& t : tallies) {
        total.count += t.count;
        total.sum += t.sum;
        total.sum_squares += t.sum_squares;
        total.corrupt += t.corrupt;
        total.foreign += t.foreign;
    }
    std::uint64_t sum = 0, sum_squares = 0;  // of the ids 0..N-1 as carried, mod 2^64 like the tallies
    for (std::uint64_t id = 0; id < messages; ++id) {
        const std::uint64_t carried = id % modulus;
        sum += carried;
        sum_squares += carried * carried;
    }
    std::string failure;
    const auto add = [&](const std::string& what) { failure += (failure.empty() ? "" : "; ") + what; };
    if (total.count != messages)
        add("read " + std::to_string(total.count) + " messages, expected " + std::to_string(messages));
    if (total.sum != sum || total.sum_squares != sum_squares) add("the ids read are not 0..N-1, each once");
    if (total.foreign != 0) add(std::to_string(total.foreign) + " ids that were never written");
    if (total.corrupt != 0) add(std::to_string(total.corrupt) + " messages with a corrupt payload");
    return failure;
}

}  // namespace detail
}  // namespace msgpool_bench
