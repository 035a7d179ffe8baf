// bench/lab/handoff_latency.cpp - the one-way hand-off latency between two
// threads: how long after one thread's release store the other thread's
// acquire load sees it, on this machine, as each thread waits for the
// other's store in turn (a ping-pong on one cache line).
//
//     cmake --build --preset release --target msgpool-lab-handoff-latency
//     build/release/bench/msgpool-lab-handoff-latency --reps 7
//
// Why it matters (docs/lab/2026-12-07-bulk-at-small-capacities.md): a slot
// of a bounded pool is used again only after its message went from the
// writer's core to the reader's and its release came back, at least two
// one-way hand-offs L.  With `capacity` slots, at most `capacity` messages
// are in flight per 2L, so no bounded pool moves more than capacity / (2L)
// messages per second between two cores, whatever its claim or batch; an
// unbounded queue has no such bound.  The tool prints L (the median over the
// repetitions, with min and max) and that bound for capacities 16, 64 and
// 1024.  The two threads are not pinned: the scheduler places them as it
// places a pool's threads.
//
// This is the lab, no part of the product: nothing here is installed or
// tested; the target is built by default so that it keeps compiling.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

namespace {

struct alignas(64) line {
    std::atomic<long> turn{0};
};

/// One repetition: `rounds` hand-offs each way; the mean one-way time in ns.
double one_way_ns(long rounds) {
    line l;
    const long n = 2 * rounds;
    std::thread other([&] {
        for (long i = 1; i < n; i += 2) {
            while (l.turn.load(std::memory_order_acquire) != i) {  // pairs with the main thread's release store
            }
            l.turn.store(i + 1, std::memory_order_release);  // pairs with the main thread's acquire load
        }
    });
    const auto t0 = std::chrono::steady_clock::now();
    for (long i = 0; i < n; i += 2) {
        while (l.turn.load(std::memory_order_acquire) != i) {  // pairs with the other thread's release store
        }
        l.turn.store(i + 1, std::memory_order_release);  // pairs with the other thread's acquire load
    }
    while (l.turn.load(std::memory_order_acquire) != n) {  // the last hand-off back; pairs as above
    }
    const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
    other.join();
    return ns / static_cast<double>(n);
}

}  // namespace

int main(int argc, char** argv) {
    unsigned reps = 7;
    long rounds = 1000000;
    const auto usage = [&](const char* why) {
        std::fprintf(*why ? stderr : stdout,
                     "%s%susage: %s [--reps N] [--rounds N]\n"
                     "  the one-way hand-off time L between two threads on two cores (median of N repetitions of\n"
                     "  --rounds round trips; defaults 7 and 1000000) and the bound capacity / 2L it puts on a\n"
                     "  bounded pool's throughput\n",
                     why, *why ? "\n" : "", argv[0]);
        return *why ? 1 : 0;
    };
    for (int i = 1; i < argc; i += 2) {
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) return usage("");
        if (i + 1 == argc) return usage("msgpool-lab-handoff-latency: an option without its value");
        char* end = nullptr;
        const long value = std::strtol(argv[i + 1], &end, 10);
        if (*argv[i + 1] == '\0' || *end != '\0' || value < 1 || value > 1000000000L)
            return usage("msgpool-lab-handoff-latency: a value must be a whole number from 1 to 1000000000");
        if (std::strcmp(argv[i], "--reps") == 0)
            reps = static_cast<unsigned>(value);
        else if (std::strcmp(argv[i], "--rounds") == 0)
            rounds = value;
        else
            return usage("msgpool-lab-handoff-latency: unknown option");
    }
    std::vector<double> v;
    for (unsigned r = 0; r < reps; ++r) v.push_back(one_way_ns(rounds));
    std::sort(v.begin(), v.end());
    const double l = v[v.size() / 2];
    std::printf("one-way hand-off: median %.1f ns (min %.1f, max %.1f) over %u repetitions of %ld round trips\n", l,
                v.front(), v.back(), reps, rounds);
    for (double capacity : {16.0, 64.0, 1024.0})
        std::printf("  capacity %4.0f: at most %.1f M msg/s between two cores (capacity / 2L)\n", capacity,
                    capacity / (2 * l) * 1e3);
}
