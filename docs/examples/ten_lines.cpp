// The ten-line pool: one producer, one consumer, the default composition.
// The producer closes the pool when done; the consumer drains it and stops.
#include <cstdint>
#include <cstdio>
#include <thread>

#include <msgpool/pool.hpp>

int main() {
    constexpr std::uint64_t n = 200000;
    std::uint64_t sum = 0, count = 0;

    msgpool::pool<std::uint64_t> pool(1024);                 // exactly 1024 slots
    std::thread producer([&] { for (std::uint64_t i = 0; i < n; ++i) pool.write(i);
                               pool.close(); });              // readers drain, then stop
    std::thread consumer([&] { std::uint64_t v;
                               while (pool.read(v)) { sum += v; ++count; } });  // false once closed and empty
    producer.join(); consumer.join();

    const bool ok = count == n && sum == n * (n - 1) / 2 && pool.was_empty();
    std::printf("ten_lines: %llu messages through a pool of %zu slots, sum %s\n",
                static_cast<unsigned long long>(count), pool.capacity(), ok ? "correct" : "WRONG");
    return ok ? 0 : 1;
}
