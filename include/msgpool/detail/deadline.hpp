// msgpool/detail/deadline.hpp - how long a claim may wait.
//
// Three kinds, chosen at compile time by the frame: `no_wait` (try_ forms),
// `forever` (blocking forms) and `until<Clock, Duration>` (timed forms, on any
// user clock).  A user's deadline is converted to the sync family's steady
// clock for sleeping, but expiry is always decided on the user's own clock, so
// a system_clock deadline still works when the wall clock jumps (we just wake
// and re-convert).
//
// Far deadlines saturate.  Comparing a deadline in a coarse unit (seconds,
// hours) with the clock's now() converts both to the finer unit, and a
// deadline far enough away (time_point<steady_clock, seconds>::max(), or
// system_clock::now() + 300 years in hours) does not fit in it: the plain
// comparison overflows (undefined, and in practice "expired").  Every
// comparison and difference here goes through `widened`, which clamps to the
// finer unit's range instead, so such a deadline means "wait a very long time".
#pragma once

#include <chrono>
#include <ratio>
#include <type_traits>
#include <utility>

namespace msgpool::detail {

/// `d` in the finer unit `To` (whose period divides d's), clamped to To's
/// range instead of overflowing.  Floating-point representations need no
/// clamp (they reach infinity).
template <class To, class Rep, class Period>
constexpr To widened(const std::chrono::duration<Rep, Period>& d) noexcept {
    using factor = std::ratio_divide<Period, typename To::period>;
    static_assert(factor::den == 1, "widened: To must be at least as fine as the source unit");
    if constexpr (std::is_integral_v<Rep> && std::is_integral_v<typename To::rep>) {
        constexpr auto hi = std::chrono::duration_values<typename To::rep>::max() / factor::num;
        constexpr auto lo = std::chrono::duration_values<typename To::rep>::min() / factor::num;
        if (std::cmp_greater(d.count(), hi)) return To::max();
        if (std::cmp_less(d.count(), lo)) return To::min();
    }
    return std::chrono::duration_cast<To>(d);
}

/// a - b for a > b, in their common unit, clamped at its max() instead of
/// overflowing (a far deadline minus a negative now()).
template <class D1, class D2>
constexpr auto minus_saturating(const D1& a, const D2& b) noexcept {
    using common = std::common_type_t<D1, D2>;
    const common wa = widened<common>(a), wb = widened<common>(b);
    if constexpr (std::is_integral_v<typename common::rep>)
        if (wb < common::zero() && wa > common::max() + wb) return common::max();
    return wa - wb;
}

/// a < b for durations of any two units, without overflow.
template <class D1, class D2>
constexpr bool less_saturating(const D1& a, const D2& b) noexcept {
    using common = std::common_type_t<D1, D2>;
    return widened<common>(a) < widened<common>(b);
}

struct no_wait {};
struct forever {};

template <class Clock, class Duration>
struct until {
    std::chrono::time_point<Clock, Duration> when;

    bool expired() const { return !less_saturating(Clock::now().time_since_epoch(), when.time_since_epoch()); }

    /// The same instant on `SyncClock`, saturating instead of overflowing for
    /// far-away deadlines (time_point::max() means "wait a very long time").
    template <class SyncClock>
    typename SyncClock::time_point on() const {
        using ns = std::chrono::nanoseconds;
        const auto now_user = Clock::now().time_since_epoch();
        const auto now_sync = SyncClock::now();
        if (!less_saturating(now_user, when.time_since_epoch())) return now_sync;
        constexpr auto cap = std::chrono::hours(24 * 365);  // a year: longer sleeps are re-armed in a loop
        const auto left = minus_saturating(when.time_since_epoch(), now_user);
        const ns step = less_saturating(cap, left) ? ns(cap) : std::chrono::ceil<ns>(left);
        return now_sync + std::chrono::duration_cast<typename SyncClock::duration>(step);
    }
};

/// steady_clock::now() + d, saturating at time_point::max() for huge d.
template <class Rep, class Period>
auto from_now(const std::chrono::duration<Rep, Period>& d) {
    using clock = std::chrono::steady_clock;
    const auto now = clock::now();
    if (d <= d.zero()) return until<clock, clock::duration>{now};
    const auto room = clock::time_point::max() - now;  // how far ahead a deadline fits
    if (!less_saturating(d, room)) return until<clock, clock::duration>{clock::time_point::max()};
    return until<clock, clock::duration>{now + std::chrono::ceil<clock::duration>(d)};
}

}  // namespace msgpool::detail
