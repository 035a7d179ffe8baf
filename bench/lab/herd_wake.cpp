// bench/lab/herd_wake.cpp - what a notify_one costs when several threads
// sleep on one channel: wait::futex (a sleepers bit: notify_one wakes every
// sleeper) against wait::futex_counted (a sleeper count: it wakes one), on
// the same pool composition otherwise, measured in one run, A, B, A, B...
// (docs/lab/2026-12-07-futex-counted-wake-one.md holds the figures).
//
//     cmake --build --preset release --target msgpool-lab-herd-wake
//     build/release/bench/msgpool-lab-herd-wake --readers 8 --gap-us 200 --messages 2000 --reps 7
//
// Workload: one producer, R readers, claim::cas_scan + inline_slots, capacity
// 1024, 8-byte messages.  The producer writes one message every --gap-us
// microseconds (sleeping in between), so that every reader has finished its
// spin phase and sleeps on the empty pool when the next message comes: each
// message is one notify_one on a channel with up to R sleepers.  A message
// carries its send time; the reader that gets it records the latency (read
// returned minus send time).  After the last message the producer closes the
// pool; readers read until closed and empty.  Exactly once: every id read
// once (a bitmap per reader, checked after the run).
//
// Per run: readers' CPU time and context switches (getrusage(RUSAGE_THREAD)
// of each reader, from the start flag to its end, summed) per message, and
// the median and 99th percentile of the latency.  Runs alternate the two
// waits; the report gives medians over the runs of each.
//
// This is the lab, no part of the product: nothing here is installed or
// tested; the target is built by default so that it keeps compiling.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <msgpool/basic_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/futex_counted.hpp>

namespace {

using clock_type = std::chrono::steady_clock;

struct options {
    unsigned readers = 8;
    unsigned gap_us = 200;
    unsigned messages = 2000;
    unsigned reps = 7;
};

struct message {
    std::uint64_t id = 0;
    std::int64_t sent_ns = 0;
};

struct run_result {
    double cpu_us_per_msg = 0;
    double switches_per_msg = 0;
    double p50_us = 0, p99_us = 0;
    bool exactly_once = true;
};

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now().time_since_epoch()).count();
}

struct thread_usage {
    double cpu_us = 0;
    long switches = 0;
    static thread_usage now() {
        rusage u{};
        getrusage(RUSAGE_THREAD, &u);
        thread_usage t;
        t.cpu_us = static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 +
                   static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
        t.switches = u.ru_nvcsw + u.ru_nivcsw;
        return t;
    }
};

