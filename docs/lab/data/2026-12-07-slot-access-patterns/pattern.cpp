// Two threads, one 16-slot array of 16-byte slots (an 8-byte state word beside an
// 8-byte message, four slots to a 64-byte line, the array on a line), one writer
// and one reader moving N messages in order.  Four ways to hand a slot over:
//   scan   CAS empty->writing, write, store full; CAS full->reading, read, store empty
//          (cas_scan's per-slot protocol: the line written twice per operation)
//   look   the same with a load of the state before each CAS
//   seq    a sequence word per slot (Vyukov): wait until it says "free for my lap"
//          (resp. "full for my position"), write (read), store the next value
//          (the ring's per-slot protocol without its counters: a load and one write)
//   seqcas seq plus a CAS of a counter only its own side writes per message (the
//          ring's claim at 1x1)
// With slip: a side that finds its slot not ready waits until the slot 4 ahead is
// ready before it tries again (both claims' catch-up rule at 16 slots).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>
#include <immintrin.h>

constexpr int C = 16;
constexpr long N = 20000000;
struct slot {
    std::atomic<std::uint64_t> w;
    std::uint64_t v;
};
struct alignas(64) ring {
    slot s[C];
};
struct alignas(64) counter {
    std::atomic<std::uint64_t> c{0};
};

enum class kind { scan, look, seq, seqcas };

template <kind K, bool Slip>
double run() {
    ring r;
    counter head, tail;
    for (int i = 0; i < C; ++i) {
        r.s[i].w.store(K == kind::seq || K == kind::seqcas ? i : 0, std::memory_order_relaxed);
        r.s[i].v = 0;
    }
    std::atomic<bool> go{false};
    std::uint64_t sum = 0;
    // ready(pos, writer): is the slot of position pos in the state this side needs?
    auto ready = [&](std::uint64_t p, bool writer) {
        const std::uint64_t w = r.s[p % C].w.load(std::memory_order_acquire);
        if constexpr (K == kind::seq || K == kind::seqcas) return writer ? w == p : w == p + 1;
        else return writer ? w == 0 : w == 2;
    };
    auto side = [&](bool writer) {
        while (!go.load(std::memory_order_acquire)) {
        }
        std::uint64_t s = 0;
        for (std::uint64_t p = 0; p < static_cast<std::uint64_t>(N); ++p) {
            slot& x = r.s[p % C];
            if constexpr (K == kind::scan || K == kind::look) {
                const std::uint64_t from = writer ? 0 : 2;
                for (;;) {
                    std::uint64_t e = from;
                    if constexpr (K == kind::look)
                        if (x.w.load(std::memory_order_relaxed) != from) goto not_ready;
                    if (x.w.compare_exchange_strong(e, from + 1, std::memory_order_acquire, std::memory_order_relaxed))
                        break;
                not_ready:
                    if constexpr (Slip)
                        while (!ready(p + 4, writer) && !ready(p, writer)) _mm_pause();
                    else
                        _mm_pause();
                }
                if (writer)
                    x.v = p;
                else
                    s += x.v;
                x.w.store(writer ? 2 : 0, std::memory_order_release);
            } else {
                if (!ready(p, writer)) {
                    do {
                        if constexpr (Slip)
                            while (!ready(p + 4, writer) && !ready(p, writer)) _mm_pause();
                        else
                            _mm_pause();
                    } while (!ready(p, writer));
                }
                if constexpr (K == kind::seqcas) {
                    counter& c = writer ? head : tail;
                    std::uint64_t e = p;
                    c.c.compare_exchange_strong(e, p + 1, std::memory_order_relaxed);
                }
                if (writer)
                    x.v = p;
                else
                    s += x.v;
                x.w.store(writer ? p + 1 : p + C, std::memory_order_release);
            }
        }
        if (!writer) sum = s;
    };
    std::thread a(side, true), b(side, false);
    const auto t0 = std::chrono::steady_clock::now();
    go.store(true, std::memory_order_release);
    a.join();
    b.join();
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (sum != static_cast<std::uint64_t>(N) * (N - 1) / 2) std::puts("BAD SUM");
    return N / sec / 1e6;
}

int main(int argc, char** argv) {
    const int reps = argc > 1 ? std::atoi(argv[1]) : 5;
    std::vector<double> v[8];
    for (int r = 0; r < reps; ++r) {
        v[0].push_back(run<kind::scan, false>());
        v[1].push_back(run<kind::look, false>());
        v[2].push_back(run<kind::seq, false>());
        v[3].push_back(run<kind::seqcas, false>());
        v[4].push_back(run<kind::scan, true>());
        v[5].push_back(run<kind::look, true>());
        v[6].push_back(run<kind::seq, true>());
        v[7].push_back(run<kind::seqcas, true>());
    }
    const char* names[8] = {"scan", "look", "seq", "seqcas", "scan slip", "look slip", "seq slip", "seqcas slip"};
    for (int i = 0; i < 8; ++i) {
        std::sort(v[i].begin(), v[i].end());
        std::printf("%-12s median %6.1f  (min %6.1f, max %6.1f) M msg/s\n", names[i], v[i][v[i].size() / 2], v[i].front(),
                    v[i].back());
    }
}
