// Runtime-sized elements (basic_pool<raw_bytes, ...>), the layer under the C API.
#define BOOST_TEST_MODULE unit_raw_bytes
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <stdexcept>

#include <msgpool/pool.hpp>
#include <msgpool/raw_bytes.hpp>

#include "support/watchdog.hpp"
#include "support/run_threads.hpp"

using bytes_pool = msgpool::pool<msgpool::raw_bytes>;

BOOST_AUTO_TEST_CASE(round_trip_and_swap) {
    bytes_pool pool(3, 5);
    BOOST_TEST(pool.element_size() == 5u);
    char in[5] = {'a', 'b', 'c', 'd', 'e'}, out[5] = {}, displaced[5] = {1, 1, 1, 1, 1};
    pool.write(in, displaced);
    BOOST_TEST(std::memcmp(displaced, "\0\0\0\0\0", 5) == 0);  // slots start zero-filled
    const char repl[5] = {'z', 'z', 'z', 'z', 'z'};
    BOOST_TEST(pool.read(out, repl));
    BOOST_TEST(std::memcmp(out, in, 5) == 0);
    // The slot now holds the replacement; it comes back to the next writer of that slot.
    std::size_t zs = 0;
    for (int i = 0; i < 3; ++i) {
        char got[5];
        pool.write(in, got);
        zs += std::memcmp(got, repl, 5) == 0;
    }
    BOOST_TEST(zs == 1u);
}

BOOST_AUTO_TEST_CASE(aliased_swap_loses_nothing) {
    bytes_pool pool(1, 4);
    char buf[4] = {'m', 's', 'g', '1'};
    pool.write(buf, buf);  // displaced == src: the bytes are swapped
    BOOST_TEST(std::memcmp(buf, "\0\0\0\0", 4) == 0);
    char out[4] = {'r', 'e', 'p', 'l'};
    BOOST_TEST(pool.read(out, out));  // replacement == dst: swapped as well
    BOOST_TEST(std::memcmp(out, "msg1", 4) == 0);
    BOOST_TEST(pool.try_write(out, out));
    BOOST_TEST(std::memcmp(out, "repl", 4) == 0);
}

BOOST_AUTO_TEST_CASE(initialiser_runs_once_per_slot) {
    std::size_t calls = 0;
    bytes_pool pool(4, sizeof(std::size_t), [&](void* el, std::size_t i) {
        ++calls;
        std::memcpy(el, &i, sizeof i);
    });
    BOOST_TEST(calls == 4u);
    std::size_t sum = 0;
    for (int i = 0; i < 4; ++i) {
        std::size_t got = 0, zero = 0;
        pool.write(&zero, &got);
        sum += got;
    }
    BOOST_TEST(sum == 0u + 1 + 2 + 3);
}

BOOST_AUTO_TEST_CASE(bad_sizes) {
    BOOST_CHECK_THROW(bytes_pool(0, 8), std::invalid_argument);
    BOOST_CHECK_THROW(bytes_pool(8, 0), std::invalid_argument);
    BOOST_CHECK_THROW(bytes_pool(8, static_cast<std::size_t>(-1)), std::length_error);
    BOOST_CHECK_THROW(bytes_pool(static_cast<std::size_t>(-1) / 4, 8), std::length_error);
}

BOOST_AUTO_TEST_CASE(many_threads_sum_and_count) {
    bytes_pool pool(16, 24);
    constexpr std::uint64_t per = 5000;
    std::atomic<std::uint64_t> sum{0}, count{0};
    std::atomic<int> left{4};
    msgpool_test::run_threads(8, [&](std::size_t t) {
        if (t < 4) {
            for (std::uint64_t k = 0; k < per; ++k) {
                std::uint64_t m[3] = {k, k * 2, k * 3};
                pool.write(m);
            }
            if (left.fetch_sub(1) == 1) pool.close();
        } else {
            std::uint64_t m[3];
            while (pool.read(m)) {
                if (m[1] == 2 * m[0] && m[2] == 3 * m[0]) sum.fetch_add(m[0]);
                count.fetch_add(1);
            }
        }
    });
    BOOST_TEST(count.load() == 4 * per);
    BOOST_TEST(sum.load() == 4 * per * (per - 1) / 2);
}
