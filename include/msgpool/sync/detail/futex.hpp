// msgpool/sync/detail/futex.hpp - the three futex(2) calls every Linux sync
// family makes, private to one process or shared between processes.
//
// `Shared` picks the futex key: false adds FUTEX_PRIVATE_FLAG (the kernel keys
// the word by this process's address, the cheaper lookup), true leaves it out
// (the kernel keys the word by the page it lives in, so processes that map the
// same shared page meet on it).  Ordering contract: futex(2)'s own: a wait
// compares the word with `expected` and queues the caller under one bucket
// lock, and a wake issued after a change of the word finds every waiter whose
// compare read the value before that change.  The *_woken forms also say
// whether a wake ended the wait (concepts/sync_family.hpp, reports_wakes).
#pragma once

#if defined(__linux__)

#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdint>
#include <ctime>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace msgpool::sync::detail {

template <bool Shared>
struct futex_calls {
    static constexpr int flag = Shared ? 0 : FUTEX_PRIVATE_FLAG;

    static std::uint32_t* address(std::atomic<std::uint32_t>& word) noexcept {
        return reinterpret_cast<std::uint32_t*>(&word);
    }

    /// Sleep while word == expected, at most `timeout` (null: no bound).
    static void wait(std::atomic<std::uint32_t>& word, std::uint32_t expected, const timespec* timeout) noexcept {
        ::syscall(SYS_futex, address(word), FUTEX_WAIT | flag, expected, timeout, nullptr, 0);
    }

    /// Sleep while word == expected, at most until `deadline` on the steady
    /// clock (CLOCK_MONOTONIC on Linux, which FUTEX_WAIT_BITSET takes as an
    /// absolute time).  False when the deadline has passed.
    static bool wait_until(std::atomic<std::uint32_t>& word, std::uint32_t expected,
                           std::chrono::steady_clock::time_point deadline) noexcept {
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count();
        if (ns <= 0) return std::chrono::steady_clock::now() < deadline;
        timespec ts{};
        ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
        ts.tv_nsec = static_cast<long>(ns % 1'000'000'000);
        const long rc = ::syscall(SYS_futex, address(word), FUTEX_WAIT_BITSET | flag, expected, &ts, nullptr,
                                  FUTEX_BITSET_MATCH_ANY);
        if (rc == -1 && errno == ETIMEDOUT) return false;
        return std::chrono::steady_clock::now() < deadline;
    }

    /// As wait, and whether a FUTEX_WAKE may have ended it (true).  The
    /// kernel returns 0 only when a wake took the caller off the queue
    /// (futex(2) allows a spurious 0, which then counts as a wake too);
    /// EAGAIN (the compare failed, at the call or after a spurious wake-up),
    /// ETIMEDOUT and EINTR come back with the caller no longer queued and no
    /// wake taken.  Any other error counts as a wake: true is the safe answer.
    static bool wait_woken(std::atomic<std::uint32_t>& word, std::uint32_t expected,
                           const timespec* timeout) noexcept {
        const long rc = ::syscall(SYS_futex, address(word), FUTEX_WAIT | flag, expected, timeout, nullptr, 0);
        return rc == 0 || !unwoken_errno(errno);
    }

    /// As wait_until, and whether a FUTEX_WAKE may have ended it (as wait_woken).
    static bool wait_until_woken(std::atomic<std::uint32_t>& word, std::uint32_t expected,
                                 std::chrono::steady_clock::time_point deadline) noexcept {
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count();
        if (ns <= 0) return false;  // no call made: nothing queued, nothing taken
        timespec ts{};
        ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
        ts.tv_nsec = static_cast<long>(ns % 1'000'000'000);
        const long rc = ::syscall(SYS_futex, address(word), FUTEX_WAIT_BITSET | flag, expected, &ts, nullptr,
                                  FUTEX_BITSET_MATCH_ANY);
        return rc == 0 || !unwoken_errno(errno);
    }

    static void wake(std::atomic<std::uint32_t>& word, int how_many) noexcept {
        ::syscall(SYS_futex, address(word), FUTEX_WAKE | flag, how_many, nullptr, nullptr, 0);
    }

private:
    static bool unwoken_errno(int e) noexcept { return e == EAGAIN || e == ETIMEDOUT || e == EINTR; }
};

}  // namespace msgpool::sync::detail

#endif
