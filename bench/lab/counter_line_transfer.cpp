// bench/lab/counter_line_transfer.cpp - what a claim's "load, then CAS" of a
// counter that another core wrote last costs against one read-modify-write,
// and whether asking for the line in exclusive state first changes it: two
// threads take numbers from one shared counter, each doing some local work
// between two claims, as the writers of a ring take positions from head_.
//
//     cmake --build --preset release --target msgpool-lab-counter-line-transfer
//     build/release/bench/msgpool-lab-counter-line-transfer --reps 7
//
// The claims (interleaved within each repetition):
//   load+cas      relaxed load, then compare_exchange_weak until it succeeds
//                 (the ring's [FR-H1] then [FR-H2]).
//   pfw+load+cas  PREFETCHW of the counter's line first (x86, where CPUID
//                 0x80000001 ECX bit 8 says the CPU has it; else skipped).
//   rmw+cas       the load as a relaxed fetch_or(0), a locked read that takes
//                 the line exclusive at once.
//   fetch_add     one relaxed fetch_add: one read-modify-write, no load
//                 before it (what a claim that needs no check would cost).
// Two schedules:
//   turns    the threads take turns (a turn flag on a line of its own, a
//            one-way hand-off each way): every claim finds the counter's line
//            modified in the other core's cache.  Printed: the time per turn,
//            hand-off plus claim.  If the load fetched the line shared and the
//            CAS fetched it again, load+cas would cost one transfer more than
//            fetch_add here, and pfw+load+cas would take it back.  An LFENCE
//            after the turn is seen keeps the claim from starting early.  Also on
//            turns, the slot word's pattern: load..store (an acquire load, 8
//            multiply-adds, a release store to the same line, as a claim's
//            [FR-W1] then its publish [FR-W2]) and pfw+load..store.
//   free     both threads claim at once, with `work` dependent multiply-adds
//            (no memory) between two claims; the wall time per claim of both
//            threads together and the failed CASes per claim.  The line then
//            moves as often as the two cores ask for it.
// Medians of the repetitions, min..max.  The threads are not pinned.
//
// This is the lab, no part of the product: nothing here is installed or
// tested; the target is built by default so that it keeps compiling.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#define COUNTER_LINE_X86 1
#else
#define COUNTER_LINE_X86 0
#endif

namespace {

bool cpu_has_prefetchw() {
#if COUNTER_LINE_X86
    unsigned a = 0, b = 0, c = 0, d = 0;
    return __get_cpuid(0x80000001u, &a, &b, &c, &d) != 0 && (c & (1u << 8)) != 0;
#else
    return false;
#endif
}

const bool has_prefetchw = cpu_has_prefetchw();

void prefetch_for_write(const void* p) {
#if COUNTER_LINE_X86
    if (has_prefetchw) asm volatile("prefetchw %0" : : "m"(*static_cast<const char*>(p)));
#else
    (void)p;
#endif
}

/// LFENCE (x86): no later instruction starts before every earlier one is
/// done (dispatch-serialising on AMD where the kernel sets it, as Linux does).
inline void speculation_fence() {
#if COUNTER_LINE_X86
    asm volatile("lfence" ::: "memory");
#endif
}

enum class claim { load_cas, pfw_load_cas, rmw_cas, fetch_add, load_store, pfw_load_store };
constexpr claim claims[] = {claim::load_cas, claim::pfw_load_cas, claim::rmw_cas, claim::fetch_add};
// The slot word's pattern, on turns only.
constexpr claim turn_claims[] = {claim::load_cas,  claim::pfw_load_cas, claim::rmw_cas,
                                 claim::fetch_add, claim::load_store,   claim::pfw_load_store};
const char* name(claim c) {
    switch (c) {
        case claim::load_cas: return "load+cas";
        case claim::pfw_load_cas: return "pfw+load+cas";
        case claim::rmw_cas: return "rmw+cas";
        case claim::fetch_add: return "fetch_add";
        case claim::load_store: return "load..store";
        case claim::pfw_load_store: return "pfw+load..store";
    }
    return "";
}

struct alignas(64) counter_line {
    std::atomic<std::uint64_t> next{0};
};

/// Local work between two claims: `steps` dependent multiply-adds on a
/// register, touching no memory.
inline std::uint64_t work(std::uint64_t x, unsigned steps) {
    for (unsigned i = 0; i < steps; ++i) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        asm volatile("" : "+r"(x));
    }
    return x;
}

