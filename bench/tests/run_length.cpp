// bench/tests/run_length.cpp - the warning on runs too short for their
// thread shape (bench/run_length.hpp): given each system's median run time
// in a cell, it names the systems under the bound and a message count that
// clears it, and says nothing for runs long enough.
#define BOOST_TEST_MODULE bench_run_length
#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

#include "run_length.hpp"

using namespace msgpool_bench;

BOOST_AUTO_TEST_CASE(short_runs_at_32x32_are_named) {
    // 64 threads: the bound is 64 x 300 us = 19.2 ms.  300000 messages at
    // 70 and 47 M msg/s last 4.3 and 6.4 ms.
    const auto w = short_run_warning("32x32 cap 1024 8 B", 64, 300'000,
                                     {{"futex_pool", 300'000 / 70e6}, {"moodycamel::ConcurrentQueue", 300'000 / 47e6}});
    BOOST_REQUIRE(w.has_value());
    BOOST_TEST(w->find("NOTE: 32x32 cap 1024 8 B: runs too short for 64 threads") == 0u, *w);
    BOOST_TEST(w->find("futex_pool and moodycamel::ConcurrentQueue") != std::string::npos, *w);
    BOOST_TEST(w->find("under 19.2 ms (the shortest 4.3 ms)") != std::string::npos, *w);
    // 300000 x 19.2 / 4.29 = 1344000, rounded up to two digits.
    BOOST_TEST(w->find("use --messages 1400000 or more") != std::string::npos, *w);
}

BOOST_AUTO_TEST_CASE(only_the_short_systems_are_named) {
    const auto w = short_run_warning("32x32 cap 1024 8 B", 64, 1'000'000,
                                     {{"fast", 1e6 / 70e6}, {"slow", 1e6 / 1e6}});
    BOOST_REQUIRE(w.has_value());
    BOOST_TEST(w->find("the median run of fast lasts") != std::string::npos, *w);
    BOOST_TEST(w->find("slow") == std::string::npos, *w);
}

BOOST_AUTO_TEST_CASE(long_enough_runs_say_nothing) {
    // 1x1: 2 threads, 0.6 ms; 2000000 messages at 100 M msg/s last 20 ms.
    BOOST_TEST(!short_run_warning("1x1 cap 1024 8 B", 2, 2'000'000, {{"spin_pool", 2e6 / 100e6}}).has_value());
    // 32x32 at 1000000 messages and 40 M msg/s: 25 ms, over 19.2.
    BOOST_TEST(!short_run_warning("32x32 cap 1024 8 B", 64, 1'000'000, {{"pool", 1e6 / 40e6}}).has_value());
    // A system with no median (no run) is not counted.
    BOOST_TEST(!short_run_warning("32x32 cap 1024 8 B", 64, 1'000'000, {{"failed", 0.0}}).has_value());
}
