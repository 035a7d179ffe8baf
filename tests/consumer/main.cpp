// A program outside msgpool: includes <msgpool/pool.hpp>, uses only the public
// API, and checks exactly-once, close/reopen, swap, try_ and timed forms on
// msgpool::pool<T>.  Exit status 0 means every check passed.
#include <msgpool/pool.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

static int failures = 0;
#define CHECK(cond)                                                             \
    do {                                                                        \
        if (!(cond)) {                                                          \
            std::fprintf(stderr, "consumer: check failed at line %d: %s\n", __LINE__, #cond); \
            ++failures;                                                         \
        }                                                                       \
    } while (0)

using namespace std::chrono_literals;

static void exactly_once() {
    constexpr std::uint64_t messages = 100000;
    constexpr int producers = 4, consumers = 4;
    msgpool::pool<std::uint64_t> pool(64);
    std::vector<std::atomic<int>> seen(messages);
    std::atomic<int> left{producers};
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p)
        threads.emplace_back([&, p] {
            for (std::uint64_t id = p; id < messages; id += producers) pool.write(id);
            if (left.fetch_sub(1) == 1) pool.close();
        });
    for (int c = 0; c < consumers; ++c)
        threads.emplace_back([&] {
            std::uint64_t v;
            while (pool.read(v)) seen[v].fetch_add(1);
        });
    for (auto& t : threads) t.join();
    for (auto& s : seen) CHECK(s.load() == 1);
    CHECK(pool.was_size() == 0);
}

static void close_and_reopen() {
    msgpool::pool<int> pool(4);
    pool.write(1);
    pool.close();
    int v = 0;
    CHECK(pool.read(v) && v == 1);
    CHECK(!pool.read(v));
    pool.reopen();
    CHECK(!pool.read_for(v, 10ms));
    // The two sleeps pace only (an installed consumer has no test hooks): the
    // read is likely waiting by then, and either order gives the same result.
    std::thread w([&] { std::this_thread::sleep_for(10ms); pool.write(2); });
    CHECK(pool.read(v) && v == 2);
    w.join();
    std::thread c([&] { std::this_thread::sleep_for(10ms); pool.close(); });
    CHECK(!pool.read(v));
    c.join();
}

static void swap_buffers() {
    msgpool::pool<std::unique_ptr<int>> pool(2, [](std::size_t i) { return std::make_unique<int>(-1 - int(i)); });
    std::unique_ptr<int> displaced;
    pool.write(std::make_unique<int>(10), displaced);
    CHECK(displaced && *displaced < 0);
    std::unique_ptr<int> out;
    CHECK(pool.read(out, std::move(displaced)));
    CHECK(out && *out == 10);
    pool.write(std::make_unique<int>(11), displaced);
    CHECK(displaced && *displaced < 0);
}

static void try_and_timed() {
    msgpool::pool<int> pool(3);
    CHECK(pool.capacity() == 3);
    CHECK(pool.try_write(1) && pool.try_write(2) && pool.try_write(3));
    CHECK(!pool.try_write(4));
    auto t0 = std::chrono::steady_clock::now();
    CHECK(!pool.write_for(4, 20ms));
    CHECK(std::chrono::steady_clock::now() - t0 >= 20ms);
    CHECK(!pool.write_until(4, std::chrono::steady_clock::now() + 5ms));
    int v = 0, sum = 0;
    while (pool.try_read(v)) sum += v;
    CHECK(sum == 6);
    CHECK(!pool.try_read(v));
    CHECK(!pool.read_for(v, 5ms));
    CHECK(!pool.read_until(v, std::chrono::steady_clock::now() + 5ms));
    pool.write(5);
    pool.wait_until_empty_for(0ms);
    CHECK(pool.read_for(v, 1s) && v == 5);
    pool.wait_until_empty();
    try {
        msgpool::pool<int> bad(0);
        CHECK(false);
    } catch (const std::invalid_argument&) {
    }
}

int main() {
    exactly_once();
    close_and_reopen();
    swap_buffers();
    try_and_timed();
    if (failures) {
        std::fprintf(stderr, "consumer: %d check(s) failed\n", failures);
        return 1;
    }
    std::puts("consumer: all checks passed");
    return 0;
}