template <class Wait>
run_result run_once(const options& o) {
    using pool_type = msgpool::basic_pool<message, msgpool::claim::cas_scan, Wait, msgpool::storage::inline_slots>;
    pool_type pool(1024);
    std::atomic<bool> go{false};
    std::vector<std::vector<std::uint8_t>> seen(o.readers, std::vector<std::uint8_t>(o.messages, 0));
    std::vector<std::vector<double>> latency(o.readers);
    std::vector<thread_usage> used(o.readers);
    std::vector<std::thread> readers;
    for (unsigned r = 0; r < o.readers; ++r)
        readers.emplace_back([&, r] {
            latency[r].reserve(o.messages);
            while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
            const thread_usage start = thread_usage::now();
            message m;
            while (pool.read(m)) {
                latency[r].push_back(static_cast<double>(now_ns() - m.sent_ns) / 1000.0);
                if (m.id < o.messages) ++seen[r][m.id];
            }
            const thread_usage end = thread_usage::now();
            used[r].cpu_us = end.cpu_us - start.cpu_us;
            used[r].switches = end.switches - start.switches;
        });
    go.store(true, std::memory_order_release);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // paces only: the readers reach their first sleep
    auto next = clock_type::now();
    for (std::uint64_t id = 0; id < o.messages; ++id) {
        next += std::chrono::microseconds(o.gap_us);
        std::this_thread::sleep_until(next);
        pool.write(message{id, now_ns()});
    }
    pool.close();
    for (auto& t : readers) t.join();

    run_result res;
    double cpu = 0;
    long switches = 0;
    std::vector<double> all;
    for (unsigned r = 0; r < o.readers; ++r) {
        cpu += used[r].cpu_us;
        switches += used[r].switches;
        all.insert(all.end(), latency[r].begin(), latency[r].end());
    }
    for (unsigned id = 0; id < o.messages; ++id) {
        unsigned n = 0;
        for (unsigned r = 0; r < o.readers; ++r) n += seen[r][id];
        if (n != 1) res.exactly_once = false;
    }
    if (all.size() != o.messages) res.exactly_once = false;
    std::sort(all.begin(), all.end());
    res.cpu_us_per_msg = cpu / o.messages;
    res.switches_per_msg = static_cast<double>(switches) / o.messages;
    if (!all.empty()) {
        res.p50_us = all[all.size() / 2];
        res.p99_us = all[std::min(all.size() - 1, all.size() * 99 / 100)];
    }
    return res;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

unsigned number(const char* s) {
    char* end = nullptr;
    const unsigned long v = std::strtoul(s, &end, 10);
    if (end == s || *end != '\0' || v == 0 || v > 1'000'000) {
        std::fprintf(stderr, "not a positive number: %s\n", s);
        std::exit(1);
    }
    return static_cast<unsigned>(v);
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        if (k == "--readers") o.readers = number(argv[i + 1]);
        else if (k == "--gap-us") o.gap_us = number(argv[i + 1]);
        else if (k == "--messages") o.messages = number(argv[i + 1]);
        else if (k == "--reps") o.reps = number(argv[i + 1]);
        else {
            std::fprintf(stderr, "usage: %s [--readers R] [--gap-us G] [--messages N] [--reps K]\n", argv[0]);
            return 1;
        }
    }
    std::printf("one producer, %u readers, one message every %u us, %u messages per run, %u runs each, A/B "
                "alternating\n",
                o.readers, o.gap_us, o.messages, o.reps);
    std::printf("%-14s %4s %12s %12s %10s %10s %s\n", "wait", "run", "cpu us/msg", "ctx sw/msg", "p50 us", "p99 us",
                "exactly once");
    std::vector<double> cpu[2], sw[2], p50[2], p99[2];
    bool ok = true;
    const char* names[2] = {"futex", "futex_counted"};
    for (unsigned rep = 0; rep < o.reps; ++rep) {
        for (int w = 0; w < 2; ++w) {
            const run_result r = w == 0 ? run_once<msgpool::wait::futex>(o) : run_once<msgpool::wait::futex_counted>(o);
            ok = ok && r.exactly_once;
            cpu[w].push_back(r.cpu_us_per_msg);
            sw[w].push_back(r.switches_per_msg);
            p50[w].push_back(r.p50_us);
            p99[w].push_back(r.p99_us);
            std::printf("%-14s %4u %12.2f %12.2f %10.1f %10.1f %s\n", names[w], rep + 1, r.cpu_us_per_msg,
                        r.switches_per_msg, r.p50_us, r.p99_us, r.exactly_once ? "yes" : "NO");
            std::fflush(stdout);
        }
    }
    std::printf("medians over %u runs:\n", o.reps);
    for (int w = 0; w < 2; ++w)
        std::printf("%-14s %4s %12.2f %12.2f %10.1f %10.1f\n", names[w], "", median(cpu[w]), median(sw[w]),
                    median(p50[w]), median(p99[w]));
    std::printf("counted / futex: cpu %.2f, ctx sw %.2f, p50 %.2f, p99 %.2f\n", median(cpu[1]) / median(cpu[0]),
                median(sw[1]) / median(sw[0]), median(p50[1]) / median(p50[0]), median(p99[1]) / median(p99[0]));
    return ok ? 0 : 2;
}
