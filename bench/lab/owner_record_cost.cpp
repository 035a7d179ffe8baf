// bench/lab/owner_record_cost.cpp - what crash recovery's owner records cost
// on the fast path: the same shared pool composition, once under the
// product's process-shared family (crash_recovering: every claim looks up
// this process's owner id and records it, cas_scan in its state byte,
// fetch_add_ring in the slot word it claims before the counter; waiters
// register by process, and every notify reads two waiter words) and once
// under the same family with those hooks taken away (the pool then compiles
// to the code it would have without owner records: cas_scan's plain state
// byte, the ring's one counter CAS), measured in one run, A, B, A, B...
// (docs/lab/2026-12-06-owner-record-cost.md and
// docs/lab/2026-12-07-ring-owner-records.md hold the figures).
//
//     cmake --build --preset release --target msgpool-lab-owner-record-cost
//     build/release/bench/msgpool-lab-owner-record-cost --reps 7
//
// Workload: P producer and C consumer *processes* (fork), each using the
// parent's handle (a fork child attaches under its own owner id on first
// use).  Producer p writes ids p, p + P, ... below N with blocking writes;
// the last producer closes the pool; consumers read until closed and empty.
// Every consumer sets the id's bit in a bitmap of its own (in an anonymous
// shared mapping, written only by that consumer), so the parent checks
// exactly-once by id afterwards: every id in exactly one bitmap, no consumer
// saw an id twice, nothing torn.
//
// Timing: wall time from the start flag to the last child reaped; CPU time
// is each child's getrusage(RUSAGE_SELF) user + sys from the start flag to
// its end, summed (attaching and waiting for the start are not counted).
// A watchdog thread kills every child by pid after --limit seconds; children
// also die with the parent (PR_SET_PDEATHSIG).  Each run's segment gets a
// name of its own and loses it right after creation (the children inherit
// the mapping), so no name outlives a run, whatever kills it.
//
// This is the lab, no part of the product: nothing here is installed or
// tested in CI; the target is built by default so that it keeps compiling.
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <msgpool/basic_pool.hpp>
#include <msgpool/basic_shared_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/sync/native.hpp>
#include <msgpool/sync/process_shared.hpp>
#include <msgpool/wait/futex.hpp>

#include "process_workload.hpp"

namespace lab {

// ------------------------------------------------------------------ the lab family

/// sync::shared<Barrier> without the crash-recovery hooks (owner_of,
/// enter_wait, leave_wait, long_wait, waiter_word): every other member
/// forwards to the product's family, so the two differ in exactly those.
/// Under it cas_scan's busy state is From + 1 with no lookup, and the event
/// count keeps one 32-bit waiter count.
template <class Barrier>
struct shared_without_owners {
    using product = msgpool::sync::shared<Barrier>;

    static constexpr bool process_shared = product::process_shared;
    static constexpr std::chrono::milliseconds longest_sleep = product::longest_sleep;
    using barrier = typename product::barrier;
    template <class U>
    using atomic = typename product::template atomic<U>;
    using mutex = typename product::mutex;
    using condition_variable = typename product::condition_variable;
    using clock = typename product::clock;
    using wait_word = typename product::wait_word;

