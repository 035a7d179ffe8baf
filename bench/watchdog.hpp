// bench/watchdog.hpp - fails the benchmark loudly instead of letting a hung
// run (a lost wake-up, a consumer that never learns the run is over) hang it.
//
// arm(what, limit) before a run, disarm() after.  If a run outlives its
// limit, the watchdog prints what was running and ends the process with exit
// status 3: a hang is a bug, and the exit status says so to CTest and scripts.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

namespace msgpool_bench {

/// Says which run hung and ends the process with exit status 3.
[[noreturn]] inline void abort_hung(const std::string& what, std::chrono::seconds limit) {
    std::fprintf(stderr, "\nmsgpool-bench: HUNG: %s did not finish within %lld s; aborting\n", what.c_str(),
                 static_cast<long long>(limit.count()));
    std::fflush(stderr);
    std::_Exit(3);
}

class watchdog {
public:
    watchdog() : thread_([this] { watch(); }) {}
    ~watchdog() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }
    watchdog(const watchdog&) = delete;
    watchdog& operator=(const watchdog&) = delete;

    void arm(std::string what, std::chrono::seconds limit) {
        std::lock_guard lock(mutex_);
        what_ = std::move(what);
        limit_ = limit;
        deadline_ = std::chrono::steady_clock::now() + limit;
        armed_ = true;
        cv_.notify_all();
    }
    void disarm() {
        std::lock_guard lock(mutex_);
        armed_ = false;
    }

private:
    void watch() {
        std::unique_lock lock(mutex_);
        while (!stop_) {
            if (!armed_) {
                cv_.wait(lock);
                continue;
            }
            if (cv_.wait_until(lock, deadline_) == std::cv_status::timeout && armed_ && !stop_ &&
                std::chrono::steady_clock::now() >= deadline_)
                abort_hung(what_, limit_);
        }
    }

    std::mutex mutex_;
    std::condition_variable cv_;
    bool stop_ = false, armed_ = false;
    std::string what_;
    std::chrono::seconds limit_{0};
    std::chrono::steady_clock::time_point deadline_{};
    std::thread thread_;  // last: starts after the members it uses are built
};

}  // namespace msgpool_bench
