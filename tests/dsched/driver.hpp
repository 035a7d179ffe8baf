// tests/dsched/driver.hpp - runs a scenario over many seeds and reports the
// first failing one so that it can be replayed.
//
// Environment:
//   MSGPOOL_DSCHED_SEEDS=N      seeds per light scenario and composition (default
//                               10000; 400 under ASan, 100 under TSan); heavy
//                               scenarios run N / their weight
//   MSGPOOL_DSCHED_SEED_BASE=B  first seed (default 0): soak with fresh seeds
//   MSGPOOL_DSCHED_SEED=S       replay exactly seed S in every scenario run (use
//                               --run_test=... to pick one) and print its trace
//   MSGPOOL_DSCHED_TRACE=K      scheduling decisions to print (default 48; 400 on replay)
//   MSGPOOL_DSCHED_MODEL=sc     sequentially consistent schedules only, instead of
//                               the default x86-TSO store buffers (scheduler.hpp)
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "scheduler.hpp"

namespace msgpool_test::dsched {

#if defined(__SANITIZE_THREAD__)
#define MSGPOOL_DSCHED_UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define MSGPOOL_DSCHED_UNDER_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define MSGPOOL_DSCHED_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MSGPOOL_DSCHED_UNDER_ASAN 1
#endif
#endif
#if defined(MSGPOOL_DSCHED_UNDER_TSAN)
// All fibers run on one OS thread and every switch is a happens-before edge
// for TSan, so it has nothing to find here that the vector clocks do not:
// a token run, to keep the suite compiling and running in that build.
inline constexpr bool under_sanitizer = true;
inline constexpr std::uint64_t default_seeds = 100;
#elif defined(MSGPOOL_DSCHED_UNDER_ASAN)
inline constexpr bool under_sanitizer = true;  // ASan + UBSan: memory errors in rare interleavings
inline constexpr std::uint64_t default_seeds = 400;
#else
inline constexpr bool under_sanitizer = false;
inline constexpr std::uint64_t default_seeds = 10000;
#endif

inline std::uint64_t env_number(const char* name, std::uint64_t fallback) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return fallback;
    return std::strtoull(v, nullptr, 10);
}

/// Seeds for a scenario of the given weight (1 = light).
inline std::size_t seeds_for(std::size_t weight) {
    const std::uint64_t base = env_number("MSGPOOL_DSCHED_SEEDS", default_seeds);
    const std::uint64_t n = base / (weight == 0 ? 1 : weight);
    return static_cast<std::size_t>(n == 0 ? 1 : n);
}

/// The memory model of every run: TSO unless MSGPOOL_DSCHED_MODEL=sc.
inline memory_model model_from_env() {
    const char* v = std::getenv("MSGPOOL_DSCHED_MODEL");
    return v != nullptr && std::string(v) == "sc" ? memory_model::sc : memory_model::tso;
}

/// The configuration of one seed (config::from_seed and the environment).
inline config config_for(std::uint64_t seed, std::size_t pct_horizon, std::size_t max_steps) {
    config cfg = config::from_seed(seed, pct_horizon, max_steps);
    cfg.model = model_from_env();
    return cfg;
}

/// Limits of one scenario's runs.
struct limits {
    std::size_t weight = 1;        // seeds = seeds_for(weight)
    std::size_t pct_horizon = 300;  // about the length of a typical run
    std::size_t max_steps = 40'000;
};

struct sweep {
    std::size_t runs = 0;
    std::size_t failures = 0;
    std::size_t longest = 0;  // most scheduling points in one run
    config first_cfg{};
    result first{};
    bool replay = false;

    bool ok() const noexcept { return failures == 0; }
    std::string report(const std::string& what) const {
        std::ostringstream os;
        if (ok()) {
            os << what << ": " << runs << " seeds, all ok (longest run " << longest << " steps)";
            return os.str();
        }
        os << what << ": " << failures << " of " << runs << " seeds failed; first: " << first_cfg.describe() << ": "
           << to_string(first.kind) << "\n"
           << first.message << "\n"
           << first.trace << "replay: MSGPOOL_DSCHED_SEED=" << first_cfg.seed << " <this test> --run_test=...";
        return os.str();
    }
};

/// Runs `body(scheduler&)` for each seed; `body` sets up, calls run() per
/// phase and checks.  Stops at the first failure unless `all` is set.
template <class Body>
sweep run_sweep(const limits& lim, Body&& body, bool all = false, std::size_t seeds = 0) {
    sweep sw;
    scheduler s;
    if (const char* one = std::getenv("MSGPOOL_DSCHED_SEED"); one != nullptr && *one != '\0') {
        config cfg = config_for(std::strtoull(one, nullptr, 10), lim.pct_horizon, lim.max_steps);
        cfg.trace_keep = static_cast<std::size_t>(env_number("MSGPOOL_DSCHED_TRACE", 400));
        s.begin(cfg);
        body(s);
        result r = s.finish();
        std::printf("dsched replay: %s: %s in %zu steps (trace hash %016llx)\n%s\n%s\n", cfg.describe().c_str(),
                    to_string(r.kind), r.steps, static_cast<unsigned long long>(r.trace_hash), r.message.c_str(),
                    r.trace.c_str());
        sw.runs = 1;
        sw.replay = true;
        sw.longest = r.steps;
        if (!r.ok()) {
            sw.failures = 1;
            sw.first_cfg = cfg;
            sw.first = std::move(r);
        }
        return sw;
    }
    const std::uint64_t base = env_number("MSGPOOL_DSCHED_SEED_BASE", 0);
    const std::size_t n = seeds != 0 ? seeds : seeds_for(lim.weight);
    const std::size_t trace_keep = static_cast<std::size_t>(env_number("MSGPOOL_DSCHED_TRACE", 48));
    for (std::size_t i = 0; i < n; ++i) {
        config cfg = config_for(base + i, lim.pct_horizon, lim.max_steps);
        cfg.trace_keep = trace_keep;
        s.begin(cfg);
        body(s);
        result r = s.finish();
        ++sw.runs;
        if (r.steps > sw.longest) sw.longest = r.steps;
        if (!r.ok()) {
            if (sw.failures++ == 0) {
                sw.first_cfg = cfg;
                sw.first = std::move(r);
            }
            if (!all) break;
        }
    }
    return sw;
}

}  // namespace msgpool_test::dsched
