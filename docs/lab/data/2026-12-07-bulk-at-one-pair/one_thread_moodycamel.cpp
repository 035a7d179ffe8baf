#include <concurrentqueue/concurrentqueue.h>
#include <chrono>
#include <cstdio>
#include <array>
#include <cstdint>
int main() {
    moodycamel::ConcurrentQueue<std::uint64_t> q(1024);
    moodycamel::ProducerToken pt(q); moodycamel::ConsumerToken ct(q);
    std::array<std::uint64_t, 32> in{}, out{};
    for (int i = 0; i < 32; ++i) in[i] = i;
    const long rounds = 2000000; std::uint64_t sum = 0;
    for (int rep = 0; rep < 5; ++rep) {
        auto t0 = std::chrono::steady_clock::now();
        for (long r = 0; r < rounds; ++r) {
            q.enqueue_bulk(pt, in.data(), 32);
            std::size_t k = 0;
            while (k < 32) k += q.try_dequeue_bulk(ct, out.data() + k, 32 - k);
            sum += out[5];
        }
        auto t1 = std::chrono::steady_clock::now();
        std::printf("moodycamel: %.2f ns per message\n", std::chrono::duration<double, std::nano>(t1 - t0).count() / (rounds * 32.0));
    }
    return sum == 42;
}
