// bench/process_workload.hpp - workload.hpp's run with every producer and
// every consumer in a process of its own (--processes).
//
// The structure is created by the run's process (the adapter's constructor:
// a named segment, a named message queue), then P + C processes are forked.
// Each opens the structure by name (make_producer / make_consumer: the way
// unrelated programs would, not through the mapping fork would hand down),
// says it is ready, and waits for the start.  Producer p writes ids p, p + P,
// ... below N; the last producer to finish calls close(); each consumer
// keeps workload.hpp's tally.  Tallies, the ready count and the start flag
// live in an anonymous shared mapping made before the forks.
//
// Timing: the clock starts when the parent sets the start flag and stops
// when it has reaped the last child.  CPU time and context switches: each
// child measures its own (getrusage(RUSAGE_SELF)) from the start flag to its
// end, and the parent adds them up, so opening the structure and waiting for
// the start are not counted.
//
// Children die with the run's process (PR_SET_PDEATHSIG): a run killed at
// --run-limit leaves no orphans behind.
//
// run_idle_processes: C consumer processes block on the empty structure; the
// CPU they use over the window is read from /proc/<pid>/schedstat (time on
// a CPU, in nanoseconds), then close() ends them.
#pragma once

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapter.hpp"
#include "messages.hpp"
#include "workload.hpp"

namespace msgpool_bench {

namespace detail {

/// What the run's processes share: set up before the forks.
struct process_board {
    std::atomic<unsigned> ready{0};
    std::atomic<unsigned> go{0};
    std::atomic<unsigned> producers_left{0};
    std::atomic<std::uint64_t> written{0};
    struct alignas(64) child_usage {
        double cpu_seconds = 0;
        std::uint64_t switches = 0;
        bool failed = false;
    };
    // followed by `children` child_usage and `consumers` tally
};

/// An anonymous MAP_SHARED mapping holding a board, per-child usage and
/// per-consumer tallies.
class shared_board {
public:
    shared_board(unsigned children, unsigned consumers) {
        // Each part starts on a line: child_usage and tally are line-aligned types.
        usage_at_ = round_up(sizeof(process_board));
        tallies_at_ = round_up(usage_at_ + children * sizeof(process_board::child_usage));
        bytes_ = tallies_at_ + consumers * sizeof(tally);
        void* p = ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::runtime_error("mmap of the run's shared board failed");
        base_ = static_cast<std::byte*>(p);
        ::new (base_) process_board();
        for (unsigned i = 0; i < children; ++i) ::new (&usage(i)) process_board::child_usage();
        for (unsigned i = 0; i < consumers; ++i) ::new (&tally_of(i)) tally();
    }
    shared_board(const shared_board&) = delete;
    shared_board& operator=(const shared_board&) = delete;
    ~shared_board() { ::munmap(base_, bytes_); }

    process_board& board() noexcept { return *reinterpret_cast<process_board*>(base_); }
    process_board::child_usage& usage(unsigned i) noexcept {
        return std::launder(reinterpret_cast<process_board::child_usage*>(base_ + usage_at_))[i];
    }
    tally& tally_of(unsigned c) noexcept { return std::launder(reinterpret_cast<tally*>(base_ + tallies_at_))[c]; }

private:
    static std::size_t round_up(std::size_t n) noexcept { return (n + 63) / 64 * 64; }
    std::size_t usage_at_ = 0, tallies_at_ = 0;
    std::size_t bytes_ = 0;
    std::byte* base_ = nullptr;
};

/// Forks a child that runs f() and _exits (status 0 unless f throws); it
/// dies with its parent.
template <class F>
pid_t fork_child(F&& f) {
    std::fflush(nullptr);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(1);  // the parent died before the prctl
        int rc = 0;
        try {
            f();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "msgpool-bench: process %d: %s\n", static_cast<int>(::getpid()), e.what());
            rc = 1;
        }
        std::fflush(nullptr);
        ::_exit(rc);
    }
    return pid;
}

/// Waits for every pid; false if any did not exit with status 0.
inline bool reap(const std::vector<pid_t>& pids) {
    bool ok = true;
    for (const pid_t pid : pids) {
        int st = 0;
        while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
        }
        ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    return ok;
}

/// Nanoseconds process `pid` has run on a CPU (/proc/<pid>/schedstat).
inline double cpu_seconds_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/schedstat");
    unsigned long long ns = 0;
    in >> ns;
    return static_cast<double>(ns) * 1e-9;
}

}  // namespace detail