/// One thread's claims; returns the failed CASes.
std::uint64_t run_claims(claim how, counter_line& c, long claims_each, unsigned steps, std::uint64_t& sink) {
    std::uint64_t failed = 0, x = sink;
    for (long i = 0; i < claims_each; ++i) {
        x = work(x, steps);
        std::uint64_t p = 0;
        switch (how) {
            case claim::fetch_add:
                x += c.next.fetch_add(1, std::memory_order_relaxed);  // no pair: a counter only
                continue;
            case claim::load_cas: p = c.next.load(std::memory_order_relaxed); break;  // a guess the CAS checks
            case claim::pfw_load_cas:
                prefetch_for_write(&c.next);
                p = c.next.load(std::memory_order_relaxed);  // a guess the CAS checks
                break;
            case claim::rmw_cas: p = c.next.fetch_or(0, std::memory_order_relaxed); break;  // a guess the CAS checks
            case claim::load_store:
            case claim::pfw_load_store: return failed;  // turns only
        }
        // relaxed: a counter only; p is the value found on failure.
        while (!c.next.compare_exchange_weak(p, p + 1, std::memory_order_relaxed, std::memory_order_relaxed)) ++failed;
        x += p;
    }
    sink = x;
    return failed;
}

/// One thread's turns: claims on its turns (turn == mine), then passes the
/// turn (mine ^ 1: the other thread's).
void run_turns(const claim* how, counter_line& c, counter_line& turn, long turns, std::uint64_t mine, std::uint64_t& sink) {
    std::uint64_t x = sink;
    for (long i = 0; i < turns; ++i) {
        while (turn.next.load(std::memory_order_acquire) != mine) {  // pairs with the other thread's release store
        }
        // No claim instruction starts before the turn is seen: without the
        // fence the core would run the claim's loads speculatively past the
        // spin loop's predicted exit, and the claim would overlap the hand-off.
        speculation_fence();
        std::uint64_t p = 0;
        if (how == nullptr) {
            turn.next.store(mine ^ 1, std::memory_order_release);  // pairs with the other thread's acquire load
            continue;
        }
        switch (*how) {
            case claim::fetch_add: p = c.next.fetch_add(1, std::memory_order_relaxed); break;  // a counter only
            case claim::load_cas: p = c.next.load(std::memory_order_relaxed); break;             // a guess the CAS checks
            case claim::pfw_load_cas:
                prefetch_for_write(&c.next);
                p = c.next.load(std::memory_order_relaxed);  // a guess the CAS checks
                break;
            case claim::rmw_cas: p = c.next.fetch_or(0, std::memory_order_relaxed); break;  // a guess the CAS checks
            case claim::pfw_load_store: prefetch_for_write(&c.next); [[fallthrough]];
            case claim::load_store:
                p = c.next.load(std::memory_order_acquire);  // pairs with the other thread's store below
                x = work(x + p, 8);
                c.next.store(p + 1, std::memory_order_release);  // pairs with the other thread's load above
                break;
        }
        if (*how == claim::load_cas || *how == claim::pfw_load_cas || *how == claim::rmw_cas)
            // relaxed: a counter only; alone on its turn, so it succeeds at once but for a spurious failure.
            while (!c.next.compare_exchange_weak(p, p + 1, std::memory_order_relaxed, std::memory_order_relaxed)) {
            }
        x += p;
        turn.next.store(mine ^ 1, std::memory_order_release);  // pairs with the other thread's acquire load
    }
    sink = x;
}

/// The counter and the turn flag a page apart, so that no adjacent-line
/// prefetch brings one with the other.
struct turn_lines {
    counter_line counter;
    char gap[4096 - sizeof(counter_line)];
    counter_line turn;
};

/// ns per turn (hand-off plus claim) of `turns` turns each way; without
/// `how`, turns alone (no claim).
double one_turns(const claim* how, long turns) {
    auto lines = std::make_unique<turn_lines>();
    counter_line& c = lines->counter;
    counter_line& turn = lines->turn;
    std::uint64_t sink_a = 1, sink_b = 2;
    std::thread other([&] { run_turns(how, c, turn, turns, 1, sink_b); });
    const auto t0 = std::chrono::steady_clock::now();
    run_turns(how, c, turn, turns, 0, sink_a);
    other.join();
    const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
    // relaxed: after the join, which orders every claim before it.
    if ((how != nullptr && c.next.load(std::memory_order_relaxed) != 2 * static_cast<std::uint64_t>(turns)) ||
        sink_a + sink_b == 0)
        std::fprintf(stderr, "counter mismatch\n");
    return ns / (2.0 * static_cast<double>(turns));
}

struct result {
    double ns_per_claim;
    double failed_per_claim;
};

