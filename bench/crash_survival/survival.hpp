// bench/crash_survival/survival.hpp - one system's trials of
// msgpool-crash-survival: a producer process killed with SIGKILL at a random
// moment, then the question whether the queue still works
// (docs/benchmarks.md, "Surviving a killed process").
//
// One trial, the same for every system:
//
//  1. The parent forks the survivor, then the producer.  Each opens the
//     queue by name, as an unrelated program would.
//  2. The producer writes messages with ids 0, 1, 2 ... in a loop (blocking
//     writes); after each write returns it stores id + 1 in `written`.  In
//     the send-receive scenario it reads one message after each write.
//  3. The survivor reads concurrently with timed reads (produce scenario),
//     or waits (send-receive scenario).
//  4. Once the producer's first write returned, the parent waits a random
//     delay (uniform in 0..max_delay, the same sequence for every system),
//     kills the producer with SIGKILL and reaps it (waitpid).
//  5. The survivor then checks the queue: recover() if asked (msgpool), a
//     drain of what is left, then `capacity` writes and `capacity` reads,
//     each within the bound.  An exception, a timeout, or a survivor that
//     does not finish (the parent kills it at its limit) is a failure.
//  6. The parent counts the ids both processes recorded: every id below
//     `written` read exactly once, the one in flight at most once, nothing
//     else; in the send-receive scenario the producer's last read may have
//     returned without its record (check_accounting says which id).
//
// Trials share one queue while they pass; after a failed trial the queue is
// removed and a new one created, so that one failure does not count again.
// A kill can also leave damage that only a later trial runs into (a dead
// process still registered as a waiter): with a shared queue that trial
// fails; with a queue per trial (--queue per-trial) it never shows.
// Every wait is bounded; only the children this process started are killed,
// by pid; segment names carry the pid and a counter and are removed, also on
// failure and on SIGINT / SIGTERM (process_control.hpp).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace crash_survival {

enum class scenario { produce, send_receive };
enum class recovery_mode { explicit_call, automatic };

struct settings {
    std::size_t trials = 0;  // per system; 0: the system's default
    std::uint64_t seed = 0;
    crash_survival::scenario scenario = scenario::produce;
    recovery_mode recovery = recovery_mode::explicit_call;
    std::chrono::microseconds max_delay{5000};
    std::chrono::milliseconds bound{2000};          // for each write and read of the check
    std::chrono::milliseconds recover_after{100};   // automatic recovery: shared_pool_options::recover_after
    std::size_t capacity = 64;
    bool queue_per_trial = false;  // a new queue for every trial (default: a new one after a failed trial only)
    bool verbose = false;  // a line per trial

    /// How long the drain waits for one more message before it calls the
    /// queue empty: after an explicit recovery everything is there at once.
    /// Without it, the drain must be a wait long enough to run recovery: a
    /// msgpool waiter recovers at a wake-up once recover_after has passed
    /// since its first wake-up, and it wakes at least every 100 ms
    /// (msgpool/basic_shared_pool.hpp, "Crash recovery"); twice
    /// recover_after and a quarter second leave room for both.
    std::chrono::milliseconds drain_wait() const {
        return recovery == recovery_mode::automatic ? 2 * recover_after + std::chrono::milliseconds(250)
                                                    : std::chrono::milliseconds(1);
    }
    /// How long the survivor may take from the producer's death to its exit:
    /// the drain's last wait, one write and one read at their bound, and a
    /// second for everything that does not wait.
    std::chrono::milliseconds survivor_limit() const { return drain_wait() + 2 * bound + std::chrono::seconds(1); }
};

/// The message: 64 bytes, its trial and id, and check words derived from
/// both, so that a torn or stray message is recognised.
struct message {
    std::uint64_t tag = 0;  // trial * 2 + 1 for a probe of the check, trial * 2 for the producer's
    std::uint64_t id = 0;
    std::uint64_t check[6] = {};
};
static_assert(sizeof(message) == 64);

message make_message(std::uint64_t trial, std::uint64_t id, bool probe) noexcept;
bool intact(const message& m) noexcept;

/// Why a trial failed; the first that applies.
enum class failure : unsigned {
    none,
    producer_failed,  // the producer threw, or its first write did not return within the bound
    exception,        // an operation of the check threw
    write_timeout,    // the first write of the check did not complete within the bound
    capacity_short,   // a later write of the check did not: fewer slots than the capacity
    read_timeout,     // a read of the check did not complete within the bound
    drain_endless,    // the drain returned more messages than the queue can hold
    survivor_stuck,   // the survivor had not finished at its limit (killed by the parent)
    survivor_crashed, // the survivor died or exited otherwise
    lost,             // an id below `written` never read
    duplicated,       // an id read twice (beyond what the scenario allows)
    stray,            // an id never written, another trial's message, or a torn one
    count_
};
inline constexpr std::size_t failure_kinds = static_cast<std::size_t>(failure::count_);
const char* to_string(failure f) noexcept;

/// Where the survivor is, for the report of a survivor that got stuck.
enum class survivor_step : std::uint32_t { opening, reading_along, recovering, draining, writing, reading, done };
const char* to_string(survivor_step s) noexcept;

struct recovery_totals {
    std::uint64_t calls = 0, processes = 0, writes_dropped = 0, messages_returned = 0;
};

struct system_result {
    std::string name;
    std::size_t trials = 0, survived = 0;
    std::array<std::size_t, failure_kinds> failures{};
    std::string first_exception;  // the text of the first exception a check (or a producer) saw
    bool has_recover = false;     // recover() exists (msgpool) and was called
    recovery_totals recovered;
    std::uint64_t messages_written = 0;  // by the producers, all trials
    double seconds = 0;
};

}  // namespace crash_survival
