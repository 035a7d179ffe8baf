// tests/dsched/scheduler.hpp - a seeded deterministic scheduler for the tests.
//
// What it is (folly's DeterministicSchedule, loom's idea of swapping every
// primitive at once): the threads of a scenario run as fibers on the calling
// OS thread, strictly one at a time.  Every operation of the sync family in
// sync_family.hpp (each atomic operation, mutex, condition variable, futex
// wait/wake, pause, yield, barrier) first calls point(), where the scheduler
// picks, from a seeded random number generator, which thread executes the
// next operation.  A run is a pure function of its seed: a failing seed
// replays exactly (MSGPOOL_DSCHED_SEED=..., see driver.hpp).
//
// What it explores: the interleavings of x86-TSO (Sewell, Sarkar, Owens,
// Zappa Nardelli, Myreen, "x86-TSO", CACM 2010), or sequentially consistent
// interleavings only (config::model, memory_model::sc).  Under TSO every
// scheduled thread has a FIFO store buffer:
//  * a store that is not seq_cst (release or relaxed: a plain MOV on x86)
//    goes into the storing thread's buffer, not into memory;
//  * a load reads the newest entry for its location in the loading thread's
//    own buffer (store forwarding), else memory;
//  * a locked instruction (every RMW: fetch_*, exchange, compare_exchange,
//    successful or not), a seq_cst store (XCHG), a seq_cst fence (MFENCE), a
//    mutex or condition-variable operation, a futex call, sched_yield and
//    blocking first drain the thread's own buffer into memory, oldest first;
//  * a membarrier (the sync family's heavy barrier) drains at one instant
//    the buffer of every thread of the caller's process (PRIVATE_EXPEDITED),
//    or of every thread of every process (GLOBAL_EXPEDITED); a compiler
//    barrier drains nothing;
//  * at every scheduling point the scheduler may drain the oldest entry of a
//    random thread's buffer ("this store becomes visible now"), with odds
//    drawn per seed, so that a store stays buffered for a few steps in some
//    seeds and for dozens in others: every TSO outcome of a small program is
//    reachable, and a spinning reader still sees every store eventually.
// A thread that finishes has drained (a context switch serialises), so every
// store is in memory when run() returns.  Under SC every store goes to memory
// at once and every load reads the latest store.
//
// What it does not explore: reorderings weaker than TSO (loads passing loads,
// stores passing stores, as on ARM or in the C++ model's relaxed atomics),
// nor the compiler's reorderings.  For those it uses the memory orders in a
// different way: a vector-clock happens-before check of the element data
// (checked.hpp), so a publish that is relaxed where it must be release is
// reported as a data race on the element even though the interleaving
// "worked" (docs/testing.md).
//
// Strategies, chosen per seed (config::from_seed):
//  * random: at every point, a uniformly random runnable thread runs next;
//  * pct: PCT (Burckhardt et al., ASPLOS 2010): random distinct thread
//    priorities, the highest runnable thread runs, and at d-1 random steps the
//    running thread drops below all others.  pause() and yield() also drop the
//    caller to the bottom, so a spinning thread cannot starve the thread it
//    waits for (a plain PCT schedule would livelock on every spin wait).
//
// Processes: every scheduled thread belongs to a process, a number that run()
// takes per thread (all threads in process 0 unless a scenario places them).
// All threads share one memory whatever their process (the pool's memory is
// mapped by every process, and an address-free atomic behaves the same
// through every mapping); the process decides only which store buffers a
// private membarrier drains (drain_process).  That is the one difference
// between threads and processes the lost-wake-up argument depends on.
//
// Processes that die or stop.  A scenario can end a process for ever, all
// its threads at once: kill_at(p, k) and stop_at(p, k) just before the kth
// scheduling point its threads reach, kill_process(p) now (another thread's
// kill(2), at a point of the schedule's choosing, or the main thread between
// runs).  Its threads are never scheduled again, and their store buffers
// drain at that instant (a thread taken off its core passes a serialising
// event, so on hardware its retired stores become visible; see
// docs/testing.md, "Crash recovery").  A *killed* process is dead:
// proven_dead(p) says so, and its caller acquires everything the dead
// process's threads did (the kernel's full barrier at their exit comes
// before anything can observe the death).  A *stopped* process is alive for
// ever (SIGSTOP never continued): proven_dead says no, and nothing of it is
// acquired by anyone.  watch(cond) blocks a thread until `cond` holds,
// re-checking whenever a thread blocks, finishes, dies or stops.
//
// Time is virtual (dsched::clock): every scheduling point advances it by one
// tick (1 ns), and when every thread is blocked and some wait has a deadline,
// time jumps to the earliest deadline.  Timeouts are therefore deterministic.
//
// A run ends with one verdict: ok; failed (a check in the scenario called
// fail()); deadlock (every unfinished thread blocked and no deadline to wait
// for: this is what a lost wake-up looks like); livelock (more than
// max_steps scheduling points: a spinning thread waiting for something that
// never happens).  Spurious wake-ups of futex and condition-variable waits and
// spurious failures of compare_exchange_weak are injected in half of the seeds
// (the contracts allow them), never when they would hide a deadlock.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace msgpool_test::dsched {

