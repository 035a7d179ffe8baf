// bench/crash_survival/process_control.hpp - the children of a trial, the
// memory they share with the parent, and the clean-up that runs whatever
// happens.
//
//  * child: a forked process running a function.  It dies with the parent
//    (PR_SET_PDEATHSIG) and by alarm() at a limit of its own; the parent
//    waits for it only up to a limit and then kills it (SIGKILL, by its pid,
//    nothing else); a child still running when its handle goes is killed
//    and reaped.
//  * shared_state: one anonymous MAP_SHARED block made before any fork, in
//    which the producer and the survivor record what they did.
//  * The clean-up registry: every segment the run created and every child
//    it started, removed and killed by an atexit handler and by a SIGINT /
//    SIGTERM / SIGHUP handler (which uses async-signal-safe calls only), as
//    well as by the owners' destructors.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "survival.hpp"

namespace crash_survival {

/// Installs the atexit and signal handlers (once, in the parent).
void install_cleanup();

/// Registers a segment's shm_unlink path ("/name") for the clean-up, and
/// forgets it once its owner removed it.
void track_segment(const std::string& path);
void forget_segment(const std::string& path);

/// "<prefix><pid>-<counter>": a segment name unique to this run.
std::string unique_name(const char* prefix);

class child {
public:
    /// Forks a child that runs `body` and _exits with its result (status 70
    /// if it throws).  It dies by SIGALRM after `limit` whatever happens.
    child(const std::function<int()>& body, std::chrono::seconds limit);
    child(const child&) = delete;
    child& operator=(const child&) = delete;
    ~child();  // kills (SIGKILL) and reaps the child if it still runs

    pid_t pid() const noexcept { return pid_; }
    /// Reaps the child if it has ended (never blocks); true once it has.
    bool ended();
    /// Waits up to `limit` for the child to end; true if it did.
    bool wait_for(std::chrono::milliseconds limit);
    /// Kills (SIGKILL) and reaps it; does nothing once it has ended.
    void kill_and_reap();
    /// After it ended: exited with status 0.
    bool exited_cleanly() const noexcept;

private:
    pid_t pid_ = -1;
    bool reaped_ = false;
    int status_ = 0;
};

/// What the producer and the survivor record, in memory all three processes
/// share.  The parent reads the survivor's and the producer's records only
/// after it reaped that process (waitpid), which orders them after every
/// store the process made.
struct shared_state {
    static constexpr std::uint64_t id_limit = std::uint64_t{1} << 22;  // ids a producer writes in one trial, at most
    static constexpr std::size_t probe_limit = 4096;                   // the largest capacity

    // Relaxed, all but `started`: each is a flag or a count on its own, and
    // no other memory is read on the strength of it (the records below are
    // read after waitpid).  `started` is [T1]: the producer's release store
    // publishes first_write to the parent's acquire load (trials.hpp).
    std::atomic<std::uint32_t> started;        // producer: its first write returned
    std::atomic<std::uint32_t> producer_gone;  // parent: the producer is reaped; the survivor checks
    std::atomic<std::uint64_t> written;        // producer: the writes of ids [0, written) returned
    std::atomic<std::uint32_t> step;           // survivor: where it is (survivor_step)
    std::atomic<std::uint32_t> reading;        // producer: in a read whose id it has not recorded yet
    std::atomic<std::int64_t> first_write;     // producer: steady_clock nanoseconds when its first write returned
    // Where the system tells (msgpool): the producer's owner id (0: not
    // recorded, so not recoverable), and the processes attached when the
    // survivor began its check.  -1: the system does not tell.
    std::atomic<std::int64_t> producer_owner, attached_at_check;

    // The survivor's records.
    failure outcome;
    std::uint64_t torn, stray, high;  // high: 1 + the largest id it recorded
    std::uint64_t producer_stray;     // the producer read an id it had not written yet
    recovery_totals recovered;
    char what[256];           // the survivor's exception
    char producer_what[256];  // the producer's exception
    std::uint8_t probes[probe_limit];
    std::uint8_t seen[id_limit];           // reads per id by the survivor (saturating)
    std::uint8_t producer_seen[id_limit];  // reads per id by the producer (send-receive)

    static shared_state& make();  // mapped once, never unmapped
    /// Clears what the last trial recorded.
    void reset();
    /// The survivor's record of one message read in trial `trial`.
    void record(const message& m, std::uint64_t trial) noexcept;
    /// Keeps the text of an exception (the survivor's, or the producer's).
    static void note(char (&to)[256], const char* text) noexcept;
};

/// Whether the trial's messages add up (survival.hpp, point 6).  In the
/// send-receive scenario the producer reads, one message after each write,
/// the message it just wrote (nobody else reads while it runs, so the queue
/// holds that one alone): ids 0, 1, 2 ... in order.  The only id that may
/// then go unrecorded is written - 1, when the producer was killed after its
/// read returned and before it recorded the id; nothing may be read twice.
failure check_accounting(const shared_state& st, const settings& s, std::uint64_t written);

}  // namespace crash_survival
