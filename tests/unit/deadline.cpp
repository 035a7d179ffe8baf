// msgpool::deadline and the primitives over it: every kind of deadline means
// what the named form that builds it means, and far deadlines in coarse units
// saturate ("a very long time") instead of overflowing into "already expired".
#define BOOST_TEST_MODULE unit_deadline
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <ratio>
#include <thread>
#include <vector>

#include <msgpool/deadline.hpp>
#include <msgpool/pool.hpp>

#include "support/reached_wait.hpp"
#include "support/watchdog.hpp"

namespace msgpool_test {

using namespace std::chrono;
using msgpool::deadline;
using msgpool::detail::saturated_ns;

static_assert(saturated_ns(hours::max()) == nanoseconds::max());
static_assert(saturated_ns(hours::min()) == nanoseconds::min());
static_assert(saturated_ns(seconds(3)) == nanoseconds(3'000'000'000));
static_assert(saturated_ns(duration<std::int64_t, std::pico>(1500)) == nanoseconds(2));  // rounded up
static_assert(saturated_ns(duration<std::uint64_t, std::ratio<3600>>(~std::uint64_t{0})) == nanoseconds::max());

BOOST_AUTO_TEST_CASE(kinds) {
    BOOST_TEST(deadline::no_wait().is_no_wait());
    BOOST_TEST(deadline::no_wait().expired());
    BOOST_TEST(deadline::forever().is_forever());
    BOOST_TEST(!deadline::forever().expired());
    BOOST_TEST(deadline(seconds(-1)).expired());
    BOOST_TEST(deadline(steady_clock::now() - seconds(1)).expired());
    BOOST_TEST(!deadline(minutes(1)).expired());
    BOOST_TEST(!deadline(system_clock::now() + minutes(1)).expired());
}

BOOST_AUTO_TEST_CASE(far_deadlines_in_coarse_units_saturate) {
    BOOST_TEST(!deadline(time_point<steady_clock, seconds>::max()).expired());
    BOOST_TEST(!deadline(time_point_cast<hours>(system_clock::now()) + hours(24 * 365 * 300)).expired());
    BOOST_TEST(!deadline(hours::max()).expired());
    BOOST_TEST(!deadline(duration<double>(1e300)).expired());
    BOOST_TEST(deadline(time_point<steady_clock, seconds>::min()).expired());
    // A sleep is armed at most a year ahead, never in the past.
    const auto before = steady_clock::now();
    const auto armed = deadline(time_point<steady_clock, hours>::max()).on<steady_clock>();
    const auto after = steady_clock::now();
    BOOST_TEST((armed - before >= hours(24 * 365)));
    BOOST_TEST((armed - after <= hours(24 * 365)));
}

BOOST_AUTO_TEST_CASE(primitives_follow_their_deadline) {
    using pool_type = on_observed<msgpool::pool<int>>;
    pool_type pool(1);
    BOOST_TEST(pool.write(deadline::no_wait(), 1));
    BOOST_TEST(!pool.write(deadline::no_wait(), 2));  // full: one attempt
    const auto start = steady_clock::now();
    BOOST_TEST(!pool.write(deadline(milliseconds(20)), 2));  // full: waits, then gives up
    BOOST_TEST((steady_clock::now() - start >= milliseconds(20)));
    int out = 0;
    BOOST_TEST(pool.read(deadline::forever(), out));
    BOOST_TEST(out == 1);
    BOOST_TEST(pool.wait_until_empty_until(steady_clock::now() + seconds(10)));
    BOOST_TEST(pool.wait_until_empty(deadline::no_wait()));

    // A far deadline in a coarse unit waits (it does not fail at once) until a write comes.
    reset_reached<pool_type>();
    std::thread writer([&] {
        await_reached<pool_type>(1);  // the read below is waiting
        pool.write(7);
    });
    BOOST_TEST(pool.read_until(out, time_point<steady_clock, seconds>::max()));
    BOOST_TEST(out == 7);
    writer.join();

    std::vector<int> many{1, 2, 3};
    BOOST_TEST(pool.write_bulk(deadline::no_wait(), many) == 1u);
    BOOST_TEST(pool.read_bulk(deadline(seconds(1)), std::span<int>(many)) == 1u);
}

}  // namespace msgpool_test