result one(claim how, long claims_each, unsigned steps) {
    counter_line c;
    std::uint64_t sink_a = 1, sink_b = 2, failed_b = 0;
    std::atomic<int> ready{0};
    std::thread other([&] {
        ready.fetch_add(1, std::memory_order_acq_rel);  // start together; pairs with the main thread's loads
        while (ready.load(std::memory_order_acquire) != 2) {  // pairs with the main thread's fetch_add
        }
        failed_b = run_claims(how, c, claims_each, steps, sink_b);
    });
    ready.fetch_add(1, std::memory_order_acq_rel);  // as above
    while (ready.load(std::memory_order_acquire) != 2) {  // pairs with the other thread's fetch_add
    }
    const auto t0 = std::chrono::steady_clock::now();
    const std::uint64_t failed_a = run_claims(how, c, claims_each, steps, sink_a);
    other.join();
    const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
    // relaxed: after the join, which orders every claim before it.
    if (c.next.load(std::memory_order_relaxed) != 2 * static_cast<std::uint64_t>(claims_each) || sink_a + sink_b == 0)
        std::fprintf(stderr, "counter mismatch\n");
    const double n = 2.0 * static_cast<double>(claims_each);
    return {ns / n, static_cast<double>(failed_a + failed_b) / n};
}

}  // namespace

int main(int argc, char** argv) {
    unsigned reps = 7;
    long claims_each = 2000000;
    const auto usage = [&](const char* why) {
        std::fprintf(*why ? stderr : stdout,
                     "%s%susage: %s [--reps N] [--claims N]\n"
                     "  two threads take --claims numbers each (default 2000000) from one shared counter, with local\n"
                     "  work between claims, by load+cas, pfw+load+cas, rmw+cas and fetch_add; median of N\n"
                     "  repetitions (default 7)\n",
                     why, *why ? "\n" : "", argv[0]);
        return *why ? 1 : 0;
    };
    for (int i = 1; i < argc; i += 2) {
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) return usage("");
        if (i + 1 == argc) return usage("msgpool-lab-counter-line-transfer: an option without its value");
        char* end = nullptr;
        const long value = std::strtol(argv[i + 1], &end, 10);
        if (*argv[i + 1] == '\0' || *end != '\0' || value < 1 || value > 1000000000L)
            return usage("msgpool-lab-counter-line-transfer: a value must be a whole number from 1 to 1000000000");
        if (std::strcmp(argv[i], "--reps") == 0)
            reps = static_cast<unsigned>(value);
        else if (std::strcmp(argv[i], "--claims") == 0)
            claims_each = value;
        else
            return usage("msgpool-lab-counter-line-transfer: unknown option");
    }
    std::printf("PREFETCHW %s; %ld claims per thread, 2 threads, %u repetitions\n",
                has_prefetchw ? "present" : "absent (pfw+load+cas = load+cas)", claims_each, reps);
    {
        std::printf("turns: ns per turn (one-way hand-off of the turn, then the claim)\n");
        std::vector<std::vector<double>> t(std::size(turn_claims) + 1);
        for (unsigned rep = 0; rep < reps; ++rep) {
            t[0].push_back(one_turns(nullptr, claims_each / 4));
            for (std::size_t k = 0; k < std::size(turn_claims); ++k)
                t[k + 1].push_back(one_turns(&turn_claims[k], claims_each / 4));
        }
        for (std::size_t k = 0; k <= std::size(turn_claims); ++k) {
            auto& v = t[k];
            std::sort(v.begin(), v.end());
            std::printf("       %-15s %8.1f %9.1f..%-10.1f\n", k == 0 ? "(no claim)" : name(turn_claims[k - 1]), v[v.size() / 2],
                        v.front(), v.back());
        }
    }
    std::printf("free: both threads claim at once, `work` multiply-adds between two claims\n");
    std::printf("%-6s %-13s %10s %21s %12s\n", "work", "claim", "ns/claim", "(min..max)", "failed/claim");
    for (unsigned steps : {0u, 8u, 32u, 128u}) {
        std::vector<std::vector<result>> r(std::size(claims));
        for (unsigned rep = 0; rep < reps; ++rep)
            for (std::size_t k = 0; k < std::size(claims); ++k) r[k].push_back(one(claims[k], claims_each, steps));
        for (std::size_t k = 0; k < std::size(claims); ++k) {
            auto& v = r[k];
            std::sort(v.begin(), v.end(), [](const result& a, const result& b) { return a.ns_per_claim < b.ns_per_claim; });
            std::vector<double> f;
            for (const auto& x : v) f.push_back(x.failed_per_claim);
            std::sort(f.begin(), f.end());
            std::printf("%-6u %-13s %10.1f %9.1f..%-10.1f %12.3f\n", steps, name(claims[k]), v[v.size() / 2].ns_per_claim,
                        v.front().ns_per_claim, v.back().ns_per_claim, f[f.size() / 2]);
        }
    }
}