/// Thread 0 is the main (unscheduled) thread; scheduled threads are 1..max_threads-1.
inline constexpr std::size_t max_threads = 8;
/// Process numbers a run may give its threads: 0..max_processes-1.
inline constexpr std::size_t max_processes = 8;

/// A vector clock: component t counts thread t's release events.
using vclock = std::array<std::uint32_t, max_threads>;

enum class strategy : std::uint8_t { random, pct };
/// Which executions a run may produce (see the preamble).
enum class memory_model : std::uint8_t { sc, tso };
enum class verdict : std::uint8_t { ok, failed, deadlock, livelock };
const char* to_string(verdict) noexcept;
const char* to_string(strategy) noexcept;
const char* to_string(memory_model) noexcept;

/// What the trace says a thread did at a scheduling point.
enum class op : std::uint8_t {
    load, store, exchange, cas, rmw,           // atomics
    lock, unlock, try_lock,                    // mutex
    cv_wait, cv_notify,                        // condition variable
    futex_wait, futex_wake,                    // wait_word
    pause, yield,                              // spin hints
    compiler_barrier, fence, membarrier,       // barriers (sync_family.hpp)
    drain,                                     // a buffered store reaches memory (TSO)
    user,                                      // a scenario's own mark
    kill,                                      // a thread kills a process (kill_process)
    killed, stopped,                           // a process dies / stops before this point
    liveness,                                  // proven_dead: a look at another process
    watch                                      // watch: waits for a process to change
};

/// Why a blocked thread runs again.
enum class wake_reason : std::uint8_t { notified, timeout, spurious };

struct config {
    std::uint64_t seed = 0;
    strategy strat = strategy::random;
    unsigned pct_depth = 3;           // d: d-1 priority change points
    std::size_t pct_horizon = 400;    // change points are drawn from steps [1, horizon]
    std::size_t max_steps = 50'000;   // more scheduling points than this: livelock
    bool spurious = false;            // inject spurious wake-ups and weak-CAS failures
    std::size_t trace_keep = 48;      // scheduling decisions kept for the report
    memory_model model = memory_model::tso;
    unsigned drain_odds = 4;          // TSO: at each point a buffered store drains with odds 1 in this


    /// The whole configuration of a run, derived from its seed alone (so that
    /// MSGPOOL_DSCHED_SEED replays exactly): odd seeds use PCT with depth
    /// 1..3, even seeds uniform random; spurious wake-ups in half of each;
    /// TSO with drain odds 1 in 2, 4, 8 or 16 (a hash of the seed).
    static config from_seed(std::uint64_t seed, std::size_t pct_horizon, std::size_t max_steps);
    std::string describe() const;
};

struct result {
    verdict kind = verdict::ok;
    std::string message;  // the first failure, or the deadlock / livelock report
    std::string trace;    // the last trace_keep scheduling decisions
    std::size_t steps = 0;
    std::uint64_t trace_hash = 0;  // hash of every decision: equal for equal runs
    bool ok() const noexcept { return kind == verdict::ok; }
};

/// One store waiting in a thread's store buffer (TSO).  `commit` writes it
/// into its location: the value, and the clock an acquire of that value
/// synchronises with (sync_family.hpp says which clock that is).
struct buffered_store {
    static constexpr std::size_t max_bytes = 16;
    void* obj = nullptr;
    void (*commit)(const buffered_store&) noexcept = nullptr;
    alignas(max_bytes) unsigned char bytes[max_bytes]{};
    vclock clk{};
    bool release = false;
};

/// splitmix64: small, fast, and good enough to drive schedules.
struct rng {
    std::uint64_t state;
    std::uint64_t next() noexcept {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    std::uint64_t below(std::uint64_t n) noexcept { return n == 0 ? 0 : next() % n; }
};

class scheduler {
public:
    scheduler();
    ~scheduler();
    scheduler(const scheduler&) = delete;
    scheduler& operator=(const scheduler&) = delete;

    /// The scheduler between begin() and finish() on this OS thread, or null.
    static scheduler* active() noexcept;