    static void pause() noexcept { product::pause(); }
    static void yield() noexcept { product::yield(); }
    static void light_barrier() noexcept { product::light_barrier(); }
    static void heavy_barrier() noexcept { product::heavy_barrier(); }
    static void wait(wait_word& w, std::uint32_t expected) noexcept { product::wait(w, expected); }
    static bool wait_until(wait_word& w, std::uint32_t expected, clock::time_point deadline) noexcept {
        return product::wait_until(w, expected, deadline);
    }
    static void wake_one(wait_word& w) noexcept { product::wake_one(w); }
    static void wake_all(wait_word& w) noexcept { product::wake_all(w); }
};

using without_membarrier = shared_without_owners<msgpool::sync::global_membarrier>;
using without_fenced = shared_without_owners<msgpool::sync::fence_barrier>;

static_assert(msgpool::crash_recovering<msgpool::sync::shared_membarrier> &&
                  msgpool::crash_recovering<msgpool::sync::shared_fenced>,
              "the product's process-shared families record owners: that is what is measured");
static_assert(!msgpool::crash_recovering<without_membarrier> && !msgpool::crash_recovering<without_fenced>,
              "the lab family must not record owners, or both columns measure the same code");
static_assert(msgpool::sync_family<without_membarrier> && msgpool::process_shared_v<without_membarrier> &&
                  msgpool::bounded_sleeps<without_membarrier>,
              "apart from owner records the lab family is the product's: process-shared, bounded sleeps");

// ------------------------------------------------------------------ messages

/// `Words` 64-bit words: the id, and copies of it so a torn message shows.
template <std::size_t Words>
struct message {
    std::uint64_t word[Words];
    static message of(std::uint64_t id) noexcept {
        message m;
        for (auto& w : m.word) w = id;
        return m;
    }
    std::uint64_t id() const noexcept { return word[0]; }
    bool whole() const noexcept { return word[Words - 1] == word[0]; }
};
using msg8 = message<1>;
using msg64 = message<8>;
static_assert(sizeof(msg8) == 8 && sizeof(msg64) == 64);

// ------------------------------------------------------------------ compositions

template <class Claim, class Msg, class Storage, class Sync>
using shared_composition = msgpool::basic_shared_pool<Msg, Claim, msgpool::wait::futex, Storage, Sync>;
template <class Claim, class Msg>
using thread_composition = msgpool::basic_pool<Msg, Claim, msgpool::wait::futex, msgpool::storage::inline_slots>;

// ------------------------------------------------------------------ the board

/// What a run's processes share besides the pool: an anonymous MAP_SHARED
/// mapping made before the forks.  Consumer c's bitmap is written by c only.
class board {
public:
    struct alignas(64) child {
        std::uint64_t cpu_ns = 0;
        std::uint64_t count = 0;       // consumers: messages read
        std::uint64_t duplicates = 0;  // consumers: an id this consumer had seen already
        std::uint64_t torn = 0;        // consumers: a message whose copies differ, or an id >= N
    };
    struct alignas(64) flags {
        std::atomic<unsigned> ready{0};
        std::atomic<unsigned> go{0};
        std::atomic<unsigned> producers_left{0};
    };

    board(unsigned children, unsigned consumers, std::uint64_t n)
        : children_(children), words_((n + 63) / 64) {
        children_at_ = 64;
        bitmaps_at_ = children_at_ + children * sizeof(child);
        bitmaps_at_ = (bitmaps_at_ + 4095) / 4096 * 4096;
        bytes_ = bitmaps_at_ + consumers * words_ * 8;
        void* p = ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::runtime_error("mmap of the board failed");
        base_ = static_cast<std::byte*>(p);
        ::new (base_) flags();
        for (unsigned i = 0; i < children; ++i) ::new (&of(i)) child();
    }
    board(const board&) = delete;
    board& operator=(const board&) = delete;
    ~board() { ::munmap(base_, bytes_); }

    flags& f() noexcept { return *std::launder(reinterpret_cast<flags*>(base_)); }
    child& of(unsigned i) noexcept { return std::launder(reinterpret_cast<child*>(base_ + children_at_))[i]; }
    std::uint64_t* bitmap(unsigned c) noexcept {
        return reinterpret_cast<std::uint64_t*>(base_ + bitmaps_at_) + std::size_t{c} * words_;
    }
    std::size_t words() const noexcept { return words_; }

