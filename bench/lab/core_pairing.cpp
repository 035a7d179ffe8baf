// bench/lab/core_pairing.cpp - which threads share the cores at once, and
// what that does to a pool whose writers share one position counter.
//
//     cmake --build --preset release --target msgpool-lab-core-pairing
//     build/release/bench/msgpool-lab-core-pairing --reps 9 [--capacity 1024]
//
// With more threads than cores the scheduler decides, slice by slice, which
// of them run together.  A ring (fetch_add_ring) has one counter per side:
// two writers that run at once take turns at head_'s cache line, one
// transfer (or two) per message, while a writer and a reader that run at
// once each keep their own counter's line.  A queue whose producers write
// sub-queues of their own (moodycamel::ConcurrentQueue with tokens) has no
// such line between producers.  So the same program, 4 writers and 4 readers
// on a 2-core machine, may move messages at very different rates depending
// on which pairs the scheduler forms; msgpool-bench shows that as a wide
// min..max per repetition.
//
// The program runs 4 writers and 4 readers through ring_pool, pool and
// moodycamel::ConcurrentQueue (tokens; a reader that finds nothing yields),
// 1,000,000 8-byte messages, capacity 2^20 by default (the writers never
// wait; --capacity N sets another: at small capacities a full pool puts its
// writers to sleep, which hands their cores to readers), with the threads
// placed three ways, interleaved repetition by repetition:
//   free        no affinity: the scheduler pairs the threads as it likes;
//   split       every writer on CPU 0, every reader on CPU 1: the pair
//               running at any instant is always a writer and a reader;
//   mixed       writer i and reader i + 1 on CPU i mod 2: one writer and
//               one reader per CPU, so two writers (or two readers) often run
//               at once.
// It prints each placement's median, min and max in M msg/s.  Every run
// checks the sum of the ids read (each message exactly once).  It needs two
// CPUs (0 and 1) for the pinned placements.
//
// This is the lab, no part of the product: nothing here is installed or
// tested; the target is built by default so that it keeps compiling.
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include <concurrentqueue/concurrentqueue.h>
#include <msgpool/compositions.hpp>
#include <msgpool/pool.hpp>

namespace {

using id = std::uint64_t;
constexpr int writers = 4;
constexpr int readers = 4;
std::size_t capacity = std::size_t{1} << 20;  // --capacity
constexpr id messages = 1'000'000;

enum class placement { free, split, mixed };
constexpr placement placements[] = {placement::free, placement::split, placement::mixed};
const char* name_of(placement p) {
    return p == placement::free ? "free" : p == placement::split ? "split (writers CPU 0, readers CPU 1)"
                                                                 : "mixed (a writer and a reader per CPU)";
}

/// The CPU a thread of `p` runs on; -1: anywhere.
int cpu_of(placement p, bool writer, int i) {
    switch (p) {
        case placement::free: return -1;
        case placement::split: return writer ? 0 : 1;
        case placement::mixed: return writer ? i % 2 : (i + 1) % 2;
    }
    return -1;
}

void pin_to(int cpu) {
    if (cpu < 0) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0) {
        std::fprintf(stderr, "msgpool-lab-core-pairing: cannot pin a thread to CPU %d (two CPUs needed)\n", cpu);
        std::exit(1);
    }
}

/// The pools through their blocking calls.
template <class Pool>
struct through_pool {
    Pool pool{capacity};
    void write(int, id v) { pool.write(msgpool::deadline::forever(), id{v}); }
    id read(int) {
        id v = 0;
        pool.read(msgpool::deadline::forever(), v);
        return v;
    }
};

/// moodycamel with a token per thread; a reader that finds nothing yields.
struct through_moodycamel {
    moodycamel::ConcurrentQueue<id> queue{capacity, writers, 0};
    std::vector<moodycamel::ProducerToken> producer_tokens;
    std::vector<moodycamel::ConsumerToken> consumer_tokens;
    through_moodycamel() {
        for (int i = 0; i < writers; ++i) producer_tokens.emplace_back(queue);
        for (int i = 0; i < readers; ++i) consumer_tokens.emplace_back(queue);
    }
    void write(int i, id v) {
        while (!queue.enqueue(producer_tokens[i], v)) std::this_thread::yield();
    }
    id read(int i) {
        id v = 0;
        while (!queue.try_dequeue(consumer_tokens[i], v)) std::this_thread::yield();
        return v;
    }
};

