// bench/progress.hpp - the progress line on stderr during a sweep.
//
// On a terminal: one line rewritten in place ("\r").  Otherwise (a log, CTest)
// a plain line at most every few seconds, so logs stay short.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace msgpool_bench {

class progress {
public:
    progress(std::size_t total, bool enabled) : total_(total), enabled_(enabled), tty_(::isatty(2) == 1) {}

    void update(std::size_t done, const std::string& what) {
        if (!enabled_) return;
        const auto now = std::chrono::steady_clock::now();
        if (!tty_ && now - last_ < std::chrono::seconds(10) && done != 0) return;
        last_ = now;
        const double elapsed = std::chrono::duration<double>(now - start_).count();
        const double eta = done ? elapsed / static_cast<double>(done) * static_cast<double>(total_ - done) : 0;
        std::fprintf(stderr, "%s[%zu/%zu] %s | %s elapsed, ~%s left%s", tty_ ? "\r\033[K" : "", done, total_,
                     what.c_str(), clock(elapsed).c_str(), done ? clock(eta).c_str() : "?", tty_ ? "" : "\n");
        std::fflush(stderr);
    }

    void finish() {
        if (!enabled_) return;
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        std::fprintf(stderr, "%s[%zu/%zu] done in %s\n", tty_ ? "\r\033[K" : "", total_, total_, clock(elapsed).c_str());
    }

private:
    static std::string clock(double seconds) {
        const long s = static_cast<long>(seconds + 0.5);
        char buf[32];
        std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
        return buf;
    }

    std::size_t total_;
    bool enabled_, tty_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace msgpool_bench