    /// A child's (or thread's) side of the start: ready, then wait for go.
    void ready_then_wait() noexcept {
        f().ready.fetch_add(1, std::memory_order_release);  // pairs with start()'s acquire load of ready
        // acquire: pairs with start()'s release store of go
        while (f().go.load(std::memory_order_acquire) == 0) std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    /// The run's side: once every child is ready, go; returns the start time.
    std::chrono::steady_clock::time_point start() noexcept {
        // acquire: pairs with each child's release fetch_add in ready_then_wait
        while (f().ready.load(std::memory_order_acquire) < children_)
            std::this_thread::sleep_for(std::chrono::microseconds(50));
        const auto t0 = std::chrono::steady_clock::now();
        f().go.store(1, std::memory_order_release);  // pairs with ready_then_wait's acquire loads
        return t0;
    }

private:
    unsigned children_;
    std::size_t words_;
    std::size_t children_at_ = 0, bitmaps_at_ = 0, bytes_ = 0;
    std::byte* base_ = nullptr;
};

/// User + sys nanoseconds of this process (RUSAGE_SELF) or thread (RUSAGE_THREAD).
std::uint64_t cpu_ns(int who) noexcept {
    rusage u{};
    ::getrusage(who, &u);
    const auto ns = [](const timeval& t) {
        return static_cast<std::uint64_t>(t.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(t.tv_usec) * 1000u;
    };
    return ns(u.ru_utime) + ns(u.ru_stime);
}

/// One consumer's loop, threads or processes: read until closed and empty.
template <class Pool, class Msg>
void consume(Pool& pool, board::child& me, std::uint64_t* bits, std::uint64_t n) {
    Msg m{};
    std::uint64_t count = 0, dup = 0, torn = 0;
    while (pool.read(m)) {
        const std::uint64_t id = m.id();
        if (id >= n || !m.whole()) {
            ++torn;
            continue;
        }
        const std::uint64_t bit = std::uint64_t{1} << (id % 64);
        dup += (bits[id / 64] & bit) != 0;
        bits[id / 64] |= bit;
        ++count;
    }
    me.count = count;
    me.duplicates = dup;
    me.torn = torn;
}

/// Producer p of P, from the start: ids p, p + P, ... below n; the last
/// producer closes the pool.  `who`: the CPU clock (RUSAGE_SELF, RUSAGE_THREAD).
template <class Pool, class Msg>
void produce(Pool& pool, board& b, unsigned p, unsigned producers, std::uint64_t n, int who) {
    b.ready_then_wait();
    const std::uint64_t t0 = cpu_ns(who);
    for (std::uint64_t id = p; id < n; id += producers) pool.write(Msg::of(id));
    // acq_rel: pairs with the other producers' fetch_sub (release), so the last producer's
    // close follows every producer's writes.
    if (b.f().producers_left.fetch_sub(1, std::memory_order_acq_rel) == 1) pool.close();
    b.of(p).cpu_ns = cpu_ns(who) - t0;
}

/// Consumer c, from the start (its bitmap faulted in before).
template <class Pool, class Msg>
void consume_from_start(Pool& pool, board& b, unsigned c, unsigned producers, std::uint64_t n, int who) {
    std::uint64_t* bits = b.bitmap(c);
    std::memset(bits, 0, b.words() * 8);  // faults the bitmap's pages in before the start
    b.ready_then_wait();
    const std::uint64_t t0 = cpu_ns(who);
    consume<Pool, Msg>(pool, b.of(producers + c), bits, n);
    b.of(producers + c).cpu_ns = cpu_ns(who) - t0;
}

/// Every id below n in exactly one consumer's bitmap; empty if so.
std::string check_exactly_once(board& b, unsigned producers, unsigned consumers, std::uint64_t n) {
    std::uint64_t count = 0;
    for (unsigned c = 0; c < consumers; ++c) {
        const auto& k = b.of(producers + c);
        if (k.duplicates != 0) return "consumer " + std::to_string(c) + " read an id twice";
        if (k.torn != 0) return "consumer " + std::to_string(c) + " read a torn message or a wrong id";
        count += k.count;
    }
    if (count != n) return "read " + std::to_string(count) + " messages of " + std::to_string(n);
    for (std::size_t w = 0; w < b.words(); ++w) {
        std::uint64_t seen = 0;
        for (unsigned c = 0; c < consumers; ++c) {
            const std::uint64_t x = b.bitmap(c)[w];
            if ((seen & x) != 0) return "an id near " + std::to_string(w * 64) + " was read by two consumers";
            seen |= x;
        }
        const std::uint64_t want = w + 1 < b.words() || n % 64 == 0 ? ~std::uint64_t{0}
                                                                   : (std::uint64_t{1} << (n % 64)) - 1;
        if (seen != want) return "an id near " + std::to_string(w * 64) + " was never read";
    }
    return {};
}

struct measure {
    double seconds = 0;
    double cpu_seconds = 0;
    std::string failure;  // empty: every id exactly once, in time
};

/// Kills the given pids (SIGKILL) unless disarmed within `limit`.
class watchdog {
public:
    watchdog(std::vector<pid_t> pids, std::chrono::seconds limit)
        : pids_(std::move(pids)), thread_([this, limit] {
              std::unique_lock<std::mutex> lock(mutex_);
              if (cv_.wait_for(lock, limit, [this] { return done_; })) return;
              fired_ = true;
              for (const pid_t p : pids_) ::kill(p, SIGKILL);
          }) {}
    ~watchdog() { disarm(); }
    void disarm() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            done_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable()) thread_.join();
    }
    bool fired() const noexcept { return fired_; }

private:
    std::vector<pid_t> pids_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool done_ = false;
    bool fired_ = false;
    std::thread thread_;
};

/// A fork child attaches to the pool's table on its first claim (the
/// owner_of lookup's slow path): a try_read of the still empty pool does it
/// before the start, so the run measures the steady state.
template <class Pool>
void attach_now(Pool& pool) {
    typename Pool::value_type m{};
    if (pool.try_read(m)) throw std::logic_error("the pool was not empty before the start");
}

struct cell {
    unsigned producers, consumers;
    std::size_t capacity;
    std::uint64_t messages;
};

/// One run of `cell` on a fresh segment of composition Shared, in processes.
template <class Shared, class Msg>
measure run_processes(const cell& k, std::chrono::seconds limit) {
    static std::atomic<unsigned> serial{0};
    // relaxed: a counter for unique names, one thread
    const std::string name = "/msgpool-lab-orc-" + std::to_string(::getpid()) + "-" +
                             std::to_string(serial.fetch_add(1, std::memory_order_relaxed));
    auto pool = Shared::create(name, k.capacity);
    Shared::remove(name);  // the name goes now: the children inherit the mapping, and nothing named outlives the run

    const unsigned P = k.producers, C = k.consumers;
    const std::uint64_t n = k.messages;
    board b(P + C, C, n);
    b.f().producers_left.store(P, std::memory_order_relaxed);  // relaxed: before the forks, which order it
    using pool_type = typename Shared::pool_type;
    pool_type& pl = *pool;

    // The bench's fork (process_workload.hpp): the child dies with this process.
    using msgpool_bench::detail::fork_child;
    std::vector<pid_t> pids;
    for (unsigned p = 0; p < P; ++p)
        pids.push_back(fork_child([&, p] {
            attach_now(pl);
            produce<pool_type, Msg>(pl, b, p, P, n, RUSAGE_SELF);
        }));
    for (unsigned c = 0; c < C; ++c)
        pids.push_back(fork_child([&, c] {
            attach_now(pl);
            consume_from_start<pool_type, Msg>(pl, b, c, P, n, RUSAGE_SELF);
        }));

    watchdog dog(pids, limit);
    const auto t0 = b.start();
    bool exited = true;
    for (const pid_t pid : pids) {
        int st = 0;
        while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
        }
        exited &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    const auto t1 = std::chrono::steady_clock::now();
    dog.disarm();

    measure r;
    r.seconds = std::chrono::duration<double>(t1 - t0).count();
    for (unsigned i = 0; i < P + C; ++i) r.cpu_seconds += static_cast<double>(b.of(i).cpu_ns) * 1e-9;
    if (dog.fired())
        r.failure = "hung: killed after " + std::to_string(limit.count()) + " s";
    else if (!exited)
        r.failure = "a child failed";
    else
        r.failure = check_exactly_once(b, P, C, n);
    return r;
}

/// The same workload with threads in this process (basic_pool, sync::native)
/// for scale.  CPU time is each thread's RUSAGE_THREAD from the start.
template <class Claim, class Msg>
measure run_threads(const cell& k, std::chrono::seconds limit) {
    const unsigned P = k.producers, C = k.consumers;
    const std::uint64_t n = k.messages;
    thread_composition<Claim, Msg> pool(k.capacity);
    board b(P + C, C, n);
    b.f().producers_left.store(P, std::memory_order_relaxed);  // relaxed: before the threads start, which orders it
    using pool_type = thread_composition<Claim, Msg>;
    std::vector<std::thread> threads;
    for (unsigned p = 0; p < P; ++p)
        threads.emplace_back([&, p] { produce<pool_type, Msg>(pool, b, p, P, n, RUSAGE_THREAD); });
    for (unsigned c = 0; c < C; ++c)
        threads.emplace_back([&, c] { consume_from_start<pool_type, Msg>(pool, b, c, P, n, RUSAGE_THREAD); });
    // A thread cannot be killed: a hung run ends the program, saying so.
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    std::thread dog([&] {
        std::unique_lock<std::mutex> lock(m);
        if (!cv.wait_for(lock, limit, [&] { return done; })) {
            std::fprintf(stderr, "owner-record-cost: threads run hung for %lld s; giving up\n",
                         static_cast<long long>(limit.count()));
            std::_Exit(3);
        }
    });
    const auto t0 = b.start();
    for (auto& t : threads) t.join();
    const auto t1 = std::chrono::steady_clock::now();
    {
        std::lock_guard<std::mutex> lock(m);
        done = true;
    }
    cv.notify_all();
    dog.join();
    measure r;
    r.seconds = std::chrono::duration<double>(t1 - t0).count();
    for (unsigned i = 0; i < P + C; ++i) r.cpu_seconds += static_cast<double>(b.of(i).cpu_ns) * 1e-9;
    r.failure = check_exactly_once(b, P, C, n);
    return r;
}

// ------------------------------------------------------------------ the matrix

using runner = measure (*)(const cell&, std::chrono::seconds);

/// One composition (storage, message size, barrier) under both families.
struct composition {
    std::string_view claim;
    std::string_view storage;
    std::size_t size;
    std::string_view barrier;
    runner with;     // the product's family: owner records
    runner without;  // the lab family: none
    runner threads;  // the in-process row, or nullptr
};

template <class Claim, class Storage, class Msg, class Product, class Lab>
composition make(std::string_view storage, std::string_view barrier, bool threads_row) {
    return {Claim::name,
            storage,
            sizeof(Msg),
            barrier,
            &run_processes<shared_composition<Claim, Msg, Storage, Product>, Msg>,
            &run_processes<shared_composition<Claim, Msg, Storage, Lab>, Msg>,
            threads_row ? &run_threads<Claim, Msg> : nullptr};
}

template <class Claim>
void add_compositions(std::vector<composition>& out) {
    namespace st = msgpool::storage;
    namespace sy = msgpool::sync;
    out.push_back(make<Claim, st::inline_slots, msg8, sy::shared_membarrier, without_membarrier>("inline", "membarrier", true));
    out.push_back(make<Claim, st::inline_slots, msg64, sy::shared_membarrier, without_membarrier>("inline", "membarrier", true));
    out.push_back(make<Claim, st::aligned_slots, msg8, sy::shared_membarrier, without_membarrier>("aligned", "membarrier", false));
    out.push_back(make<Claim, st::aligned_slots, msg64, sy::shared_membarrier, without_membarrier>("aligned", "membarrier", false));
    out.push_back(make<Claim, st::inline_slots, msg8, sy::shared_fenced, without_fenced>("inline", "fence", false));
    out.push_back(make<Claim, st::inline_slots, msg64, sy::shared_fenced, without_fenced>("inline", "fence", false));
}

std::vector<composition> all_compositions() {
    std::vector<composition> out;
    add_compositions<msgpool::claim::cas_scan>(out);
    add_compositions<msgpool::claim::fetch_add_ring>(out);
    return out;
}

struct summary {
    double median = 0, min = 0, max = 0;
};
summary summarise(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    summary s;
    s.min = v.front();
    s.max = v.back();
    const std::size_t h = v.size() / 2;
    s.median = v.size() % 2 != 0 ? v[h] : (v[h - 1] + v[h]) / 2;
    return s;
}

/// "within" when each median lies in the other's min..max; "slower" or
/// "faster" (for the owner records) when both lie outside; else "edge".
std::string_view verdict(const summary& with, const summary& without, bool higher_is_better) {
    const bool a_in = with.median >= without.min && with.median <= without.max;
    const bool b_in = without.median >= with.min && without.median <= with.max;
    if (a_in && b_in) return "within";
    if (a_in || b_in) return "edge";
    return (with.median < without.median) == higher_is_better ? "slower" : "faster";
}

struct options {
    unsigned reps = 7;
    std::vector<std::pair<unsigned, unsigned>> shapes{{1, 1}, {2, 2}, {4, 4}};
    std::vector<std::size_t> capacities{1024, 16};
    std::vector<std::string> claims{"cas_scan", "fetch_add_ring"};
    std::vector<std::size_t> sizes{8, 64};
    std::vector<std::string> storages{"inline", "aligned"};
    std::vector<std::string> barriers{"membarrier"};
    std::uint64_t messages = 2'000'000;        // per run
    std::uint64_t messages_small = 2'000'000;  // per run at a capacity below 64 (mostly sleeping: slower)
    std::string family = "both";              // with, without, both (a single family: for perf)
    bool threads = true;
    std::chrono::seconds limit{60};
    std::string raw;  // a file for every run's figures
    // Which family runs first in each repetition's pair: "with" (A, B, A, B ...),
    // "without" (B, A, B, A ...) or "alternate" (A, B, B, A, A, B ...), to
    // tell a cost from an advantage of running first.
    std::string order = "with";
};

template <class T, class F>
std::vector<T> split(std::string_view s, F parse) {
    std::vector<T> out;
    while (!s.empty()) {
        const std::size_t comma = s.find(',');
        out.push_back(parse(std::string(s.substr(0, comma))));
        s = comma == std::string_view::npos ? std::string_view{} : s.substr(comma + 1);
    }
    return out;
}

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr,
                 "owner-record-cost: %s\n"
                 "usage: msgpool-lab-owner-record-cost [--reps R] [--shapes 1x1,2x2,4x4] [--capacities 1024,16]\n"
                 "       [--claims cas_scan,fetch_add_ring] [--sizes 8,64] [--storages inline,aligned]\n"
                 "       [--barriers membarrier,fence]\n"
                 "       [--messages N] [--messages-small N (capacity < 64)] [--family both|with|without]\n"
                 "       [--order with|without|alternate] [--no-threads] [--limit SECONDS] [--raw FILE]\n",
                 why);
    std::exit(2);
}

