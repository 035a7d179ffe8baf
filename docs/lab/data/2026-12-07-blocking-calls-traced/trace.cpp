// Per-call attempt trace of blocking write/read at a small capacity: how each
// composition's blocking calls end (first attempt, near, last_near, full after a
// yield, registered re-check, after a sleep), per message, with the throughput.
//
// Build against a copy of include/ and policies/ with trace-counters.patch
// applied (thread-local counters in pool_core's wait_for and cas_scan's take,
// and the index of each thread's last claim):
//     cp -r include inc && cp -r policies pol && (cd .. && patch -p1 ...)   # or by hand
//     g++ -std=c++20 -O2 -DNDEBUG -Iinc -Ipol trace.cpp -o trace -pthread
// Run:
//     ./trace W CAP N REPS [t|f]    W writers and W readers, N messages, REPS rounds
//                                   blocking write/read; t: loops of try_write/try_read
//                                   with one pause between tries; f: loops of
//                                   write_for/read_for(20 us); b: loops of try_ with
//                                   a back-off of 1, 2, 4 .. 64 pauses, then yields
//     ./trace phase W CAP N REPS    medians per composition over rounds whose
//                                   hand-off probe (before and after) says fast or slow
// With one writer (W = 1) the reader samples, every 64 messages, how many
// slots its last claim lies behind the writer's last claim (a relaxed read of
// the writer's thread-local index: a sample, not a synchronised value; the
// writer stays alive until the readers are done).
#include <msgpool/compositions.hpp>
#include <msgpool/pool.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <sys/resource.h>

using msgpool::detail::trace;
using msgpool::detail::trace_counts;
using msgpool::claim::scan_trace;
struct scan_sum { std::mutex m; msgpool::claim::scan_counts w, r; void add(msgpool::claim::scan_counts& d, const msgpool::claim::scan_counts& s) { std::lock_guard<std::mutex> g(m); d.at0+=s.at0; d.near3+=s.near3; d.far+=s.far; d.failed+=s.failed; d.cas_fail+=s.cas_fail; } };
static void print_scan(const char* side, const msgpool::claim::scan_counts& c, double n) {
    if (c.at0 + c.near3 + c.far + c.failed) std::printf("   %s scan: at cursor %.3f, 1-3 on %.3f, 4+ on %.3f, failed passes %.3f, lost CAS %.3f\n", side, c.at0/n, c.near3/n, c.far/n, c.failed/n, c.cas_fail/n);
}

struct sum_counts {
    trace_counts w, r;
    std::mutex m;
    void add(trace_counts& dst, const trace_counts& s) {
        std::lock_guard<std::mutex> g(m);
        dst.calls += s.calls; dst.first_ok += s.first_ok; dst.regs += s.regs; dst.reg_ok += s.reg_ok;
        dst.sleeps += s.sleeps; dst.wake_ok += s.wake_ok;
        for (int i = 0; i < 4; ++i) { dst.att[i] += s.att[i]; dst.ok[i] += s.ok[i]; }
    }
};

static void print(const char* side, const trace_counts& c, double n) {
    std::printf("   %s first_ok %.3f | near %.3f/%.3f last %.3f/%.3f full(yield) %.3f/%.3f | reg %.4f/%.4f sleep %.4f/%.4f\n", side,
                c.first_ok / n, c.att[1] / n, c.ok[1] / n, c.att[2] / n, c.ok[2] / n, c.att[3] / n, c.ok[3] / n,
                c.regs / n, c.reg_ok / n, c.sleeps / n, c.wake_ok / n);
}

