// msgpool/detail/deadline.hpp - how long a claim may wait.
//
// Three kinds, chosen at compile time by the frame: `no_wait` (try_ forms),
// `forever` (blocking forms) and `until<Clock, Duration>` (timed forms, on any
// user clock).  A user's deadline is converted to the sync family's steady
// clock for sleeping, but expiry is always decided on the user's own clock, so
// a system_clock deadline still works when the wall clock jumps (we just wake
// and re-convert).
#pragma once

#include <chrono>

namespace msgpool::detail {

struct no_wait {};
struct forever {};

template <class Clock, class Duration>
struct until {
    std::chrono::time_point<Clock, Duration> when;

    bool expired() const { return Clock::now() >= when; }

    /// The same instant on `SyncClock`, saturating instead of overflowing for
    /// far-away deadlines (time_point::max() means "wait a very long time").
    template <class SyncClock>
    typename SyncClock::time_point on() const {
        using ns = std::chrono::nanoseconds;
        const auto now_user = Clock::now();
        const auto now_sync = SyncClock::now();
        if (when <= now_user) return now_sync;
        constexpr auto cap = std::chrono::hours(24 * 365);  // a year: longer sleeps are re-armed in a loop
        const auto left = when - now_user;
        const ns step = left > cap ? ns(cap) : std::chrono::ceil<ns>(left);
        return now_sync + std::chrono::duration_cast<typename SyncClock::duration>(step);
    }
};

}  // namespace msgpool::detail

namespace msgpool::detail {

/// steady_clock::now() + d, saturating at time_point::max() for huge d.
template <class Rep, class Period>
auto from_now(const std::chrono::duration<Rep, Period>& d) {
    using clock = std::chrono::steady_clock;
    const auto now = clock::now();
    if (d <= d.zero()) return until<clock, clock::duration>{now};
    if (std::chrono::duration<long double>(d) >=
        std::chrono::duration<long double>(clock::time_point::max() - now))
        return until<clock, clock::duration>{clock::time_point::max()};
    return until<clock, clock::duration>{now + std::chrono::ceil<clock::duration>(d)};
}

}  // namespace msgpool::detail