options parse(int argc, char** argv) {
    options o;
    const auto num = [](const std::string& s) { return static_cast<std::uint64_t>(std::stoull(s)); };
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage("an option lacks its value");
            return argv[++i];
        };
        try {
            if (a == "--reps") o.reps = static_cast<unsigned>(num(value()));
            else if (a == "--shapes")
                o.shapes = split<std::pair<unsigned, unsigned>>(value(), [](const std::string& s) {
                    const std::size_t x = s.find('x');
                    if (x == std::string::npos) throw std::invalid_argument(s);
                    return std::pair<unsigned, unsigned>(std::stoul(s.substr(0, x)), std::stoul(s.substr(x + 1)));
                });
            else if (a == "--capacities") o.capacities = split<std::size_t>(value(), num);
            else if (a == "--sizes") o.sizes = split<std::size_t>(value(), num);
            else if (a == "--claims") o.claims = split<std::string>(value(), [](std::string s) { return s; });
            else if (a == "--storages") o.storages = split<std::string>(value(), [](std::string s) { return s; });
            else if (a == "--barriers") o.barriers = split<std::string>(value(), [](std::string s) { return s; });
            else if (a == "--messages") o.messages = num(value());
            else if (a == "--messages-small") o.messages_small = num(value());
            else if (a == "--family") o.family = value();
            else if (a == "--no-threads") o.threads = false;
            else if (a == "--limit") o.limit = std::chrono::seconds(num(value()));
            else if (a == "--raw") o.raw = value();
            else if (a == "--order") o.order = value();
            else usage("unknown option");
        } catch (const std::logic_error&) {
            usage("a value does not parse");
        }
    }
    if (o.reps == 0 || (o.family != "both" && o.family != "with" && o.family != "without"))
        usage("bad --reps or --family");
    if (o.order != "with" && o.order != "without" && o.order != "alternate") usage("bad --order");
    return o;
}