/// One run; M msg/s.  Writer i writes ids i+1, i+1+writers, ...; reader j
/// reads every readers-th message's share; the ids read must sum up.
template <class Structure>
double run_once(placement p) {
    Structure s;
    std::atomic<bool> go{false};
    std::atomic<id> sum{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < writers; ++i)
        threads.emplace_back([&, i] {
            pin_to(cpu_of(p, true, i));
            while (!go.load(std::memory_order_acquire)) std::this_thread::yield();  // pairs with the start store
            for (id k = static_cast<id>(i); k < messages; k += writers) s.write(i, k + 1);
        });
    for (int j = 0; j < readers; ++j)
        threads.emplace_back([&, j] {
            pin_to(cpu_of(p, false, j));
            while (!go.load(std::memory_order_acquire)) std::this_thread::yield();  // pairs with the start store
            id local = 0;
            for (id k = static_cast<id>(j); k < messages; k += readers) local += s.read(j);
            sum.fetch_add(local, std::memory_order_relaxed);  // read after join(), which orders it
        });
    const auto start = std::chrono::steady_clock::now();
    go.store(true, std::memory_order_release);  // pairs with the threads' acquire loads
    for (auto& t : threads) t.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (sum.load(std::memory_order_relaxed) != messages * (messages + 1) / 2) {
        std::fprintf(stderr, "msgpool-lab-core-pairing: the ids read do not add up: a message lost or doubled\n");
        std::exit(1);
    }
    return static_cast<double>(messages) / seconds / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    int reps = 9;
    for (int a = 1; a < argc; ++a) {
        if (std::strcmp(argv[a], "--reps") == 0 && a + 1 < argc) {
            reps = std::atoi(argv[++a]);
        } else if (std::strcmp(argv[a], "--capacity") == 0 && a + 1 < argc) {
            capacity = std::strtoull(argv[++a], nullptr, 10);
        } else {
            std::fprintf(stderr, "usage: msgpool-lab-core-pairing [--reps N] [--capacity N]  (N >= 1; default 9 "
                                 "repetitions, capacity 1048576)\n");
            return 2;
        }
    }
    if (reps < 1) {
        std::fprintf(stderr, "msgpool-lab-core-pairing: --reps takes a whole number >= 1\n");
        return 2;
    }
    if (capacity < 1 || capacity > (std::size_t{1} << 26)) {
        std::fprintf(stderr, "msgpool-lab-core-pairing: --capacity takes a whole number from 1 to 2^26\n");
        return 2;
    }
    const char* systems[] = {"ring_pool", "pool", "moodycamel::ConcurrentQueue"};
    std::vector<double> rates[3][3];
    for (int r = 0; r < reps; ++r) {
        for (int k = 0; k < 3; ++k) {
            const placement p = placements[k];
            rates[0][k].push_back(run_once<through_pool<msgpool::ring_pool<id>>>(p));
            rates[1][k].push_back(run_once<through_pool<msgpool::pool<id>>>(p));
            rates[2][k].push_back(run_once<through_moodycamel>(p));
        }
    }
    std::printf("4x4, capacity %zu, %llu messages of 8 bytes, %d repetitions: median (min..max) M msg/s\n", capacity,
                static_cast<unsigned long long>(messages), reps);
    for (int s = 0; s < 3; ++s) {
        for (int k = 0; k < 3; ++k) {
            auto v = rates[s][k];
            std::sort(v.begin(), v.end());
            std::printf("  %-28s %-40s %7.1f (%.1f..%.1f)\n", systems[s], name_of(placements[k]), v[v.size() / 2],
                        v.front(), v.back());
        }
    }
}
