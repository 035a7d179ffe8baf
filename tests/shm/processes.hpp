// tests/shm/processes.hpp - child processes and segments for the shared-pool
// tests, with every wait bounded and everything removed, also on failure.
//
//  * unique_name(tag): a segment name no other test run uses
//    (/msgpool-test-<pid>-<counter>-<tag>); segment_guard removes it.
//  * children: fork()ed child processes that run a function and _exit with
//    its result.  Each child arms alarm() so that it dies on its own if the
//    parent is gone; wait_all(limit) reaps them, and kills (SIGKILL, by the
//    pids it started, nothing else) those still running at the limit.
//  * shared_counters: an anonymous MAP_SHARED array made before the fork,
//    where children count what they saw, for the parent to check.
#pragma once

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <msgpool/detail/shared_segment.hpp>

namespace msgpool_test {

inline std::string unique_name(const std::string& tag) {
    static int counter = 0;
    return "/msgpool-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + "-" + tag;
}

/// Removes the segment name when it goes out of scope.
class segment_guard {
public:
    explicit segment_guard(std::string name) : name_(std::move(name)) {}
    segment_guard(const segment_guard&) = delete;
    segment_guard& operator=(const segment_guard&) = delete;
    ~segment_guard() { ::shm_unlink(name_.c_str()); }
    const std::string& name() const noexcept { return name_; }

private:
    std::string name_;
};

struct child_result {
    pid_t pid;
    bool exited;     // exited normally (else signalled, or killed at the limit)
    int status;      // exit status, or the signal
    bool timed_out;  // still running at the limit, killed by us
};

class children {
public:
    children() = default;
    children(const children&) = delete;
    children& operator=(const children&) = delete;
    ~children() { kill_all(); }

    /// Runs `f` in a new child process; its return value is the exit status.
    /// The child dies by SIGALRM after `alarm_seconds` whatever happens.
    pid_t spawn(const std::function<int()>& f, unsigned alarm_seconds = 120) {
        std::fflush(nullptr);
        const pid_t pid = ::fork();
        if (pid < 0) throw std::runtime_error("fork failed");
        if (pid == 0) {
            ::alarm(alarm_seconds);
            int rc = 99;
            try {
                rc = f();
            } catch (const std::exception& e) {
                std::fprintf(stderr, "child %d: %s\n", static_cast<int>(::getpid()), e.what());
            }
            std::fflush(nullptr);
            ::_exit(rc);
        }
        pids_.push_back(pid);
        return pid;
    }

    /// Reaps every child, waiting at most `limit` in all; those still running
    /// then are killed (SIGKILL) and reported as timed out.
    std::vector<child_result> wait_all(std::chrono::milliseconds limit) {
        std::vector<child_result> out;
        const auto give_up = std::chrono::steady_clock::now() + limit;
        while (!pids_.empty()) {
            for (auto it = pids_.begin(); it != pids_.end();) {
                int st = 0;
                const pid_t r = ::waitpid(*it, &st, WNOHANG);
                if (r == *it) {
                    out.push_back({*it, WIFEXITED(st), WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), false});
                    it = pids_.erase(it);
                } else {
                    ++it;
                }
            }
            if (pids_.empty()) break;
            if (std::chrono::steady_clock::now() >= give_up) {
                for (const pid_t pid : pids_) {
                    ::kill(pid, SIGKILL);
                    int st = 0;
                    ::waitpid(pid, &st, 0);
                    out.push_back({pid, false, SIGKILL, true});
                }
                pids_.clear();
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        return out;
    }

    /// True when every child exited with status 0 in time; prints the others.
    bool all_succeeded(std::chrono::milliseconds limit) {
        bool ok = true;
        for (const auto& r : wait_all(limit)) {
            if (r.exited && r.status == 0) continue;
            ok = false;
            std::fprintf(stderr, "child %d: %s %d\n", static_cast<int>(r.pid),
                         r.timed_out ? "still running at the limit, killed:" : r.exited ? "exit status" : "signal",
                         r.status);
        }
        return ok;
    }

private:
    void kill_all() noexcept {
        for (const pid_t pid : pids_) {
            ::kill(pid, SIGKILL);
            int st = 0;
            ::waitpid(pid, &st, 0);
        }
        pids_.clear();
    }
    std::vector<pid_t> pids_;
};

/// `n` counters in memory that forked children share with the parent.
class shared_counters {
public:
    explicit shared_counters(std::size_t n) : n_(n) {
        void* p = ::mmap(nullptr, bytes(), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::runtime_error("mmap of shared counters failed");
        data_ = static_cast<std::atomic<std::uint32_t>*>(p);
        for (std::size_t i = 0; i < n_; ++i) ::new (&data_[i]) std::atomic<std::uint32_t>(0);
    }
    shared_counters(const shared_counters&) = delete;
    shared_counters& operator=(const shared_counters&) = delete;
    ~shared_counters() { ::munmap(data_, bytes()); }
    std::atomic<std::uint32_t>& operator[](std::size_t i) noexcept { return data_[i]; }
    std::size_t size() const noexcept { return n_; }

private:
    std::size_t bytes() const noexcept { return n_ * sizeof(std::atomic<std::uint32_t>); }
    std::size_t n_;
    std::atomic<std::uint32_t>* data_;
};

}  // namespace msgpool_test