static bool try_mode = false;
static bool for_mode = false;
static bool backoff_mode = false;
// A user's back-off between failing try_ calls: 1, 2, 4 .. 64 pauses, then a yield each time.
static void user_backoff(unsigned& step) {
    if (step < 7) { for (unsigned i = 0; i < (1u << step); ++i) __builtin_ia32_pause(); ++step; } else std::this_thread::yield();
}
static std::size_t* writer_last = nullptr;
static std::atomic<bool> writer_set{false};
static std::atomic<bool> readers_done{false};
static bool quiet = false;
template <class Pool>
double run(const char* name, int W, int R, std::size_t cap, long N) {
    Pool p(cap);
    sum_counts s;
    scan_sum ss;
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::atomic<std::uint64_t> total{0};
    std::vector<std::thread> ts;
    const long per_w = N / W;
    const long per_r = N / R;
    for (int i = 0; i < W; ++i)
        ts.emplace_back([&, i] {
            trace = {}; scan_trace = {};
            ready.fetch_add(1);
            while (!go.load()) {}
            if (i == 0) { writer_last = &msgpool::detail::trace_last_index; writer_set.store(true); }
            for (long k = 0; k < per_w; ++k) { if (backoff_mode) { unsigned st = 0; while (!p.try_write(std::uint64_t(i) * per_w + k + 1)) user_backoff(st); } else if (for_mode) { while (!p.write_for(std::uint64_t(i) * per_w + k + 1, std::chrono::microseconds(20))) {} } else if (try_mode) { while (!p.try_write(std::uint64_t(i) * per_w + k + 1)) __builtin_ia32_pause(); } else p.write(std::uint64_t(i) * per_w + k + 1); }
            s.add(s.w, trace); ss.add(ss.w, scan_trace);
            if (i == 0) while (!readers_done.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        });
    for (int i = 0; i < R; ++i)
        ts.emplace_back([&] {
            trace = {}; scan_trace = {};
            ready.fetch_add(1);
            while (!go.load()) {}
            std::uint64_t sum = 0, v = 0;
            long hist[65] = {0};
            while (!writer_set.load()) {}
            for (long k = 0; k < per_r; ++k) { if (backoff_mode) { unsigned st = 0; while (!p.try_read(v)) user_backoff(st); } else if (for_mode) { while (!p.read_for(v, std::chrono::microseconds(20))) {} } else if (try_mode) { while (!p.try_read(v)) __builtin_ia32_pause(); } else p.read(v); sum += v;
                if (W == 1 && !quiet && (k & 63) == 0) { std::size_t w = __atomic_load_n(writer_last, __ATOMIC_RELAXED); std::size_t r = msgpool::detail::trace_last_index; std::size_t d = (w + cap - r) % cap; ++hist[d < 64 ? d : 64]; } }
            if (W == 1 && !quiet) { std::lock_guard<std::mutex> g(s.m); std::printf("   distance writer-reader:"); long tot = 0; for (int j = 0; j < 65; ++j) tot += hist[j]; for (std::size_t j = 0; j < cap && j < 64; ++j) std::printf(" %zu:%.2f", j, hist[j] / double(tot)); std::printf("\n"); }
            total.fetch_add(sum);
            s.add(s.r, trace); ss.add(ss.r, scan_trace);
        });
    while (ready.load() < W + R) {}
    rusage u0, u1;
    getrusage(RUSAGE_SELF, &u0);
    auto t0 = std::chrono::steady_clock::now();
    go.store(true);
    for (std::size_t j = W; j < ts.size(); ++j) ts[j].join();
    readers_done.store(true);
    for (int j = 0; j < W; ++j) ts[j].join();
    readers_done.store(false);
    auto t1 = std::chrono::steady_clock::now();
    getrusage(RUSAGE_SELF, &u1);
    const double sec = std::chrono::duration<double>(t1 - t0).count();
    const double cpu = (u1.ru_utime.tv_sec - u0.ru_utime.tv_sec) + (u1.ru_stime.tv_sec - u0.ru_stime.tv_sec) +
                       ((u1.ru_utime.tv_usec - u0.ru_utime.tv_usec) + (u1.ru_stime.tv_usec - u0.ru_stime.tv_usec)) * 1e-6;
    const long nivcsw = (u1.ru_nivcsw - u0.ru_nivcsw), nvcsw = (u1.ru_nvcsw - u0.ru_nvcsw);
    const std::uint64_t M = std::uint64_t(W) * per_w;
    const bool ok = total.load() == M * (M + 1) / 2;
    if (quiet) return M / sec / 1e6;
    std::printf("%-12s %dx%d/%zu: %6.1f M msg/s  cpu %.2f s/s  vcsw %.3f ivcsw %.3f per 1k msg %s\n", name, W, R, cap,
                M / sec / 1e6, cpu / sec, nvcsw * 1000.0 / M, nivcsw * 1000.0 / M, ok ? "" : "SUM MISMATCH");
    print("w", s.w, double(M));
    print("r", s.r, double(M));
    print_scan("w", ss.w, double(M));
    print_scan("r", ss.r, double(M));
    return M / sec / 1e6;
}

static double probe() {
    std::atomic<int> turn{0};
    const int n = 20000;
    std::thread t([&] { for (int i = 0; i < n; ++i) { while (turn.load(std::memory_order_acquire) != 1) {} turn.store(0, std::memory_order_release); } });
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) { turn.store(1, std::memory_order_release); while (turn.load(std::memory_order_acquire) != 0) {} }
    auto t1 = std::chrono::steady_clock::now();
    t.join();
    return std::chrono::duration<double, std::nano>(t1 - t0).count() / (2.0 * n);
}

