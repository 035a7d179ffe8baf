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
// A slot can also change hands between two threads on one core, with no
// line crossing: then the reader runs only after the writer left the core,
// so that hand-off takes at least a switch between the two threads, S.  The
// tool measures S too (both threads pinned to one CPU, each yielding while
// it waits: the same ping-pong) and prints the bound with the shorter of the
// two, capacity / (2 min(L, S)): with more threads than cores a pool's slots
// change hands both ways, and neither way beats the faster one.
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

#include <pthread.h>
#include <sched.h>
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

/// The first CPU this process may run on, or -1 when none can be read.
int first_allowed_cpu(const cpu_set_t& allowed) {
    for (int c = 0; c < CPU_SETSIZE; ++c)
        if (CPU_ISSET(c, &allowed)) return c;
    return -1;
}

/// Pins the calling thread to CPU `cpu`; false when the system refuses.
bool pin_self_to(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

/// One repetition of the same ping-pong with both threads on CPU `cpu`, each
/// yielding while it waits: the mean time of one hand-off between two threads
/// that share a core (a switch from one to the other).  Negative when a
/// thread could not be pinned.  The calling thread's affinity is `allowed`
/// again afterwards.
double same_core_ns(long rounds, int cpu, const cpu_set_t& allowed) {
    line l;
    const long n = 2 * rounds;
    std::atomic<int> other_pinned{0};  // 1: pinned, -1: could not be; written once by the other thread
    std::thread other([&] {
        const bool ok = pin_self_to(cpu);
        other_pinned.store(ok ? 1 : -1, std::memory_order_release);  // pairs with the main thread's acquire load
        if (!ok) return;
        for (long i = 1; i < n; i += 2) {
            while (l.turn.load(std::memory_order_acquire) != i) std::this_thread::yield();  // pairs as in one_way_ns
            l.turn.store(i + 1, std::memory_order_release);  // pairs with the main thread's acquire load
        }
    });
    const bool self_ok = pin_self_to(cpu);
    int o;
    while ((o = other_pinned.load(std::memory_order_acquire)) == 0) std::this_thread::yield();  // pairs above
    double ns = -1.0;
    if (o == 1) {  // the other thread is pinned and waits for its turns: give them all
        const auto t0 = std::chrono::steady_clock::now();
        for (long i = 0; i < n; i += 2) {
            while (l.turn.load(std::memory_order_acquire) != i) std::this_thread::yield();  // pairs as in one_way_ns
            l.turn.store(i + 1, std::memory_order_release);  // pairs with the other thread's acquire load
        }
        while (l.turn.load(std::memory_order_acquire) != n) std::this_thread::yield();  // the last hand-off back
        if (self_ok)  // else this thread ran unpinned: not a same-core figure
            ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() /
                 static_cast<double>(n);
    }
    other.join();
    pthread_setaffinity_np(pthread_self(), sizeof allowed, &allowed);
    return ns;
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
                     "  bounded pool's throughput; then the same between two threads on one CPU (S, a hundredth of the\n"
                     "  round trips) and the bound capacity / 2 min(L, S)\n",
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

    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    const int cpu = sched_getaffinity(0, sizeof allowed, &allowed) == 0 ? first_allowed_cpu(allowed) : -1;
    const long same_rounds = std::max(1L, rounds / 100);  // a switch takes some 100 times a line transfer
    std::vector<double> w;
    for (unsigned r = 0; cpu >= 0 && r < reps; ++r) {
        const double ns = same_core_ns(same_rounds, cpu, allowed);
        if (ns < 0) break;
        w.push_back(ns);
    }
    if (w.size() != reps) {
        std::printf("same-core hand-off: not measured (the threads could not be pinned to one CPU)\n");
        return 0;
    }
    std::sort(w.begin(), w.end());
    const double sc = w[w.size() / 2];
    std::printf("same-core hand-off: median %.1f ns (min %.1f, max %.1f) over %u repetitions of %ld round trips, "
                "both threads on CPU %d, each yielding while it waits\n",
                sc, w.front(), w.back(), reps, same_rounds, cpu);
    const double fastest = std::min(l, sc);
    for (double capacity : {16.0, 64.0, 1024.0})
        std::printf("  capacity %4.0f: at most %.1f M msg/s whichever way its slots change hands "
                    "(capacity / 2 min(L, S))\n",
                    capacity, capacity / (2 * fastest) * 1e3);
}