    // ------------------------------------------------------------ one seed
    /// Starts a seed: resets threads, clocks, virtual time and the trace.  The
    /// scenario then sets up on the main thread and calls run() once per phase.
    void begin(const config& cfg);
    /// Runs `bodies` as threads 1..n until all have finished (true) or the run
    /// is aborted by a deadlock or livelock (false: do not touch the objects
    /// the threads were using any more; they are stopped mid-operation).
    /// `processes[i]` is the process thread i+1 belongs to (see the preamble);
    /// empty: every thread in process 0.
    bool run(std::vector<std::function<void()>> bodies, std::vector<unsigned> processes = {});
    /// Ends the seed and returns its verdict.
    result finish();

    // ------------------------------------------------------------ for the sync family
    /// A scheduling point before `o` on `obj`: may switch to another thread.
    /// A no-op on the main thread and outside run().
    void point(op o, const void* obj) noexcept;
    /// Blocks the running thread on `obj` (after the caller's own point())
    /// until wake(obj) picks it, its deadline (virtual ns) passes, or a
    /// spurious wake-up.  Must not be called on the main thread.
    wake_reason block(const void* obj, op o, const std::int64_t* deadline) noexcept;
    /// Makes up to `n` threads blocked on `obj` runnable (which ones: seeded);
    /// returns how many.
    std::size_t wake(const void* obj, std::size_t n) noexcept;
    /// Virtual time in ns.
    std::int64_t now() const noexcept { return now_; }
    /// 0 on the main thread, else the scheduled thread's number.
    unsigned self() const noexcept { return running_ ? cur_ : 0; }
    bool in_thread() const noexcept { return running_ && cur_ != 0; }
    /// A seeded coin that comes up with probability 1/n, and only in runs with
    /// spurious events enabled (for weak-CAS failures).
    bool spurious_chance(unsigned n) noexcept;

    // ------------------------------------------------------------ store buffers (TSO)
    /// Whether a store of the running thread that is not seq_cst is buffered
    /// (TSO, on a scheduled thread).  The main thread writes memory directly.
    bool buffering() const noexcept { return cfg_.model == memory_model::tso && in_thread(); }
    /// Appends to the running thread's buffer (a full buffer first drains its
    /// oldest entry, as a store stalls on real hardware).
    void buffer(const buffered_store& e) noexcept;
    /// The newest entry of the running thread's buffer for `obj`, or null.
    const buffered_store* forwarded(const void* obj) const noexcept;
    /// The running thread's buffer into memory, oldest first (a locked
    /// instruction, a fence, a system call).
    void drain_self() noexcept;
    /// Every thread's buffer into memory (a global membarrier).
    void drain_all() noexcept;
    /// The buffers of every thread of process `p` into memory (a private
    /// membarrier issued in process p).
    void drain_process(unsigned p) noexcept;
    /// The process of scheduled thread `t` (0 for the main thread).
    unsigned process_of(unsigned t) const noexcept { return process_[t]; }
    /// Forgets buffered stores to an object that is being destroyed.
    void discard(const void* obj) noexcept;
    /// Entries waiting in all buffers.
    std::size_t buffered() const noexcept { return buffered_; }

    // ------------------------------------------------------------ processes that die or stop
    /// Process p dies just before the kth scheduling point (k >= 1) its
    /// threads reach from now on, in this run or a later one of the seed.
    void kill_at(unsigned p, std::size_t k) noexcept;
    /// Process p stops for ever just before its kth scheduling point from now.
    void stop_at(unsigned p, std::size_t k) noexcept;
    /// Kills process p now: on a scheduled thread a scheduling point (the
    /// kill(2)), which ends the caller too if p is its own process; on the
    /// main thread between runs (a stopped process that dies later).
    void kill_process(unsigned p) noexcept;
    /// The model's proof of death: whether process p was killed.  On a
    /// scheduled thread a scheduling point; a yes makes everything p's
    /// threads did happen before the caller's next step (on the main thread
    /// too: the checker reaping it).
    bool proven_dead(unsigned p) noexcept;
    /// For checks (no scheduling point, nothing acquired).
    bool dead(unsigned p) const noexcept { return p < max_processes && dead_[p]; }
    bool stopped(unsigned p) const noexcept { return p < max_processes && stopped_[p]; }
    /// Whether every thread of process p in this run has finished, died or
    /// stopped (true if it has none).
    bool process_ended(unsigned p) const noexcept;
    /// Whether every thread of process p in this run that has not ended is
    /// blocked, and at least one is.
    bool process_blocked(unsigned p) const noexcept;
    /// Scheduling points reached by process p's threads since begin().
    std::size_t process_steps(unsigned p) const noexcept { return p < max_processes ? proc_steps_[p] : 0; }
    /// Blocks the running thread until cond() holds, looking again whenever
    /// a thread blocks, finishes, dies or stops (a waitpid, or a debugger's
    /// wait, on every other thread).  One scheduling point first; cond()
    /// must make none.
    template <class Cond>
    void watch(Cond cond) noexcept {
        point(op::watch, &watchers_);
        while (!cond()) block(&watchers_, op::watch, nullptr);
    }

