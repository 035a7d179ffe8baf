// tests/support/watchdog.hpp - turns a hang into a failure that names the test.
//
// Include this in exactly one translation unit per test executable (the one
// that defines BOOST_TEST_MODULE).  A global fixture starts a thread that
// watches the test case currently running; if one runs longer than
// MSGPOOL_WATCHDOG_SECONDS (default 300), it prints the test's name and the
// elapsed time and exits the process with status 124, so CI fails instead of
// hanging until its own time limit.
#pragma once

#include <boost/test/tree/observer.hpp>
#include <boost/test/tree/test_unit.hpp>
#include <boost/test/unit_test_suite.hpp>
#include <boost/test/framework.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

namespace msgpool_test {

class watchdog : public boost::unit_test::test_observer {
public:
    watchdog() {
        if (const char* s = std::getenv("MSGPOOL_WATCHDOG_SECONDS")) limit_ = std::chrono::seconds(std::atoi(s));
        boost::unit_test::framework::register_observer(*this);
        thread_ = std::thread([this] { run(); });
    }
    ~watchdog() override {
        {
            std::lock_guard<std::mutex> g(m_);
            stop_ = true;
        }
        cv_.notify_all();
        thread_.join();
        boost::unit_test::framework::deregister_observer(*this);
    }

    void test_unit_start(const boost::unit_test::test_unit& tu) override {
        if (tu.p_type != boost::unit_test::TUT_CASE) return;
        std::lock_guard<std::mutex> g(m_);
        current_ = tu.full_name();
        started_ = std::chrono::steady_clock::now();
        running_ = true;
    }
    void test_unit_finish(const boost::unit_test::test_unit& tu, unsigned long) override {
        if (tu.p_type != boost::unit_test::TUT_CASE) return;
        std::lock_guard<std::mutex> g(m_);
        running_ = false;
    }

private:
    void run() {
        std::unique_lock<std::mutex> lock(m_);
        while (!stop_) {
            cv_.wait_for(lock, std::chrono::milliseconds(250));
            if (running_ && std::chrono::steady_clock::now() - started_ > limit_) {
                std::fprintf(stderr, "\nWATCHDOG: test case '%s' still running after %lld s: treating it as a hang\n",
                             current_.c_str(), static_cast<long long>(limit_.count()));
                std::fflush(stderr);
                std::_Exit(124);
            }
        }
    }

    std::chrono::seconds limit_{300};
    std::mutex m_;
    std::condition_variable cv_;
    std::string current_;
    std::chrono::steady_clock::time_point started_{};
    bool running_ = false;
    bool stop_ = false;
    std::thread thread_;
};

BOOST_TEST_GLOBAL_FIXTURE(watchdog);

}  // namespace msgpool_test
