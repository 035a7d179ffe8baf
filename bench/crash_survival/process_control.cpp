// bench/crash_survival/process_control.cpp - children, shared records and
// the clean-up registry (see process_control.hpp).
#include "process_control.hpp"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>
#include <thread>

namespace crash_survival {
namespace {

// ------------------------------------------------------------------ clean-up registry
//
// Fixed slots, so that the signal handler reads them without allocating.
// A slot is filled in two steps: the path (or pid), then its `used` flag; the
// handler runs on this same thread, between any two of its instructions, so
// the flag's release store and the handler's acquire load are the edge that
// makes the path visible whole ([R1]).

constexpr std::size_t segment_slots = 8, child_slots = 4;

struct segment_slot {
    std::atomic<bool> used{false};
    char path[256] = {};
};
std::array<segment_slot, segment_slots> segments;
std::array<std::atomic<pid_t>, child_slots> children{};  // 0: free
pid_t parent_pid = 0;

void cleanup_now() noexcept {
    if (::getpid() != parent_pid) return;  // a child leaves the parent's things alone
    for (auto& c : children) {
        const pid_t pid = c.exchange(0, std::memory_order_relaxed);  // relaxed: the pid is the whole message
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
    for (auto& s : segments)
        if (s.used.load(std::memory_order_acquire)) {  // [R1] acquire: pairs with track_segment's release
            ::shm_unlink(s.path);
            s.used.store(false, std::memory_order_relaxed);  // relaxed: only this thread fills slots
        }
}

extern "C" void on_signal(int sig) {
    cleanup_now();
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

void track_child(pid_t pid) noexcept {
    for (auto& c : children) {
        pid_t free = 0;
        // relaxed: the pid is the whole message (see segment_slot for the path's edge)
        if (c.compare_exchange_strong(free, pid, std::memory_order_relaxed)) return;
    }
}
void forget_child(pid_t pid) noexcept {
    for (auto& c : children) {
        pid_t mine = pid;
        if (c.compare_exchange_strong(mine, 0, std::memory_order_relaxed)) return;  // relaxed: as track_child
    }
}

constexpr int signals[] = {SIGINT, SIGTERM, SIGHUP};

}  // namespace

void install_cleanup() {
    parent_pid = ::getpid();
    std::atexit([] { cleanup_now(); });
    for (const int sig : signals) {
        struct sigaction sa {};
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        ::sigaction(sig, &sa, nullptr);
    }
}

void track_segment(const std::string& path) {
    if (path.size() >= sizeof(segment_slot::path)) throw std::invalid_argument("segment name too long: " + path);
    for (auto& s : segments)
        if (!s.used.load(std::memory_order_relaxed)) {  // relaxed: only this thread fills slots
            std::memcpy(s.path, path.c_str(), path.size() + 1);
            s.used.store(true, std::memory_order_release);  // [R1] release: publishes the path to the handler
            return;
        }
    throw std::runtime_error("more than " + std::to_string(segment_slots) + " segments at once");
}

void forget_segment(const std::string& path) {
    for (auto& s : segments)
        // relaxed, both: only this thread fills and empties slots
        if (s.used.load(std::memory_order_relaxed) && path == s.path) s.used.store(false, std::memory_order_relaxed);
}

std::string unique_name(const char* prefix) {
    static unsigned counter = 0;
    return std::string(prefix) + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

// ------------------------------------------------------------------ child

child::child(const std::function<int()>& body, std::chrono::seconds limit) {
    std::fflush(nullptr);  // the child must not write out the parent's pending output again
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid_ == 0) {
        for (const int sig : signals) ::signal(sig, SIG_DFL);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(71);  // the parent died before the line above
        ::alarm(static_cast<unsigned>(std::max<long long>(1, limit.count())));
        int rc = 70;
        try {
            rc = body();
        } catch (...) {
        }
        ::_exit(rc);  // no atexit handlers, no destructors of the parent's objects
    }
    track_child(pid_);
}

child::~child() { kill_and_reap(); }

bool child::ended() {
    if (reaped_) return true;
    int st = 0;
    const pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
        reaped_ = true;
        status_ = st;
        forget_child(pid_);
    }
    return reaped_;
}

bool child::wait_for(std::chrono::milliseconds limit) {
    const auto give_up = std::chrono::steady_clock::now() + limit;
    while (!ended()) {
        if (std::chrono::steady_clock::now() >= give_up) return false;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return true;
}

void child::kill_and_reap() {
    if (reaped_ || pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int st = 0;
    while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    status_ = st;
    forget_child(pid_);
}

bool child::exited_cleanly() const noexcept { return reaped_ && WIFEXITED(status_) && WEXITSTATUS(status_) == 0; }

// ------------------------------------------------------------------ shared_state

shared_state& shared_state::make() {
    void* p = ::mmap(nullptr, sizeof(shared_state), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::runtime_error(std::string("mmap of the trials' records: ") + std::strerror(errno));
    return *::new (p) shared_state{};  // zero-filled pages; the value-initialisation writes the same
}

void shared_state::reset() {
    // relaxed: no child runs now (the last trial's are reaped)
    const std::uint64_t last = written.load(std::memory_order_relaxed);
    const std::uint64_t end = std::min(id_limit, std::max(last + 2, high));
    std::memset(seen, 0, end);
    std::memset(producer_seen, 0, end);
    std::memset(probes, 0, sizeof probes);
    started.store(0, std::memory_order_relaxed);        // relaxed: no child runs now
    producer_gone.store(0, std::memory_order_relaxed);  // relaxed: no child runs now
    written.store(0, std::memory_order_relaxed);        // relaxed: no child runs now
    step.store(0, std::memory_order_relaxed);           // relaxed: no child runs now
    reading.store(0, std::memory_order_relaxed);        // relaxed: no child runs now
    first_write.store(0, std::memory_order_relaxed);    // relaxed: no child runs now
    producer_owner.store(-1, std::memory_order_relaxed);     // relaxed: no child runs now
    attached_at_check.store(-1, std::memory_order_relaxed);  // relaxed: no child runs now
    outcome = failure::none;
    torn = stray = high = producer_stray = 0;
    recovered = {};
    what[0] = producer_what[0] = '\0';
}

void shared_state::record(const message& m, std::uint64_t trial) noexcept {
    if (!intact(m)) {
        ++torn;
    } else if ((m.tag >> 1) != trial) {
        ++stray;
    } else if (m.tag & 1) {
        if (m.id < probe_limit && probes[m.id] < 255) ++probes[m.id];
        else ++stray;
    } else if (m.id < id_limit) {
        if (seen[m.id] < 255) ++seen[m.id];
        high = std::max(high, m.id + 1);
    } else {
        ++stray;
    }
}

void shared_state::note(char (&to)[256], const char* text) noexcept { std::snprintf(to, sizeof to, "%s", text); }

// ------------------------------------------------------------------ accounting

failure check_accounting(const shared_state& st, const settings& s, std::uint64_t written) {
    if (st.torn != 0 || st.stray != 0 || st.producer_stray != 0) return failure::stray;
    std::size_t lost = 0, duplicated = 0, stray = 0;
    for (std::size_t i = 0; i < s.capacity; ++i) {
        lost += st.probes[i] == 0;
        duplicated += st.probes[i] > 1;
    }
    const bool both = s.scenario == scenario::send_receive;
    // relaxed: read after waitpid (shared_state)
    const bool in_read = both && written > 0 && st.reading.load(std::memory_order_relaxed) != 0;
    const std::uint64_t end = std::min(shared_state::id_limit, std::max(written + 1, st.high));
    for (std::uint64_t id = 0; id < end; ++id) {
        const unsigned n = st.seen[id] + (both ? st.producer_seen[id] : 0u);
        if (id < written) {
            lost += n == 0 && !(in_read && id + 1 == written);
            duplicated += n > 1;
        } else if (id == written) {
            duplicated += n > 1;  // the write in flight: published or not
        } else {
            stray += n > 0;
        }
    }
    if (lost > 0) return failure::lost;
    if (duplicated > 0) return failure::duplicated;
    if (stray > 0) return failure::stray;
    return failure::none;
}

// ------------------------------------------------------------------ messages

namespace {
std::uint64_t mix(std::uint64_t x) noexcept {  // splitmix64's finaliser
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}
}  // namespace

message make_message(std::uint64_t trial, std::uint64_t id, bool probe) noexcept {
    message m;
    m.tag = trial * 2 + (probe ? 1 : 0);
    m.id = id;
    for (std::size_t k = 0; k < std::size(m.check); ++k) m.check[k] = mix(m.tag * 0x9e3779b97f4a7c15ULL + m.id + k);
    return m;
}

bool intact(const message& m) noexcept {
    for (std::size_t k = 0; k < std::size(m.check); ++k)
        if (m.check[k] != mix(m.tag * 0x9e3779b97f4a7c15ULL + m.id + k)) return false;
    return true;
}

const char* to_string(survivor_step s) noexcept {
    switch (s) {
        case survivor_step::opening: return "opening the queue";
        case survivor_step::reading_along: return "in its reading loop from before the kill";
        case survivor_step::recovering: return "recovering";
        case survivor_step::draining: return "draining";
        case survivor_step::writing: return "writing the check's messages";
        case survivor_step::reading: return "reading the check's messages";
        case survivor_step::done: return "done";
    }
    return "?";
}

const char* to_string(failure f) noexcept {
    switch (f) {
        case failure::none: return "none";
        case failure::producer_failed: return "producer-failed";
        case failure::exception: return "exception";
        case failure::write_timeout: return "write-timeout";
        case failure::capacity_short: return "capacity-short";
        case failure::read_timeout: return "read-timeout";
        case failure::drain_endless: return "drain-endless";
        case failure::survivor_stuck: return "survivor-stuck";
        case failure::survivor_crashed: return "survivor-crashed";
        case failure::lost: return "lost";
        case failure::duplicated: return "duplicated";
        case failure::stray: return "stray";
        case failure::count_: break;
    }
    return "?";
}

}  // namespace crash_survival