    // ------------------------------------------------------------ happens-before bookkeeping
    vclock& clock_of_self() noexcept { return vc_[self()]; }
    /// A release event of the running thread: its own component advances.
    void tick_self() noexcept { ++vc_[self()][self()]; }
    /// The clock released into an atomic location (sync_family.hpp), or null
    /// if none is (never released into, or last written by a relaxed store).
    const vclock* location_clock(const void* loc) const noexcept {
        const auto it = loc_clocks_.find(loc);
        return it == loc_clocks_.end() ? nullptr : &it->second;
    }
    vclock& location_clock_slot(const void* loc) { return loc_clocks_[loc]; }
    void forget_location(const void* loc) noexcept { loc_clocks_.erase(loc); }
    /// Whether checked.hpp's element race check is on (begin() turns it on).
    bool element_checks() const noexcept { return element_checks_; }
    void set_element_checks(bool on) noexcept { element_checks_ = on; }

    // ------------------------------------------------------------ for scenarios
    /// Records the first failure of this seed (the run goes on).
    void fail(std::string why);
    bool failed() const noexcept { return verdict_ != verdict::ok; }
    /// A seeded number for scenario parameters; independent of the schedule.
    rng& params() noexcept { return params_; }
    std::size_t steps() const noexcept { return steps_; }
    const config& cfg() const noexcept { return cfg_; }

private:
    struct fiber;
    enum class state : std::uint8_t { unused, runnable, blocked, finished, killed, stopped };
    enum class fate : std::uint8_t { none, kill, stop };

    [[noreturn]] static void trampoline();
    void switch_to(unsigned next) noexcept;
    void set_abort(verdict v, std::string why);
    [[noreturn]] void abandon() noexcept;
    [[noreturn]] void exit_current() noexcept;
    void reschedule() noexcept;  // the running thread cannot go on: pick another
    unsigned choose() noexcept;
    void expire_deadlines() noexcept;
    void maybe_spurious_wake() noexcept;
    void record(op o, const void* obj, unsigned thread) noexcept;
    void drain_oldest(unsigned thread) noexcept;
    void maybe_drain() noexcept;
    void clear_buffers() noexcept;
    void end_process(unsigned p, fate how) noexcept;  // kill or stop every thread of p
    void changed() noexcept;                           // a thread blocked or ended: wake the watchers
    std::string describe_threads() const;
    std::string format_trace() const;

    struct trace_entry {
        std::size_t step;
        std::uint8_t thread;
        std::uint8_t process;
        op what;
        const void* obj;
    };

    std::vector<fiber> fibers_;  // [0] is the main thread
    unsigned nthreads_ = 0;      // scheduled threads of the current phase
    unsigned cur_ = 0;
    unsigned prev_ = 0;  // the thread that ran before cur_ (for ASan's stack bookkeeping)
    bool running_ = false;
    bool aborted_ = false;
    bool element_checks_ = true;

    config cfg_{};
    rng sched_{0};
    rng params_{0};
    std::size_t steps_ = 0;
    std::int64_t now_ = 0;
    std::vector<int> prio_;
    std::vector<std::size_t> change_points_;
    int low_water_ = 0;

    std::array<vclock, max_threads> vc_{};
    std::unordered_map<const void*, vclock> loc_clocks_;  // per atomic location; cleared by begin()

    static constexpr std::size_t buffer_entries = 16;  // per thread; more stall (drain the oldest)
    std::array<std::vector<buffered_store>, max_threads> sb_;
    std::array<unsigned, max_threads> process_{};  // per thread; set by run()
    std::size_t buffered_ = 0;

    std::array<fate, max_processes> fate_{};            // per process: what happens at step fate_at_
    std::array<std::size_t, max_processes> fate_at_{};
    std::array<std::size_t, max_processes> proc_steps_{};
    std::array<bool, max_processes> dead_{};
    std::array<bool, max_processes> stopped_{};
    std::array<vclock, max_processes> proc_clock_{};   // what p's ended threads did (proven_dead acquires it)
    char watchers_ = 0;                                // the object watch() blocks on

    verdict verdict_ = verdict::ok;
    std::string message_;
    std::vector<trace_entry> ring_;
    std::size_t ring_next_ = 0;
    std::uint64_t trace_hash_ = 0;

    void* main_stack_bottom_ = nullptr;
    std::size_t main_stack_size_ = 0;
};

/// Where the running thread is, for messages: "T2" or "main".
std::string thread_name(unsigned t);

}  // namespace msgpool_test::dsched
