// bench/tests/latency_histogram.cpp - the latency histogram of
// msgpool-bench --latency (bench/latency_histogram.hpp) against exact
// percentiles of known data.
//
// The header promises: below 256 ns exact; above, a percentile is at or
// above the exact percentile of the recorded data (rank ceil(p% of n)) by
// less than 1/128 of it; the maximum exact; merge() equals recording
// everything into one; encode()/decode() round-trips.
#define BOOST_TEST_MODULE bench_latency_histogram
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "latency_histogram.hpp"

using namespace msgpool_bench;

namespace {

const double percentiles[] = {0, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 99.999, 100};

/// The exact percentile of sorted data, as the header defines it.
std::uint64_t exact(const std::vector<std::uint64_t>& sorted, double p) {
    const double wanted = p / 100.0 * static_cast<double>(sorted.size());
    auto rank = static_cast<std::size_t>(std::ceil(wanted));
    rank = std::clamp<std::size_t>(rank, 1, sorted.size());
    return sorted[rank - 1];
}

void check_against(std::vector<std::uint64_t> values) {
    latency_histogram h;
    for (auto v : values) h.record(v);
    std::sort(values.begin(), values.end());
    BOOST_TEST(h.count() == values.size());
    BOOST_TEST(h.max() == values.back());
    BOOST_TEST(h.min() == values.front());
    for (double p : percentiles) {
        const std::uint64_t want = exact(values, p), got = h.percentile(p);
        BOOST_TEST_CONTEXT("p" << p << ": exact " << want << " ns, reported " << got << " ns") {
            BOOST_TEST(got >= want);
            if (want < latency_histogram::exact_below)
                BOOST_TEST(got == want);
            else
                BOOST_TEST(static_cast<double>(got - want) < latency_histogram::relative_resolution * want);
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(small_values_are_exact) {
    std::vector<std::uint64_t> v;
    for (std::uint64_t i = 0; i < 256; ++i) v.push_back(i);
    check_against(v);
    latency_histogram h;
    for (auto x : v) h.record(x);
    BOOST_TEST(h.percentile(50) == 127u);  // rank 128 of 0..255
    BOOST_TEST(h.percentile(100) == 255u);
}

BOOST_AUTO_TEST_CASE(uniform_one_to_a_million) {
    std::vector<std::uint64_t> v;
    for (std::uint64_t i = 1; i <= 1'000'000; ++i) v.push_back(i);
    check_against(v);
    latency_histogram h;
    for (auto x : v) h.record(x);
    // Known answers: p50 = 500000, p99 = 990000 (reported within 1/128 above).
    BOOST_TEST(h.percentile(50) >= 500'000u);
    BOOST_TEST(h.percentile(50) < 500'000u + 500'000u / 128);
    BOOST_TEST(h.percentile(99) >= 990'000u);
    BOOST_TEST(h.percentile(99) < 990'000u + 990'000u / 128);
    BOOST_TEST(h.mean() == 500'000.5);
}

BOOST_AUTO_TEST_CASE(heavy_tail_over_many_powers_of_two) {
    // Log-normal latencies, 200 ns to seconds: the shape of a real run.
    std::mt19937_64 rng(23);
    std::lognormal_distribution<double> d(std::log(2000.0), 1.5);
    std::vector<std::uint64_t> v;
    for (int i = 0; i < 200'000; ++i) v.push_back(static_cast<std::uint64_t>(d(rng)));
    v.push_back(3'000'000'000ull);  // one stall of 3 s
    check_against(v);
}

BOOST_AUTO_TEST_CASE(bucket_bounds_hold_their_values) {
    for (std::uint64_t v : {0ull, 255ull, 256ull, 257ull, 511ull, 512ull, 1000ull, 123456789ull, (1ull << 39) + 5,
                            (1ull << 40) - 1}) {
        const auto i = latency_histogram::index_of(v);
        BOOST_TEST(latency_histogram::highest_in(i) >= v);
        if (i > 0) BOOST_TEST(latency_histogram::highest_in(i - 1) < v);
    }
    BOOST_TEST(latency_histogram::index_of(1ull << 50) == latency_histogram::bucket_count - 1);
}

BOOST_AUTO_TEST_CASE(merge_and_round_trip) {
    latency_histogram a, b, all;
    for (std::uint64_t i = 0; i < 5000; ++i) {
        const std::uint64_t x = i * i % 100'003;
        (i % 3 ? a : b).record(x);
        all.record(x);
    }
    a.merge(b);
    latency_histogram back;
    BOOST_TEST(back.decode(a.encode()));
    for (double p : percentiles) {
        BOOST_TEST(a.percentile(p) == all.percentile(p));
        BOOST_TEST(back.percentile(p) == all.percentile(p));
    }
    BOOST_TEST(back.count() == all.count());
    BOOST_TEST(back.max() == all.max());
    BOOST_TEST(!back.decode("12:x ; 1 2 3 4"));
}

BOOST_AUTO_TEST_CASE(empty_histogram) {
    latency_histogram h;
    BOOST_TEST(h.percentile(99) == 0u);
    BOOST_TEST(h.count() == 0u);
    BOOST_TEST(h.min() == 0u);
}