#include <algorithm>
#include <map>
int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "phase") {
        const int W = std::atoi(argv[2]);
        const std::size_t cap = std::atoi(argv[3]);
        const long N = std::atol(argv[4]);
        const int reps = std::atoi(argv[5]);
        quiet = true;
        std::map<std::string, std::vector<double>> fast, slow;
        int nf = 0, ns = 0;
        for (int rep = 0; rep < reps; ++rep) {
            const double a = probe();
            std::vector<std::pair<std::string, double>> v;
            v.push_back({"pool", run<msgpool::pool<std::uint64_t>>("pool", W, W, cap, N)});
            v.push_back({"futex_pool", run<msgpool::futex_pool<std::uint64_t>>("futex_pool", W, W, cap, N)});
            v.push_back({"ring_pool", run<msgpool::ring_pool<std::uint64_t>>("ring_pool", W, W, cap, N)});
            v.push_back({"ring+condvar", run<msgpool::basic_pool<std::uint64_t, msgpool::claim::fetch_add_ring, msgpool::wait::condvar, msgpool::storage::inline_slots>>("x", W, W, cap, N)});
            v.push_back({"scan+aligned", run<msgpool::basic_pool<std::uint64_t, msgpool::claim::cas_scan, msgpool::wait::condvar, msgpool::storage::aligned_slots>>("x", W, W, cap, N)});
            const double b = probe();
            const bool f = a < 80 && b < 80, sl = a > 150 && b > 150;
            nf += f;
            ns += sl;
            for (auto& [n, x] : v) { if (f) fast[n].push_back(x); if (sl) slow[n].push_back(x); }
        }
        auto med = [](std::vector<double> x) { if (x.empty()) return 0.0; std::sort(x.begin(), x.end()); return x[x.size() / 2]; };
        std::printf("%dx%d/%zu, %ld msgs: %d fast reps, %d slow reps of %d\n", W, W, cap, N, nf, ns, reps);
        for (auto& [n, x] : fast) std::printf("  fast %-14s %6.1f\n", n.c_str(), med(x));
        for (auto& [n, x] : slow) std::printf("  slow %-14s %6.1f\n", n.c_str(), med(x));
        return 0;
    }
    const int W = argc > 1 ? std::atoi(argv[1]) : 1;
    const std::size_t cap = argc > 2 ? std::atoi(argv[2]) : 16;
    const long N = argc > 3 ? std::atol(argv[3]) : 4000000;
    const int reps = argc > 4 ? std::atoi(argv[4]) : 3;
    try_mode = argc > 5 && argv[5][0] == 't';
    for_mode = argc > 5 && argv[5][0] == 'f';
    backoff_mode = argc > 5 && argv[5][0] == 'b';
    for (int rep = 0; rep < reps; ++rep) {
        run<msgpool::pool<std::uint64_t>>("pool", W, W, cap, N);
        run<msgpool::futex_pool<std::uint64_t>>("futex_pool", W, W, cap, N);
        run<msgpool::ring_pool<std::uint64_t>>("ring_pool", W, W, cap, N);
        run<msgpool::basic_pool<std::uint64_t, msgpool::claim::cas_scan, msgpool::wait::spin, msgpool::storage::inline_slots>>("scan+spin", W, W, cap, N);
        run<msgpool::basic_pool<std::uint64_t, msgpool::claim::fetch_add_ring, msgpool::wait::spin, msgpool::storage::inline_slots>>("ring+spin", W, W, cap, N);
    }
}
