// msgpool/deadline.hpp - how long a call may wait: not at all, forever, until
// a time point of any clock, or for a duration.
//
// One type for every blocking, try_ and timed form: basic_pool's primitives
// take a deadline, and the named forms (try_write, read_for, write_until ...)
// are one-line wrappers that build one.  A time point keeps its own clock:
// expiry is decided on that clock, so a system_clock deadline still holds
// when the wall clock jumps (the pool wakes and re-converts); the sleep itself
// is armed on the sync family's steady clock, at most a year at a time.
//
// Saturation.  A time point is kept as nanoseconds since its clock's epoch,
// a duration as a steady_clock time point that far from now.  A value beyond
// the range of nanoseconds (time_point<steady_clock, seconds>::max(),
// system_clock::now() + 300 years in hours, hours::max()) saturates at the
// end of that range instead of overflowing: it means "wait a very long time"
// (about 292 years from the clock's epoch), never "already expired".
#pragma once

#include <chrono>
#include <ratio>
#include <type_traits>
#include <utility>

namespace msgpool {

namespace detail {
using ns = std::chrono::nanoseconds;

/// `d` in nanoseconds (rounded up), clamped to their range instead of overflowing.
template <class Rep, class Period>
constexpr ns saturated_ns(const std::chrono::duration<Rep, Period>& d) noexcept {
    if constexpr (std::is_floating_point_v<Rep>) {
        const long double v = std::chrono::duration<long double, std::nano>(d).count();
        if (!(v == v)) return ns::zero();  // NaN: no time at all
        if (v >= static_cast<long double>(ns::max().count())) return ns::max();
        if (v <= static_cast<long double>(ns::min().count())) return ns::min();
        return std::chrono::ceil<ns>(std::chrono::duration<long double, std::nano>(v));
    } else {
        using per_tick = std::ratio_divide<Period, std::nano>;  // nanoseconds per tick
        if constexpr (per_tick::den != 1) {  // ticks finer than a nanosecond: dividing cannot overflow
            return saturated_ns(std::chrono::ceil<std::chrono::duration<Rep, std::nano>>(d));
        } else {
            if (std::cmp_greater(d.count(), ns::max().count() / per_tick::num)) return ns::max();
            if (std::cmp_less(d.count(), ns::min().count() / per_tick::num)) return ns::min();
            return ns(static_cast<ns::rep>(d.count()) * per_tick::num);
        }
    }
}

/// a + b and a - b, clamped to the range of nanoseconds.
constexpr ns saturated_plus(ns a, ns b) noexcept {
    if (b > ns::zero() && a > ns::max() - b) return ns::max();
    if (b < ns::zero() && a < ns::min() - b) return ns::min();
    return a + b;
}
constexpr ns saturated_minus(ns a, ns b) noexcept {
    if (b < ns::zero() && a > ns::max() + b) return ns::max();
    if (b > ns::zero() && a < ns::min() + b) return ns::min();
    return a - b;
}
}  // namespace detail

class deadline {
public:
    /// Not at all: one attempt (the try_ forms).
    static constexpr deadline no_wait() noexcept { return deadline(kind::no_wait); }
    /// No limit (the blocking forms).
    static constexpr deadline forever() noexcept { return deadline(kind::forever); }

    /// At `t`, on t's own clock.
    template <class Clock, class Duration>
    explicit deadline(const std::chrono::time_point<Clock, Duration>& t) noexcept
        : kind_(kind::at), when_(detail::saturated_ns(t.time_since_epoch())), now_(&now_of<Clock>) {}

    /// `d` from now, on steady_clock; zero or less has already passed (the
    /// call still makes its attempt).
    template <class Rep, class Period>
    explicit deadline(const std::chrono::duration<Rep, Period>& d) noexcept
        : kind_(kind::at),
          when_(detail::saturated_plus(now_of<std::chrono::steady_clock>(), detail::saturated_ns(d))),
          now_(&now_of<std::chrono::steady_clock>) {}

    bool is_no_wait() const noexcept { return kind_ == kind::no_wait; }
    bool is_forever() const noexcept { return kind_ == kind::forever; }

    /// Whether it has passed, on its own clock: always for no_wait, never for forever.
    bool expired() const noexcept { return kind_ == kind::at ? now_() >= when_ : kind_ == kind::no_wait; }

    /// Where to arm a sleep on `SleepClock`: now plus what is left, at most a
    /// year (a sleep may end early anyway; the caller looks again and re-arms).
    template <class SleepClock>
    typename SleepClock::time_point on() const {
        const auto start = SleepClock::now();
        const detail::ns left = detail::saturated_minus(when_, now_());
        if (left <= detail::ns::zero()) return start;
        constexpr detail::ns cap = std::chrono::hours(24 * 365);
        return start + std::chrono::ceil<typename SleepClock::duration>(left < cap ? left : cap);
    }

private:
    enum class kind : unsigned char { no_wait, forever, at };
    explicit constexpr deadline(kind k) noexcept : kind_(k) {}

    template <class Clock>
    static detail::ns now_of() noexcept {
        return detail::saturated_ns(Clock::now().time_since_epoch());
    }

    kind kind_;
    detail::ns when_{};                      // at: nanoseconds since the clock's epoch, saturated
    detail::ns (*now_)() noexcept = nullptr;  // at: that clock's now(), in the same terms
};

}  // namespace msgpool