template <bench_queue Q>
run_measure run_processes(const run_config& config) {
    using Msg = typename Q::message_type;
    const unsigned producers = config.queue.producers, consumers = config.queue.consumers;
    const std::uint64_t messages = config.messages;

    Q queue(config.queue);  // creates the named structure
    detail::shared_board shared(producers + consumers, consumers);
    auto& board = shared.board();
    board.producers_left.store(producers, std::memory_order_relaxed);  // relaxed: before the forks, which order it
    auto wait_for_go = [&] {
        board.ready.fetch_add(1, std::memory_order_release);  // pairs with the parent's acquire load of ready
        // acquire: pairs with the parent's release store of go
        while (board.go.load(std::memory_order_acquire) == 0) std::this_thread::sleep_for(std::chrono::microseconds(50));
    };
    auto usage_since = [](const detail::usage& u0, detail::process_board::child_usage& out) {
        const auto u1 = detail::usage::now();
        out.cpu_seconds = u1.cpu_seconds - u0.cpu_seconds;
        out.switches = u1.switches - u0.switches;
    };

    std::vector<pid_t> pids;
    for (unsigned p = 0; p < producers; ++p)
        pids.push_back(detail::fork_child([&, p] {
            auto handle = queue.make_producer();
            wait_for_go();
            const auto u0 = detail::usage::now();
            const std::uint64_t n = detail::produce(queue, handle, p, config);
            // acq_rel, in this order: the last producer sees every producer's count.
            board.written.fetch_add(n, std::memory_order_acq_rel);
            if (board.producers_left.fetch_sub(1, std::memory_order_acq_rel) == 1)
                queue.close(handle, board.written.load(std::memory_order_acquire));
            usage_since(u0, shared.usage(p));
        }));
    for (unsigned c = 0; c < consumers; ++c)
        pids.push_back(detail::fork_child([&, c] {
            auto handle = queue.make_consumer();
            wait_for_go();
            const auto u0 = detail::usage::now();
            shared.tally_of(c) = detail::consume(queue, handle, config);
            usage_since(u0, shared.usage(producers + c));
        }));

    // acquire: pairs with each child's release fetch_add (its handle is open)
    while (board.ready.load(std::memory_order_acquire) < producers + consumers) std::this_thread::sleep_for(std::chrono::microseconds(50));
    const auto t0 = std::chrono::steady_clock::now();
    board.go.store(1, std::memory_order_release);  // pairs with the children's acquire loads
    const bool all_exited = detail::reap(pids);
    const auto t1 = std::chrono::steady_clock::now();

    run_measure r;
    r.seconds = std::chrono::duration<double>(t1 - t0).count();
    for (unsigned i = 0; i < producers + consumers; ++i) {
        r.cpu_seconds += shared.usage(i).cpu_seconds;
        r.context_switches += shared.usage(i).switches;
    }
    std::vector<detail::tally> tallies(consumers);
    for (unsigned c = 0; c < consumers; ++c) tallies[c] = shared.tally_of(c);
    r.failure = all_exited ? detail::check_exactly_once(messages, id_modulus<Msg>, tallies)
                           : "a producer or consumer process failed (see above)";
    r.exactly_once = r.failure.empty();
    return r;
}

template <bench_queue Q>
idle_measure run_idle_processes(const idle_config& config) {
    using Msg = typename Q::message_type;
    Q queue(config.queue);
    detail::shared_board shared(config.queue.consumers, config.queue.consumers);
    auto& board = shared.board();
    std::vector<pid_t> pids;
    for (unsigned c = 0; c < config.queue.consumers; ++c)
        pids.push_back(detail::fork_child([&] {
            auto handle = queue.make_consumer();
            board.ready.fetch_add(1, std::memory_order_release);  // pairs with the acquire load below
            Msg m{};
            while (queue.read(handle, m)) {
            }
        }));
    while (board.ready.load(std::memory_order_acquire) < config.queue.consumers) std::this_thread::sleep_for(std::chrono::microseconds(50));
    std::this_thread::sleep_for(config.settle);
    double cpu0 = 0, cpu1 = 0;
    for (const pid_t pid : pids) cpu0 += detail::cpu_seconds_of(pid);
    const auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(config.window);
    const auto t1 = std::chrono::steady_clock::now();
    for (const pid_t pid : pids) cpu1 += detail::cpu_seconds_of(pid);
    auto producer = queue.make_producer();
    queue.close(producer, 0);
    detail::reap(pids);

    idle_measure r;
    r.window_seconds = std::chrono::duration<double>(t1 - t0).count();
    r.cpu_seconds = cpu1 - cpu0;
    return r;
}

}  // namespace msgpool_bench