template <class V, class T>
bool has(const V& v, const T& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

int run_all(int argc, char** argv) {
    const options o = parse(argc, argv);
    std::FILE* raw = o.raw.empty() ? nullptr : std::fopen(o.raw.c_str(), "w");
    if (raw != nullptr) std::fprintf(raw, "claim,shape,capacity,size,storage,barrier,family,rep,seconds,cpu_seconds,messages\n");
    std::printf("owner record cost: futex, shared pool in processes; %u reps each, interleaved "
                "with, without%s\n\n",
                o.reps, o.threads ? ", threads" : "");
    std::printf("| claim | shape | cap | size | storage | barrier | with: M msg/s | without: M msg/s | with/without | "
                "thr | with: ns CPU/msg | without: ns CPU/msg | with/without | cpu | paired thr ratio, reps slower | "
                "paired CPU ratio, reps slower | threads: M msg/s, ns CPU/msg |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    std::fflush(stdout);
    bool failed = false;
    for (const composition& comp : all_compositions()) {
        if (!has(o.claims, std::string(comp.claim)) || !has(o.storages, std::string(comp.storage)) ||
            !has(o.sizes, comp.size) ||
            !has(o.barriers, std::string(comp.barrier)))
            continue;
        for (const auto& [producers, consumers] : o.shapes)
            for (const std::size_t capacity : o.capacities) {
                const cell k{producers, consumers, capacity, capacity < 64 ? o.messages_small : o.messages};
                const std::string shape = std::to_string(producers) + "x" + std::to_string(consumers);
                std::vector<double> thr[3], cpu[3];
                const bool threads = o.threads && comp.threads != nullptr && o.family == "both";
                for (unsigned rep = 0; rep < o.reps; ++rep)
                    for (int slot = 0; slot < 3; ++slot) {  // A, B (, threads), A, B ... (--order)
                        const bool swap = o.order == "without" || (o.order == "alternate" && rep % 2 == 1);
                        const int fam = slot == 2 || !swap ? slot : 1 - slot;
                        if (fam == 0 && o.family == "without") continue;
                        if (fam == 1 && o.family == "with") continue;
                        if (fam == 2 && !threads) continue;
                        const runner run = fam == 0 ? comp.with : fam == 1 ? comp.without : comp.threads;
                        measure m;
                        try {
                            m = run(k, o.limit);
                        } catch (const std::exception& e) {
                            m.failure = e.what();
                        }
                        static const char* const names[] = {"with", "without", "threads"};
                        if (!m.failure.empty()) {
                            std::fprintf(stderr, "owner-record-cost: FAILED %s %s cap %zu size %zu %s %s (%s): %s\n",
                                         std::string(comp.claim).c_str(), shape.c_str(), capacity, comp.size, std::string(comp.storage).c_str(),
                                         std::string(comp.barrier).c_str(), names[fam], m.failure.c_str());
                            failed = true;
                            continue;
                        }
                        if (raw != nullptr)
                            std::fprintf(raw, "%s,%s,%zu,%zu,%s,%s,%s,%u,%.6f,%.6f,%llu\n",
                                         std::string(comp.claim).c_str(), shape.c_str(), capacity,
                                         comp.size, std::string(comp.storage).c_str(),
                                         std::string(comp.barrier).c_str(), names[fam], rep, m.seconds,
                                         m.cpu_seconds, static_cast<unsigned long long>(k.messages));
                        thr[fam].push_back(static_cast<double>(k.messages) / m.seconds * 1e-6);
                        cpu[fam].push_back(m.cpu_seconds / static_cast<double>(k.messages) * 1e9);
                    }
                const auto col = [](const std::vector<double>& v, const char* fmt) {
                    if (v.empty()) return std::string("-");
                    const summary s = summarise(v);
                    char buf[96];
                    std::snprintf(buf, sizeof buf, fmt, s.median, s.min, s.max);
                    return std::string(buf);
                };
                const auto ratio = [](const std::vector<double>& a, const std::vector<double>& b) {
                    if (a.empty() || b.empty()) return std::string("-");
                    char buf[32];
                    std::snprintf(buf, sizeof buf, "%.3f", summarise(a).median / summarise(b).median);
                    return std::string(buf);
                };
                const bool both = !thr[0].empty() && !thr[1].empty();
                // Each repetition's with/without ratio (the pair ran back to back), so
                // drift of the machine between repetitions cancels.
                const auto paired = [&](const std::vector<double>* v) {
                    if (!both || v[0].size() != v[1].size()) return std::string("-");
                    std::vector<double> r;
                    for (std::size_t i = 0; i < v[0].size(); ++i) r.push_back(v[0][i] / v[1][i]);
                    std::size_t slower = 0;
                    for (const double x : r) slower += v == thr ? x < 1 : x > 1;
                    const summary s = summarise(r);
                    char buf[96];
                    std::snprintf(buf, sizeof buf, "%.3f [%.3f..%.3f] %zu/%zu", s.median, s.min, s.max, slower,
                                  r.size());
                    return std::string(buf);
                };
                const std::string threads_col =
                    thr[2].empty() ? "-" : col(thr[2], "%.2f") + ", " + col(cpu[2], "%.0f");
                std::printf("| %s | %s | %zu | %zu | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                            std::string(comp.claim).c_str(), shape.c_str(), capacity, comp.size, std::string(comp.storage).c_str(),
                            std::string(comp.barrier).c_str(), col(thr[0], "%.2f [%.2f..%.2f]").c_str(),
                            col(thr[1], "%.2f [%.2f..%.2f]").c_str(), ratio(thr[0], thr[1]).c_str(),
                            both ? std::string(verdict(summarise(thr[0]), summarise(thr[1]), true)).c_str() : "-",
                            col(cpu[0], "%.0f [%.0f..%.0f]").c_str(), col(cpu[1], "%.0f [%.0f..%.0f]").c_str(),
                            ratio(cpu[0], cpu[1]).c_str(),
                            both ? std::string(verdict(summarise(cpu[0]), summarise(cpu[1]), false)).c_str() : "-",
                            paired(thr).c_str(), paired(cpu).c_str(), threads_col.c_str());
                std::fflush(stdout);
            }
    }
    if (raw != nullptr) std::fclose(raw);
    std::printf("\nthr, cpu: \"within\" when each family's median lies in the other's min..max; \"slower\"/\"faster\" "
                "(owner records) when neither does; \"edge\" otherwise.  paired: the median [min..max] of each "
                "repetition's with/without ratio, and in how many repetitions the owner records were slower.\n");
    return failed ? 1 : 0;
}

}  // namespace lab

int main(int argc, char** argv) { return lab::run_all(argc, argv); }
